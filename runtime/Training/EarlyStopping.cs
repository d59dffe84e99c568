using System;

namespace SymGrad;

/// <summary>
/// Early stopping on a validation metric, as Keras' <c>EarlyStopping</c> callback: after every epoch
/// <see cref="Trainer"/> evaluates <see cref="Metric"/>; an epoch improves when the metric is below the best so
/// far by more than <see cref="MinDelta"/>; after <see cref="Patience"/> epochs in a row without improvement
/// training stops with <see cref="StopReason.EarlyStopping"/>. With <see cref="RestoreBestParameters"/> the
/// parameters of the best epoch are copied back when training ends, whatever ended it.
/// </summary>
/// <example>
/// <code>
/// var options = new TrainingOptions(new Adam(0.01))
/// {
///     MaxEpochs = 1000,
///     EarlyStopping = EarlyStopping.OnMeanLoss(new LossObjective(), validationData) with { Patience = 20 },
/// };
/// </code>
/// </example>
/// <param name="Metric">Evaluated after every epoch; lower is better.</param>
public sealed record EarlyStopping(ValidationMetric Metric)
{
    /// <summary>Epochs without improvement after which training stops (≥ 1). Default 10.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>How much (absolute, ≥ 0) the metric must fall below the best so far to count as an improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>When training ends, copy back the parameters of the epoch with the best metric. Default true.</summary>
    public bool RestoreBestParameters { get; init; } = true;

    /// <summary>Early stopping on the mean loss of <paramref name="objective"/> over held-out data.</summary>
    /// <param name="objective">The objective, usually the one being trained.</param>
    /// <param name="validationData">The held-out samples (not empty), not used for training.</param>
    /// <param name="maxDegreeOfParallelism">Most threads for the evaluation; −1 (default) for all cores. The result does not depend on it.</param>
    /// <returns>Early stopping with the default patience, no minimum delta, restoring the best parameters.</returns>
    /// <remarks>
    /// A NaN/∞ mean loss over the validation data makes <see cref="Trainer"/> throw <see cref="NonFiniteException"/> naming the
    /// epoch and the validation sample (its <see cref="NonFiniteException.SampleIndex"/> indexes <paramref name="validationData"/>),
    /// as for training data.
    /// </remarks>
    public static EarlyStopping OnMeanLoss<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> validationData, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        Guard.CheckData(validationData.Length, nameof(validationData));
        Guard.CheckParallelism(maxDegreeOfParallelism);
        return new EarlyStopping(new MeanLossMetric<TObjective, TSample>(objective, validationData, maxDegreeOfParallelism).Evaluate);
    }

    /// <inheritdoc cref="OnMeanLoss{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, int)"/>
    public static EarlyStopping OnMeanLoss<TObjective, TSample>(TObjective objective, TSample[] validationData, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => OnMeanLoss(objective, DataSet.Of(validationData), maxDegreeOfParallelism);

    internal void Validate()
    {
        if (Metric is null)
        {
            throw new ArgumentNullException(nameof(Metric), "EarlyStopping needs a validation metric, e.g. EarlyStopping.OnMeanLoss(objective, validationData).");
        }

        Guard.CheckAtLeast(Patience, 1, nameof(Patience));
        Guard.CheckNonNegative(MinDelta, nameof(MinDelta));
    }
}
