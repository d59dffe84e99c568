using System;

namespace SymGrad;

/// <summary>Options of <see cref="Newton"/>: Levenberg–Marquardt damping of the Newton system (H + λD)d = −g, D = diag(|H_ii|).</summary>
public sealed record NewtonOptions : MinimizerOptions
{
    /// <summary>λ for the first iteration, relative to the Hessian's diagonal; 0 (default) tries the pure Newton step first.</summary>
    public double InitialDamping { get; init; }

    /// <summary>
    /// λ is multiplied by this when H + λD is not positive definite or the step does not decrease the loss
    /// enough (Armijo), and divided by it after an accepted step. Default 10.
    /// </summary>
    public double DampingFactor { get; init; } = 10.0;

    /// <summary>Most consecutive damping increases within one iteration before giving up (<see cref="StopReason.NoProgress"/>). Default 60.</summary>
    public int MaxDampingIncreases { get; init; } = 60;

    private protected override void Validate()
    {
        base.Validate();
        Guard.CheckNonNegative(InitialDamping, nameof(InitialDamping));
        if (!(DampingFactor > 1.0) || double.IsPositiveInfinity(DampingFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(DampingFactor), DampingFactor, "Must be a finite number > 1.");
        }

        Guard.CheckAtLeast(MaxDampingIncreases, 1, nameof(MaxDampingIncreases));
    }
}
