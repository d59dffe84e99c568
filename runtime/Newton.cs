using System;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace SymGrad;

/// <summary>
/// Newton's method for small models, safeguarded by Levenberg–Marquardt damping: each iteration solves
/// (H + λI)·d = −g (Cholesky, Math.NET) for the mean Hessian H and gradient g over the data, and accepts
/// p + d when it decreases the mean loss by the Armijo condition (and strictly, so rounding never passes for progress). When H + λI is not positive definite or
/// the step is rejected, λ grows (the step turns toward steepest descent and shrinks); after an accepted
/// step λ shrinks, so near a minimum with positive-definite Hessian the method takes pure Newton steps and
/// converges quadratically. Cost per iteration: one pass computing P² Hessian entries per sample and an
/// O(P³) factorisation, so keep P small (tens to a few hundred).
/// </summary>
public static class Newton
{
    private const double Armijo = 1e-4;

    /// <summary>Minimises the mean loss of <paramref name="objective"/> over <paramref name="data"/>; updates <paramref name="parameters"/> in place.</summary>
    /// <param name="objective">An objective with a generated Hessian (<c>[Differentiable(Hessian = true)]</c>).</param>
    /// <param name="data">The samples (not empty).</param>
    /// <param name="parameters">Initial parameters (finite); overwritten with the result.</param>
    /// <param name="options">Stopping and damping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <returns>Iterations, losses, gradient norms, converged flag and stop reason.</returns>
    /// <exception cref="NonFiniteException">The loss, gradient or Hessian at an accepted point is NaN/∞.</exception>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, NewtonOptions? options = null, IProgress<EpochReport>? progress = null)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        options ??= new NewtonOptions();
        var run = new MinimizerRun<TObjective, TSample>("Newton", objective, data, parameters, options, progress);
        int n = run.ParameterCount;
        var gradient = new double[n];
        var hessian = new double[n * n];
        var step = new double[n];
        var trial = new double[n];

        double loss = Evaluate(objective, data, parameters, gradient, hessian, options, run, 0);
        double norm = Vectors.Norm(gradient);
        run.Start(loss, norm);

        double lambda = options.InitialDamping;
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
            double scale = DiagonalScale(hessian, n);
            bool accepted = false;
            double predicted = double.NaN;
            for (int attempt = 0; attempt <= options.MaxDampingIncreases; attempt++)
            {
                if (TrySolve(hessian, gradient, lambda, n, step))
                {
                    double slope = Vectors.Dot(gradient, step);
                    if (double.IsNaN(predicted))
                    {
                        predicted = -slope;
                    }

                    if (slope < 0.0)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            trial[i] = parameters[i] + step[i];
                        }

                        double trialLoss = run.TrialValue(trial);
                        if (trialLoss < loss && trialLoss <= loss + Armijo * slope)
                        {
                            accepted = true;
                            break;
                        }
                    }
                }

                lambda = lambda == 0.0 ? 1e-8 * scale : lambda * options.DampingFactor;
            }

            if (!accepted)
            {
                reason = MinimizerRun<TObjective, TSample>.BelowRounding(predicted, loss) ? StopReason.LossTolerance : StopReason.NoProgress;
                break;
            }

            iteration++;
            Array.Copy(trial, parameters, n);
            lambda /= options.DampingFactor;
            if (lambda < 1e-10 * scale)
            {
                lambda = 0.0;
            }

            loss = Evaluate(objective, data, parameters, gradient, hessian, options, run, iteration);
            norm = Vectors.Norm(gradient);
            run.Record(iteration, loss, norm);
            if (norm > options.GradientTolerance && MinimizerRun<TObjective, TSample>.StepIsNegligible(step, parameters, options.StepTolerance))
            {
                reason = StopReason.StepTolerance;
                break;
            }
        }

        return run.Finish(iteration, reason, loss, norm);
    }

    /// <inheritdoc cref="Minimize{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], NewtonOptions?, IProgress{EpochReport}?)"/>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, TSample[] data, double[] parameters, NewtonOptions? options = null, IProgress<EpochReport>? progress = null)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(data);
        return Minimize(objective, new ReadOnlyMemory<TSample>(data), parameters, options, progress);
    }

    /// <summary>Minimises a function of the parameters alone (an objective over <see cref="NoData"/>).</summary>
    /// <param name="objective">An objective with a generated Hessian.</param>
    /// <param name="parameters">Initial parameters; overwritten with the result.</param>
    /// <param name="options">Stopping and damping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <returns>Iterations, values, gradient norms, converged flag and stop reason.</returns>
    public static MinimizationResult Minimize<TObjective>(TObjective objective, double[] parameters, NewtonOptions? options = null, IProgress<EpochReport>? progress = null)
        where TObjective : struct, ITwiceDifferentiableObjective<NoData>
        => Minimize(objective, new ReadOnlyMemory<NoData>(NoDataSample.Array), parameters, options, progress);

    private static double Evaluate<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, double[] gradient, double[] hessian, NewtonOptions options, MinimizerRun<TObjective, TSample> run, int iteration)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        run.CountEvaluation();
        double loss = Gradients.BatchHessian(objective, data, parameters, gradient, hessian, options.MaxDegreeOfParallelism);
        if (!double.IsFinite(loss) || Vectors.IndexOfNonFinite(gradient) >= 0 || Vectors.IndexOfNonFinite(hessian) >= 0)
        {
            throw NonFiniteGuard.LocateWithHessian(objective, data.Span, parameters, loss, gradient, hessian, iteration, NonFiniteGuard.Iteration);
        }

        return loss;
    }

    /// <summary>max(1, max |H_ii|): the scale against which λ is chosen.</summary>
    private static double DiagonalScale(double[] hessian, int n)
    {
        double scale = 1.0;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, Math.Abs(hessian[i * n + i]));
        }

        return scale;
    }

    /// <summary>Solves (H + λI)·d = −g by Cholesky; false when H + λI is not (numerically) positive definite.</summary>
    private static bool TrySolve(double[] hessian, double[] gradient, double lambda, int n, double[] step)
    {
        // Row-major symmetric H; Math.NET's column-major storage of H is its transpose, which is H.
        var system = DenseMatrix.OfColumnMajor(n, n, hessian);
        for (int i = 0; i < n; i++)
        {
            system[i, i] += lambda;
        }

        Vector<double> direction;
        try
        {
            direction = system.Cholesky().Solve(DenseVector.OfArray(gradient));
        }
        catch (ArgumentException)
        {
            return false;
        }

        for (int i = 0; i < n; i++)
        {
            double d = -direction[i];
            if (!double.IsFinite(d))
            {
                return false;
            }

            step[i] = d;
        }

        return true;
    }
}

/// <summary>The one-element data set used by the overloads for objectives without data.</summary>
internal static class NoDataSample
{
    public static readonly NoData[] Array = new NoData[1];
}
