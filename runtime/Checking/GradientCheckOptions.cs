using System;

namespace SymGrad;

/// <summary>Step and tolerances of <see cref="GradientCheck"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>
    /// Relative finite-difference step: parameter i is perturbed by h = Step·max(1, |pᵢ|) and h/2. Central
    /// differences combined by Richardson extrapolation have error O(h⁴) + O(ε·|f|/h), balanced near h ≈ 1e−3.
    /// </summary>
    public double Step { get; init; } = 1e-3;

    /// <summary>Absolute tolerance: a component passes when |analytic − numeric| ≤ atol + rtol·|numeric|. Default 1e−6.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;

    /// <summary>Relative tolerance (see <see cref="AbsoluteTolerance"/>). Default 1e−5.</summary>
    public double RelativeTolerance { get; init; } = 1e-5;

    /// <summary>Most threads for <see cref="GradientCheck.CheckDataset{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, GradientCheckOptions?)"/>; −1 for all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        Guard.CheckPositive(Step, nameof(Step));
        Guard.CheckNonNegative(AbsoluteTolerance, nameof(AbsoluteTolerance));
        Guard.CheckNonNegative(RelativeTolerance, nameof(RelativeTolerance));
        Guard.CheckParallelism(MaxDegreeOfParallelism);
    }

    internal bool Accepts(double analytic, double numeric) => Score(analytic, numeric) <= 1.0;

    /// <summary>|a − n| / (atol + rtol·|n|): ≤ 1 passes; NaN counts as +∞.</summary>
    internal double Score(double analytic, double numeric)
    {
        double error = Math.Abs(analytic - numeric);
        double allowed = AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric);
        if (double.IsNaN(error))
        {
            return double.PositiveInfinity;
        }

        return allowed > 0.0 ? error / allowed : (error == 0.0 ? 0.0 : double.PositiveInfinity);
    }
}
