using System;
using MathNet.Numerics;

namespace SymGrad.Samples.Probit;

/// <summary>
/// Maximum likelihood for a Gamma(α, β) distribution (shape α, rate β), on log scale so both stay positive:
/// −ln p(x) = ln Γ(α) − α ln β − (α − 1) ln x + β x with α = e^a, β = e^c. The gradient needs (ln Γ)′ = ψ and the
/// Hessian ψ′ = ψ₁: both come from <see cref="MathNetRules"/>.
/// </summary>
public static partial class GammaFit
{
    /// <summary>The negative log-likelihood of one observation x &gt; 0.</summary>
    [Differentiable(Hessian = true)]
    public static double NegLogLikelihood(double x, [Wrt] double logShape, [Wrt] double logRate)
    {
        double shape = Math.Exp(logShape);
        double rate = Math.Exp(logRate);
        return SpecialFunctions.GammaLn(shape) - (shape * logRate) - ((shape - 1) * Math.Log(x)) + (rate * x);
    }
}
