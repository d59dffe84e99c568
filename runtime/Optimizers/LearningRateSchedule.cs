using System;

namespace SymGrad;

/// <summary>
/// A learning-rate schedule: the factor by which the optimizer's learning rate is multiplied at each step, as
/// PyTorch's <c>LambdaLR</c> does and as optax's schedules do (there they give the rate itself). Steps are
/// optimizer updates counted from 0, not epochs: with N samples and batch size B an epoch is ⌈N/B⌉ steps.
/// </summary>
/// <example>
/// <code>
/// // Linear warm-up over 100 steps to the optimizer's rate, then cosine decay to 1 % of it over 900 steps.
/// var options = new TrainingOptions(new AdamW(1e-3))
/// {
///     LearningRateSchedule = LearningRateSchedule.Cosine(decaySteps: 900, finalFactor: 0.01).WithLinearWarmup(100),
/// };
/// </code>
/// </example>
public abstract record LearningRateSchedule
{
    /// <summary>Factor 1 at every step: the optimizer's own learning rate (the default).</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>The factor for step <paramref name="step"/> (0 for the first update).</summary>
    /// <param name="step">Updates taken before this one (≥ 0).</param>
    /// <returns>The factor that multiplies the learning rate for this update.</returns>
    public abstract double GetFactor(long step);

    /// <summary>
    /// Step decay (PyTorch's <c>StepLR</c>): factor γ^⌊step / stepSize⌋, i.e. the rate is multiplied by
    /// <paramref name="gamma"/> every <paramref name="stepSize"/> steps.
    /// </summary>
    /// <param name="stepSize">Steps between two decays (≥ 1).</param>
    /// <param name="gamma">Factor of each decay, in (0, 1]; 0.1 by default.</param>
    /// <returns>The schedule.</returns>
    public static LearningRateSchedule StepDecay(int stepSize, double gamma = 0.1)
    {
        Guard.CheckAtLeast(stepSize, 1, nameof(stepSize));
        if (!(gamma > 0.0 && gamma <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Must be in (0, 1].");
        }

        return new StepDecaySchedule(stepSize, gamma);
    }

    /// <summary>
    /// Cosine decay (optax's <c>cosine_decay_schedule</c>, PyTorch's <c>CosineAnnealingLR</c> without restarts):
    /// factor f + (1 − f)·½(1 + cos(π·t/T)) with t = min(step, T), T = <paramref name="decaySteps"/> and f =
    /// <paramref name="finalFactor"/>. It starts at 1, is (1 + f)/2 halfway and stays at f from step T on.
    /// </summary>
    /// <param name="decaySteps">Steps over which the factor falls from 1 to <paramref name="finalFactor"/> (≥ 1).</param>
    /// <param name="finalFactor">The factor at the end, in [0, 1]; 0 by default.</param>
    /// <returns>The schedule.</returns>
    public static LearningRateSchedule Cosine(int decaySteps, double finalFactor = 0.0)
    {
        Guard.CheckAtLeast(decaySteps, 1, nameof(decaySteps));
        if (!(finalFactor >= 0.0 && finalFactor <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(finalFactor), finalFactor, "Must be in [0, 1].");
        }

        return new CosineSchedule(decaySteps, finalFactor);
    }

    /// <summary>
    /// This schedule after a linear warm-up: step t &lt; W uses (t + 1)/W times this schedule's first factor, so
    /// the first update is not wasted on a zero rate and step W − 1 reaches it; from step W on, this schedule runs
    /// from its own step 0 (step t uses GetFactor(t − W)).
    /// </summary>
    /// <param name="warmupSteps">W, the steps of the warm-up (≥ 1).</param>
    /// <returns>The combined schedule.</returns>
    public LearningRateSchedule WithLinearWarmup(int warmupSteps)
    {
        Guard.CheckAtLeast(warmupSteps, 1, nameof(warmupSteps));
        return new WarmupSchedule(this, warmupSteps);
    }

    private sealed record ConstantSchedule : LearningRateSchedule
    {
        public override double GetFactor(long step) => 1.0;
    }

    private sealed record StepDecaySchedule(int StepSize, double Gamma) : LearningRateSchedule
    {
        public override double GetFactor(long step) => Math.Pow(Gamma, step / StepSize);
    }

    private sealed record CosineSchedule(int DecaySteps, double FinalFactor) : LearningRateSchedule
    {
        public override double GetFactor(long step)
        {
            double progress = (double)Math.Min(step, DecaySteps) / DecaySteps;
            return FinalFactor + (1.0 - FinalFactor) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
        }
    }

    private sealed record WarmupSchedule(LearningRateSchedule Inner, int WarmupSteps) : LearningRateSchedule
    {
        public override double GetFactor(long step)
            => step < WarmupSteps ? Inner.GetFactor(0) * (step + 1) / WarmupSteps : Inner.GetFactor(step - WarmupSteps);
    }
}
