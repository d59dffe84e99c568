using System;

namespace SymGrad.Samples.Iris;

/// <summary>
/// A 4-16-3 network for the three species: h = tanh(W1·x + b1), logits = W2·h + b2, P(class) = softmax(logits).
/// The weights are one vector: W1 row by row (one row of <see cref="Inputs"/> per hidden unit), b1, W2 row by
/// row (one row of <see cref="Hidden"/> per class), b2. <see cref="HiddenUnit"/> and <see cref="Logit"/> compute
/// one unit each; the loss inlines them and <see cref="Predict"/> calls them, so both read the same layout.
/// </summary>
public static partial class SoftmaxNet
{
    /// <summary>Measurements per flower.</summary>
    public const int Inputs = 4;

    /// <summary>Hidden tanh units.</summary>
    public const int Hidden = 16;

    /// <summary>Species.</summary>
    public const int Classes = 3;

    /// <summary>Length of the weight vector: 4·16 + 16 + 16·3 + 3 = 131.</summary>
    public const int WeightCount = Hidden * Inputs + Hidden + Classes * Hidden + Classes;

    /// <summary>
    /// Cross-entropy of one flower of class <paramref name="label"/>: −log softmax(logits)[label]
    /// = log Σ_k exp(logits[k]) − logits[label], the sum shifted by the largest logit so no exponential overflows.
    /// </summary>
    [Differentiable]
    public static double Loss(ReadOnlySpan<double> x, int label, [Wrt] ReadOnlySpan<double> w)
    {
        double[] h = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            h[j] = HiddenUnit(x, w, j);
        }

        double[] logits = new double[Classes];
        for (int k = 0; k < Classes; k++)
        {
            logits[k] = Logit(h, w, k);
        }

        double max = logits[0];
        for (int k = 1; k < Classes; k++)
        {
            if (logits[k] > max)
            {
                max = logits[k];
            }
        }

        double sum = 0;
        for (int k = 0; k < Classes; k++)
        {
            sum += Math.Exp(logits[k] - max);
        }

        return max + Math.Log(sum) - logits[label];
    }

    /// <summary>Hidden unit j's output tanh(W1[j]·x + b1[j]).</summary>
    public static double HiddenUnit(ReadOnlySpan<double> x, ReadOnlySpan<double> w, int j)
    {
        double s = w[Hidden * Inputs + j];
        for (int i = 0; i < Inputs; i++)
        {
            s += w[j * Inputs + i] * x[i];
        }

        return Math.Tanh(s);
    }

    /// <summary>Class k's logit W2[k]·h + b2[k] from the hidden layer's outputs h.</summary>
    public static double Logit(ReadOnlySpan<double> h, ReadOnlySpan<double> w, int k)
    {
        int w2 = Hidden * Inputs + Hidden;
        double z = w[w2 + Classes * Hidden + k];
        for (int j = 0; j < Hidden; j++)
        {
            z += w[w2 + k * Hidden + j] * h[j];
        }

        return z;
    }

    /// <summary>The predicted species: the class with the largest logit.</summary>
    public static int Predict(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        Span<double> h = stackalloc double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            h[j] = HiddenUnit(x, w, j);
        }

        int best = 0;
        double bestLogit = double.NegativeInfinity;
        for (int k = 0; k < Classes; k++)
        {
            double z = Logit(h, w, k);
            if (z > bestLogit)
            {
                best = k;
                bestLogit = z;
            }
        }

        return best;
    }
}
