using System;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// The total versions generated code calls for an arm of a <c>?:</c> that may not be taken (an element that may not
/// exist, a divisor that may be 0), and the row views of inner loops: in range they are the plain operation, out of
/// range they give the documented default (or throw where the loop itself would).
/// </summary>
public sealed class TapeSupportTests
{
    private static readonly double[] Values = { 1.5, -2.0, 3.25 };

    [Theory]
    [InlineData(0, 1.5)]
    [InlineData(2, 3.25)]
    [InlineData(3, 0.0)]
    [InlineData(-1, 0.0)]
    [InlineData(int.MinValue, 0.0)]
    public void ElementOrDefault_reads_an_element_or_gives_0(int index, double expected)
    {
        Assert.Equal(expected, Tape.ElementOrDefault(Values, index));
        Assert.Equal(expected, Tape.ElementOrDefault((ReadOnlySpan<double>)Values, index));
        Assert.Equal(expected, Tape.ElementOrDefault(Values.AsSpan(), index));
    }

    [Fact]
    public void ElementOrDefault_of_matrices_and_jagged_rows()
    {
        double[,] m = { { 1, 2 }, { 3, 4 } };
        Assert.Equal(4.0, Tape.ElementOrDefault(m, 1, 1));
        Assert.Equal(0.0, Tape.ElementOrDefault(m, 2, 0));
        Assert.Equal(0.0, Tape.ElementOrDefault(m, 0, -1));
        double[][] jagged = { new[] { 1.0 }, new[] { 2.0, 3.0 } };
        Assert.Equal(3.0, Tape.ElementOrDefault(jagged, 1, 1));
        Assert.Equal(0.0, Tape.ElementOrDefault(jagged, 0, 1));
        Assert.Equal(0.0, Tape.ElementOrDefault(jagged, 2, 0));
        Assert.Equal(2, Tape.LengthOrZero(jagged, 1));
        Assert.Equal(0, Tape.LengthOrZero(jagged, 5));
    }

    [Theory]
    [InlineData(7, 2, 3, 1)]
    [InlineData(-7, 2, -3, -1)]
    [InlineData(7, 0, 0, 0)]
    [InlineData(int.MinValue, -1, 0, 0)]
    public void Integer_division_where_csharp_would_throw_gives_0(int a, int b, int quotient, int remainder)
    {
        Assert.Equal(quotient, Tape.QuotientOrZero(a, b));
        Assert.Equal(remainder, Tape.RemainderOrZero(a, b));
        // (In long, int.MinValue / −1 does not overflow.)
        Assert.Equal(b == 0 ? 0 : (long)a / b, Tape.QuotientOrZero((long)a, b));
        Assert.Equal(b == 0 ? 0 : (long)a % b, Tape.RemainderOrZero((long)a, b));
        Assert.Equal(0L, Tape.QuotientOrZero(long.MinValue, -1L));
    }

    [Fact]
    public void Row_is_a_slice_or_empty_with_no_trips()
    {
        double[] a = { 0, 1, 2, 3, 4, 5 };
        Assert.Equal(new double[] { 2, 3, 4 }, Tape.Row(a, 2, 3).ToArray());
        Assert.Equal(new double[] { 2, 3 }, Tape.Row(a.AsSpan(), 2, 2).ToArray());
        Assert.True(Tape.Row(a, 6, 0).IsEmpty);
        Assert.True(Tape.Row(a, 100, 0).IsEmpty);
        Assert.True(Tape.Row(a, -5, -3).IsEmpty);
        Assert.True(Tape.Row((ReadOnlySpan<double>)a, 3, -1).IsEmpty);
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(100, 1)]
    [InlineData(-1, 2)]
    public void Row_throws_where_the_loops_first_read_would(int start, int count)
    {
        double[] a = { 0, 1, 2, 3, 4, 5 };
        Assert.Throws<ArgumentOutOfRangeException>(() => Tape.Row(a, start, count).ToArray());
    }
}
