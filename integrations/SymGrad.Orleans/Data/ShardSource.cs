using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>Makes <see cref="IShardSource{TSample}"/>s from delegates, binary files and streams, and cuts a data set into shards.</summary>
public static class ShardSource
{
    /// <summary>
    /// A source whose shard <c>k</c> is whatever <paramref name="load"/> returns for <c>k</c>: a reader of your own
    /// storage, or a deterministic generator (synthetic data regenerated from a seed is as durable as a file).
    /// </summary>
    /// <typeparam name="TSample">The sample type.</typeparam>
    /// <param name="shardCount">Number of shards (≥ 1).</param>
    /// <param name="load">Returns the rows of a shard; must give the same rows every time.</param>
    /// <param name="describe">Describes a shard for messages; null for "loader shard k".</param>
    /// <returns>The source.</returns>
    public static IShardSource<TSample> FromLoader<TSample>(int shardCount, Func<int, CancellationToken, ValueTask<TSample[]>> load, Func<int, string>? describe = null)
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(load);
        CheckShardCount(shardCount);
        return new LoaderSource<TSample>(shardCount, load, describe ?? (shard => "loader shard " + shard.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// A source with one binary file per shard, each the shard's samples back to back in memory layout (as written by
    /// <see cref="WriteFile{TSample}(string, ReadOnlySpan{TSample})"/>; little-endian on x64 and Arm64). The paths must be
    /// readable from every silo (shared or replicated storage).
    /// </summary>
    /// <typeparam name="TSample">An unmanaged sample type (generated samples of doubles are).</typeparam>
    /// <param name="paths">One file per shard, in shard order.</param>
    /// <returns>The source.</returns>
    public static IShardSource<TSample> FromFiles<TSample>(IReadOnlyList<string> paths)
        where TSample : unmanaged
    {
        ArgumentNullException.ThrowIfNull(paths);
        CheckShardCount(paths.Count);
        var copy = new string[paths.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = paths[i] ?? throw new ArgumentException("Path " + i.ToString(CultureInfo.InvariantCulture) + " is null.", nameof(paths));
        }

        return new LoaderSource<TSample>(
            copy.Length,
            async (shard, cancellationToken) =>
            {
                await using var stream = new FileStream(copy[shard], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                return await ReadAsync<TSample>(stream, copy[shard], cancellationToken).ConfigureAwait(false);
            },
            shard => "file '" + copy[shard] + "'");
    }

    /// <summary>A source that opens a stream per shard (e.g. a blob download) holding the shard's samples in memory layout.</summary>
    /// <typeparam name="TSample">An unmanaged sample type.</typeparam>
    /// <param name="shardCount">Number of shards (≥ 1).</param>
    /// <param name="open">Opens shard k's stream; it is read to the end and disposed.</param>
    /// <param name="describe">Describes a shard for messages; null for "stream shard k".</param>
    /// <returns>The source.</returns>
    public static IShardSource<TSample> FromStreams<TSample>(int shardCount, Func<int, CancellationToken, ValueTask<Stream>> open, Func<int, string>? describe = null)
        where TSample : unmanaged
    {
        ArgumentNullException.ThrowIfNull(open);
        CheckShardCount(shardCount);
        describe ??= shard => "stream shard " + shard.ToString(CultureInfo.InvariantCulture);
        return new LoaderSource<TSample>(
            shardCount,
            async (shard, cancellationToken) =>
            {
                await using Stream stream = await open(shard, cancellationToken).ConfigureAwait(false);
                return await ReadAsync<TSample>(stream, describe(shard), cancellationToken).ConfigureAwait(false);
            },
            describe);
    }

    /// <summary>Writes samples in the layout <see cref="FromFiles{TSample}"/> reads.</summary>
    /// <typeparam name="TSample">An unmanaged sample type.</typeparam>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="samples">The shard's samples.</param>
    public static void WriteFile<TSample>(string path, ReadOnlySpan<TSample> samples)
        where TSample : unmanaged
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(MemoryMarshal.AsBytes(samples));
    }

    /// <summary>
    /// Cuts <paramref name="data"/> into <paramref name="shardCount"/> contiguous shards of (nearly) equal size: shard s
    /// holds rows [s·N/S, (s+1)·N/S). The partition <see cref="ShardedTrainer.ForLocalShards{TObjective, TSample}"/> and
    /// loaders over one big array use, so a cluster run and a local run see the same shards.
    /// </summary>
    /// <typeparam name="TSample">The sample type.</typeparam>
    /// <param name="data">The whole data set.</param>
    /// <param name="shardCount">Number of shards, 1 … N.</param>
    /// <returns>The shards, in order (views of <paramref name="data"/>, not copies).</returns>
    public static ReadOnlyMemory<TSample>[] Partition<TSample>(TSample[] data, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShardCount(shardCount);
        if (shardCount > data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "More shards than samples: every shard needs at least one sample.");
        }

        var shards = new ReadOnlyMemory<TSample>[shardCount];
        for (int s = 0; s < shardCount; s++)
        {
            int start = (int)((long)s * data.Length / shardCount);
            int end = (int)((long)(s + 1) * data.Length / shardCount);
            shards[s] = new ReadOnlyMemory<TSample>(data, start, end - start);
        }

        return shards;
    }

    private static async ValueTask<TSample[]> ReadAsync<TSample>(Stream stream, string what, CancellationToken cancellationToken)
        where TSample : unmanaged
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        int size = Marshal.SizeOf<TSample>();
        if (buffer.Length % size != 0)
        {
            throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "{0} holds {1} bytes, not a whole number of {2}-byte {3} samples.", what, buffer.Length, size, typeof(TSample).Name));
        }

        var samples = new TSample[buffer.Length / size];
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).CopyTo(MemoryMarshal.AsBytes(samples.AsSpan()));
        return samples;
    }

    private static void CheckShardCount(int shardCount)
    {
        if (shardCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "A data set needs at least one shard.");
        }
    }

    private sealed class LoaderSource<TSample>(int shardCount, Func<int, CancellationToken, ValueTask<TSample[]>> load, Func<int, string> describe) : IShardSource<TSample>
        where TSample : struct
    {
        public int ShardCount => shardCount;

        public string Describe(int shard) => describe(shard);

        public ValueTask<TSample[]> LoadAsync(int shard, CancellationToken cancellationToken) => load(shard, cancellationToken);
    }
}
