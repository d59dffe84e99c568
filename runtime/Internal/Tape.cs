using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace SymGrad;

/// <summary>
/// The tape of generated reverse-mode code: the forward sweep pushes the values a loop overwrites and the reverse
/// sweep needs back (and branch outcomes and trip counts inside loops); the reverse sweep pops them in reverse
/// order. It also lends the zeroed scratch buffers the generated code needs (adjoints of local arrays, buffers the
/// method declares with <c>stackalloc</c>). Each thread keeps its last tape's buffer at its largest size, and scratch
/// buffers come from <see cref="ArrayPool{T}.Shared"/> and go back on <see cref="Dispose"/>, so a gradient called in
/// a training loop neither allocates nor regrows its tape once warm.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct Tape
{
    // Three fields, every member the generated code calls inlined, and the helpers behind them given the fields by
    // value: the tape's address is never taken, so the JIT promotes a tape local's fields to locals of their own, and
    // the finally of the generated `using` reads only _store, which never changes after Rent, so the hot fields
    // _buffer and _count are not live into it. Where the method leaves the register allocator room, a push is then a
    // compare, a store and an increment in registers (in the GMM gradient, a method of some 40 loops, they still
    // live in stack slots: there the gain was 2%, and PushReserved and fused loops did the rest).
    private double[] _buffer;
    private int _count;
    private Store? _store;

    private Tape(Store store)
    {
        _store = store;
        _buffer = store.Stack;
        _count = 0;
    }

    /// <summary>The elements of a matrix as one row-major span (no copy): how generated code reads a differentiated <c>T[,]</c>.</summary>
    public static ReadOnlySpan<T> Flat<T>(T[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
            ref Unsafe.As<byte, T>(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length);
    }

    /// <summary>
    /// <paramref name="a"/>[<paramref name="index"/>], or default when the index is out of range: how generated code
    /// reads an element that only an arm of a <c>?:</c> needs (<c>i + 1 &lt; n ? x[i + 1] : 0</c>) in a value it computes
    /// before the arm, so the value is computed whether or not the arm is taken, and discarded when it is not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ElementOrDefault<T>(ReadOnlySpan<T> a, int index) => (uint)index < (uint)a.Length ? a[index] : default!;

    /// <inheritdoc cref="ElementOrDefault{T}(ReadOnlySpan{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ElementOrDefault<T>(Span<T> a, int index) => (uint)index < (uint)a.Length ? a[index] : default!;

    /// <inheritdoc cref="ElementOrDefault{T}(ReadOnlySpan{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ElementOrDefault<T>(T[] a, int index) => (uint)index < (uint)a.Length ? a[index] : default!;

    /// <inheritdoc cref="ElementOrDefault{T}(ReadOnlySpan{T}, int)"/>
    public static T ElementOrDefault<T>(T[,] a, int i, int j) =>
        (uint)i < (uint)a.GetLength(0) && (uint)j < (uint)a.GetLength(1) ? a[i, j] : default!;

    /// <inheritdoc cref="ElementOrDefault{T}(ReadOnlySpan{T}, int)"/>
    public static T ElementOrDefault<T>(T[][] a, int i, int j) =>
        (uint)i < (uint)a.Length && a[i] is { } row && (uint)j < (uint)row.Length ? row[j] : default!;

    /// <summary><paramref name="a"/>[<paramref name="i"/>].Length, or 0 when there is no such row (see <see cref="ElementOrDefault{T}(ReadOnlySpan{T}, int)"/>).</summary>
    public static int LengthOrZero<T>(T[][] a, int i) => (uint)i < (uint)a.Length && a[i] is { } row ? row.Length : 0;

    /// <summary><paramref name="a"/> / <paramref name="b"/>, or 0 where C# would throw (b = 0, or the one overflowing quotient), for an arm that may not be taken (see <see cref="ElementOrDefault{T}(ReadOnlySpan{T}, int)"/>).</summary>
    public static int QuotientOrZero(int a, int b) => b == 0 || (b == -1 && a == int.MinValue) ? 0 : a / b;

    /// <inheritdoc cref="QuotientOrZero(int, int)"/>
    public static long QuotientOrZero(long a, long b) => b == 0 || (b == -1 && a == long.MinValue) ? 0 : a / b;

    /// <summary><paramref name="a"/> % <paramref name="b"/>, or 0 where C# would throw (b = 0, or int.MinValue % −1), for an arm that may not be taken (see <see cref="ElementOrDefault{T}(ReadOnlySpan{T}, int)"/>).</summary>
    public static int RemainderOrZero(int a, int b) => b == 0 || b == -1 ? 0 : a % b;

    /// <inheritdoc cref="RemainderOrZero(int, int)"/>
    public static long RemainderOrZero(long a, long b) => b == 0 || b == -1 ? 0 : a % b;

    /// <summary>
    /// <paramref name="a"/>.Slice(<paramref name="start"/>, <paramref name="count"/>) where count &gt; 0, and an empty
    /// span where count ≤ 0 whatever the start, without a branch: the row a generated inner loop of
    /// <paramref name="count"/> trips reads as <c>a_row[j]</c> for <c>a[start + j]</c>. It throws where the loop's first
    /// read would (a start past the end with trips to run), and not where the loop reads nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> Row<T>(ReadOnlySpan<T> a, int start, int count)
    {
        // With no trips, a start past the end (or negative: huge as a uint) becomes the end, where an empty slice is fine.
        return a.Slice((int)Math.Min((uint)start, (uint)a.Length), Math.Max(count, 0));
    }

    /// <inheritdoc cref="Row{T}(ReadOnlySpan{T}, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> Row<T>(Span<T> a, int start, int count) => a.Slice((int)Math.Min((uint)start, (uint)a.Length), Math.Max(count, 0));

    /// <inheritdoc cref="Row{T}(ReadOnlySpan{T}, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> Row<T>(T[] a, int start, int count) => Row((ReadOnlySpan<T>)a, start, count);

    /// <summary>A tape with this thread's cached buffers (new ones only the first time tapes nest this deep on the thread).</summary>
    public static Tape Rent() => new(Store.Take());

    /// <summary>Number of values on the tape.</summary>
    public readonly int Count => _count;

    /// <summary>Pushes one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        if (_count == _buffer.Length)
        {
            _buffer = Grow(_store!, _count, 1);
        }

        _buffer[_count++] = value;
    }

    /// <summary>
    /// Makes room for <paramref name="trips"/> × <paramref name="perTrip"/> more values (none when trips ≤ 0), so the
    /// loop that pushes them can use <see cref="PushReserved(double)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reserve(long trips, int perTrip)
    {
        long needed = Math.Max(trips, 0) * perTrip;
        if (needed > _buffer.Length - _count)
        {
            _buffer = Grow(_store!, _count, checked((int)needed));
        }
    }

    /// <summary>
    /// Pushes one value into room made by <see cref="Reserve(long, int)"/>: no capacity check (the store is still
    /// bounds-checked, so a push beyond the room throws rather than writes past the tape).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushReserved(double value) => _buffer[_count++] = value;

    /// <summary>Pops the value pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Pop() => _buffer[--_count];

    /// <summary>Pushes every element of <paramref name="values"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushAll(scoped ReadOnlySpan<double> values)
    {
        if (_count + values.Length > _buffer.Length)
        {
            _buffer = Grow(_store!, _count, values.Length);
        }

        values.CopyTo(_buffer.AsSpan(_count));
        _count += values.Length;
    }

    /// <summary>Pops <paramref name="values"/>.Length values pushed by <see cref="PushAll(ReadOnlySpan{double})"/> back into it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PopAll(scoped Span<double> values)
    {
        _count -= values.Length;
        _buffer.AsSpan(_count, values.Length).CopyTo(values);
    }

    /// <summary>Pushes every element of an int array (exact: ints are doubles without rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushAll(scoped ReadOnlySpan<int> values)
    {
        if (_count + values.Length > _buffer.Length)
        {
            _buffer = Grow(_store!, _count, values.Length);
        }

        foreach (int v in values)
        {
            _buffer[_count++] = v;
        }
    }

    /// <summary>Pops the ints pushed by <see cref="PushAll(ReadOnlySpan{int})"/> back into <paramref name="values"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PopAll(scoped Span<int> values)
    {
        for (int i = values.Length - 1; i >= 0; i--)
        {
            values[i] = (int)_buffer[--_count];
        }
    }

    /// <summary>Pushes every element of a float array (exact: a float is a double without rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushAll(scoped ReadOnlySpan<float> values)
    {
        if (_count + values.Length > _buffer.Length)
        {
            _buffer = Grow(_store!, _count, values.Length);
        }

        foreach (float v in values)
        {
            _buffer[_count++] = v;
        }
    }

    /// <summary>Pops the floats pushed by <see cref="PushAll(ReadOnlySpan{float})"/> back into <paramref name="values"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PopAll(scoped Span<float> values)
    {
        for (int i = values.Length - 1; i >= 0; i--)
        {
            values[i] = (float)_buffer[--_count];
        }
    }

    /// <summary>A zeroed float buffer of exactly <paramref name="length"/> elements (in a lent double buffer), lent until <see cref="Dispose"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<float> FloatBuffer(int length) => _store!.LendFloats(length);

    // ---------------------------------------------------------------- generic methods' values (T : INumberBase<T>)
    // A generic method's generated code keeps its T values on the same double tape: exact for double, float and Half
    // (each is a double without rounding); a T wider than double would be rounded to double here.

    /// <summary>Pushes one value of a generic method's real type (held as a double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushReal<T>(T value)
        where T : System.Numerics.INumberBase<T> => Push(double.CreateTruncating(value));

    /// <summary>Pops the value pushed last by <see cref="PushReal{T}(T)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T PopReal<T>()
        where T : System.Numerics.INumberBase<T> => T.CreateTruncating(Pop());

    /// <summary>Pushes every element of <paramref name="values"/> (<see cref="PushReal{T}(T)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushAllReal<T>(scoped ReadOnlySpan<T> values)
        where T : System.Numerics.INumberBase<T>
    {
        foreach (T v in values)
        {
            PushReal(v);
        }
    }

    /// <summary>Pops <paramref name="values"/>.Length values pushed by <see cref="PushAllReal{T}(ReadOnlySpan{T})"/> back into it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PopAllReal<T>(scoped Span<T> values)
        where T : System.Numerics.INumberBase<T>
    {
        for (int i = values.Length - 1; i >= 0; i--)
        {
            values[i] = PopReal<T>();
        }
    }

    /// <summary>
    /// A zeroed buffer of <paramref name="length"/> elements of a generic method's real type, lent until
    /// <see cref="Dispose"/>: carved from a lent double buffer when <typeparamref name="T"/> is an unmanaged type of at
    /// most 8 bytes (double, float, Half), otherwise a new array (a generic method over a larger or managed type allocates).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> RealBuffer<T>(int length)
        where T : System.Numerics.INumberBase<T> => _store!.LendReal<T>(length);

    /// <summary>A zeroed buffer of exactly <paramref name="length"/> elements, lent until <see cref="Dispose"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<double> Buffer(int length) => _store!.Lend(length);

    /// <summary>Returns the lent buffers to the pool and keeps the tape's buffer for this thread's next tape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose()
    {
        _store?.Release();
        _store = null;
    }

    /// <summary>A buffer of at least <paramref name="count"/> + <paramref name="needed"/> elements holding the first <paramref name="count"/> of the store's stack, which goes back to the pool.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double[] Grow(Store store, int count, int needed)
    {
        double[] buffer = store.Stack;
        double[] bigger = ArrayPool<double>.Shared.Rent(Math.Max(buffer.Length * 2, count + needed));
        buffer.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<double>.Shared.Return(buffer);
        store.Stack = bigger;
        return bigger;
    }

    /// <summary>
    /// What one tape owns: the value stack's array (kept at its largest size) and the scratch buffers it has lent
    /// (pooled arrays, returned together). Each thread keeps its released stores for its next tapes.
    /// </summary>
    private sealed class Store
    {
        [ThreadStatic]
        private static Store? t_free;

        private double[][] _lent = new double[8][];
        private int _lentCount;
        private Store? _next;

        private Store(double[] stack) => Stack = stack;

        public double[] Stack { get; set; }

        /// <summary>A released store of this thread, or a new one when every one is in use.</summary>
        public static Store Take()
        {
            Store? store = t_free;
            if (store is null)
            {
                return new Store(ArrayPool<double>.Shared.Rent(256));
            }

            t_free = store._next;
            store._next = null;
            return store;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public Span<double> Lend(int length)
        {
            ThrowIfNegative(length);
            double[] array = ArrayPool<double>.Shared.Rent(Math.Max(length, 1));
            if (_lentCount == _lent.Length)
            {
                Array.Resize(ref _lent, _lent.Length * 2);
            }

            _lent[_lentCount++] = array;
            Span<double> span = array.AsSpan(0, length);
            span.Clear();
            return span;
        }

        public Span<float> LendFloats(int length)
        {
            ThrowIfNegative(length);
            return System.Runtime.InteropServices.MemoryMarshal.Cast<double, float>(Lend((length + 1) / 2)).Slice(0, length);
        }

        public Span<T> LendReal<T>(int length)
            where T : System.Numerics.INumberBase<T>
        {
            ThrowIfNegative(length);
            if (RuntimeHelpers.IsReferenceOrContainsReferences<T>() || Unsafe.SizeOf<T>() > sizeof(double))
            {
                var array = new T[length];
                array.AsSpan().Fill(T.Zero);
                return array;
            }

            int doubles = (int)(((long)length * Unsafe.SizeOf<T>() + sizeof(double) - 1) / sizeof(double));
            Span<double> backing = Lend(doubles); // zero bits: +0 for IEEE types
            return System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
                ref Unsafe.As<double, T>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(backing)), length);
        }

        private static void ThrowIfNegative(int length)
        {
            if (length < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, "A buffer's length cannot be negative.");
            }
        }

        /// <summary>Returns every lent array to the pool and this store to the thread's free list.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public void Release()
        {
            for (int i = 0; i < _lentCount; i++)
            {
                ArrayPool<double>.Shared.Return(_lent[i]);
                _lent[i] = null!;
            }

            _lentCount = 0;
            _next = t_free;
            t_free = this;
        }
    }
}
