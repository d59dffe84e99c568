using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Float;

/// <summary>
/// Float methods in program mode (run-time loops, branches, float arrays and spans, int/long/bool data, local float
/// buffers, the tape): the gradient and H·v within 1e-5 of the double ones relative to their size, the double ones
/// being Richardson finite differences of the same text compiled in double. Each model has plain wrappers over arrays
/// (reflection cannot pass spans): <c>V_M(p)</c> is the value at the flat point p, <c>G_M(p, g)</c> its generated
/// gradient, <c>H_M(p, v, g, hv)</c> its generated H·v.
/// </summary>
public sealed class FloatProgramTests
{
    private const double RelativeToSize = 1e-5;

    public const string Source = """
        using System;
        using SymGrad;

        namespace FloatPrograms;

        public static partial class P
        {
            /// <summary>A neuron over a span: softplus(w·x + b), x data.</summary>
            [Differentiable]
            public static float Neuron([Wrt] ReadOnlySpan<float> w, ReadOnlySpan<float> x, [Wrt] float b)
            {
                float s = b;
                for (int i = 0; i < w.Length; i++)
                {
                    s += w[i] * x[i];
                }

                return SymMathF.Softplus(s);
            }

            public static float V_Neuron(float[] p) => Neuron(p.AsSpan(0, 3), X3, p[3]);

            public static float G_Neuron(float[] p, float[] g) => NeuronGradient(p.AsSpan(0, 3), X3, p[3], g);

            private static readonly float[] X3 = { 0.5f, -1.25f, 2f };

            /// <summary>A loop with a run-time trip count, a branch inside it, int and bool data.</summary>
            [Differentiable]
            public static float Halving(float x, float y, int rounds, bool square)
            {
                float s = x;
                int k = 0;
                while (s > 1 && k < rounds)
                {
                    if (s > 4)
                    {
                        s = s / 2 + MathF.Sin(y);
                    }
                    else
                    {
                        s = s * 0.75f + y * y;
                    }

                    k++;
                }

                return square ? s * s : MathF.Exp(-s) * y;
            }

            public static float V_Halving(float[] p) => Halving(p[0], p[1], 6, true);

            public static float G_Halving(float[] p, float[] g) => HalvingGradient(p[0], p[1], 6, true, g);

            /// <summary>A local float buffer written in one loop and read in another (the tape saves what is overwritten).</summary>
            [Differentiable(Hessian = true)]
            public static float Layer(float[] w, long hidden)
            {
                float[] h = new float[w.Length];
                for (int i = 0; i < w.Length; i++)
                {
                    h[i] = MathF.Tanh(w[i] * 0.5f + 0.25f);
                }

                float sum = 0;
                for (int i = 0; i < hidden; i++)
                {
                    h[i] = h[i] * h[i] + SymMathF.Sigmoid(w[i]);
                    sum += h[i] * w[w.Length - 1 - i];
                }

                return sum;
            }

            public static float V_Layer(float[] p) => Layer(p, 3);

            public static float G_Layer(float[] p, float[] g) => LayerGradient(p, 3, g);

            public static float H_Layer(float[] p, float[] v, float[] g, float[] hv) => LayerHessianVectorProduct(p, 3, v, g, hv);

            public static float Hessian_Layer(float[] p, float[] g, float[] h) => LayerHessian(p, 3, g, h);

            /// <summary>A branchy scalar method: program mode keeps the if/else real.</summary>
            [Differentiable(Hessian = true)]
            public static float Branchy(float x, float y)
            {
                if (x > y)
                {
                    return MathF.Exp(x - y) * y;
                }

                float t = MathF.Log(1 + x * x);
                return t * y + SymMathF.Square(x - y);
            }

            public static float V_Branchy(float[] p) => Branchy(p[0], p[1]);

            public static float G_Branchy(float[] p, float[] g) => BranchyGradient(p[0], p[1], g);

            public static float H_Branchy(float[] p, float[] v, float[] g, float[] hv) => BranchyHessianVectorProduct(p[0], p[1], v, g, hv);
        }
        """;

    private static Compiled Float => GeneratorHarness.Compile(Source);

    private static Compiled Double => GeneratorHarness.Compile(FloatSources.AsDouble(Source));

    public static TheoryData<string, double[]> Points => new()
    {
        { "Neuron", new[] { 0.5, -0.25, 0.75, 0.125 } },
        { "Neuron", new[] { -1.5, 2.0, 0.25, -0.5 } },
        { "Halving", new[] { 9.0, 0.75 } },
        { "Halving", new[] { 3.5, -0.5 } },
        { "Halving", new[] { 0.5, 1.25 } },
        { "Layer", new[] { 0.5, -0.75, 1.25, 0.25, -1.0 } },
        { "Layer", new[] { -0.125, 0.375, 2.0, -1.5, 0.625 } },
        { "Branchy", new[] { 1.5, 0.5 } },
        { "Branchy", new[] { -0.75, 1.25 } },
    };

    [Fact]
    public void The_float_programs_compile_cleanly_and_get_no_batched_members_or_objective()
    {
        Float.Run.AssertCompilesCleanly();
        Double.Run.AssertCompilesCleanly();
        string text = Float.Run.AllGeneratedText();
        Assert.DoesNotContain("Batch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Objective", text, StringComparison.Ordinal);
        Assert.Contains("global::SymGrad.Tape", text, StringComparison.Ordinal); // the loops go through the tape
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Float_program_gradient_is_within_1e_5_of_the_double_gradient_relative_to_its_size(string method, double[] p)
    {
        Func<double[], double> f = x => Convert.ToDouble(Double.Invoke("P", "V_" + method, x.ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        double[] expected = Oracle.Gradient(f, p);
        float[] point = p.Select(x => (float)x).ToArray();
        float[] g = new float[p.Length];
        float value = (float)Float.Invoke("P", "G_" + method, point, g)!;
        AssertRelativeToSize(new[] { f(p) }, new double[] { value }, "value");
        AssertRelativeToSize(expected, g.Select(x => (double)x).ToArray(), "gradient");
    }

    [Theory]
    [InlineData("Layer", new[] { 0.5, -0.75, 1.25, 0.25, -1.0 })]
    [InlineData("Branchy", new[] { 1.5, 0.5 })]
    [InlineData("Branchy", new[] { -0.75, 1.25 })]
    public void Float_program_HVP_is_within_1e_5_of_the_double_one_relative_to_its_size(string method, double[] p)
    {
        Func<double[], double> f = x => Convert.ToDouble(Double.Invoke("P", "V_" + method, x.ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        double[] hessian = Oracle.Hessian(f, p);
        int n = p.Length;
        float[] v = Enumerable.Range(0, n).Select(i => (float)(0.5 - (0.25 * i))).ToArray();
        float[] g = new float[n], hv = new float[n];
        Float.Invoke("P", "H_" + method, p.Select(x => (float)x).ToArray(), v, g, hv);
        double[] expected = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => hessian[(i * n) + j] * v[j])).ToArray();
        AssertRelativeToSize(expected, hv.Select(x => (double)x).ToArray(), "H·v");
        AssertRelativeToSize(Oracle.Gradient(f, p), g.Select(x => (double)x).ToArray(), "gradient");
    }

    [Fact]
    public void Float_program_Hessian_is_within_1e_5_of_the_double_one_relative_to_its_size()
    {
        double[] p = { 0.5, -0.75, 1.25, 0.25, -1.0 };
        Func<double[], double> f = x => Convert.ToDouble(Double.Invoke("P", "V_Layer", x.ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        float[] g = new float[5], h = new float[25];
        Float.Invoke("P", "Hessian_Layer", p.Select(x => (float)x).ToArray(), g, h);
        AssertRelativeToSize(Oracle.Hessian(f, p), h.Select(x => (double)x).ToArray(), "Hessian");
    }

    private static void AssertRelativeToSize(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double size = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= RelativeToSize * size, $"{what}[{i}]: float {actual[i]:R}, double {expected[i]:R}, error {error:E3} > 1e-5 · {size:E3}");
        }
    }
}
