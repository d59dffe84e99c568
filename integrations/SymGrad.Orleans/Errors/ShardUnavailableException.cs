using System;

namespace SymGrad.Orleans;

/// <summary>
/// A shard (or the cluster, for a description or a checkpoint) did not answer within <see cref="ShardedTrainerOptions.MaxAttempts"/> attempts (each bounded by
/// <see cref="ShardedTrainerOptions.CallTimeout"/>): its silo died and no other silo took the shard over, or the cluster is down.
/// </summary>
public sealed class ShardUnavailableException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The last failure.</param>
    public ShardUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The shard; null for a call that is not a shard's (the data set's description, a checkpoint).</summary>
    public int? Shard { get; init; }

    /// <summary>Attempts made.</summary>
    public int Attempts { get; init; }
}
