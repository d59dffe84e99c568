using SymGrad;

namespace SymGrad.Tests.Models;

/// <summary>The seed-002 network f(x) = σ(w3·σ(w2·x + b2) + b3) and its quadratic cost.</summary>
public static partial class TinyNet
{
    [Differentiable]
    public static double Predict(double x, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
        => SymMath.Sigmoid(w3 * SymMath.Sigmoid(w2 * x + b2) + b3);

    [Differentiable(Hessian = true)]
    public static double Loss(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
    {
        var a = Predict(x, w2, b2, w3, b3);
        return (y - a) * (y - a);
    }

    [Differentiable]
    public static double LossWithLocals(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
    {
        double z2 = w2 * x + b2;
        double a2 = SymMath.Sigmoid(z2);
        double z3 = w3 * a2 + b3;
        double a3 = SymMath.Sigmoid(z3);
        return (y - a3) * (y - a3);
    }
}
