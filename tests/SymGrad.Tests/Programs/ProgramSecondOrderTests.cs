using System;
using System.Linq;
using SymGrad.Testing;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>Models with loops, branches and array weights, differentiated to second order.</summary>
public static partial class SecondOrderModels
{
    /// <summary>Mean squared error of a line through (x, y): f = (1/n) Σ (w₀xᵢ + w₁ − yᵢ)².</summary>
    [Differentiable(Hessian = true)]
    public static double Llsq([Wrt] ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = w[0] * x[i] + w[1] - y[i];
            s += r * r;
        }

        return s / x.Length;
    }

    /// <summary>A tanh recurrence with a run-time trip count: the tape holds h per step.</summary>
    [Differentiable(Hessian = true)]
    public static double Recurrence(double[] p, int steps)
    {
        double h = 0.1;
        for (int t = 0; t < steps; t++)
        {
            h = Math.Tanh(p[0] * h + p[1]) * p[2] + 0.5 * h;
        }

        return h * h;
    }

    /// <summary>Branches inside a loop and after it, a scalar weight before an array one (layout: scale, then a).</summary>
    [Differentiable(Hessian = true)]
    public static double Branchy(double scale, ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (double v in a)
        {
            if (v > 0)
            {
                s += Math.Sqrt(v) * scale;
            }
            else
            {
                s -= v * v * scale;
            }
        }

        if (s > 1)
        {
            return Math.Log(s) + scale * scale;
        }

        return s * Math.Exp(scale);
    }

    /// <summary>One hidden tanh layer in a local buffer overwritten per sample, sigmoid output, squared error.</summary>
    [Differentiable(Hessian = true)]
    public static double Mlp([Wrt] ReadOnlySpan<double> w, ReadOnlySpan<double> x, int hidden)
    {
        double loss = 0;
        var h = new double[hidden];
        for (int n = 0; n < x.Length; n++)
        {
            for (int j = 0; j < hidden; j++)
            {
                h[j] = Math.Tanh(w[j] * x[n] + w[hidden + j]);
            }

            double o = w[3 * hidden];
            for (int j = 0; j < hidden; j++)
            {
                o += w[2 * hidden + j] * h[j];
            }

            double e = SymMath.Sigmoid(o) - 0.5;
            loss += e * e;
        }

        return loss;
    }

    /// <summary>
    /// A local assigned before an element store and read after it, in a loop: the reverse sweep must take the element
    /// (pushed last) from the tape before the local (a benchmark's LSTM cell state found this).
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double StoreAfterLocal(ReadOnlySpan<double> w, int n)
    {
        double[] c = new double[1];
        double s = 0;
        for (int t = 0; t < n; t++)
        {
            double o = w[0] * (t + 1);
            c[0] = (c[0] * w[1]) + 1;
            s += o * c[0];
        }

        return s;
    }

    /// <summary>A hidden layer in a stackalloc buffer: the generated code rents it (and its adjoint and tangent) from the tape.</summary>
    [Differentiable(Hessian = true)]
    public static double StackMlp([Wrt] ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        Span<double> h = stackalloc double[4];
        double loss = 0;
        for (int n = 0; n < x.Length; n++)
        {
            for (int j = 0; j < h.Length; j++)
            {
                h[j] = Math.Tanh((w[j] * x[n]) + w[4 + j]);
            }

            double o = w[12];
            for (int j = 0; j < h.Length; j++)
            {
                o += w[8 + j] * h[j];
            }

            loss += (o - x[n]) * (o - x[n]);
        }

        return loss;
    }

    /// <summary>Softmax cross-entropy of a linear model, int labels, max-shifted log-sum-exp with a break-free max loop.</summary>
    [Differentiable(Hessian = true)]
    public static double Softmax([Wrt] double[] w, double[] features, int[] labels, int classes)
    {
        int d = features.Length / labels.Length;
        double total = 0;
        var z = new double[classes];
        for (int n = 0; n < labels.Length; n++)
        {
            for (int c = 0; c < classes; c++)
            {
                double zc = w[c * (d + 1) + d];
                for (int k = 0; k < d; k++)
                {
                    zc += w[c * (d + 1) + k] * features[n * d + k];
                }

                z[c] = zc;
            }

            double m = z[0];
            for (int c = 1; c < classes; c++)
            {
                m = Math.Max(m, z[c]);
            }

            double s = 0;
            for (int c = 0; c < classes; c++)
            {
                s += Math.Exp(z[c] - m);
            }

            total += m + Math.Log(s) - z[labels[n]];
        }

        return total / labels.Length;
    }
}

/// <summary>
/// Second order through loops, branches and the tape: MHessianVectorProduct and MHessian against Richardson finite
/// differences of the function itself (not of the generated gradient); MObjective's flat layout against the methods.
/// </summary>
public sealed class ProgramSecondOrderTests
{
    private static readonly double[] Xs = { 0.3, -1.2, 2.0, 0.7, -0.4 };
    private static readonly double[] Ys = { 1.1, -0.5, 2.9, 1.4, 0.2 };

    private delegate double Hvp(double[] p, double[] v, double[] g, double[] hv);

    private delegate double Full(double[] p, double[] g, double[] h);

    private static void Check(Func<double[], double> f, Hvp hvp, Full full, double[] p, double relTol = 1e-6, double absTol = 1e-7)
    {
        int n = p.Length;
        double[] hessian = Oracle.Hessian(f, p);
        double[] gradient = Oracle.Gradient(f, p);
        var rnd = new Random(11);
        double[] v = p.Select(_ => rnd.NextDouble() - 0.5).ToArray();
        double[] expectedHv = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expectedHv[i] += hessian[(i * n) + j] * v[j];
            }
        }

        double[] g = new double[n], hv = new double[n], h = new double[n * n], g2 = new double[n];
        double value = hvp(p, v, g, hv);
        Oracle.AssertClose(f(p), value, 1e-13, 1e-13, "value");
        Oracle.AssertClose(gradient, g, relTol, absTol, context: "gradient from the HVP");
        Oracle.AssertClose(expectedHv, hv, relTol, absTol, context: "H·v");
        double value2 = full(p, g2, h);
        Oracle.AssertClose(f(p), value2, 1e-13, 1e-13, "value");
        Oracle.AssertClose(gradient, g2, relTol, absTol, context: "gradient from the Hessian");
        Oracle.AssertClose(hessian, h, relTol, absTol, context: "Hessian");
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(h[(i * n) + j], h[(j * n) + i]);
            }
        }
    }

    [Fact]
    public void Llsq_Hessian_is_the_normal_matrix()
    {
        double[] w = { 0.5, -0.3 };
        Check(p => SecondOrderModels.Llsq(p, Xs, Ys), (p, v, g, hv) => SecondOrderModels.LlsqHessianVectorProduct(p, Xs, Ys, v, g, hv),
            (p, g, h) => SecondOrderModels.LlsqHessian(p, Xs, Ys, g, h), w);

        // Exact: H = (2/n) [Σx², Σx; Σx, n], independent of w.
        double[] h = new double[4], g = new double[2];
        SecondOrderModels.LlsqHessian(w, Xs, Ys, g, h);
        double n = Xs.Length, sxx = Xs.Sum(x => x * x), sx = Xs.Sum();
        Oracle.AssertClose(new[] { 2 * sxx / n, 2 * sx / n, 2 * sx / n, 2.0 }, h, 1e-14, 1e-14);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    public void Recurrence_with_run_time_trip_count(int steps)
    {
        double[] p = { 0.8, -0.3, 0.9 };
        Check(q => SecondOrderModels.Recurrence(q, steps), (q, v, g, hv) => SecondOrderModels.RecurrenceHessianVectorProduct(q, steps, v, g, hv),
            (q, g, h) => SecondOrderModels.RecurrenceHessian(q, steps, g, h), p);
    }

    [Theory]
    [InlineData(0.7, new[] { 0.5, -0.3, 0.7, 3.0, -0.1 })]
    [InlineData(0.2, new[] { -0.5, -0.3, 0.1 })]
    public void Branches_in_and_after_a_loop(double scale, double[] a)
    {
        double[] p = new[] { scale }.Concat(a).ToArray();
        Check(q => SecondOrderModels.Branchy(q[0], q.AsSpan(1)), (q, v, g, hv) => SecondOrderModels.BranchyHessianVectorProduct(q[0], q.AsSpan(1), v, g, hv),
            (q, g, h) => SecondOrderModels.BranchyHessian(q[0], q.AsSpan(1), g, h), p);
    }

    [Fact]
    public void Mlp_with_a_local_buffer_overwritten_per_sample()
    {
        const int hidden = 3;
        double[] w = Enumerable.Range(0, (3 * hidden) + 1).Select(i => 0.6 * Math.Sin(i + 1.0)).ToArray();
        Check(p => SecondOrderModels.Mlp(p, Xs, hidden), (p, v, g, hv) => SecondOrderModels.MlpHessianVectorProduct(p, Xs, hidden, v, g, hv),
            (p, g, h) => SecondOrderModels.MlpHessian(p, Xs, hidden, g, h), w);
    }

    [Fact]
    public void Softmax_cross_entropy_with_int_labels()
    {
        double[] features = { 0.2, 1.0, -0.7, 0.4, 1.5, -0.2, 0.0, 0.9 };
        int[] labels = { 0, 2, 1, 2 };
        double[] w = Enumerable.Range(0, 3 * 3).Select(i => 0.4 * Math.Cos(i + 0.5)).ToArray();
        Check(p => SecondOrderModels.Softmax(p, features, labels, 3), (p, v, g, hv) => SecondOrderModels.SoftmaxHessianVectorProduct(p, features, labels, 3, v, g, hv),
            (p, g, h) => SecondOrderModels.SoftmaxHessian(p, features, labels, 3, g, h), w);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Tape_order_of_a_local_and_an_overwritten_element(int n)
    {
        double[] w = { 0.7, 0.3 };
        Check(p => SecondOrderModels.StoreAfterLocal(p, n), (p, v, g, hv) => SecondOrderModels.StoreAfterLocalHessianVectorProduct(p, n, v, g, hv),
            (p, g, h) => SecondOrderModels.StoreAfterLocalHessian(p, n, g, h), w);
    }

    [Fact]
    public void Stackalloc_buffers_adjoints_and_tangents_allocate_nothing()
    {
        double[] w = Enumerable.Range(0, 13).Select(i => 0.5 * Math.Sin(i + 1.0)).ToArray();
        Check(p => SecondOrderModels.StackMlp(p, Xs), (p, v, g, hv) => SecondOrderModels.StackMlpHessianVectorProduct(p, Xs, v, g, hv),
            (p, g, h) => SecondOrderModels.StackMlpHessian(p, Xs, g, h), w);

        double[] gradient = new double[13], product = new double[13], direction = new double[13];
        direction[3] = 1;
        for (int warm = 0; warm < 3; warm++)
        {
            SecondOrderModels.StackMlpGradient(w, Xs, gradient);
            SecondOrderModels.StackMlpHessianVectorProduct(w, Xs, direction, gradient, product);
        }

        Assert.Equal(0, AllocationProbe.LeastBytes(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                SecondOrderModels.StackMlpGradient(w, Xs, gradient);
                SecondOrderModels.StackMlpHessianVectorProduct(w, Xs, direction, gradient, product);
            }
        }));
    }

    [Fact]
    public void Short_spans_are_rejected_with_the_layout_in_the_message()
    {
        double[] v = new double[3], g = new double[3], hv = new double[2];
        var e = Assert.Throws<ArgumentException>(() => SecondOrderModels.BranchyHessianVectorProduct(1.0, new double[] { 1, 2 }, v, g, hv));
        Assert.Contains("product", e.Message, StringComparison.Ordinal);
        Assert.Contains("scale, a[0..a.Length]", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SecondOrderModels.BranchyHessian(1.0, new double[] { 1, 2 }, new double[3], new double[8]));
    }

    [Fact]
    public void Objective_slices_the_flat_vector_in_the_gradient_layout()
    {
        var objective = new SecondOrderModels.BranchyObjective(aLength: 3);
        Assert.Equal(4, objective.ParameterCount);
        Assert.Equal(new[] { "scale", "a[0]", "a[1]", "a[2]" }, Enumerable.Range(0, 4).Select(objective.GetParameterName));
        double[] p = { 0.7, 0.5, -0.3, 0.7 };
        double[] g = new double[4], expected = new double[4], h = new double[16];
        double value = objective.ValueAndGradient(default, p, g);
        double direct = SecondOrderModels.BranchyGradient(0.7, p.AsSpan(1), expected);
        Assert.Equal(direct, value);
        Assert.Equal(expected, g);
        Assert.Equal(direct, objective.Value(default, p));
        Assert.Equal(direct, objective.ValueGradientAndHessian(default, p, new double[4], h));
        Assert.Throws<ArgumentException>(() => { objective.Value(default, new double[5]); });
    }

    [Fact]
    public void Objective_with_data_arrays_trains_an_array_model()
    {
        // Least squares through the runtime: the data set is one sample holding the spans as memory.
        var objective = new SecondOrderModels.LlsqObjective(wLength: 2);
        var sample = new SecondOrderModels.LlsqSample(Xs, Ys);
        double[] w = { 0.0, 0.0 };
        MinimizationResult result = Newton.Minimize(objective, new[] { sample }, w);
        Assert.True(result.Converged, result.ToString());

        // The normal equations, solved by hand.
        double n = Xs.Length, sx = Xs.Sum(), sy = Ys.Sum(), sxx = Xs.Sum(x => x * x), sxy = Xs.Zip(Ys, (x, y) => x * y).Sum();
        double slope = ((n * sxy) - (sx * sy)) / ((n * sxx) - (sx * sx));
        double intercept = (sy - (slope * sx)) / n;
        Oracle.AssertClose(new[] { slope, intercept }, w, 1e-10, 1e-10);
    }
}
