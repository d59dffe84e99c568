namespace SymGrad.Orleans;

/// <summary>One loaded shard and the objective over it: the computation a shard grain (or a local shard) performs.</summary>
internal interface IShardWorker
{
    int Rows { get; }

    ShardEvaluation Evaluate(ShardRequest request, string silo);
}
