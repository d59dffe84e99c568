using System;
using MathNet.Numerics;

[assembly: SymGrad.DerivativeRules(typeof(SymGrad.Samples.Probit.MathNetRules))]

namespace SymGrad.Samples.Probit;

/// <summary>
/// Derivative rules for the MathNet.Numerics special functions models reach for, so that <c>[Differentiable]</c> methods
/// can call them although SymGrad cannot see their source: erf, erfc, ln Γ and ψ (digamma). They live in a sample, not
/// in SymGrad, which does not depend on MathNet; a library shipping them lists this type the same way, with
/// <c>[assembly: DerivativeRules(typeof(MathNetRules))]</c>, and every project referencing it finds them.
/// </summary>
/// <remarks>
/// Second order: every rule here is plain C# SymGrad can lower, so a Hessian differentiates the rule's own body —
/// erf″ = −2x·erf′, (ln Γ)″ = ψ′ through the DiGamma rule, ψ″ from the trigamma series. MathNet has no trigamma, so
/// <see cref="Trigamma"/> is written out below, without run-time loops so that SymGrad can differentiate it too (a rule
/// with a run-time loop would be called as is, and a Hessian through it would need a rule of its own: SG0016).
/// </remarks>
public static class MathNetRules
{
    /// <summary>2/√π.</summary>
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>erf′(x) = 2/√π·e^(−x²).</summary>
    [DerivativeOf(typeof(SpecialFunctions), nameof(SpecialFunctions.Erf))]
    public static double ErfDerivative(double x) => TwoOverSqrtPi * Math.Exp(-x * x);

    /// <summary>erfc′(x) = −2/√π·e^(−x²).</summary>
    [DerivativeOf(typeof(SpecialFunctions), nameof(SpecialFunctions.Erfc))]
    public static double ErfcDerivative(double x) => -TwoOverSqrtPi * Math.Exp(-x * x);

    /// <summary>(ln Γ)′(x) = ψ(x): MathNet's DiGamma, which has a rule of its own (below), so the Hessian goes through.</summary>
    [DerivativeOf(typeof(SpecialFunctions), nameof(SpecialFunctions.GammaLn))]
    public static double GammaLnDerivative(double x) => SpecialFunctions.DiGamma(x);

    /// <summary>ψ′(x) = ψ₁(x), the trigamma function.</summary>
    [DerivativeOf(typeof(SpecialFunctions), nameof(SpecialFunctions.DiGamma))]
    public static double DiGammaDerivative(double x) => Trigamma(x);

    /// <summary>
    /// ψ₁(x), the trigamma function, for x &gt; 0 (NaN otherwise): ψ₁(x) = Σₖ₌₀⁷ 1/(x + k)² + ψ₁(x + 8), the last by its
    /// asymptotic series 1/z + 1/(2z²) + 1/(6z³) − 1/(30z⁵) + 1/(42z⁷) − 1/(30z⁹) + 5/(66z¹¹) − 691/(2730z¹³) at z ≥ 8
    /// (truncation error below 7/(6z¹⁵) ≈ 3e-14). The loop has a fixed trip count, so SymGrad unrolls it.
    /// </summary>
    public static double Trigamma(double x)
    {
        double sum = 0;
        double z = x;
        for (int k = 0; k < 8; k++)
        {
            sum += 1 / (z * z);
            z += 1;
        }

        double f = 1 / (z * z);
        double tail = (1 / z) + (f / 2) + (f / z * ((1.0 / 6) - (f * ((1.0 / 30) - (f * ((1.0 / 42) - (f * ((1.0 / 30) - (f * ((5.0 / 66) - (f * 691.0 / 2730)))))))))));
        return x > 0 ? sum + tail : double.NaN;
    }
}
