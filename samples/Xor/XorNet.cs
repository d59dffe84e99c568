namespace SymGrad.Samples.Xor;

/// <summary>
/// A 2-2-1 sigmoid network with nine scalar parameters:
/// h1 = σ(w11·x1 + w12·x2 + b1), h2 = σ(w21·x1 + w22·x2 + b2), f = σ(v1·h1 + v2·h2 + c).
/// </summary>
public static partial class XorNet
{
    /// <summary>
    /// Binary cross-entropy of one sample, −[t·log f + (1 − t)·log(1 − f)], written on the output's logit z
    /// (log σ(z) and log σ(−z)) so it stays finite however confident the network is.
    /// </summary>
    [Differentiable]
    public static double Loss(
        double x1, double x2, double t,
        [Wrt] double w11, [Wrt] double w12, [Wrt] double b1,
        [Wrt] double w21, [Wrt] double w22, [Wrt] double b2,
        [Wrt] double v1, [Wrt] double v2, [Wrt] double c)
    {
        double h1 = SymMath.Sigmoid(w11 * x1 + w12 * x2 + b1);
        double h2 = SymMath.Sigmoid(w21 * x1 + w22 * x2 + b2);
        double z = v1 * h1 + v2 * h2 + c;
        return -(t * SymMath.LogSigmoid(z) + (1 - t) * SymMath.LogSigmoid(-z));
    }

    /// <summary>f(x1, x2) for the parameter vector in LossObjective's order (w11, w12, b1, w21, w22, b2, v1, v2, c).</summary>
    public static double Predict(double x1, double x2, double[] p)
    {
        double h1 = SymMath.Sigmoid(p[0] * x1 + p[1] * x2 + p[2]);
        double h2 = SymMath.Sigmoid(p[3] * x1 + p[4] * x2 + p[5]);
        return SymMath.Sigmoid(p[6] * h1 + p[7] * h2 + p[8]);
    }
}
