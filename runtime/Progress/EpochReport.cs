using System;

namespace SymGrad;

/// <summary>One line of progress, reported once per epoch (trainer) or iteration (minimizers).</summary>
/// <param name="Epoch">The completed epoch (or iteration), from 1.</param>
/// <param name="MaxEpochs">The budget (<see cref="TrainingOptions.MaxEpochs"/> or MaxIterations).</param>
/// <param name="Loss">Mean loss over the whole data set after this epoch.</param>
/// <param name="GradientNorm">‖∇ mean loss‖₂ over the whole data set after this epoch.</param>
/// <param name="Steps">Optimizer steps taken so far.</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
public readonly record struct EpochReport(int Epoch, int MaxEpochs, double Loss, double GradientNorm, long Steps, TimeSpan Elapsed)
{
    /// <summary>The <see cref="EarlyStopping.Metric"/> after this epoch; null without early stopping (and for minimizers).</summary>
    public double? ValidationMetric { get; init; }
}
