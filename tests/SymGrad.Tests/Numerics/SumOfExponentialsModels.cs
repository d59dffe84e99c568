using System;
using SymGrad;

namespace SymGrad.Tests.Numerics;

/// <summary>Sums of exponentials under a log, as mixture and softmax normalisers are written, and hypot at its kink.</summary>
public static partial class SumOfExponentialsModels
{
    [Differentiable(Hessian = true)]
    public static double Lse3(double a, double b, double c) => Math.Log(Math.Exp(a) + Math.Exp(b) + Math.Exp(c));

    /// <summary>A reference class with logit 0: log(1 + e^a + e^b).</summary>
    [Differentiable]
    public static double LseWithReference(double a, double b) => Math.Log(1 + Math.Exp(a) + Math.Exp(b));

    [Differentiable]
    public static double Radius(double x, double y) => double.Hypot(x, y);
}
