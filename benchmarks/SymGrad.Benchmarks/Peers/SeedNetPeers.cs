using System;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Peers;

/// <summary>The alternatives to SymGrad for the seed-002 network (gradient order w2, b2, w3, b3).</summary>
public static class SeedNetPeers
{
    /// <summary>Number of trainable parameters.</summary>
    public const int ParameterCount = 4;

    /// <summary>
    /// The seed's formulas written by hand, σ computed once per layer (σ′ = a(1 − a)):
    /// ∂C/∂w3 = −2(y − a3)σ′(z3)a2, ∂C/∂b3 = −2(y − a3)σ′(z3),
    /// ∂C/∂w2 = −2(y − a3)σ′(z3)w3σ′(z2)x, ∂C/∂b2 = −2(y − a3)σ′(z3)w3σ′(z2).
    /// </summary>
    public static double HandWritten(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient)
    {
        double a2 = SymMath.Sigmoid(w2 * x + b2);
        double a3 = SymMath.Sigmoid(w3 * a2 + b3);
        double e = y - a3;
        double delta3 = -2.0 * e * a3 * (1.0 - a3);      // ∂C/∂z3
        double delta2 = delta3 * w3 * a2 * (1.0 - a2);   // ∂C/∂z2
        gradient[3] = delta3;                             // ∂C/∂b3
        gradient[2] = delta3 * a2;                        // ∂C/∂w3
        gradient[1] = delta2;                             // ∂C/∂b2
        gradient[0] = delta2 * x;                         // ∂C/∂w2
        return e * e;
    }

    /// <summary>
    /// The closed form as a speed-minded user writes it without the runtime: σ(z) = 1/(1 + Math.Exp(−z)) (no branch;
    /// Math.Exp(−z) = ∞ for z &lt; −709 gives σ = 0, not NaN) and σ′ = a(1 − a), which rounds to 0 once a rounds to 1.
    /// </summary>
    public static double HandWrittenNaive(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient)
    {
        double a2 = 1.0 / (1.0 + Math.Exp(-(w2 * x + b2)));
        double a3 = 1.0 / (1.0 + Math.Exp(-(w3 * a2 + b3)));
        double e = y - a3;
        double delta3 = -2.0 * e * a3 * (1.0 - a3);
        double delta2 = delta3 * w3 * a2 * (1.0 - a2);
        gradient[3] = delta3;
        gradient[2] = delta3 * a2;
        gradient[1] = delta2;
        gradient[0] = delta2 * x;
        return e * e;
    }

    /// <summary>
    /// <see cref="HandWrittenNaive"/> kept a call: the generated <c>LossGradient</c> is too large for the JIT to inline
    /// into a caller's loop, while the small naive function is inlined; this row times the naive code called the same way.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static double HandWrittenNaiveCalled(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
        HandWrittenNaive(x, y, w2, b2, w3, b3, gradient);

    /// <summary>
    /// The generated <c>LossGradient</c>'s body statement for statement, calling <see cref="PreIssue11SymMath.Sigmoid"/>,
    /// a copy of the runtime's fused σ/σ′ before issue 11 (it branched on the sign of z): the generated code as it
    /// ran before, so one run can time before and after side by side.
    /// </summary>
    public static double GeneratedBodyPreIssue11(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient)
    {
        double t0 = w2 * x + b2;
        double sigmoid1 = PreIssue11SymMath.Sigmoid(t0, out double dsigmoid1_dt0);
        double t2 = w3 * sigmoid1 + b3;
        double a = PreIssue11SymMath.Sigmoid(t2, out double da_dt2);
        double t3 = y - a;
        double dLoss_dt2 = -(2.0 * t3) * da_dt2;
        double dLoss_dt0 = dLoss_dt2 * w3 * dsigmoid1_dt0;
        gradient[0] = dLoss_dt0 * x;
        gradient[1] = dLoss_dt0;
        gradient[2] = dLoss_dt2 * sigmoid1;
        gradient[3] = dLoss_dt2;
        return t3 * t3;
    }

    /// <summary>
    /// The same closed form, but with a separate σ′(z) = SymMath.SigmoidDerivative(z) (one more exponential
    /// per layer, accurate where a(1 − a) rounds to 0), as the generator emitted it before it fused σ and σ′.
    /// </summary>
    public static double HandWrittenStableDerivative(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient)
    {
        double z2 = w2 * x + b2;
        double a2 = SymMath.Sigmoid(z2);
        double z3 = w3 * a2 + b3;
        double a3 = SymMath.Sigmoid(z3);
        double e = y - a3;
        double delta3 = -2.0 * e * SymMath.SigmoidDerivative(z3);
        double delta2 = delta3 * w3 * SymMath.SigmoidDerivative(z2);
        gradient[3] = delta3;
        gradient[2] = delta3 * a2;
        gradient[1] = delta2;
        gradient[0] = delta2 * x;
        return e * e;
    }

    /// <summary>
    /// The closed form with σ and σ′ from the runtime's fused <c>SymMath.Sigmoid(z, out σ′)</c> (one shared
    /// exponential, σ′ accurate at saturation), the derivative function the generated code calls.
    /// </summary>
    public static double HandWrittenFusedStable(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient)
    {
        double a2 = SymMath.Sigmoid(w2 * x + b2, out double d2);
        double a3 = SymMath.Sigmoid(w3 * a2 + b3, out double d3);
        double e = y - a3;
        double delta3 = -2.0 * e * d3;
        double delta2 = delta3 * w3 * d2;
        gradient[3] = delta3;
        gradient[2] = delta3 * a2;
        gradient[1] = delta2;
        gradient[0] = delta2 * x;
        return e * e;
    }

    /// <summary>
    /// Central differences (f(p + hᵢ) − f(p − hᵢ)) / 2hᵢ with hᵢ = ∛ε·max(1, |pᵢ|): 2n + 1 evaluations.
    /// </summary>
    public static double FiniteDifferences(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient)
    {
        double h;
        h = Step(w2);
        gradient[0] = (SeedNet.Loss(x, y, w2 + h, b2, w3, b3) - SeedNet.Loss(x, y, w2 - h, b2, w3, b3)) / (2.0 * h);
        h = Step(b2);
        gradient[1] = (SeedNet.Loss(x, y, w2, b2 + h, w3, b3) - SeedNet.Loss(x, y, w2, b2 - h, w3, b3)) / (2.0 * h);
        h = Step(w3);
        gradient[2] = (SeedNet.Loss(x, y, w2, b2, w3 + h, b3) - SeedNet.Loss(x, y, w2, b2, w3 - h, b3)) / (2.0 * h);
        h = Step(b3);
        gradient[3] = (SeedNet.Loss(x, y, w2, b2, w3, b3 + h) - SeedNet.Loss(x, y, w2, b2, w3, b3 - h)) / (2.0 * h);
        return SeedNet.Loss(x, y, w2, b2, w3, b3);
    }

    /// <summary>Forward mode: one dual-number pass per parameter (4 passes).</summary>
    public static double DualNumbers(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient)
    {
        Dual<double> r = default;
        r = LossDual(x, y, new(w2, 1.0), b2, w3, b3);
        gradient[0] = r.Tangent;
        r = LossDual(x, y, w2, new(b2, 1.0), w3, b3);
        gradient[1] = r.Tangent;
        r = LossDual(x, y, w2, b2, new(w3, 1.0), b3);
        gradient[2] = r.Tangent;
        r = LossDual(x, y, w2, b2, w3, new(b3, 1.0));
        gradient[3] = r.Tangent;
        return r.Value;
    }

    /// <summary>The seed loss written over dual numbers, as a user of forward mode would write it.</summary>
    public static Dual<T> LossDual<T>(T x, T y, Dual<T> w2, Dual<T> b2, Dual<T> w3, Dual<T> b3)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        Dual<T> a2 = Dual.Sigmoid(w2 * x + b2);
        Dual<T> a3 = Dual.Sigmoid(w3 * a2 + b3);
        Dual<T> e = y - a3;
        return e * e;
    }

    private static double Step(double p) => 6.0554544523933395e-6 * Math.Max(1.0, Math.Abs(p));
}
