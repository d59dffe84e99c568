using System;

namespace SymGrad;

/// <summary>The state of <see cref="Adam"/> and <see cref="AdamW"/>: the two moments and the powers of β₁, β₂.</summary>
internal sealed class AdamState : OptimizerState
{
    private readonly double[] _m;
    private readonly double[] _v;
    private readonly double _learningRate;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;
    private double _beta1Power = 1.0;
    private double _beta2Power = 1.0;

    private AdamState(int parameterCount, double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
        : base(parameterCount)
    {
        _m = new double[parameterCount];
        _v = new double[parameterCount];
        _learningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _weightDecay = weightDecay;
    }

    /// <summary>Validates the hyper-parameters (named as the records name them) and creates the state.</summary>
    public static AdamState Create(int parameterCount, double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        Guard.CheckPositive(learningRate, "LearningRate");
        Guard.CheckUnitInterval(beta1, "Beta1");
        Guard.CheckUnitInterval(beta2, "Beta2");
        Guard.CheckPositive(epsilon, "Epsilon");
        Guard.CheckNonNegative(weightDecay, "WeightDecay");
        return new AdamState(parameterCount, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        double beta1 = _beta1;
        double beta2 = _beta2;
        double epsilon = _epsilon;
        double learningRate = _learningRate * LearningRateFactor;
        _beta1Power *= beta1;
        _beta2Power *= beta2;
        double stepSize = learningRate / (1.0 - _beta1Power);
        double inverseCorrection2 = 1.0 / (1.0 - _beta2Power);
        double decay = 1.0 - learningRate * _weightDecay;
        double[] m = _m;
        double[] v = _v;
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            double mi = beta1 * m[i] + (1.0 - beta1) * g;
            double vi = beta2 * v[i] + (1.0 - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            double p = _weightDecay == 0.0 ? parameters[i] : parameters[i] * decay;
            parameters[i] = p - stepSize * mi / (Math.Sqrt(vi * inverseCorrection2) + epsilon);
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
