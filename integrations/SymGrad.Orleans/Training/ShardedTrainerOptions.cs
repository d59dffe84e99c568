using System;

namespace SymGrad.Orleans;

/// <summary>How a <see cref="ShardedTrainer"/> talks to its shards: timeouts, retries, checkpoints.</summary>
public sealed record ShardedTrainerOptions
{
    /// <summary>Names the run's checkpoint; null (default) uses the data set's name.</summary>
    public string? RunId { get; init; }

    /// <summary>Longest wait for one shard's answer before the call counts as failed and is retried. Default 5 minutes.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Attempts per shard call (≥ 1) before the run fails with <see cref="ShardUnavailableException"/>. Failures of the
    /// transport (a dead silo, a timeout) are retried; a shard's NaN/∞ or a missing source is not. Default 8.
    /// </summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Wait before the first retry; doubled for each further one, up to 8 s. Default 0.25 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>Write a <see cref="TrainingCheckpoint"/> after every iteration (evaluation or epoch). Default true.</summary>
    public bool Checkpoints { get; init; } = true;

    /// <summary>Told about every retried shard call (which shard, which attempt, why), e.g. to log it.</summary>
    public Action<ShardRetry>? OnRetry { get; init; }

    internal void Validate()
    {
        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, "Must be positive.");
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "Must be at least 1.");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "Must not be negative.");
        }
    }
}
