using System;

namespace SymGrad.Orleans;

/// <summary>
/// A shard could not be loaded from its source (a missing file, a loader that failed or timed out, a data set not
/// registered on the silo). Not retried: the coordinator stops and rethrows it.
/// </summary>
[GenerateSerializer]
public sealed class ShardSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the data set, the shard and its source.</param>
    public ShardSourceException(string message)
        : base(message)
    {
    }

    /// <summary>The data set's name.</summary>
    [Id(0)]
    public string DataSet { get; init; } = string.Empty;

    /// <summary>The shard that failed to load; null when the data set itself is unknown.</summary>
    [Id(1)]
    public int? Shard { get; init; }
}
