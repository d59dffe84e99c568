using System;

namespace SymGrad;

/// <summary>
/// Plain full-batch gradient descent, p ← p − η·∇(mean loss), with a fixed η or a backtracking (Armijo)
/// line search. Reports like <see cref="Newton"/> and <see cref="Lbfgs"/>, so their iteration counts can be
/// compared on the same problem.
/// </summary>
public static class GradientDescent
{
    private const double Armijo = 1e-4;
    private const int MaxHalvings = 60;

    /// <summary>Minimises the mean loss of <paramref name="objective"/> over <paramref name="data"/>; updates <paramref name="parameters"/> in place.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="data">The samples (not empty).</param>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result.</param>
    /// <param name="options">Step size and stopping rules; null for the defaults (line search, 10 000 iterations).</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <returns>Iterations, losses, gradient norms, converged flag and stop reason.</returns>
    /// <exception cref="NonFiniteException">The loss or gradient at an accepted point is NaN/∞ (with a fixed step: the iteration diverged).</exception>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        options ??= new GradientDescentOptions();
        var run = new MinimizerRun<TObjective, TSample>("GradientDescent", objective, data, parameters, options, progress);
        int n = run.ParameterCount;
        var gradient = new double[n];
        var trial = new double[n];
        var step = new double[n];
        double loss = run.Gradient(parameters, gradient, 0);
        double norm = Vectors.Norm(gradient);
        run.Start(loss, norm);

        double eta = options.LearningRate ?? 1.0;
        int iteration = 0;
        StopReason reason = StopReason.MaxIterations;
        while (true)
        {
            if (norm <= options.GradientTolerance)
            {
                reason = StopReason.GradientTolerance;
                break;
            }

            if (iteration == options.MaxIterations)
            {
                break;
            }

            run.ThrowIfCancelled();
            if (options.LearningRate is null && !LineSearch(run, parameters, gradient, loss, norm, trial, ref eta))
            {
                // eta has been halved MaxHalvings times; the first trial predicted a decrease of eta₀·‖g‖².
                double predicted = eta * Math.Pow(2, MaxHalvings) * norm * norm;
                reason = MinimizerRun<TObjective, TSample>.BelowRounding(predicted, loss) ? StopReason.LossTolerance : StopReason.NoProgress;
                break;
            }

            for (int i = 0; i < n; i++)
            {
                step[i] = -eta * gradient[i];
                trial[i] = parameters[i] + step[i];
            }

            iteration++;
            Array.Copy(trial, parameters, n);
            loss = run.Gradient(parameters, gradient, iteration);
            norm = Vectors.Norm(gradient);
            run.Record(iteration, loss, norm);
            if (options.LearningRate is null)
            {
                eta *= 2.0;
            }

            if (norm > options.GradientTolerance && MinimizerRun<TObjective, TSample>.StepIsNegligible(step, parameters, options.StepTolerance))
            {
                reason = StopReason.StepTolerance;
                break;
            }
        }

        return run.Finish(iteration, reason, loss, norm);
    }

    /// <inheritdoc cref="Minimize{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], GradientDescentOptions?, IProgress{EpochReport}?)"/>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, TSample[] data, double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(data);
        return Minimize(objective, new ReadOnlyMemory<TSample>(data), parameters, options, progress);
    }

    /// <summary>Minimises a function of the parameters alone (an objective over <see cref="NoData"/>).</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="parameters">Initial parameters; overwritten with the result.</param>
    /// <param name="options">Step size and stopping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <returns>Iterations, values, gradient norms, converged flag and stop reason.</returns>
    public static MinimizationResult Minimize<TObjective>(TObjective objective, double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null)
        where TObjective : struct, IObjective<NoData>
        => Minimize(objective, new ReadOnlyMemory<NoData>(NoDataSample.Array), parameters, options, progress);

    /// <summary>Halves η from its current value until loss(p − ηg) ≤ loss − c·η·‖g‖² (and strictly below loss); false if that never happens.</summary>
    private static bool LineSearch<TObjective, TSample>(MinimizerRun<TObjective, TSample> run, double[] parameters, double[] gradient, double loss, double norm, double[] trial, ref double eta)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        double decrease = Armijo * norm * norm;
        for (int halving = 0; halving < MaxHalvings; halving++)
        {
            for (int i = 0; i < trial.Length; i++)
            {
                trial[i] = parameters[i] - eta * gradient[i];
            }

            double trialLoss = run.TrialValue(trial);
            if (trialLoss < loss && trialLoss <= loss - eta * decrease)
            {
                return true;
            }

            eta *= 0.5;
        }

        return false;
    }
}
