using System;
using System.Globalization;
using System.IO;

namespace SymGrad.Samples.Xor;

/// <summary>
/// A 2-2-1 sigmoid network, its nine weights in one vector, learns XOR with Adam on the generated gradient;
/// the loss curve goes to a PNG.
/// </summary>
public static class XorDemo
{
    /// <summary>Seed of the initial weights (uniform in [−1, 1)).</summary>
    public const long InitSeed = 1;

    /// <summary>Name of the plot written to the output directory.</summary>
    public const string PlotFileName = "xor-loss.png";

    /// <summary>Hidden units.</summary>
    public const int Hidden = 2;

    private const int Inputs = 2;

    /// <summary>Weights: per hidden unit its input weights and bias, then the output weights and bias.</summary>
    private const int WeightCount = Hidden * (Inputs + 1) + Hidden + 1;

    // Each sample holds x as ReadOnlyMemory<double> (an array converts to it) and the target t.
    private static readonly XorNet.LossSample[] Data =
    [
        new(new double[] { 0, 0 }, 0),
        new(new double[] { 0, 1 }, 1),
        new(new double[] { 1, 0 }, 1),
        new(new double[] { 1, 1 }, 0),
    ];

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Directory for the PNG plot (created if missing).</param>
    /// <returns>0 when all four XOR cases are classified correctly.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(outDir);
        var objective = new XorNet.LossObjective(wLength: WeightCount);
        output.WriteLine(Invariant($"Xor: a 2-{Hidden}-1 sigmoid network, one weight vector of {WeightCount}, binary cross-entropy, Adam (η = 0.1, full batch)"));
        output.WriteLine();

        double[] parameters = new double[objective.ParameterCount];
        ParameterInit.Uniform(parameters, 1.0, InitSeed);
        output.WriteLine(Invariant($"Initial weights: uniform in [−1, 1), seed {InitSeed}; accuracy {Accuracy(parameters):P0}"));

        // Check the generated gradient once against finite differences before training.
        var check = GradientCheck.CheckDataset(objective, Data, parameters);
        output.WriteLine(check.ToString());
        output.WriteLine();

        var options = new TrainingOptions(new Adam(0.1)) { MaxEpochs = 1000, BatchSize = Data.Length, TargetLoss = 2e-3, Seed = 1, MaxDegreeOfParallelism = 1 };
        TrainingResult result;
        using (var bar = new ConsoleProgressBar(output, lines: 5))
        {
            result = Trainer.Fit(objective, Data, parameters, options, bar);
        }

        output.WriteLine(result.ToString());
        output.WriteLine();
        output.WriteLine(" x1  x2  XOR   f(x1, x2)  predicted");
        int correct = 0;
        foreach (var s in Data)
        {
            double f = Predict(s, parameters);
            int predicted = f >= 0.5 ? 1 : 0;
            correct += predicted == (int)s.t ? 1 : 0;
            ReadOnlySpan<double> x = s.x.Span;
            output.WriteLine(Invariant($"{x[0],3} {x[1],3} {s.t,4}   {f,9:F5}  {predicted,9}{(predicted == (int)s.t ? "" : "  ✗")}"));
        }

        double accuracy = correct / (double)Data.Length;
        output.WriteLine();
        output.WriteLine(Invariant($"Learned parameters: {Describe(parameters)}"));
        output.WriteLine(Invariant($"Accuracy: {accuracy:P0} ({correct}/{Data.Length}) after {result.Epochs} epochs"));

        Directory.CreateDirectory(outDir);
        string plotPath = Path.GetFullPath(Path.Combine(outDir, PlotFileName));
        LossPlot.Save(plotPath, Invariant($"XOR, 2-{Hidden}-1 sigmoid network, Adam η = 0.1"), ("Adam", result.LossHistory));
        output.WriteLine($"Loss curve: {plotPath}");
        return correct == Data.Length ? 0 : 1;
    }

    private static double Accuracy(double[] parameters)
    {
        int correct = 0;
        foreach (var s in Data)
        {
            correct += (Predict(s, parameters) >= 0.5 ? 1 : 0) == (int)s.t ? 1 : 0;
        }

        return correct / (double)Data.Length;
    }

    /// <summary>The network's output f(x) = σ(z) for one sample.</summary>
    private static double Predict(in XorNet.LossSample s, double[] parameters) => SymMath.Sigmoid(XorNet.Logit(s.x.Span, parameters));

    /// <summary>The weight vector unit by unit, in <see cref="XorNet.Logit"/>'s layout (ranges as in C#: w[0..2] is w[0], w[1]).</summary>
    private static string Describe(double[] w)
    {
        var parts = new string[Hidden + 1];
        for (int j = 0; j < Hidden; j++)
        {
            int row = j * (Inputs + 1);
            parts[j] = Invariant($"hidden {j + 1}: w[{row}..{row + Inputs}] = ({Join(w.AsSpan(row, Inputs))}), bias w[{row + Inputs}] = {w[row + Inputs]:F2}");
        }

        int output = Hidden * (Inputs + 1);
        parts[Hidden] = Invariant($"output: w[{output}..{output + Hidden}] = ({Join(w.AsSpan(output, Hidden))}), bias w[{output + Hidden}] = {w[output + Hidden]:F2}");
        return string.Join("; ", parts);
    }

    private static string Join(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            parts[i] = values[i].ToString("F2", CultureInfo.InvariantCulture);
        }

        return string.Join(", ", parts);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
