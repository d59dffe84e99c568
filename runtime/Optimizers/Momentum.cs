using System;

namespace SymGrad;

/// <summary>
/// SGD with momentum (heavy ball, as in PyTorch): v ← β·v + g, p ← p − η·v; with
/// <paramref name="Nesterov"/>, p ← p − η·(g + β·v).
/// </summary>
/// <param name="LearningRate">Step size η (&gt; 0).</param>
/// <param name="Beta">Momentum coefficient β in [0, 1); 0.9 by default.</param>
/// <param name="Nesterov">Use Nesterov's look-ahead form.</param>
public sealed record Momentum(double LearningRate, double Beta = 0.9, bool Nesterov = false) : Optimizer
{
    /// <inheritdoc/>
    public override string Name => Nesterov ? "Nesterov" : "Momentum";

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount)
    {
        Guard.CheckPositive(LearningRate, nameof(LearningRate));
        Guard.CheckUnitInterval(Beta, nameof(Beta));
        return new MomentumState(parameterCount, this);
    }

    private sealed class MomentumState(int parameterCount, Momentum options) : OptimizerState(parameterCount)
    {
        private readonly double[] _velocity = new double[parameterCount];
        private readonly double _learningRate = options.LearningRate;
        private readonly double _beta = options.Beta;
        private readonly bool _nesterov = options.Nesterov;

        protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient)
        {
            double[] v = _velocity;
            double eta = _learningRate * LearningRateFactor;
            double beta = _beta;
            if (_nesterov)
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    double vi = beta * v[i] + gradient[i];
                    v[i] = vi;
                    parameters[i] -= eta * (gradient[i] + beta * vi);
                }
            }
            else
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    double vi = beta * v[i] + gradient[i];
                    v[i] = vi;
                    parameters[i] -= eta * vi;
                }
            }
        }

        protected override void ResetCore() => Array.Clear(_velocity);
    }
}
