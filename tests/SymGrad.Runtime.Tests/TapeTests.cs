using System;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// The tape itself: values come back in reverse order across growth past its first buffer, nested tapes on one
/// thread do not share a stack or lent buffers, lent buffers are zeroed even when the pool hands back a used array.
/// </summary>
public sealed class TapeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(100_000)]
    public void Values_come_back_in_reverse_order_across_growth(int count)
    {
        using Tape tape = Tape.Rent();
        for (int i = 0; i < count; i++)
        {
            tape.Push(i * 0.5);
        }

        Assert.Equal(count, tape.Count);
        for (int i = count - 1; i >= 0; i--)
        {
            Assert.Equal(i * 0.5, tape.Pop());
        }

        Assert.Equal(0, tape.Count);
    }

    [Fact]
    public void Spans_of_doubles_ints_and_floats_round_trip_between_single_values()
    {
        using Tape tape = Tape.Rent();
        double[] d = new double[300];
        int[] n = new int[300];
        float[] f = new float[300];
        for (int i = 0; i < 300; i++)
        {
            d[i] = i + 0.25;
            n[i] = -i;
            f[i] = i * 0.5f;
        }

        tape.Push(-1);
        tape.PushAll((ReadOnlySpan<double>)d);
        tape.PushAll((ReadOnlySpan<int>)n);
        tape.PushAll((ReadOnlySpan<float>)f);
        tape.Push(-2);
        double[] d2 = new double[300];
        int[] n2 = new int[300];
        float[] f2 = new float[300];
        Assert.Equal(-2, tape.Pop());
        tape.PopAll(f2.AsSpan());
        tape.PopAll(n2.AsSpan());
        tape.PopAll(d2.AsSpan());
        Assert.Equal(-1, tape.Pop());
        Assert.Equal(d, d2);
        Assert.Equal(n, n2);
        Assert.Equal(f, f2);
    }

    [Fact]
    public void Nested_tapes_keep_their_own_values_and_buffers()
    {
        using Tape outer = Tape.Rent();
        Span<double> outerBuffer = outer.Buffer(64);
        outerBuffer.Fill(7);
        for (int i = 0; i < 1000; i++)
        {
            outer.Push(i);
        }

        for (int round = 0; round < 3; round++)
        {
            using Tape inner = Tape.Rent();
            Span<double> innerBuffer = inner.Buffer(64);
            Assert.All(innerBuffer.ToArray(), v => Assert.Equal(0.0, v));
            innerBuffer.Fill(-1);
            for (int i = 0; i < 2000; i++)
            {
                inner.Push(-i);
            }

            Assert.Equal(-1999.0, inner.Pop());
        }

        Assert.All(outerBuffer.ToArray(), v => Assert.Equal(7.0, v));
        for (int i = 999; i >= 0; i--)
        {
            Assert.Equal(i, outer.Pop());
        }
    }

    [Fact]
    public void Lent_buffers_are_zeroed_on_every_tape()
    {
        for (int round = 0; round < 4; round++)
        {
            using Tape tape = Tape.Rent();
            for (int b = 0; b < 20; b++)
            {
                Span<double> buffer = tape.Buffer(33 + b);
                Span<float> floats = tape.FloatBuffer(17);
                Assert.Equal(33 + b, buffer.Length);
                Assert.Equal(17, floats.Length);
                Assert.True(buffer.IndexOfAnyExcept(0.0) < 0 && floats.IndexOfAnyExcept(0f) < 0, "a lent buffer was not zeroed");
                buffer.Fill(round + 1);
                floats.Fill(round + 1);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(100)]
    [InlineData(50_000)]
    public void Reserved_room_takes_exactly_the_reserved_pushes(int trips)
    {
        using Tape tape = Tape.Rent();
        tape.Push(42);
        tape.Reserve(trips, 3);
        for (int t = 0; t < trips; t++)
        {
            tape.PushReserved(t);
            tape.PushReserved(-t);
            tape.PushReserved(0.5 * t);
        }

        for (int t = trips - 1; t >= 0; t--)
        {
            Assert.Equal(0.5 * t, tape.Pop());
            Assert.Equal(-t, tape.Pop());
            Assert.Equal(t, tape.Pop());
        }

        Assert.Equal(42, tape.Pop());
    }

    [Fact]
    public void A_push_beyond_the_reserved_room_throws_rather_than_writes_past_the_tape()
    {
        Assert.ThrowsAny<IndexOutOfRangeException>(() =>
        {
            using Tape tape = Tape.Rent();
            tape.Reserve(1, 1);
            for (int i = 0; i < 1_000_000; i++)
            {
                tape.PushReserved(i);
            }
        });
    }

    [Fact]
    public void A_negative_buffer_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            using Tape tape = Tape.Rent();
            tape.Buffer(-1);
        });
    }
}
