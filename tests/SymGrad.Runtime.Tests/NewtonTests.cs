using System;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class NewtonTests
{
    [Fact]
    public void Newton_solves_a_quadratic_in_one_iteration()
    {
        double[] center = [3.0, -2.0, 0.5];
        var p = new double[3];
        var result = Newton.Minimize(new QuadraticObjective([1.0, 40.0, 1e3], center), p);

        Assert.True(result.Converged, result.ToString());
        Assert.Equal(1, result.Iterations);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(center[i], p[i], 1e-13);
        }
    }

    [Fact]
    public void Newton_solves_least_squares_in_one_iteration_on_data()
    {
        var data = TestData.Regression(500, 0.3);
        var p = new double[3];
        var result = Newton.Minimize(new LinearRegressionObjective(), data, p, new NewtonOptions { GradientTolerance = 1e-12 });

        Assert.True(result.Converged, result.ToString());
        Assert.Equal(1, result.Iterations);
        double[] expected = TestData.LeastSquares(data);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], p[i], 1e-12);
        }
    }

    [Fact]
    public void Newton_needs_a_handful_of_iterations_where_gradient_descent_needs_hundreds()
    {
        var data = TestData.Classification(400);
        var objective = new LogisticObjective();
        var options = new NewtonOptions { GradientTolerance = 1e-9 };

        var pNewton = new double[3];
        var newton = Newton.Minimize(objective, data, pNewton, options);
        var pDescent = new double[3];
        var descent = GradientDescent.Minimize(objective, data, pDescent, new GradientDescentOptions { GradientTolerance = 1e-9 });
        var pLbfgs = new double[3];
        var lbfgs = Lbfgs.Minimize(objective, data, pLbfgs, new LbfgsOptions { GradientTolerance = 1e-9 });

        Assert.True(newton.Converged, newton.ToString());
        Assert.True(descent.Converged, descent.ToString());
        Assert.True(lbfgs.Converged, lbfgs.ToString());
        Assert.InRange(newton.Iterations, 1, 10);
        Assert.True(descent.Iterations > 10 * newton.Iterations, $"Newton {newton.Iterations} vs gradient descent {descent.Iterations}");
        Assert.True(newton.FinalGradientNorm <= 1e-9);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(pNewton[i], pDescent[i], 1e-7);
            Assert.Equal(pNewton[i], pLbfgs[i], 1e-6);
        }

        // Quadratic convergence near the minimum: ‖g_k+1‖ ≤ C·‖g_k‖² (a linear rate would break this as ‖g_k‖ → 0).
        var norms = newton.GradientNormHistory;
        Assert.True(norms.Count >= 3);
        Assert.True(norms[^2] < 1e-3);
        Assert.True(norms[^1] <= 100 * norms[^2] * norms[^2], string.Join(", ", norms));
    }

    [Fact]
    public void Damped_Newton_and_LBFGS_find_the_Rosenbrock_minimum()
    {
        double[] p = [-1.2, 1.0];
        var newton = Newton.Minimize(new RosenbrockObjective(), p, new NewtonOptions { GradientTolerance = 1e-10 });
        Assert.True(newton.Converged, newton.ToString());
        Assert.Equal(1.0, p[0], 1e-9);
        Assert.Equal(1.0, p[1], 1e-9);
        Assert.InRange(newton.Iterations, 5, 60);

        double[] q = [-1.2, 1.0];
        var lbfgs = Lbfgs.Minimize(new RosenbrockObjective(), q, new LbfgsOptions { GradientTolerance = 1e-8, MaxIterations = 500 });
        Assert.True(lbfgs.Converged, lbfgs.ToString());
        Assert.Equal(1.0, q[0], 1e-6);
        Assert.Equal(1.0, q[1], 1e-6);
        Assert.True(lbfgs.FunctionEvaluations >= lbfgs.Iterations);
    }

    [Theory]
    [InlineData(500.0, 1e-4)] // NIST's first start
    [InlineData(250.0, 5e-4)] // and its second
    public void Damping_scaled_by_the_Hessian_diagonal_solves_a_badly_scaled_curve_fit(double b1, double b2)
    {
        // Misra1a: b1 ≈ 239 and b2 ≈ 5.5e−4, so H's diagonal spans 11 orders. Where H is indefinite, damping by λ·I sized
        // to the largest diagonal entry swamps b1's direction and the steps crawl (stopped at the iteration limit, loss
        // 9.75 from the first start); Marquardt's λ·diag(H) is invariant to the scale of each parameter.
        double[] p = [b1, b2];
        var result = Newton.Minimize(new Misra1aObjective(), Misra1aObjective.Data, p, new NewtonOptions { GradientTolerance = 1e-9 });

        Assert.True(result.Converged, result.ToString());
        Assert.Equal(2.3894212918e2, p[0], 2.3894212918e2 * 1e-7);
        Assert.Equal(5.5015643181e-4, p[1], 5.5015643181e-4 * 1e-7);
        Assert.InRange(result.Iterations, 1, 100);
    }

    [Fact]
    public void The_safeguard_steers_away_from_a_saddle_where_plain_Newton_would_go()
    {
        // At x = 0.1 the Hessian is indefinite; the undamped Newton step jumps to x ≈ 0, the saddle.
        double[] p = [0.1, 0.5];
        var result = Newton.Minimize(new DoubleWellObjective(), p, new NewtonOptions { GradientTolerance = 1e-12 });

        Assert.True(result.Converged, result.ToString());
        Assert.Equal(1.0, p[0], 1e-10);
        Assert.Equal(0.0, p[1], 1e-10);
        Assert.Equal(-0.25, result.FinalLoss, 14);
        Assert.All(Pairwise(result.LossHistory), pair => Assert.True(pair.Next <= pair.Previous));
        Assert.True(result.LossHistory[0] < result.InitialLoss);
    }

    [Fact]
    public void Gradient_descent_with_a_fixed_step_reports_like_the_others()
    {
        double[] p = new double[3];
        var progress = new TestData.Recorder<EpochReport>();
        var result = GradientDescent.Minimize(new QuadraticObjective([1.0, 2.0, 4.0], [1.0, 1.0, 1.0]), p, new GradientDescentOptions { LearningRate = 0.2, GradientTolerance = 1e-10 }, progress);

        Assert.True(result.Converged);
        Assert.Equal(result.Iterations, progress.Items.Count);
        Assert.Equal(result.Iterations, result.LossHistory.Count);
        Assert.Equal(result.Iterations + 1, result.FunctionEvaluations);
        Assert.Equal("GradientDescent", result.Method);
        Assert.All(p, x => Assert.Equal(1.0, x, 1e-9));
    }

    [Fact]
    public void Newton_reports_a_NaN_Hessian_with_iteration_and_sample()
    {
        var data = TestData.Regression(10, 0.1);
        data[6] = data[6] with { x1 = double.NaN };
        var error = Assert.Throws<NonFiniteException>(() => Newton.Minimize(new LinearRegressionObjective(), data, new double[3]));
        Assert.Equal(6, error.SampleIndex);
        Assert.Contains("iteration 0", error.Message);
    }

    [Fact]
    public void A_flat_start_is_diagnosed_as_a_stall()
    {
        NeuronSample[] data = [new(62.5, 0.0)];
        var result = GradientDescent.Minimize(new NaiveSigmoidNeuronObjective(), data, new[] { 0.8, 0.0 });
        Assert.Equal(StopReason.Stalled, result.StopReason);
        Assert.True(result.Stalled);
        Assert.Equal(0, result.Iterations);
        Assert.Contains("saturat", result.Hint);
    }

    [Fact]
    public void LBFGS_out_of_iterations_keeps_the_best_point_and_says_so()
    {
        double[] p = [-1.2, 1.0];
        double initial = new RosenbrockObjective().Value(default, p);
        var result = Lbfgs.Minimize(new RosenbrockObjective(), p, new LbfgsOptions { MaxIterations = 3 });

        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.False(result.Converged);
        Assert.True(result.FinalLoss < initial);
        Assert.Equal(result.FinalLoss, new RosenbrockObjective().Value(default, p));
    }

    [Fact]
    public void A_gradient_pointing_uphill_ends_in_no_progress_with_a_hint_to_check_it()
    {
        var newton = Newton.Minimize(new UphillObjective(), new[] { 1.0, 2.0 });
        Assert.Equal(StopReason.NoProgress, newton.StopReason);
        Assert.False(newton.Converged);
        Assert.Contains("GradientCheck", newton.Hint);

        var descent = GradientDescent.Minimize(new UphillObjective(), new[] { 1.0, 2.0 });
        Assert.Equal(StopReason.NoProgress, descent.StopReason);
        Assert.Equal(0, descent.Iterations);
    }

    /// <summary>½‖p‖² with the sign of its gradient flipped — a typical hand-derivation bug.</summary>
    private readonly struct UphillObjective : ITwiceDifferentiableObjective<NoData>
    {
        public int ParameterCount => 2;

        public string GetParameterName(int index) => index == 0 ? "u" : "v";

        public double Value(in NoData sample, ReadOnlySpan<double> p) => 0.5 * (p[0] * p[0] + p[1] * p[1]);

        public double ValueAndGradient(in NoData sample, ReadOnlySpan<double> p, Span<double> g)
        {
            g[0] = -p[0];
            g[1] = -p[1];
            return Value(sample, p);
        }

        public double ValueGradientAndHessian(in NoData sample, ReadOnlySpan<double> p, Span<double> g, Span<double> h)
        {
            h[0] = 1;
            h[1] = 0;
            h[2] = 0;
            h[3] = 1;
            return ValueAndGradient(sample, p, g);
        }
    }

    private static (double Previous, double Next)[] Pairwise(System.Collections.Generic.IReadOnlyList<double> values)
    {
        var pairs = new (double, double)[Math.Max(0, values.Count - 1)];
        for (int i = 1; i < values.Count; i++)
        {
            pairs[i - 1] = (values[i - 1], values[i]);
        }

        return pairs;
    }
}
