using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SymGrad.Samples;

/// <summary>Writes loss curves to a PNG with ScottPlot: loss per epoch on a logarithmic axis. Shared by the samples that plot.</summary>
internal static class LossPlot
{
    /// <summary>Saves one line per series (loss after each epoch, from <c>TrainingResult.LossHistory</c>) to <paramref name="path"/>.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="series">Legend label and losses (all &gt; 0 are plotted; zeros are clipped to the smallest positive loss).</param>
    public static void Save(string path, string title, params (string Label, IReadOnlyList<double> Losses)[] series)
    {
        var plot = new ScottPlot.Plot();
        AddLosses(plot, series);
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 800, 500);
    }

    /// <summary>
    /// Saves the loss curves as <see cref="Save"/> does, plus one accuracy per epoch (in [0, 1]) on a second
    /// axis on the right, in percent.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="accuracy">Legend label and accuracy after each epoch.</param>
    /// <param name="series">Legend label and losses, as for <see cref="Save"/>.</param>
    public static void SaveWithAccuracy(string path, string title, (string Label, IReadOnlyList<double> Values) accuracy, params (string Label, IReadOnlyList<double> Losses)[] series)
    {
        var plot = new ScottPlot.Plot();
        AddLosses(plot, series);
        double[] epochs = Enumerable.Range(1, accuracy.Values.Count).Select(e => (double)e).ToArray();
        double[] percent = accuracy.Values.Select(a => 100 * a).ToArray();
        var line = plot.Add.ScatterLine(epochs, percent);
        line.LegendText = accuracy.Label;
        line.LineWidth = 2;
        line.LinePattern = ScottPlot.LinePattern.Dashed;
        line.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "accuracy (%)";
        plot.Axes.SetLimitsY(0, 105, plot.Axes.Right);
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plot.SavePng(path, 800, 500);
    }

    private static void AddLosses(ScottPlot.Plot plot, (string Label, IReadOnlyList<double> Losses)[] series)
    {
        double smallest = series.SelectMany(s => s.Losses).Where(l => l > 0 && double.IsFinite(l)).DefaultIfEmpty(1.0).Min();
        double largest = series.SelectMany(s => s.Losses).Where(l => l > 0 && double.IsFinite(l)).DefaultIfEmpty(1.0).Max();
        double decades = Math.Log10(largest) - Math.Log10(smallest);
        foreach (var (label, losses) in series)
        {
            double[] epochs = Enumerable.Range(1, losses.Count).Select(e => (double)e).ToArray();
            double[] logLoss = losses.Select(l => Math.Log10(l > 0 ? l : smallest)).ToArray();
            var line = plot.Add.ScatterLine(epochs, logLoss);
            line.LegendText = label;
            line.LineWidth = 2;
        }

        // A log axis in ScottPlot 5: plot log10(loss) and label each tick y with 10^y. Over several decades the
        // ticks sit on powers of ten (minor ticks at 2·10^k … 9·10^k); over less, in between.
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = decades >= 2,
            LabelFormatter = y => Math.Pow(10, y).ToString("G2", CultureInfo.InvariantCulture),
        };
        if (decades >= 2)
        {
            ticks.MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator();
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.Label.Text = "mean loss (log scale)";
        plot.Axes.Bottom.Label.Text = "epoch";
    }
}
