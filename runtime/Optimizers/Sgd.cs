using System;

namespace SymGrad;

/// <summary>Plain stochastic gradient descent: p ← p − η·g.</summary>
/// <param name="LearningRate">Step size η (&gt; 0).</param>
public sealed record Sgd(double LearningRate) : Optimizer
{
    /// <inheritdoc/>
    public override string Name => "SGD";

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount)
    {
        Guard.CheckPositive(LearningRate, nameof(LearningRate));
        return new SgdState(parameterCount, LearningRate);
    }

    private sealed class SgdState(int parameterCount, double learningRate) : OptimizerState(parameterCount)
    {
        protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient)
        {
            double eta = learningRate * LearningRateFactor;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= eta * gradient[i];
            }
        }

        protected override void ResetCore()
        {
        }
    }
}
