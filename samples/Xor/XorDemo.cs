using System;
using System.Globalization;
using System.IO;

namespace SymGrad.Samples.Xor;

/// <summary>A 2-2-1 sigmoid network learns XOR with Adam on the generated gradient; the loss curve goes to a PNG.</summary>
public static class XorDemo
{
    /// <summary>Seed of the initial weights (uniform in [−1, 1)).</summary>
    public const long InitSeed = 1;

    /// <summary>Name of the plot written to the output directory.</summary>
    public const string PlotFileName = "xor-loss.png";

    private static readonly XorNet.LossSample[] Data =
    [
        new(0, 0, 0),
        new(0, 1, 1),
        new(1, 0, 1),
        new(1, 1, 0),
    ];

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Directory for the PNG plot (created if missing).</param>
    /// <returns>0 when all four XOR cases are classified correctly.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(outDir);
        var objective = new XorNet.LossObjective();
        output.WriteLine("Xor: a 2-2-1 sigmoid network, 9 scalar parameters, binary cross-entropy, Adam (η = 0.1, full batch)");
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
            double f = XorNet.Predict(s.x1, s.x2, parameters);
            int predicted = f >= 0.5 ? 1 : 0;
            correct += predicted == (int)s.t ? 1 : 0;
            output.WriteLine(Invariant($"{s.x1,3} {s.x2,3} {s.t,4}   {f,9:F5}  {predicted,9}{(predicted == (int)s.t ? "" : "  ✗")}"));
        }

        double accuracy = correct / (double)Data.Length;
        output.WriteLine();
        output.WriteLine(Invariant($"Learned parameters: {Describe(objective, parameters)}"));
        output.WriteLine(Invariant($"Accuracy: {accuracy:P0} ({correct}/{Data.Length}) after {result.Epochs} epochs"));

        Directory.CreateDirectory(outDir);
        string plotPath = Path.GetFullPath(Path.Combine(outDir, PlotFileName));
        LossPlot.Save(plotPath, "XOR, 2-2-1 sigmoid network, Adam η = 0.1", ("Adam", result.LossHistory));
        output.WriteLine($"Loss curve: {plotPath}");
        return correct == Data.Length ? 0 : 1;
    }

    private static double Accuracy(double[] parameters)
    {
        int correct = 0;
        foreach (var s in Data)
        {
            correct += (XorNet.Predict(s.x1, s.x2, parameters) >= 0.5 ? 1 : 0) == (int)s.t ? 1 : 0;
        }

        return correct / (double)Data.Length;
    }

    private static string Describe(XorNet.LossObjective objective, double[] parameters)
    {
        var parts = new string[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            parts[i] = Invariant($"{objective.GetParameterName(i)} = {parameters[i]:F2}");
        }

        return string.Join(", ", parts);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
