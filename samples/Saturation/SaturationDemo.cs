using System;
using System.Globalization;
using System.IO;

namespace SymGrad.Samples.Saturation;

/// <summary>
/// Seed 002's saturated neuron (a = 62.5, w = 0.8, z = 50, y = 0): the textbook σ(1 − σ) gradient is exactly 0,
/// SymGrad's generated one is not; training from there recovers with SymGrad's gradient and stalls with the naive one.
/// </summary>
public static class SaturationDemo
{
    /// <summary>The input activation a^(l−1) from the seed.</summary>
    public const double A = 62.5;

    /// <summary>The weight w^l from the seed.</summary>
    public const double W = 0.8;

    /// <summary>The target y from the seed.</summary>
    public const double Y = 0.0;

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Unused (this sample writes no files); kept so every sample has the same entry point.</param>
    /// <returns>0 when SymGrad's gradient is nonzero and agrees with the exact value, and its training run recovers while the naive one stalls.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        _ = outDir;
        double z = W * A;
        output.WriteLine("Saturation: seed 002's output neuron, z = w·a, C = (σ(z) − y)², ∂C/∂w = 2(σ(z) − y)·σ′(z)·a");
        output.WriteLine(Invariant($"Seed's numbers: a = {A}, w = {W}, z = w·a = {z}, y = {Y}"));
        output.WriteLine();

        double sigma = NaiveCostObjective.Sigma(z);
        output.WriteLine(Invariant($"σ(50) in double = {sigma:R}: the exact 1 − 1.93e−22 is closer to 1 than the next double below 1 (1 − 1.1e−16),"));
        output.WriteLine(Invariant($"so 1 − σ(50) = {1 - sigma:R} and the cost C = (σ − y)² = {(sigma - Y) * (sigma - Y):R}."));
        output.WriteLine();

        // The three ways to get σ′(50) and ∂C/∂w.
        double naivePrime = NaiveCostObjective.NaiveSigmaPrime(sigma);
        double naiveGradient = 2 * (sigma - Y) * naivePrime * A;
        double symPrime = SymMath.SigmoidDerivative(z);
        var generated = Neuron.CostGradient(A, Y, W);
        double exactPrime = Exact.SigmoidDerivative(50);
        double exactGradient = Exact.CostGradient(50, 62.5m, 0);
        double independentPrime = Math.Exp(-50) / ((1 + Math.Exp(-50)) * (1 + Math.Exp(-50)));

        output.WriteLine(Invariant($"{"",-46} {"σ′(50)",-26} {"∂C/∂w",-26}"));
        output.WriteLine(Invariant($"{"naive σ(z)(1 − σ(z)) (the seed's formula)",-46} {naivePrime,-26:R} {naiveGradient,-26:R}"));
        output.WriteLine(Invariant($"{"SymGrad (SigmoidDerivative, CostGradient)",-46} {symPrime,-26:R} {generated.w,-26:R}"));
        output.WriteLine(Invariant($"{"exact: e^−50/(1 + e^−50)², 80-digit integers",-46} {exactPrime,-26:R} {exactGradient,-26:R}"));
        output.WriteLine(Invariant($"{"      the same with Math.Exp in double",-46} {independentPrime,-26:R}"));
        double primeError = Math.Abs(symPrime - exactPrime) / exactPrime;
        double gradientError = Math.Abs(generated.w - exactGradient) / exactGradient;
        output.WriteLine(Invariant($"SymGrad's relative error: σ′ {primeError:0.0E+0}, ∂C/∂w {gradientError:0.0E+0}."));
        output.WriteLine();

        // Training from the saturated start, the same optimizer and options for both objectives.
        output.WriteLine(Invariant($"Training w from {W} on the one sample (a = {A}, y = {Y}); Adam, η = 0.1, ε = 1e−30, target loss 1e−3, stall patience 10:"));
        output.WriteLine("(Adam's step does not shrink with the gradient, but its ε must be far below the gradient, here 2.4e−20: its default 1e−8 would swamp it.)");
        output.WriteLine();
        var data = new[] { new Neuron.CostSample(A, Y) };
        var options = new TrainingOptions(new Adam(0.1, Epsilon: 1e-30)) { MaxEpochs = 200, TargetLoss = 1e-3, StallPatience = 10, MaxDegreeOfParallelism = 1 };

        double[] naiveW = [W];
        TrainingResult naive = Trainer.Fit(new NaiveCostObjective(), data, naiveW, options);
        output.WriteLine("Hand-written naive objective (IObjective with σ(1 − σ)):");
        output.WriteLine("  " + naive);
        output.WriteLine();

        double[] symW = [W];
        TrainingResult sym = Trainer.Fit(new Neuron.CostObjective(), data, symW, options);
        output.WriteLine("SymGrad's generated CostObjective:");
        output.WriteLine("  " + sym);
        output.WriteLine();

        double[] defaultEpsilonW = [W];
        TrainingResult defaultEpsilon = Trainer.Fit(new Neuron.CostObjective(), data, defaultEpsilonW, options with { Optimizer = new Adam(0.1) });

        output.WriteLine(Invariant($"{"objective",-32} {"optimizer",-20} {"stopped",-11} {"epochs",6} {"final w",12} {"final C",12}"));
        Row(output, "naive σ(1 − σ) (hand-written)", "Adam ε = 1e−30", naive, naiveW[0]);
        Row(output, "SymGrad CostObjective", "Adam ε = 1e−30", sym, symW[0]);
        Row(output, "SymGrad CostObjective", "Adam default ε 1e−8", defaultEpsilon, defaultEpsilonW[0]);
        output.WriteLine();

        bool ok = naiveGradient == 0 && generated.w != 0 && gradientError < 1e-12 && naive.Stalled && naive.Hint is not null
            && sym.StopReason == StopReason.TargetLoss;
        output.WriteLine(Invariant($"Result: naive gradient {naiveGradient:R}, SymGrad gradient {generated.w:R} (exact {exactGradient:R}); naive run {(naive.Stalled ? "stalled" : "did not stall")} at C = {naive.FinalLoss:G4}, SymGrad run {(sym.StopReason == StopReason.TargetLoss ? "recovered" : "did not recover")} to C = {sym.FinalLoss:G4} in {sym.Epochs} epochs."));
        return ok ? 0 : 1;
    }

    private static void Row(TextWriter output, string objective, string optimizer, TrainingResult result, double w)
        => output.WriteLine(Invariant($"{objective,-32} {optimizer,-20} {result.StopReason,-11} {result.Epochs,6} {w,12:G6} {result.FinalLoss,12:G4}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
