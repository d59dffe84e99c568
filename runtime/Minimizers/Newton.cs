using System;
using System.Threading;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace SymGrad;

/// <summary>
/// Newton's method for small models, safeguarded by Levenberg–Marquardt damping: each iteration solves
/// (H + λD)·d = −g (Cholesky, Math.NET), D = diag(|H_ii|) (Marquardt's scaling, so that λ means the same for a parameter
/// near 1e3 as for one near 1e−4) for the mean Hessian H and gradient g over the data, and accepts
/// p + d when it decreases the mean loss by the Armijo condition (and strictly, so rounding never passes for progress). When H + λD is not positive definite or
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
    /// <param name="cancellationToken">Checked every iteration; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Iterations, losses, gradient norms, converged flag and stop reason.</returns>
    /// <exception cref="NonFiniteException">The loss, gradient or Hessian at an accepted point is NaN/∞.</exception>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, NewtonOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        options ??= new NewtonOptions();
        var run = MinimizerRun.ForData("Newton", objective, data, parameters, options, progress, cancellationToken);
        return run.Descend(new DampedNewton<TObjective, TSample>(run, objective, data, options), parameters);
    }

    /// <inheritdoc cref="Minimize{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, double[], NewtonOptions?, IProgress{EpochReport}?, CancellationToken)"/>
    public static MinimizationResult Minimize<TObjective, TSample>(TObjective objective, TSample[] data, double[] parameters, NewtonOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
        => Minimize(objective, DataSet.Of(data), parameters, options, progress, cancellationToken);

    /// <summary>Minimises a function of the parameters alone (an objective over <see cref="NoData"/>).</summary>
    /// <param name="objective">An objective with a generated Hessian.</param>
    /// <param name="parameters">Initial parameters; overwritten with the result.</param>
    /// <param name="options">Stopping and damping rules; null for the defaults.</param>
    /// <param name="progress">Told once per iteration.</param>
    /// <param name="cancellationToken">Checked every iteration.</param>
    /// <returns>Iterations, values, gradient norms, converged flag and stop reason.</returns>
    public static MinimizationResult Minimize<TObjective>(TObjective objective, double[] parameters, NewtonOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        where TObjective : struct, ITwiceDifferentiableObjective<NoData>
        => Minimize(objective, DataSet.None, parameters, options, progress, cancellationToken);

    /// <summary>The damped Newton step: solve (H + λD)d = −g, grow λ until the step passes the Armijo test.</summary>
    private sealed class DampedNewton<TObjective, TSample>(MinimizerRun run, TObjective objective, ReadOnlyMemory<TSample> data, NewtonOptions options) : IDescentMethod
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        private readonly double[] _gradient = new double[run.ParameterCount];
        private readonly double[] _hessian = new double[run.ParameterCount * run.ParameterCount];
        private readonly double[] _trial = new double[run.ParameterCount];
        private readonly double[] _damping = new double[run.ParameterCount];
        private double _lambda = options.InitialDamping;

        public ReadOnlySpan<double> Gradient => _gradient;

        public double Evaluate(double[] parameters, int iteration)
        {
            run.CountEvaluation();
            double loss = Gradients.MeanValueGradientAndHessian(objective, data, parameters, _gradient, _hessian, options.MaxDegreeOfParallelism);
            if (!double.IsFinite(loss) || Vectors.IndexOfNonFinite(_gradient) >= 0 || Vectors.IndexOfNonFinite(_hessian) >= 0)
            {
                throw NonFiniteGuard.LocateWithHessian(objective, data.Span, parameters, loss, _gradient, _hessian, iteration, NonFiniteGuard.Iteration);
            }

            DampingScale(_hessian, _damping);
            return loss;
        }

        public bool TryStep(double[] parameters, double loss, double[] step, out double predictedDecrease)
        {
            int n = _gradient.Length;
            predictedDecrease = double.NaN;
            for (int attempt = 0; attempt <= options.MaxDampingIncreases; attempt++)
            {
                if (TrySolve(_hessian, _gradient, _lambda, _damping, step))
                {
                    double slope = Vectors.Dot(_gradient, step);
                    if (double.IsNaN(predictedDecrease))
                    {
                        predictedDecrease = -slope;
                    }

                    if (slope < 0.0)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            _trial[i] = parameters[i] + step[i];
                        }

                        double trialLoss = run.TrialValue(_trial);
                        if (trialLoss < loss && trialLoss <= loss + Armijo * slope)
                        {
                            return true;
                        }
                    }
                }

                _lambda = _lambda == 0.0 ? 1e-8 : _lambda * options.DampingFactor;
            }

            return false;
        }

        public void Accept()
        {
            _lambda /= options.DampingFactor;
            if (_lambda < 1e-10)
            {
                _lambda = 0.0;
            }
        }
    }

    /// <summary>
    /// D = diag(|H_ii|), each entry at least 1e−12 of the largest (and of 1): Marquardt's scaling of the damping, so that
    /// a parameter of scale 1e−4 (curvature 1e8) and one of scale 1e3 (curvature 1e−6) are damped alike. A flat direction
    /// (H_ii = 0) still gets a positive entry, so H + λD is positive definite for λ large enough.
    /// </summary>
    private static void DampingScale(double[] hessian, double[] damping)
    {
        int n = damping.Length;
        double largest = 1.0;
        for (int i = 0; i < n; i++)
        {
            largest = Math.Max(largest, Math.Abs(hessian[i * n + i]));
        }

        for (int i = 0; i < n; i++)
        {
            damping[i] = Math.Max(Math.Abs(hessian[i * n + i]), 1e-12 * largest);
        }
    }

    /// <summary>Solves (H + λD)·d = −g by Cholesky; false when H + λD is not (numerically) positive definite.</summary>
    private static bool TrySolve(double[] hessian, double[] gradient, double lambda, double[] damping, double[] step)
    {
        // Row-major symmetric H; Math.NET's column-major storage of H is its transpose, which is H.
        int n = damping.Length;
        var system = DenseMatrix.OfColumnMajor(n, n, hessian);
        for (int i = 0; i < n; i++)
        {
            system[i, i] += lambda * damping[i];
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
