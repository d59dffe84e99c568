using System;
using System.Globalization;

namespace SymGrad;

/// <summary>
/// The mutable state of an optimizer for one parameter vector (momentum velocity, Adam moments, step
/// count) plus gradient buffers, so that a step allocates nothing. Create it with
/// <see cref="Optimizer.CreateState"/>. <see cref="Trainer"/> uses it internally; use it directly for a
/// hand-written training loop. Not thread-safe.
/// </summary>
/// <remarks>
/// Every step does the same three things, whichever method started it: clip the mean gradient to
/// <see cref="MaxGradientNorm"/>, set <see cref="LearningRateFactor"/> from <see cref="LearningRateSchedule"/>
/// at the current <see cref="Steps"/>, and call <see cref="Update"/>.
/// </remarks>
public abstract class OptimizerState
{
    private readonly double[] _sampleGradient;
    private readonly double[] _batchGradient;
    private LearningRateSchedule _schedule = LearningRateSchedule.Constant;
    private double? _maxGradientNorm;
    private LossTrend _trend;

    /// <summary>Creates state for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">Length of the parameter vector (&gt; 0).</param>
    protected OptimizerState(int parameterCount)
    {
        Guard.CheckAtLeast(parameterCount, 1, nameof(parameterCount));
        ParameterCount = parameterCount;
        _sampleGradient = new double[parameterCount];
        _batchGradient = new double[parameterCount];
    }

    /// <summary>Length of the parameter vector this state was made for.</summary>
    public int ParameterCount { get; }

    /// <summary>Number of updates applied so far.</summary>
    public long Steps { get; private set; }

    /// <summary>The mean gradient used by the most recent step (after clipping).</summary>
    public ReadOnlySpan<double> LastGradient => _batchGradient;

    /// <summary>
    /// Multiplies the optimizer's learning rate step by step; <see cref="LearningRateSchedule.Constant"/> (factor 1) by
    /// default. <see cref="Trainer"/> sets it from <see cref="TrainingOptions.LearningRateSchedule"/>.
    /// </summary>
    public LearningRateSchedule LearningRateSchedule
    {
        get => _schedule;
        set => _schedule = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// When set, a mean gradient whose norm ‖g‖₂ exceeds it is scaled by MaxGradientNorm/‖g‖₂ before the update, so
    /// its norm is exactly MaxGradientNorm (optax's <c>clip_by_global_norm</c>; PyTorch's <c>clip_grad_norm_</c> adds 1e−6
    /// to the norm). Null (default) never clips. <see cref="Trainer"/> sets it from <see cref="TrainingOptions.MaxGradientNorm"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a positive finite number.</exception>
    public double? MaxGradientNorm
    {
        get => _maxGradientNorm;
        set
        {
            if (value is double limit)
            {
                Guard.CheckPositive(limit, nameof(MaxGradientNorm));
            }

            _maxGradientNorm = value;
        }
    }

    /// <summary>
    /// The schedule's factor for the step being taken: <see cref="Update"/> multiplies the optimizer's learning
    /// rate by it (and by nothing else). 1 before the first step.
    /// </summary>
    public double LearningRateFactor { get; private set; } = 1.0;

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
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or not below data.Length (checked before anything is evaluated).</exception>
    public double Step<TObjective, TSample>(TObjective objective, ReadOnlySpan<TSample> data, ReadOnlySpan<int> batchIndices, Span<double> parameters)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        if (batchIndices.IsEmpty)
        {
            throw new ArgumentException("The batch is empty.", nameof(batchIndices));
        }

        CheckIndices(batchIndices, data.Length);
        return StepCore(objective, data, batchIndices, parameters, null);
    }

    /// <summary>
    /// Applies one update with a gradient computed elsewhere (e.g. <see cref="Gradients.MeanValueAndGradient{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>).
    /// </summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradient">The gradient at <paramref name="parameters"/>.</param>
    /// <exception cref="NonFiniteException">A component of <paramref name="gradient"/> is NaN/∞ (named by its index); the parameters and the state are left unchanged.</exception>
    public void Apply(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        Guard.CheckLength(parameters.Length, ParameterCount, nameof(parameters));
        Guard.CheckLength(gradient.Length, ParameterCount, nameof(gradient));
        int bad = Vectors.IndexOfNonFinite(gradient);
        if (bad >= 0)
        {
            throw NonFiniteException.ForAppliedGradient(bad, gradient[bad]);
        }

        gradient.CopyTo(_batchGradient);
        UpdateWithBatchGradient(parameters);
    }

    /// <summary>Forgets all accumulated state (velocity, moments, step count); the schedule and the clipping norm stay.</summary>
    public void Reset()
    {
        Steps = 0;
        LearningRateFactor = 1.0;
        _trend = default;
        Array.Clear(_batchGradient);
        ResetCore();
    }

    /// <summary>
    /// Applies one update p ← p − (step computed from <paramref name="gradient"/>) in place, with the learning rate
    /// multiplied by <see cref="LearningRateFactor"/>.
    /// </summary>
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
        Guard.CheckLength(parameters.Length, ParameterCount, nameof(parameters));
        int count = batchIndices.IsEmpty ? data.Length : batchIndices.Length;
        if (count == 0)
        {
            throw new ArgumentException("The batch is empty.", nameof(data));
        }

        if (objective.ParameterCount != ParameterCount)
        {
            Guard.CheckParameterCount<TObjective, TSample>(objective, ParameterCount);
        }

        Span<double> sum = _batchGradient;
        Span<double> g = _sampleGradient;
        ReadOnlySpan<double> p = parameters;
        sum.Clear();
        double loss = 0.0;
        if (BatchSupport<TObjective, TSample>.IsImplemented)
        {
            loss = BatchSum(objective, data, batchIndices, p, sum);
        }
        else if (batchIndices.IsEmpty)
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

        NonFiniteGuard.ThrowIfNonFinite(objective, data, batchIndices, p, loss, sum, epoch, NonFiniteGuard.Epoch, _trend);
        if (count > 1)
        {
            Vectors.Scale(sum, 1.0 / count);
        }

        double meanLoss = loss / count;
        _trend.Observe(meanLoss);
        UpdateWithBatchGradient(parameters);
        NonFiniteGuard.ThrowIfParameterNonFinite<TObjective, TSample>(objective, parameters, epoch, Steps, NonFiniteGuard.Epoch);
        return meanLoss;
    }

    /// <summary>The mean losses seen so far (steps, and the epochs <see cref="Trainer"/> reports through <see cref="ObserveLoss"/>).</summary>
    internal LossTrend LossTrend => _trend;

    /// <summary>Records a mean loss evaluated outside a step (the trainer's evaluation after each epoch), for the divergence diagnosis.</summary>
    internal void ObserveLoss(double meanLoss) => _trend.Observe(meanLoss);

    /// <summary>O(batch) and allocation-free: every index must address a sample of the data.</summary>
    private static void CheckIndices(ReadOnlySpan<int> batchIndices, int dataLength)
    {
        for (int k = 0; k < batchIndices.Length; k++)
        {
            int index = batchIndices[k];
            if ((uint)index >= (uint)dataLength)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(batchIndices),
                    index,
                    string.Format(CultureInfo.InvariantCulture, "Batch index {0} (at position {1} of batchIndices) is outside the data: {2} samples, indices 0 to {3}.", index, k, dataLength, dataLength - 1));
            }
        }
    }

    /// <summary>
    /// Σ loss and (into <paramref name="sum"/>) Σ gradient of the batch through the objective's batched kernel; a shuffled
    /// batch is first gathered into a pooled buffer so the kernel reads the samples contiguously.
    /// </summary>
    private static double BatchSum<TObjective, TSample>(TObjective objective, ReadOnlySpan<TSample> data, ReadOnlySpan<int> batchIndices, ReadOnlySpan<double> p, Span<double> sum)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        if (batchIndices.IsEmpty)
        {
            return objective.SumValueAndGradient(data, p, sum);
        }

        TSample[] batch = System.Buffers.ArrayPool<TSample>.Shared.Rent(batchIndices.Length);
        try
        {
            for (int i = 0; i < batchIndices.Length; i++)
            {
                batch[i] = data[batchIndices[i]];
            }

            return objective.SumValueAndGradient(batch.AsSpan(0, batchIndices.Length), p, sum);
        }
        finally
        {
            System.Buffers.ArrayPool<TSample>.Shared.Return(batch);
        }
    }

    /// <summary>Clips the mean gradient held in the batch buffer, sets the schedule's factor and updates.</summary>
    private void UpdateWithBatchGradient(Span<double> parameters)
    {
        if (_maxGradientNorm is double limit)
        {
            double norm = Vectors.Norm(_batchGradient);
            if (norm > limit)
            {
                Vectors.Scale(_batchGradient, limit / norm);
            }
        }

        LearningRateFactor = _schedule.GetFactor(Steps);
        Update(parameters, _batchGradient);
        Steps++;
    }
}
