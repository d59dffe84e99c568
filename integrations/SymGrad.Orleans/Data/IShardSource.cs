using System.Threading;
using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>
/// Where the shards of a data set live: a durable source (files on shared storage, a blob store, a database, a
/// deterministic generator) that any silo can read shard <c>k</c> from, at any time. A shard grain loads its slice
/// from here when it activates — first on its initial silo, again on another silo after its silo died — so the data
/// are never held only in grain memory. <see cref="ShardSource"/> makes sources from files, streams and delegates.
/// </summary>
/// <typeparam name="TSample">The sample type of the objective (the generated <c>MSample</c>).</typeparam>
public interface IShardSource<TSample>
    where TSample : struct
{
    /// <summary>Number of shards (≥ 1); the shard grains are numbered 0 … ShardCount − 1.</summary>
    int ShardCount { get; }

    /// <summary>Where shard <paramref name="shard"/> comes from, for messages (e.g. a file path).</summary>
    /// <param name="shard">The shard index.</param>
    /// <returns>A short description.</returns>
    string Describe(int shard);

    /// <summary>Reads shard <paramref name="shard"/>; the same shard must always give the same rows in the same order.</summary>
    /// <param name="shard">The shard index, 0 … <see cref="ShardCount"/> − 1.</param>
    /// <param name="cancellationToken">Cancelled when the silo's load timeout passes.</param>
    /// <returns>The shard's rows (not empty).</returns>
    ValueTask<TSample[]> LoadAsync(int shard, CancellationToken cancellationToken);
}
