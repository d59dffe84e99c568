using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace SymGrad;

/// <summary>
/// Trains a model: minimises the mean loss of an objective over a data set with SGD, momentum, Adam or AdamW,
/// in epochs (passes over the shuffled data), updating the parameter vector in place. Options add a
/// learning-rate schedule, gradient-norm clipping and early stopping on a validation metric.
/// </summary>
/// <remarks>
/// <para>
/// The objective is a generic struct argument (a generated <c>MObjective</c>), so every per-sample call is
/// direct and a training step allocates nothing. After each epoch the mean loss and gradient over the whole
/// data set are evaluated in parallel with a fixed reduction order (<see cref="Gradients.MeanValueAndGradient{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>);
/// they feed the report, the stopping tests and the stall diagnosis. With <see cref="TrainingOptions.BatchSize"/> ≥ the
/// number of samples that evaluation is also the step's gradient, so full-batch descent costs one pass per epoch.
/// </para>
/// <para>
/// Given the same seed, data, options and initial parameters the final parameters are bit-identical on
/// every run and for every degree of parallelism.
/// </para>
/// </remarks>
public static class Trainer
{
    /// <summary>Trains <paramref name="parameters"/> (in place) to minimise the mean loss of <paramref name="objective"/> over <paramref name="data"/>.</summary>
    /// <param name="objective">The objective, e.g. the generated <c>LossObjective</c>.</param>
    /// <param name="data">The training samples (not empty).</param>
    /// <param name="parameters">Initial parameters (finite, length ParameterCount); overwritten with the trained ones.</param>
    /// <param name="options">Optimizer, schedule, clipping, batching, seed, early stopping and stopping rules.</param>
    /// <param name="progress">Told once per epoch, synchronously, on the training thread (e.g. <see cref="ConsoleProgressBar"/>, whose line is ended when training ends).</param>
    /// <param name="cancellationToken">Checked before every step; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Per-epoch losses and gradient norms, why training stopped, and a stall diagnosis.</returns>
    /// <exception cref="ArgumentException">The data set is empty, the parameter vector has the wrong length or a non-finite entry, or an option is out of range.</exception>
    /// <exception cref="NonFiniteException">A loss, gradient or parameter became NaN/∞; the message names epoch, sample and parameter.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TrainingResult Fit<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = Guard.CheckParameterCount<TObjective, TSample>(objective, parameters.Length);
        Guard.CheckData(data.Length, nameof(data));
        Guard.CheckFiniteParameters<TObjective, TSample>(objective, parameters);
        try
        {
            return Train(objective, data, parameters, options, progress, cancellationToken, n);
        }
        finally
        {
            ProgressDisplay.End(progress);
        }
    }

    /// <inheritdoc cref="Fit{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], TrainingOptions, IProgress{EpochReport}?, CancellationToken)"/>
    public static TrainingResult Fit<TObjective, TSample>(TObjective objective, TSample[] data, double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => Fit(objective, DataSet.Of(data), parameters, options, progress, cancellationToken);

    /// <summary>
    /// Minimises a function of the parameters alone (an objective over <see cref="NoData"/>): every epoch is
    /// one step on the exact gradient.
    /// </summary>
    /// <param name="objective">The objective, e.g. the generated <c>RosenbrockObjective</c>.</param>
    /// <param name="parameters">Initial parameters; overwritten with the result.</param>
    /// <param name="options">Optimizer and stopping rules (batching and shuffling do not apply).</param>
    /// <param name="progress">Told once per step.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>Per-step values and gradient norms, why it stopped, and a stall diagnosis.</returns>
    public static TrainingResult Minimize<TObjective>(TObjective objective, double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<NoData>
        => Fit(objective, DataSet.None, parameters, options, progress, cancellationToken);

    private static TrainingResult Train<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress, CancellationToken cancellationToken, int n)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        OptimizerState state = options.Optimizer.CreateState(n);
        state.LearningRateSchedule = options.LearningRateSchedule;
        state.MaxGradientNorm = options.MaxGradientNorm;
        var validation = options.EarlyStopping is { } rule ? new EarlyStoppingMonitor(rule, n) : null;
        var clock = Stopwatch.StartNew();
        int dop = options.MaxDegreeOfParallelism;
        var gradient = new double[n];
        double loss = Evaluate(objective, data, parameters, gradient, dop, 0, default);
        state.ObserveLoss(loss);
        double initialLoss = loss;
        double norm = Vectors.Norm(gradient);
        double initialNorm = norm;

        int count = data.Length;
        bool fullBatch = options.BatchSize >= count;
        int[] order = fullBatch ? [] : CreateOrder(count);
        var rng = new Pcg32(options.Seed);
        var losses = new List<double>();
        var norms = new List<double>();
        var reason = StopReason.MaxIterations;
        int stalledEpochs = 0;
        int epoch = 0;
        while (epoch < options.MaxEpochs)
        {
            epoch++;
            cancellationToken.ThrowIfCancellationRequested();
            if (fullBatch)
            {
                state.Apply(parameters, gradient);
                NonFiniteGuard.ThrowIfParameterNonFinite<TObjective, TSample>(objective, parameters, epoch, state.Steps, NonFiniteGuard.Epoch);
            }
            else
            {
                if (options.Shuffle)
                {
                    rng.Shuffle(order);
                }

                RunEpoch(objective, data.Span, order, parameters, state, options.BatchSize, epoch, cancellationToken);
            }

            double previousLoss = loss;
            loss = Evaluate(objective, data, parameters, gradient, dop, epoch, state.LossTrend);
            state.ObserveLoss(loss);
            norm = Vectors.Norm(gradient);
            losses.Add(loss);
            norms.Add(norm);
            double? metric = validation?.Observe(epoch, parameters);
            progress?.Report(new EpochReport(epoch, options.MaxEpochs, loss, norm, state.Steps, clock.Elapsed) { ValidationMetric = metric });

            if (options.StopAfterEpoch(initialLoss, initialNorm, previousLoss, loss, norm, ref stalledEpochs) is StopReason stop)
            {
                reason = stop;
                break;
            }

            if (validation is { ShouldStop: true })
            {
                reason = StopReason.EarlyStopping;
                break;
            }
        }

        bool restored = validation is not null && validation.Restore(parameters, epoch);
        bool stalled = Diagnosis.IsStalled(initialLoss, initialNorm, loss, norm, options.StallGradientTolerance, options.TargetLoss);
        string? hint = stalled ? Diagnosis.StallHint(initialLoss, loss, norm) : Diagnosis.DivergenceHint(initialLoss, loss);
        return new TrainingResult(options.Optimizer.Name, initialLoss, initialNorm, losses, norms, reason, clock.Elapsed, stalled, hint, state.Steps, validation, restored);
    }

    private static int[] CreateOrder(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        return order;
    }

    /// <summary>The hot loop: one epoch of mini-batch steps. Allocates nothing.</summary>
    private static void RunEpoch<TObjective, TSample>(TObjective objective, ReadOnlySpan<TSample> samples, int[] order, double[] parameters, OptimizerState state, int batchSize, int epoch, CancellationToken cancellationToken)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int count = order.Length;
        for (int start = 0; start < count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new ReadOnlySpan<int>(order, start, Math.Min(batchSize, count - start));
            state.StepCore(objective, samples, batch, parameters, epoch);
        }
    }

    private static double Evaluate<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, double[] gradient, int maxDegreeOfParallelism, int epoch, LossTrend trend)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        double loss = Gradients.MeanValueAndGradient(objective, data, parameters, gradient, maxDegreeOfParallelism);
        NonFiniteGuard.ThrowIfNonFinite(objective, data.Span, ReadOnlySpan<int>.Empty, parameters, loss, gradient, epoch, NonFiniteGuard.Epoch, trend);
        return loss;
    }
}
