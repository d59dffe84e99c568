namespace SymGrad;

/// <summary>Stopping rules shared by the full-batch minimizers (<see cref="Newton"/>, <see cref="GradientDescent"/>, <see cref="Lbfgs"/>).</summary>
public abstract record MinimizerOptions
{
    /// <summary>Most iterations (≥ 1). Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Converged once ‖∇ mean loss‖₂ ≤ this. Also the threshold below which a gradient counts as vanished for the stall diagnosis (vanished at the start and at the end). Default 1e−8.</summary>
    public double GradientTolerance { get; init; } = 1e-8;

    /// <summary>Converged once a step ‖Δp‖₂ ≤ StepTolerance·(1 + ‖p‖₂). Default 1e−14.</summary>
    public double StepTolerance { get; init; } = 1e-14;

    /// <summary>Most threads for the evaluations over the data set; −1 (default) uses all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    private protected virtual void Validate()
    {
        Guard.CheckAtLeast(MaxIterations, 1, nameof(MaxIterations));
        Guard.CheckNonNegative(GradientTolerance, nameof(GradientTolerance));
        Guard.CheckNonNegative(StepTolerance, nameof(StepTolerance));
        Guard.CheckParallelism(MaxDegreeOfParallelism);
    }

    internal void ValidateAll() => Validate();
}
