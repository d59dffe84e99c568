using System;

namespace SymGrad;

/// <summary>Small dense-vector helpers shared by the optimizers (no allocation).</summary>
internal static class Vectors
{
    /// <summary>Euclidean norm, scaled so that it neither overflows nor underflows for finite input (NaN/∞ propagate).</summary>
    public static double Norm(ReadOnlySpan<double> v)
    {
        double max = 0.0;
        foreach (double x in v)
        {
            double a = Math.Abs(x);
            if (!(a <= max))
            {
                // Also taken for NaN, which then propagates.
                max = a;
                if (double.IsNaN(a))
                {
                    return double.NaN;
                }
            }
        }

        if (max == 0.0 || double.IsInfinity(max))
        {
            return max;
        }

        double sum = 0.0;
        double inverse = 1.0 / max;
        foreach (double x in v)
        {
            double s = x * inverse;
            sum += s * s;
        }

        return max * Math.Sqrt(sum);
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0.0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Index of the first non-finite element, or −1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<double> v)
    {
        for (int i = 0; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public static void Add(Span<double> target, ReadOnlySpan<double> source)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    public static void Scale(Span<double> target, double factor)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] *= factor;
        }
    }
}
