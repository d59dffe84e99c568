namespace SymGrad;

/// <summary>
/// Adam (Kingma &amp; Ba 2015): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − η·m̂/(√v̂ + ε) with the
/// bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Its step size does not depend on the gradient's scale.
/// For weight decay use <see cref="AdamW"/>.
/// </summary>
/// <param name="LearningRate">Step size η (&gt; 0); 0.001 by default.</param>
/// <param name="Beta1">Decay of the first moment, in [0, 1).</param>
/// <param name="Beta2">Decay of the second moment, in [0, 1).</param>
/// <param name="Epsilon">Added to √v̂ to avoid division by zero (&gt; 0).</param>
public sealed record Adam(double LearningRate = 0.001, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8) : Optimizer
{
    /// <inheritdoc/>
    public override string Name => "Adam";

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount)
        => AdamState.Create(parameterCount, LearningRate, Beta1, Beta2, Epsilon, weightDecay: 0.0);
}
