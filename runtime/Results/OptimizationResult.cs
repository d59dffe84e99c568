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

    /// <summary>
    /// Mean loss after the last epoch/iteration (when <see cref="TrainingOptions.EarlyStopping"/> restored the best
    /// parameters, theirs is <c>LossHistory[BestEpoch − 1]</c>, see <see cref="TrainingResult.BestEpoch"/>).
    /// </summary>
    public double FinalLoss => LossHistory.Count > 0 ? LossHistory[^1] : InitialLoss;

    /// <summary>Gradient norm after the last epoch/iteration.</summary>
    public double FinalGradientNorm => GradientNormHistory.Count > 0 ? GradientNormHistory[^1] : InitialGradientNorm;

    /// <summary>Why it stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>True when a convergence test stopped it (target loss, loss, gradient or step tolerance).</summary>
    public bool Converged => StopReason is StopReason.TargetLoss or StopReason.LossTolerance or StopReason.GradientTolerance or StopReason.StepTolerance;

    /// <summary>
    /// True when the gradient had vanished (norm ≤ the stall tolerance) at the start and still had at the end, although
    /// the loss was not zero and still within 0.1 % of its initial value: the signature of saturated units (e.g. a sigmoid
    /// at z = 50 whose textbook derivative σ(1 − σ) rounds to 0), not of a minimum. A gradient that fell to the tolerance
    /// from above is convergence, however little the loss moved (a warm start near the minimum). Not an exception: read
    /// <see cref="Hint"/>.
    /// </summary>
    public bool Stalled { get; }

    /// <summary>Advice when something looks wrong (stall, rising loss); null otherwise.</summary>
    public string? Hint { get; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Epochs (trainer) or iterations (minimizers) completed.</summary>
    public int Iterations { get; }

    /// <summary>
    /// A one-paragraph summary in plain words, e.g. "Adam: reached the epoch limit (500 epochs); loss 0.693 → 0.0121,
    /// ‖∇‖ 0.5 → 0.002, 0.31 s." followed by the <see cref="Hint"/>, if any.
    /// </summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        string text = string.Format(
            CultureInfo.InvariantCulture,
            "{0}: {1}; loss {2:G6} → {3:G6}, ‖∇‖ {4:G3} → {5:G3}, {6:F2} s.",
            Method,
            DescribeStop(),
            InitialLoss,
            FinalLoss,
            InitialGradientNorm,
            FinalGradientNorm,
            Elapsed.TotalSeconds);
        if (Details is string details)
        {
            text += " " + details;
        }

        return Hint is null ? text : text + " " + Hint;
    }

    /// <summary>The unit of <see cref="Iterations"/>, singular: "epoch" or "iteration".</summary>
    private protected abstract string IterationUnit { get; }

    /// <summary>A sentence the subclass adds to <see cref="ToString"/>, or null.</summary>
    private protected virtual string? Details => null;

    /// <summary>Why it stopped, as a phrase: "reached the epoch limit (500 epochs)", "converged after 5 iterations (…)".</summary>
    private string DescribeStop()
    {
        string count = Count(Iterations, IterationUnit);
        return StopReason switch
        {
            StopReason.MaxIterations => "reached the " + IterationUnit + " limit (" + count + ")",
            StopReason.TargetLoss => "reached the target loss after " + count,
            StopReason.LossTolerance => "converged after " + count + " (the loss stopped changing)",
            StopReason.GradientTolerance => "converged after " + count + " (the gradient norm is within tolerance)",
            StopReason.StepTolerance => "converged after " + count + " (the steps became negligible)",
            StopReason.Stalled => "stalled after " + count,
            StopReason.NoProgress => "stopped after " + count + ": no step decreased the loss",
            StopReason.EarlyStopping => "stopped early after " + count + ": the validation metric stopped improving",
            _ => StopReason + " after " + count,
        };
    }

    /// <summary>"1 epoch", "500 epochs".</summary>
    private protected static string Count(int count, string unit)
        => count.ToString(CultureInfo.InvariantCulture) + " " + unit + (count == 1 ? string.Empty : "s");
}
