using System.Threading;
using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>The shards a coordinator drives: grains on a cluster, or workers in this process (the same computation, for comparison).</summary>
internal interface IShardFleet
{
    string DataSet { get; }

    /// <summary>Number of shards and the parameter names.</summary>
    Task<DataSetInfo> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>Loads every shard; their sizes and silos, in shard order.</summary>
    Task<ShardInfo[]> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Every shard's answer to <paramref name="request"/>, in shard order.</summary>
    Task<ShardEvaluation[]> EvaluateAsync(ShardRequest request, ShardedRunStatistics statistics, CancellationToken cancellationToken);

    Task WriteCheckpointAsync(TrainingCheckpoint checkpoint, CancellationToken cancellationToken);

    Task<TrainingCheckpoint?> ReadCheckpointAsync(string runId, CancellationToken cancellationToken);
}
