namespace SymGrad;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019), Adam with decoupled weight decay, as PyTorch's <c>torch.optim.AdamW</c>
/// and optax's <c>adamw</c>: each step first shrinks the parameters, p ← p·(1 − η·λ), then takes the
/// <see cref="Adam"/> step p ← p − η·m̂/(√v̂ + ε) with the gradient g computed before the shrink. Unlike an L2 term
/// added to the loss, the decay is not rescaled by Adam's per-parameter step sizes. η includes the
/// <see cref="LearningRateSchedule"/> factor, so the decay follows the schedule too.
/// </summary>
/// <param name="LearningRate">Step size η (&gt; 0); 0.001 by default.</param>
/// <param name="Beta1">Decay of the first moment, in [0, 1).</param>
/// <param name="Beta2">Decay of the second moment, in [0, 1).</param>
/// <param name="Epsilon">Added to √v̂ to avoid division by zero (&gt; 0).</param>
/// <param name="WeightDecay">λ (≥ 0); 0.01 by default, as in PyTorch. Every parameter decays: put biases you want undecayed in a separate model.</param>
public sealed record AdamW(double LearningRate = 0.001, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0.01) : Optimizer
{
    /// <inheritdoc/>
    public override string Name => "AdamW";

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount)
        => AdamState.Create(parameterCount, LearningRate, Beta1, Beta2, Epsilon, WeightDecay);
}
