using System;
using MathNet.Numerics;

namespace SymGrad.Samples.Probit;

/// <summary>
/// Probit regression: P(y = 1 | x) = Φ(z), z = w[0]·x[0] + … + w[n−1]·x[n−1] + w[n] (the bias last), where
/// Φ(z) = ½(1 + erf(z/√2)) is the standard normal CDF. MathNet computes erf; SymGrad differentiates through it with the
/// rules in <see cref="MathNetRules"/>.
/// </summary>
public static partial class ProbitModel
{
    /// <summary>1/√2.</summary>
    private const double InvSqrt2 = 0.70710678118654752;

    /// <summary>The probability of y = 1, Φ(z) = ½(1 + erf(z/√2)).</summary>
    [Differentiable]
    public static double Probability(ReadOnlySpan<double> x, [Wrt] ReadOnlySpan<double> w) => 0.5 * (1 + SpecialFunctions.Erf(Score(x, w) * InvSqrt2));

    /// <summary>
    /// Negative log-likelihood of one labelled point: −ln Φ(z) for y = 1, −ln(1 − Φ(z)) = −ln Φ(−z) for y = 0. Φ(s) is
    /// written ½·erfc(−s/√2), which keeps its relative accuracy far into the tail where 1 + erf(·) would cancel to 0.
    /// Hessian = true: Newton's method uses the generated LossHessian (second order through erfc's rule).
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double Loss(ReadOnlySpan<double> x, bool y, [Wrt] ReadOnlySpan<double> w)
    {
        double z = Score(x, w);
        double s = y ? z : -z;
        return -Math.Log(0.5 * SpecialFunctions.Erfc(-s * InvSqrt2));
    }

    /// <summary>The score z = w·x + b.</summary>
    public static double Score(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        double z = w[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            z += w[i] * x[i];
        }

        return z;
    }
}
