using System;

namespace SymGrad;

/// <summary>
/// An optimisation algorithm and its hyper-parameters (a small immutable record). It makes an
/// <see cref="OptimizerState"/>, which holds the per-parameter state (velocity, moments) and performs steps.
/// </summary>
public abstract record Optimizer
{
    /// <summary>Short name used in reports, e.g. "SGD", "Adam".</summary>
    public abstract string Name { get; }

    /// <summary>Validates the hyper-parameters and creates fresh state for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">Length of the parameter vector.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public abstract OptimizerState CreateState(int parameterCount);
}

/// <summary>Plain stochastic gradient descent: p ← p − η·g.</summary>
/// <param name="LearningRate">Step size η (&gt; 0).</param>
public sealed record Sgd(double LearningRate) : Optimizer
{
    /// <inheritdoc/>
    public override string Name => "SGD";

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount)
    {
        Validation.CheckPositive(LearningRate, nameof(LearningRate));
        return new SgdState(parameterCount, LearningRate);
    }

    private sealed class SgdState(int parameterCount, double learningRate) : OptimizerState(parameterCount)
    {
        protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= learningRate * gradient[i];
            }
        }

        protected override void ResetCore()
        {
        }
    }
}

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
        Validation.CheckPositive(LearningRate, nameof(LearningRate));
        Validation.CheckUnitInterval(Beta, nameof(Beta));
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
            double eta = _learningRate;
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

/// <summary>
/// Adam (Kingma &amp; Ba 2015): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − η·m̂/(√v̂ + ε) with the
/// bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Its step size does not depend on the gradient's scale.
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
    {
        Validation.CheckPositive(LearningRate, nameof(LearningRate));
        Validation.CheckUnitInterval(Beta1, nameof(Beta1));
        Validation.CheckUnitInterval(Beta2, nameof(Beta2));
        Validation.CheckPositive(Epsilon, nameof(Epsilon));
        return new AdamState(parameterCount, this);
    }

    private sealed class AdamState(int parameterCount, Adam options) : OptimizerState(parameterCount)
    {
        private readonly double[] _m = new double[parameterCount];
        private readonly double[] _v = new double[parameterCount];
        private readonly Adam _options = options;
        private double _beta1Power = 1.0;
        private double _beta2Power = 1.0;

        protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient)
        {
            double beta1 = _options.Beta1;
            double beta2 = _options.Beta2;
            double epsilon = _options.Epsilon;
            _beta1Power *= beta1;
            _beta2Power *= beta2;
            double stepSize = _options.LearningRate / (1.0 - _beta1Power);
            double inverseCorrection2 = 1.0 / (1.0 - _beta2Power);
            double[] m = _m;
            double[] v = _v;
            for (int i = 0; i < parameters.Length; i++)
            {
                double g = gradient[i];
                double mi = beta1 * m[i] + (1.0 - beta1) * g;
                double vi = beta2 * v[i] + (1.0 - beta2) * g * g;
                m[i] = mi;
                v[i] = vi;
                parameters[i] -= stepSize * mi / (Math.Sqrt(vi * inverseCorrection2) + epsilon);
            }
        }

        protected override void ResetCore()
        {
            Array.Clear(_m);
            Array.Clear(_v);
            _beta1Power = 1.0;
            _beta2Power = 1.0;
        }
    }
}
