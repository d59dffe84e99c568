using System;
using SymGrad;

namespace SymGrad.Tests.TestFunctions;

/// <summary>
/// The d-dimensional test functions of the optimization literature (Surjanovic &amp; Bingham's Virtual Library of
/// Simulation Experiments, Jamil &amp; Yang 2013), written the way a user ports them: an array or span of any length,
/// run-time loops, products, <c>Math.Pow</c> with int and loop-index exponents, local buffers, <c>Math.PI</c>. Each has
/// <c>Hessian = true</c>: gradient and Hessian are checked against Richardson finite differences.
/// </summary>
public static partial class NDimensionalFunctions
{
    /// <summary>Rosenbrock: Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².</summary>
    [Differentiable(Hessian = true)]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        }

        return sum;
    }

    /// <summary>Griewank: Σ xᵢ²/4000 − Π cos(xᵢ/√i) + 1 (a product accumulated in the loop).</summary>
    [Differentiable(Hessian = true)]
    public static double Griewank(ReadOnlySpan<double> x)
    {
        double sum = 0;
        double product = 1;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * x[i] / 4000;
            product *= Math.Cos(x[i] / Math.Sqrt(i + 1));
        }

        return sum - product + 1;
    }

    /// <summary>Levy, through a local buffer w = 1 + (x − 1)/4.</summary>
    [Differentiable(Hessian = true)]
    public static double Levy(double[] x)
    {
        int d = x.Length;
        double[] w = new double[d];
        for (int i = 0; i < d; i++)
        {
            w[i] = 1 + (x[i] - 1) / 4;
        }

        double term1 = Math.Pow(Math.Sin(Math.PI * w[0]), 2);
        double term3 = Math.Pow(w[d - 1] - 1, 2) * (1 + Math.Pow(Math.Sin(2 * Math.PI * w[d - 1]), 2));
        double sum = 0;
        for (int i = 0; i < d - 1; i++)
        {
            double wi = w[i];
            sum += Math.Pow(wi - 1, 2) * (1 + 10 * Math.Pow(Math.Sin(Math.PI * wi + 1), 2));
        }

        return term1 + sum + term3;
    }

    /// <summary>Zakharov: Σ xᵢ² + (Σ ½ i xᵢ)² + (Σ ½ i xᵢ)⁴.</summary>
    [Differentiable(Hessian = true)]
    public static double Zakharov(double[] x)
    {
        double sum1 = 0, sum2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum1 += x[i] * x[i];
            sum2 += 0.5 * (i + 1) * x[i];
        }

        return sum1 + Math.Pow(sum2, 2) + Math.Pow(sum2, 4);
    }

    /// <summary>Michalewicz: −Σ sin(xᵢ)·sin²ᵐ(i xᵢ²/π), m an int parameter.</summary>
    [Differentiable(Hessian = true)]
    public static double Michalewicz(double[] x, int m)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Sin(x[i]) * Math.Pow(Math.Sin((i + 1) * x[i] * x[i] / Math.PI), 2 * m);
        }

        return -sum;
    }

    /// <summary>Schwefel: 418.9829·d − Σ xᵢ sin(√|xᵢ|).</summary>
    [Differentiable(Hessian = true)]
    public static double Schwefel(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double xi in x)
        {
            sum += xi * Math.Sin(Math.Sqrt(Math.Abs(xi)));
        }

        return 418.9829 * x.Length - sum;
    }

    /// <summary>Dixon–Price: (x₁ − 1)² + Σᵢ₌₂ i(2xᵢ² − xᵢ₋₁)².</summary>
    [Differentiable(Hessian = true)]
    public static double DixonPrice(double[] x)
    {
        double sum = (x[0] - 1) * (x[0] - 1);
        for (int i = 1; i < x.Length; i++)
        {
            double t = 2 * x[i] * x[i] - x[i - 1];
            sum += (i + 1) * t * t;
        }

        return sum;
    }

    /// <summary>Sum of different powers: Σ |xᵢ|^(i+1) (the exponent is the loop index).</summary>
    [Differentiable(Hessian = true)]
    public static double SumOfDifferentPowers(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Pow(Math.Abs(x[i]), i + 2);
        }

        return sum;
    }

    /// <summary>Powell: blocks of four, indexed 4i … 4i + 3.</summary>
    [Differentiable(Hessian = true)]
    public static double Powell(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length / 4; i++)
        {
            double a = x[4 * i], b = x[4 * i + 1], c = x[4 * i + 2], e = x[4 * i + 3];
            sum += Math.Pow(a + 10 * b, 2) + 5 * Math.Pow(c - e, 2) + Math.Pow(b - 2 * c, 4) + 10 * Math.Pow(a - e, 4);
        }

        return sum;
    }

    /// <summary>Perm function 0, d, β: Σₖ (Σⱼ (j + β)(xⱼᵏ − 1/jᵏ))², nested loops with loop-index exponents.</summary>
    [Differentiable(Hessian = true)]
    public static double Perm(double[] x, double beta)
    {
        int d = x.Length;
        double outer = 0;
        for (int k = 1; k <= d; k++)
        {
            double inner = 0;
            for (int j = 1; j <= d; j++)
            {
                inner += (j + beta) * (Math.Pow(x[j - 1], k) - 1 / Math.Pow(j, k));
            }

            outer += inner * inner;
        }

        return outer;
    }

    /// <summary>Rotated hyper-ellipsoid: Σᵢ Σⱼ≤ᵢ xⱼ².</summary>
    [Differentiable(Hessian = true)]
    public static double RotatedHyperEllipsoid(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                sum += x[j] * x[j];
            }
        }

        return sum;
    }

    /// <summary>Qing: Σ (xᵢ² − i)².</summary>
    [Differentiable(Hessian = true)]
    public static double Qing(Span<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = x[i] * x[i] - (i + 1);
            sum += t * t;
        }

        return sum;
    }

    /// <summary>Alpine N.1: Σ |xᵢ sin xᵢ + 0.1 xᵢ|.</summary>
    [Differentiable(Hessian = true)]
    public static double Alpine1(double[] x)
    {
        double sum = 0;
        foreach (double xi in x)
        {
            sum += Math.Abs(xi * Math.Sin(xi) + 0.1 * xi);
        }

        return sum;
    }

    /// <summary>Salomon: 1 − cos(2π‖x‖) + 0.1‖x‖.</summary>
    [Differentiable(Hessian = true)]
    public static double Salomon(double[] x)
    {
        double norm2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            norm2 += x[i] * x[i];
        }

        double r = Math.Sqrt(norm2);
        return 1 - Math.Cos(2 * Math.PI * r) + 0.1 * r;
    }

    /// <summary>Ackley in d dimensions with its usual constants a = 20, b = 0.2, c = 2π.</summary>
    [Differentiable(Hessian = true)]
    public static double Ackley(double[] x)
    {
        const double a = 20, b = 0.2, c = 2 * Math.PI;
        int d = x.Length;
        double sum1 = 0, sum2 = 0;
        for (int i = 0; i < d; i++)
        {
            sum1 += x[i] * x[i];
            sum2 += Math.Cos(c * x[i]);
        }

        return -a * Math.Exp(-b * Math.Sqrt(sum1 / d)) - Math.Exp(sum2 / d) + a + Math.E;
    }

    /// <summary>Styblinski–Tang: ½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ).</summary>
    [Differentiable(Hessian = true)]
    public static double StyblinskiTang(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double xi in x)
        {
            sum += Math.Pow(xi, 4) - 16 * Math.Pow(xi, 2) + 5 * xi;
        }

        return sum / 2;
    }

    /// <summary>Trid: Σ (xᵢ − 1)² − Σ xᵢ xᵢ₋₁.</summary>
    [Differentiable(Hessian = true)]
    public static double Trid(double[] x)
    {
        double sum1 = 0, sum2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum1 += (x[i] - 1) * (x[i] - 1);
            if (i > 0)
            {
                sum2 += x[i] * x[i - 1];
            }
        }

        return sum1 - sum2;
    }

    /// <summary>Extended Wood-like chained function with a while loop and a stride of two.</summary>
    [Differentiable(Hessian = true)]
    public static double ChainedWood(double[] x)
    {
        double sum = 0;
        int i = 0;
        while (i + 3 < x.Length)
        {
            sum += 100 * Math.Pow(x[i] * x[i] - x[i + 1], 2) + Math.Pow(x[i] - 1, 2) + 90 * Math.Pow(x[i + 2] * x[i + 2] - x[i + 3], 2)
                + Math.Pow(x[i + 2] - 1, 2) + 10.1 * (Math.Pow(x[i + 1] - 1, 2) + Math.Pow(x[i + 3] - 1, 2)) + 19.8 * (x[i + 1] - 1) * (x[i + 3] - 1);
            i += 2;
        }

        return sum;
    }

    /// <summary>
    /// C#'s % on doubles: Σ ((xᵢ + 20) % (8 + xᵢ₊₁/10))² + xᵢ % 2.5, on [−2, 2] away from every jump (the quotients stay
    /// in (2.2, 2.9), so ∂/∂b = −trunc(a/b) = −2 is exercised; |xᵢ| &lt; 2.5 keeps the second term smooth).
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double Sawtooth(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double phase = (x[i] + 20) % (8 + (0.1 * x[(i + 1) % x.Length]));
            sum += (phase * phase) + (x[i] % 2.5);
        }

        return sum;
    }

    /// <summary>The generic-math statics of double that compose functions with rules: SinPi, CosPi, Lerp, Exp2, AtanPi, DegreesToRadians.</summary>
    [Differentiable(Hessian = true)]
    public static double PiFunctions(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = double.Lerp(x[i], x[(i + 1) % x.Length], 0.25);
            sum += (double.SinPi(t) * double.CosPi(0.5 * x[i])) + double.Exp2(0.3 * t) + double.AtanPi(x[i]) + Math.Sin(double.DegreesToRadians(40 * x[i]));
        }

        return sum;
    }
}
