using System;

namespace SymGrad.Tests.Numerics;

/// <summary>
/// Reference values computed independently of the generator and of SymMath: closed forms from Math.Exp/Math.Log
/// and series written here, arranged so that no step cancels (each is accurate to a few ulps over the whole range
/// used by the tests).
/// </summary>
public static class Exact
{
    /// <summary>log(1 + x) = 2·atanh(x / (2 + x)) by its series (|s| ≤ 1/3 for |x| ≤ 1), else Math.Log(1 + x).</summary>
    public static double Log1p(double x)
    {
        if (Math.Abs(x) > 0.5)
        {
            return Math.Log(1 + x);
        }

        double s = x / (2 + x);
        double s2 = s * s;
        double term = s;
        double sum = 0;
        for (int k = 1; k < 80; k += 2)
        {
            double next = sum + (term / k);
            if (next == sum)
            {
                break;
            }

            sum = next;
            term *= s2;
        }

        return 2 * sum;
    }

    /// <summary>e^x − 1 by its Taylor series for |x| &lt; 0.5, else Math.Exp(x) − 1.</summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1;
        }

        double term = x;
        double sum = 0;
        for (int k = 2; k < 60; k++)
        {
            double next = sum + term;
            if (next == sum)
            {
                break;
            }

            sum = next;
            term *= x / k;
        }

        return sum;
    }

    /// <summary>σ(z) = 1/(1 + e^(−z)), written with e^(−|z|) so it neither overflows nor cancels.</summary>
    public static double Sigmoid(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /// <summary>σ′(z) = e^(−|z|)/(1 + e^(−|z|))² (σ′ is even).</summary>
    public static double SigmoidDerivative(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return e / ((1 + e) * (1 + e));
    }

    /// <summary>softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^(−|z|)).</summary>
    public static double Softplus(double z) => Math.Max(z, 0) + Log1p(Math.Exp(-Math.Abs(z)));

    /// <summary>log σ(z) = −softplus(−z).</summary>
    public static double LogSigmoid(double z) => -Softplus(-z);

    /// <summary>Binary cross-entropy of σ(z) against y: y·softplus(−z) + (1 − y)·softplus(z).</summary>
    public static double Bce(double z, double y) => (y * Softplus(-z)) + ((1 - y) * Softplus(z));

    /// <summary>∂BCE/∂z = σ(z) − y, written as (1 − y)·σ(z) − y·σ(−z) so neither term cancels at saturation.</summary>
    public static double BceDz(double z, double y) => ((1 - y) * Sigmoid(z)) - (y * Sigmoid(-z));

    /// <summary>sech²(x) = 1/cosh²(x) (no cancellation; Math.Cosh is accurate and finite for |x| ≤ 700).</summary>
    public static double SechSquared(double x)
    {
        double c = Math.Cosh(x);
        return 1 / (c * c);
    }
}
