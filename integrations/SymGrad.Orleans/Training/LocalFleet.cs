using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>Shards held in this process and evaluated one after another with the same worker code the shard grains run.</summary>
internal sealed class LocalFleet(string dataSet, IShardWorker[] workers, string[] parameterNames) : IShardFleet
{
    private const string Silo = "local";
    private readonly Dictionary<string, TrainingCheckpoint> _checkpoints = new();

    public string DataSet => dataSet;

    public Task<DataSetInfo> DescribeAsync(CancellationToken cancellationToken)
        => Task.FromResult(new DataSetInfo { ShardCount = workers.Length, ParameterNames = parameterNames });

    public Task<ShardInfo[]> LoadAsync(CancellationToken cancellationToken)
    {
        var infos = new ShardInfo[workers.Length];
        for (int s = 0; s < workers.Length; s++)
        {
            infos[s] = new ShardInfo { Rows = workers[s].Rows, Silo = Silo };
        }

        return Task.FromResult(infos);
    }

    public Task<ShardEvaluation[]> EvaluateAsync(ShardRequest request, ShardedRunStatistics statistics, CancellationToken cancellationToken)
    {
        var answers = new ShardEvaluation[workers.Length];
        for (int s = 0; s < workers.Length; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            answers[s] = workers[s].Evaluate(request, Silo);
        }

        return Task.FromResult(answers);
    }

    public Task WriteCheckpointAsync(TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        lock (_checkpoints)
        {
            _checkpoints[checkpoint.RunId] = checkpoint;
        }

        return Task.CompletedTask;
    }

    public Task<TrainingCheckpoint?> ReadCheckpointAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_checkpoints)
        {
            return Task.FromResult(_checkpoints.TryGetValue(runId, out var checkpoint) ? checkpoint : null);
        }
    }
}
