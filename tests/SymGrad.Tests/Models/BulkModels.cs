using System;
using SymGrad;

namespace SymGrad.Tests.Models;

/// <summary>Span and array bulk operations as users write them: CopyTo, Fill, Clear, Array.Copy/Fill/Clear, on slices too.</summary>
public static partial class BulkModels
{
    /// <summary>An explicit heat-equation stepper: each step writes the next state, then copies it back (CopyTo).</summary>
    [Differentiable(Hessian = true)]
    public static double Heat(ReadOnlySpan<double> u0, double kappa, int steps)
    {
        int n = u0.Length;
        Span<double> u = stackalloc double[n];
        Span<double> next = stackalloc double[n];
        u0.CopyTo(u);
        for (int s = 0; s < steps; s++)
        {
            next.Clear();
            for (int i = 1; i < n - 1; i++)
            {
                next[i] = u[i] + (kappa * (u[i - 1] - (2 * u[i]) + u[i + 1]));
            }

            next.CopyTo(u);
        }

        double e = 0;
        for (int i = 0; i < n; i++)
        {
            e += u[i] * u[i];
        }

        return e;
    }

    /// <summary>Array.Copy with offsets, Array.Fill, a slice filled, Array.Clear of a range, an array's CopyTo(dst, index).</summary>
    [Differentiable]
    public static double Mixed(double[] x, double a)
    {
        double[] buffer = new double[x.Length + 2];
        Array.Fill(buffer, a);                        // every slot a
        Array.Copy(x, 1, buffer, 2, x.Length - 1);    // buffer[2..] = x[1..]
        buffer.AsSpan(0, 1).Fill(a * a);              // buffer[0] = a²
        double[] copy = new double[buffer.Length];
        buffer.CopyTo(copy, 0);
        Array.Clear(copy, 1, 1);                      // copy[1] = 0
        double[] tail = new double[2];
        Array.Copy(copy, tail, 2);                    // tail = copy[0..2]
        double s = tail[0] + tail[1];
        for (int i = 0; i < copy.Length; i++)
        {
            s += Math.Sin(copy[i]) * (i + 1);
        }

        return s;
    }
}
