using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>Slices, ranges, second names for reading, helpers that fill a buffer, one helper called twice in one expression.</summary>
public static partial class ViewModels
{
    private static double SumOfSquares(ReadOnlySpan<double> a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * a[i];
        }

        return s;
    }

    private static double Dot(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++)
        {
            s += u[i] * v[i];
        }

        return s;
    }

    private static void Fill(ReadOnlySpan<double> w, Span<double> y)
    {
        y[0] = w[0] * w[1];
        y[1] = Math.Sin(w[^1]);
        if (y[1] > 0.5)
        {
            return;
        }

        y[1] += w[0];
    }

    /// <summary>Slice, ranges from the start, to the end and from the end, a declared range, foreach over it.</summary>
    [Differentiable(Hessian = true)]
    public static double Slices(ReadOnlySpan<double> w, int k)
    {
        double s = SumOfSquares(w.Slice(1, 2)) + (SumOfSquares(w[..k]) * SumOfSquares(w[k..])) + w[^1];
        ReadOnlySpan<double> tail = w[^3..];
        foreach (double t in tail)
        {
            s += Math.Exp(t);
        }

        return s + SumOfSquares(tail.Slice(1));
    }

    /// <summary>The same helper twice in one expression: its locals must not leak between the calls.</summary>
    [Differentiable]
    public static double CosineLike(double[] u, double[] v) => Dot(u, v) / Math.Sqrt(Dot(u, u) * Dot(v, v));

    /// <summary>A void helper writes a local buffer (with an early return), then the buffer is read.</summary>
    [Differentiable(Hessian = true)]
    public static double Filled(ReadOnlySpan<double> w)
    {
        double[] y = new double[2];
        Fill(w, y);
        return y[0] * y[1];
    }

    /// <summary>Rows of a row-major data matrix as spans declared inside the loop.</summary>
    [Differentiable]
    public static double Rows([Wrt] ReadOnlySpan<double> w, double[] x, int d)
    {
        double s = 0;
        for (int i = 0; i < x.Length / d; i++)
        {
            ReadOnlySpan<double> row = x.AsSpan(i * d, d);
            s += Math.Tanh(Dot(w, row));
        }

        return s;
    }
}

public sealed class ViewTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Slices_and_ranges(int k)
    {
        double[] w = { 0.5, -0.3, 0.7, 1.2, 0.1, 0.9 };
        double[] g = new double[w.Length];
        double value = ViewModels.SlicesGradient(w, k, g);
        Oracle.AssertClose(ViewModels.Slices(w, k), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(p => ViewModels.Slices(p, k), w), g, 1e-7, 1e-8);

        double[] h = new double[w.Length * w.Length];
        ViewModels.SlicesHessian(w, k, new double[w.Length], h);
        Oracle.AssertClose(Oracle.Hessian(p => ViewModels.Slices(p, k), w), h, 1e-6, 1e-6, context: "Hessian");
    }

    [Fact]
    public void A_helper_called_twice_in_one_expression()
    {
        double[] p = { 0.5, -0.3, 0.7, 1.2, 0.1, 0.9 };
        Func<double[], double> f = q => ViewModels.CosineLike(q[..3], q[3..]);
        double[] g = new double[6];
        double value = ViewModels.CosineLikeGradient(p[..3], p[3..], g);
        Oracle.AssertClose(f(p), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(f, p), g, 1e-7, 1e-8);
    }

    [Theory]
    [InlineData(0.5, -0.3, 0.7)]
    [InlineData(0.5, -0.3, -0.2)]
    public void A_void_helper_fills_a_buffer(double a, double b, double c)
    {
        double[] w = { a, b, c };
        double[] g = new double[3];
        ViewModels.FilledGradient(w, g);
        Oracle.AssertClose(Oracle.Gradient(q => ViewModels.Filled(q), w), g, 1e-7, 1e-8);
        double[] h = new double[9];
        ViewModels.FilledHessian(w, new double[3], h);
        Oracle.AssertClose(Oracle.Hessian(q => ViewModels.Filled(q), w), h, 1e-6, 1e-6, context: "Hessian");
    }

    [Fact]
    public void Rows_as_spans_declared_in_a_loop()
    {
        double[] x = Enumerable.Range(0, 12).Select(i => Math.Sin(i + 0.3)).ToArray();
        double[] w = { 0.4, -0.2, 0.9 };
        double[] g = new double[3];
        ViewModels.RowsGradient(w, x, 3, g);
        Oracle.AssertClose(Oracle.Gradient(q => ViewModels.Rows(q, x, 3), w), g, 1e-7, 1e-8);
    }
}
