using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.Optimization;

namespace SymGrad;

/// <summary>
/// Limited-memory BFGS for full-batch problems, delegating to Math.NET Numerics'
/// <c>LimitedMemoryBfgsMinimizer</c> (weak Wolfe line search) through an <c>IObjectiveFunction</c> adapter
/// over the deterministic parallel <see cref="Gradients.MeanValueAndGradient{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>.
/// Needs only gradients (no Hessian).
/// </summary>
public static class Lbfgs
{
    private const string Name = "L-BFGS";

    /// <summary>Minimises the mean loss of <paramref name="objective"/> over <paramref name="data"/>; updates <paramref name="parameters"/> in place.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="data">The samples (not empty).</param>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result (the best point found if Math.NET gives up).</param>
    /// <param name="options">Memory and stopping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration (one line search), numbered as <see cref="MinimizerOptions.MaxIterations"/> counts them; the loss and gradient norm are those of the iteration's accepted point.</param>
    /// <param name="cancellationToken">Checked at every function evaluation; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>
    /// Iterations as counted by Math.NET, one history entry per function evaluation, converged flag and stop reason.
    /// </returns>
    /// <exception cref="NonFiniteException">A loss or gradient evaluated by the line search is NaN/∞.</exception>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, LbfgsOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        options ??= new LbfgsOptions();
        return Run(MinimizerRun.ForData(Name, objective, data, parameters, options, progress, cancellationToken), parameters, options, progress);
    }

    /// <summary>
    /// Minimises a mean loss evaluated elsewhere (e.g. summed over the shards of a cluster); the same iterations as the
    /// overloads over in-memory data, which wrap their data set in an <see cref="IFullBatchLoss"/> of their own. Any
    /// exception thrown by <paramref name="loss"/> reaches the caller unchanged.
    /// </summary>
    /// <param name="loss">The mean loss and its gradient as a function of the parameters.</param>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result.</param>
    /// <param name="options">Memory and stopping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration, numbered as <see cref="MinimizerOptions.MaxIterations"/> counts them.</param>
    /// <param name="cancellationToken">Checked at every function evaluation.</param>
    /// <returns>Iterations as counted by Math.NET, one history entry per function evaluation, converged flag and stop reason.</returns>
    public static MinimizationResult Minimize(IFullBatchLoss loss, double[] parameters, LbfgsOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new LbfgsOptions();
        return Run(MinimizerRun.ForLoss(Name, loss, parameters, options, progress, cancellationToken), parameters, options, progress);
    }

    private static MinimizationResult Run(MinimizerRun run, double[] parameters, LbfgsOptions options, IProgress<EpochReport>? progress)
    {
        try
        {
            return Iterate(run, parameters, options);
        }
        finally
        {
            ProgressDisplay.End(progress);
        }
    }

    private static MinimizationResult Iterate(MinimizerRun run, double[] parameters, LbfgsOptions options)
    {
        int n = run.ParameterCount;
        var point = new double[n];
        var best = (double[])parameters.Clone();
        double bestLoss = double.PositiveInfinity;
        int evaluation = 0;
        ExceptionDispatchInfo? failure = null;

        (double, Vector<double>) Evaluate(Vector<double> x)
        {
            for (int i = 0; i < n; i++)
            {
                point[i] = x[i];
            }

            var gradient = new double[n];
            double loss;
            try
            {
                run.ThrowIfCancelled();
                loss = run.Gradient(point, gradient, evaluation);
            }
            catch (Exception exception)
            {
                // Math.NET's line search wraps what the function throws in an OptimizationException; keep the original.
                failure = ExceptionDispatchInfo.Capture(exception);
                throw;
            }

            double norm = Vectors.Norm(gradient);
            if (evaluation == 0)
            {
                run.Start(loss, norm);
            }
            else
            {
                run.RecordHistory(loss, norm);
            }

            evaluation++;
            if (loss < bestLoss)
            {
                bestLoss = loss;
                Array.Copy(point, best, n);
            }

            return (loss, DenseVector.OfArray(gradient));
        }

        // Math.NET does not report its iterations, but each one is a line search that starts by asking the point it
        // accepted last for a fresh objective (CreateNew): that call marks the end of an iteration, and the point is its result.
        int lineSearches = 0;
        int reported = 0;
        void LineSearchStarting(IObjectiveFunctionEvaluation accepted)
        {
            if (lineSearches > 0)
            {
                reported = lineSearches;
                run.Report(reported, accepted.Value, accepted.Gradient.L2Norm());
            }

            lineSearches++;
        }

        var minimizer = new LimitedMemoryBfgsMinimizer(options.GradientTolerance, options.StepTolerance, options.FunctionProgressTolerance, options.Memory, options.MaxIterations);
        int iterations;
        StopReason reason;
        ExitCondition exit = ExitCondition.None;
        try
        {
            var objective = new IterationCounter(ObjectiveFunction.Gradient(Evaluate), LineSearchStarting);
            var result = minimizer.FindMinimum(objective, DenseVector.OfArray(parameters));
            for (int i = 0; i < n; i++)
            {
                parameters[i] = result.MinimizingPoint[i];
            }

            // Math.NET 5 counts one more than its line searches when the gradient test ends its loop.
            iterations = Math.Min(Math.Min(result.Iterations, lineSearches), options.MaxIterations);
            exit = result.ReasonForExit;
            reason = StopReason.GradientTolerance;
        }
        catch (MaximumIterationsException)
        {
            Array.Copy(best, parameters, n);
            iterations = options.MaxIterations;
            reason = StopReason.MaxIterations;
        }
        catch (OptimizationException)
        {
            // A failed evaluation (NaN/∞, cancellation, an error of the loss) is the caller's; a failed line search is not.
            failure?.Throw();
            Array.Copy(best, parameters, n);
            iterations = Math.Max(0, lineSearches - 1); // the last line search failed
            reason = StopReason.NoProgress;
        }

        var finalGradient = new double[n];
        double finalLoss = run.Gradient(parameters, finalGradient, evaluation);
        double finalNorm = Vectors.Norm(finalGradient);
        if (iterations > reported)
        {
            run.Report(iterations, finalLoss, finalNorm);
        }

        if (reason == StopReason.GradientTolerance && finalNorm > options.GradientTolerance)
        {
            // Math.NET 5 reports AbsoluteGradient whenever its loop ends, even when it ran out of iterations;
            // decide from the final point which of its tests actually held.
            reason = exit == ExitCondition.LackOfProgress ? StopReason.StepTolerance
                : RelativeGradient(parameters, finalGradient, finalLoss) < options.GradientTolerance ? StopReason.GradientTolerance
                : iterations >= options.MaxIterations ? StopReason.MaxIterations
                : StopReason.NoProgress;
        }

        return run.Finish(iterations, reason, finalLoss, finalNorm);
    }

    /// <summary>
    /// Math.NET's objective function, passed through unchanged (so the iterations are exactly Math.NET's), telling
    /// <paramref name="lineSearchStarting"/> each time a line search starts from an accepted point.
    /// </summary>
    private sealed class IterationCounter(IObjectiveFunction inner, Action<IObjectiveFunctionEvaluation> lineSearchStarting) : IObjectiveFunction
    {
        public Vector<double> Point => inner.Point;

        public double Value => inner.Value;

        public bool IsGradientSupported => inner.IsGradientSupported;

        public Vector<double> Gradient => inner.Gradient;

        public bool IsHessianSupported => inner.IsHessianSupported;

        public Matrix<double> Hessian => inner.Hessian;

        public IObjectiveFunction CreateNew()
        {
            lineSearchStarting(this);
            return new IterationCounter(inner.CreateNew(), lineSearchStarting);
        }

        public IObjectiveFunction Fork() => new IterationCounter(inner.Fork(), lineSearchStarting);

        public void EvaluateAt(Vector<double> point) => inner.EvaluateAt(point);
    }

    /// <summary>Math.NET's convergence measure: maxᵢ |gᵢ|·max(|xᵢ|, 1) / max(|f|, 1).</summary>
    private static double RelativeGradient(double[] x, double[] gradient, double value)
    {
        double worst = 0.0;
        double normalizer = Math.Max(Math.Abs(value), 1.0);
        for (int i = 0; i < x.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(gradient[i]) * Math.Max(Math.Abs(x[i]), 1.0) / normalizer);
        }

        return worst;
    }

    /// <inheritdoc cref="Minimize{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], LbfgsOptions?, IProgress{EpochReport}?, CancellationToken)"/>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, TSample[] data, double[] parameters, LbfgsOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => Minimize(objective, DataSet.Of(data), parameters, options, progress, cancellationToken);

    /// <summary>Minimises a function of the parameters alone (an objective over <see cref="NoData"/>).</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="parameters">Initial parameters; overwritten with the result.</param>
    /// <param name="options">Memory and stopping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration, numbered as <see cref="MinimizerOptions.MaxIterations"/> counts them.</param>
    /// <param name="cancellationToken">Checked at every function evaluation.</param>
    /// <returns>Iterations, values, gradient norms, converged flag and stop reason.</returns>
    public static MinimizationResult Minimize<TObjective>(TObjective objective, double[] parameters, LbfgsOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, IObjective<NoData>
        => Minimize(objective, DataSet.None, parameters, options, progress, cancellationToken);
}
