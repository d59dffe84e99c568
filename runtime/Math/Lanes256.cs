using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymGrad;

/// <summary>
/// 256 doubles per instruction (<see cref="Vector256{T}"/>): the lanes generated batched kernels use when
/// <see cref="Vector256.IsHardwareAccelerated"/>. See <see cref="ILanes{TSelf}"/>.
/// </summary>
public struct Lanes256 : ILanes<Lanes256>
{
    // Not readonly, and no constructor: an operation assigns the field of a local (r._v = a._v + b._v), one inlined call
    // instead of two (operator, then constructor), so the JIT's inlining budget covers every operation of a large kernel.
    private Vector256<double> _v;

    /// <inheritdoc/>
    public static int Count => Vector256<double>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(double value) { Lanes256 r; r._v = Vector256.Create(value); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(ReadOnlySpan<double> values) { Lanes256 r; r._v = Vector256.Create(values); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ReadOnlySpan<double> source, int index) { Lanes256 r; r._v = Vector256.Create(source.Slice(index, Vector256<double>.Count)); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Lanes256 x, int index) => x._v.GetElement(index);

    /// <inheritdoc/>
    public static double Sum(Lanes256 x)
    {
        double sum = x._v.GetElement(0);
        for (int j = 1; j < Vector256<double>.Count; j++)
        {
            sum += x._v.GetElement(j);
        }

        return sum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = a._v + b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = a._v - b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = a._v * b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator /(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = a._v / b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 a) { Lanes256 r; r._v = -a._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator &(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = a._v & b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator |(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = a._v | b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator ~(Lanes256 a) { Lanes256 r; r._v = ~a._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Equal(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = Vector256.Equals(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Less(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = Vector256.LessThan(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LessOrEqual(Lanes256 a, Lanes256 b) { Lanes256 r; r._v = Vector256.LessThanOrEqual(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Select(Lanes256 mask, Lanes256 whenTrue, Lanes256 whenFalse) { Lanes256 r; r._v = Vector256.ConditionalSelect(mask._v, whenTrue._v, whenFalse._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lanes256 mask) => mask._v.AsUInt64() != Vector256<ulong>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Abs(Lanes256 x) { Lanes256 r; r._v = Vector256.Abs(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Sqrt(Lanes256 x) { Lanes256 r; r._v = Vector256.Sqrt(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Floor(Lanes256 x) { Lanes256 r; r._v = Vector256.Floor(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Ceiling(Lanes256 x) { Lanes256 r; r._v = Vector256.Ceiling(x._v); return r; }

#if NET9_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Exp(Lanes256 x) { Lanes256 r; r._v = Vector256.Exp(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Log(Lanes256 x) { Lanes256 r; r._v = Vector256.Log(x._v); return r; }
#else
    /// <inheritdoc/>
    public static Lanes256 Exp(Lanes256 x) => Lanes.Map(x, Math.Exp);

    /// <inheritdoc/>
    public static Lanes256 Log(Lanes256 x) => Lanes.Map(x, Math.Log);
#endif
}
