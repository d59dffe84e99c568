using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace SymGrad;

/// <summary>
/// Bookkeeping shared by the full-batch minimizers: checked evaluations of an <see cref="IFullBatchLoss"/>, history,
/// progress, cancellation and the result; and <see cref="Descend{TMethod}"/>, the iteration loop of the descent methods.
/// </summary>
internal sealed class MinimizerRun
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    private readonly IFullBatchLoss _loss;
    private readonly MinimizerOptions _options;
    private readonly IProgress<EpochReport>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<double> _losses = new();
    private readonly List<double> _norms = new();

    private MinimizerRun(string method, IFullBatchLoss loss, int parameterCount, MinimizerOptions options, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        Method = method;
        ParameterCount = parameterCount;
        _loss = loss;
        _options = options;
        _progress = progress;
        _cancellationToken = cancellationToken;
    }

    public string Method { get; }

    public int ParameterCount { get; }

    public int Evaluations { get; private set; }

    public double InitialLoss { get; private set; } = double.NaN;

    public double InitialGradientNorm { get; private set; } = double.NaN;

    /// <summary>A run over an in-memory data set; checks the arguments (messages name the objective's parameters).</summary>
    public static MinimizerRun ForData<TObjective, TSample>(string method, TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, MinimizerOptions options, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateAll();
        int n = Guard.CheckParameterCount<TObjective, TSample>(objective, parameters.Length);
        Guard.CheckData(data.Length, nameof(data));
        Guard.CheckFiniteParameters<TObjective, TSample>(objective, parameters);
        var loss = new DataSetLoss<TObjective, TSample>(objective, data, options.MaxDegreeOfParallelism);
        return new MinimizerRun(method, loss, n, options, progress, cancellationToken);
    }

    /// <summary>A run over a loss evaluated elsewhere; checks the arguments.</summary>
    public static MinimizerRun ForLoss(string method, IFullBatchLoss loss, double[] parameters, MinimizerOptions options, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateAll();
        int n = loss.ParameterCount;
        if (n <= 0)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "The loss has no parameters (ParameterCount = {0}).", n), nameof(loss));
        }

        Guard.CheckLength(parameters.Length, n, nameof(parameters));
        int bad = Vectors.IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The initial value of parameter '{0}' (index {1}) is {2}; every parameter must start finite.", loss.GetParameterName(bad), bad, parameters[bad]),
                nameof(parameters));
        }

        return new MinimizerRun(method, loss, n, options, progress, cancellationToken);
    }

    /// <summary>Mean loss and gradient at an accepted point; throws <see cref="NonFiniteException"/> naming the sample.</summary>
    public double Gradient(ReadOnlySpan<double> parameters, Span<double> gradient, int iteration)
    {
        Evaluations++;
        return _loss.ValueAndGradient(parameters, gradient, iteration);
    }

    /// <summary>Mean loss at a trial point; NaN/∞ are returned (the caller rejects the trial), not thrown.</summary>
    public double TrialValue(ReadOnlySpan<double> parameters)
    {
        Evaluations++;
        return _loss.Value(parameters);
    }

    /// <summary>Counts an evaluation made by the caller (e.g. with the Hessian).</summary>
    public void CountEvaluation() => Evaluations++;

    /// <summary>Records the initial point (iteration 0).</summary>
    public void Start(double loss, double gradientNorm)
    {
        InitialLoss = loss;
        InitialGradientNorm = gradientNorm;
    }

    /// <summary>Records an iteration and reports progress.</summary>
    public void Record(int iteration, double loss, double gradientNorm)
    {
        RecordHistory(loss, gradientNorm);
        Report(iteration, loss, gradientNorm);
    }

    /// <summary>Adds an entry to the loss and gradient-norm histories only (L-BFGS: one per function evaluation).</summary>
    public void RecordHistory(double loss, double gradientNorm)
    {
        _losses.Add(loss);
        _norms.Add(gradientNorm);
    }

    /// <summary>Reports progress for a completed iteration, counted as <see cref="MinimizerOptions.MaxIterations"/> counts them.</summary>
    public void Report(int iteration, double loss, double gradientNorm)
        => _progress?.Report(new EpochReport(iteration, _options.MaxIterations, loss, gradientNorm, iteration, _clock.Elapsed));

    public void ThrowIfCancelled() => _cancellationToken.ThrowIfCancellationRequested();

    /// <summary>
    /// The loop of a descent method: from the evaluated start, repeatedly asks <paramref name="method"/> for an
    /// acceptable step, takes it and re-evaluates, until a stopping rule holds. Ends the progress display
    /// whether it returns or throws.
    /// </summary>
    public MinimizationResult Descend<TMethod>(TMethod method, double[] parameters)
        where TMethod : IDescentMethod
    {
        try
        {
            var step = new double[ParameterCount];
            double loss = method.Evaluate(parameters, 0);
            double norm = Vectors.Norm(method.Gradient);
            Start(loss, norm);
            int iteration = 0;
            StopReason reason = StopReason.MaxIterations;
            while (true)
            {
                if (norm <= _options.GradientTolerance)
                {
                    reason = StopReason.GradientTolerance;
                    break;
                }

                if (iteration == _options.MaxIterations)
                {
                    break;
                }

                ThrowIfCancelled();
                if (!method.TryStep(parameters, loss, step, out double predictedDecrease))
                {
                    reason = BelowRounding(predictedDecrease, loss) ? StopReason.LossTolerance : StopReason.NoProgress;
                    break;
                }

                iteration++;
                for (int i = 0; i < step.Length; i++)
                {
                    parameters[i] += step[i];
                }

                method.Accept();
                loss = method.Evaluate(parameters, iteration);
                norm = Vectors.Norm(method.Gradient);
                Record(iteration, loss, norm);
                if (norm > _options.GradientTolerance && StepIsNegligible(step, parameters, _options.StepTolerance))
                {
                    reason = StopReason.StepTolerance;
                    break;
                }
            }

            return Finish(iteration, reason, loss, norm);
        }
        finally
        {
            ProgressDisplay.End(_progress);
        }
    }

    public MinimizationResult Finish(int iterations, StopReason reason, double loss, double gradientNorm)
    {
        bool stalled = Diagnosis.IsStalled(InitialLoss, InitialGradientNorm, loss, gradientNorm, _options.GradientTolerance, null);
        if (stalled && reason == StopReason.GradientTolerance)
        {
            reason = StopReason.Stalled;
        }

        string? hint = stalled ? Diagnosis.StallHint(InitialLoss, loss, gradientNorm) : Diagnosis.DivergenceHint(InitialLoss, loss);
        if (hint is null && reason == StopReason.NoProgress)
        {
            hint = "No step along the search direction decreased the loss: the gradient may be inconsistent with the loss (run GradientCheck), or the loss is flat to rounding error at this point.";
        }

        return new MinimizationResult(Method, iterations, InitialLoss, InitialGradientNorm, _losses, _norms, reason, _clock.Elapsed, stalled, hint, Evaluations);
    }

    /// <summary>
    /// True when a decrease the local model predicts is too small to show in the loss at all (a few ulps):
    /// no step can then pass a descent test, yet the point is as good as the arithmetic allows.
    /// </summary>
    private static bool BelowRounding(double predictedDecrease, double loss)
        => predictedDecrease <= 4 * MachineEpsilon * Math.Abs(loss);

    private static bool StepIsNegligible(ReadOnlySpan<double> step, ReadOnlySpan<double> parameters, double tolerance)
        => Vectors.Norm(step) <= tolerance * (1.0 + Vectors.Norm(parameters));
}
