using System;

namespace SymGrad.Samples.FieldModel;

/// <summary>
/// A 2-H-1 tanh classifier whose weights are the object's fields: the logit is
/// z(x) = Σ_j W2[j]·tanh(Σ_i W1[j·n + i]·x[i] + B1[j]) + B2 (n inputs, W1 row-major, one row per hidden unit) and
/// P(y = 1 | x) = σ(z). The generator differentiates <see cref="Loss"/> with respect to the <c>[Param]</c> fields,
/// flat in declaration order (W1, B1, W2, then B2), and emits <c>LossGradient</c>, <c>LossParameterCount</c>,
/// <c>LossGetParameters</c>, <c>LossSetParameters</c> and <c>CreateLossObjective()</c> on the object.
/// </summary>
public partial class MoonsNet
{
    /// <summary>Input weights, row-major: W1[j·n + i] connects input i to hidden unit j.</summary>
    [Param] public double[] W1;

    /// <summary>Bias of each hidden unit.</summary>
    [Param] public double[] B1;

    /// <summary>Output weight of each hidden unit.</summary>
    [Param] public double[] W2;

    /// <summary>Output bias.</summary>
    [Param] public double B2;

    /// <summary>A network with <paramref name="inputs"/> inputs and <paramref name="hidden"/> tanh units, all weights 0.</summary>
    public MoonsNet(int inputs, int hidden)
    {
        W1 = new double[hidden * inputs];
        B1 = new double[hidden];
        W2 = new double[hidden];
    }

    /// <summary>Number of hidden units.</summary>
    public int Hidden => B1.Length;

    /// <summary>
    /// Binary cross-entropy of one sample, −[y·log σ(z) + (1 − y)·log σ(−z)], written on the logit so it stays finite
    /// however confident the network is. The forward pass reads the fields through a helper (inlined by the generator).
    /// </summary>
    [Differentiable]
    public double Loss(ReadOnlySpan<double> x, double y)
    {
        double z = Forward(W1, B1, W2, B2, x);
        return -((y * SymMath.LogSigmoid(z)) + ((1 - y) * SymMath.LogSigmoid(-z)));
    }

    /// <summary>The logit z(x) at the current fields (the forward pass of <see cref="Loss"/>).</summary>
    public double Logit(ReadOnlySpan<double> x) => Forward(W1, B1, W2, B2, x);

    /// <summary>z = b2 + Σⱼ w2ⱼ·tanh(b1ⱼ + Σᵢ w1ⱼᵢ·xᵢ), with w1 row-major (hidden × inputs).</summary>
    private static double Forward(ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, double b2, ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double z = b2;
        for (int j = 0; j < b1.Length; j++)
        {
            double s = b1[j];
            for (int i = 0; i < n; i++)
            {
                s += w1[(j * n) + i] * x[i];
            }

            z += w2[j] * Math.Tanh(s);
        }

        return z;
    }
}
