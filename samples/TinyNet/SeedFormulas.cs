using System;

namespace SymGrad.Samples.TinyNet;

/// <summary>
/// The gradient exactly as seed 002 derives it by hand, written out independently of the generator:
/// <code>
/// ∂C/∂w3 = −2(y − f(x))·σ′(z3)·a2
/// ∂C/∂b3 = −2(y − f(x))·σ′(z3)
/// ∂C/∂w2 = −2(y − f(x))·σ′(z3)·w3·σ′(z2)·x
/// ∂C/∂b2 = −2(y − f(x))·σ′(z3)·w3·σ′(z2)
/// </code>
/// with σ′(z) = σ(z)(1 − σ(z)), evaluated as σ(z)·σ(−z) so it keeps its precision for large |z|.
/// </summary>
public static class SeedFormulas
{
    /// <summary>C and [∂C/∂w2, ∂C/∂b2, ∂C/∂w3, ∂C/∂b3].</summary>
    public static (double Cost, double[] Gradient) Gradient(double x, double y, double w2, double b2, double w3, double b3)
    {
        double z2 = w2 * x + b2;
        double a2 = Sigma(z2);
        double z3 = w3 * a2 + b3;
        double f = Sigma(z3);
        double common = -2.0 * (y - f) * SigmaPrime(z3);
        double dw3 = common * a2;
        double db3 = common;
        double dw2 = common * w3 * SigmaPrime(z2) * x;
        double db2 = common * w3 * SigmaPrime(z2);
        return ((y - f) * (y - f), [dw2, db2, dw3, db3]);
    }

    private static double Sigma(double z) => z >= 0 ? 1.0 / (1.0 + Math.Exp(-z)) : Math.Exp(z) / (1.0 + Math.Exp(z));

    private static double SigmaPrime(double z) => Sigma(z) * Sigma(-z);
}
