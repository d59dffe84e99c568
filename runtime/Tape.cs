using System;
using System.Buffers;
using System.ComponentModel;

namespace SymGrad;

/// <summary>
/// The tape of generated reverse-mode code: the forward sweep pushes the values a loop overwrites and the reverse
/// sweep needs back (and branch outcomes and trip counts inside loops); the reverse sweep pops them in reverse
/// order. Its buffer comes from <see cref="ArrayPool{T}.Shared"/> and goes back on <see cref="Dispose"/>, so a
/// gradient called in a training loop does not allocate once the pool is warm.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct Tape
{
    private double[] _buffer;
    private int _count;

    private Tape(double[] buffer)
    {
        _buffer = buffer;
        _count = 0;
    }

    /// <summary>A tape with a pooled buffer.</summary>
    public static Tape Rent() => new(ArrayPool<double>.Shared.Rent(256));

    /// <summary>Number of values on the tape.</summary>
    public readonly int Count => _count;

    /// <summary>Pushes one value.</summary>
    public void Push(double value)
    {
        if (_count == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_count++] = value;
    }

    /// <summary>Pops the value pushed last.</summary>
    public double Pop() => _buffer[--_count];

    /// <summary>Pushes every element of <paramref name="values"/>.</summary>
    public void PushAll(ReadOnlySpan<double> values)
    {
        if (_count + values.Length > _buffer.Length)
        {
            Grow(values.Length);
        }

        values.CopyTo(_buffer.AsSpan(_count));
        _count += values.Length;
    }

    /// <summary>Pops <paramref name="values"/>.Length values pushed by <see cref="PushAll(ReadOnlySpan{double})"/> back into it.</summary>
    public void PopAll(Span<double> values)
    {
        _count -= values.Length;
        _buffer.AsSpan(_count, values.Length).CopyTo(values);
    }

    /// <summary>Pushes every element of an int array (exact: ints are doubles without rounding).</summary>
    public void PushAll(ReadOnlySpan<int> values)
    {
        foreach (int v in values)
        {
            Push(v);
        }
    }

    /// <summary>Pops the ints pushed by <see cref="PushAll(ReadOnlySpan{int})"/> back into <paramref name="values"/>.</summary>
    public void PopAll(Span<int> values)
    {
        for (int i = values.Length - 1; i >= 0; i--)
        {
            values[i] = (int)Pop();
        }
    }

    private void Grow(int needed)
    {
        double[] bigger = ArrayPool<double>.Shared.Rent(Math.Max(_buffer.Length * 2, _count + needed));
        _buffer.AsSpan(0, _count).CopyTo(bigger);
        ArrayPool<double>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<double>.Shared.Return(_buffer);
            _buffer = null!;
        }
    }
}
