using System;
using SymGrad;

namespace SymGrad.Tests.Models;

/// <summary>
/// Objectives whose data live in static tables, the way test-problem collections are written: Moré–Garbow–Hillstrom's
/// Bard function (y in a static readonly array, its count a static readonly int) and a Gaussian fit whose abscissae are
/// a ReadOnlySpan property over constant data.
/// </summary>
public static partial class StaticTables
{
    private static readonly int M = 15;

    private static readonly double[] BardY =
    {
        0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39,
    };

    private static ReadOnlySpan<double> GaussY => [0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009];

    private static readonly int[] Weights = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];

    /// <summary>MGH problem 8 (Bard): f = Σ (yᵢ − (x₁ + uᵢ/(vᵢx₂ + wᵢx₃)))², uᵢ = i, vᵢ = 16 − i, wᵢ = min(uᵢ, vᵢ).</summary>
    [Differentiable(Hessian = true)]
    public static double Bard(double[] x)
    {
        double f = 0;
        for (int i = 1; i <= M; i++)
        {
            double u = i, v = 16 - i, w = Math.Min(u, v);
            double r = BardY[i - 1] - (x[0] + (u / ((v * x[1]) + (w * x[2]))));
            f += r * r;
        }

        return f;
    }

    /// <summary>MGH problem 9 (Gaussian), with scalar parameters: a loop over a static table makes it a program.</summary>
    [Differentiable(Hessian = true)]
    public static double Gaussian(double x1, double x2, double x3)
    {
        double f = 0;
        for (int i = 0; i < GaussY.Length; i++)
        {
            double t = (8 - (i + 1)) / 2.0;
            double d = t - x3;
            double r = (x1 * Math.Exp(-0.5 * x2 * d * d)) - GaussY[i];
            f += Weights[i] * r * r;
        }

        return f;
    }

    /// <summary>The table passed to a helper and enumerated with foreach.</summary>
    [Differentiable]
    public static double Shifted(ReadOnlySpan<double> p) => SumOfSquares(BardY, p[0]) + (p[1] * p[1]);

    private static double SumOfSquares(ReadOnlySpan<double> y, double shift)
    {
        double s = 0;
        foreach (double v in y)
        {
            s += (v - shift) * (v - shift);
        }

        return s;
    }
}
