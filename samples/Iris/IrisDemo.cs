using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SymGrad.Samples.Iris;

/// <summary>
/// Fisher's Iris data, each flower's four measurements as one vector. First versicolor vs. virginica by
/// logistic regression, trained with mini-batch SGD and with Adam; then all three species by a 4-16-3 tanh
/// network with a softmax output, trained with Adam. Each on a seeded 70/30 split, standardised with the
/// training rows' statistics.
/// </summary>
public static class IrisDemo
{
    /// <summary>Seed of the train/test splits, the trainer's shuffling and the network's initial weights.</summary>
    public const int Seed = 42;

    /// <summary>Name of the logistic regression's plot (SGD vs. Adam) written to the output directory.</summary>
    public const string PlotFileName = "iris-loss.png";

    /// <summary>Name of the softmax network's plot (training loss and held-out accuracy) written to the output directory.</summary>
    public const string SoftmaxPlotFileName = "iris-softmax.png";

    private static readonly string[] Features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Directory for the PNG plots (created if missing).</param>
    /// <returns>0 when both logistic regressions reach 85 % held-out accuracy and the softmax network 90 %.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(outDir);
        string csv = Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");
        CsvTable iris = Csv.Read(csv);
        int[] species = iris.GetCategories("species", out IReadOnlyList<string> names);
        double[][] columns = Features.Select(iris.GetNumbers).ToArray();
        Directory.CreateDirectory(outDir);

        var clock = Stopwatch.StartNew();
        bool logisticOk = RunLogistic(output, outDir, Path.GetFileName(csv), species, names, columns);
        output.WriteLine(Invariant($"Part 1 took {clock.Elapsed.TotalSeconds:F2} s."));
        output.WriteLine();

        clock.Restart();
        bool softmaxOk = RunSoftmax(output, outDir, species, names, columns);
        output.WriteLine(Invariant($"Part 2 took {clock.Elapsed.TotalSeconds:F2} s (gradient check, training and scoring the held-out flowers after every epoch)."));
        return logisticOk && softmaxOk ? 0 : 1;
    }

    /// <summary>Versicolor vs. virginica (setosa is trivially separable) by logistic regression, SGD vs. Adam.</summary>
    private static bool RunLogistic(TextWriter output, string outDir, string file, int[] species, IReadOnlyList<string> names, double[][] columns)
    {
        int versicolor = IndexOf(names, "versicolor");
        int virginica = IndexOf(names, "virginica");
        int[] rows = Enumerable.Range(0, species.Length).Where(r => species[r] == versicolor || species[r] == virginica).ToArray();
        var (trainRows, testRows) = Split(rows);
        var standardise = new Standardiser(columns, trainRows);
        Logistic.LossSample Sample(int r) => new(standardise.Features(r), species[r] == virginica);
        Logistic.LossSample[] train = trainRows.Select(Sample).ToArray();
        Logistic.LossSample[] test = testRows.Select(Sample).ToArray();

        output.WriteLine("Iris, part 1: versicolor vs. virginica, logistic regression on 4 standardised measurements (weights w[0..4], bias w[4])");
        output.WriteLine(Invariant($"Data: {rows.Length} flowers from {file}; seeded split (seed {Seed}): {train.Length} training, {test.Length} held out"));
        output.WriteLine();

        var objective = new Logistic.LossObjective(wLength: Features.Length + 1);
        var runs = new (string Label, Optimizer Optimizer)[]
        {
            ("mini-batch SGD (η = 0.1, batch 10)", new Sgd(0.1)),
            ("Adam (η = 0.05, batch 10)", new Adam(0.05)),
        };
        var curves = new List<(string, IReadOnlyList<double>)>();
        var accuracies = new List<double>();
        foreach (var (label, optimizer) in runs)
        {
            double[] w = new double[objective.ParameterCount];
            var options = new TrainingOptions(optimizer) { MaxEpochs = 200, BatchSize = 10, Seed = Seed, MaxDegreeOfParallelism = 1 };
            output.WriteLine(label);
            TrainingResult result;
            using (var bar = new ConsoleProgressBar(output, lines: 4))
            {
                result = Trainer.Fit(objective, train, w, options, bar);
            }

            int trainCorrect = train.Count(s => (Logistic.Logit(s.x.Span, w) >= 0) == s.virginica);
            int testCorrect = test.Count(s => (Logistic.Logit(s.x.Span, w) >= 0) == s.virginica);
            double testLoss = Gradients.MeanValue(objective, test, w);
            output.WriteLine("  " + result);
            output.WriteLine(Invariant($"  weights (sepal length, sepal width, petal length, petal width; bias): {string.Join(", ", w.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))}"));
            output.WriteLine(Invariant($"  training accuracy {trainCorrect / (double)train.Length:P1}, held-out loss {testLoss:F4}, held-out accuracy {testCorrect / (double)test.Length:P1} ({testCorrect}/{test.Length})"));
            output.WriteLine();
            curves.Add((optimizer.Name, result.LossHistory));
            accuracies.Add(testCorrect / (double)test.Length);
        }

        output.WriteLine(Invariant($"Held-out accuracy: SGD {accuracies[0]:P1}, Adam {accuracies[1]:P1}"));
        string plotPath = Path.GetFullPath(Path.Combine(outDir, PlotFileName));
        LossPlot.Save(plotPath, "Iris versicolor vs. virginica: training loss, SGD vs. Adam (batch 10)", [.. curves]);
        output.WriteLine($"Loss curves: {plotPath}");
        return accuracies.All(a => a >= 0.85);
    }

    /// <summary>All three species by the 4-16-3 softmax network, trained with Adam; held-out accuracy after every epoch.</summary>
    private static bool RunSoftmax(TextWriter output, string outDir, int[] species, IReadOnlyList<string> names, double[][] columns)
    {
        if (names.Count != SoftmaxNet.Classes)
        {
            throw new InvalidDataException($"iris.csv has {names.Count} species; the network has {SoftmaxNet.Classes} outputs.");
        }

        var (trainRows, testRows) = Split(Enumerable.Range(0, species.Length).ToArray());
        var standardise = new Standardiser(columns, trainRows);
        SoftmaxNet.LossSample Sample(int r) => new(standardise.Features(r), species[r]);
        SoftmaxNet.LossSample[] train = trainRows.Select(Sample).ToArray();
        SoftmaxNet.LossSample[] test = testRows.Select(Sample).ToArray();
        const int Epochs = 150;

        output.WriteLine(Invariant($"Iris, part 2: all {names.Count} species, a {SoftmaxNet.Inputs}-{SoftmaxNet.Hidden}-{SoftmaxNet.Classes} tanh network with a softmax output ({SoftmaxNet.WeightCount} weights in one vector), cross-entropy"));
        output.WriteLine(Invariant($"Data: {species.Length} flowers; seeded split (seed {Seed}): {train.Length} training, {test.Length} held out"));

        // Glorot-uniform weights, zero biases.
        double[] w = new double[SoftmaxNet.WeightCount];
        int hiddenWeights = SoftmaxNet.Hidden * SoftmaxNet.Inputs;
        int outputWeights = hiddenWeights + SoftmaxNet.Hidden;
        ParameterInit.Uniform(w.AsSpan(0, hiddenWeights), Math.Sqrt(6.0 / (SoftmaxNet.Inputs + SoftmaxNet.Hidden)), Seed);
        ParameterInit.Uniform(w.AsSpan(outputWeights, SoftmaxNet.Classes * SoftmaxNet.Hidden), Math.Sqrt(6.0 / (SoftmaxNet.Hidden + SoftmaxNet.Classes)), Seed + 1);

        var objective = new SoftmaxNet.LossObjective(wLength: SoftmaxNet.WeightCount);
        output.WriteLine(GradientCheck.CheckDataset(objective, train, w).ToString());
        output.WriteLine(Invariant($"Adam (η = 0.01, batch 16, {Epochs} epochs); held-out accuracy before training {Accuracy(test, w):P1}"));

        var options = new TrainingOptions(new Adam(0.01)) { MaxEpochs = Epochs, BatchSize = 16, Seed = Seed, MaxDegreeOfParallelism = 1 };
        TrainingResult result;
        var heldOutAccuracy = new List<double>();
        var heldOutLoss = new List<double>();
        using (var bar = new ConsoleProgressBar(output, lines: 4))
        {
            // The trainer updates w in place and reports after every epoch, so the report can score the held-out flowers.
            var scoreHeldOut = new AfterEpoch(bar, () =>
            {
                heldOutAccuracy.Add(Accuracy(test, w));
                heldOutLoss.Add(Gradients.MeanValue(objective, test, w, maxDegreeOfParallelism: 1));
            });
            result = Trainer.Fit(objective, train, w, options, scoreHeldOut);
        }

        output.WriteLine(result.ToString());
        output.WriteLine(Invariant($"Training accuracy {Accuracy(train, w):P1}, held-out loss {heldOutLoss[^1]:F4}"));
        output.WriteLine();
        output.WriteLine("Held-out confusion matrix (rows: species, columns: predicted):");
        var confusion = new int[SoftmaxNet.Classes, SoftmaxNet.Classes];
        foreach (var s in test)
        {
            confusion[s.label, SoftmaxNet.Predict(s.x.Span, w)]++;
        }

        int width = names.Max(n => n.Length) + 2;
        output.WriteLine(new string(' ', width) + string.Concat(names.Select(n => n.PadLeft(width))));
        for (int k = 0; k < SoftmaxNet.Classes; k++)
        {
            output.WriteLine(names[k].PadRight(width) + string.Concat(Enumerable.Range(0, SoftmaxNet.Classes).Select(p => confusion[k, p].ToString(CultureInfo.InvariantCulture).PadLeft(width))));
        }

        int correct = Enumerable.Range(0, SoftmaxNet.Classes).Sum(k => confusion[k, k]);
        double accuracy = correct / (double)test.Length;
        output.WriteLine();
        output.WriteLine(Invariant($"Held-out accuracy (softmax network): {accuracy:P1} ({correct}/{test.Length})"));
        string plotPath = Path.GetFullPath(Path.Combine(outDir, SoftmaxPlotFileName));
        LossPlot.SaveWithAccuracy(
            plotPath,
            Invariant($"Iris, 3 species: {SoftmaxNet.Inputs}-{SoftmaxNet.Hidden}-{SoftmaxNet.Classes} softmax network, Adam η = 0.01"),
            ("held-out accuracy (right axis)", heldOutAccuracy),
            ("training loss", result.LossHistory),
            ("held-out loss", heldOutLoss));
        output.WriteLine($"Loss and accuracy curves: {plotPath}");
        return accuracy >= 0.9;
    }

    private static double Accuracy(SoftmaxNet.LossSample[] data, double[] w)
        => data.Count(s => SoftmaxNet.Predict(s.x.Span, w) == s.label) / (double)data.Length;

    /// <summary>A seeded shuffle of <paramref name="rows"/>, 70 % for training and the rest held out.</summary>
    private static (int[] Train, int[] Test) Split(int[] rows)
    {
        rows = (int[])rows.Clone();
        new Random(Seed).Shuffle(rows);
        int trainCount = (int)Math.Round(rows.Length * 0.7);
        return (rows[..trainCount], rows[trainCount..]);
    }

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

    /// <summary>Standardises each measurement with the mean and standard deviation of the training rows only (the held-out rows stay unseen).</summary>
    private sealed class Standardiser
    {
        private readonly double[][] _columns;
        private readonly double[] _mean;
        private readonly double[] _sd;

        public Standardiser(double[][] columns, int[] trainRows)
        {
            _columns = columns;
            _mean = new double[columns.Length];
            _sd = new double[columns.Length];
            for (int f = 0; f < columns.Length; f++)
            {
                double[] column = columns[f];
                double mean = trainRows.Average(r => column[r]);
                _mean[f] = mean;
                _sd[f] = Math.Sqrt(trainRows.Average(r => (column[r] - mean) * (column[r] - mean)));
            }
        }

        /// <summary>Row <paramref name="row"/>'s standardised measurements.</summary>
        public double[] Features(int row)
        {
            var x = new double[_columns.Length];
            for (int f = 0; f < x.Length; f++)
            {
                x[f] = (_columns[f][row] - _mean[f]) / _sd[f];
            }

            return x;
        }
    }

    /// <summary>Forwards each epoch's report to the progress bar after running an action (the trainer reports synchronously, on its own thread).</summary>
    private sealed class AfterEpoch(IProgress<EpochReport> inner, Action action) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            action();
            inner.Report(value);
        }
    }
}
