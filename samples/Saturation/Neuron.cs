using System;

namespace SymGrad.Samples.Saturation;

/// <summary>
/// Seed 002's output neuron: z = w·a (a = a^(l−1), the activation feeding it), output σ(z), quadratic cost
/// C = (σ(z) − y)².
/// </summary>
public static partial class Neuron
{
    /// <summary>The cost of one sample; SymGrad generates CostGradient, CostSample and CostObjective.</summary>
    [Differentiable]
    public static double Cost(double a, double y, [Wrt] double w)
    {
        double z = w * a;
        double output = SymMath.Sigmoid(z);
        return (output - y) * (output - y);
    }
}

/// <summary>
/// The same cost with the textbook derivative typed in by hand, ∂C/∂w = 2(σ(z) − y)·σ(z)(1 − σ(z))·a, as an
/// <see cref="IObjective{TSample}"/> the runtime can train. σ(z) rounds to 1 for z ≳ 37, so 1 − σ(z) and the
/// gradient are exactly 0 there.
/// </summary>
public readonly struct NaiveCostObjective : IObjective<Neuron.CostSample>
{
    /// <inheritdoc/>
    public int ParameterCount => 1;

    /// <inheritdoc/>
    public string GetParameterName(int index) => index == 0 ? "w" : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc/>
    public double Value(in Neuron.CostSample sample, ReadOnlySpan<double> parameters)
    {
        double sigma = Sigma(parameters[0] * sample.a);
        return (sigma - sample.y) * (sigma - sample.y);
    }

    /// <inheritdoc/>
    public double ValueAndGradient(in Neuron.CostSample sample, ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        double sigma = Sigma(parameters[0] * sample.a);
        gradient[0] = 2 * (sigma - sample.y) * NaiveSigmaPrime(sigma) * sample.a;
        return (sigma - sample.y) * (sigma - sample.y);
    }

    /// <summary>σ(z) = 1 / (1 + e^−z), as in the textbook.</summary>
    public static double Sigma(double z) => 1.0 / (1.0 + Math.Exp(-z));

    /// <summary>σ′ = σ(1 − σ), from the already rounded σ.</summary>
    public static double NaiveSigmaPrime(double sigma) => sigma * (1 - sigma);
}
