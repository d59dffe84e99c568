using System;
using CsCheck;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class GradientCheckTests
{
    private static readonly RegressionSample Sample = new(0.7, -1.2, 0.4);

    [Fact]
    public void A_correct_gradient_passes()
    {
        var result = GradientCheck.Check(new LinearRegressionObjective(), Sample, new[] { 0.3, -0.8, 1.5 });

        Assert.True(result.Passed, result.ToString());
        Assert.True(result.ValueConsistent);
        Assert.True(result.AbsoluteError < 1e-9);
        Assert.StartsWith("Gradient check passed", result.ToString());
        Assert.Same(result, result.EnsurePassed());
    }

    [Fact]
    public void A_wrong_gradient_fails_and_names_the_wrong_component()
    {
        double[] p = [0.3, -0.8, 1.5];
        var result = GradientCheck.Check(new WrongBiasGradientObjective(), Sample, p);

        Assert.False(result.Passed);
        Assert.Equal(2, result.WorstIndex);
        Assert.Equal("b", result.WorstName);
        double residual = 0.3 * 0.7 + 0.8 * 1.2 + 1.5 - 0.4;
        Assert.Equal(2 * residual, result.Analytic, 12);
        Assert.Equal(residual, result.Numeric, 9);
        Assert.Equal(0.5, result.RelativeError, 9);
        Assert.Contains("FAILED", result.ToString());
        Assert.Contains("∂loss/∂b", result.ToString());
        var error = Assert.Throws<InvalidOperationException>(() => result.EnsurePassed());
        Assert.Contains("∂loss/∂b", error.Message);
    }

    [Fact]
    public void The_numeric_gradient_is_accurate_to_Richardson_order()
    {
        // f = Rosenbrock has large third derivatives; plain central differences with h = 1e−3 err by ~1e−4 here.
        double[] p = [-1.2, 1.0];
        var result = GradientCheck.Check(new RosenbrockObjective(), p);
        var exact = new double[2];
        new RosenbrockObjective().ValueAndGradient(default, p, exact);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(exact[0], result.NumericGradient[0], 1e-7);
        Assert.Equal(exact[1], result.NumericGradient[1], 1e-7);
        Assert.All(result.NumericErrorEstimate, e => Assert.True(e < 1e-3));
    }

    [Fact]
    public void A_dataset_check_uses_the_mean_over_the_data()
    {
        var data = TestData.Classification(300);
        Assert.True(GradientCheck.CheckDataset(new LogisticObjective(), data, new[] { 0.4, -0.3, 0.2 }).Passed);
        var regression = TestData.Regression(50, 0.1);
        var failed = GradientCheck.CheckDataset(new WrongBiasGradientObjective(), regression, new[] { 0.4, -0.3, 0.2 });
        Assert.False(failed.Passed);
        Assert.Equal("b", failed.WorstName);
    }

    [Fact]
    public void Correct_gradients_pass_at_random_points()
    {
        Gen.Select(Gen.Double[-3, 3].Array[3], Gen.Double[-2, 2].Array[3])
            .Sample(
                (p, x) =>
                {
                    var sample = new LabeledSample(x[0], x[1], x[2] > 0 ? 1 : 0);
                    var gradient = GradientCheck.Check(new LogisticObjective(), sample, p);
                    var hessian = GradientCheck.CheckHessian(new LogisticObjective(), sample, p);
                    return gradient.Passed && hessian.Passed;
                },
                iter: 200,
                threads: 1);
    }

    [Fact]
    public void A_wrong_gradient_is_caught_at_random_points()
    {
        Gen.Select(Gen.Double[-3, 3].Array[3], Gen.Double[-2, 2].Array[3])
            .Where((p, x) => Math.Abs(p[0] * x[0] + p[1] * x[1] + p[2] - x[2]) > 1e-3)
            .Sample(
                (p, x) =>
                {
                    var result = GradientCheck.Check(new WrongBiasGradientObjective(), new RegressionSample(x[0], x[1], x[2]), p);
                    return !result.Passed && result.WorstName == "b";
                },
                iter: 200,
                threads: 1);
    }

    [Fact]
    public void A_correct_Hessian_passes()
    {
        var result = GradientCheck.CheckHessian(new RosenbrockObjective(), new[] { -1.2, 1.0 });

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(0.0, result.MaxAsymmetry);
        Assert.True(result.GradientConsistent);
        Assert.Equal(1330.0, result.AnalyticHessian[0], 9);
        Assert.Equal(1330.0, result.NumericHessian[0], 1e-5);
    }

    [Fact]
    public void A_wrong_Hessian_entry_is_named()
    {
        var sample = new LabeledSample(0.5, -1.0, 1.0);
        var result = GradientCheck.CheckHessian(new WrongHessianObjective(), sample, new[] { 0.2, 0.1, -0.3 });

        Assert.False(result.Passed);
        Assert.Equal((0, 2), (Math.Min(result.WorstRow, result.WorstColumn), Math.Max(result.WorstRow, result.WorstColumn)));
        Assert.Contains(result.WorstRowName, new[] { "w1", "b" });
        Assert.Contains(result.WorstColumnName, new[] { "w1", "b" });
        Assert.Equal(0.05, result.AbsoluteError, 1e-8);
        Assert.Contains("FAILED", result.ToString());
        Assert.Throws<InvalidOperationException>(() => result.EnsurePassed());
    }

    [Fact]
    public void An_inconsistent_Value_method_fails_the_check()
    {
        var result = GradientCheck.Check(new InconsistentValueObjective(), new[] { 1.0 });
        Assert.False(result.Passed);
        Assert.False(result.ValueConsistent);
        Assert.Contains("Value() returned", result.ToString());
    }

    private readonly struct InconsistentValueObjective : IObjective<NoData>
    {
        public int ParameterCount => 1;

        public string GetParameterName(int index) => "x";

        public double Value(in NoData sample, ReadOnlySpan<double> p) => p[0] * p[0];

        public double ValueAndGradient(in NoData sample, ReadOnlySpan<double> p, Span<double> g)
        {
            g[0] = 2 * p[0];
            return p[0] * p[0] + 1; // disagrees with Value
        }
    }
}
