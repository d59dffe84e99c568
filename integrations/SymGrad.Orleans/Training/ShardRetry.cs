using System;

namespace SymGrad.Orleans;

/// <summary>A call to the cluster that failed and will be sent again.</summary>
/// <param name="Shard">The shard called; null for a call that is not a shard's (the data set's description, a checkpoint).</param>
/// <param name="Call">What was called, e.g. "shard 2" or "checkpoint".</param>
/// <param name="Attempt">The attempt that failed, from 1.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Delay">The wait before the next attempt.</param>
public sealed record ShardRetry(int? Shard, string Call, int Attempt, Exception Error, TimeSpan Delay);
