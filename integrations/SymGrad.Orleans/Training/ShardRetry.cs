using System;

namespace SymGrad.Orleans;

/// <summary>A shard call that failed and will be retried.</summary>
/// <param name="Shard">The shard.</param>
/// <param name="Attempt">The attempt that failed, from 1.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Delay">The wait before the next attempt.</param>
public sealed record ShardRetry(int Shard, int Attempt, Exception Error, TimeSpan Delay);
