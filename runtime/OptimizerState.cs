using System;

namespace SymGrad;

/// <summary>
/// The mutable state of an optimizer for one parameter vector (momentum velocity, Adam moments, step
/// count) plus gradient buffers, so that a step allocates nothing. Create it with
/// <see cref="Optimizer.CreateState"/>. <see cref="Trainer"/> uses it internally; use it directly for a
/// hand-written training loop. Not thread-safe.
/// </summary>
public abstract class OptimizerState
{
    private readonly double[] _sampleGradient;
    private readonly double[] _batchGradient;

    /// <summary>Creates state for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">Length of the parameter vector (&gt; 0).</param>
    protected OptimizerState(int parameterCount)
    {
        Validation.CheckAtLeast(parameterCount, 1, nameof(parameterCount));
        ParameterCount = parameterCount;
        _sampleGradient = new double[parameterCount];
        _batchGradient = new double[parameterCount];
    }

    /// <summary>Length of the parameter vector this state was made for.</summary>
    public int ParameterCount { get; }

    /// <summary>Number of updates applied so far.</summary>
    public long Steps { get; private set; }

    /// <summary>The mean gradient used by the most recent step.</summary>
    public ReadOnlySpan<double> LastGradient => _batchGradient;

    /// <summary>
    /// One optimizer step on a mini-batch: computes the mean loss and mean gradient over
    /// <paramref name="batch"/> (sequentially, in order) and updates <paramref name="parameters"/> in place.
    /// Allocates nothing.
    /// </summary>
    /// <param name="objective">The objective.</param>
    /// <param name="batch">The samples of this step (one sample for per-sample SGD).</param>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <returns>The mean loss over the batch, at the parameters before the update.</returns>
    /// <exception cref="NonFiniteException">A sample's loss or gradient, or an updated parameter, is NaN/∞ (the parameters are left unchanged in the first case).</exception>
    public double Step<TObjective, TSample>(TObjective objective, ReadOnlySpan<TSample> batch, Span<double> parameters)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => StepCore(objective, batch, ReadOnlySpan<int>.Empty, parameters, null);

    /// <summary>
    /// One optimizer step on the mini-batch data[batchIndices[0]], data[batchIndices[1]], …; as
    /// <see cref="Step{TObjective, TSample}(TObjective, ReadOnlySpan{TSample}, Span{double})"/> otherwise.
    /// Error messages name the data index of a failing sample.
    /// </summary>
    /// <param name="objective">The objective.</param>
    /// <param name="data">The whole data set.</param>
    /// <param name="batchIndices">Indices into <paramref name="data"/> of this step's samples.</param>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <returns>The mean loss over the batch, at the parameters before the update.</returns>
    public double Step<TObjective, TSample>(TObjective objective, ReadOnlySpan<TSample> data, ReadOnlySpan<int> batchIndices, Span<double> parameters)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        if (batchIndices.IsEmpty)
        {
            throw new ArgumentException("The batch is empty.", nameof(batchIndices));
        }

        return StepCore(objective, data, batchIndices, parameters, null);
    }

    /// <summary>
    /// Applies one update with a gradient computed elsewhere (e.g. <see cref="Gradients.Batch{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>).
    /// </summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradient">The gradient at <paramref name="parameters"/>.</param>
    public void Apply(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        Validation.CheckLength(parameters.Length, ParameterCount, nameof(parameters));
        Validation.CheckLength(gradient.Length, ParameterCount, nameof(gradient));
        gradient.CopyTo(_batchGradient);
        Update(parameters, gradient);
        Steps++;
    }

    /// <summary>Forgets all accumulated state (velocity, moments, step count).</summary>
    public void Reset()
    {
        Steps = 0;
        Array.Clear(_batchGradient);
        ResetCore();
    }

    /// <summary>Applies one update p ← p − (step computed from <paramref name="gradient"/>) in place.</summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradient">The (mean) gradient at <paramref name="parameters"/>.</param>
    protected abstract void Update(Span<double> parameters, ReadOnlySpan<double> gradient);

    /// <summary>Clears the algorithm's own state.</summary>
    protected abstract void ResetCore();

    /// <summary>The step used by both public overloads and by <see cref="Trainer"/>; <paramref name="epoch"/> only feeds error messages.</summary>
    internal double StepCore<TObjective, TSample>(TObjective objective, ReadOnlySpan<TSample> data, ReadOnlySpan<int> batchIndices, Span<double> parameters, int? epoch)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        Validation.CheckLength(parameters.Length, ParameterCount, nameof(parameters));
        int count = batchIndices.IsEmpty ? data.Length : batchIndices.Length;
        if (count == 0)
        {
            throw new ArgumentException("The batch is empty.", nameof(data));
        }

        if (objective.ParameterCount != ParameterCount)
        {
            Validation.CheckParameterCount<TObjective, TSample>(objective, ParameterCount);
        }

        Span<double> sum = _batchGradient;
        Span<double> g = _sampleGradient;
        ReadOnlySpan<double> p = parameters;
        sum.Clear();
        double loss = 0.0;
        if (batchIndices.IsEmpty)
        {
            for (int i = 0; i < data.Length; i++)
            {
                loss += objective.ValueAndGradient(in data[i], p, g);
                Vectors.Add(sum, g);
            }
        }
        else
        {
            foreach (int index in batchIndices)
            {
                loss += objective.ValueAndGradient(in data[index], p, g);
                Vectors.Add(sum, g);
            }
        }

        NonFiniteGuard.ThrowIfNonFinite(objective, data, batchIndices, p, loss, sum, epoch, NonFiniteGuard.Epoch);
        if (count > 1)
        {
            Vectors.Scale(sum, 1.0 / count);
        }

        Update(parameters, sum);
        Steps++;
        NonFiniteGuard.ThrowIfParameterNonFinite<TObjective, TSample>(objective, parameters, epoch, Steps, NonFiniteGuard.Epoch);
        return loss / count;
    }
}
