using System;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Loops over data that add to a sum, whose adjoint the generated code runs inside the loop, iteration by iteration
/// (the first group), and loops that look alike but must keep the separate reverse loop (the second group): each
/// breaks one condition of the fusion. <see cref="FusedLoopTests"/> checks which is which in the generated code and
/// every gradient and Hessian against finite differences.
/// </summary>
public static partial class FusedLoopModels
{
    // ---- fused

    /// <summary>Mean squared residual over data rows: the sum's seed is 1/n.</summary>
    [Differentiable(Hessian = true)]
    public static double MeanSquares([Wrt] ReadOnlySpan<double> beta, double[] x, double[] y)
    {
        int d = beta.Length;
        double s = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = -y[i];
            for (int j = 0; j < d; j++)
            {
                r += x[i * d + j] * beta[j];
            }

            s += r * r;
        }

        return s / y.Length;
    }

    /// <summary>A buffer overwritten whole every iteration, a max over it, two sums with their own seeds, one added to in both arms of a branch, a term after the loop.</summary>
    [Differentiable(Hessian = true)]
    public static double TwoSums([Wrt] ReadOnlySpan<double> w, double[] x, int d)
    {
        int n = x.Length / d;
        double[] t = new double[d];
        double a = 0;
        double b = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                t[j] = Math.Tanh(w[j] * x[i * d + j] + w[d]);
            }

            double m = t[0];
            for (int j = 1; j < d; j++)
            {
                if (t[j] > m)
                {
                    m = t[j];
                }
            }

            a += m * m;
            if (x[i * d] > 0)
            {
                b += Math.Exp(t[d - 1]);
            }
            else
            {
                b += t[0] * w[0];
            }
        }

        return (3 * a) - (0.5 * b) + (w[0] * w[1]);
    }

    /// <summary>Iterations skipped with <c>continue</c>.</summary>
    [Differentiable(Hessian = true)]
    public static double SkipNegative([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] < 0)
            {
                continue;
            }

            double z = (w[0] * x[i]) + w[1];
            s += Math.Log(1 + (z * z));
        }

        return -s;
    }

    /// <summary>A negative log-likelihood that subtracts every point's term (<c>total -= log p</c>), with a per-point buffer.</summary>
    [Differentiable(Hessian = true)]
    public static double Subtracted([Wrt] ReadOnlySpan<double> mu, double[] x, int d)
    {
        int k = mu.Length / d;
        double[] centred = new double[d];
        double total = 0;
        for (int i = 0; i < x.Length / d; i++)
        {
            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    centred[j] = x[i * d + j] - mu[c * d + j];
                }

                double q = 0;
                foreach (double t in centred)
                {
                    q += t * t;
                }

                sum += Math.Exp(-0.5 * q);
            }

            total -= Math.Log(sum / k);
        }

        return total;
    }

    // ---- not fused

    /// <summary>A recurrence: h carries from one iteration to the next.</summary>
    [Differentiable(Hessian = true)]
    public static double Recurrence([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double h = 0;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            h = Math.Tanh((w[0] * h) + (w[1] * x[i]));
            s += h * h;
        }

        return s;
    }

    /// <summary>The sum read by a statement after the loop.</summary>
    [Differentiable(Hessian = true)]
    public static double SumReadAfter([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Sin(w[0] * x[i]);
        }

        double t = Math.Log(1 + (s * s));
        return t + (w[1] * s);
    }

    /// <summary>A result that is not linear in the sum: its seed reads the sum.</summary>
    [Differentiable(Hessian = true)]
    public static double SquaredSum([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += w[0] * x[i] * x[i];
        }

        return (s * s) + w[1];
    }

    /// <summary>The sum read inside the loop: an iteration's term depends on the sum so far.</summary>
    [Differentiable(Hessian = true)]
    public static double SumReadInside([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += (w[0] * x[i]) + (0.1 * Math.Sin(s * w[1]));
        }

        return s;
    }

    /// <summary>A buffer whose first element an iteration reads before writing it: it carries.</summary>
    [Differentiable(Hessian = true)]
    public static double CarriedBuffer([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double[] buf = new double[2];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            buf[1] = (buf[0] * w[0]) + x[i];
            buf[0] = Math.Sin(buf[1] * w[1]);
            s += buf[0] * buf[1];
        }

        return s;
    }

    /// <summary>A buffer one longer than the loop that fills it: its last element is never shown to be written.</summary>
    [Differentiable(Hessian = true)]
    public static double PartialFill([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        int d = w.Length;
        double[] t = new double[d + 1];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < d; j++)
            {
                t[j] = w[j] * x[i];
            }

            s += Math.Exp(t[0] + t[d]) + (t[d - 1] * t[d - 1]);
        }

        return s;
    }

    /// <summary>A value the loop reads, assigned again by a statement after it.</summary>
    [Differentiable(Hessian = true)]
    public static double ReassignedAfter([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double a = w[0];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Sin(a * x[i]);
        }

        for (int k = 0; k < 2; k++)
        {
            a = (a * a * 0.5) + w[1];
        }

        return s + a;
    }

    /// <summary>A variable the loop assigns that a statement before the loop reads.</summary>
    [Differentiable(Hessian = true)]
    public static double ReadBefore([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        double h = w[0] * w[1];
        if (w[1] > -100)
        {
            h = h * 1.5;
        }

        double q = Math.Sin(h) * h;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            h = w[2] * x[i];
            if (x[i] > 0)
            {
                s += h * h;
            }
            else
            {
                s += h;
            }
        }

        return s + q;
    }

    // ---- buffers filled at the top of a loop body: computed again in the reverse sweep, or saved on the tape

    /// <summary>A centred point per component, filled from parameters and the loop counters: computed again.</summary>
    [Differentiable(Hessian = true)]
    public static double CentredPoints([Wrt] ReadOnlySpan<double> mu, double[] x, int d)
    {
        int k = mu.Length / d;
        int n = x.Length / d;
        double[] xc = new double[d];
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double best = 0;
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[i * d + j] - mu[c * d + j];
                }

                double q = 0;
                for (int j = 0; j < d; j++)
                {
                    q += xc[j] * xc[j] * (1 + (0.1 * j));
                }

                best += Math.Exp(-q);
            }

            s += Math.Log(best);
        }

        return -s;
    }

    /// <summary>The fill reads a value the outer body computes each iteration: saved on the tape.</summary>
    [Differentiable(Hessian = true)]
    public static double ScaledFill([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        int d = x.Length;
        double[] t = new double[d];
        double s = 0;
        for (int c = 0; c < w.Length; c++)
        {
            double scale = Math.Sin(w[c]);
            for (int j = 0; j < d; j++)
            {
                t[j] = x[j] * scale;
            }

            for (int j = 0; j < d; j++)
            {
                s += t[j] * t[j] * w[c];
            }
        }

        return s;
    }

    /// <summary>The buffer read before the fill in the same body (what the previous iteration left): saved on the tape.</summary>
    [Differentiable(Hessian = true)]
    public static double ReadBeforeFill([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        int d = x.Length;
        double[] t = new double[d];
        double s = 0;
        for (int c = 0; c < w.Length; c++)
        {
            s += t[0] * w[c];
            for (int j = 0; j < d; j++)
            {
                t[j] = x[j] - w[c];
            }

            s += Math.Exp(t[d - 1] * 0.5);
        }

        return s;
    }

    /// <summary>The buffer read after the outer loop: saved on the tape.</summary>
    [Differentiable(Hessian = true)]
    public static double ReadAfterLoop([Wrt] ReadOnlySpan<double> w, double[] x)
    {
        int d = x.Length;
        double[] t = new double[d];
        double s = 0;
        for (int c = 0; c < w.Length; c++)
        {
            for (int j = 0; j < d; j++)
            {
                t[j] = x[j] * w[c];
            }

            s += Math.Sin(t[0]) + t[d - 1];
        }

        return s + (t[0] * t[0]);
    }

    /// <summary>A recurrence (not fused) whose step fills an input buffer from the data and the weights: computed again.</summary>
    [Differentiable(Hessian = true)]
    public static double RecurrentFill([Wrt] ReadOnlySpan<double> w, double[] x, int d)
    {
        int steps = x.Length / d;
        double[] u = new double[d];
        double h = 0.1;
        double s = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < d; j++)
            {
                u[j] = w[j] * x[t * d + j];
            }

            double z = w[d] * h;
            for (int j = 0; j < d; j++)
            {
                z += u[j] * u[j];
            }

            h = Math.Tanh(z);
            s += h * h;
        }

        return s;
    }

    /// <summary>The buffer's last reader is the block that steps the counter: filled again after that block steps it back.</summary>
    [Differentiable(Hessian = true)]
    public static double RefillReadByStep([Wrt] ReadOnlySpan<double> w, double[] v)
    {
        double acc = w[0];
        double[] rb = new double[v.Length];
        for (int o = 0; o < 3; o++)
        {
            for (int j = 0; j < rb.Length; j++)
            {
                rb[j] = (v[j] * w[1]) - (o * 0.25);
            }

            acc += rb[o % rb.Length] * rb[rb.Length - 1];
        }

        return acc * w[0];
    }
}
