using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Inner loops that read <c>a[b + j]</c>, which the generated code reads through row views (<c>a.Slice(b, n)</c>):
/// the cases where a view would be wrong if it were made (a read in an arm, after the counter's step, past the end
/// with no trips, of a buffer the loop writes) and the plain ones.
/// </summary>
public static partial class RowViewModels
{
    /// <summary>Rows of a weight matrix times a data vector: views of w and of its adjoint, forward and reverse.</summary>
    [Differentiable(Hessian = true)]
    public static double Layer([Wrt] ReadOnlySpan<double> w, double[] x, int rows)
    {
        int cols = x.Length;
        double s = 0;
        for (int r = 0; r < rows; r++)
        {
            double z = w[rows * cols + r];
            for (int c = 0; c < cols; c++)
            {
                z += w[r * cols + c] * x[c];
            }

            s += Math.Tanh(z) * Math.Tanh(z);
        }

        return s;
    }

    /// <summary>Data rows times weights (the offset is on the data); a run count that is a parameter.</summary>
    [Differentiable(Hessian = true)]
    public static double Regression([Wrt] double[] beta, double[] x, double[] y, int d)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = -y[i];
            for (int j = 0; j < d; j++)
            {
                r += x[i * d + j] * beta[j] + beta[d + j] * x[j + i * d] * x[i * d + j];
            }

            s += r * r;
        }

        return s;
    }

    /// <summary>An offset past the end and no trips: nothing is read, so nothing may throw.</summary>
    [Differentiable(Hessian = true)]
    public static double EmptyRunPastTheEnd(ReadOnlySpan<double> w, int count)
    {
        double s = w[0] * w[0];
        for (int j = 0; j < count; j++)
        {
            s += Math.Exp(w[w.Length + 3 + j]);
        }

        return s;
    }

    /// <summary>Elements read only in the arm of a <c>?:</c> that is taken; the others are past the end.</summary>
    [Differentiable]
    public static double ReadInAnArm(ReadOnlySpan<double> w, int taken)
    {
        double s = 0;
        for (int j = 0; j < w.Length; j++)
        {
            s += j < taken ? w[1 + j] * w[1 + j] : w[j];
        }

        return s;
    }

    /// <summary>The counter stepped before the read: <c>w[off + j]</c> reads off + 1 … off + n.</summary>
    [Differentiable]
    public static double SteppedFirst(ReadOnlySpan<double> w, int n, int off)
    {
        double s = 0;
        int j = 0;
        while (j < n)
        {
            j++;
            s += Math.Sin(w[off + j]) * w[off + j];
        }

        return s;
    }

    /// <summary>A buffer the loop writes and reads at an offset (a view sees the stores).</summary>
    [Differentiable(Hessian = true)]
    public static double WriteAndRead(ReadOnlySpan<double> w)
    {
        int n = w.Length / 2;
        double[] a = new double[2 * n];
        double s = 0;
        for (int j = 0; j < n; j++)
        {
            a[j] = w[n + j] * w[j];
            a[n + j] = Math.Exp(a[j]);
            s += a[n + j] * w[n + j];
        }

        return s;
    }

    /// <summary>A <c>long</c> trip count and offset.</summary>
    [Differentiable]
    public static double LongBound(ReadOnlySpan<double> w, long n, long off)
    {
        double s = 0;
        for (int j = 0; j < n; j++)
        {
            s += w[(int)off + j] * w[(int)off + j] * w[j];
        }

        return s;
    }
}

/// <summary>The oracle checks these tests share: the gradient (and Hessian) against Richardson finite differences.</summary>
internal static class FiniteDifferenceChecks
{
    public static double[] Points(int n, double phase) => Enumerable.Range(0, n).Select(i => 0.8 * Math.Sin((1.7 * i) + phase)).ToArray();

    public static void Gradient(Func<double[], double> f, Action<double[], double[]> gradient, double[] x)
    {
        double[] g = new double[x.Length];
        gradient(x, g);
        Oracle.AssertClose(Oracle.Gradient(f, x), g, 1e-7, 1e-8);
    }

    public static void GradientAndHessian(Func<double[], double> f, Action<double[], double[]> gradient, Action<double[], double[], double[]> hessian, double[] x)
    {
        Gradient(f, gradient, x);
        double[] h = new double[x.Length * x.Length];
        hessian(x, new double[x.Length], h);
        Oracle.AssertClose(Oracle.Hessian(f, x), h, 1e-6, 1e-6, context: "Hessian");
    }
}

public sealed class RowViewTests
{
    private static double[] Points(int n, double phase) => FiniteDifferenceChecks.Points(n, phase);

    [Fact]
    public void Rows_of_a_weight_matrix()
    {
        double[] x = Points(5, 0.3);
        double[] w = Points((3 * 5) + 3, 1.1);
        double[] g = new double[w.Length];
        double value = RowViewModels.LayerGradient(w, x, 3, g);
        Oracle.AssertClose(RowViewModels.Layer(w, x, 3), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(p => RowViewModels.Layer(p, x, 3), w), g, 1e-7, 1e-8);
        double[] h = new double[w.Length * w.Length];
        RowViewModels.LayerHessian(w, x, 3, new double[w.Length], h);
        Oracle.AssertClose(Oracle.Hessian(p => RowViewModels.Layer(p, x, 3), w), h, 1e-6, 1e-6, context: "Hessian");
    }

    [Fact]
    public void Rows_of_a_data_matrix()
    {
        double[] x = Points(4 * 3, 0.2);
        double[] y = Points(4, 2.0);
        double[] beta = Points(6, 0.7);
        double[] g = new double[6];
        RowViewModels.RegressionGradient(beta, x, y, 3, g);
        Oracle.AssertClose(Oracle.Gradient(p => RowViewModels.Regression(p, x, y, 3), beta), g, 1e-7, 1e-8);
        double[] h = new double[36];
        RowViewModels.RegressionHessian(beta, x, y, 3, new double[6], h);
        Oracle.AssertClose(Oracle.Hessian(p => RowViewModels.Regression(p, x, y, 3), beta), h, 1e-6, 1e-6, context: "Hessian");
    }

    [Fact]
    public void A_loop_with_no_trips_slices_nothing()
    {
        double[] w = { 0.5, -0.3, 0.7 };
        double[] g = new double[3];
        double value = RowViewModels.EmptyRunPastTheEndGradient(w, 0, g);
        Assert.Equal(0.25, value);
        Assert.Equal(new[] { 1.0, 0, 0 }, g);
        double[] h = new double[9];
        RowViewModels.EmptyRunPastTheEndHessian(w, 0, new double[3], h);
        Assert.Equal(new[] { 2.0, 0, 0, 0, 0, 0, 0, 0, 0 }, h);
    }

    [Fact]
    public void A_run_past_the_end_still_throws()
    {
        double[] w = { 0.5, -0.3, 0.7 };
        Assert.ThrowsAny<SystemException>(() => RowViewModels.EmptyRunPastTheEndGradient(w, 1, new double[3]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    public void Elements_read_in_an_arm_are_read_only_when_it_is_taken(int taken)
    {
        FiniteDifferenceChecks.Gradient(p => RowViewModels.ReadInAnArm(p, taken), (p, g) => RowViewModels.ReadInAnArmGradient(p, taken, g), Points(6, 0.4));
    }

    [Fact]
    public void A_counter_stepped_before_the_read()
    {
        FiniteDifferenceChecks.Gradient(p => RowViewModels.SteppedFirst(p, 4, 2), (p, g) => RowViewModels.SteppedFirstGradient(p, 4, 2, g), Points(7, 0.9));
    }

    [Fact]
    public void A_buffer_written_and_read_in_one_loop()
    {
        FiniteDifferenceChecks.GradientAndHessian(p => RowViewModels.WriteAndRead(p), (p, g) => RowViewModels.WriteAndReadGradient(p, g), (p, g, h) => RowViewModels.WriteAndReadHessian(p, g, h), Points(8, 0.1));
    }

    [Fact]
    public void A_long_trip_count_and_offset()
    {
        FiniteDifferenceChecks.Gradient(p => RowViewModels.LongBound(p, 3L, 4L), (p, g) => RowViewModels.LongBoundGradient(p, 3L, 4L, g), Points(7, 1.3));
    }
}

/// <summary>
/// Elements read (and integers divided) only in the arm of a <c>?:</c> that is taken: the generated code must not read
/// them when it is not, where the index is out of range (it used to compute a shared element read before the
/// <c>?:</c>, and to accumulate every element's adjoint whether its arm ran or not).
/// </summary>
public static partial class GuardedReadModels
{
    /// <summary>A next element, when there is one.</summary>
    [Differentiable(Hessian = true)]
    public static double WithNext(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += i + 1 < x.Length ? x[i + 1] * x[i + 1] * x[i] : x[i];
        }

        return s;
    }

    /// <summary>A transcendental of an element read in an arm (its value goes on the tape for the reverse sweep).</summary>
    [Differentiable(Hessian = true)]
    public static double ExpOfNext(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += i + 1 < x.Length ? Math.Exp(x[i + 1]) * x[i] : Math.Sin(x[i]);
        }

        return s;
    }

    /// <summary>An integer division by a data value that is 0 in the arm not taken.</summary>
    [Differentiable]
    public static double DividedWhenNonzero(ReadOnlySpan<double> x, int n, int k)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += k != 0 ? x[i] * x[i] * (n / k) + x[(n / k) % x.Length] : x[i];
        }

        return s;
    }

    /// <summary>Neighbours on both sides, each only when it exists, in a nested loop over the rows of a grid.</summary>
    [Differentiable(Hessian = true)]
    public static double Smoothness(ReadOnlySpan<double> u, int width)
    {
        int height = u.Length / width;
        double s = 0;
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                double here = u[r * width + c];
                double right = c + 1 < width ? u[r * width + c + 1] - here : 0;
                double down = r + 1 < height ? u[(r + 1) * width + c] - here : 0;
                s += (right * right) + (down * down) + Math.Log(1 + (right > 0 ? Math.Exp(u[r * width + c + 1]) : 0));
            }
        }

        return s;
    }
}

public sealed class GuardedReadTests
{
    private static double[] Points(int n, double phase) => FiniteDifferenceChecks.Points(n, phase);

    [Fact]
    public void A_next_element_read_only_when_there_is_one()
    {
        FiniteDifferenceChecks.GradientAndHessian(p => GuardedReadModels.WithNext(p), (p, g) => GuardedReadModels.WithNextGradient(p, g), (p, g, h) => GuardedReadModels.WithNextHessian(p, g, h), Points(5, 0.2));
    }

    [Fact]
    public void A_transcendental_of_an_element_read_in_an_arm()
    {
        FiniteDifferenceChecks.GradientAndHessian(p => GuardedReadModels.ExpOfNext(p), (p, g) => GuardedReadModels.ExpOfNextGradient(p, g), (p, g, h) => GuardedReadModels.ExpOfNextHessian(p, g, h), Points(5, 0.6));
    }

    [Theory]
    [InlineData(7, 0)]
    [InlineData(7, 2)]
    public void An_integer_division_only_when_the_divisor_is_not_zero(int n, int k)
    {
        FiniteDifferenceChecks.Gradient(p => GuardedReadModels.DividedWhenNonzero(p, n, k), (p, g) => GuardedReadModels.DividedWhenNonzeroGradient(p, n, k, g), Points(4, 0.9));
    }

    [Fact]
    public void Neighbours_read_only_where_they_exist()
    {
        FiniteDifferenceChecks.GradientAndHessian(p => GuardedReadModels.Smoothness(p, 4), (p, g) => GuardedReadModels.SmoothnessGradient(p, 4, g), (p, g, h) => GuardedReadModels.SmoothnessHessian(p, 4, g, h), Points(12, 0.4));
    }
}
