using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SymGrad.Samples.FieldModel;

/// <summary>What <see cref="FieldModelDemo.Train"/> reports.</summary>
/// <param name="Training">Adam's run: loss per epoch (mean over the training set, as the trainer computes it).</param>
/// <param name="Parameters">The trained flat vector (W1, B1, W2, B2) that was stored back into the fields.</param>
/// <param name="InitialLoss">Mean training loss at the seeded initial fields, computed through the fields.</param>
/// <param name="FinalLoss">Mean training loss at the trained fields, computed through the fields.</param>
/// <param name="InitialAccuracy">Held-out accuracy at the initial fields.</param>
/// <param name="TrainAccuracy">Training accuracy at the trained fields.</param>
/// <param name="TestAccuracy">Held-out accuracy at the trained fields.</param>
public sealed record FieldModelResult(
    TrainingResult Training, double[] Parameters, double InitialLoss, double FinalLoss, double InitialAccuracy, double TrainAccuracy, double TestAccuracy);

/// <summary>
/// A model whose weights are fields (<see cref="MoonsNet"/>, a 2-8-1 tanh classifier) trained with Adam on two
/// interleaved half-moons: the fields are copied into a vector with <c>LossGetParameters</c>, fitted by
/// <see cref="Trainer.Fit{TObjective, TSample}(TObjective, TSample[], double[], TrainingOptions, IProgress{EpochReport}?, System.Threading.CancellationToken)"/>
/// on <c>CreateLossObjective()</c>, and stored back with <c>LossSetParameters</c>; the per-sample gradient with respect to
/// the fields is <c>model.LossGradient(x, y, gradient)</c>.
/// </summary>
public static class FieldModelDemo
{
    /// <summary>Seed of the data and of the initial fields.</summary>
    public const int Seed = 12;

    /// <summary>Hidden units.</summary>
    public const int Hidden = 8;

    /// <summary>Training points (half per moon).</summary>
    public const int TrainCount = 256;

    /// <summary>Held-out points (half per moon).</summary>
    public const int TestCount = 256;

    /// <summary>Standard deviation of the Gaussian noise added to each coordinate.</summary>
    public const double Noise = 0.15;

    /// <summary>Adam's epochs (mini-batches of 32, reshuffled each epoch).</summary>
    public const int Epochs = 200;

    /// <summary>Name of the plot written to the output directory.</summary>
    public const string PlotFileName = "fieldmodel-loss.png";

    private const int Inputs = 2;

    /// <summary>The training set (seed <see cref="Seed"/>).</summary>
    public static MoonsNet.LossSample[] TrainingData() => Moons(TrainCount, Noise, Seed);

    /// <summary>The held-out set (seed <see cref="Seed"/> + 1).</summary>
    public static MoonsNet.LossSample[] TestData() => Moons(TestCount, Noise, Seed + 1);

    /// <summary>
    /// Two interleaved half-moons: the upper arc (cos t, sin t) is class 0, the lower arc (1 − cos t, ½ − sin t) class 1,
    /// t uniform in [0, π], plus N(0, <paramref name="noise"/>²) on each coordinate, shifted to be centred on the origin.
    /// </summary>
    public static MoonsNet.LossSample[] Moons(int count, double noise, int seed)
    {
        var random = new Random(seed);
        var data = new MoonsNet.LossSample[count];
        for (int k = 0; k < count; k++)
        {
            int label = k % 2;
            double t = Math.PI * random.NextDouble();
            double a = label == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            double b = label == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            double[] x = [a - 0.5 + (noise * Gaussian(random)), b - 0.25 + (noise * Gaussian(random))];
            data[k] = new MoonsNet.LossSample(x, label);
        }

        return data;
    }

    /// <summary>The network with its fields seeded: W1, B1 uniform in [−1, 1), W2 in [−0.5, 0.5), B2 = 0.</summary>
    public static MoonsNet CreateModel()
    {
        var model = new MoonsNet(Inputs, Hidden);
        ParameterInit.Uniform(model.W1, 1.0, Seed);
        ParameterInit.Uniform(model.B1, 1.0, Seed + 1);
        ParameterInit.Uniform(model.W2, 0.5, Seed + 2);
        model.B2 = 0;
        return model;
    }

    /// <summary>
    /// Trains <paramref name="model"/>'s fields with Adam (η = 0.02, batch 32, <see cref="Epochs"/> epochs, one
    /// thread, seeded shuffles) and stores the result back into them.
    /// </summary>
    public static FieldModelResult Train(MoonsNet model, MoonsNet.LossSample[] train, MoonsNet.LossSample[] test)
    {
        ArgumentNullException.ThrowIfNull(model);
        double initialLoss = MeanLoss(model, train);
        double initialAccuracy = Accuracy(model, test);

        double[] p = new double[model.LossParameterCount];
        model.LossGetParameters(p);
        var options = new TrainingOptions(new Adam(0.02)) { MaxEpochs = Epochs, BatchSize = 32, Seed = Seed, MaxDegreeOfParallelism = 1 };
        TrainingResult training = Trainer.Fit(model.CreateLossObjective(), train, p, options);
        model.LossSetParameters(p);

        return new FieldModelResult(training, p, initialLoss, MeanLoss(model, train), initialAccuracy, Accuracy(model, train), Accuracy(model, test));
    }

    /// <summary>Mean of <see cref="MoonsNet.Loss"/> over <paramref name="data"/> at the model's current fields, in order.</summary>
    public static double MeanLoss(MoonsNet model, IReadOnlyList<MoonsNet.LossSample> data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        double sum = 0;
        foreach (MoonsNet.LossSample s in data)
        {
            sum += model.Loss(s.x.Span, s.y);
        }

        return sum / data.Count;
    }

    /// <summary>Fraction of <paramref name="data"/> whose class is predicted right (class 1 when the logit is positive).</summary>
    public static double Accuracy(MoonsNet model, IReadOnlyList<MoonsNet.LossSample> data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return data.Count(s => (model.Logit(s.x.Span) > 0 ? 1.0 : 0.0) == s.y) / (double)data.Count;
    }

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Directory for the PNG plot (created if missing).</param>
    /// <returns>0 when the gradient check passes, the mean loss falls below a fifth of its start and held-out accuracy exceeds 95 %.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(outDir);
        MoonsNet.LossSample[] train = TrainingData();
        MoonsNet.LossSample[] test = TestData();
        MoonsNet model = CreateModel();
        output.WriteLine(Invariant($"FieldModel: a 2-{Hidden}-1 tanh classifier whose weights are [Param] fields (W1[{model.W1.Length}], B1[{model.B1.Length}], W2[{model.W2.Length}], B2: LossParameterCount = {model.LossParameterCount}), binary cross-entropy"));
        output.WriteLine(Invariant($"Data: two interleaved moons, noise σ = {Noise}, {train.Length} training points, {test.Length} held out (seeds {Seed}, {Seed + 1})"));
        output.WriteLine();

        // The per-sample gradient with respect to the fields, from the object itself.
        MoonsNet.LossSample first = train[0];
        double[] gradient = new double[model.LossParameterCount];
        double loss = model.LossGradient(first.x.Span, first.y, gradient);
        double z = model.Logit(first.x.Span);
        output.WriteLine(Invariant($"model.LossGradient(x₀, y₀, gradient) at x₀ = ({first.x.Span[0]:F3}, {first.x.Span[1]:F3}), y₀ = {first.y}: loss {loss:F6}, |gradient| {Gradients.Norm(gradient):F6}"));
        output.WriteLine(Invariant($"  ∂L/∂B2 = {gradient[^1]:F12}, σ(z) − y = {SymMath.Sigmoid(z) - first.y:F12} (the two agree)"));
        output.WriteLine(Invariant($"  ∂L/∂W1[0] = {gradient[0]:F6}, ∂L/∂B1[0] = {gradient[model.W1.Length]:F6}, ∂L/∂W2[0] = {gradient[model.W1.Length + model.B1.Length]:F6}"));
        double[] start = new double[model.LossParameterCount];
        model.LossGetParameters(start);
        GradientCheckResult check = GradientCheck.CheckDataset(model.CreateLossObjective(), train, start);
        output.WriteLine(check.ToString());
        output.WriteLine();

        FieldModelResult result = Train(model, train, test);
        output.WriteLine("Adam (η = 0.02, batch 32) on CreateLossObjective(), fields copied in with LossGetParameters and back with LossSetParameters:");
        output.WriteLine(result.Training.ToString());
        output.WriteLine(Invariant($"Initial mean loss {result.InitialLoss:F6}, final mean loss {result.FinalLoss:F6} (through the fields; ratio {result.FinalLoss / result.InitialLoss:F4})"));
        output.WriteLine(Invariant($"Accuracy: initial held-out {100 * result.InitialAccuracy:F1} %, final training {100 * result.TrainAccuracy:F1} %, final held-out {100 * result.TestAccuracy:F1} %"));
        output.WriteLine(Invariant($"Trained fields: B2 = {model.B2:F4}, W2 = ({Join(model.W2)})"));

        Directory.CreateDirectory(outDir);
        string plotPath = Path.GetFullPath(Path.Combine(outDir, PlotFileName));
        LossPlot.Save(plotPath, Invariant($"Two moons, 2-{Hidden}-1 tanh network with [Param] fields, Adam η = 0.02"), ("Adam (mean training loss)", result.Training.LossHistory));
        output.WriteLine($"Loss curve: {plotPath}");
        bool passed = check.Passed && result.FinalLoss < 0.2 * result.InitialLoss && result.TestAccuracy > 0.95;
        output.WriteLine(passed ? "Result: trained." : "Result: did NOT train.");
        return passed ? 0 : 1;
    }

    private static double Gaussian(Random random)
    {
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
