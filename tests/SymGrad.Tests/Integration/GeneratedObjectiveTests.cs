using System;
using System.Linq;
using SymGrad.Tests.Models;
using Xunit;

namespace SymGrad.Tests.Integration;

/// <summary>Generated objectives driven by the runtime, as a user would: fit, check, Newton.</summary>
public static partial class Objectives
{
    [Differentiable]
    public static double Squared(double x, double y, [Wrt] double a, [Wrt] double b)
    {
        double r = a * x + b - y;
        return r * r;
    }

    // Seed 001: one sigmoid neuron, one data point, ½(t − σ(w·x))².
    [Differentiable(Hessian = true)]
    public static double Neuron(double x, double t, [Wrt] double w)
    {
        double s = SymMath.Sigmoid(w * x);
        return 0.5 * (t - s) * (t - s);
    }
}

public class GeneratedObjectiveTests
{
    [Fact]
    public void Full_batch_training_of_a_generated_objective_reaches_the_least_squares_solution()
    {
        var rng = new Random(7);
        var data = Enumerable.Range(0, 64).Select(_ =>
        {
            double x = rng.NextDouble() * 4 - 2;
            return new Objectives.SquaredSample(x, 1.5 * x - 0.25 + (rng.NextDouble() - 0.5) * 0.1);
        }).ToArray();

        // Closed-form least squares, independent of the generator.
        double n = data.Length, sx = data.Sum(d => d.x), sy = data.Sum(d => d.y);
        double sxx = data.Sum(d => d.x * d.x), sxy = data.Sum(d => d.x * d.y);
        double aStar = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double bStar = (sy - aStar * sx) / n;

        double[] p = { 0, 0 };
        var options = new TrainingOptions(new Adam(0.05)) { MaxEpochs = 3000, BatchSize = data.Length, GradientTolerance = 1e-10 };
        Trainer.Fit(new Objectives.SquaredObjective(), data, p, options);

        Assert.Equal(aStar, p[0], 6);
        Assert.Equal(bStar, p[1], 6);
    }

    [Fact]
    public void Runtime_gradient_check_agrees_with_the_generated_seed_network()
    {
        var rng = new Random(3);
        var objective = new TinyNet.LossObjective();
        Assert.Equal(new[] { "w2", "b2", "w3", "b3" }, Enumerable.Range(0, 4).Select(objective.GetParameterName));
        for (int i = 0; i < 20; i++)
        {
            var sample = new TinyNet.LossSample(rng.NextDouble() * 4 - 2, rng.NextDouble());
            double[] p = Enumerable.Range(0, 4).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
            GradientCheck.Check(objective, sample, p).EnsurePassed();
            GradientCheck.CheckHessian(objective, sample, p).EnsurePassed();
        }
    }

    [Fact]
    public void Newton_on_the_generated_Hessian_converges_to_the_logit_in_a_handful_of_iterations()
    {
        const double x = 2.0, t = 0.8;
        double[] p = { 0.0 };
        var data = new[] { new Objectives.NeuronSample(x, t) };
        var result = Newton.Minimize(new Objectives.NeuronObjective(), data, p);

        double logit = Math.Log(t / (1 - t)); // w·x = logit(t) zeroes the gradient
        Assert.True(result.Converged, result.StopReason.ToString());
        Assert.True(result.Iterations <= 10, $"Newton took {result.Iterations} iterations");
        Assert.Equal(logit / x, p[0], 8);
    }
}

/// <summary>The value an objective reports is the value its gradient is computed with (issue: Value was ∞ where ValueAndGradient was 40).</summary>
public static partial class StableObjectives
{
    [Differentiable]
    public static double Logistic(double x, double y, [Wrt] double w)
    {
        double p = SymMath.Sigmoid(w * x);
        return -(y * Math.Log(p) + (1 - y) * Math.Log(1 - p));
    }

    // A tanh unit written with Math.Tanh: the gradient calls the fused SymMath.Tanh(z, out tanh′), so Value must
    // compute tanh the same way (issue 11: the fused value is no longer Math.Tanh's bits), in a loop as well.
    [Differentiable(Hessian = true)]
    public static double TanhUnit(double x, double y, [Wrt] double w, [Wrt] double b)
    {
        double h = Math.Tanh(w * x + b);
        return (y - h) * (y - h);
    }

    [Differentiable]
    public static double TanhSum([Wrt] ReadOnlySpan<double> w, double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = y[i] - Math.Tanh(w[0] * x[i] + w[1]);
            s += r * r;
        }

        return s;
    }

    [Differentiable]
    public static double LogisticSum([Wrt] ReadOnlySpan<double> w, double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double p = SymMath.Sigmoid(w[0] * x[i]);
            s -= y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p);
        }

        return s;
    }
}

public class StableValueTests
{
    [Fact]
    public void Objective_value_agrees_with_the_gradient_path_at_saturation()
    {
        // z = 40, y = 0: −log(1 − σ(40)) = 40 + log(1 + e⁻⁴⁰) ≈ 40; the naive formula gives log(0) = −∞ → +∞.
        Assert.True(double.IsPositiveInfinity(StableObjectives.Logistic(1, 0, 40)));
        var objective = new StableObjectives.LogisticObjective();
        var sample = new StableObjectives.LogisticSample(1, 0);
        double value = objective.Value(sample, new[] { 40.0 });
        double withGradient = objective.ValueAndGradient(sample, new[] { 40.0 }, new double[1]);
        Assert.Equal(40.0, value, 12);
        Assert.Equal(withGradient, value);
    }

    [Fact]
    public void Tanh_objective_value_is_the_gradient_paths_value_bit_for_bit()
    {
        var rng = new Random(11_0021);
        var unit = new StableObjectives.TanhUnitObjective();
        var sum = new StableObjectives.TanhSumObjective(wLength: 2);
        double[] g = new double[2], h = new double[4];
        for (int i = 0; i < 2000; i++)
        {
            double x = (rng.NextDouble() * 6) - 3, y = (rng.NextDouble() * 2) - 1;
            double[] p = { (rng.NextDouble() * 4) - 2, (rng.NextDouble() * 2) - 1 };
            var sample = new StableObjectives.TanhUnitSample(x, y);
            double value = unit.Value(sample, p);
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(unit.ValueAndGradient(sample, p, g)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(unit.ValueGradientAndHessian(sample, p, g, h)));

            // The value is tanh's within its 2 ulps: close to the method's own Math.Tanh, not necessarily the same bits.
            Assert.Equal(StableObjectives.TanhUnit(x, y, p[0], p[1]), value, 1e-14);

            var many = new StableObjectives.TanhSumSample(new[] { x, -x / 2, x / 3 }, new[] { y, -y, y / 2 });
            Assert.Equal(BitConverter.DoubleToInt64Bits(sum.Value(many, p)), BitConverter.DoubleToInt64Bits(sum.ValueAndGradient(many, p, g)));
        }
    }

    [Fact]
    public void Array_objective_value_agrees_with_the_gradient_path_at_saturation()
    {
        var objective = new StableObjectives.LogisticSumObjective(wLength: 1);
        var sample = new StableObjectives.LogisticSumSample(new[] { 1.0, -1.0 }, new[] { 0.0, 1.0 });
        double value = objective.Value(sample, new[] { 40.0 });
        double withGradient = objective.ValueAndGradient(sample, new[] { 40.0 }, new double[1]);
        Assert.Equal(80.0, value, 10);
        Assert.Equal(withGradient, value);
    }
}
