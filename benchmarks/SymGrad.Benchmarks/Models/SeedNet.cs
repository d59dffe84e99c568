using SymGrad;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// Seed 002: the 1-1-1 sigmoid network and its quadratic cost,
/// C = (y − σ(w3·σ(w2·x + b2) + b3))², differentiated with respect to w2, b2, w3, b3.
/// </summary>
public static partial class SeedNet
{
    /// <summary>The cost of one sample (x, y); the generator emits <c>LossGradient</c> from this body.</summary>
    [Differentiable]
    public static double Loss(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
    {
        double a2 = SymMath.Sigmoid(w2 * x + b2);
        double a3 = SymMath.Sigmoid(w3 * a2 + b3);
        double e = y - a3;
        return e * e;
    }
}
