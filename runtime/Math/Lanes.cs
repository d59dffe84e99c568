using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace SymGrad;

/// <summary>
/// The functions generated batched kernels call on <see cref="ILanes{TSelf}"/> values: lane by lane, each computes
/// what the scalar function of the same name in <see cref="Math"/> or <see cref="SymMath"/> computes, with the same
/// stable formulas (σ′ from one exponential of −|z|, log1p's correction, …) written as selects instead of branches, so
/// a kernel never branches on data. Exponentials and logarithms are vectorised where the runtime offers them;
/// functions without a vector form (sin, pow, …) are evaluated lane by lane with <see cref="Math"/>: correct, not fast.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class Lanes
{
    // ------------------------------------------------------------------ masks and selects

    /// <summary>A mask with every lane <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Mask<V>(bool value) where V : struct, ILanes<V> => value ? ~V.Create(0.0) : V.Create(0.0);

    /// <summary>Mask of a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Less<V>(V a, V b) where V : struct, ILanes<V> => V.Less(a, b);

    /// <summary>Mask of a ≤ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V LessOrEqual<V>(V a, V b) where V : struct, ILanes<V> => V.LessOrEqual(a, b);

    /// <summary>Mask of a &gt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Greater<V>(V a, V b) where V : struct, ILanes<V> => V.Less(b, a);

    /// <summary>Mask of a ≥ b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V GreaterOrEqual<V>(V a, V b) where V : struct, ILanes<V> => V.LessOrEqual(b, a);

    /// <summary>Mask of a = b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Equal<V>(V a, V b) where V : struct, ILanes<V> => V.Equal(a, b);

    /// <summary>Mask of a ≠ b (true when either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V NotEqual<V>(V a, V b) where V : struct, ILanes<V> => ~V.Equal(a, b);

    /// <summary>Mask of x is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V IsNaN<V>(V x) where V : struct, ILanes<V> => ~V.Equal(x, x);

    /// <summary>Both masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V And<V>(V a, V b) where V : struct, ILanes<V> => a & b;

    /// <summary>Either mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Or<V>(V a, V b) where V : struct, ILanes<V> => a | b;

    /// <summary>The negated mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Not<V>(V a) where V : struct, ILanes<V> => ~a;

    /// <summary>Per lane: mask ? whenTrue : whenFalse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Select<V>(V mask, V whenTrue, V whenFalse) where V : struct, ILanes<V> => V.Select(mask, whenTrue, whenFalse);

    /// <summary>a·b, but 0 where a = 0 (also when b is ∞ or NaN): the zero-safe product of generated adjoints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V SafeMultiply<V>(V a, V b) where V : struct, ILanes<V> => V.Select(V.Equal(a, V.Create(0.0)), V.Create(0.0), a * b);

    /// <summary>Applies the scalar <paramref name="f"/> to each lane (for functions without a vector form).</summary>
    public static V Map<V>(V x, Func<double, double> f) where V : struct, ILanes<V>
    {
        Span<double> lanes = stackalloc double[V.Count];
        for (int j = 0; j < lanes.Length; j++)
        {
            lanes[j] = f(V.GetElement(x, j));
        }

        return V.Create(lanes);
    }

    /// <summary>Applies the scalar <paramref name="f"/> to each pair of lanes.</summary>
    public static V Map<V>(V x, V y, Func<double, double, double> f) where V : struct, ILanes<V>
    {
        Span<double> lanes = stackalloc double[V.Count];
        for (int j = 0; j < lanes.Length; j++)
        {
            lanes[j] = f(V.GetElement(x, j), V.GetElement(y, j));
        }

        return V.Create(lanes);
    }

    /// <summary>Applies the scalar <paramref name="f"/> to each triple of lanes.</summary>
    public static V Map<V>(V x, V y, V z, Func<double, double, double, double> f) where V : struct, ILanes<V>
    {
        Span<double> lanes = stackalloc double[V.Count];
        for (int j = 0; j < lanes.Length; j++)
        {
            lanes[j] = f(V.GetElement(x, j), V.GetElement(y, j), V.GetElement(z, j));
        }

        return V.Create(lanes);
    }

    /// <summary>Applies the scalar <paramref name="f"/> to each quadruple of lanes.</summary>
    public static V Map<V>(V x, V y, V z, V u, Func<double, double, double, double, double> f) where V : struct, ILanes<V>
    {
        Span<double> lanes = stackalloc double[V.Count];
        for (int j = 0; j < lanes.Length; j++)
        {
            lanes[j] = f(V.GetElement(x, j), V.GetElement(y, j), V.GetElement(z, j), V.GetElement(u, j));
        }

        return V.Create(lanes);
    }

    // ------------------------------------------------------------------ System.Math

    /// <summary>eˣ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp<V>(V x) where V : struct, ILanes<V> => V.Exp(x);

    /// <summary>ln x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log<V>(V x) where V : struct, ILanes<V> => V.Log(x);

    /// <summary>log₁₀ x, as <see cref="Math.Log10"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log10<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Log10);

    /// <summary>log₂ x, as <see cref="Math.Log2"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log2<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Log2);

    /// <summary>√x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sqrt<V>(V x) where V : struct, ILanes<V> => V.Sqrt(x);

    /// <summary>∛x, as <see cref="Math.Cbrt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Cbrt<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Cbrt);

    /// <summary>xʸ, as <see cref="Math.Pow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Pow<V>(V x, V y) where V : struct, ILanes<V> => Map(x, y, Math.Pow);

    /// <summary>sin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sin<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Sin);

    /// <summary>cos x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Cos<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Cos);

    /// <summary>tan x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tan<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Tan);

    /// <summary>asin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Asin<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Asin);

    /// <summary>acos x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Acos<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Acos);

    /// <summary>atan x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Atan<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Atan);

    /// <summary>atan2(y, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Atan2<V>(V y, V x) where V : struct, ILanes<V> => Map(y, x, Math.Atan2);

    /// <summary>sinh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sinh<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Sinh);

    /// <summary>cosh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Cosh<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Cosh);

    /// <summary>tanh x, as <see cref="SymMath.Tanh(double)"/> (the same operations, so the same bits where eˣ agrees).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh<V>(V x) where V : struct, ILanes<V> => Tanh(x, out _);

    /// <summary>asinh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Asinh<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Asinh);

    /// <summary>acosh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Acosh<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Acosh);

    /// <summary>atanh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Atanh<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Atanh);

    /// <summary>|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Abs<V>(V x) where V : struct, ILanes<V> => V.Abs(x);

    /// <summary>max(a, b) as <see cref="Math.Max(double, double)"/>: NaN if either is NaN, and max(−0, +0) = +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Max<V>(V a, V b) where V : struct, ILanes<V>
        // Equal lanes: the and of the bits picks +0 from ±0 (and is a or b otherwise).
        => V.Select(IsNaN(a) | V.Less(b, a), a, V.Select(V.Equal(a, b), a & b, b));

    /// <summary>min(a, b) as <see cref="Math.Min(double, double)"/>: NaN if either is NaN, and min(−0, +0) = −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Min<V>(V a, V b) where V : struct, ILanes<V>
        => V.Select(IsNaN(a) | V.Less(a, b), a, V.Select(V.Equal(a, b), a | b, b));

    /// <summary>min(max(x, lo), hi), as the generated scalar code computes a clamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Clamp<V>(V x, V lo, V hi) where V : struct, ILanes<V> => Min(Max(x, lo), hi);

    /// <summary>sign(x) as a double: 1, −1, 0, or NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sign<V>(V x) where V : struct, ILanes<V>
    {
        V zero = V.Create(0.0);
        return V.Select(V.Less(zero, x), V.Create(1.0), V.Select(V.Less(x, zero), V.Create(-1.0), V.Select(V.Equal(x, zero), zero, x)));
    }

    /// <summary>⌊x⌋.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Floor<V>(V x) where V : struct, ILanes<V> => V.Floor(x);

    /// <summary>⌈x⌉.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Ceiling<V>(V x) where V : struct, ILanes<V> => V.Ceiling(x);

    /// <summary>x rounded to the nearest integer, ties to even (as <see cref="Math.Round(double)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Round<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Round);

    /// <summary>x rounded toward zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Truncate<V>(V x) where V : struct, ILanes<V> => Map(x, Math.Truncate);

    // ------------------------------------------------------------------ SymMath

    /// <summary>σ(x) = 1/(1 + e^(−x)): r = 1/(1 + e) with e = e^(−|x|), then σ = r for x ≥ 0 and e·r below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid<V>(V x) where V : struct, ILanes<V> => Sigmoid(x, out _);

    /// <summary>σ(x) and σ′(x) = e·r² from the one exponential e = e^(−|x|) (r = 1/(1 + e)): exact at saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid<V>(V x, out V derivative) where V : struct, ILanes<V>
    {
        V e = V.ExpNegAbs(x);
        V r = V.Create(1.0) / (V.Create(1.0) + e);
        V er = e * r;
        derivative = er * r;
        return V.Select(V.LessOrEqual(V.Create(0.0), x), r, er);
    }

    /// <summary>σ′(x) = e·r² with e = e^(−|x|), r = 1/(1 + e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V SigmoidDerivative<V>(V x) where V : struct, ILanes<V>
    {
        Sigmoid(x, out V derivative);
        return derivative;
    }

    /// <summary>softplus(x) = max(x, 0) + log1p(e^(−|x|)), max(x, 0) as <see cref="Relu{V}"/> (a NaN lane is NaN from log1p all the same).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Softplus<V>(V x) where V : struct, ILanes<V> => Relu(x) + Log1p(V.ExpNegAbs(x));

    /// <summary>log σ(x) = −softplus(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V LogSigmoid<V>(V x) where V : struct, ILanes<V> => -Softplus(-x);

    /// <summary>max(x, 0) as x &gt; 0 ? x : 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Relu<V>(V x) where V : struct, ILanes<V> => V.Select(V.Less(V.Create(0.0), x), x, V.Create(0.0));

    /// <summary>x &gt; 0 ? x : slope·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V LeakyRelu<V>(V x, V slope) where V : struct, ILanes<V> => V.Select(V.Less(V.Create(0.0), x), x, slope * x);

    /// <summary>
    /// tanh(x) and tanh′(x) as <see cref="SymMath.Tanh(double, out double)"/>: with a = |x|, e = e^(−2a), r = 1/(1 + e),
    /// tanh′ = 4·((e·r)·r) (exact where tanh rounds to ±1), and |tanh| = a + a·s·P(s)/Q(s) (s = a², Cephes) below 0.625,
    /// 1 − 2·e·r above, with x's sign bit (so tanh(−0) = −0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh<V>(V x, out V derivative) where V : struct, ILanes<V>
    {
        V a = V.Abs(x);
        V e = V.ExpNegAbs(V.Create(2.0) * x); // e^(−2|x|): 2x is exact (or ±∞ where −2|x| is −∞)
        V r = V.Create(1.0) / (V.Create(1.0) + e);
        V er = e * r;
        derivative = V.Create(4.0) * (er * r);
        V s = a * a;
        V p = (((V.Create(SymMath.TanhP0) * s) + V.Create(SymMath.TanhP1)) * s) + V.Create(SymMath.TanhP2);
        V q = ((((s + V.Create(SymMath.TanhQ0)) * s) + V.Create(SymMath.TanhQ1)) * s) + V.Create(SymMath.TanhQ2);
        V small = a + (a * s * p / q);
        V large = V.Create(1.0) - (V.Create(2.0) * er);
        V magnitude = V.Select(V.Less(a, V.Create(0.625)), small, large);
        return magnitude | (x & V.Create(-0.0)); // x's sign bit (−0.0 is the sign bit alone)
    }

    /// <summary>tanh′(x) = sech²(x) = 4·((e·r)·r) with e = e^(−2|x|), r = 1/(1 + e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V TanhDerivative<V>(V x) where V : struct, ILanes<V>
    {
        V e = V.ExpNegAbs(V.Create(2.0) * x);
        V r = V.Create(1.0) / (V.Create(1.0) + e);
        return V.Create(4.0) * (e * r * r);
    }

    /// <summary>log(1 + x) with the correction log(u)·x/(u − 1), u = 1 + x (x where u rounds to 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log1p<V>(V x) where V : struct, ILanes<V>
    {
        V u = V.Create(1.0) + x;
        V corrected = V.Log(u) * x / (u - V.Create(1.0));
        return V.Select(V.Equal(u, V.Create(1.0)), x, V.Select(V.Equal(u, V.Create(double.PositiveInfinity)), u, corrected));
    }

    /// <summary>eˣ − 1 with Kahan's correction for |x| &lt; 0.5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Expm1<V>(V x) where V : struct, ILanes<V>
    {
        V u = V.Exp(x);
        V um1 = u - V.Create(1.0);
        V corrected = V.Select(V.Equal(u, V.Create(1.0)), x, V.Select(V.Equal(um1, V.Create(-1.0)), V.Create(-1.0), um1 * x / V.Log(u)));
        return V.Select(V.LessOrEqual(V.Create(0.5), V.Abs(x)), um1, corrected);
    }

    /// <summary>log(eᵃ + eᵇ) = max(a, b) + log1p(e^(−|a − b|)), and the other argument where one is −∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V LogSumExp<V>(V a, V b) where V : struct, ILanes<V>
    {
        V minusInfinity = V.Create(double.NegativeInfinity);
        V shifted = Max(a, b) + Log1p(V.ExpNegAbs(a - b));
        return V.Select(V.Equal(a, minusInfinity), b, V.Select(V.Equal(b, minusInfinity), a, shifted));
    }

    /// <summary>logit(p) = log p − log1p(−p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Logit<V>(V p) where V : struct, ILanes<V> => V.Log(p) - Log1p(-p);

    /// <summary>C#'s a % b lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Remainder<V>(V a, V b) where V : struct, ILanes<V> => Map(a, b, static (x, y) => x % y);

    /// <summary>√(a² + b²) as m·√(1 + r²), m = max(|a|, |b|), r = min/max: no overflow or underflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Hypot<V>(V a, V b) where V : struct, ILanes<V>
    {
        V x = V.Abs(a);
        V y = V.Abs(b);
        V m = Max(x, y);
        V r = Min(x, y) / m;
        V scaled = m * V.Sqrt(V.Create(1.0) + (r * r));
        return V.Select(V.Equal(m, V.Create(0.0)) | V.Equal(m, V.Create(double.PositiveInfinity)), m, scaled);
    }
}
