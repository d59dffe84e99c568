using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SymGrad.Samples.LargeData;

/// <summary>
/// Full-batch training on a large synthetic data set: logistic regression on millions of samples with L-BFGS, every
/// evaluation a mean over the whole data set through the generated SIMD kernel on all cores (deterministic chunks, so
/// the run is bit-identical for any thread count).
/// </summary>
public static class LargeDataDemo
{
    /// <summary>Samples drawn by default.</summary>
    public const int DefaultSamples = 2_000_000;

    /// <summary>The weights the labels are drawn from (w1…w4, b).</summary>
    public static readonly double[] TrueWeights = [1.5, -2.0, 0.75, 0.0, -0.5];

    /// <summary>Draws the data, times one gradient four ways, trains, and prints the weights and samples/second.</summary>
    public static int Run(TextWriter output, int count)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(inv, "Logistic regression, 4 features, {0:N0} synthetic samples (labels drawn from σ(w·x + b)).", count));
        Logistic.LossSample[] data = Draw(count, seed: 2026);
        double[] p = new double[5];
        double[] g = new double[5];

        // One full-batch gradient: sample by sample vs. the batched kernel, one thread vs. all cores.
        output.WriteLine();
        output.WriteLine("One full-batch mean gradient:");
        double perSample = Time(() =>
        {
            var objective = default(Logistic.LossObjective);
            var sample = new double[5];
            double loss = 0;
            Array.Clear(g);
            foreach (var s in data)
            {
                loss += objective.ValueAndGradient(in s, p, sample);
                for (int k = 0; k < 5; k++)
                {
                    g[k] += sample[k];
                }
            }
        });
        double oneThread = Time(() => Gradients.MeanValueAndGradient(default(Logistic.LossObjective), data, p, g, maxDegreeOfParallelism: 1));
        double allCores = Time(() => Gradients.MeanValueAndGradient(default(Logistic.LossObjective), data, p, g));
        output.WriteLine(string.Format(inv, "  sample by sample (MGradient per sample)   {0,8:F1} ms  {1,7:F1} M samples/s", perSample * 1e3, count / perSample / 1e6));
        output.WriteLine(string.Format(inv, "  batched SIMD kernel, one thread           {0,8:F1} ms  {1,7:F1} M samples/s", oneThread * 1e3, count / oneThread / 1e6));
        output.WriteLine(string.Format(inv, "  batched SIMD kernel, all {0} cores          {1,8:F1} ms  {2,7:F1} M samples/s", Environment.ProcessorCount, allCores * 1e3, count / allCores / 1e6));

        // Full-batch L-BFGS.
        var clock = Stopwatch.StartNew();
        MinimizationResult result = Lbfgs.Minimize(default(Logistic.LossObjective), data, p, new LbfgsOptions { MaxIterations = 200, GradientTolerance = 1e-9 });
        clock.Stop();
        double seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine();
        output.WriteLine(result.ToString());
        output.WriteLine(string.Format(
            inv,
            "Trained on {0:N0} samples with full-batch L-BFGS in {1:F2} s: {2} evaluations of the mean loss and gradient, {3:F1} M samples/s.",
            count,
            seconds,
            result.FunctionEvaluations,
            (double)count * result.FunctionEvaluations / seconds / 1e6));

        string[] names = ["w1", "w2", "w3", "w4", "b"];
        double maxError = 0;
        output.WriteLine();
        output.WriteLine("  weight   fitted     true");
        for (int k = 0; k < 5; k++)
        {
            output.WriteLine(string.Format(inv, "  {0,-6} {1,8:F4} {2,8:F4}", names[k], p[k], TrueWeights[k]));
            maxError = Math.Max(maxError, Math.Abs(p[k] - TrueWeights[k]));
        }

        output.WriteLine(string.Format(inv, "Largest error against the true weights: {0:F4}", maxError));
        bool ok = result.Converged && maxError < 10.0 / Math.Sqrt(count);
        output.WriteLine(ok ? "Recovered the true weights." : "Did not recover the true weights.");
        return ok ? 0 : 1;
    }

    /// <summary>Features uniform in [−2, 2]; y = 1 with probability σ(w·x + b).</summary>
    private static Logistic.LossSample[] Draw(int count, int seed)
    {
        var rng = new Random(seed);
        var data = new Logistic.LossSample[count];
        double[] w = TrueWeights;
        for (int i = 0; i < count; i++)
        {
            double x1 = (4 * rng.NextDouble()) - 2, x2 = (4 * rng.NextDouble()) - 2, x3 = (4 * rng.NextDouble()) - 2, x4 = (4 * rng.NextDouble()) - 2;
            double z = (w[0] * x1) + (w[1] * x2) + (w[2] * x3) + (w[3] * x4) + w[4];
            double y = rng.NextDouble() < SymMath.Sigmoid(z) ? 1.0 : 0.0;
            data[i] = new Logistic.LossSample(x1, x2, x3, x4, y);
        }

        return data;
    }

    /// <summary>Best of three wall-clock timings, in seconds (after one warm-up call).</summary>
    private static double Time(Action action)
    {
        action();
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }
}
