namespace SymGrad.Samples.Iris;

/// <summary>Logistic regression on four (standardised) measurements: P(virginica) = σ(w1·x1 + w2·x2 + w3·x3 + w4·x4 + b).</summary>
public static partial class Logistic
{
    /// <summary>Binary cross-entropy of one flower (t = 1 for virginica, 0 for versicolor), on the logit.</summary>
    [Differentiable]
    public static double Loss(
        double x1, double x2, double x3, double x4, double t,
        [Wrt] double w1, [Wrt] double w2, [Wrt] double w3, [Wrt] double w4, [Wrt] double b)
    {
        double z = w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + b;
        return -(t * SymMath.LogSigmoid(z) + (1 - t) * SymMath.LogSigmoid(-z));
    }

    /// <summary>The logit z for the parameter vector (w1, w2, w3, w4, b); z ≥ 0 predicts virginica.</summary>
    public static double Logit(in LossSample s, double[] p) => p[0] * s.x1 + p[1] * s.x2 + p[2] * s.x3 + p[3] * s.x4 + p[4];
}
