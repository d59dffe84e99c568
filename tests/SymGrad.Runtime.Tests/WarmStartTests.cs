using System;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// A warm start near the minimum (polishing an Adam result, a second run from the first one's answer): the loss barely moves,
/// but the gradient falls from well above the tolerance to below it, which is convergence, not the flat-start stall.
/// </summary>
public class WarmStartTests
{
    private const double Tolerance = 1e-8;

    /// <summary>The regularised logistic MLE by Newton, polished to a gradient far below <see cref="Tolerance"/>.</summary>
    private static (LabeledSample[] Data, double[] Optimum) LogisticOptimum()
    {
        var data = TestData.Classification(400);
        var optimum = new double[3];
        var newton = Newton.Minimize(new LogisticObjective(), data, optimum, new NewtonOptions { GradientTolerance = 1e-13 });
        Assert.True(newton.FinalGradientNorm <= 1e-10, newton.ToString());
        return (data, optimum);
    }

    public static TheoryData<string> Minimizers => new() { "lbfgs", "newton", "descent" };

    [Theory]
    [MemberData(nameof(Minimizers))]
    public void A_minimizer_started_near_the_minimum_converges_instead_of_stalling(string method)
    {
        var (data, optimum) = LogisticOptimum();
        double[] p = [optimum[0] + 0.01, optimum[1] - 0.01, optimum[2]];
        var objective = new LogisticObjective();
        double startLoss = Gradients.MeanValue(objective, data, p);
        double optimalLoss = Gradients.MeanValue(objective, data, optimum);

        MinimizationResult result = method switch
        {
            "lbfgs" => Lbfgs.Minimize(objective, data, p, new LbfgsOptions { GradientTolerance = Tolerance }),
            "newton" => Newton.Minimize(objective, data, p, new NewtonOptions { GradientTolerance = Tolerance }),
            _ => GradientDescent.Minimize(objective, data, p, new GradientDescentOptions { GradientTolerance = Tolerance }),
        };

        // The case of the report: the gradient starts far above the tolerance, the loss moves by far less than 0.1 %.
        Assert.True(result.InitialGradientNorm > 1e3 * Tolerance, result.ToString());
        Assert.True(Math.Abs(startLoss - optimalLoss) < 1e-4 * optimalLoss);
        Assert.True(result.FinalGradientNorm <= Tolerance, result.ToString());

        Assert.Equal(StopReason.GradientTolerance, result.StopReason);
        Assert.True(result.Converged, result.ToString());
        Assert.False(result.Stalled);
        Assert.Null(result.Hint);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(optimum[i], p[i], 1e-6);
        }
    }

    [Fact]
    public void The_trainer_started_near_the_minimum_converges_instead_of_stalling()
    {
        var data = TestData.Regression(200, 0.3, seed: 4);
        double[] exact = TestData.LeastSquares(data);
        double[] start = [exact[0] + 1e-3, exact[1] - 1e-3, exact[2] + 1e-3];
        var options = new TrainingOptions(new Sgd(0.5)) { BatchSize = data.Length, MaxEpochs = 2000 };

        // With a gradient tolerance: stop there, converged.
        double[] p = (double[])start.Clone();
        var result = Trainer.Fit(new LinearRegressionObjective(), data, p, options with { GradientTolerance = 1e-10 });
        Assert.True(result.InitialGradientNorm > 1e-4, result.ToString());
        Assert.True(Math.Abs(result.InitialLoss - result.FinalLoss) < 1e-3 * result.FinalLoss, result.ToString());
        Assert.Equal(StopReason.GradientTolerance, result.StopReason);
        Assert.True(result.Converged);
        Assert.False(result.Stalled);
        Assert.Null(result.Hint);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(exact[i], p[i], 1e-9);
        }

        // Without one: the stall rule must not cut the run short once the gradient is below StallGradientTolerance.
        p = (double[])start.Clone();
        var untilTheEnd = Trainer.Fit(new LinearRegressionObjective(), data, p, options with { MaxEpochs = 300 });
        Assert.True(untilTheEnd.FinalGradientNorm < options.StallGradientTolerance, untilTheEnd.ToString());
        Assert.Equal(StopReason.MaxIterations, untilTheEnd.StopReason);
        Assert.Equal(300, untilTheEnd.Epochs);
        Assert.False(untilTheEnd.Stalled);
        Assert.Null(untilTheEnd.Hint);
    }

    [Fact]
    public void The_stopping_rules_tell_a_warm_start_from_a_flat_start_by_the_initial_gradient()
    {
        var options = new TrainingOptions(new Sgd(0.1)) { GradientTolerance = 1e-9, StallPatience = 2 };
        int stalled = 0;

        // The gradient fell from 1e-3 to 1e-12 while the loss stayed at 10: converged.
        Assert.Equal(StopReason.GradientTolerance, options.StopAfterEpoch(10, 1e-3, 10, 10, 1e-12, ref stalled));
        Assert.Equal(0, stalled);

        // The gradient was 1e-12 from the start: the flat start of saturated units.
        Assert.Equal(StopReason.Stalled, options.StopAfterEpoch(10, 1e-12, 10, 10, 1e-12, ref stalled));
        Assert.Equal(1, stalled);

        var patient = new TrainingOptions(new Sgd(0.1)) { StallPatience = 2 };
        stalled = 0;
        Assert.Null(patient.StopAfterEpoch(10, 0.5, 10, 10, 1e-12, ref stalled));
        Assert.Null(patient.StopAfterEpoch(10, 0.5, 10, 10, 1e-12, ref stalled));
        Assert.Null(patient.StopAfterEpoch(10, 0.5, 10, 10, 1e-12, ref stalled));
        Assert.Equal(0, stalled);
    }
}
