using System;

namespace SymGrad;

/// <summary>
/// <see cref="IFullBatchLoss"/> over an in-memory data set: the deterministic all-core means of <see cref="Gradients"/>,
/// with a NaN/∞ at an accepted point located to its sample by <see cref="NonFiniteGuard"/>.
/// </summary>
internal sealed class DataSetLoss<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, int maxDegreeOfParallelism) : IFullBatchLoss
    where TObjective : struct, IObjective<TSample>
    where TSample : struct
{
    public TObjective Objective => objective;

    public ReadOnlyMemory<TSample> Data => data;

    public int ParameterCount => objective.ParameterCount;

    public string GetParameterName(int index) => Guard.Name<TObjective, TSample>(objective, index);

    public double ValueAndGradient(ReadOnlySpan<double> parameters, Span<double> gradient, int iteration)
    {
        double loss = Gradients.MeanValueAndGradient(objective, data, parameters, gradient, maxDegreeOfParallelism);
        NonFiniteGuard.ThrowIfNonFinite(objective, data.Span, ReadOnlySpan<int>.Empty, parameters, loss, gradient, iteration, NonFiniteGuard.Iteration);
        return loss;
    }

    public double Value(ReadOnlySpan<double> parameters)
        => Gradients.MeanValue(objective, data, parameters, maxDegreeOfParallelism);
}
