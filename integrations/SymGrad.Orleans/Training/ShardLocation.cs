namespace SymGrad.Orleans;

/// <summary>A loaded shard: its size, the silo holding it, and how long it took to load from its source.</summary>
/// <param name="Shard">The shard index.</param>
/// <param name="Rows">Rows in the shard.</param>
/// <param name="Silo">The silo's address ("local" for local shards).</param>
/// <param name="LoadSeconds">Seconds spent loading it (0 when it was already loaded).</param>
public sealed record ShardLocation(int Shard, int Rows, string Silo, double LoadSeconds);
