using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SymGrad.Samples.Iris;

/// <summary>
/// Versicolor vs. virginica from Fisher's Iris data: logistic regression on the four standardised
/// measurements, trained on a seeded 70/30 split with mini-batch SGD and with Adam.
/// </summary>
public static class IrisDemo
{
    /// <summary>Seed of the train/test split and of the trainer's shuffling.</summary>
    public const int Seed = 42;

    /// <summary>Name of the plot written to the output directory.</summary>
    public const string PlotFileName = "iris-loss.png";

    private static readonly string[] Features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Directory for the PNG plot (created if missing).</param>
    /// <returns>0 when both optimizers reach at least 85 % held-out accuracy.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(outDir);
        string csv = Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");
        CsvTable iris = Csv.Read(csv);
        int[] species = iris.GetCategories("species", out IReadOnlyList<string> names);
        double[][] columns = Features.Select(iris.GetNumbers).ToArray();
        int versicolor = IndexOf(names, "versicolor");
        int virginica = IndexOf(names, "virginica");

        // The two species that overlap (setosa is trivially separable); label 1 = virginica.
        int[] rows = Enumerable.Range(0, iris.RowCount).Where(r => species[r] == versicolor || species[r] == virginica).ToArray();
        new Random(Seed).Shuffle(rows);
        int trainCount = (int)Math.Round(rows.Length * 0.7);
        int[] trainRows = rows[..trainCount];
        int[] testRows = rows[trainCount..];

        // Standardise with the training rows' mean and standard deviation only (the test rows stay unseen).
        var mean = new double[4];
        var sd = new double[4];
        for (int f = 0; f < 4; f++)
        {
            mean[f] = trainRows.Average(r => columns[f][r]);
            sd[f] = Math.Sqrt(trainRows.Average(r => (columns[f][r] - mean[f]) * (columns[f][r] - mean[f])));
        }

        Logistic.LossSample Sample(int r) => new(
            (columns[0][r] - mean[0]) / sd[0],
            (columns[1][r] - mean[1]) / sd[1],
            (columns[2][r] - mean[2]) / sd[2],
            (columns[3][r] - mean[3]) / sd[3],
            species[r] == virginica ? 1.0 : 0.0);
        Logistic.LossSample[] train = trainRows.Select(Sample).ToArray();
        Logistic.LossSample[] test = testRows.Select(Sample).ToArray();

        output.WriteLine("Iris: versicolor (0) vs. virginica (1), logistic regression on 4 standardised measurements");
        output.WriteLine(Invariant($"Data: {rows.Length} flowers from {Path.GetFileName(csv)}; seeded split (seed {Seed}): {train.Length} training, {test.Length} held out"));
        output.WriteLine();

        var runs = new (string Label, Optimizer Optimizer)[]
        {
            ("mini-batch SGD (η = 0.1, batch 10)", new Sgd(0.1)),
            ("Adam (η = 0.05, batch 10)", new Adam(0.05)),
        };
        var curves = new List<(string, IReadOnlyList<double>)>();
        var accuracies = new List<double>();
        foreach (var (label, optimizer) in runs)
        {
            double[] parameters = new double[5];
            var options = new TrainingOptions(optimizer) { MaxEpochs = 200, BatchSize = 10, Seed = Seed, MaxDegreeOfParallelism = 1 };
            output.WriteLine(label);
            TrainingResult result;
            using (var bar = new ConsoleProgressBar(output, lines: 4))
            {
                result = Trainer.Fit(new Logistic.LossObjective(), train, parameters, options, bar);
            }

            double trainAccuracy = Accuracy(train, parameters);
            double testAccuracy = Accuracy(test, parameters);
            double testLoss = Gradients.MeanValue(new Logistic.LossObjective(), test, parameters);
            output.WriteLine("  " + result);
            output.WriteLine(Invariant($"  weights (sepal length, sepal width, petal length, petal width; bias): {string.Join(", ", parameters.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))}"));
            output.WriteLine(Invariant($"  training accuracy {trainAccuracy:P1}, held-out loss {testLoss:F4}, held-out accuracy {testAccuracy:P1} ({Correct(test, parameters)}/{test.Length})"));
            output.WriteLine();
            curves.Add((optimizer.Name, result.LossHistory));
            accuracies.Add(testAccuracy);
        }

        output.WriteLine(Invariant($"Held-out accuracy: SGD {accuracies[0]:P1}, Adam {accuracies[1]:P1}"));
        Directory.CreateDirectory(outDir);
        string plotPath = Path.GetFullPath(Path.Combine(outDir, PlotFileName));
        LossPlot.Save(plotPath, "Iris versicolor vs. virginica: training loss, SGD vs. Adam (batch 10)", [.. curves]);
        output.WriteLine($"Loss curves: {plotPath}");
        return accuracies.All(a => a >= 0.85) ? 0 : 1;
    }

    private static int Correct(Logistic.LossSample[] data, double[] parameters)
        => data.Count(s => (Logistic.Logit(s, parameters) >= 0 ? 1.0 : 0.0) == s.t);

    private static double Accuracy(Logistic.LossSample[] data, double[] parameters) => Correct(data, parameters) / (double)data.Length;

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        throw new InvalidDataException($"iris.csv has no species '{name}'.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
