using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace SymGrad.Orleans.Tests;

/// <summary>Logistic regression with three features: the model every test trains.</summary>
public static partial class Model
{
    /// <summary>−[y·log σ(z) + (1 − y)·log σ(−z)], z = w·x + b.</summary>
    [Differentiable]
    public static double Loss(double x1, double x2, double x3, double y, [Wrt] double w1, [Wrt] double w2, [Wrt] double w3, [Wrt] double b)
    {
        double z = (w1 * x1) + (w2 * x2) + (w3 * x3) + b;
        return -((y * SymMath.LogSigmoid(z)) + ((1 - y) * SymMath.LogSigmoid(-z)));
    }

    /// <summary>Shards of unequal sizes (so the weights nₛ/N matter), each generated from its index: a durable source.</summary>
    public static readonly int[] ShardSizes = [3_001, 2_500, 4_099, 1_777];

    public static readonly double[] TrueWeights = [1.5, -2.0, 0.5, 0.25];

    public static LossSample[] Shard(int shard)
    {
        var random = new Random(1_000 + shard);
        var rows = new LossSample[ShardSizes[shard]];
        for (int i = 0; i < rows.Length; i++)
        {
            double x1 = random.NextDouble() * 2 - 1, x2 = random.NextDouble() * 2 - 1, x3 = random.NextDouble() * 2 - 1;
            double z = TrueWeights[0] * x1 + TrueWeights[1] * x2 + TrueWeights[2] * x3 + TrueWeights[3];
            double y = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
            rows[i] = new LossSample(x1, x2, x3, y);
        }

        return rows;
    }

    public static LossSample[][] Shards() => Enumerable.Range(0, ShardSizes.Length).Select(Shard).ToArray();

    public static ReadOnlyMemory<LossSample>[] LocalShards() => Shards().Select(s => new ReadOnlyMemory<LossSample>(s)).ToArray();

    public static LossSample[] All() => Shards().SelectMany(s => s).ToArray();

    public static IShardSource<LossSample> Source() => ShardSource.FromLoader(ShardSizes.Length, (shard, _) => ValueTask.FromResult(Shard(shard)));

    public static double[] Start() => [0.1, 0.1, 0.1, 0.0];

    public static bool BitEqual(IReadOnlyList<double> a, IReadOnlyList<double> b)
        => a.Count == b.Count && a.Zip(b).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second));

    public static double MaxRelativeDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
        => a.Zip(b).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1e-300, Math.Max(Math.Abs(p.First), Math.Abs(p.Second))));
}
