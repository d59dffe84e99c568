using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SymGrad.Orleans;

namespace SymGrad.Samples.Distributed;

/// <summary>
/// Coordination overhead against compute per round of shard calls, for several shard sizes, on 1 and 3 silos, next to
/// one process computing the same mean with <see cref="Gradients"/>. Each figure is the median of many rounds (the
/// machine is shared, so means are at the mercy of other load).
/// </summary>
public static class Measurements
{
    private const int Shards = 3;
    private const int Warmup = 60;
    private const int Samples = 31;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Prints the table.</summary>
    public static int Run(TextWriter output) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(TextWriter output)
    {
        output.WriteLine(string.Format(Inv, "{0} shards; medians of {1} rounds after {2} warm-up rounds; {3} cores; ms per round (a full-batch loss and gradient).", Shards, Samples, Warmup, Environment.ProcessorCount));
        output.WriteLine("rows/shard  rows total | one process | 1 silo: round  compute  overhead | 3 silos: round  compute  overhead");
        foreach (long perShard in new long[] { 1_000, 10_000, 100_000, 1_000_000, 3_000_000 })
        {
            long rows = perShard * Shards;
            double local = LocalRound(rows);
            var one = await ClusterRound(rows, 1);
            var three = await ClusterRound(rows, 3);
            output.WriteLine(string.Format(Inv, "{0,10:N0} {1,11:N0} | {2,11:F2} | {3,14:F2} {4,8:F2} {5,9:F2} | {6,15:F2} {7,8:F2} {8,9:F2}", perShard, rows, local, one.Round, one.Compute, one.Overhead, three.Round, three.Compute, three.Overhead));
        }

        return 0;
    }

    private static double LocalRound(long rows)
    {
        var data = new Logistic.LossSample[rows];
        for (int s = 0; s < Shards; s++)
        {
            Logistic.Shard(rows, Shards, s).CopyTo(data, s * rows / Shards);
        }

        var p = new double[5];
        var g = new double[5];
        var times = new List<double>();
        for (int i = 0; i < Warmup + Samples; i++)
        {
            var clock = Stopwatch.StartNew();
            Gradients.MeanValueAndGradient(default(Logistic.LossObjective), data, p, g);
            if (i >= Warmup)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return Median(times);
    }

    private static async Task<(double Round, double Compute, double Overhead)> ClusterRound(long rows, int silos)
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(silos, "m", rows, Shards);
        var trainer = ShardedTrainer.ForCluster(cluster.Client, "m", new ShardedTrainerOptions { Checkpoints = false });
        await trainer.LoadAsync();
        var p = new double[5];
        await trainer.MinimizeGradientDescentAsync(p, new GradientDescentOptions { LearningRate = 0.1, MaxIterations = Warmup, GradientTolerance = 0 });
        var round = new List<double>();
        var compute = new List<double>();
        var overhead = new List<double>();
        for (int i = 0; i < Samples; i++)
        {
            // One iteration of fixed-step descent: two rounds (the start and the point after the step).
            await trainer.MinimizeGradientDescentAsync(p, new GradientDescentOptions { LearningRate = 0.1, MaxIterations = 1, GradientTolerance = 0 });
            ShardedRunStatistics s = trainer.Statistics;
            round.Add(s.RoundSeconds / s.Rounds * 1e3);
            compute.Add(s.CriticalComputeSeconds / s.Rounds * 1e3);
            overhead.Add(s.OverheadPerRound * 1e3);
        }

        return (Median(round), Median(compute), Median(overhead));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
