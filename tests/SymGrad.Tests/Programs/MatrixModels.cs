using System;
using SymGrad;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Data given as matrices (<c>double[,]</c>) and jagged arrays (<c>double[][]</c>, rows of any length), as users
/// hold data sets: read as X[i, j], X[i][j], X.GetLength(d), X.Length, X[i].Length, rows passed to helpers and sliced.
/// </summary>
public static partial class MatrixModels
{
    /// <summary>Least squares over the rows of a matrix: Σᵢ (Σⱼ Xᵢⱼ wⱼ − yᵢ)².</summary>
    [Differentiable(Hessian = true)]
    public static double MatrixLeastSquares([Wrt] double[] w, double[,] X, double[] y)
    {
        double loss = 0;
        for (int i = 0; i < X.GetLength(0); i++)
        {
            double z = 0;
            for (int j = 0; j < X.GetLength(1); j++)
            {
                z += X[i, j] * w[j];
            }

            loss += (z - y[i]) * (z - y[i]);
        }

        return loss;
    }

    /// <summary>Logistic regression over jagged rows, each row passed whole to a helper: Σᵢ softplus(−yᵢ·w·xᵢ).</summary>
    [Differentiable(Hessian = true)]
    public static double JaggedLogistic([Wrt] ReadOnlySpan<double> w, double[][] X, int[] labels)
    {
        double loss = 0;
        for (int i = 0; i < X.Length; i++)
        {
            double[] row = X[i];
            double sign = labels[i] == 1 ? 1.0 : -1.0;
            loss += SymMath.Softplus(-sign * Dot(w, row));
        }

        return loss / X.Length;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < b.Length; j++)
        {
            s += a[j] * b[j];
        }

        return s;
    }

    /// <summary>foreach over the rows of a jagged array, and over each row's values, with a break on an empty row.</summary>
    [Differentiable]
    public static double ForeachRows([Wrt] double[] w, double[][] X)
    {
        double total = 0;
        foreach (double[] row in X)
        {
            if (row.Length == 0)
            {
                break;
            }

            double s = 0;
            int j = 0;
            foreach (double x in row)
            {
                s += w[j] * x;
                j++;
            }

            total += Math.Exp(-s * s);
        }

        return total;
    }

    /// <summary>Ragged rows: each row has its own length (X[i].Length), its first entry is a bias column read through a slice.</summary>
    [Differentiable]
    public static double Ragged([Wrt] double[] w, double[][] X)
    {
        double total = 0;
        for (int i = 0; i < X.Length; i++)
        {
            ReadOnlySpan<double> features = X[i].AsSpan(1);
            double s = X[i][0];
            for (int j = 0; j < X[i].Length - 1; j++)
            {
                s += Math.Sin(w[j] * features[j]);
            }

            total += s * s / X[i].Length;
        }

        return total;
    }

    /// <summary>A quadratic form with a data matrix, ½xᵀAx − bᵀx, and a jagged int array of index pairs penalised.</summary>
    [Differentiable(Hessian = true)]
    public static double QuadraticWithPairs([Wrt] double[] x, double[,] A, double[] b, int[][] pairs)
    {
        int n = A.GetLength(0);
        double q = 0;
        for (int i = 0; i < n; i++)
        {
            double ax = 0;
            for (int j = 0; j < A.GetLength(1); j++)
            {
                ax += A[i, j] * x[j];
            }

            q += 0.5 * x[i] * ax - b[i] * x[i];
        }

        for (int p = 0; p < pairs.Length; p++)
        {
            double d = x[pairs[p][0]] - x[pairs[p][1]];
            q += d * d * d * d;
        }

        return q;
    }

    /// <summary>
    /// Local matrices: a rotation R(θ, φ) built element by element in a 3×3 buffer and a literal scaling matrix,
    /// applied to the points with nested loops over a.GetLength(0/1); Σ ‖S·R·pᵢ − qᵢ‖².
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double Rotation([Wrt] double[] angles, double[,] points, double[,] targets)
    {
        double t = angles[0], u = angles[1];
        double[,] r = new double[3, 3];
        r[0, 0] = Math.Cos(t);
        r[0, 1] = -Math.Sin(t) * Math.Cos(u);
        r[0, 2] = Math.Sin(t) * Math.Sin(u);
        r[1, 0] = Math.Sin(t);
        r[1, 1] = Math.Cos(t) * Math.Cos(u);
        r[1, 2] = -Math.Cos(t) * Math.Sin(u);
        r[2, 1] = Math.Sin(u);
        r[2, 2] = Math.Cos(u);
        double[,] scale = { { 2.0, 0.0, 0.0 }, { 0.0, 1.0, 0.0 }, { 0.0, 0.0, 0.5 } };
        double[,] m = new double[r.GetLength(0), r.GetLength(1)];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    m[i, j] += scale[i, k] * r[k, j];
                }
            }
        }

        double loss = 0;
        for (int p = 0; p < points.GetLength(0); p++)
        {
            for (int i = 0; i < m.GetLength(0); i++)
            {
                double y = 0;
                for (int j = 0; j < m.GetLength(1); j++)
                {
                    y += m[i, j] * points[p, j];
                }

                double e = y - targets[p, i];
                loss += e * e;
            }
        }

        return loss;
    }

    /// <summary>A tanh layer with a differentiated weight matrix W (hidden × inputs) and output weights v: Σᵢ (v·tanh(W xᵢ) − yᵢ)².</summary>
    [Differentiable(Hessian = true)]
    public static double Layer([Wrt] double[,] W, [Wrt] double[] v, double[][] X, double[] y)
    {
        double loss = 0;
        for (int i = 0; i < X.Length; i++)
        {
            double output = 0;
            for (int h = 0; h < W.GetLength(0); h++)
            {
                double z = 0;
                for (int j = 0; j < W.GetLength(1); j++)
                {
                    z += W[h, j] * X[i][j];
                }

                output += v[h] * Math.Tanh(z);
            }

            loss += (output - y[i]) * (output - y[i]);
        }

        return loss;
    }

    /// <summary>The same least squares in float and in generic math.</summary>
    [Differentiable]
    public static float MatrixLeastSquaresF([Wrt] float[] w, float[,] X, float[] y)
    {
        float loss = 0;
        for (int i = 0; i < X.GetLength(0); i++)
        {
            float z = 0;
            for (int j = 0; j < X.GetLength(1); j++)
            {
                z += X[i, j] * w[j];
            }

            loss += (z - y[i]) * (z - y[i]);
        }

        return loss;
    }

    [Differentiable]
    public static T JaggedLeastSquaresT<T>([Wrt] T[] w, T[][] X, T[] y)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        T loss = T.Zero;
        for (int i = 0; i < X.Length; i++)
        {
            T z = T.Zero;
            for (int j = 0; j < X[i].Length; j++)
            {
                z += X[i][j] * w[j];
            }

            loss += (z - y[i]) * (z - y[i]);
        }

        return loss;
    }
}
