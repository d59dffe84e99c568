using System;
using System.Threading;

namespace SymGrad;

/// <summary>
/// How <see cref="Trainer"/> trains: the optimizer, batching, shuffling and when to stop.
/// Example: <c>new TrainingOptions(new Adam(0.01)) { MaxEpochs = 500, BatchSize = 16, Seed = 42 }</c>.
/// </summary>
/// <param name="Optimizer">The optimisation algorithm, e.g. <c>new Sgd(0.1)</c>, <c>new Momentum(0.05)</c>, <c>new Adam(0.01)</c>.</param>
public sealed record TrainingOptions(Optimizer Optimizer)
{
    /// <summary>Most passes over the data (≥ 1). Default 100.</summary>
    public int MaxEpochs { get; init; } = 100;

    /// <summary>
    /// Samples per step (≥ 1). 1 is per-sample SGD; a value ≥ the number of samples is full-batch gradient
    /// descent (one step per epoch on the exact mean gradient). The step uses the mean of the batch's
    /// per-sample gradients. Default 1.
    /// </summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Visit the samples in a new random order every epoch (seeded by <see cref="Seed"/>). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling generator (PCG32, owned by SymGrad): the same seed gives bit-identical parameters on every run.</summary>
    public long Seed { get; init; }

    /// <summary>Stop (converged) once the mean loss over the data is ≤ this. Null (default) disables.</summary>
    public double? TargetLoss { get; init; }

    /// <summary>
    /// Stop (converged) once the mean loss changes by at most LossTolerance·max(1, |loss|) from one epoch to
    /// the next. 0 (default) disables. With small batches the loss is noisy, so prefer a gradient or target test.
    /// </summary>
    public double LossTolerance { get; init; }

    /// <summary>Stop (converged) once ‖∇ mean loss‖₂ over the whole data set is ≤ this. 0 (default) disables.</summary>
    public double GradientTolerance { get; init; }

    /// <summary>
    /// A gradient norm ‖∇ mean loss‖₂ at most this counts as vanished; together with a loss that is still
    /// where it started it marks a stall (see <see cref="OptimizationResult.Stalled"/>). Default 1e−8.
    /// </summary>
    public double StallGradientTolerance { get; init; } = 1e-8;

    /// <summary>
    /// Stop after this many consecutive stalled epochs (≥ 1), reporting <see cref="StopReason.Stalled"/>.
    /// Use <see cref="int.MaxValue"/> to keep going (Adam with a tiny Epsilon can walk off a plateau slowly,
    /// because its steps do not shrink with the gradient). Default 10.
    /// </summary>
    public int StallPatience { get; init; } = 10;

    /// <summary>Most threads for the per-epoch evaluation over the whole data set; −1 (default) uses all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Checked before every step; cancelling throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (Optimizer is null)
        {
            throw new ArgumentNullException(nameof(Optimizer), "TrainingOptions needs an optimizer, e.g. new TrainingOptions(new Adam(0.01)).");
        }

        Validation.CheckAtLeast(MaxEpochs, 1, nameof(MaxEpochs));
        Validation.CheckAtLeast(BatchSize, 1, nameof(BatchSize));
        Validation.CheckAtLeast(StallPatience, 1, nameof(StallPatience));
        Validation.CheckNonNegative(LossTolerance, nameof(LossTolerance));
        Validation.CheckNonNegative(GradientTolerance, nameof(GradientTolerance));
        Validation.CheckNonNegative(StallGradientTolerance, nameof(StallGradientTolerance));
        Validation.CheckParallelism(MaxDegreeOfParallelism);
        if (TargetLoss is double target && double.IsNaN(target))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetLoss), target, "Must not be NaN.");
        }
    }
}

/// <summary>Why training or minimisation stopped.</summary>
public enum StopReason
{
    /// <summary>The epoch or iteration budget ran out.</summary>
    MaxIterations,

    /// <summary>The loss reached <see cref="TrainingOptions.TargetLoss"/>.</summary>
    TargetLoss,

    /// <summary>
    /// The loss stopped changing: relative change ≤ <see cref="TrainingOptions.LossTolerance"/> (trainer), or
    /// the decrease the next step could bring is below the rounding error of the loss (minimizers).
    /// </summary>
    LossTolerance,

    /// <summary>The gradient norm fell to the gradient tolerance.</summary>
    GradientTolerance,

    /// <summary>The step became negligible relative to the parameters.</summary>
    StepTolerance,

    /// <summary>The gradient vanished while the loss stayed where it started: see <see cref="OptimizationResult.Hint"/>.</summary>
    Stalled,

    /// <summary>No step along the search direction decreased the loss (line search or damping exhausted).</summary>
    NoProgress,
}

/// <summary>One line of progress, reported once per epoch (trainer) or iteration (minimizers).</summary>
/// <param name="Epoch">The completed epoch (or iteration), from 1.</param>
/// <param name="MaxEpochs">The budget (<see cref="TrainingOptions.MaxEpochs"/> or MaxIterations).</param>
/// <param name="Loss">Mean loss over the whole data set after this epoch.</param>
/// <param name="GradientNorm">‖∇ mean loss‖₂ over the whole data set after this epoch.</param>
/// <param name="Steps">Optimizer steps taken so far.</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
public readonly record struct EpochReport(int Epoch, int MaxEpochs, double Loss, double GradientNorm, long Steps, TimeSpan Elapsed);
