using System;
using System.Runtime.CompilerServices;

namespace SymGrad;

/// <summary>
/// One double per "vector": the scalar tail of a generated batched kernel (and its fallback where no vector hardware
/// is present). Every operation is the scalar <see cref="Math"/> operation, so the tail computes exactly what
/// <c>MGradient</c> computes. A mask is a double whose bits are all ones (true) or all zeros (false).
/// </summary>
public struct Lanes1 : ILanes<Lanes1>
{
    private static readonly double AllOnes = BitConverter.Int64BitsToDouble(-1L);

    // Not readonly, and no constructor: an operation assigns the field of a local (r._v = a._v + b._v), one inlined call
    // instead of two (operator, then constructor), so the JIT's inlining budget covers every operation of a large kernel.
    private double _v;

    /// <inheritdoc/>
    public static int Count => 1;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => true;

    /// <inheritdoc/>
    public static Lanes1 Create(double value) { Lanes1 r; r._v = value; return r; }

    /// <inheritdoc/>
    public static Lanes1 Create(ReadOnlySpan<double> values) { Lanes1 r; r._v = values[0]; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Load(ReadOnlySpan<double> source, int index) { Lanes1 r; r._v = source[index]; return r; }

    /// <inheritdoc/>
    public static double GetElement(Lanes1 x, int index) => index == 0 ? x._v : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc/>
    public static double Sum(Lanes1 x) => x._v;

    /// <inheritdoc/>
    public static Lanes1 operator +(Lanes1 a, Lanes1 b) { Lanes1 r; r._v = a._v + b._v; return r; }

    /// <inheritdoc/>
    public static Lanes1 operator -(Lanes1 a, Lanes1 b) { Lanes1 r; r._v = a._v - b._v; return r; }

    /// <inheritdoc/>
    public static Lanes1 operator *(Lanes1 a, Lanes1 b) { Lanes1 r; r._v = a._v * b._v; return r; }

    /// <inheritdoc/>
    public static Lanes1 operator /(Lanes1 a, Lanes1 b) { Lanes1 r; r._v = a._v / b._v; return r; }

    /// <inheritdoc/>
    public static Lanes1 operator -(Lanes1 a) { Lanes1 r; r._v = -a._v; return r; }

    /// <inheritdoc/>
    public static Lanes1 operator &(Lanes1 a, Lanes1 b) => Bits(BitConverter.DoubleToInt64Bits(a._v) & BitConverter.DoubleToInt64Bits(b._v));

    /// <inheritdoc/>
    public static Lanes1 operator |(Lanes1 a, Lanes1 b) => Bits(BitConverter.DoubleToInt64Bits(a._v) | BitConverter.DoubleToInt64Bits(b._v));

    /// <inheritdoc/>
    public static Lanes1 operator ~(Lanes1 a) => Bits(~BitConverter.DoubleToInt64Bits(a._v));

    /// <inheritdoc/>
    public static Lanes1 Equal(Lanes1 a, Lanes1 b) => Mask(a._v == b._v);

    /// <inheritdoc/>
    public static Lanes1 Less(Lanes1 a, Lanes1 b) => Mask(a._v < b._v);

    /// <inheritdoc/>
    public static Lanes1 LessOrEqual(Lanes1 a, Lanes1 b) => Mask(a._v <= b._v);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Select(Lanes1 mask, Lanes1 whenTrue, Lanes1 whenFalse) => BitConverter.DoubleToInt64Bits(mask._v) != 0 ? whenTrue : whenFalse;

    /// <inheritdoc/>
    public static bool Any(Lanes1 mask) => BitConverter.DoubleToInt64Bits(mask._v) != 0;

    /// <inheritdoc/>
    public static Lanes1 Abs(Lanes1 x) { Lanes1 r; r._v = Math.Abs(x._v); return r; }

    /// <inheritdoc/>
    public static Lanes1 Sqrt(Lanes1 x) { Lanes1 r; r._v = Math.Sqrt(x._v); return r; }

    /// <inheritdoc/>
    public static Lanes1 Floor(Lanes1 x) { Lanes1 r; r._v = Math.Floor(x._v); return r; }

    /// <inheritdoc/>
    public static Lanes1 Ceiling(Lanes1 x) { Lanes1 r; r._v = Math.Ceiling(x._v); return r; }

    /// <inheritdoc/>
    public static Lanes1 Exp(Lanes1 x) { Lanes1 r; r._v = Math.Exp(x._v); return r; }

    /// <inheritdoc/>
    public static Lanes1 Log(Lanes1 x) { Lanes1 r; r._v = Math.Log(x._v); return r; }

    private static Lanes1 Mask(bool value) { Lanes1 r; r._v = value ? AllOnes : 0.0; return r; }

    private static Lanes1 Bits(long bits) { Lanes1 r; r._v = BitConverter.Int64BitsToDouble(bits); return r; }
}
