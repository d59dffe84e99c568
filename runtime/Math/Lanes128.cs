using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymGrad;

/// <summary>
/// 128 doubles per instruction (<see cref="Vector128{T}"/>): the lanes generated batched kernels use when
/// <see cref="Vector128.IsHardwareAccelerated"/>. See <see cref="ILanes{TSelf}"/>.
/// </summary>
public struct Lanes128 : ILanes<Lanes128>
{
    // Not readonly, and no constructor: an operation assigns the field of a local (r._v = a._v + b._v), one inlined call
    // instead of two (operator, then constructor), so the JIT's inlining budget covers every operation of a large kernel.
    private Vector128<double> _v;

    /// <inheritdoc/>
    public static int Count => Vector128<double>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Create(double value) { Lanes128 r; r._v = Vector128.Create(value); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Create(ReadOnlySpan<double> values) { Lanes128 r; r._v = Vector128.Create(values); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Load(ReadOnlySpan<double> source, int index) { Lanes128 r; r._v = Vector128.Create(source.Slice(index, Vector128<double>.Count)); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Lanes128 x, int index) => x._v.GetElement(index);

    /// <inheritdoc/>
    public static double Sum(Lanes128 x)
    {
        double sum = x._v.GetElement(0);
        for (int j = 1; j < Vector128<double>.Count; j++)
        {
            sum += x._v.GetElement(j);
        }

        return sum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator +(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = a._v + b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator -(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = a._v - b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator *(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = a._v * b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator /(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = a._v / b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator -(Lanes128 a) { Lanes128 r; r._v = -a._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator &(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = a._v & b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator |(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = a._v | b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator ~(Lanes128 a) { Lanes128 r; r._v = ~a._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Equal(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = Vector128.Equals(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Less(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = Vector128.LessThan(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 LessOrEqual(Lanes128 a, Lanes128 b) { Lanes128 r; r._v = Vector128.LessThanOrEqual(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Select(Lanes128 mask, Lanes128 whenTrue, Lanes128 whenFalse) { Lanes128 r; r._v = Vector128.ConditionalSelect(mask._v, whenTrue._v, whenFalse._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lanes128 mask) => mask._v.AsUInt64() != Vector128<ulong>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Abs(Lanes128 x) { Lanes128 r; r._v = Vector128.Abs(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Sqrt(Lanes128 x) { Lanes128 r; r._v = Vector128.Sqrt(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Floor(Lanes128 x) { Lanes128 r; r._v = Vector128.Floor(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Ceiling(Lanes128 x) { Lanes128 r; r._v = Vector128.Ceiling(x._v); return r; }

#if NET9_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Exp(Lanes128 x) { Lanes128 r; r._v = Vector128.Exp(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Log(Lanes128 x) { Lanes128 r; r._v = Vector128.Log(x._v); return r; }
#else
    /// <inheritdoc/>
    public static Lanes128 Exp(Lanes128 x) => Lanes.Map(x, Math.Exp);

    /// <inheritdoc/>
    public static Lanes128 Log(Lanes128 x) => Lanes.Map(x, Math.Log);
#endif
}
