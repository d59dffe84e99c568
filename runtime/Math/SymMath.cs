using System;

// This file is also compiled into the generator (linked by generator/SymGrad.Generator.csproj, which defines
// SYMGRAD_GENERATOR), so that constant folding computes exactly what the generated code calls at run time. There it is
// an internal class in the generator's own namespace; keep it to netstandard2.0 APIs and free of other runtime types.
#if SYMGRAD_GENERATOR
namespace SymGrad.Generator.Functions;
#else
namespace SymGrad;
#endif

/// <summary>
/// Activation and helper functions the generator knows how to differentiate. Each function is
/// implemented so that it is accurate over the whole double range (no overflow to NaN, no
/// cancellation where the textbook formula has it); each has a derivative rule in the generator.
/// </summary>
#if SYMGRAD_GENERATOR
internal
#else
public
#endif
static class SymMath
{
    /// <summary>Logistic sigmoid σ(x) = 1 / (1 + e^(−x)), evaluated without overflow for any x.</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-x));
        }

        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>
    /// σ′(x) = σ(x)·σ(−x) = e^(−|x|) / (1 + e^(−|x|))², from one exponential. Unlike the textbook
    /// σ(x)(1 − σ(x)), it does not round to 0 when σ(x) rounds to 1 (e.g. x = 50 gives 1.93e−22, not 0).
    /// </summary>
    public static double SigmoidDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double d = 1.0 + e;
        return e / (d * d);
    }

    /// <summary>
    /// σ(x) and σ′(x) from one exponential (generated gradients call this when they need both). The value
    /// is bit-identical to <see cref="Sigmoid(double)"/>; the derivative is accurate at saturation like
    /// <see cref="SigmoidDerivative"/>.
    /// </summary>
    public static double Sigmoid(double x, out double derivative)
    {
        if (x >= 0)
        {
            double e = Math.Exp(-x);
            double s = 1.0 / (1.0 + e);
            derivative = e * s * s;
            return s;
        }
        else
        {
            double e = Math.Exp(x);
            double r = 1.0 / (1.0 + e);
            derivative = e * r * r;
            return e / (1.0 + e);
        }
    }

    /// <summary>Softplus log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)); derivative σ(x).</summary>
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>log σ(x) = −softplus(−x), finite for every finite x; derivative σ(−x).</summary>
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>Rectified linear unit max(x, 0); derivative 1 for x &gt; 0 and 0 otherwise (subgradient 0 at 0).</summary>
    public static double Relu(double x) => x > 0 ? x : 0.0;

    /// <summary>Leaky ReLU: x for x &gt; 0, slope·x otherwise.</summary>
    public static double LeakyRelu(double x, double slope) => x > 0 ? x : slope * x;

    /// <summary>Hyperbolic tangent; derivative <see cref="TanhDerivative"/>.</summary>
    public static double Tanh(double x) => Math.Tanh(x);

    /// <summary>
    /// tanh(x) and tanh′(x) together (generated gradients call this when they need both). The value is
    /// <see cref="Math.Tanh"/>'s; the derivative is (1 − t)(1 + t) while |t| &lt; 0.9 (no cancellation there)
    /// and <see cref="TanhDerivative"/> beyond, so it stays accurate where tanh rounds to ±1.
    /// </summary>
    public static double Tanh(double x, out double derivative)
    {
        double t = Math.Tanh(x);
        derivative = Math.Abs(t) < 0.9 ? (1.0 - t) * (1.0 + t) : TanhDerivative(x);
        return t;
    }

    /// <summary>
    /// tanh′(x) = sech²(x) = 4e^(−2|x|) / (1 + e^(−2|x|))². Unlike 1 − tanh²(x), it does not round to 0
    /// once tanh(x) rounds to ±1 (|x| ≳ 19).
    /// </summary>
    public static double TanhDerivative(double x)
    {
        double e = Math.Exp(-2.0 * Math.Abs(x));
        double d = 1.0 + e;
        return 4.0 * e / (d * d);
    }

    /// <summary>x².</summary>
    public static double Square(double x) => x * x;

    /// <summary>SiLU / swish: x·σ(x).</summary>
    public static double Silu(double x) => x * Sigmoid(x);

    /// <summary>Softsign x / (1 + |x|).</summary>
    public static double Softsign(double x) => x / (1.0 + Math.Abs(x));

    /// <summary>
    /// log(1 + x), accurate for small |x| (the naive form loses all digits below 1e−16).
    /// Uses the classic correction log(u)·x/(u − 1) with u = 1 + x.
    /// </summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        if (double.IsPositiveInfinity(u))
        {
            return u;
        }

        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>e^x − 1, accurate for small |x| (Kahan's correction).</summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1.0;
        }

        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0)
        {
            return -1.0;
        }

        return um1 * x / Math.Log(u);
    }

    /// <summary>log(e^a + e^b), shifted by the maximum so it never overflows.</summary>
    public static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        double m = Math.Max(a, b);
        return m + Log1p(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>logit(p) = log(p / (1 − p)), the inverse of <see cref="Sigmoid(double)"/>.</summary>
    public static double Logit(double p) => Math.Log(p) - Log1p(-p);

    /// <summary>√(a² + b²) without intermediate overflow or underflow.</summary>
    public static double Hypot(double a, double b)
    {
        double x = Math.Abs(a);
        double y = Math.Abs(b);
        double m = Math.Max(x, y);
        if (m == 0.0 || double.IsInfinity(m))
        {
            return m;
        }

        double r = Math.Min(x, y) / m;
        return m * Math.Sqrt(1.0 + r * r);
    }
}
