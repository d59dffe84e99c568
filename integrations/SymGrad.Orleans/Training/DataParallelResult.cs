using System;
using System.Collections.Generic;
using System.Globalization;

namespace SymGrad.Orleans;

/// <summary>The outcome of <see cref="ShardedTrainer.FitAsync"/>: as the runtime's <see cref="TrainingResult"/> reports a single-machine run.</summary>
public sealed class DataParallelResult
{
    internal DataParallelResult(string method, double initialLoss, double initialGradientNorm, IReadOnlyList<double> losses, IReadOnlyList<double> norms, StopReason stopReason, long steps, TimeSpan elapsed)
    {
        Method = method;
        InitialLoss = initialLoss;
        InitialGradientNorm = initialGradientNorm;
        LossHistory = losses;
        GradientNormHistory = norms;
        StopReason = stopReason;
        Steps = steps;
        Elapsed = elapsed;
    }

    /// <summary>The optimizer, e.g. "Adam".</summary>
    public string Method { get; }

    /// <summary>Mean loss over all shards at the initial parameters.</summary>
    public double InitialLoss { get; }

    /// <summary>Gradient norm at the initial parameters.</summary>
    public double InitialGradientNorm { get; }

    /// <summary>Mean loss over all shards after each epoch.</summary>
    public IReadOnlyList<double> LossHistory { get; }

    /// <summary>‖∇ mean loss‖₂ over all shards after each epoch.</summary>
    public IReadOnlyList<double> GradientNormHistory { get; }

    /// <summary>Epochs completed.</summary>
    public int Epochs => LossHistory.Count;

    /// <summary>Optimizer steps (synchronous rounds over the shards) taken.</summary>
    public long Steps { get; }

    /// <summary>Mean loss after the last epoch.</summary>
    public double FinalLoss => LossHistory.Count > 0 ? LossHistory[^1] : InitialLoss;

    /// <summary>Why training stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>True when a convergence test stopped it.</summary>
    public bool Converged => StopReason is StopReason.TargetLoss or StopReason.LossTolerance or StopReason.GradientTolerance;

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>A one-line summary.</summary>
    /// <returns>E.g. "Adam (data-parallel): 20 epochs, 400 steps (MaxIterations); loss 0.693 → 0.21, 1.25 s."</returns>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0} (data-parallel): {1} epoch(s), {2} step(s) ({3}); loss {4:G6} → {5:G6}, {6:F2} s.",
        Method,
        Epochs,
        Steps,
        StopReason,
        InitialLoss,
        FinalLoss,
        Elapsed.TotalSeconds);
}
