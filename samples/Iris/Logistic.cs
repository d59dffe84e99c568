using System;

namespace SymGrad.Samples.Iris;

/// <summary>
/// Logistic regression on the measurements x (standardised): P(virginica) = σ(z) with
/// z = w[0]·x[0] + … + w[n−1]·x[n−1] + w[n], the bias last.
/// </summary>
public static partial class Logistic
{
    /// <summary>Binary cross-entropy of one flower, on the logit: −log σ(z) for a virginica, −log σ(−z) for a versicolor.</summary>
    [Differentiable]
    public static double Loss(ReadOnlySpan<double> x, bool virginica, [Wrt] ReadOnlySpan<double> w)
    {
        double z = Logit(x, w);
        return virginica ? -SymMath.LogSigmoid(z) : -SymMath.LogSigmoid(-z);
    }

    /// <summary>The logit z; z ≥ 0 predicts virginica.</summary>
    public static double Logit(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        double z = w[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            z += w[i] * x[i];
        }

        return z;
    }
}
