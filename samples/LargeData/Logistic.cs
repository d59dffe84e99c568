namespace SymGrad.Samples.LargeData;

/// <summary>Logistic regression with four features, written the natural way.</summary>
public static partial class Logistic
{
    /// <summary>
    /// Negative log-likelihood of one labelled sample: −[y·log σ(z) + (1 − y)·log σ(−z)], z = w·x + b. The data
    /// (x1…x4, y) are doubles, so the generator also emits <c>LossBatchGradient</c>, a SIMD kernel over whole columns,
    /// and the objective sums packed samples with it.
    /// </summary>
    [Differentiable]
    public static double Loss(
        double x1, double x2, double x3, double x4, double y,
        [Wrt] double w1, [Wrt] double w2, [Wrt] double w3, [Wrt] double w4, [Wrt] double b)
    {
        double z = (w1 * x1) + (w2 * x2) + (w3 * x3) + (w4 * x4) + b;
        return -((y * SymMath.LogSigmoid(z)) + ((1 - y) * SymMath.LogSigmoid(-z)));
    }
}
