namespace SymGrad.Samples.TinyNet;

/// <summary>
/// Seed 002's network: one input, one hidden sigmoid unit, one sigmoid output,
/// f(x) = σ(w3·σ(w2·x + b2) + b3), with the quadratic cost C = (y − f(x))².
/// </summary>
public static partial class Network
{
    /// <summary>The cost of one sample. SymGrad generates LossGradient, LossHessian, LossSample and LossObjective from it.</summary>
    [Differentiable(Hessian = true)]
    public static double Loss(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
    {
        double z2 = w2 * x + b2;
        double a2 = SymMath.Sigmoid(z2);
        double z3 = w3 * a2 + b3;
        double a3 = SymMath.Sigmoid(z3);
        return (y - a3) * (y - a3);
    }

    /// <summary>f(x), the network's output (plain C#, used to print the fit).</summary>
    public static double Predict(double x, double w2, double b2, double w3, double b3)
        => SymMath.Sigmoid(w3 * SymMath.Sigmoid(w2 * x + b2) + b3);
}
