using System;
using System.Threading;

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
    private const string Name = "GradientDescent";

    /// <summary>Minimises the mean loss of <paramref name="objective"/> over <paramref name="data"/>; updates <paramref name="parameters"/> in place.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="data">The samples (not empty).</param>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result.</param>
    /// <param name="options">Step size and stopping rules; null for the defaults (line search, 10 000 iterations).</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <param name="cancellationToken">Checked every iteration; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Iterations, losses, gradient norms, converged flag and stop reason.</returns>
    /// <exception cref="NonFiniteException">The loss or gradient at an accepted point is NaN/∞ (with a fixed step: the iteration diverged).</exception>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        options ??= new GradientDescentOptions();
        var run = MinimizerRun.ForData(Name, objective, data, parameters, options, progress, cancellationToken);
        return run.Descend(new SteepestDescent(run, options.LearningRate), parameters);
    }

    /// <summary>
    /// Minimises a mean loss evaluated elsewhere (e.g. summed over the shards of a cluster); the same iterations as the
    /// overloads over in-memory data, which wrap their data set in an <see cref="IFullBatchLoss"/> of their own.
    /// </summary>
    /// <param name="loss">The mean loss and its gradient as a function of the parameters.</param>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result.</param>
    /// <param name="options">Step size and stopping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <param name="cancellationToken">Checked every iteration.</param>
    /// <returns>Iterations, losses, gradient norms, converged flag and stop reason.</returns>
    public static MinimizationResult Minimize(IFullBatchLoss loss, double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new GradientDescentOptions();
        var run = MinimizerRun.ForLoss(Name, loss, parameters, options, progress, cancellationToken);
        return run.Descend(new SteepestDescent(run, options.LearningRate), parameters);
    }

    /// <inheritdoc cref="Minimize{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], GradientDescentOptions?, IProgress{EpochReport}?, CancellationToken)"/>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, TSample[] data, double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => Minimize(objective, DataSet.Of(data), parameters, options, progress, cancellationToken);

    /// <summary>Minimises a function of the parameters alone (an objective over <see cref="NoData"/>).</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="parameters">Initial parameters; overwritten with the result.</param>
    /// <param name="options">Step size and stopping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <param name="cancellationToken">Checked every iteration.</param>
    /// <returns>Iterations, values, gradient norms, converged flag and stop reason.</returns>
    public static MinimizationResult Minimize<TObjective>(TObjective objective, double[] parameters, GradientDescentOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<NoData>
        => Minimize(objective, DataSet.None, parameters, options, progress, cancellationToken);

    /// <summary>p ← p − η·g with a fixed η, or with η from a backtracking line search that starts at twice the last accepted η.</summary>
    private sealed class SteepestDescent(MinimizerRun run, double? learningRate) : IDescentMethod
    {
        private readonly double[] _gradient = new double[run.ParameterCount];
        private readonly double[] _trial = new double[run.ParameterCount];
        private double _eta = learningRate ?? 1.0;

        public ReadOnlySpan<double> Gradient => _gradient;

        public double Evaluate(double[] parameters, int iteration) => run.Gradient(parameters, _gradient, iteration);

        public bool TryStep(double[] parameters, double loss, double[] step, out double predictedDecrease)
        {
            double norm = Vectors.Norm(_gradient);
            predictedDecrease = double.NaN;
            if (learningRate is null && !LineSearch(parameters, loss, norm))
            {
                // η has been halved MaxHalvings times; the first trial predicted a decrease of η₀·‖g‖².
                predictedDecrease = _eta * Math.Pow(2, MaxHalvings) * norm * norm;
                return false;
            }

            for (int i = 0; i < step.Length; i++)
            {
                step[i] = -_eta * _gradient[i];
            }

            return true;
        }

        public void Accept()
        {
            if (learningRate is null)
            {
                _eta *= 2.0;
            }
        }

        /// <summary>Halves η from its current value until loss(p − ηg) ≤ loss − c·η·‖g‖² (and strictly below loss); false if that never happens.</summary>
        private bool LineSearch(double[] parameters, double loss, double norm)
        {
            double decrease = Armijo * norm * norm;
            for (int halving = 0; halving < MaxHalvings; halving++)
            {
                for (int i = 0; i < _trial.Length; i++)
                {
                    _trial[i] = parameters[i] - _eta * _gradient[i];
                }

                double trialLoss = run.TrialValue(_trial);
                if (trialLoss < loss && trialLoss <= loss - _eta * decrease)
                {
                    return true;
                }

                _eta *= 0.5;
            }

            return false;
        }
    }
}
