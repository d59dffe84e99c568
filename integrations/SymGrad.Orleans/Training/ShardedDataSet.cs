using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>A data set registered on a silo: its source and the objective its shards evaluate, with the sample type erased.</summary>
internal interface IShardedDataSet
{
    string Name { get; }

    int ShardCount { get; }

    string[] ParameterNames { get; }

    string Describe(int shard);

    Task<IShardWorker> LoadAsync(int shard, CancellationToken cancellationToken);
}

/// <summary>The typed registration behind <see cref="IShardedDataSet"/>.</summary>
internal sealed class ShardedDataSet<TObjective, TSample>(string name, TObjective objective, IShardSource<TSample> source) : IShardedDataSet
    where TObjective : struct, IObjective<TSample>
    where TSample : struct
{
    public string Name => name;

    public int ShardCount => source.ShardCount;

    public string[] ParameterNames { get; } = Names(objective);

    public string Describe(int shard) => source.Describe(shard);

    public async Task<IShardWorker> LoadAsync(int shard, CancellationToken cancellationToken)
    {
        TSample[] rows = await source.LoadAsync(shard, cancellationToken).ConfigureAwait(false);
        if (rows is null || rows.Length == 0)
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "the source returned no rows for shard {0}", shard));
        }

        return new ShardWorker<TObjective, TSample>(name, shard, objective, rows);
    }

    private static string[] Names(TObjective objective)
    {
        var names = new string[objective.ParameterCount];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = objective.GetParameterName(i);
        }

        return names;
    }
}
