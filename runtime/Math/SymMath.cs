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
/// Their <c>float</c> versions are in <c>SymMathF</c> (runtime only), as MathF's are of Math.
/// </summary>
#if SYMGRAD_GENERATOR
internal
#else
public
#endif
static class SymMath
{
    // Branch-free: the functions below that would branch on their argument (the sign of x for σ, u = 1 for log1p, …)
    // compute every candidate and pick one with an integer mask on the bits (Blend), so there is no jump to mispredict
    // on random data. A ?: on doubles is not enough: the JIT keeps it a jump, and it moves a candidate used only there
    // into its arm, so even a ?: on the candidates' bits became a jump for σ(x). The formulas are given exactly in
    // each doc comment, so that a vectorised version can reproduce the same bits.

    /// <summary>
    /// Logistic sigmoid σ(x) = 1 / (1 + e^(−x)), evaluated without overflow for any x and without a branch: with
    /// e = exp(−|x|) and r = 1/(1 + e), σ(x) = r for x ≥ 0 and e·r for x &lt; 0 (picked by the sign bit: −0 takes e·r,
    /// which is r there since e = 1). The same bits as <see cref="Sigmoid(double, out double)"/>'s value.
    /// σ(NaN) = NaN, σ(+∞) = 1, σ(−∞) = 0.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double r = 1.0 / (1.0 + e);
        return NegativeFactor(x, e) * r;
    }

    /// <summary>
    /// σ′(x) = σ(x)·σ(−x) = e·r·r with e = exp(−|x|), r = 1/(1 + e) (evaluated as (e·r)·r), from one exponential and
    /// without a branch: the same bits as the derivative of <see cref="Sigmoid(double, out double)"/>. Unlike the
    /// textbook σ(x)(1 − σ(x)), it does not round to 0 when σ(x) rounds to 1 (e.g. x = 50 gives 1.93e−22, not 0).
    /// σ′ is even: σ′(−x) has the same bits as σ′(x).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double SigmoidDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double r = 1.0 / (1.0 + e);
        return e * r * r;
    }

    /// <summary>
    /// σ(x) and σ′(x) from one exponential and no branch (generated gradients call this when they need both):
    /// e = exp(−|x|), r = 1/(1 + e), σ = r for x ≥ 0 and e·r for x &lt; 0, σ′ = (e·r)·r. The value has the same bits
    /// as <see cref="Sigmoid(double)"/> and the derivative the same bits as <see cref="SigmoidDerivative"/>, accurate
    /// at saturation (σ′(50) = 1.93e−22 where σ(1 − σ) is 0).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x, out double derivative)
    {
        double e = Math.Exp(-Math.Abs(x));
        double r = 1.0 / (1.0 + e);
        derivative = e * r * r;
        return NegativeFactor(x, e) * r;
    }

    /// <summary>
    /// Softplus log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)) (log1p as <see cref="Log1p"/>; max(x, 0) is 0 where the
    /// sign bit of x is set, else x), one exponential and no branch; derivative σ(x).
    /// </summary>
    public static double Softplus(double x) => Blend(SignMask(x), 0.0, x) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>log σ(x) = −softplus(−x), finite for every finite x, no branch; derivative σ(−x).</summary>
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>Rectified linear unit max(x, 0); derivative 1 for x &gt; 0 and 0 otherwise (subgradient 0 at 0).</summary>
    public static double Relu(double x) => x > 0 ? x : 0.0;

    /// <summary>Leaky ReLU: x for x &gt; 0, slope·x otherwise.</summary>
    public static double LeakyRelu(double x, double slope) => x > 0 ? x : slope * x;

    /// <summary>
    /// Hyperbolic tangent from one exponential and no branch, within 2 ulps of the exact value (1.31 at worst in a
    /// 300,000-point sweep; Math.Tanh, the C library's, 2.09): with a = |x|, e = exp(−2a), r = 1/(1 + e) and s = a·a,
    /// |tanh x| = a + ((a·s)·P(s))/Q(s) for a &lt; 0.625 (Cephes' rational approximation, whose own error is far below a
    /// double's rounding there) and 1 − 2·(e·r) for a ≥ 0.625 (no cancellation: 2e·r ≤ 0.45), with the sign bit of x
    /// (tanh(−0) = −0). The same bits as <see cref="Tanh(double, out double)"/>'s value; derivative
    /// <see cref="TanhDerivative"/>. tanh(NaN) = NaN, tanh(±∞) = ±1.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x)
    {
        double a = Math.Abs(x);
        double e = Math.Exp(-2.0 * a);
        double r = 1.0 / (1.0 + e);
        return TanhOf(x, a, e * r);
    }

    /// <summary>
    /// tanh(x) and tanh′(x) from one exponential and no branch (generated gradients call this when they need both):
    /// the value has the same bits as <see cref="Tanh(double)"/>, the derivative the same bits as
    /// <see cref="TanhDerivative"/>, 4·((e·r)·r) with e = exp(−2|x|), r = 1/(1 + e), which stays accurate (and
    /// nonzero until it underflows) where tanh rounds to ±1 and 1 − tanh² is 0.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x, out double derivative)
    {
        double a = Math.Abs(x);
        double e = Math.Exp(-2.0 * a);
        double r = 1.0 / (1.0 + e);
        double er = e * r;
        derivative = 4.0 * (er * r);
        return TanhOf(x, a, er);
    }

    /// <summary>
    /// tanh′(x) = sech²(x) = 4σ′(2x) = 4·((e·r)·r) with e = exp(−2|x|), r = 1/(1 + e): the same bits as four times
    /// <see cref="SigmoidDerivative"/>(2x), no branch, accurate for every x. Unlike 1 − tanh²(x), it does not round to
    /// 0 once tanh(x) rounds to ±1 (|x| ≳ 19). tanh′ is even: tanh′(−x) has the same bits as tanh′(x).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double TanhDerivative(double x)
    {
        double e = Math.Exp(-2.0 * Math.Abs(x));
        double r = 1.0 / (1.0 + e);
        return 4.0 * (e * r * r);
    }

    /// <summary>x².</summary>
    public static double Square(double x) => x * x;

    /// <summary>SiLU / swish: x·σ(x) (σ as <see cref="Sigmoid(double)"/>: no branch).</summary>
    public static double Silu(double x) => x * Sigmoid(x);

    /// <summary>Softsign x / (1 + |x|).</summary>
    public static double Softsign(double x) => x / (1.0 + Math.Abs(x));

    /// <summary>
    /// log(1 + x), accurate for small |x| (the naive form loses all digits below 1e−16). Uses the classic correction
    /// log(u)·x/(u − 1) with u = 1 + x, and x itself where u rounds to 1 and u where it is +∞, picked without a branch.
    /// </summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        double corrected = Math.Log(u) * x / (u - 1.0);
        return Blend(EqualMask(u, 1.0), x, Blend(EqualMask(u, double.PositiveInfinity), u, corrected));
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

    /// <summary>
    /// log(e^a + e^b) = max(a, b) + log1p(e^(−|a − b|)), shifted by the maximum so it never overflows (max(a, b) is b
    /// where the sign bit of a − b is set, else a); b when a = −∞ and a when b = −∞ (where a − b is not a number). One
    /// exponential, no branch (every case computed, then selected).
    /// </summary>
    public static double LogSumExp(double a, double b)
    {
        double d = a - b;
        double shifted = Blend(SignMask(d), b, a) + Log1p(Math.Exp(-Math.Abs(d)));
        return Blend(EqualMask(a, double.NegativeInfinity), b, Blend(EqualMask(b, double.NegativeInfinity), a, shifted));
    }

    /// <summary>
    /// C#'s <c>a % b</c> (the remainder of truncated division, with a's sign): what generated code calls for
    /// <c>%</c> on doubles; ∂/∂a = 1 and ∂/∂b = −trunc(a/b) away from the jumps where a/b is an integer.
    /// </summary>
    public static double Remainder(double a, double b) => a % b;

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

    // Cephes' tanh (S. L. Moshier, cephes/ieee/tanh.c): tanh x = x + x·s·P(s)/Q(s), s = x², for |x| < 0.625.
    internal const double TanhP0 = -9.64399179425052238628E-1;
    internal const double TanhP1 = -9.92877231001918586564E1;
    internal const double TanhP2 = -1.61468768441708447952E3;
    internal const double TanhQ0 = 1.12811678491632931402E2;
    internal const double TanhQ1 = 2.23548839060100448583E3;
    internal const double TanhQ2 = 4.84406305325125486048E3;

    /// <summary>
    /// tanh x from a = |x| and e·r = e/(1 + e) with e = exp(−2a): the rational form below 0.625, 1 − 2·(e·r) from
    /// there, picked by the sign of a − 0.625 (a NaN, whose sign Math.Abs has cleared, takes the second, which is NaN
    /// too), then given the sign bit of x.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static double TanhOf(double x, double a, double er)
    {
        double s = a * a;
        double p = (((TanhP0 * s) + TanhP1) * s) + TanhP2;
        double q = (((s + TanhQ0) * s) + TanhQ1) * s + TanhQ2;
        double small = a + (a * s * p / q);
        double large = 1.0 - (2.0 * er);
        double magnitude = Blend(SignMask(a - 0.625), small, large);
        return Blend(SignMask(x), -magnitude, magnitude);
    }

    /// <summary>
    /// e where the sign bit of <paramref name="x"/> is set, else 1: σ(x) = NegativeFactor(x, e)·r is e·r for x &lt; 0 and
    /// 1·r = r (the same bits) for x ≥ 0, and picking the factor while 1/(1 + e) is being divided keeps the selection
    /// off the critical path (a chain of sigmoids waits for each σ). −0 takes e = 1, so the product is r there too.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static double NegativeFactor(double x, double e) => Blend(SignMask(x), e, 1.0);

    /// <summary>All ones when the sign bit of <paramref name="x"/> is set (x &lt; 0, x = −0, or a NaN with its sign set), else 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static long SignMask(double x) => BitConverter.DoubleToInt64Bits(x) >> 63;

    /// <summary>All ones when <paramref name="x"/> has the bits of <paramref name="value"/> (for 1 and ±∞: x == value), else 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static long EqualMask(double x, double value)
    {
        long difference = BitConverter.DoubleToInt64Bits(x) ^ BitConverter.DoubleToInt64Bits(value);
        return ~((difference | -difference) >> 63);
    }

    /// <summary>The bits of <paramref name="whenSet"/> where <paramref name="mask"/> is all ones, of <paramref name="whenClear"/> where it is 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static double Blend(long mask, double whenSet, double whenClear) =>
        BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(whenSet) & mask) | (BitConverter.DoubleToInt64Bits(whenClear) & ~mask));
}
