using System;
using System.Threading.Tasks;
using SymGrad.Orleans;

namespace SymGrad.Samples.Distributed;

/// <summary>Logistic regression with four features, and the synthetic data set the cluster trains it on.</summary>
public static partial class Logistic
{
    /// <summary>The weights the labels are drawn from (w1…w4, b).</summary>
    public static readonly double[] TrueWeights = [1.5, -2.0, 0.75, 0.0, -0.5];

    /// <summary>Negative log-likelihood of one labelled sample, z = w·x + b (the generator also emits the batched SIMD kernel).</summary>
    [Differentiable]
    public static double Loss(
        double x1, double x2, double x3, double x4, double y,
        [Wrt] double w1, [Wrt] double w2, [Wrt] double w3, [Wrt] double w4, [Wrt] double b)
    {
        double z = (w1 * x1) + (w2 * x2) + (w3 * x3) + (w4 * x4) + b;
        return -((y * SymMath.LogSigmoid(z)) + ((1 - y) * SymMath.LogSigmoid(-z)));
    }

    /// <summary>
    /// A durable source of <paramref name="shards"/> shards of <paramref name="rows"/> rows in all: shard k is regenerated
    /// from its index whenever a silo loads it (features uniform in [−2, 2], y = 1 with probability σ(w·x + b)), so a
    /// silo that takes a shard over after a crash gets exactly the rows the dead one had.
    /// </summary>
    public static IShardSource<LossSample> Source(long rows, int shards)
        => ShardSource.FromLoader(shards, (shard, _) => ValueTask.FromResult(Shard(rows, shards, shard)), shard => "generator shard " + shard);

    /// <summary>Rows [k·N/S, (k+1)·N/S) of the synthetic data set, drawn from a generator seeded by the shard index.</summary>
    public static LossSample[] Shard(long rows, int shards, int shard)
    {
        long start = shard * rows / shards;
        long end = (shard + 1) * rows / shards;
        var data = new LossSample[end - start];
        ulong state = 0x5DEECE66DUL + (ulong)shard * 0x9E3779B97F4A7C15UL;
        double[] w = TrueWeights;
        for (int i = 0; i < data.Length; i++)
        {
            double x1 = Uniform(ref state), x2 = Uniform(ref state), x3 = Uniform(ref state), x4 = Uniform(ref state);
            double z = (w[0] * x1) + (w[1] * x2) + (w[2] * x3) + (w[3] * x4) + w[4];
            double y = (Uniform(ref state) + 2) / 4 < SymMath.Sigmoid(z) ? 1.0 : 0.0;
            data[i] = new LossSample(x1, x2, x3, x4, y);
        }

        return data;
    }

    /// <summary>Uniform in [−2, 2) from SplitMix64.</summary>
    private static double Uniform(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 11) * (1.0 / (1UL << 53)) * 4.0) - 2.0;
    }
}
