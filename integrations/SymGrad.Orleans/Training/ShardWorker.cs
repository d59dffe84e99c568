using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;

namespace SymGrad.Orleans;

/// <summary>
/// Evaluates an objective over one shard with the runtime's deterministic all-core means
/// (<see cref="Gradients.MeanValueAndGradient{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>,
/// which use the generated batched kernel): the same rows and parameters give the same bits on any silo and any core count.
/// </summary>
internal sealed class ShardWorker<TObjective, TSample>(string dataSet, int shard, TObjective objective, ReadOnlyMemory<TSample> rows) : IShardWorker
    where TObjective : struct, IObjective<TSample>
    where TSample : struct
{
    private int[]? _order;
    private (int Epoch, long Seed, bool Shuffle) _orderKey = (-1, 0, false);

    public int Rows => rows.Length;

    public ShardEvaluation Evaluate(ShardRequest request, string silo)
    {
        int n = objective.ParameterCount;
        if (request.Parameters.Length != n)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "Shard {0} of data set '{1}' got {2} parameter(s); its objective {3} has {4}.", shard, dataSet, request.Parameters.Length, typeof(TObjective).Name, n));
        }

        var clock = Stopwatch.StartNew();
        ShardEvaluation result = request.IsBatch ? EvaluateBatch(request, silo, clock) : EvaluateAll(request, silo, clock);
        return result;
    }

    private ShardEvaluation EvaluateAll(ShardRequest request, string silo, Stopwatch clock)
    {
        if (!request.Gradient)
        {
            double value = Gradients.MeanValue(objective, rows, request.Parameters, request.MaxDegreeOfParallelism);
            return new ShardEvaluation { Loss = value, Rows = rows.Length, ComputeSeconds = clock.Elapsed.TotalSeconds, Silo = silo };
        }

        var gradient = new double[objective.ParameterCount];
        double loss = Gradients.MeanValueAndGradient(objective, rows, request.Parameters, gradient, request.MaxDegreeOfParallelism);
        if (!IsFinite(loss, gradient))
        {
            throw Locate(rows.Span, null, request, loss, gradient);
        }

        return new ShardEvaluation { Loss = loss, Gradient = gradient, Rows = rows.Length, ComputeSeconds = clock.Elapsed.TotalSeconds, Silo = silo };
    }

    private ShardEvaluation EvaluateBatch(ShardRequest request, string silo, Stopwatch clock)
    {
        int epoch = request.Iteration;
        if (_order is null || _orderKey != (epoch, request.Seed, request.Shuffle))
        {
            _order = ShardPermutation.Create(rows.Length, request.Seed, shard, epoch, request.Shuffle);
            _orderKey = (epoch, request.Seed, request.Shuffle);
        }

        var (start, end) = ShardPermutation.Slice(rows.Length, request.Step, request.StepsPerEpoch);
        var gradient = new double[objective.ParameterCount];
        if (end == start)
        {
            return new ShardEvaluation { Gradient = gradient, Silo = silo, ComputeSeconds = clock.Elapsed.TotalSeconds };
        }

        ReadOnlySpan<int> batch = _order.AsSpan(start, end - start);
        TSample[] gathered = ArrayPool<TSample>.Shared.Rent(batch.Length);
        try
        {
            ReadOnlySpan<TSample> all = rows.Span;
            for (int i = 0; i < batch.Length; i++)
            {
                gathered[i] = all[batch[i]];
            }

            var memory = new ReadOnlyMemory<TSample>(gathered, 0, batch.Length);
            double loss = Gradients.MeanValueAndGradient(objective, memory, request.Parameters, gradient, request.MaxDegreeOfParallelism);
            if (!IsFinite(loss, gradient))
            {
                throw Locate(all, batch.ToArray(), request, loss, gradient);
            }

            return new ShardEvaluation { Loss = loss, Gradient = gradient, Rows = batch.Length, ComputeSeconds = clock.Elapsed.TotalSeconds, Silo = silo };
        }
        finally
        {
            ArrayPool<TSample>.Shared.Return(gathered);
        }
    }

    private static bool IsFinite(double loss, double[] gradient)
    {
        if (!double.IsFinite(loss))
        {
            return false;
        }

        foreach (double g in gradient)
        {
            if (!double.IsFinite(g))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The slow path after a non-finite mean: re-evaluates the rows one by one, in order, to name the first bad one.</summary>
    private ShardNonFiniteException Locate(ReadOnlySpan<TSample> all, int[]? batch, ShardRequest request, double loss, double[] meanGradient)
    {
        TObjective f = objective;
        var gradient = new double[f.ParameterCount];
        int count = batch?.Length ?? all.Length;
        for (int k = 0; k < count; k++)
        {
            int row = batch is null ? k : batch[k];
            double value = f.ValueAndGradient(in all[row], request.Parameters, gradient);
            if (!double.IsFinite(value))
            {
                return Create(row, "loss", value, request, "The loss is " + Format(value));
            }

            for (int i = 0; i < gradient.Length; i++)
            {
                if (!double.IsFinite(gradient[i]))
                {
                    string name = f.GetParameterName(i);
                    return Create(row, name, gradient[i], request, "The gradient ∂loss/∂" + name + " is " + Format(gradient[i]));
                }
            }
        }

        int component = Array.FindIndex(meanGradient, g => !double.IsFinite(g));
        string what = double.IsFinite(loss) ? "∂loss/∂" + f.GetParameterName(Math.Max(0, component)) : "loss";
        var error = new ShardNonFiniteException(string.Format(
            CultureInfo.InvariantCulture,
            "The mean {0} over shard {1} of data set '{2}' is not finite at {3} {4}, although every row's value is: the sum overflowed. Scale the loss or the inputs down.",
            what,
            shard,
            dataSet,
            request.IsBatch ? "epoch" : "iteration",
            request.Iteration))
        {
            DataSet = dataSet, Shard = shard, Row = null, Name = what, Value = double.IsFinite(loss) ? meanGradient[Math.Max(0, component)] : loss, Iteration = request.Iteration,
        };
        return error;
    }

    private ShardNonFiniteException Create(int row, string name, double value, ShardRequest request, string what)
    {
        string message = string.Format(
            CultureInfo.InvariantCulture,
            "{0} at {1} {2} in shard {3} of data set '{4}', row {5} of the shard. The parameters going in were finite; look at that row's data (NaN/∞ or extreme inputs) or the model's domain.",
            what,
            request.IsBatch ? "epoch" : "iteration",
            request.Iteration,
            shard,
            dataSet,
            row);
        return new ShardNonFiniteException(message) { DataSet = dataSet, Shard = shard, Row = row, Name = name, Value = value, Iteration = request.Iteration };
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
