using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;
using M = SymGrad.Tests.Programs.MatrixModels;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Matrix and jagged data parameters (<see cref="MatrixModels"/>): gradients and Hessians against Richardson finite
/// differences of the user's own methods, in double, float and generic math; the generated code reads X[i, j] and
/// X[i][j] directly (no copy), and a matrix as a differentiated parameter, a foreach over rows or a whole matrix passed
/// to a helper are clear errors.
/// </summary>
public sealed class MatrixDataTests
{
    private static readonly double[,] Matrix = { { 1.0, 2.0, -0.5 }, { -0.5, 0.25, 1.5 }, { 3.0, -1.0, 0.75 }, { 0.5, 0.5, -2.0 } };
    private static readonly double[][] Rows = { [1.0, 2.0, -0.5], [-0.5, 0.25, 1.5], [3.0, -1.0, 0.75], [0.5, 0.5, -2.0] };
    private static readonly double[] Targets = { 1.0, 0.0, 2.0, -1.0 };

    [Fact]
    public void Least_squares_over_a_matrix_matches_finite_differences_and_its_Hessian_is_twice_the_Gram_matrix()
    {
        double[] w = { 0.3, -0.2, 0.7 };
        double[] g = new double[3];
        double value = M.MatrixLeastSquaresGradient(w, Matrix, Targets, g);
        Oracle.AssertClose(M.MatrixLeastSquares(w, Matrix, Targets), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(p => M.MatrixLeastSquares(p, Matrix, Targets), w), g, 1e-8, 1e-10);

        double[] h = new double[9];
        M.MatrixLeastSquaresHessian(w, Matrix, Targets, new double[3], h);
        for (int a = 0; a < 3; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                double gram = Enumerable.Range(0, 4).Sum(i => Matrix[i, a] * Matrix[i, b]);
                Assert.Equal(2 * gram, h[a * 3 + b], 12);
            }
        }
    }

    [Fact]
    public void Logistic_regression_over_jagged_rows_passed_to_a_helper_matches_finite_differences()
    {
        int[] labels = { 1, 0, 1, 0 };
        double[] w = { 0.4, -0.3, 0.1 };
        double[] g = new double[3];
        double value = M.JaggedLogisticGradient(w, Rows, labels, g);
        Oracle.AssertClose(M.JaggedLogistic(w, Rows, labels), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(p => M.JaggedLogistic(p, Rows, labels), w), g, 1e-8, 1e-10);
        double[] h = new double[9];
        M.JaggedLogisticHessian(w, Rows, labels, new double[3], h);
        Oracle.AssertClose(Oracle.Hessian(p => M.JaggedLogistic(p, Rows, labels), w), h, 1e-6, 1e-8);
    }

    [Fact]
    public void Foreach_over_jagged_rows_matches_finite_differences_and_stops_at_an_empty_row()
    {
        double[] w = { 0.4, -0.3, 0.1 };
        double[][] withEmpty = { Rows[0], Rows[1], Array.Empty<double>(), Rows[2] };
        foreach (double[][] data in new[] { Rows, withEmpty })
        {
            double[] g = new double[3];
            double value = M.ForeachRowsGradient(w, data, g);
            Oracle.AssertClose(M.ForeachRows(w, data), value, 1e-14, 1e-14);
            Oracle.AssertClose(Oracle.Gradient(p => M.ForeachRows(p, data), w), g, 1e-8, 1e-10);
        }
    }

    [Fact]
    public void Ragged_rows_with_their_own_lengths_and_slices_match_finite_differences()
    {
        double[][] ragged = { [0.5, 1.0, 2.0], [-1.0, 0.25], [0.0, 1.5, -0.5, 2.5], [2.0] };
        double[] w = { 0.7, -0.4, 1.1 };
        double[] g = new double[3];
        double value = M.RaggedGradient(w, ragged, g);
        Oracle.AssertClose(M.Ragged(w, ragged), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(p => M.Ragged(p, ragged), w), g, 1e-8, 1e-10);
    }

    [Fact]
    public void A_quadratic_form_with_a_data_matrix_and_jagged_int_index_pairs_matches_finite_differences()
    {
        double[,] a = { { 4.0, 1.0, 0.0 }, { 1.0, 3.0, -1.0 }, { 0.0, -1.0, 2.0 } };
        double[] b = { 1.0, -2.0, 0.5 };
        int[][] pairs = { [0, 1], [2, 0] };
        double[] x = { 0.3, -0.6, 1.2 };
        double[] g = new double[3];
        double value = M.QuadraticWithPairsGradient(x, a, b, pairs, g);
        Oracle.AssertClose(M.QuadraticWithPairs(x, a, b, pairs), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(p => M.QuadraticWithPairs(p, a, b, pairs), x), g, 1e-8, 1e-10);
        double[] h = new double[9];
        M.QuadraticWithPairsHessian(x, a, b, pairs, new double[3], h);
        Oracle.AssertClose(Oracle.Hessian(p => M.QuadraticWithPairs(p, a, b, pairs), x), h, 1e-6, 1e-8);
    }

    [Fact]
    public void Local_matrices_written_element_by_element_and_as_literals_match_finite_differences()
    {
        double[,] points = { { 1.0, 0.5, -1.0 }, { -0.25, 2.0, 0.75 }, { 0.5, -1.5, 1.0 } };
        double[,] targets = { { 0.5, 1.0, -0.5 }, { 1.0, 0.25, 0.5 }, { -1.0, 0.75, 0.25 } };
        foreach (double[] angles in new[] { new[] { 0.3, -0.7 }, new[] { 1.9, 0.4 } })
        {
            double[] g = new double[2];
            double value = M.RotationGradient(angles, points, targets, g);
            Oracle.AssertClose(M.Rotation(angles, points, targets), value, 1e-13, 1e-13);
            Oracle.AssertClose(Oracle.Gradient(p => M.Rotation(p, points, targets), angles), g, 1e-8, 1e-10);
            double[] h = new double[4];
            M.RotationHessian(angles, points, targets, new double[2], h);
            Oracle.AssertClose(Oracle.Hessian(p => M.Rotation(p, points, targets), angles), h, 1e-6, 1e-8);
        }
    }

    [Fact]
    public void A_differentiated_weight_matrix_gets_a_row_major_gradient_and_Hessian_matching_finite_differences()
    {
        double[,] w = { { 0.5, -0.25, 0.75 }, { -1.0, 0.5, 0.25 } };
        double[] v = { 0.8, -0.6 };
        double[] p = new double[8];
        System.Buffer.BlockCopy(w, 0, p, 0, 6 * sizeof(double)); // row-major, as the gradient's layout
        v.CopyTo(p, 6);
        double F(double[] q)
        {
            var wq = new double[2, 3];
            System.Buffer.BlockCopy(q, 0, wq, 0, 6 * sizeof(double));
            return M.Layer(wq, q[6..], Rows, Targets);
        }

        double[] g = new double[8];
        double value = M.LayerGradient(w, v, Rows, Targets, g);
        Oracle.AssertClose(F(p), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(F, p), g, 1e-8, 1e-10, context: "layout W[0, 0], W[0, 1], …, W[1, 2], v[0], v[1]");
        double[] h = new double[64];
        M.LayerHessian(w, v, Rows, Targets, new double[8], h);
        Oracle.AssertClose(Oracle.Hessian(F, p), h, 1e-6, 1e-8);
        Assert.Throws<ArgumentException>(() => M.LayerGradient(w, v, Rows, Targets, new double[7]));
    }

    [Fact]
    public void Float_and_generic_methods_take_matrices_and_jagged_arrays_too()
    {
        double[] w = { 0.3, -0.2, 0.7 };
        double[] expected = Oracle.Gradient(p => M.MatrixLeastSquares(p, Matrix, Targets), w);

        float[,] mf = new float[4, 3];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                mf[i, j] = (float)Matrix[i, j];
            }
        }

        float[] gf = new float[3];
        M.MatrixLeastSquaresFGradient(w.Select(v => (float)v).ToArray(), mf, Targets.Select(v => (float)v).ToArray(), gf);
        Oracle.AssertClose(expected, gf.Select(v => (double)v).ToArray(), 1e-5, 1e-5);

        double[] gt = new double[3];
        M.JaggedLeastSquaresTGradient<double>(w, Rows, Targets, gt);
        Oracle.AssertClose(expected, gt, 1e-8, 1e-10);
    }

    [Fact]
    public void The_generated_code_reads_the_data_in_place()
    {
        string text = GeneratorHarness.Run(System.IO.File.ReadAllText(RepositoryFiles.PathOf("tests/SymGrad.Tests/Programs/MatrixModels.cs"))).AllGeneratedText();
        Assert.Contains("double z_1 = z + X[i, j] * w[j];", text, StringComparison.Ordinal);
        Assert.Contains("while (i < X.GetLength(0))", text, StringComparison.Ordinal);
        Assert.Contains("double s_1 = s + w[j] * X[X_row][j];", text, StringComparison.Ordinal); // a jagged row through the helper
        Assert.Contains("while (j < X[X_row].Length)", text, StringComparison.Ordinal);
    }
}
