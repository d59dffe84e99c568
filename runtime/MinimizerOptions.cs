using System;
using System.Threading;

namespace SymGrad;

/// <summary>Stopping rules shared by the full-batch minimizers (<see cref="Newton"/>, <see cref="GradientDescent"/>, <see cref="Lbfgs"/>).</summary>
public abstract record MinimizerOptions
{
    /// <summary>Most iterations (≥ 1). Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Converged once ‖∇ mean loss‖₂ ≤ this. Also the threshold below which a gradient counts as vanished for the stall diagnosis. Default 1e−8.</summary>
    public double GradientTolerance { get; init; } = 1e-8;

    /// <summary>Converged once a step ‖Δp‖₂ ≤ StepTolerance·(1 + ‖p‖₂). Default 1e−14.</summary>
    public double StepTolerance { get; init; } = 1e-14;

    /// <summary>Most threads for the evaluations over the data set; −1 (default) uses all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Checked every iteration; cancelling throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    private protected virtual void Validate()
    {
        Validation.CheckAtLeast(MaxIterations, 1, nameof(MaxIterations));
        Validation.CheckNonNegative(GradientTolerance, nameof(GradientTolerance));
        Validation.CheckNonNegative(StepTolerance, nameof(StepTolerance));
        Validation.CheckParallelism(MaxDegreeOfParallelism);
    }

    internal void ValidateAll() => Validate();
}

/// <summary>Options of <see cref="Newton"/>: Levenberg–Marquardt damping of the Newton system (H + λI)d = −g.</summary>
public sealed record NewtonOptions : MinimizerOptions
{
    /// <summary>λ for the first iteration; 0 (default) tries the pure Newton step first.</summary>
    public double InitialDamping { get; init; }

    /// <summary>
    /// λ is multiplied by this when H + λI is not positive definite or the step does not decrease the loss
    /// enough (Armijo), and divided by it after an accepted step. Default 10.
    /// </summary>
    public double DampingFactor { get; init; } = 10.0;

    /// <summary>Most consecutive damping increases within one iteration before giving up (<see cref="StopReason.NoProgress"/>). Default 60.</summary>
    public int MaxDampingIncreases { get; init; } = 60;

    private protected override void Validate()
    {
        base.Validate();
        Validation.CheckNonNegative(InitialDamping, nameof(InitialDamping));
        if (!(DampingFactor > 1.0) || double.IsPositiveInfinity(DampingFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(DampingFactor), DampingFactor, "Must be a finite number > 1.");
        }

        Validation.CheckAtLeast(MaxDampingIncreases, 1, nameof(MaxDampingIncreases));
    }
}

/// <summary>Options of <see cref="GradientDescent"/>.</summary>
public sealed record GradientDescentOptions : MinimizerOptions
{
    /// <summary>Creates options with a larger default iteration budget (10 000), as gradient descent needs many iterations.</summary>
    public GradientDescentOptions()
    {
        MaxIterations = 10_000;
    }

    /// <summary>
    /// A fixed step size η: p ← p − η·g. Null (default) chooses η by a backtracking (Armijo) line search each
    /// iteration, starting from twice the previous accepted step.
    /// </summary>
    public double? LearningRate { get; init; }

    private protected override void Validate()
    {
        base.Validate();
        if (LearningRate is double eta)
        {
            Validation.CheckPositive(eta, nameof(LearningRate));
        }
    }
}

/// <summary>Options of <see cref="Lbfgs"/> (Math.NET's <c>LimitedMemoryBfgsMinimizer</c>).</summary>
public sealed record LbfgsOptions : MinimizerOptions
{
    /// <summary>Number of past steps and gradient changes kept (≥ 1). Default 10.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Math.NET's function-progress tolerance (only consulted after 500 iterations). Default 1e−12.</summary>
    public double FunctionProgressTolerance { get; init; } = 1e-12;

    private protected override void Validate()
    {
        base.Validate();
        Validation.CheckAtLeast(Memory, 1, nameof(Memory));
        Validation.CheckNonNegative(FunctionProgressTolerance, nameof(FunctionProgressTolerance));
    }
}
