using System;
using System.Globalization;
using SymGrad;

namespace Consumer;

/// <summary>A data set held as jagged rows and as a matrix, from the package: least squares, gradient against the hand-derived one.</summary>
public static partial class Regression
{
    [Differentiable]
    public static double Rows([Wrt] double[] w, double[][] X, double[] y)
    {
        double loss = 0;
        for (int i = 0; i < X.Length; i++)
        {
            double z = 0;
            for (int j = 0; j < X[i].Length; j++)
            {
                z += w[j] * X[i][j];
            }

            loss += (z - y[i]) * (z - y[i]);
        }

        return loss;
    }

    [Differentiable]
    public static double Matrix([Wrt] double[] w, double[,] X, double[] y)
    {
        double loss = 0;
        for (int i = 0; i < X.GetLength(0); i++)
        {
            double z = 0;
            for (int j = 0; j < X.GetLength(1); j++)
            {
                z += w[j] * X[i, j];
            }

            loss += (z - y[i]) * (z - y[i]);
        }

        return loss;
    }
}

public static class Matrices
{
    public static int Check()
    {
        double[][] rows = { new[] { 1.0, 2.0 }, new[] { -0.5, 0.25 }, new[] { 3.0, -1.0 } };
        double[,] matrix = { { 1.0, 2.0 }, { -0.5, 0.25 }, { 3.0, -1.0 } };
        double[] y = { 1.0, 0.0, 2.0 };
        double[] w = { 0.3, -0.2 };

        // Hand-derived: ∂/∂wⱼ Σᵢ (xᵢ·w − yᵢ)² = 2 Σᵢ (xᵢ·w − yᵢ) xᵢⱼ.
        double[] expected = new double[2];
        for (int i = 0; i < 3; i++)
        {
            double r = (rows[i][0] * w[0]) + (rows[i][1] * w[1]) - y[i];
            expected[0] += 2 * r * rows[i][0];
            expected[1] += 2 * r * rows[i][1];
        }

        int failures = 0;
        double[] g = new double[2];
        Regression.RowsGradient(w, rows, y, g);
        failures += Report("jagged rows", g, expected);
        Regression.MatrixGradient(w, matrix, y, g);
        failures += Report("matrix", g, expected);
        return failures;
    }

    private static int Report(string what, double[] actual, double[] expected)
    {
        bool ok = Math.Abs(actual[0] - expected[0]) <= 1e-13 && Math.Abs(actual[1] - expected[1]) <= 1e-13;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: gradient ({1:R}, {2:R}), expected ({3:R}, {4:R}) {5}", what, actual[0], actual[1], expected[0], expected[1], ok ? "ok" : "MISMATCH"));
        return ok ? 0 : 1;
    }
}
