using System;
using System.Collections.Generic;
using System.Globalization;

namespace SymGrad;

/// <summary>The outcome of <see cref="Trainer.Fit{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], TrainingOptions, IProgress{EpochReport}?, System.Threading.CancellationToken)"/>.</summary>
public sealed class TrainingResult : OptimizationResult
{
    internal TrainingResult(string method, double initialLoss, double initialGradientNorm, IReadOnlyList<double> lossHistory, IReadOnlyList<double> gradientNormHistory, StopReason stopReason, TimeSpan elapsed, bool stalled, string? hint, long steps, EarlyStoppingMonitor? validation, bool restored)
        : base(method, lossHistory.Count, initialLoss, initialGradientNorm, lossHistory, gradientNormHistory, stopReason, elapsed, stalled, hint)
    {
        Steps = steps;
        ValidationHistory = validation?.History ?? Array.Empty<double>();
        BestEpoch = validation is { BestEpoch: > 0 } ? validation.BestEpoch : null;
        BestValidationMetric = BestEpoch is null ? null : validation!.BestMetric;
        RestoredBestParameters = restored;
    }

    /// <summary>Epochs completed (the same as <see cref="OptimizationResult.Iterations"/>).</summary>
    public int Epochs => Iterations;

    /// <summary>Optimizer steps (parameter updates) taken.</summary>
    public long Steps { get; }

    /// <summary>The <see cref="EarlyStopping.Metric"/> after each epoch (entry k is after epoch k + 1); empty without early stopping.</summary>
    public IReadOnlyList<double> ValidationHistory { get; }

    /// <summary>The epoch (from 1) with the best validation metric; null without early stopping or when every metric was NaN.</summary>
    public int? BestEpoch { get; }

    /// <summary>The best validation metric, that of <see cref="BestEpoch"/>.</summary>
    public double? BestValidationMetric { get; }

    /// <summary>True when the parameters were reset to those of <see cref="BestEpoch"/> at the end (see <see cref="EarlyStopping.RestoreBestParameters"/>).</summary>
    public bool RestoredBestParameters { get; }

    private protected override string IterationUnit => "epoch";

    private protected override string? Details => BestEpoch is int best
        ? string.Format(
            CultureInfo.InvariantCulture,
            "Best validation metric {0:G6} after epoch {1}{2}.",
            BestValidationMetric,
            best,
            RestoredBestParameters ? ", whose parameters were restored" : string.Empty)
        : null;
}
