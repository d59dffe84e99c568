using System;
using System.Runtime.CompilerServices;

// Runtime only (the generator links SymMath.cs alone and never folds float calls), so MathF is available here.
namespace SymGrad;

/// <summary>
/// The <c>float</c> versions of the <see cref="SymMath"/> functions, as <see cref="MathF"/> is of <see cref="Math"/>:
/// the same names and formulas, computed in <c>float</c> with <see cref="MathF"/> and the same branch-free selections
/// on the bits. A <c>float</c> <c>[Differentiable]</c> method calls these, and so does its generated code. (A separate
/// class, not overloads in SymMath: there <c>SymMath.Sigmoid(1)</c> would bind to the float overload, and double code
/// with an integer argument would silently compute in float.) Saturated derivatives stay nonzero while the exact value
/// is a float: σ′(50) = 1.93e−22, σ′(80) = 1.8e−35, tanh′(40) = 7.2e−35.
/// </summary>
public static class SymMathF
{
    /// <summary>σ(x) in float: e = exp(−|x|), r = 1/(1 + e), σ = r for x ≥ 0 and e·r for x &lt; 0 (as <see cref="SymMath.Sigmoid(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        float r = 1.0f / (1.0f + e);
        return Blend(SignMask(x), e, 1.0f) * r;
    }

    /// <summary>σ′(x) = (e·r)·r in float, e = exp(−|x|), r = 1/(1 + e): nonzero at saturation (σ′(50) = 1.93e−22).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SigmoidDerivative(float x)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        float r = 1.0f / (1.0f + e);
        return e * r * r;
    }

    /// <summary>σ(x) and σ′(x) in float from one exponential: the same bits as <see cref="Sigmoid(float)"/> and <see cref="SigmoidDerivative(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x, out float derivative)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        float r = 1.0f / (1.0f + e);
        derivative = e * r * r;
        return Blend(SignMask(x), e, 1.0f) * r;
    }

    /// <summary>Softplus log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)) in float; derivative σ(x).</summary>
    public static float Softplus(float x) => Blend(SignMask(x), 0.0f, x) + Log1p(MathF.Exp(-MathF.Abs(x)));

    /// <summary>log σ(x) = −softplus(−x) in float; derivative σ(−x).</summary>
    public static float LogSigmoid(float x) => -Softplus(-x);

    /// <summary>max(x, 0) in float.</summary>
    public static float Relu(float x) => x > 0 ? x : 0.0f;

    /// <summary>Leaky ReLU in float: x for x &gt; 0, slope·x otherwise.</summary>
    public static float LeakyRelu(float x, float slope) => x > 0 ? x : slope * x;

    /// <summary>tanh(x) in float, the formula of <see cref="SymMath.Tanh(double)"/> (Cephes' rational form below 0.625, 1 − 2·e/(1 + e) above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float a = MathF.Abs(x);
        float e = MathF.Exp(-2.0f * a);
        float r = 1.0f / (1.0f + e);
        return TanhOf(x, a, e * r);
    }

    /// <summary>tanh(x) and tanh′(x) = 4·((e·r)·r) in float from one exponential (e = exp(−2|x|), r = 1/(1 + e)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x, out float derivative)
    {
        float a = MathF.Abs(x);
        float e = MathF.Exp(-2.0f * a);
        float r = 1.0f / (1.0f + e);
        float er = e * r;
        derivative = 4.0f * (er * r);
        return TanhOf(x, a, er);
    }

    /// <summary>tanh′(x) = 4·((e·r)·r) in float: nonzero where tanh rounds to ±1 (tanh′(20) = 1.7e−17).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TanhDerivative(float x)
    {
        float e = MathF.Exp(-2.0f * MathF.Abs(x));
        float r = 1.0f / (1.0f + e);
        return 4.0f * (e * r * r);
    }

    /// <summary>x² in float.</summary>
    public static float Square(float x) => x * x;

    /// <summary>SiLU x·σ(x) in float.</summary>
    public static float Silu(float x) => x * Sigmoid(x);

    /// <summary>Softsign x / (1 + |x|) in float.</summary>
    public static float Softsign(float x) => x / (1.0f + MathF.Abs(x));

    /// <summary>log(1 + x) in float, accurate for small |x| (log(u)·x/(u − 1) with u = 1 + x; x where u rounds to 1, u where it is +∞).</summary>
    public static float Log1p(float x)
    {
        float u = 1.0f + x;
        float corrected = MathF.Log(u) * x / (u - 1.0f);
        return Blend(EqualMask(u, 1.0f), x, Blend(EqualMask(u, float.PositiveInfinity), u, corrected));
    }

    /// <summary>e^x − 1 in float, accurate for small |x| (Kahan's correction).</summary>
    public static float Expm1(float x)
    {
        if (MathF.Abs(x) >= 0.5f)
        {
            return MathF.Exp(x) - 1.0f;
        }

        float u = MathF.Exp(x);
        if (u == 1.0f)
        {
            return x;
        }

        float um1 = u - 1.0f;
        if (um1 == -1.0f)
        {
            return -1.0f;
        }

        return um1 * x / MathF.Log(u);
    }

    /// <summary>log(e^a + e^b) = max(a, b) + log1p(e^(−|a − b|)) in float, never overflowing; b when a = −∞, a when b = −∞.</summary>
    public static float LogSumExp(float a, float b)
    {
        float d = a - b;
        float shifted = Blend(SignMask(d), b, a) + Log1p(MathF.Exp(-MathF.Abs(d)));
        return Blend(EqualMask(a, float.NegativeInfinity), b, Blend(EqualMask(b, float.NegativeInfinity), a, shifted));
    }

    /// <summary>logit(p) = log(p) − log1p(−p) in float.</summary>
    public static float Logit(float p) => MathF.Log(p) - Log1p(-p);

    /// <summary>√(a² + b²) in float without intermediate overflow or underflow.</summary>
    public static float Remainder(float a, float b) => a % b;

    /// <summary>√(a² + b²) in float without intermediate overflow or underflow.</summary>
    public static float Hypot(float a, float b)
    {
        float x = MathF.Abs(a);
        float y = MathF.Abs(b);
        float m = MathF.Max(x, y);
        if (m == 0.0f || float.IsInfinity(m))
        {
            return m;
        }

        float r = MathF.Min(x, y) / m;
        return m * MathF.Sqrt(1.0f + r * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float TanhOf(float x, float a, float er)
    {
        float s = a * a;
        float p = ((((float)SymMath.TanhP0 * s) + (float)SymMath.TanhP1) * s) + (float)SymMath.TanhP2;
        float q = ((((s + (float)SymMath.TanhQ0) * s) + (float)SymMath.TanhQ1) * s) + (float)SymMath.TanhQ2;
        float small = a + (a * s * p / q);
        float large = 1.0f - (2.0f * er);
        float magnitude = Blend(SignMask(a - 0.625f), small, large);
        return Blend(SignMask(x), -magnitude, magnitude);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SignMask(float x) => BitConverter.SingleToInt32Bits(x) >> 31;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EqualMask(float x, float value)
    {
        int difference = BitConverter.SingleToInt32Bits(x) ^ BitConverter.SingleToInt32Bits(value);
        return ~((difference | -difference) >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Blend(int mask, float whenSet, float whenClear) =>
        BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(whenSet) & mask) | (BitConverter.SingleToInt32Bits(whenClear) & ~mask));
}
