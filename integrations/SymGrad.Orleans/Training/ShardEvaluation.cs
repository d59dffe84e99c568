namespace SymGrad.Orleans;

/// <summary>A shard's answer: the mean loss and gradient over the rows it evaluated, how many, how long it computed, and where.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class ShardEvaluation
{
    /// <summary>Mean loss over <see cref="Rows"/> rows (0 when Rows is 0).</summary>
    [Id(0)]
    public double Loss { get; init; }

    /// <summary>Mean gradient over the same rows; empty when no gradient was asked for.</summary>
    [Id(1)]
    public double[] Gradient { get; init; } = [];

    /// <summary>Rows evaluated (all of the shard, or its part of a mini-batch).</summary>
    [Id(2)]
    public int Rows { get; init; }

    /// <summary>Seconds the shard spent computing (not waiting or loading).</summary>
    [Id(3)]
    public double ComputeSeconds { get; init; }

    /// <summary>The silo that answered.</summary>
    [Id(4)]
    public string Silo { get; init; } = string.Empty;
}
