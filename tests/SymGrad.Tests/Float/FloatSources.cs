using System.Text.RegularExpressions;

namespace SymGrad.Tests.Float;

/// <summary>
/// The float models the float tests compile, and (<see cref="AsDouble"/>) the same text in double, which the oracle
/// differentiates by Richardson finite differences: the float gradient is checked against the double function, never
/// against the generator's own double code.
/// </summary>
internal static partial class FloatSources
{
    /// <summary>Float methods: straight-line code, ?:, if/else, a helper, a compile-time loop, MathF and SymMathF.</summary>
    public const string Models = """
        using System;
        using SymGrad;

        namespace FloatModels;

        public static partial class Net
        {
            private static readonly float Scale = 0.75f;

            /// <summary>Logistic regression loss of one sample: log σ(z) and log σ(−z) are rewritten without overflow.</summary>
            [Differentiable]
            public static float LogLoss([Wrt] float w, [Wrt] float b, float x, float y)
            {
                float z = w * x + b;
                float p = SymMathF.Sigmoid(z);
                return -(y * MathF.Log(p) + (1 - y) * MathF.Log(1 - p));
            }

            /// <summary>A two-unit tanh layer with a softplus output.</summary>
            [Differentiable]
            public static float Layer(float w1, float w2, float v1, float v2, float c)
            {
                float h1 = MathF.Tanh(w1 * 0.5f - w2);
                float h2 = SymMathF.Sigmoid(w2 * 1.5f + 0.1f);
                float o = v1 * h1 + v2 * h2 + c;
                return SymMathF.Softplus(o) + 0.01f * (w1 * w1 + w2 * w2);
            }

            /// <summary>Elementary functions, ?:, if/else and a local function.</summary>
            [Differentiable]
            public static float Mixed(float x, float y)
            {
                float r = MathF.Sqrt(x * x + y * y + 1);
                float s = MathF.Sin(x) * MathF.Cos(y) + MathF.Atan2(y, x + 3);
                float t = x > 0 ? MathF.Exp(-x) : MathF.Log(1 + x * x);
                if (y < 1)
                {
                    t += MathF.Pow(r, 1.5f);
                }
                else
                {
                    t -= SymMathF.Square(y) * Scale;
                }

                return Twice(s) + t / r + MathF.Cbrt(x + 5);

                static float Twice(float v) => 2 * v;
            }

            /// <summary>The stable activations' float overloads.</summary>
            [Differentiable]
            public static float Activations(float a, float b)
            {
                float sum = 0;
                for (int i = 1; i <= 3; i++)
                {
                    sum += SymMathF.Silu(a * i) - SymMathF.Softsign(b / i);
                }

                return sum + SymMathF.LogSigmoid(a - b) + SymMathF.LogSumExp(a, b) + SymMathF.Log1p(a * a) + SymMathF.Expm1(b * 0.25f)
                    + SymMathF.Logit(SymMathF.Sigmoid(b)) + SymMathF.Hypot(a, b) + SymMathF.Relu(a) + SymMathF.LeakyRelu(b, 0.1f)
                    + MathF.Abs(a - 0.5f) + MathF.Max(a, b) + Math.Clamp(b, -1f, 1f);
            }

            /// <summary>Second order: the Rosenbrock function plus a smooth sigmoid term.</summary>
            [Differentiable(Hessian = true)]
            public static float Rosen(float x, float y) => (1 - x) * (1 - x) + 100 * SymMathF.Square(y - x * x) + SymMathF.Sigmoid(x * y);

            /// <summary>H·v of Rosen through arrays (reflection cannot pass spans).</summary>
            public static float CallRosenHvp(float[] p, float[] v, float[] g, float[] hv) => RosenHessianVectorProduct(p[0], p[1], v, g, hv);

            // Saturation: derivatives that are tiny but normal floats.
            [Differentiable]
            public static float Sig(float z) => SymMathF.Sigmoid(z);

            [Differentiable]
            public static float Th(float x) => MathF.Tanh(x);

            [Differentiable]
            public static float Sp(float z) => SymMathF.Softplus(z);

            [Differentiable]
            public static float LogSig(float z) => SymMathF.LogSigmoid(z);
        }
        """;

    /// <summary>
    /// <paramref name="floatSource"/> with every float made double: <c>float</c> → <c>double</c>, <c>MathF.</c> →
    /// <c>Math.</c>, f-suffixed literals without their suffix.
    /// </summary>
    public static string AsDouble(string floatSource)
    {
        string s = floatSource.Replace("float", "double", System.StringComparison.Ordinal).Replace("MathF.", "Math.", System.StringComparison.Ordinal);
        return FloatLiteral().Replace(s, "$1");
    }

    [GeneratedRegex(@"\b(\d+(?:\.\d+)?)f\b")]
    private static partial Regex FloatLiteral();
}
