using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymGrad;

/// <summary>
/// Sixteen doubles in two <see cref="Vector512{T}"/> registers: every operation is issued once per register, so each
/// instruction of a kernel is followed by an independent one. A batched kernel is one long dependency chain per sample
/// (exp → divide → exp → divide for a two-layer net), and one register's worth of samples leaves the vector units idle
/// while each link waits for the last; two chains side by side fill them. AVX-512 has 32 registers, room for both.
/// Generated kernels run this width first where <see cref="Vector512.IsHardwareAccelerated"/>, then
/// <see cref="Lanes512"/> for the remainder, then the scalar tail. Lanes 0–7 are the first register, 8–15 the second,
/// so <see cref="Sum"/> still adds in lane order.
/// </summary>
/// <remarks>
/// A struct of two vectors rather than a pair of <see cref="Lanes512"/>: each operation is one inlined call, as it is
/// for <see cref="Lanes512"/>. A generic pair of lanes nested every operation two calls deep, and the JIT stopped
/// inlining part-way through a kernel of three sigmoids (5–10× slower).
/// </remarks>
public struct Lanes512x2 : ILanes<Lanes512x2>
{
    // Not readonly, and no constructor: an operation assigns the field of a local (r._v = a._v + b._v), one inlined call
    // instead of two (operator, then constructor), so the JIT's inlining budget covers every operation of a large kernel.
    private Vector512<double> _a;
    private Vector512<double> _b;

    /// <inheritdoc/>
    public static int Count => 2 * Vector512<double>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Create(double value) { Lanes512x2 r; r._a = Vector512.Create(value); r._b = Vector512.Create(value); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Create(ReadOnlySpan<double> values) { Lanes512x2 r; r._a = Vector512.Create(values); r._b = Vector512.Create(values.Slice(Vector512<double>.Count)); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Load(ReadOnlySpan<double> source, int index) { Lanes512x2 r; r._a = Vector512.Create(source.Slice(index, Vector512<double>.Count)); r._b = Vector512.Create(source.Slice(index + Vector512<double>.Count, Vector512<double>.Count)); return r; }

    /// <inheritdoc/>
    public static double GetElement(Lanes512x2 x, int index) =>
        index < Vector512<double>.Count ? x._a.GetElement(index) : x._b.GetElement(index - Vector512<double>.Count);

    /// <inheritdoc/>
    public static double Sum(Lanes512x2 x)
    {
        double sum = x._a.GetElement(0);
        for (int j = 1; j < Vector512<double>.Count; j++)
        {
            sum += x._a.GetElement(j);
        }

        for (int j = 0; j < Vector512<double>.Count; j++)
        {
            sum += x._b.GetElement(j);
        }

        return sum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator +(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = a._a + b._a; r._b = a._b + b._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator -(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = a._a - b._a; r._b = a._b - b._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator *(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = a._a * b._a; r._b = a._b * b._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator /(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = a._a / b._a; r._b = a._b / b._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator -(Lanes512x2 a) { Lanes512x2 r; r._a = -a._a; r._b = -a._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator &(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = a._a & b._a; r._b = a._b & b._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator |(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = a._a | b._a; r._b = a._b | b._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator ~(Lanes512x2 a) { Lanes512x2 r; r._a = ~a._a; r._b = ~a._b; return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Equal(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = Vector512.Equals(a._a, b._a); r._b = Vector512.Equals(a._b, b._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Less(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = Vector512.LessThan(a._a, b._a); r._b = Vector512.LessThan(a._b, b._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 LessOrEqual(Lanes512x2 a, Lanes512x2 b) { Lanes512x2 r; r._a = Vector512.LessThanOrEqual(a._a, b._a); r._b = Vector512.LessThanOrEqual(a._b, b._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Select(Lanes512x2 mask, Lanes512x2 whenTrue, Lanes512x2 whenFalse) { Lanes512x2 r; r._a = Vector512.ConditionalSelect(mask._a, whenTrue._a, whenFalse._a); r._b = Vector512.ConditionalSelect(mask._b, whenTrue._b, whenFalse._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lanes512x2 mask) => (mask._a | mask._b).AsUInt64() != Vector512<ulong>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Abs(Lanes512x2 x) { Lanes512x2 r; r._a = Vector512.Abs(x._a); r._b = Vector512.Abs(x._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Sqrt(Lanes512x2 x) { Lanes512x2 r; r._a = Vector512.Sqrt(x._a); r._b = Vector512.Sqrt(x._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Floor(Lanes512x2 x) { Lanes512x2 r; r._a = Vector512.Floor(x._a); r._b = Vector512.Floor(x._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Ceiling(Lanes512x2 x) { Lanes512x2 r; r._a = Vector512.Ceiling(x._a); r._b = Vector512.Ceiling(x._b); return r; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 ExpNegAbs(Lanes512x2 x)
    {
        if (!Avx512F.IsSupported)
        {
            return Exp(-Abs(x));
        }

        Lanes512x2 r;
        r._a = VectorExp.ExpNegAbs(x._a);
        r._b = VectorExp.ExpNegAbs(x._b);
        return r;
    }

#if NET9_0_OR_GREATER
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Exp(Lanes512x2 x)
    {
        Lanes512x2 r;
        r._a = Avx512F.IsSupported ? VectorExp.Exp(x._a) : Vector512.Exp(x._a);
        r._b = Avx512F.IsSupported ? VectorExp.Exp(x._b) : Vector512.Exp(x._b);
        return r;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Log(Lanes512x2 x) { Lanes512x2 r; r._a = Vector512.Log(x._a); r._b = Vector512.Log(x._b); return r; }
#else
    /// <inheritdoc/>
    public static Lanes512x2 Exp(Lanes512x2 x)
    {
        if (!Avx512F.IsSupported)
        {
            return Lanes.Map(x, Math.Exp);
        }

        Lanes512x2 r;
        r._a = VectorExp.Exp(x._a);
        r._b = VectorExp.Exp(x._b);
        return r;
    }

    /// <inheritdoc/>
    public static Lanes512x2 Log(Lanes512x2 x) => Lanes.Map(x, Math.Log);
#endif
}
