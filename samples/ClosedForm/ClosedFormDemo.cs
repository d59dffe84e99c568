using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SymGrad.Samples.ClosedForm;

/// <summary>
/// Seed 001: does ∂/∂w ½(t − σ(w·x))² = −(t − σ(wx))·σ′(wx)·x have a zero? For t ∈ {0, 1} no finite one (σ and
/// σ′ are never 0 or 1); for t ∈ (0, 1) exactly one, w·x = logit(t), which Newton's method finds in a handful
/// of iterations and gradient descent in many.
/// </summary>
public static class ClosedFormDemo
{
    /// <summary>The input of the data point in part 2.</summary>
    public const double X = 2.0;

    /// <summary>The target of the data point in part 2.</summary>
    public const double T = 0.8;

    /// <summary>Gradient norm at which both methods stop.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Unused (this sample writes no files); kept so every sample has the same entry point.</param>
    /// <returns>0 when both methods converge to w·x = logit(t) and Newton needs fewer iterations.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        _ = outDir;
        output.WriteLine("ClosedForm: seed 001, one sigmoid neuron, one data point (x, t), L = ½(t − σ(w·x))²");
        output.WriteLine("∂L/∂w = −(t − σ(wx))·σ(wx)(1 − σ(wx))·x, the seed's gradient.");
        output.WriteLine();
        bool noZero = TargetsZeroAndOne(output);
        (int newton, int descent, bool converged) = Interior(output);
        TwoPoints(output);

        output.WriteLine();
        output.WriteLine(Invariant($"Result: t ∈ {{0, 1}}: no finite zero of the gradient ({(noZero ? "confirmed" : "NOT confirmed")} on the grid); t = {T}: Newton {newton} iterations, gradient descent at best {descent} iterations."));
        return noZero && converged && newton < descent ? 0 : 1;
    }

    /// <summary>Part 1: for t = 1 (and t = 0) the gradient keeps its sign and only tends to 0 as w·x → ±∞.</summary>
    private static bool TargetsZeroAndOne(TextWriter output)
    {
        output.WriteLine("1. t ∈ {0, 1}: the gradient has no finite zero. x = 1, so w·x = w.");
        output.WriteLine("   Every factor is nonzero for finite w: t − σ(w) ≠ 0 (σ ∈ (0, 1)), σ′(w) > 0, x ≠ 0. The loss only tends to its");
        output.WriteLine("   infimum 0 as w → +∞ (t = 1) or w → −∞ (t = 0).");
        output.WriteLine();
        output.WriteLine(Invariant($"   {"w",6} {"L (t = 1)",12} {"∂L/∂w (t = 1)",14} {"with t as data",15}   {"w",6} {"L (t = 0)",12} {"∂L/∂w (t = 0)",14}"));
        bool noZero = true;
        double previous = double.NegativeInfinity;
        foreach (double u in (double[])[0, 1, 2, 5, 10, 20, 36, 40, 50, 100, 300])
        {
            var one = Neuron.LossTargetOneGradient(1.0, u);
            var zero = Neuron.LossTargetZeroGradient(1.0, -u);
            var general = Neuron.LossGradient(1.0, 1.0, u);
            noZero &= one.w < 0 && zero.w > 0 && one.Value > 0 && zero.Value > 0 && one.w > previous;
            previous = one.w;
            output.WriteLine(Invariant($"   {u,6} {one.Value,12:G4} {one.w,14:G4} {general.w,15:G4}   {(u == 0 ? 0 : -u),6} {zero.Value,12:G4} {zero.w,14:G4}"));
        }

        output.WriteLine();
        output.WriteLine("   'with t as data' is the general Loss(x, t, w) at t = 1: once σ(w) rounds to 1 (w ≳ 37) t − σ(w) is exactly 0 in");
        output.WriteLine("   double, a zero of rounding, not of the function. With t = 1 written in (LossTargetOne), SymGrad rewrites");
        output.WriteLine("   1 − σ(wx) as σ(−wx) and the gradient stays accurate (≈ −e^(−2w) for large w), nonzero at every finite w.");
        output.WriteLine();
        return noZero;
    }

    /// <summary>Part 2: t ∈ (0, 1) has the closed-form zero w·x = logit(t); Newton vs. gradient descent from w = 0.</summary>
    private static (int Newton, int Descent, bool Converged) Interior(TextWriter output)
    {
        double closedForm = SymMath.Logit(T) / X;
        output.WriteLine(Invariant($"2. t = {T}, x = {X}: the gradient is 0 where σ(wx) = t, so w* = logit(t)/x = ln(t/(1 − t))/x = {closedForm:R}."));
        output.WriteLine("   Every run starts at w = 0 and stops when |∂L/∂w| ≤ 1e−12.");
        output.WriteLine();
        var data = new[] { new Neuron.LossSample(X, T) };

        var newtonNorms = new Recorder();
        double[] newtonW = [0.0];
        MinimizationResult newton = Newton.Minimize(new Neuron.LossObjective(), data, newtonW, new NewtonOptions { GradientTolerance = Tolerance, MaxDegreeOfParallelism = 1 }, newtonNorms);

        double[] descentW = [0.0];
        MinimizationResult descent = GradientDescent.Minimize(new Neuron.LossObjective(), data, descentW, new GradientDescentOptions { GradientTolerance = Tolerance, MaxDegreeOfParallelism = 1 });

        double[] fixedW = [0.0];
        MinimizationResult fixedStep = GradientDescent.Minimize(new Neuron.LossObjective(), data, fixedW, new GradientDescentOptions { GradientTolerance = Tolerance, LearningRate = 1.0, MaxDegreeOfParallelism = 1 });

        output.WriteLine("   Newton (generated LossHessian), |∂L/∂w| per iteration: the number of correct digits doubles.");
        for (int i = 0; i < newtonNorms.Reports.Count; i++)
        {
            output.WriteLine(Invariant($"     iteration {newtonNorms.Reports[i].Epoch}: |∂L/∂w| = {newtonNorms.Reports[i].GradientNorm:0.00E+0}"));
        }

        output.WriteLine();
        output.WriteLine("   " + newton);
        output.WriteLine("   " + descent);
        output.WriteLine("   " + fixedStep + " (fixed η = 1)");
        output.WriteLine();
        output.WriteLine(Invariant($"   {"method",-18} {"iterations",10} {"evaluations",11} {"w·x",20} {"|w·x − logit(t)|",17}"));
        double logit = SymMath.Logit(T);
        output.WriteLine(Invariant($"   {"Newton",-18} {newton.Iterations,10} {newton.FunctionEvaluations,11} {newtonW[0] * X,20:R} {Math.Abs(newtonW[0] * X - logit),17:0.0E+0}"));
        output.WriteLine(Invariant($"   {"GD, line search",-18} {descent.Iterations,10} {descent.FunctionEvaluations,11} {descentW[0] * X,20:R} {Math.Abs(descentW[0] * X - logit),17:0.0E+0}"));
        output.WriteLine(Invariant($"   {"GD, fixed η = 1",-18} {fixedStep.Iterations,10} {fixedStep.FunctionEvaluations,11} {fixedW[0] * X,20:R} {Math.Abs(fixedW[0] * X - logit),17:0.0E+0}"));
        output.WriteLine(Invariant($"   {"closed form",-18} {"",10} {"",11} {logit,20:R}"));
        output.WriteLine("   (GD = gradient descent, with the runtime's Armijo backtracking line search or a fixed step. Near w* the curvature");
        output.WriteLine("   is x²σ′(w*x)² = 0.10, so a gradient step removes only a fraction of the error; Newton divides by the curvature.)");
        output.WriteLine();
        bool converged = newton.Converged && descent.Converged && fixedStep.Converged
            && Math.Abs(newtonW[0] * X - logit) < 1e-9 && Math.Abs(descentW[0] * X - logit) < 1e-9 && Math.Abs(fixedW[0] * X - logit) < 1e-9;
        return (newton.Iterations, Math.Min(descent.Iterations, fixedStep.Iterations), converged);
    }

    /// <summary>Part 3: with two data points there is no closed form any more, but Newton still converges.</summary>
    private static void TwoPoints(TextWriter output)
    {
        var data = new[] { new Neuron.LossSample(1.0, 0.8), new Neuron.LossSample(-2.0, 0.1) };
        output.WriteLine("3. Two data points, (x, t) = (1, 0.8) and (−2, 0.1): the zero of the mean gradient solves");
        output.WriteLine("   Σᵢ (tᵢ − σ(w·xᵢ))·σ′(w·xᵢ)·xᵢ = 0, a transcendental equation with no closed form; Newton iterates to it:");
        double[] w = [0.0];
        MinimizationResult newton = Newton.Minimize(new Neuron.LossObjective(), data, w, new NewtonOptions { GradientTolerance = Tolerance, MaxDegreeOfParallelism = 1 });
        output.WriteLine(Invariant($"   w = {w[0]:R} after {newton.Iterations} iterations (|∂L/∂w| = {newton.FinalGradientNorm:0.0E+0}); σ(w·1) = {SymMath.Sigmoid(w[0]):F4}, σ(w·(−2)) = {SymMath.Sigmoid(-2 * w[0]):F4}."));
        output.WriteLine(Invariant($"   (logit(0.8)/1 = {SymMath.Logit(0.8):F4} and logit(0.1)/(−2) = {SymMath.Logit(0.1) / -2:F4} disagree, so no w fits both points exactly.)"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keeps every progress report.</summary>
    private sealed class Recorder : IProgress<EpochReport>
    {
        public List<EpochReport> Reports { get; } = [];

        public void Report(EpochReport value) => Reports.Add(value);
    }
}
