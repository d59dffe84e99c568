namespace SymGrad.Orleans;

/// <summary>What a silo's registration of a data set says: its shards and the objective's parameters.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class DataSetInfo
{
    /// <summary>Number of shards.</summary>
    [Id(0)]
    public int ShardCount { get; init; }

    /// <summary>The objective's parameter names, in order.</summary>
    [Id(1)]
    public string[] ParameterNames { get; init; } = [];
}
