using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymGrad;

/// <summary>
/// 512 doubles per instruction (<see cref="Vector512{T}"/>): the lanes generated batched kernels use when
/// <see cref="Vector512.IsHardwareAccelerated"/>. See <see cref="ILanes{TSelf}"/>.
/// </summary>
public struct Lanes512 : ILanes<Lanes512>
{
    // Not readonly, and no constructor: an operation assigns the field of a local (r._v = a._v + b._v), one inlined call
    // instead of two (operator, then constructor), so the JIT's inlining budget covers every operation of a large kernel.
    private Vector512<double> _v;

    /// <inheritdoc/>
    public static int Count => Vector512<double>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(double value) { Lanes512 r; r._v = Vector512.Create(value); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(ReadOnlySpan<double> values) { Lanes512 r; r._v = Vector512.Create(values); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ReadOnlySpan<double> source, int index) { Lanes512 r; r._v = Vector512.Create(source.Slice(index, Vector512<double>.Count)); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Lanes512 x, int index) => x._v.GetElement(index);

    /// <inheritdoc/>
    public static double Sum(Lanes512 x)
    {
        double sum = x._v.GetElement(0);
        for (int j = 1; j < Vector512<double>.Count; j++)
        {
            sum += x._v.GetElement(j);
        }

        return sum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = a._v + b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = a._v - b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = a._v * b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator /(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = a._v / b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 a) { Lanes512 r; r._v = -a._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator &(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = a._v & b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator |(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = a._v | b._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator ~(Lanes512 a) { Lanes512 r; r._v = ~a._v; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Equal(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = Vector512.Equals(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Less(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = Vector512.LessThan(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LessOrEqual(Lanes512 a, Lanes512 b) { Lanes512 r; r._v = Vector512.LessThanOrEqual(a._v, b._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Select(Lanes512 mask, Lanes512 whenTrue, Lanes512 whenFalse) { Lanes512 r; r._v = Vector512.ConditionalSelect(mask._v, whenTrue._v, whenFalse._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lanes512 mask) => mask._v.AsUInt64() != Vector512<ulong>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Abs(Lanes512 x) { Lanes512 r; r._v = Vector512.Abs(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Sqrt(Lanes512 x) { Lanes512 r; r._v = Vector512.Sqrt(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Floor(Lanes512 x) { Lanes512 r; r._v = Vector512.Floor(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Ceiling(Lanes512 x) { Lanes512 r; r._v = Vector512.Ceiling(x._v); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 ExpNegAbs(Lanes512 x)
    {
        if (!Avx512F.IsSupported)
        {
            return Exp(-Abs(x));
        }

        Lanes512 r;
        r._v = VectorExp.ExpNegAbs(x._v);
        return r;
    }

#if NET9_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Exp(Lanes512 x)
    {
        Lanes512 r;
        r._v = Avx512F.IsSupported ? VectorExp.Exp(x._v) : Vector512.Exp(x._v);
        return r;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Log(Lanes512 x) { Lanes512 r; r._v = Vector512.Log(x._v); return r; }
#else
    /// <inheritdoc/>
    public static Lanes512 Exp(Lanes512 x)
    {
        if (!Avx512F.IsSupported)
        {
            return Lanes.Map(x, Math.Exp);
        }

        Lanes512 r;
        r._v = VectorExp.Exp(x._v);
        return r;
    }

    /// <inheritdoc/>
    public static Lanes512 Log(Lanes512 x) => Lanes.Map(x, Math.Log);
#endif
}
