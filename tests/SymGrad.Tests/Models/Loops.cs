using System;
using SymGrad;

namespace SymGrad.Tests.Models;

/// <summary>Models with run-time loops, branches and arrays whose generated code is snapshot-tested.</summary>
public static partial class Loops
{
    /// <summary>Counted loops over a data matrix: no tape for the counters, one value per row.</summary>
    [Differentiable]
    public static double LeastSquares([Wrt] ReadOnlySpan<double> beta, double[] x, double[] y)
    {
        int d = beta.Length;
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = -y[i];
            for (int j = 0; j < d; j++)
            {
                r += x[(i * d) + j] * beta[j];
            }

            sum += r * r;
        }

        return sum;
    }

    /// <summary>Softmax cross-entropy with int labels: a local buffer, a max with a branch, a log-sum-exp; second order.</summary>
    [Differentiable(Hessian = true)]
    public static double Softmax([Wrt] ReadOnlySpan<double> w, ReadOnlySpan<double> features, ReadOnlySpan<int> labels, int classes)
    {
        int d = features.Length / labels.Length;
        Span<double> z = stackalloc double[classes];
        double total = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            for (int c = 0; c < classes; c++)
            {
                double zc = w[(c * (d + 1)) + d];
                for (int k = 0; k < d; k++)
                {
                    zc += w[(c * (d + 1)) + k] * features[(n * d) + k];
                }

                z[c] = zc;
            }

            double m = z[0];
            for (int c = 1; c < classes; c++)
            {
                if (z[c] > m)
                {
                    m = z[c];
                }
            }

            double s = 0;
            for (int c = 0; c < classes; c++)
            {
                s += Math.Exp(z[c] - m);
            }

            total += m + Math.Log(s) - z[labels[n]];
        }

        return total / labels.Length;
    }

    /// <summary>A while loop with break and continue on data-dependent conditions.</summary>
#pragma warning disable SG0100 // limit only decides which iterations run: its derivative is 0 wherever it exists
    [Differentiable]
    public static double Skipping(double[] p, double limit)
#pragma warning restore SG0100
    {
        double s = 1;
        int i = 0;
        while (true)
        {
            if (i >= p.Length)
            {
                break;
            }

            if (p[i] > limit)
            {
                i++;
                continue;
            }

            s = (s * Math.Sin(p[i])) + p[i];
            i++;
        }

        return s;
    }
}
