using System;
using System.Collections.Generic;
using System.Globalization;

namespace SymGrad;

/// <summary>
/// What happened during training or minimisation: losses and gradient norms per epoch/iteration, why it
/// stopped, and a diagnosis. The parameters themselves were updated in place.
/// </summary>
public abstract class OptimizationResult
{
    private protected OptimizationResult(string method, int iterations, double initialLoss, double initialGradientNorm, IReadOnlyList<double> lossHistory, IReadOnlyList<double> gradientNormHistory, StopReason stopReason, TimeSpan elapsed, bool stalled, string? hint)
    {
        Method = method;
        Iterations = iterations;
        InitialLoss = initialLoss;
        InitialGradientNorm = initialGradientNorm;
        LossHistory = lossHistory;
        GradientNormHistory = gradientNormHistory;
        StopReason = stopReason;
        Elapsed = elapsed;
        Stalled = stalled;
        Hint = hint;
    }

    /// <summary>The algorithm, e.g. "Adam", "Newton", "L-BFGS".</summary>
    public string Method { get; }

    /// <summary>Mean loss at the initial parameters.</summary>
    public double InitialLoss { get; }

    /// <summary>Gradient norm at the initial parameters.</summary>
    public double InitialGradientNorm { get; }

    /// <summary>
    /// Mean loss over the data after each epoch/iteration (entry k is after epoch k + 1). For L-BFGS, whose
    /// iterations happen inside Math.NET, one entry per function evaluation (line-search trials included).
    /// </summary>
    public IReadOnlyList<double> LossHistory { get; }

    /// <summary>‖∇ mean loss‖₂ after each epoch/iteration.</summary>
    public IReadOnlyList<double> GradientNormHistory { get; }

    /// <summary>Mean loss at the final parameters.</summary>
    public double FinalLoss => LossHistory.Count > 0 ? LossHistory[^1] : InitialLoss;

    /// <summary>Gradient norm at the final parameters.</summary>
    public double FinalGradientNorm => GradientNormHistory.Count > 0 ? GradientNormHistory[^1] : InitialGradientNorm;

    /// <summary>Why it stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>True when a convergence test stopped it (target loss, loss, gradient or step tolerance).</summary>
    public bool Converged => StopReason is StopReason.TargetLoss or StopReason.LossTolerance or StopReason.GradientTolerance or StopReason.StepTolerance;

    /// <summary>
    /// True when, at the end, the gradient had vanished (norm ≤ the stall tolerance) although the loss was
    /// not zero and still within 0.1 % of its initial value: the signature of saturated units (e.g. a sigmoid
    /// at z = 50 whose textbook derivative σ(1 − σ) rounds to 0), not of a minimum. Not an exception: read
    /// <see cref="Hint"/>.
    /// </summary>
    public bool Stalled { get; }

    /// <summary>Advice when something looks wrong (stall, rising loss); null otherwise.</summary>
    public string? Hint { get; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Epochs (trainer) or iterations (minimizers) completed.</summary>
    public int Iterations { get; }

    /// <summary>A one-paragraph summary.</summary>
    public override string ToString()
    {
        string text = string.Format(
            CultureInfo.InvariantCulture,
            "{0}: {1} after {2} {3}; loss {4:G6} → {5:G6}, ‖∇‖ {6:G3} → {7:G3}, {8:F2} s.",
            Method,
            StopReason,
            Iterations,
            IterationUnit,
            InitialLoss,
            FinalLoss,
            InitialGradientNorm,
            FinalGradientNorm,
            Elapsed.TotalSeconds);
        return Hint is null ? text : text + " " + Hint;
    }

    private protected abstract string IterationUnit { get; }
}

/// <summary>The outcome of <see cref="Trainer.Fit{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], TrainingOptions, IProgress{EpochReport}?)"/>.</summary>
public sealed class TrainingResult : OptimizationResult
{
    internal TrainingResult(string method, double initialLoss, double initialGradientNorm, IReadOnlyList<double> lossHistory, IReadOnlyList<double> gradientNormHistory, StopReason stopReason, TimeSpan elapsed, bool stalled, string? hint, long steps)
        : base(method, lossHistory.Count, initialLoss, initialGradientNorm, lossHistory, gradientNormHistory, stopReason, elapsed, stalled, hint)
    {
        Steps = steps;
    }

    /// <summary>Epochs completed (the same as <see cref="OptimizationResult.Iterations"/>).</summary>
    public int Epochs => Iterations;

    /// <summary>Optimizer steps (parameter updates) taken.</summary>
    public long Steps { get; }

    private protected override string IterationUnit => "epoch(s)";
}

/// <summary>The outcome of <see cref="Newton"/>, <see cref="GradientDescent"/> or <see cref="Lbfgs"/>.</summary>
public sealed class MinimizationResult : OptimizationResult
{
    internal MinimizationResult(string method, int iterations, double initialLoss, double initialGradientNorm, IReadOnlyList<double> lossHistory, IReadOnlyList<double> gradientNormHistory, StopReason stopReason, TimeSpan elapsed, bool stalled, string? hint, int functionEvaluations)
        : base(method, iterations, initialLoss, initialGradientNorm, lossHistory, gradientNormHistory, stopReason, elapsed, stalled, hint)
    {
        FunctionEvaluations = functionEvaluations;
    }

    /// <summary>Evaluations of the mean loss over the data set (with or without derivatives), including rejected trial steps.</summary>
    public int FunctionEvaluations { get; }

    private protected override string IterationUnit => "iteration(s)";
}
