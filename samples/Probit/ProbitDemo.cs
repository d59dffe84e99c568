using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MathNet.Numerics.Distributions;

namespace SymGrad.Samples.Probit;

/// <summary>
/// Custom derivative rules at work: MathNet's erf, erfc, ln Γ and ψ have no source SymGrad can read, so
/// <see cref="MathNetRules"/> states their derivatives. Part 1 fits a probit model (a Gaussian-CDF link) to synthetic
/// data, with Adam and with Newton's method (the generated Hessian goes through the rules' own derivatives); part 2
/// fits the shape and rate of a Gamma distribution by maximum likelihood, whose gradient needs ψ and whose Hessian ψ′.
/// </summary>
public static class ProbitDemo
{
    /// <summary>Seed of the synthetic data.</summary>
    public const int Seed = 7;

    /// <summary>The true weights of part 1: two features, then the bias.</summary>
    public static readonly double[] TrueWeights = [1.5, -2.0, 0.5];

    /// <summary>The true shape and rate of part 2.</summary>
    public const double TrueShape = 3.0;

    /// <summary>The true rate of part 2.</summary>
    public const double TrueRate = 2.0;

    /// <summary>Name of the plot (Adam's training loss against Newton's minimum) written to the output directory.</summary>
    public const string PlotFileName = "probit-loss.png";

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Directory for the PNG plot (created if missing).</param>
    /// <returns>0 when the checks pass, both fits recover the true parameters and Adam comes within 1 % of Newton's minimum.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(outDir);
        Directory.CreateDirectory(outDir);
        bool probit = RunProbit(output, outDir);
        output.WriteLine();
        bool gamma = RunGamma(output);
        output.WriteLine();
        output.WriteLine(Invariant($"Result: probit {(probit ? "recovered" : "did NOT recover")} the weights, Gamma fit {(gamma ? "recovered" : "did NOT recover")} shape and rate."));
        return probit && gamma ? 0 : 1;
    }

    /// <summary>Part 1: y = [w·x + b + ε &gt; 0], ε ~ N(0, 1), which is exactly the probit model P(y = 1) = Φ(w·x + b).</summary>
    private static bool RunProbit(TextWriter output, string outDir)
    {
        var random = new Random(Seed);
        ProbitModel.LossSample[] train = Enumerable.Range(0, 800).Select(_ => Draw(random)).ToArray();
        ProbitModel.LossSample[] test = Enumerable.Range(0, 400).Select(_ => Draw(random)).ToArray();
        output.WriteLine("Probit, part 1: P(y = 1 | x) = Φ(w·x + b), Φ(z) = ½(1 + erf(z/√2)) with MathNet's erf and erfc");
        output.WriteLine(Invariant($"Data: y = [w·x + b + ε > 0], x ~ N(0, I₂), ε ~ N(0, 1), true (w₀, w₁, b) = ({Format(TrueWeights)}); {train.Length} training points, {test.Length} held out (seed {Seed})"));

        var objective = new ProbitModel.LossObjective(wLength: 3);
        double[] start = [0.3, -0.2, 0.1];
        GradientCheckResult gradientCheck = GradientCheck.CheckDataset(objective, train, start);
        HessianCheckResult hessianCheck = GradientCheck.CheckHessian(objective, train[0], start);
        GradientCheckResult probabilityCheck = GradientCheck.CheckDataset(new ProbitModel.ProbabilityObjective(wLength: 3), train.Select(s => new ProbitModel.ProbabilitySample(s.x)).ToArray(), start);
        output.WriteLine("Loss (through erfc's rule): " + gradientCheck);
        output.WriteLine("Loss, second order (through the rule's derivative): " + hessianCheck);
        output.WriteLine("Probability (through erf's rule): " + probabilityCheck);
        output.WriteLine();

        double[] adam = new double[3];
        var options = new TrainingOptions(new Adam(0.05)) { MaxEpochs = 60, BatchSize = 32, Seed = Seed, MaxDegreeOfParallelism = 1 };
        TrainingResult trained = Trainer.Fit(objective, train, adam, options);
        output.WriteLine("Adam (η = 0.05, batch 32, 60 epochs) from 0: " + trained);

        double[] newton = new double[3];
        MinimizationResult minimized = Newton.Minimize(objective, train, newton, new NewtonOptions { GradientTolerance = 1e-10, MaxDegreeOfParallelism = 1 });
        output.WriteLine("Newton (generated LossHessian) from 0: " + minimized);

        double adamLoss = Gradients.MeanValue(objective, train, adam, maxDegreeOfParallelism: 1);
        double newtonLoss = Gradients.MeanValue(objective, train, newton, maxDegreeOfParallelism: 1);
        double adamAccuracy = Accuracy(test, adam);
        double newtonAccuracy = Accuracy(test, newton);
        double bayes = Accuracy(test, TrueWeights);
        output.WriteLine();
        output.WriteLine(Invariant($"{"",8} {"(w₀, w₁, b)",24} {"mean loss",10} {"held-out accuracy",18}"));
        output.WriteLine(Invariant($"{"true",8} {Format(TrueWeights),24} {Gradients.MeanValue(objective, train, TrueWeights, maxDegreeOfParallelism: 1),10:F5} {bayes,18:P1}"));
        output.WriteLine(Invariant($"{"Adam",8} {Format(adam),24} {adamLoss,10:F5} {adamAccuracy,18:P1}"));
        output.WriteLine(Invariant($"{"Newton",8} {Format(newton),24} {newtonLoss,10:F5} {newtonAccuracy,18:P1}"));
        double maxWeightError = newton.Zip(TrueWeights, (a, b) => Math.Abs(a - b)).Max();
        double adamExcess = (adamLoss - newtonLoss) / newtonLoss;
        output.WriteLine(Invariant($"Newton: {minimized.Iterations} iterations to the maximum-likelihood weights, max |ŵ − w| = {maxWeightError:F3}; Adam's loss is {adamExcess:P2} above that minimum."));

        string plotPath = Path.GetFullPath(Path.Combine(outDir, PlotFileName));
        LossPlot.Save(plotPath, "Probit regression with MathNet's erf: Adam's training loss, Newton's minimum", ("Adam (η = 0.05)", trained.LossHistory), ("Newton minimum", Enumerable.Repeat(newtonLoss, trained.LossHistory.Count).ToList()));
        output.WriteLine($"Loss curve: {plotPath}");
        return gradientCheck.Passed && hessianCheck.Passed && probabilityCheck.Passed && minimized.Converged
            && maxWeightError < 0.5 && adamExcess < 0.01 && adamAccuracy > 0.8;
    }

    /// <summary>Part 2: maximum likelihood for Gamma(α, β) by Newton's method; the Hessian needs ψ′ = trigamma.</summary>
    private static bool RunGamma(TextWriter output)
    {
        var random = new Random(Seed + 1);
        double[] xs = new double[2000];
        Gamma.Samples(random, xs, TrueShape, TrueRate);
        GammaFit.NegLogLikelihoodSample[] data = xs.Select(x => new GammaFit.NegLogLikelihoodSample(x)).ToArray();
        output.WriteLine("Probit, part 2: Gamma(α, β) by maximum likelihood, −ln p(x) = ln Γ(α) − α ln β − (α − 1) ln x + βx, on (ln α, ln β)");
        output.WriteLine(Invariant($"Data: {xs.Length} draws from Gamma(α = {TrueShape}, β = {TrueRate}) (seed {Seed + 1}); the gradient needs ψ = (ln Γ)′, the Hessian ψ′ = trigamma"));

        var objective = new GammaFit.NegLogLikelihoodObjective();
        double[] parameters = [0.0, 0.0];
        output.WriteLine("Gradient (through GammaLn's rule, which calls DiGamma): " + GradientCheck.CheckDataset(objective, data, parameters));
        HessianCheckResult hessianCheck = GradientCheck.CheckHessian(objective, data[0], parameters);
        output.WriteLine("Hessian (through DiGamma's rule, the trigamma series): " + hessianCheck);

        MinimizationResult result = Newton.Minimize(objective, data, parameters, new NewtonOptions { GradientTolerance = 1e-10, MaxDegreeOfParallelism = 1 });
        double shape = Math.Exp(parameters[0]);
        double rate = Math.Exp(parameters[1]);
        double mean = xs.Average();
        double variance = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1);
        output.WriteLine("Newton from (α, β) = (1, 1): " + result);
        output.WriteLine(Invariant($"Maximum likelihood: α = {shape:F4}, β = {rate:F4}; method of moments: α = {mean * mean / variance:F4}, β = {mean / variance:F4}; true α = {TrueShape}, β = {TrueRate}."));
        return hessianCheck.Passed && result.Converged && Math.Abs(shape - TrueShape) < 0.3 && Math.Abs(rate - TrueRate) < 0.2;
    }

    private static ProbitModel.LossSample Draw(Random random)
    {
        double[] x = [Normal.Sample(random, 0, 1), Normal.Sample(random, 0, 1)];
        double z = ProbitModel.Score(x, TrueWeights) + Normal.Sample(random, 0, 1);
        return new ProbitModel.LossSample(x, z > 0);
    }

    private static double Accuracy(IReadOnlyList<ProbitModel.LossSample> data, double[] w)
        => data.Count(s => (ProbitModel.Score(s.x.Span, w) > 0) == s.y) / (double)data.Count;

    private static string Format(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
