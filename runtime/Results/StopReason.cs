namespace SymGrad;

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

    /// <summary>The gradient was vanished from the start and the loss stayed where it started: see <see cref="OptimizationResult.Hint"/>.</summary>
    Stalled,

    /// <summary>No step along the search direction decreased the loss (line search or damping exhausted).</summary>
    NoProgress,

    /// <summary>
    /// The validation metric of <see cref="TrainingOptions.EarlyStopping"/> did not improve for
    /// <see cref="EarlyStopping.Patience"/> epochs. Not counted as converged.
    /// </summary>
    EarlyStopping,
}
