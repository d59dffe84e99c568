using System;

namespace SymGrad;

/// <summary>
/// How <see cref="Trainer"/> trains: the optimizer, its learning-rate schedule and gradient clipping, batching,
/// shuffling, early stopping and when to stop.
/// Example: <c>new TrainingOptions(new Adam(0.01)) { MaxEpochs = 500, BatchSize = 16, Seed = 42 }</c>.
/// </summary>
/// <param name="Optimizer">The optimisation algorithm, e.g. <c>new Sgd(0.1)</c>, <c>new Momentum(0.05)</c>, <c>new Adam(0.01)</c>, <c>new AdamW(0.01, WeightDecay: 0.05)</c>.</param>
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
    /// A gradient norm ‖∇ mean loss‖₂ at most this counts as vanished; vanished at the start and still, with a loss that
    /// is still where it started, it marks a stall (see <see cref="OptimizationResult.Stalled"/>). Default 1e−8.
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

    /// <summary>
    /// Multiplies the optimizer's learning rate step by step (warm-up, step or cosine decay); counted in optimizer
    /// steps, not epochs. Default <see cref="LearningRateSchedule.Constant"/>.
    /// </summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// Clip every step's mean gradient to this norm ‖g‖₂ before the optimizer sees it (see
    /// <see cref="OptimizerState.MaxGradientNorm"/>). The reported gradient norms are those of the unclipped
    /// gradient over the whole data set. Null (default) never clips.
    /// </summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>
    /// Evaluate a validation metric after every epoch, stop when it stops improving and restore the best
    /// parameters (see <see cref="SymGrad.EarlyStopping"/>). Null (default) disables.
    /// </summary>
    public EarlyStopping? EarlyStopping { get; init; }

    internal void Validate()
    {
        if (Optimizer is null)
        {
            throw new ArgumentNullException(nameof(Optimizer), "TrainingOptions needs an optimizer, e.g. new TrainingOptions(new Adam(0.01)).");
        }

        Guard.CheckAtLeast(MaxEpochs, 1, nameof(MaxEpochs));
        Guard.CheckAtLeast(BatchSize, 1, nameof(BatchSize));
        Guard.CheckAtLeast(StallPatience, 1, nameof(StallPatience));
        Guard.CheckNonNegative(LossTolerance, nameof(LossTolerance));
        Guard.CheckNonNegative(GradientTolerance, nameof(GradientTolerance));
        Guard.CheckNonNegative(StallGradientTolerance, nameof(StallGradientTolerance));
        Guard.CheckParallelism(MaxDegreeOfParallelism);
        if (LearningRateSchedule is null)
        {
            throw new ArgumentNullException(nameof(LearningRateSchedule), "Use LearningRateSchedule.Constant for no schedule.");
        }

        if (MaxGradientNorm is double limit)
        {
            Guard.CheckPositive(limit, nameof(MaxGradientNorm));
        }

        EarlyStopping?.Validate();
        if (TargetLoss is double target && double.IsNaN(target))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetLoss), target, "Must not be NaN.");
        }
    }

    /// <summary>
    /// The end-of-epoch stopping rules exactly as <see cref="Trainer"/> applies them, for a training loop of your own (or a
    /// distributed one): <see cref="TargetLoss"/>, <see cref="GradientTolerance"/>, <see cref="StallPatience"/> stalled
    /// epochs in a row, and <see cref="LossTolerance"/>, in that order. An epoch is stalled when the gradient is below
    /// <see cref="StallGradientTolerance"/>, was below it already at the start (<paramref name="initialGradientNorm"/>), and the
    /// loss is barely below its start; a gradient that fell to the tolerance from above is convergence, however little the loss
    /// moved (a warm start). Early stopping on validation data is not among them.
    /// </summary>
    /// <param name="initialLoss">The mean loss before the first epoch.</param>
    /// <param name="initialGradientNorm">‖∇ mean loss‖₂ before the first epoch.</param>
    /// <param name="previousLoss">The mean loss after the previous epoch.</param>
    /// <param name="loss">The mean loss after this epoch.</param>
    /// <param name="gradientNorm">‖∇ mean loss‖₂ after this epoch.</param>
    /// <param name="stalledEpochs">The stalled epochs in a row so far (start at 0); updated.</param>
    /// <returns>Why to stop now, or null to go on.</returns>
    public StopReason? StopAfterEpoch(double initialLoss, double initialGradientNorm, double previousLoss, double loss, double gradientNorm, ref int stalledEpochs)
    {
        bool stalledNow = Diagnosis.IsStalled(initialLoss, initialGradientNorm, loss, gradientNorm, StallGradientTolerance, TargetLoss);
        stalledEpochs = stalledNow ? stalledEpochs + 1 : 0;
        if (TargetLoss is double target && loss <= target)
        {
            return StopReason.TargetLoss;
        }

        if (GradientTolerance > 0.0 && gradientNorm <= GradientTolerance)
        {
            return stalledNow ? StopReason.Stalled : StopReason.GradientTolerance;
        }

        if (stalledEpochs >= StallPatience)
        {
            return StopReason.Stalled;
        }

        if (LossTolerance > 0.0 && Math.Abs(loss - previousLoss) <= LossTolerance * Math.Max(1.0, Math.Abs(loss)))
        {
            return stalledNow ? StopReason.Stalled : StopReason.LossTolerance;
        }

        return null;
    }

    /// <summary>
    /// The same rules without the initial gradient norm: the stall test then cannot tell a flat start from a warm start
    /// that converged, and treats every vanished gradient as if it had been vanished from the start (the behaviour before
    /// the initial gradient norm was taken into account). Prefer the overload with <c>initialGradientNorm</c>.
    /// </summary>
    /// <param name="initialLoss">The mean loss before the first epoch.</param>
    /// <param name="previousLoss">The mean loss after the previous epoch.</param>
    /// <param name="loss">The mean loss after this epoch.</param>
    /// <param name="gradientNorm">‖∇ mean loss‖₂ after this epoch.</param>
    /// <param name="stalledEpochs">The stalled epochs in a row so far (start at 0); updated.</param>
    /// <returns>Why to stop now, or null to go on.</returns>
    public StopReason? StopAfterEpoch(double initialLoss, double previousLoss, double loss, double gradientNorm, ref int stalledEpochs)
        => StopAfterEpoch(initialLoss, 0.0, previousLoss, loss, gradientNorm, ref stalledEpochs);
}
