using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Generic;

/// <summary>
/// Generic-math methods (README, "Generic math"): the generated <c>T MGradient&lt;T&gt;(…, Span&lt;T&gt;)</c> instantiated at
/// double is checked against Richardson finite differences of the model itself instantiated at double; at float and
/// Half against those double derivatives, relative to their size (1e-5 for float, as for float methods; 1e-2 for Half,
/// whose ulp at 1 is 9.8e-4); at saturation σ′ and tanh′ stay nonzero and match the exact value.
/// </summary>
public sealed class GenericGradientTests
{
    private const double FloatTolerance = 1e-5;
    private const double HalfTolerance = 1e-2;

    private static Compiled C => GeneratorHarness.Compile(new[] { GenericSources.Models, GenericSources.Probes() });

    public static TheoryData<string, double[]> ScalarPoints => new()
    {
        { "LogLoss", new[] { 0.75, -0.25, 1.5, 1.0 } },
        { "LogLoss", new[] { -2.5, 0.5, 3.0, 0.0 } },
        { "Layer", new[] { 0.5, -0.75, 1.25, -0.5, 0.125 } },
        { "Layer", new[] { -1.5, 0.25, -0.75, 2.0, -1.0 } },
        { "Rosen", new[] { -1.25, 0.75 } },
        { "Rosen", new[] { 0.5, 1.5 } },
        { "Branchy", new[] { 0.75, -0.5 } },
        { "Branchy", new[] { -0.625, 1.25 } },
        { "Sig", new[] { 1.5 } },
        { "Th", new[] { -0.375 } },
    };

    [Fact]
    public void The_generic_models_compile_cleanly_and_get_generic_members_without_batch_or_objective()
    {
        C.Run.AssertCompilesCleanly();
        string text = C.Run.AllGeneratedText();
        Assert.Contains("public static T LogLossGradient<T>(T w, T b, T x, T y, global::System.Span<T> gradient) where T : global::System.Numerics.IFloatingPointIeee754<T>", text, StringComparison.Ordinal);
        Assert.Contains("where T : global::System.Numerics.INumber<T>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Batch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Objective", text, StringComparison.Ordinal);
        Assert.DoesNotContain("double", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stackalloc", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ScalarPoints))]
    public void Gradient_at_double_matches_finite_differences_and_float_and_Half_match_it_relative_to_size(string method, double[] p)
    {
        (string _, int _, string[] wrt) = GenericSources.Scalar.Single(s => s.Name == method);
        int[] indices = wrt.Select(n => Array.IndexOf(C.Method("Net", method).ParameterNames.ToArray(), n)).ToArray();
        Func<double[], double> f = a => (double)C.Invoke("Probe", "F_" + method + "_double", a)!;
        double[] expected = Oracle.Gradient(f, p, indices);

        double[] g = new double[wrt.Length];
        double value = (double)C.Invoke("Probe", "G_" + method + "_double", p, g)!;
        Assert.Equal(f(p), value, 14);
        AssertRelative(expected, g, 1e-8, method + " at double");

        foreach ((string type, double tolerance) in new[] { ("float", FloatTolerance), ("Half", HalfTolerance) })
        {
            double[] gt = new double[wrt.Length];
            double vt = (double)C.Invoke("Probe", "G_" + method + "_" + type, p, gt)!;
            AssertRelative(new[] { f(p) }, new[] { vt }, tolerance, method + " value at " + type);
            AssertRelative(expected, gt, tolerance, method + " at " + type);
        }
    }

    [Fact]
    public void The_partials_struct_is_generic_too()
    {
        double[] p = { 0.75, -0.25, 1.5, 1.0 };
        double[] g = new double[2];
        double[] expected = new double[2];
        double value = (double)C.Invoke("Probe", "P_LogLoss", p, g)!;
        Assert.Equal((double)C.Invoke("Probe", "G_LogLoss_double", p, expected)!, value);
        Assert.Equal(expected, g);
    }

    [Fact]
    public void Array_models_with_run_time_loops_a_tape_and_a_local_buffer_match_finite_differences_at_every_type()
    {
        double[] w = { 0.75, -0.5 };
        double[] xs = { 0.5, -1.0, 2.0, 0.25, 1.5 };
        double[] ys = { 1.0, -0.5, 0.75, 0.0, 2.0 };
        CheckArray("Lsq", w, a => (double)C.Invoke("Probe", "F_Lsq_double", a, xs, ys)!, (t, a, g) => (double)C.Invoke("Probe", "G_Lsq_" + t, a, xs, ys, g)!);

        double[] ab = { 0.8, -0.6 };
        CheckArray("Recurrence", ab, a => (double)C.Invoke("Probe", "F_Recurrence_double", a[0], a[1], xs)!, (t, a, g) => (double)C.Invoke("Probe", "G_Recurrence_" + t, a[0], a[1], xs, g)!);

        double[] v = { 0.5, 2.0, -1.0, 1.75 };
        CheckArray("LogSumExp", v, a => (double)C.Invoke("Probe", "F_LogSumExp_double", a)!, (t, a, g) => (double)C.Invoke("Probe", "G_LogSumExp_" + t, a, g)!);
    }

    [Fact]
    public void Hessians_at_double_match_finite_differences_of_the_gradient()
    {
        foreach ((string method, double[] p) in new[] { ("Rosen", new[] { -1.25, 0.75 }), ("Branchy", new[] { 0.75, -0.5 }), ("Branchy", new[] { -0.625, 1.25 }) })
        {
            double[] g = new double[2];
            double[] h = new double[4];
            C.Invoke("Probe", "H_" + method, p, g, h);
            for (int i = 0; i < 2; i++)
            {
                int row = i;
                double[] expected = Oracle.Gradient(a => { double[] gg = new double[2]; C.Invoke("Probe", "G_" + method + "_double", a, gg); return gg[row]; }, p, new[] { 0, 1 });
                AssertRelative(expected, h.Skip(2 * i).Take(2).ToArray(), 1e-7, method + " Hessian row " + i);
            }
        }

        double[] w = { 0.75, -0.5 };
        double[] xs = { 0.5, -1.0, 2.0 };
        double[] ys = { 1.0, -0.5, 0.75 };
        double[] hl = new double[4];
        C.Invoke("Probe", "H_Lsq", w, xs, ys, new double[2], hl);
        // ∂²/∂w² of the mean of (w0·x + w1 − y)²: (2/n)·[Σx², Σx; Σx, n].
        double n = xs.Length;
        double sx = xs.Sum();
        double sxx = xs.Sum(x => x * x);
        AssertRelative(new[] { 2 * sxx / n, 2 * sx / n, 2 * sx / n, 2.0 }, hl, 1e-12, "Lsq Hessian");
        double[] hv = new double[2];
        C.Invoke("Probe", "Hv_Lsq", w, xs, ys, new[] { 1.0, -2.0 }, new double[2], hv);
        AssertRelative(new[] { hl[0] - 2 * hl[1], hl[2] - 2 * hl[3] }, hv, 1e-12, "Lsq H·v");
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(-40.0)]
    [InlineData(12.0)]
    public void Sigmoid_and_tanh_derivatives_stay_nonzero_and_exact_at_float_saturation(double z)
    {
        // Exact: σ′(z) = e^(−|z|)/(1 + e^(−|z|))², tanh′(z) = 4e^(−2|z|)/(1 + e^(−2|z|))², in double (independent of SymMath).
        double e = Math.Exp(-Math.Abs(z));
        double sigmoid = e / ((1 + e) * (1 + e));
        double e2 = Math.Exp(-2 * Math.Abs(z));
        double tanh = 4 * e2 / ((1 + e2) * (1 + e2));
        foreach (string type in new[] { "double", "float" })
        {
            double[] g = new double[1];
            C.Invoke("Probe", "G_Sig_" + type, new[] { z }, g);
            Assert.True(g[0] > 0, "σ′ at " + type);
            Assert.Equal(1.0, g[0] / sigmoid, type == "double" ? 1e-14 : 1e-6);
            C.Invoke("Probe", "G_Th_" + type, new[] { z }, g);
            Assert.True(g[0] > 0, "tanh′ at " + type);
            Assert.Equal(1.0, g[0] / tanh, type == "double" ? 1e-14 : 1e-6);
        }
    }

    private static void CheckArray(string name, double[] p, Func<double[], double> f, Func<string, double[], double[], double> gradient)
    {
        double[] expected = Oracle.Gradient(f, p, Enumerable.Range(0, p.Length).ToArray());
        foreach ((string type, double tolerance) in new[] { ("double", 1e-8), ("float", FloatTolerance), ("Half", HalfTolerance) })
        {
            double[] g = new double[p.Length];
            double value = gradient(type, p, g);
            AssertRelative(new[] { f(p) }, new[] { value }, tolerance, name + " value at " + type);
            AssertRelative(expected, g, tolerance, name + " at " + type);
        }
    }

    /// <summary>max |expected − actual| ≤ tolerance · max(1, max |expected|).</summary>
    private static void AssertRelative(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double size = Math.Max(1.0, expected.Max(Math.Abs));
        double error = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(error <= tolerance * size, $"{what}: error {error:R} > {tolerance} × {size:R}; expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }
}
