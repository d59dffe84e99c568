using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>Shard k of a data set (key "data set/k"): loads its rows from the registered source and evaluates the objective over them.</summary>
internal interface IShardGrain : IGrainWithStringKey
{
    /// <summary>Loads the shard if it is not loaded yet; tells its size and silo.</summary>
    Task<ShardInfo> LoadAsync();

    /// <summary>Mean loss (and gradient) over the shard or its part of a mini-batch.</summary>
    Task<ShardEvaluation> EvaluateAsync(ShardRequest request);
}
