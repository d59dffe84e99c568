using System;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>The minimizers over an <see cref="IFullBatchLoss"/> evaluated outside the runtime (the seam SymGrad.Orleans uses).</summary>
public class FullBatchLossTests
{
    [Fact]
    public void Lbfgs_over_an_outside_loss_takes_the_same_steps_as_over_the_data_set()
    {
        var data = TestData.Classification(3_000);
        var direct = new double[3];
        var seam = new double[3];
        var outside = new MeanOf<LogisticObjective, LabeledSample>(new LogisticObjective(), data);

        var a = Lbfgs.Minimize(new LogisticObjective(), data, direct);
        var b = Lbfgs.Minimize(outside, seam);

        Assert.True(TestData.BitEqual(direct, seam), "L-BFGS over the IFullBatchLoss differs from L-BFGS over the data");
        Assert.Equal(a.FunctionEvaluations, b.FunctionEvaluations);
        Assert.Equal(a.FunctionEvaluations, outside.Evaluations);
        Assert.Equal(a.StopReason, b.StopReason);
        Assert.Equal(a.LossHistory, b.LossHistory);
        Assert.Equal("L-BFGS", b.Method);
    }

    [Fact]
    public void Gradient_descent_over_an_outside_loss_takes_the_same_steps_as_over_the_data_set()
    {
        var data = TestData.Regression(500, 0.1);
        var direct = new double[3];
        var seam = new double[3];
        var options = new GradientDescentOptions { MaxIterations = 200 };

        var a = GradientDescent.Minimize(new LinearRegressionObjective(), data, direct, options);
        var b = GradientDescent.Minimize(new MeanOf<LinearRegressionObjective, RegressionSample>(new LinearRegressionObjective(), data), seam, options);

        Assert.True(TestData.BitEqual(direct, seam));
        Assert.Equal(a.Iterations, b.Iterations);
        Assert.Equal(a.FunctionEvaluations, b.FunctionEvaluations);
    }

    [Fact]
    public void An_error_of_the_loss_inside_the_line_search_reaches_the_caller_unchanged()
    {
        // Math.NET wraps what the function throws during its line search; L-BFGS must not report that as "no progress".
        var data = TestData.Classification(200);
        var failing = new MeanOf<LogisticObjective, LabeledSample>(new LogisticObjective(), data) { FailAtEvaluation = 3 };

        var error = Assert.Throws<TimeoutException>(() => Lbfgs.Minimize(failing, new double[3]));

        Assert.Equal("evaluation 3 failed", error.Message);
    }

    [Fact]
    public void The_outside_loss_is_checked_like_an_objective()
    {
        var loss = new MeanOf<LogisticObjective, LabeledSample>(new LogisticObjective(), TestData.Classification(10));

        var length = Assert.Throws<ArgumentException>(() => Lbfgs.Minimize(loss, new double[2]));
        Assert.Contains("'parameters' has length 2; expected 3", length.Message);
        var start = Assert.Throws<ArgumentException>(() => GradientDescent.Minimize(loss, [0.0, double.NaN, 0.0]));
        Assert.Contains("parameter 'w2' (index 1) is NaN", start.Message);
    }

    /// <summary>The mean over an array through the public <see cref="Gradients"/>, as an outside implementation would write it.</summary>
    private sealed class MeanOf<TObjective, TSample>(TObjective objective, TSample[] data) : IFullBatchLoss
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public int Evaluations { get; private set; }

        public int FailAtEvaluation { get; init; } = -1;

        public int ParameterCount => objective.ParameterCount;

        public string GetParameterName(int index) => objective.GetParameterName(index);

        public double ValueAndGradient(ReadOnlySpan<double> parameters, Span<double> gradient, int iteration)
        {
            Count();
            return Gradients.MeanValueAndGradient(objective, data, parameters, gradient);
        }

        public double Value(ReadOnlySpan<double> parameters)
        {
            Count();
            return Gradients.MeanValue(objective, data, parameters);
        }

        private void Count()
        {
            if (Evaluations++ == FailAtEvaluation)
            {
                throw new TimeoutException("evaluation " + FailAtEvaluation + " failed");
            }
        }
    }
}
