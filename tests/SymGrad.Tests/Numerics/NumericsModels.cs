using SymGrad.Tests.Infrastructure;

namespace SymGrad.Tests.Numerics;

/// <summary>The [Differentiable] methods of the numerics tests, written the way users write them; compiled once.</summary>
public static class NumericsModels
{
    public const string Type = "Num";

    public const string Source = """
        using System;
        using SymGrad;

        public static partial class Num
        {
            // ---- seed 002: C = (σ(w·a) − y)², a = 62.5, w = 0.8, y = 0 puts z = 50 deep in saturation
            [Differentiable]
            public static double Neuron(double a, double y, [Wrt] double w)
            {
                double z = w * a;
                double s = SymMath.Sigmoid(z);
                return (s - y) * (s - y);
            }

            [Differentiable]
            public static double NeuronHandWritten(double a, double y, [Wrt] double w)
            {
                double z = w * a;
                double s = 1 / (1 + Math.Exp(-z));
                return (s - y) * (s - y);
            }

            // ---- seed 002, the two-layer network: C = (y − σ(w3·σ(w2·x + b2) + b3))²
            [Differentiable]
            public static double Net(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
            {
                double a2 = SymMath.Sigmoid(w2 * x + b2);
                double a3 = SymMath.Sigmoid(w3 * a2 + b3);
                return (y - a3) * (y - a3);
            }

            // ---- binary cross-entropy on a sigmoid, with SymMath.Sigmoid and with a hand-written sigmoid
            [Differentiable]
            public static double Bce([Wrt] double z, double y)
                => -(y * Math.Log(SymMath.Sigmoid(z)) + (1 - y) * Math.Log(1 - SymMath.Sigmoid(z)));

            [Differentiable]
            public static double BceHandWritten([Wrt] double z, double y)
                => -(y * Math.Log(1 / (1 + Math.Exp(-z))) + (1 - y) * Math.Log(1 - 1 / (1 + Math.Exp(-z))));

            // ---- activations, SymMath and hand-written
            [Differentiable] public static double Sigmoid(double z) => SymMath.Sigmoid(z);
            [Differentiable] public static double SigmoidHandWritten(double z) => 1 / (1 + Math.Exp(-z));
            [Differentiable] public static double Softplus(double z) => SymMath.Softplus(z);
            [Differentiable] public static double SoftplusHandWritten(double z) => Math.Log(1 + Math.Exp(z));
            [Differentiable] public static double LogSigmoid(double z) => SymMath.LogSigmoid(z);
            [Differentiable] public static double LogOfSigmoid(double z) => Math.Log(SymMath.Sigmoid(z));
            [Differentiable] public static double Tanh(double x) => Math.Tanh(x);
            [Differentiable] public static double OneMinusTanhSquared(double x) => 1 - Math.Tanh(x) * Math.Tanh(x);

            // ---- cancellation-prone textbook forms
            [Differentiable] public static double LogOnePlus(double x) => Math.Log(1 + x);
            [Differentiable] public static double ExpMinusOne(double x) => Math.Exp(x) - 1;
            [Differentiable] public static double LogSumExp(double a, double b) => Math.Log(Math.Exp(a) + Math.Exp(b));

            // ---- a rational function (checked in System.Decimal arithmetic)
            [Differentiable] public static double Rational(double x, double y) => (Math.Pow(x, 3) - y) / (x + y * y);

            // ---- edge cases with defined results
            [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
            [Differentiable] public static double PowHalf(double x) => Math.Pow(x, 0.5);
            [Differentiable] public static double PowTwoAndAHalf(double x) => Math.Pow(x, 2.5);
            [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
            [Differentiable] public static double Log(double x) => Math.Log(x);
            [Differentiable] public static double Divide(double x, double y) => x / y;
            [Differentiable] public static double Abs(double x) => Math.Abs(x);
            [Differentiable] public static double Max(double a, double b) => Math.Max(a, b);
            [Differentiable] public static double Min(double a, double b) => Math.Min(a, b);
            [Differentiable] public static double Relu(double x) => SymMath.Relu(x);
            [Differentiable] public static double Clamp(double x) => Math.Clamp(x, -1.0, 1.0);
            [Differentiable] public static double MaskedSqrt(double x) => x > 0 ? Math.Sqrt(x) : 0.0;
            [Differentiable] public static double SafeSqrt(double x) => Math.Sqrt(Math.Max(x, 0.0));
            [Differentiable] public static double Sinc(double x) => x == 0 ? 1 : Math.Sin(x) / x;
            [Differentiable] public static double IsNaNGuard(double x) => x != x ? 0.0 : x * x;
            [Differentiable] public static double IntDivision(double x) => x * (Math.Sign(x) / 2);
            [Differentiable] public static double SignInBranchNotTaken(double b) => b == 1.0 ? Math.Sign(SymMath.Logit(b)) : b;

            [Differentiable]
            public static double ClampInBranchNotTaken(double x, double v)
            {
                if (x > 0)
                {
                    double u = Math.Clamp(v, x, 2 * x);
                    return u * u;
                }

                return v;
            }

            [Differentiable]
            public static double InfinityInReturnNotTaken(double t)
            {
                if (1.0 > t)
                {
                    return 1.0;
                }

                t /= 0.0;
                if (t > 2)
                {
                }
                else
                {
                    double z = 1.0;
                    if (z >= t)
                    {
                        t = z;
                    }
                }

                return t;
            }
        }
        """;

    /// <summary>The compiled models (generated, compiled and loaded once per test run).</summary>
    public static Compiled Compiled => GeneratorHarness.Compile(Source);
}
