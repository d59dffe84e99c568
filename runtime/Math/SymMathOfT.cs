using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SymGrad;

/// <summary>
/// <see cref="SymMath"/> and the <see cref="Math"/> functions for a generic-math type <typeparamref name="T"/>: what a
/// generic <c>[Differentiable]</c> method (<c>T M&lt;T&gt;(T x) where T : IFloatingPointIeee754&lt;T&gt;</c>) calls for σ,
/// softplus and friends, and what its generated derivative code calls for every function.
/// For <c>double</c> and <c>float</c> each function is <see cref="SymMath"/>'s or <see cref="SymMathF"/>'s (the JIT
/// removes the type tests), so a generic method instantiated at double computes the same bits as its double twin. For
/// any other <typeparamref name="T"/> (e.g. <see cref="Half"/>) the stable activations are computed in double and
/// rounded once to <typeparamref name="T"/>, which is correctly rounded or within one ulp of it for types narrower than
/// float; the plain functions (exp, sin, …) are <typeparamref name="T"/>'s own.
/// </summary>
/// <typeparam name="T">An IEEE 754 binary floating-point type: <c>double</c>, <c>float</c>, <see cref="Half"/>, ….</typeparam>
public static class SymMath<T>
    where T : IFloatingPointIeee754<T>
{
    // ---------------------------------------------------------------- the stable activations (SymMath's)

    /// <summary>Logistic sigmoid σ(x) = 1 / (1 + e^(−x)), without overflow (see <see cref="SymMath.Sigmoid(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.Sigmoid(ToFloat(x))) : T.CreateTruncating(SymMath.Sigmoid(double.CreateTruncating(x)));

    /// <summary>σ′(x) = σ(x)·σ(−x), nonzero where σ saturates (see <see cref="SymMath.SigmoidDerivative(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SigmoidDerivative(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.SigmoidDerivative(ToFloat(x))) : T.CreateTruncating(SymMath.SigmoidDerivative(double.CreateTruncating(x)));

    /// <summary>σ(x) and σ′(x) from one exponential (see <see cref="SymMath.Sigmoid(double, out double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid(T x, out T derivative)
    {
        if (typeof(T) == typeof(float))
        {
            float s = SymMathF.Sigmoid(ToFloat(x), out float d);
            derivative = FromFloat(d);
            return FromFloat(s);
        }

        double value = SymMath.Sigmoid(double.CreateTruncating(x), out double dd);
        derivative = T.CreateTruncating(dd);
        return T.CreateTruncating(value);
    }

    /// <summary>softplus(x) = log(1 + eˣ), without overflow (see <see cref="SymMath.Softplus(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Softplus(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.Softplus(ToFloat(x))) : T.CreateTruncating(SymMath.Softplus(double.CreateTruncating(x)));

    /// <summary>log σ(x) = −softplus(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogSigmoid(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.LogSigmoid(ToFloat(x))) : T.CreateTruncating(SymMath.LogSigmoid(double.CreateTruncating(x)));

    /// <summary>max(x, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Relu(T x) => x > T.Zero ? x : T.Zero;

    /// <summary>x for x &gt; 0, slope·x otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LeakyRelu(T x, T slope) => x > T.Zero ? x : slope * x;

    /// <summary>tanh x, the same bits as the value of <see cref="Tanh(T, out T)"/> (see <see cref="SymMath.Tanh(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.Tanh(ToFloat(x))) : T.CreateTruncating(SymMath.Tanh(double.CreateTruncating(x)));

    /// <summary>tanh x and tanh′ x = 1 − tanh² x, nonzero where tanh saturates (see <see cref="SymMath.Tanh(double, out double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh(T x, out T derivative)
    {
        if (typeof(T) == typeof(float))
        {
            float t = SymMathF.Tanh(ToFloat(x), out float d);
            derivative = FromFloat(d);
            return FromFloat(t);
        }

        double value = SymMath.Tanh(double.CreateTruncating(x), out double dd);
        derivative = T.CreateTruncating(dd);
        return T.CreateTruncating(value);
    }

    /// <summary>tanh′ x = sech² x (see <see cref="SymMath.TanhDerivative(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TanhDerivative(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.TanhDerivative(ToFloat(x))) : T.CreateTruncating(SymMath.TanhDerivative(double.CreateTruncating(x)));

    /// <summary>x².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Square(T x) => x * x;

    /// <summary>SiLU (swish) x·σ(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Silu(T x) => x * Sigmoid(x);

    /// <summary>x / (1 + |x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Softsign(T x) => x / (T.One + T.Abs(x));

    /// <summary>log(1 + x), accurate near 0 (unlike <c>T.LogP1</c>, which is log(x + 1) for double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1p(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.Log1p(ToFloat(x))) : T.CreateTruncating(SymMath.Log1p(double.CreateTruncating(x)));

    /// <summary>eˣ − 1, accurate near 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Expm1(T x) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.Expm1(ToFloat(x))) : T.CreateTruncating(SymMath.Expm1(double.CreateTruncating(x)));

    /// <summary>log(eᵃ + eᵇ), without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogSumExp(T a, T b) =>
        typeof(T) == typeof(float)
            ? FromFloat(SymMathF.LogSumExp(ToFloat(a), ToFloat(b)))
            : T.CreateTruncating(SymMath.LogSumExp(double.CreateTruncating(a), double.CreateTruncating(b)));

    /// <summary>logit p = log(p / (1 − p)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Logit(T p) =>
        typeof(T) == typeof(float) ? FromFloat(SymMathF.Logit(ToFloat(p))) : T.CreateTruncating(SymMath.Logit(double.CreateTruncating(p)));

    /// <summary>√(a² + b²), without overflow or underflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Hypot(T a, T b) =>
        typeof(T) == typeof(float)
            ? FromFloat(SymMathF.Hypot(ToFloat(a), ToFloat(b)))
            : T.CreateTruncating(SymMath.Hypot(double.CreateTruncating(a), double.CreateTruncating(b)));

    /// <summary>C#'s a % b (truncated remainder).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Remainder(T a, T b) => a % b;

    // ---------------------------------------------------------------- Math's functions, as T's own

    /// <summary>eˣ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp(T x) => T.Exp(x);

    /// <summary>ln x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log(T x) => T.Log(x);

    /// <summary>log₁₀ x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log10(T x) => T.Log10(x);

    /// <summary>log₂ x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log2(T x) => T.Log2(x);

    /// <summary>√x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sqrt(T x) => T.Sqrt(x);

    /// <summary>∛x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cbrt(T x) => T.Cbrt(x);

    /// <summary>xʸ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow(T x, T y) => T.Pow(x, y);

    /// <summary>sin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sin(T x) => T.Sin(x);

    /// <summary>cos x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cos(T x) => T.Cos(x);

    /// <summary>tan x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tan(T x) => T.Tan(x);

    /// <summary>asin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Asin(T x) => T.Asin(x);

    /// <summary>acos x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Acos(T x) => T.Acos(x);

    /// <summary>atan x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan(T x) => T.Atan(x);

    /// <summary>atan2(y, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan2(T y, T x) => T.Atan2(y, x);

    /// <summary>sinh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sinh(T x) => T.Sinh(x);

    /// <summary>cosh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cosh(T x) => T.Cosh(x);

    /// <summary>asinh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Asinh(T x) => T.Asinh(x);

    /// <summary>acosh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Acosh(T x) => T.Acosh(x);

    /// <summary>atanh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atanh(T x) => T.Atanh(x);

    /// <summary>|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs(T x) => T.Abs(x);

    /// <summary>The larger of a and b (NaN if either is NaN, as <see cref="Math.Max(double, double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(T a, T b) => T.Max(a, b);

    /// <summary>The smaller of a and b (NaN if either is NaN, as <see cref="Math.Min(double, double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Min(T a, T b) => T.Min(a, b);

    /// <summary>sign x as a <typeparamref name="T"/>: −1, 0 or 1, and NaN for NaN (<c>T.Sign</c> returns int and throws for NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sign(T x) => x > T.Zero ? T.One : x < T.Zero ? T.NegativeOne : x == T.Zero ? T.Zero : T.NaN;

    /// <summary>⌊x⌋.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Floor(T x) => T.Floor(x);

    /// <summary>⌈x⌉.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Ceiling(T x) => T.Ceiling(x);

    /// <summary>x rounded to the nearest integer, ties to even (as <see cref="Math.Round(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Round(T x) => T.Round(x);

    /// <summary>x rounded toward zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Truncate(T x) => T.Truncate(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ToFloat(T x) => Unsafe.As<T, float>(ref x); // only where T is float

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromFloat(float x) => Unsafe.As<float, T>(ref x); // only where T is float
}
