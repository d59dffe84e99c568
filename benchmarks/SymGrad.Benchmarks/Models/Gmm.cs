using System;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// The Gaussian-mixture log-likelihood objective of ADBench (Srajer, Kukelova, Fitzgibbon 2018), written as a user
/// would: K components in d dimensions, each with a weight logit α_k, a mean μ_k and an inverse-covariance factor
/// Q_k = lower-triangular with diagonal exp(q_k) and strictly-lower part l_k (column by column), and a Wishart prior.
/// Parameters (one vector, the gradient's layout): α (K), μ (K·d), then per component its d log-diagonal entries
/// and d(d−1)/2 off-diagonal entries (ADBench's "icf"). Data: n points row-major in <c>x</c>.
/// f = Σ_i logsumexp_k(α_k + Σ q_k − ½‖Q_k(x_i − μ_k)‖²) − n·logsumexp(α)
///     + Σ_k (½γ²(‖exp(q_k)‖² + ‖l_k‖²) − m·Σ q_k), without ADBench's constant terms.
/// </summary>
public static partial class Gmm
{
    /// <summary>The objective (negated log-likelihood up to constants, as ADBench computes it, plus the prior).</summary>
    [Differentiable]
    public static double Objective(double[] x, int d, int k, double gamma, int m, [Wrt] ReadOnlySpan<double> w)
    {
        int n = x.Length / d;
        int icfSize = d * (d + 1) / 2;
        int means = k;
        int icf = k + k * d;

        // Per component: Σ q (the log-determinant of Q) and the diagonal exp(q), computed once.
        double[] sumQs = new double[k];
        double[] qdiag = new double[k * d];
        for (int c = 0; c < k; c++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                double q = w[icf + c * icfSize + j];
                s += q;
                qdiag[c * d + j] = Math.Exp(q);
            }

            sumQs[c] = s;
        }

        double[] xc = new double[d];
        double[] main = new double[k];
        double slse = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[i * d + j] - w[means + c * d + j];
                }

                // ‖Q·xc‖² with Q lower-triangular: row r is Σ_{col<r} L[r, col]·xc[col] + exp(q_r)·xc[r].
                double sq = 0;
                for (int r = 0; r < d; r++)
                {
                    double qx = qdiag[c * d + r] * xc[r];
                    for (int col = 0; col < r; col++)
                    {
                        // ADBench stores L column by column: column col starts at d + col·d − col(col+1)/2.
                        qx += w[icf + c * icfSize + d + col * d - col * (col + 1) / 2 + (r - col - 1)] * xc[col];
                    }

                    sq += qx * qx;
                }

                main[c] = w[c] + sumQs[c] - 0.5 * sq;
            }

            slse += LogSumExp(main, k);
        }

        double prior = 0;
        for (int c = 0; c < k; c++)
        {
            double frobenius = 0;
            for (int j = 0; j < d; j++)
            {
                frobenius += qdiag[c * d + j] * qdiag[c * d + j];
            }

            for (int j = d; j < icfSize; j++)
            {
                double l = w[icf + c * icfSize + j];
                frobenius += l * l;
            }

            prior += 0.5 * gamma * gamma * frobenius - m * sumQs[c];
        }

        return -(slse - n * LogSumExp(w, k)) + prior;
    }

    /// <summary>log Σ_{c &lt; count} exp(v[c]), shifted by the largest term.</summary>
    public static double LogSumExp(ReadOnlySpan<double> v, int count)
    {
        double max = v[0];
        for (int c = 1; c < count; c++)
        {
            if (v[c] > max)
            {
                max = v[c];
            }
        }

        double sum = 0;
        for (int c = 0; c < count; c++)
        {
            sum += Math.Exp(v[c] - max);
        }

        return max + Math.Log(sum);
    }
}
