using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>
/// Shard grains on an Orleans cluster. Every call is bounded by <see cref="ShardedTrainerOptions.CallTimeout"/>; a call
/// that fails because its silo died or the transport failed is sent again (the shard reactivates on a surviving silo
/// and reloads from its source), since a shard's answer depends only on its rows and the request.
/// </summary>
internal sealed class ClusterFleet(IGrainFactory grains, string dataSet, ShardedTrainerOptions options) : IShardFleet
{
    private const double MaxDelaySeconds = 8.0;
    private int _shardCount = -1;

    public string DataSet => dataSet;

    public async Task<DataSetInfo> DescribeAsync(CancellationToken cancellationToken)
    {
        DataSetInfo info = await CallAsync(null, "data set description", () => grains.GetGrain<IDataSetGrain>(dataSet).DescribeAsync(), null, cancellationToken).ConfigureAwait(false);
        _shardCount = info.ShardCount;
        return info;
    }

    public async Task<ShardInfo[]> LoadAsync(CancellationToken cancellationToken)
    {
        int count = await ShardCountAsync(cancellationToken).ConfigureAwait(false);
        var calls = new Task<ShardInfo>[count];
        for (int s = 0; s < count; s++)
        {
            IShardGrain shard = Shard(s);
            calls[s] = CallAsync(s, "shard " + s.ToString(CultureInfo.InvariantCulture), shard.LoadAsync, null, cancellationToken);
        }

        return await Task.WhenAll(calls).ConfigureAwait(false);
    }

    public async Task<ShardEvaluation[]> EvaluateAsync(ShardRequest request, ShardedRunStatistics statistics, CancellationToken cancellationToken)
    {
        int count = await ShardCountAsync(cancellationToken).ConfigureAwait(false);
        var calls = new Task<ShardEvaluation>[count];
        for (int s = 0; s < count; s++)
        {
            IShardGrain shard = Shard(s);
            calls[s] = CallAsync(s, "shard " + s.ToString(CultureInfo.InvariantCulture), () => shard.EvaluateAsync(request), statistics, cancellationToken);
        }

        return await Task.WhenAll(calls).ConfigureAwait(false);
    }

    public Task WriteCheckpointAsync(TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
        => CallAsync(null, "checkpoint", async () => { await grains.GetGrain<ICheckpointGrain>(checkpoint.RunId).WriteAsync(checkpoint).ConfigureAwait(false); return true; }, null, cancellationToken);

    public Task<TrainingCheckpoint?> ReadCheckpointAsync(string runId, CancellationToken cancellationToken)
        => CallAsync(null, "checkpoint", () => grains.GetGrain<ICheckpointGrain>(runId).ReadAsync(), null, cancellationToken);

    private async ValueTask<int> ShardCountAsync(CancellationToken cancellationToken)
        => _shardCount >= 0 ? _shardCount : (await DescribeAsync(cancellationToken).ConfigureAwait(false)).ShardCount;

    private IShardGrain Shard(int shard) => grains.GetGrain<IShardGrain>(ShardKey.Format(dataSet, shard));

    /// <summary>One call with a timeout, retried with doubling delays while the failure is one of the transport or a silo.</summary>
    private async Task<T> CallAsync<T>(int? shard, string what, Func<Task<T>> call, ShardedRunStatistics? statistics, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan delay = options.RetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            Exception failure;
            try
            {
                return await call().WaitAsync(options.CallTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsTransient(exception, cancellationToken))
            {
                failure = exception;
            }

            if (attempt >= options.MaxAttempts)
            {
                throw new ShardUnavailableException(
                    string.Format(CultureInfo.InvariantCulture, "The {0} call of data set '{6}' did not answer in {1} attempt(s) over {2:0.#} s (call timeout {3:0.#} s); last failure: {4}: {5}", what, attempt, clock.Elapsed.TotalSeconds, options.CallTimeout.TotalSeconds, failure.GetType().Name, failure.Message, dataSet),
                    failure)
                {
                    Shard = shard,
                    Attempts = attempt,
                };
            }

            if (statistics is not null)
            {
                lock (statistics)
                {
                    statistics.Retries++;
                }
            }

            options.OnRetry?.Invoke(new ShardRetry(shard, what, attempt, failure, delay));
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromSeconds(Math.Min(MaxDelaySeconds, Math.Max(delay.TotalSeconds * 2, 0.05)));
        }
    }

    /// <summary>Failures of a silo or of the transport are retried; what the shard itself reports (bad data, a missing source, a wrong argument) and a missing grain storage are not.</summary>
    private static bool IsTransient(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return exception is not (ShardNonFiniteException or ShardSourceException or ArgumentException or NotSupportedException) && !IsMissingStorage(exception);
    }

    /// <summary>True when a grain could not be created because its grain storage is not configured (Orleans wraps that error).</summary>
    internal static bool IsMissingStorage(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is global::Orleans.Storage.BadProviderConfigException)
            {
                return true;
            }
        }

        return false;
    }
}
