namespace SymGrad.Benchmarks.Models;

/// <summary>
/// Linear least squares over a data set: L(β) = Σ_i (x_i·β − y_i)², X row-major (n rows of d = β.Length).
/// </summary>
public static partial class LeastSquares
{
    /// <summary>The sum of squared residuals.</summary>
    [Differentiable]
    public static double Loss(double[] X, double[] y, [Wrt] double[] beta)
    {
        int d = beta.Length;
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = -y[i];
            for (int j = 0; j < d; j++)
            {
                r += X[i * d + j] * beta[j];
            }

            sum += r * r;
        }

        return sum;
    }
}
