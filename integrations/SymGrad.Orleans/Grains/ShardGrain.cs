using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace SymGrad.Orleans;

/// <summary>
/// Holds one shard in memory, loaded from the data set's durable source on first use — on whichever silo the shard
/// grain (re)activates — and computes on the thread pool, off the grain's scheduler.
/// </summary>
[ShardPlacement]
internal sealed class ShardGrain(IServiceProvider services, IOptions<SymGradSiloOptions> options, ILocalSiloDetails silo) : Grain, IShardGrain
{
    private IShardWorker? _worker;

    private string SiloName => silo.SiloAddress.ToString();

    public async Task<ShardInfo> LoadAsync()
    {
        var clock = Stopwatch.StartNew();
        bool loaded = _worker is not null;
        IShardWorker worker = await EnsureLoadedAsync().ConfigureAwait(true);
        return new ShardInfo { Rows = worker.Rows, Silo = SiloName, LoadSeconds = loaded ? 0.0 : clock.Elapsed.TotalSeconds };
    }

    public async Task<ShardEvaluation> EvaluateAsync(ShardRequest request)
    {
        IShardWorker worker = await EnsureLoadedAsync().ConfigureAwait(true);
        string name = SiloName;
        return await Task.Run(() => worker.Evaluate(request, name)).ConfigureAwait(true);
    }

    private async Task<IShardWorker> EnsureLoadedAsync()
    {
        if (_worker is not null)
        {
            return _worker;
        }

        var (dataSetName, shard) = ShardKey.Parse(this.GetPrimaryKeyString());
        IShardedDataSet dataSet = services.GetKeyedService<IShardedDataSet>(dataSetName)
            ?? throw new ShardSourceException(string.Format(CultureInfo.InvariantCulture, "Data set '{0}' is not registered on silo {1}: call AddShardedDataSet(\"{0}\", …) on every silo's ISiloBuilder.", dataSetName, SiloName)) { DataSet = dataSetName, Shard = shard };
        if (shard >= dataSet.ShardCount)
        {
            throw new ShardSourceException(string.Format(CultureInfo.InvariantCulture, "Data set '{0}' has {1} shard(s); shard {2} does not exist.", dataSetName, dataSet.ShardCount, shard)) { DataSet = dataSetName, Shard = shard };
        }

        TimeSpan timeout = options.Value.LoadTimeout;
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            _worker = await Task.Run(() => dataSet.LoadAsync(shard, cancel.Token), cancel.Token).WaitAsync(timeout).ConfigureAwait(true);
        }
        catch (Exception exception) when (exception is not ShardSourceException)
        {
            string why = exception is TimeoutException or OperationCanceledException
                ? "loading took longer than the silo's LoadTimeout of " + timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
                : exception.GetType().Name + ": " + exception.Message;
            throw new ShardSourceException(string.Format(CultureInfo.InvariantCulture, "Shard {0} of data set '{1}' could not be loaded from {2} on silo {3}: {4}", shard, dataSetName, dataSet.Describe(shard), SiloName, why)) { DataSet = dataSetName, Shard = shard };
        }

        return _worker;
    }
}
