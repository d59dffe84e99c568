using System;

namespace SymGrad;

/// <summary>
/// A vector of <see cref="Count"/> doubles, one per sample, that generated batched kernels
/// (<c>MBatchGradient</c>, <c>MBatchValue</c>) are written against: one generic kernel body runs at every width the
/// hardware offers (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/>, and <see cref="Lanes512x2"/>,
/// two registers per step, for small kernels) and on the scalar tail (<see cref="Lanes1"/>). Implementations are structs, so the JIT specialises each kernel per width: no dispatch.
/// </summary>
/// <remarks>
/// A mask (the result of a comparison) is a value of the same type whose lanes are all-ones bits (true) or all-zero
/// bits (false); <see cref="Lanes"/> combines masks and selects with them. Functions of lanes (exp, σ, …) live in
/// <see cref="Lanes"/> and compute, lane by lane, what the scalar <see cref="Math"/>/<see cref="SymMath"/> function
/// computes (bit for bit, or within a few ulp where a vectorised exponential or logarithm is used).
/// </remarks>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
public interface ILanes<TSelf>
    where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Number of lanes (samples per instruction).</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs on vector hardware on this machine (always true for <see cref="Lanes1"/>).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>All lanes equal to <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>Lanes from <paramref name="values"/>[0..Count).</summary>
    static abstract TSelf Create(ReadOnlySpan<double> values);

    /// <summary>Lane j = <paramref name="source"/>[<paramref name="index"/> + j]: consecutive samples of one data column.</summary>
    static abstract TSelf Load(ReadOnlySpan<double> source, int index);

    /// <summary>Lane <paramref name="index"/>.</summary>
    static abstract double GetElement(TSelf x, int index);

    /// <summary>The lanes added in lane order, ((x₀ + x₁) + x₂) + …: a fixed order, so the result is deterministic.</summary>
    static abstract double Sum(TSelf x);

    /// <summary>Lane-wise sum.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>Lane-wise difference.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>Lane-wise product.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>Lane-wise quotient.</summary>
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>Lane-wise negation.</summary>
    static abstract TSelf operator -(TSelf a);

    /// <summary>Lane-wise bitwise and (of masks, or of a mask and values).</summary>
    static abstract TSelf operator &(TSelf a, TSelf b);

    /// <summary>Lane-wise bitwise or.</summary>
    static abstract TSelf operator |(TSelf a, TSelf b);

    /// <summary>Lane-wise bitwise complement (negates a mask).</summary>
    static abstract TSelf operator ~(TSelf a);

    /// <summary>Mask of a = b (false when either is NaN).</summary>
    static abstract TSelf Equal(TSelf a, TSelf b);

    /// <summary>Mask of a &lt; b.</summary>
    static abstract TSelf Less(TSelf a, TSelf b);

    /// <summary>Mask of a ≤ b.</summary>
    static abstract TSelf LessOrEqual(TSelf a, TSelf b);

    /// <summary>Per lane: <paramref name="mask"/> ? <paramref name="whenTrue"/> : <paramref name="whenFalse"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf whenTrue, TSelf whenFalse);

    /// <summary>Whether any lane of <paramref name="mask"/> is true.</summary>
    static abstract bool Any(TSelf mask);

    /// <summary>|x|, lane-wise (clears the sign bit).</summary>
    static abstract TSelf Abs(TSelf x);

    /// <summary>√x, lane-wise (correctly rounded, as <see cref="Math.Sqrt"/>).</summary>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>⌊x⌋, lane-wise.</summary>
    static abstract TSelf Floor(TSelf x);

    /// <summary>⌈x⌉, lane-wise.</summary>
    static abstract TSelf Ceiling(TSelf x);

    /// <summary>eˣ, lane-wise: vectorised where the runtime offers it (within 2 ulp of <see cref="Math.Exp"/>, exact at the ends of the range).</summary>
    static abstract TSelf Exp(TSelf x);

    /// <summary>
    /// e^(−|x|), lane-wise: the exponential σ, tanh, softplus and log-sum-exp are built on, always in [0, 1]. The same
    /// values as <c>Exp(-Abs(x))</c>, which is what this default does; a width can do it in fewer operations (no
    /// overflow to guard against, and −|x| is x with its sign bit set).
    /// </summary>
    static virtual TSelf ExpNegAbs(TSelf x) => TSelf.Exp(-TSelf.Abs(x));

    /// <summary>ln x, lane-wise: vectorised where the runtime offers it (within 2 ulp of <see cref="Math.Log(double)"/>).</summary>
    static abstract TSelf Log(TSelf x);
}
