using System;
using System.Diagnostics;
using System.Threading;

namespace SymGrad.Orleans;

/// <summary>
/// The mean loss over all shards as the runtime's minimizers see it (<see cref="IFullBatchLoss"/>): every evaluation is
/// one round of shard calls, combined in shard order; each better point is checkpointed.
/// </summary>
internal sealed class ShardedLoss(ShardedTrainer trainer, string method, string[] names, long rows, int maxDegreeOfParallelism, CancellationToken cancellationToken) : IFullBatchLoss
{
    private double _best = double.PositiveInfinity;
    private int _evaluations;

    /// <summary>Rows over all shards.</summary>
    public long Rows => rows;

    public int ParameterCount => names.Length;

    public string GetParameterName(int index) => names[index];

    public double ValueAndGradient(ReadOnlySpan<double> parameters, Span<double> gradient, int iteration)
    {
        double[] point = parameters.ToArray();
        var request = new ShardRequest { Parameters = point, Gradient = true, Iteration = iteration, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        double loss = trainer.Round(request, gradient, cancellationToken);
        _evaluations++;
        if (loss < _best)
        {
            _best = loss;
            trainer.Checkpoint(new TrainingCheckpoint { RunId = trainer.RunId, Method = method, Iteration = _evaluations, Loss = loss, Parameters = point }, cancellationToken);
        }

        return loss;
    }

    public double Value(ReadOnlySpan<double> parameters)
    {
        var request = new ShardRequest { Parameters = parameters.ToArray(), Gradient = false, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        _evaluations++;
        return trainer.Round(request, Span<double>.Empty, cancellationToken);
    }
}
