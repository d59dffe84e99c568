using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>
/// The coordinator of data-parallel training over the shards of a data set (the driver, in Spark's terms): runs the
/// runtime's full-batch minimizers (<see cref="Lbfgs"/>, <see cref="GradientDescent"/>) with every evaluation of the
/// mean loss and gradient fanned out to the shards, and synchronous data-parallel mini-batch training (SGD, momentum,
/// Adam, AdamW: one round of shard calls per step, like PyTorch DDP's all-reduce).
/// </summary>
/// <remarks>
/// <para>
/// Determinism: each shard computes the mean over its rows with the runtime's fixed-order reduction, and the coordinator
/// adds the shards' contributions in shard order, never in order of arrival, so a run gives the same bits on 1, 2 or
/// 5 silos — and the same bits as <see cref="ForLocalShards{TObjective, TSample}"/> over the same partition in one process.
/// </para>
/// <para>
/// Faults: a shard call that fails because its silo died (or timed out) is retried; Orleans reactivates the shard on
/// a surviving silo, which reloads it from its durable source; the round in flight completes with the same answer,
/// so the run ends exactly as an undisturbed one. After every iteration the coordinator writes a
/// <see cref="TrainingCheckpoint"/>. Run the coordinator in a client or a hosted service, not inside a grain (its
/// minimizer waits synchronously for each round).
/// </para>
/// </remarks>
public sealed class ShardedTrainer
{
    private readonly IShardFleet _fleet;
    private readonly ShardedTrainerOptions _options;

    private ShardedTrainer(IShardFleet fleet, ShardedTrainerOptions options)
    {
        options.Validate();
        _fleet = fleet;
        _options = options;
    }

    /// <summary>The data set's name.</summary>
    public string DataSet => _fleet.DataSet;

    /// <summary>The id under which checkpoints are written.</summary>
    public string RunId => _options.RunId ?? DataSet;

    /// <summary>Where the time of the latest run went (rounds, compute, overhead, retries, rows/s per silo).</summary>
    public ShardedRunStatistics Statistics { get; private set; } = new();

    /// <summary>A coordinator over the shard grains of data set <paramref name="dataSet"/> on the cluster behind <paramref name="grains"/>.</summary>
    /// <param name="grains">An <see cref="IClusterClient"/> (or a silo's grain factory, from outside any grain).</param>
    /// <param name="dataSet">The name under which every silo registered the data set (<see cref="SymGradSiloBuilderExtensions.AddShardedDataSet{TObjective, TSample}"/>).</param>
    /// <param name="options">Timeouts, retries, checkpoints; null for the defaults.</param>
    /// <returns>The coordinator.</returns>
    public static ShardedTrainer ForCluster(IGrainFactory grains, string dataSet, ShardedTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        CheckDataSetName(dataSet);
        options ??= new ShardedTrainerOptions();
        return new ShardedTrainer(new ClusterFleet(grains, dataSet, options), options);
    }

    /// <summary>
    /// A coordinator over shards held in this process, evaluated one after another with the code the shard grains run:
    /// the same computation as a cluster run over the same partition, bit for bit (Spark's local mode).
    /// </summary>
    /// <typeparam name="TObjective">The generated objective struct.</typeparam>
    /// <typeparam name="TSample">Its sample struct.</typeparam>
    /// <param name="shards">The shards in order, e.g. from <see cref="ShardSource.Partition{TSample}"/>; none empty.</param>
    /// <param name="objective">The objective; default when omitted.</param>
    /// <param name="options">Checkpoint settings; null for the defaults.</param>
    /// <returns>The coordinator.</returns>
    public static ShardedTrainer ForLocalShards<TObjective, TSample>(IReadOnlyList<ReadOnlyMemory<TSample>> shards, TObjective objective = default, ShardedTrainerOptions? options = null)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new ArgumentException("At least one shard is needed.", nameof(shards));
        }

        var workers = new IShardWorker[shards.Count];
        for (int s = 0; s < workers.Length; s++)
        {
            if (shards[s].IsEmpty)
            {
                throw new ArgumentException("Shard " + s.ToString(CultureInfo.InvariantCulture) + " is empty.", nameof(shards));
            }

            workers[s] = new ShardWorker<TObjective, TSample>("local", s, objective, shards[s]);
        }

        var names = new string[objective.ParameterCount];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = objective.GetParameterName(i);
        }

        return new ShardedTrainer(new LocalFleet("local", workers, names), options ?? new ShardedTrainerOptions());
    }

    /// <summary>Loads every shard (each from its source, on its silo) and tells where they are; training calls it first anyway.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>One entry per shard, in shard order.</returns>
    /// <exception cref="ShardSourceException">A shard's source is missing or failed, or the data set is not registered.</exception>
    public async Task<IReadOnlyList<ShardLocation>> LoadAsync(CancellationToken cancellationToken = default)
    {
        ShardInfo[] infos = await _fleet.LoadAsync(cancellationToken).ConfigureAwait(false);
        var locations = new ShardLocation[infos.Length];
        for (int s = 0; s < infos.Length; s++)
        {
            locations[s] = new ShardLocation(s, infos[s].Rows, infos[s].Silo, infos[s].LoadSeconds);
        }

        return locations;
    }

    /// <summary>Minimises the mean loss over all shards with the runtime's <see cref="Lbfgs"/>; updates <paramref name="parameters"/> in place.</summary>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result.</param>
    /// <param name="options">Memory and stopping rules; null for the defaults. MaxDegreeOfParallelism applies on each silo.</param>
    /// <param name="progress">Told once per evaluation.</param>
    /// <param name="cancellationToken">Checked at every evaluation.</param>
    /// <returns>The runtime's result, as for a single-machine run.</returns>
    /// <exception cref="NonFiniteException">A shard's loss or gradient is NaN/∞; the message names the shard and the row, the inner <see cref="ShardNonFiniteException"/> holds them.</exception>
    /// <exception cref="ShardSourceException">A shard could not be loaded.</exception>
    /// <exception cref="ShardUnavailableException">A shard did not answer after all retries.</exception>
    public async Task<MinimizationResult> MinimizeLbfgsAsync(double[] parameters, LbfgsOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new LbfgsOptions();
        ShardedLoss loss = await PrepareAsync("L-BFGS", options.MaxDegreeOfParallelism, cancellationToken).ConfigureAwait(false);
        MinimizationResult result = await Task.Run(() => Lbfgs.Minimize(loss, parameters, options, progress, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        await FinalCheckpointAsync(result, parameters, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Minimises the mean loss over all shards with the runtime's <see cref="GradientDescent"/> (line search or fixed step).</summary>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result.</param>
    /// <param name="options">Step size and stopping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <param name="cancellationToken">Checked every iteration.</param>
    /// <returns>The runtime's result, as for a single-machine run.</returns>
    public async Task<MinimizationResult> MinimizeGradientDescentAsync(double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new GradientDescentOptions();
        ShardedLoss loss = await PrepareAsync("GradientDescent", options.MaxDegreeOfParallelism, cancellationToken).ConfigureAwait(false);
        MinimizationResult result = await Task.Run(() => GradientDescent.Minimize(loss, parameters, options, progress, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        await FinalCheckpointAsync(result, parameters, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Synchronous data-parallel mini-batch training. An epoch has ⌈N / BatchSize⌉ steps; in step k every shard takes
    /// slice k of its rows (in an order shuffled per epoch from the seed, shard and epoch) and returns their mean gradient;
    /// the coordinator combines them in shard order into the mean over the global batch and applies one optimizer step.
    /// After each epoch the mean loss and gradient over all shards are evaluated for the report and the stopping rules of
    /// <paramref name="options"/> (as <see cref="Trainer"/>), and a checkpoint is written.
    /// </summary>
    /// <param name="parameters">Initial parameters (finite); overwritten with the trained ones.</param>
    /// <param name="options">Optimizer, schedule, clipping, batch size, seed, shuffling and stopping rules (early stopping is not supported).</param>
    /// <param name="progress">Told once per epoch.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>Per-epoch losses and gradient norms and why training stopped.</returns>
    public async Task<DataParallelResult> FitAsync(double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Optimizer is null)
        {
            throw new ArgumentException("TrainingOptions needs an optimizer.", nameof(options));
        }

        if (options.EarlyStopping is not null)
        {
            throw new NotSupportedException("Early stopping (a validation metric evaluated in the coordinator) is not supported by data-parallel training.");
        }

        if (options.MaxEpochs < 1 || options.BatchSize < 1 || options.StallPatience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxEpochs, BatchSize and StallPatience must be at least 1.");
        }

        ShardedLoss loss = await PrepareAsync(options.Optimizer.Name, options.MaxDegreeOfParallelism, cancellationToken).ConfigureAwait(false);
        CheckParameters(loss, parameters);
        return await RunEpochsAsync(parameters, options, progress, loss.Rows, loss.ParameterCount, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest checkpoint of this run id, or null when none was written.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The checkpoint.</returns>
    public Task<TrainingCheckpoint?> ReadCheckpointAsync(CancellationToken cancellationToken = default)
        => _fleet.ReadCheckpointAsync(RunId, cancellationToken);

    internal static void CheckDataSetName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("A data set needs a non-empty name without '/'.", nameof(name));
        }
    }

    /// <summary>One round of shard calls, combined in shard order; a shard's NaN/∞ becomes the runtime's <see cref="NonFiniteException"/>.</summary>
    internal double Round(ShardRequest request, Span<double> gradient, CancellationToken cancellationToken)
    {
        var sum = new double[gradient.Length];
        double loss = RoundAsync(request, sum, cancellationToken).GetAwaiter().GetResult();
        sum.CopyTo(gradient);
        return loss;
    }

    internal void Checkpoint(TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
        => CheckpointAsync(checkpoint, cancellationToken).GetAwaiter().GetResult();

    private async Task<double> RoundAsync(ShardRequest request, double[] gradient, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ShardEvaluation[] answers;
        try
        {
            answers = await _fleet.EvaluateAsync(request, Statistics, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardNonFiniteException exception)
        {
            throw new NonFiniteException(exception.Message, exception);
        }

        double loss = ShardCombiner.Combine(answers, gradient, request.Gradient);
        Statistics.AddRound(clock.Elapsed.TotalSeconds, answers);
        return loss;
    }

    /// <summary>The result's parameters, so that a finished run's checkpoint is its result.</summary>
    private Task FinalCheckpointAsync(MinimizationResult result, double[] parameters, CancellationToken cancellationToken)
        => CheckpointAsync(new TrainingCheckpoint { RunId = RunId, Method = result.Method, Iteration = result.FunctionEvaluations, Loss = result.FinalLoss, Parameters = (double[])parameters.Clone() }, cancellationToken);

    private async Task CheckpointAsync(TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        if (!_options.Checkpoints)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await _fleet.WriteCheckpointAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (ClusterFleet.IsMissingStorage(exception))
        {
            throw new InvalidOperationException(
                "Checkpoints need a grain storage named '" + SymGradSiloOptions.CheckpointStorageName + "' on every silo (AddMemoryGrainStorage(\"" + SymGradSiloOptions.CheckpointStorageName + "\") for development, a durable provider in production), or ShardedTrainerOptions.Checkpoints = false. " + (exception.InnerException ?? exception).Message,
                exception);
        }

        Statistics.AddCheckpoint(clock.Elapsed.TotalSeconds);
    }

    private async Task<ShardedLoss> PrepareAsync(string method, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        DataSetInfo info = await _fleet.DescribeAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        foreach (ShardInfo shard in await _fleet.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows += shard.Rows;
        }

        Statistics = new ShardedRunStatistics();
        return new ShardedLoss(this, method, info.ParameterNames, rows, maxDegreeOfParallelism, cancellationToken);
    }

    private static void CheckParameters(ShardedLoss loss, double[] parameters)
    {
        if (parameters.Length != loss.ParameterCount)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The parameter vector has {0} element(s); the data set's objective has {1}.", parameters.Length, loss.ParameterCount), nameof(parameters));
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            if (!double.IsFinite(parameters[i]))
            {
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The initial value of parameter '{0}' (index {1}) is {2}; every parameter must start finite.", loss.GetParameterName(i), i, parameters[i]), nameof(parameters));
            }
        }
    }

    private async Task<DataParallelResult> RunEpochsAsync(double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress, long rows, int n, CancellationToken cancellationToken)
    {
        OptimizerState state = options.Optimizer.CreateState(n);
        state.LearningRateSchedule = options.LearningRateSchedule;
        state.MaxGradientNorm = options.MaxGradientNorm;
        var clock = Stopwatch.StartNew();
        int dop = options.MaxDegreeOfParallelism;
        var gradient = new double[n];
        var stepGradient = new double[n];
        double loss = await FullAsync(parameters, gradient, dop, 0, cancellationToken).ConfigureAwait(false);
        double initialLoss = loss;
        double norm = Gradients.Norm(gradient);
        double initialNorm = norm;
        bool fullBatch = options.BatchSize >= rows;
        int steps = (int)Math.Min(int.MaxValue, (rows + options.BatchSize - 1) / options.BatchSize);
        var losses = new List<double>();
        var norms = new List<double>();
        var reason = StopReason.MaxIterations;
        int stalledEpochs = 0;

        for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (fullBatch)
            {
                state.Apply(parameters, gradient);
                CheckUpdated(parameters, state.Steps, epoch);
            }
            else
            {
                for (int step = 0; step < steps; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var request = new ShardRequest
                    {
                        Parameters = (double[])parameters.Clone(), Iteration = epoch, MaxDegreeOfParallelism = dop,
                        StepsPerEpoch = steps, Step = step, Seed = options.Seed, Shuffle = options.Shuffle,
                    };
                    await RoundAsync(request, stepGradient, cancellationToken).ConfigureAwait(false);
                    state.Apply(parameters, stepGradient);
                    CheckUpdated(parameters, state.Steps, epoch);
                }
            }

            double previousLoss = loss;
            loss = await FullAsync(parameters, gradient, dop, epoch, cancellationToken).ConfigureAwait(false);
            norm = Gradients.Norm(gradient);
            losses.Add(loss);
            norms.Add(norm);
            await CheckpointAsync(new TrainingCheckpoint { RunId = RunId, Method = options.Optimizer.Name, Iteration = epoch, Steps = state.Steps, Loss = loss, Parameters = (double[])parameters.Clone() }, cancellationToken).ConfigureAwait(false);
            progress?.Report(new EpochReport(epoch, options.MaxEpochs, loss, norm, state.Steps, clock.Elapsed));

            if (options.StopAfterEpoch(initialLoss, initialNorm, previousLoss, loss, norm, ref stalledEpochs) is StopReason stop)
            {
                reason = stop;
                break;
            }
        }

        return new DataParallelResult(options.Optimizer.Name, initialLoss, initialNorm, losses, norms, reason, state.Steps, clock.Elapsed);
    }

    private async Task<double> FullAsync(double[] parameters, double[] gradient, int dop, int epoch, CancellationToken cancellationToken)
    {
        var request = new ShardRequest { Parameters = (double[])parameters.Clone(), Iteration = epoch, MaxDegreeOfParallelism = dop };
        return await RoundAsync(request, gradient, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckUpdated(double[] parameters, long step, int epoch)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!double.IsFinite(parameters[i]))
            {
                throw new NonFiniteException(string.Format(CultureInfo.InvariantCulture, "Parameter {0} became {1} after optimizer step {2} at epoch {3} although the loss and gradient were finite: the optimizer diverged. Lower the learning rate, normalise the inputs, or use Adam.", i, parameters[i], step, epoch));
            }
        }
    }
}
