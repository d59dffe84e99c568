namespace SymGrad.Orleans;

/// <summary>A loaded shard: its size, where it lives and how long loading took.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class ShardInfo
{
    /// <summary>Rows in the shard.</summary>
    [Id(0)]
    public int Rows { get; init; }

    /// <summary>The silo holding it.</summary>
    [Id(1)]
    public string Silo { get; init; } = string.Empty;

    /// <summary>Seconds spent loading it from the source (0 when it was already loaded).</summary>
    [Id(2)]
    public double LoadSeconds { get; init; }
}
