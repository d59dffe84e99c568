namespace SymGrad.Orleans;

/// <summary>What the coordinator asks a shard: its mean loss (and gradient) over all its rows, or over its rows of one mini-batch step.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class ShardRequest
{
    /// <summary>The parameters to evaluate at (never modified).</summary>
    [Id(0)]
    public required double[] Parameters { get; init; }

    /// <summary>Also compute the gradient (and locate a NaN/∞ to its row).</summary>
    [Id(1)]
    public bool Gradient { get; init; } = true;

    /// <summary>The minimizer's iteration or the trainer's epoch, for messages.</summary>
    [Id(2)]
    public int Iteration { get; init; }

    /// <summary>Threads on the shard's silo; −1 for all cores. The result does not depend on it.</summary>
    [Id(3)]
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>0 for the whole shard; otherwise the number of mini-batch steps per epoch (the shard's rows are cut into that many slices).</summary>
    [Id(4)]
    public int StepsPerEpoch { get; init; }

    /// <summary>The mini-batch step within the epoch, 0 … StepsPerEpoch − 1.</summary>
    [Id(5)]
    public int Step { get; init; }

    /// <summary>Seed of the shard's per-epoch shuffle.</summary>
    [Id(6)]
    public long Seed { get; init; }

    /// <summary>Whether the shard visits its rows in a new seeded order every epoch.</summary>
    [Id(7)]
    public bool Shuffle { get; init; }

    /// <summary>True when the request is one mini-batch step rather than the whole shard.</summary>
    public bool IsBatch => StepsPerEpoch > 0;
}
