using System;
using System.Linq;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class OptimizerTests
{
    private static readonly double[] Curvature = [1.0, 4.0, 10.0];
    private static readonly double[] Center = [3.0, -2.0, 0.5];

    public static TheoryData<string> Optimizers => new() { "sgd", "momentum", "nesterov", "adam" };

    private static Optimizer Make(string name) => name switch
    {
        "sgd" => new Sgd(0.09),
        "momentum" => new Momentum(0.02, 0.9),
        "nesterov" => new Momentum(0.02, 0.9, Nesterov: true),
        _ => new Adam(0.05),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_optimizer_finds_the_exact_minimum_of_a_convex_quadratic(string name)
    {
        var objective = new QuadraticObjective(Curvature, Center);
        var p = new double[3];
        var result = Trainer.Minimize(objective, p, new TrainingOptions(Make(name)) { MaxEpochs = 5000, GradientTolerance = 1e-9 });

        Assert.True(result.Converged, result.ToString());
        Assert.Equal(StopReason.GradientTolerance, result.StopReason);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Center[i], p[i], 1e-8);
        }

        Assert.False(result.Stalled);
        Assert.Null(result.Hint);
        Assert.True(result.FinalLoss < 1e-15);
    }

    [Fact]
    public void Momentum_needs_fewer_steps_than_plain_SGD_on_an_ill_conditioned_quadratic()
    {
        var objective = new QuadraticObjective([1.0, 100.0], [1.0, 1.0]);
        var sgd = Trainer.Minimize(objective, new double[2], new TrainingOptions(new Sgd(0.0199)) { MaxEpochs = 20000, GradientTolerance = 1e-8 });
        var heavyBall = Trainer.Minimize(objective, new double[2], new TrainingOptions(new Momentum(0.0199, 0.8)) { MaxEpochs = 20000, GradientTolerance = 1e-8 });

        Assert.True(sgd.Converged && heavyBall.Converged);
        Assert.True(heavyBall.Epochs * 3 < sgd.Epochs, $"momentum {heavyBall.Epochs} vs SGD {sgd.Epochs}");
    }

    [Fact]
    public void Full_batch_gradient_descent_reaches_the_least_squares_solution()
    {
        var data = TestData.Regression(200, noise: 0.3);
        double[] expected = TestData.LeastSquares(data);
        var p = new double[3];

        var result = Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(new Sgd(0.5)) { BatchSize = int.MaxValue, MaxEpochs = 5000, GradientTolerance = 1e-12 });

        Assert.Equal(StopReason.GradientTolerance, result.StopReason);
        Assert.Equal(result.Epochs, result.Steps);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], p[i], 1e-9);
        }
    }

    [Theory]
    [InlineData(1, 0.005)]
    [InlineData(16, 0.02)]
    public void Mini_batch_SGD_reaches_the_least_squares_solution_within_its_noise(int batchSize, double learningRate)
    {
        var data = TestData.Regression(400, noise: 0.2);
        double[] expected = TestData.LeastSquares(data);
        var p = new double[3];

        var result = Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(new Sgd(learningRate)) { BatchSize = batchSize, MaxEpochs = 60, Seed = 7 });

        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(60 * (long)Math.Ceiling(400.0 / batchSize), result.Steps);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], p[i], 0.02);
        }

        // The loss is within 1 % of the least-squares optimum.
        double optimum = Gradients.MeanValue(new LinearRegressionObjective(), data, expected);
        Assert.InRange(result.FinalLoss, optimum, optimum * 1.01);
    }

    [Fact]
    public void Adam_and_momentum_train_linear_regression_on_mini_batches()
    {
        var data = TestData.Regression(256, noise: 0.0);
        foreach (Optimizer optimizer in new Optimizer[] { new Adam(0.05), new Momentum(0.05, 0.9) })
        {
            var p = new double[3];
            var result = Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(optimizer) { BatchSize = 32, MaxEpochs = 400, TargetLoss = 1e-10, Seed = 3 });

            Assert.True(result.Converged, optimizer.Name + ": " + result);
            Assert.Equal(StopReason.TargetLoss, result.StopReason);
            Assert.Equal(2.0, p[0], 1e-4);
            Assert.Equal(-3.0, p[1], 1e-4);
            Assert.Equal(0.5, p[2], 1e-4);
        }
    }

    [Fact]
    public void Loss_tolerance_stops_when_the_loss_stops_changing()
    {
        var objective = new QuadraticObjective(Curvature, Center);
        var result = Trainer.Minimize(objective, new double[3], new TrainingOptions(new Sgd(0.05)) { MaxEpochs = 100000, LossTolerance = 1e-12 });

        Assert.Equal(StopReason.LossTolerance, result.StopReason);
        Assert.True(result.Epochs < 100000);
        double last = result.LossHistory[^1];
        double previous = result.LossHistory[^2];
        Assert.True(Math.Abs(last - previous) <= 1e-12 * Math.Max(1, last));
    }

    [Fact]
    public void Histories_have_one_entry_per_epoch_and_the_loss_decreases()
    {
        var data = TestData.Regression(64, 0.1);
        var result = Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.05)) { MaxEpochs = 25 });

        Assert.Equal(25, result.Epochs);
        Assert.Equal(25, result.LossHistory.Count);
        Assert.Equal(25, result.GradientNormHistory.Count);
        Assert.True(result.FinalLoss < result.InitialLoss / 10);
        Assert.True(result.Elapsed > TimeSpan.Zero);
        Assert.Contains("SGD", result.ToString());
    }

    [Fact]
    public void Optimizer_hyper_parameters_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0).CreateState(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(double.NaN).CreateState(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum(0.1, 1.0).CreateState(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0.1, Beta2: -0.1).CreateState(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0.1, Epsilon: 0).CreateState(2));
    }

    [Fact]
    public void Manual_steps_match_the_update_rules_written_out()
    {
        // One sample of the quadratic: g = a ⊙ (p − c). Check each optimizer's first two updates by hand.
        var objective = new QuadraticObjective([2.0], [1.0]);
        NoData[] none = [default];

        var sgd = new Sgd(0.1).CreateState(1);
        double[] p = [3.0];
        sgd.Step(objective, none.AsSpan(), p); // g = 4
        Assert.Equal(3.0 - 0.1 * 4.0, p[0], 15);

        var momentum = new Momentum(0.1, 0.5).CreateState(1);
        p = [3.0];
        momentum.Step(objective, none.AsSpan(), p); // v = 4, p = 2.6
        momentum.Step(objective, none.AsSpan(), p); // g = 3.2, v = 2 + 3.2 = 5.2, p = 2.6 − 0.52
        Assert.Equal(2.6 - 0.52, p[0], 14);
        Assert.Equal(2, momentum.Steps);

        var adam = new Adam(0.1).CreateState(1);
        p = [3.0];
        adam.Step(objective, none.AsSpan(), p); // m̂ = g, v̂ = g², step = lr·g/(|g| + ε)
        Assert.Equal(3.0 - 0.1 * 4.0 / (4.0 + 1e-8), p[0], 14);

        adam.Reset();
        Assert.Equal(0, adam.Steps);
        p = [3.0];
        adam.Step(objective, none.AsSpan(), p);
        Assert.Equal(3.0 - 0.1 * 4.0 / (4.0 + 1e-8), p[0], 14);
    }

    [Fact]
    public void A_step_on_a_mini_batch_uses_the_mean_of_the_per_sample_gradients()
    {
        var data = TestData.Regression(10, 0.1);
        var objective = new LinearRegressionObjective();
        double[] start = [0.3, -0.2, 0.1];
        var p = (double[])start.Clone();
        int[] batch = [1, 4, 7];

        double loss = new Sgd(1.0).CreateState(3).Step(objective, data.AsSpan(), batch, p);

        var expectedGradient = new double[3];
        var g = new double[3];
        double expectedLoss = 0;
        foreach (int i in batch)
        {
            expectedLoss += objective.ValueAndGradient(data[i], start, g) / 3;
            for (int j = 0; j < 3; j++)
            {
                expectedGradient[j] += g[j] / 3;
            }
        }

        Assert.Equal(expectedLoss, loss, 14);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(start[j] - expectedGradient[j], p[j], 14);
        }
    }

    [Fact]
    public void Parameter_init_is_seeded_and_within_range()
    {
        var a = new double[1000];
        var b = new double[1000];
        ParameterInit.Uniform(a, 0.5, seed: 11);
        ParameterInit.Uniform(b, 0.5, seed: 11);
        Assert.True(TestData.BitEqual(a, b));
        Assert.All(a, x => Assert.InRange(x, -0.5, 0.5));
        Assert.InRange(a.Average(), -0.05, 0.05);

        ParameterInit.Normal(a, 2.0, seed: 5);
        double mean = a.Average();
        double sd = Math.Sqrt(a.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, -0.2, 0.2);
        Assert.InRange(sd, 1.85, 2.15);
    }
}
