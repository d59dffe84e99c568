using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Float;

/// <summary>
/// The accuracy guarantees of float methods (README, "float methods"): at ordinary points the float gradient, Hessian
/// and value are within 1e-5 of the double-precision ones relative to their size (max-norm), the double ones being
/// Richardson finite differences of the same method compiled in double (<see cref="FloatSources.AsDouble"/>); at float
/// saturation the derivatives are nonzero and within a few float ulps of the exact value, computed by an independent
/// double formula (finite differences cannot see them: σ(50) rounds to 1 in double).
/// </summary>
public sealed class FloatGradientTests
{
    private const double RelativeToSize = 1e-5;
    private const int MaxUlps = 4;

    private static Compiled Float => GeneratorHarness.Compile(FloatSources.Models);

    private static Compiled Double => GeneratorHarness.Compile(FloatSources.AsDouble(FloatSources.Models));

    /// <summary>Method, arity and points (float-representable, so both compilations see the same point).</summary>
    public static TheoryData<string, double[]> OrdinaryPoints => new()
    {
        { "LogLoss", new[] { 0.75, -0.25, 1.5, 1.0 } },
        { "LogLoss", new[] { -2.5, 0.5, 3.0, 0.0 } },
        { "LogLoss", new[] { 4.0, 1.0, 2.0, 1.0 } },
        { "Layer", new[] { 0.5, -0.75, 1.25, -0.5, 0.125 } },
        { "Layer", new[] { -1.5, 0.25, -0.75, 2.0, -1.0 } },
        { "Mixed", new[] { 0.75, 0.5 } },
        { "Mixed", new[] { -0.625, 1.75 } },
        { "Mixed", new[] { 2.5, -1.25 } },
        { "Activations", new[] { 0.75, -0.5 } },
        { "Activations", new[] { -1.25, 2.5 } },
        { "Rosen", new[] { -1.25, 0.75 } },
        { "Rosen", new[] { 0.5, 1.5 } },
        { "Sig", new[] { 1.5 } },
        { "Th", new[] { -0.375 } },
        { "Sp", new[] { 2.25 } },
        { "LogSig", new[] { -3.5 } },
    };

    [Fact]
    public void The_float_models_compile_cleanly_without_diagnostics()
    {
        Float.Run.AssertCompilesCleanly();
        Double.Run.AssertCompilesCleanly();
        Assert.DoesNotContain(Float.Run.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Fact]
    public void Float_methods_get_no_batched_members_and_no_objective()
    {
        // The batched SIMD kernels and the optimizers' objective are double; a float method gets neither.
        string text = Float.Run.AllGeneratedText();
        Assert.DoesNotContain("Batch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Objective", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sample", text, StringComparison.Ordinal);
        Assert.DoesNotContain("double", text, StringComparison.Ordinal);
        Assert.DoesNotContain("global::System.Math.", text, StringComparison.Ordinal);
        Assert.Contains("BatchGradient", Double.Run.GeneratedSource("LogLoss"), StringComparison.Ordinal); // the double twin has them
    }

    [Theory]
    [MemberData(nameof(OrdinaryPoints))]
    public void Float_gradient_is_within_1e_5_of_the_double_gradient_relative_to_its_size(string method, double[] p)
    {
        var f = Double.Function("Net", method);
        var differentiated = Float.Method("Net", method).DifferentiatedParameterNames;
        int[] indices = Double.Method("Net", method).ParameterNames.Select((n, i) => (n, i)).Where(t => differentiated.Contains(t.n)).Select(t => t.i).ToArray();
        double[] expected = Oracle.Gradient(f, p, indices);
        var (value, gradient) = Float.Gradient("Net", method, p);

        AssertRelativeToSize(new[] { f(p) }, new[] { value }, "value");
        AssertRelativeToSize(expected, gradient, "gradient");

        // The MPartials form returns the same float values.
        var partials = Float.Partials("Net", method, p.Select(x => (object?)(float)x).ToArray());
        Assert.Equal(gradient, partials.Gradient);
        Assert.Equal(value, partials.Value);
    }

    [Theory]
    [InlineData(-1.25, 0.75)]
    [InlineData(0.5, 1.5)]
    [InlineData(1.0, 1.0)]
    public void Float_Hessian_and_HVP_are_within_1e_5_of_the_double_ones_relative_to_their_size(double x, double y)
    {
        var f = Double.Function("Net", "Rosen");
        double[] p = { x, y };
        double[] expected = Oracle.Hessian(f, p);
        var hessian = Float.Hessian("Net", "Rosen", x, y);
        AssertRelativeToSize(Oracle.Gradient(f, p), hessian.Gradient, "gradient");
        AssertRelativeToSize(expected, hessian.Hessian, "Hessian");

        float[] v = { 0.75f, -1.5f };
        float[] g = new float[2], hv = new float[2];
        Float.Invoke("Net", "CallRosenHvp", new[] { (float)x, (float)y }, v, g, hv);
        double[] product = { (expected[0] * v[0]) + (expected[1] * v[1]), (expected[2] * v[0]) + (expected[3] * v[1]) };
        AssertRelativeToSize(product, hv.Select(h => (double)h).ToArray(), "H·v");
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(50.0)]
    [InlineData(80.0)]
    [InlineData(-50.0)]
    [InlineData(-80.0)]
    public void Sigmoid_derivative_at_float_saturation_is_nonzero_and_within_a_few_ulps(double z)
    {
        // σ′(z) = e^(−|z|)/(1 + e^(−|z|))², e.g. 1.93e−22 at 50 and 1.8e−35 at 80: normal floats.
        double e = Math.Exp(-Math.Abs(z));
        double exact = e / ((1 + e) * (1 + e));
        var (value, gradient) = Float.Gradient("Net", "Sig", z);
        Assert.NotEqual(0.0, gradient[0]);
        AssertUlps(exact, gradient[0], "σ′(" + z + ")");
        AssertUlps(z > 0 ? 1 / (1 + e) : e / (1 + e), value, "σ(" + z + ")");

        // softplus′(z) = σ(z), log σ(z)′ = σ(−z): tiny on the saturated side, and the values too.
        var softplus = Float.Gradient("Net", "Sp", -Math.Abs(z));
        AssertUlps(e / (1 + e), softplus.Gradient[0], "softplus′(" + -Math.Abs(z) + ")");
        double log1pE = e - (e * e / 2); // log(1 + e) for e ≤ 1e−13 (the next term is below a double's rounding)
        AssertUlps(log1pE, softplus.Value, "softplus(" + -Math.Abs(z) + ")");
        var logSigmoid = Float.Gradient("Net", "LogSig", Math.Abs(z));
        AssertUlps(e / (1 + e), logSigmoid.Gradient[0], "log σ′(" + Math.Abs(z) + ")");
        AssertUlps(-log1pE, logSigmoid.Value, "log σ(" + Math.Abs(z) + ")");
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(20.0)]
    [InlineData(40.0)]
    [InlineData(-40.0)]
    public void Tanh_derivative_at_float_saturation_is_nonzero_and_within_a_few_ulps(double x)
    {
        // tanh′(x) = 4e^(−2|x|)/(1 + e^(−2|x|))²: 1.7e−17 at 20 and 7.2e−35 at 40, where 1 − tanh² is 0 in float.
        double e = Math.Exp(-2 * Math.Abs(x));
        double exact = 4 * e / ((1 + e) * (1 + e));
        var (value, gradient) = Float.Gradient("Net", "Th", x);
        Assert.NotEqual(0.0, gradient[0]);
        AssertUlps(exact, gradient[0], "tanh′(" + x + ")");
        AssertUlps(Math.Tanh(x), value, "tanh(" + x + ")");
    }

    /// <summary>Every component within <see cref="RelativeToSize"/> of the expected vector's max-norm.</summary>
    private static void AssertRelativeToSize(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double size = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(
                error <= RelativeToSize * size,
                $"{what}[{i}]: float {actual[i]:R}, double {expected[i]:R}, error {error:E3} > 1e-5 · {size:E3}");
        }
    }

    /// <summary>Within <see cref="MaxUlps"/> float ulps of the exact value.</summary>
    private static void AssertUlps(double exact, double actual, string what)
    {
        float rounded = (float)exact;
        double ulp = MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded);
        double ulps = Math.Abs(actual - exact) / ulp;
        Assert.True(ulps <= MaxUlps, $"{what}: float {actual:R}, exact {exact:R}, {ulps:F2} ulps");
    }
}
