using System;
using System.Linq;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class FailureTests
{
    [Fact]
    public void A_NaN_in_the_data_is_reported_with_epoch_sample_and_loss()
    {
        var data = TestData.Regression(40, 0.1);
        data[13] = data[13] with { x2 = double.NaN };
        var p = new double[3];

        var error = Assert.Throws<NonFiniteException>(() => Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(new Sgd(0.1))));

        Assert.IsAssignableFrom<ArithmeticException>(error);
        Assert.Equal(NonFiniteQuantity.Loss, error.Quantity);
        Assert.Equal("loss", error.Name);
        Assert.Equal(0, error.Epoch);
        Assert.Equal(13, error.SampleIndex);
        Assert.Contains("epoch 0", error.Message);
        Assert.Contains("sample 13", error.Message);
        Assert.Contains("loss", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(1000)]
    public void A_gradient_that_turns_NaN_mid_training_names_epoch_sample_and_parameter(int batchSize)
    {
        // w climbs from 0 towards 1; once w > 0.5 the trap sample (index 7) yields ∂L/∂b = NaN.
        var data = Enumerable.Range(0, 20).Select(i => new TrapSample(1.0 + i * 0.01, 1.0 + i * 0.01, trap: i == 7)).ToArray();
        var p = new double[2];

        var error = Assert.Throws<NonFiniteException>(() => Trainer.Fit(new TrapObjective(), data, p, new TrainingOptions(new Sgd(0.01)) { BatchSize = batchSize, MaxEpochs = 500 }));

        Assert.Equal(NonFiniteQuantity.Gradient, error.Quantity);
        Assert.Equal(7, error.SampleIndex);
        Assert.Equal("b", error.Name);
        Assert.Equal(1, error.ParameterIndex);
        Assert.True(double.IsNaN(error.Value));
        Assert.True(error.Epoch > 1, "the trap must spring after training started, at epoch " + error.Epoch);
        Assert.Contains("epoch " + error.Epoch, error.Message);
        Assert.Contains("sample 7", error.Message);
        Assert.Contains("∂loss/∂b", error.Message);
        Assert.Contains("'b'", error.Message);
    }

    [Fact]
    public void A_diverging_learning_rate_is_reported_not_silently_returned()
    {
        var objective = new QuadraticObjective([1.0, 1.0], [0.0, 0.0]);
        double[] p = [1.0, 1.0];

        var error = Assert.Throws<NonFiniteException>(() => Trainer.Minimize(objective, p, new TrainingOptions(new Sgd(10.0)) { MaxEpochs = 10_000 }));

        Assert.NotNull(error.Epoch);
        Assert.Contains("epoch " + error.Epoch, error.Message);
        Assert.True(error.Quantity is NonFiniteQuantity.Loss or NonFiniteQuantity.Parameter or NonFiniteQuantity.Gradient);
    }

    [Fact]
    public void A_manual_step_reports_the_sample_index_too()
    {
        var data = TestData.Regression(5, 0.1);
        data[3] = data[3] with { y = double.PositiveInfinity };
        var state = new Sgd(0.1).CreateState(3);
        var p = new double[3];

        var error = Assert.Throws<NonFiniteException>(() => state.Step(new LinearRegressionObjective(), data.AsSpan(), p));

        Assert.Equal(3, error.SampleIndex);
        Assert.Null(error.Epoch);
        Assert.Equal(new double[3], p); // left unchanged
    }

    [Fact]
    public void An_empty_data_set_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new LinearRegressionObjective(), Array.Empty<RegressionSample>(), new double[3], new TrainingOptions(new Sgd(0.1))));
        Assert.Contains("empty", error.Message);
        Assert.Equal("data", error.ParamName);

        Assert.Throws<ArgumentException>(() => Gradients.MeanValueAndGradient(new LinearRegressionObjective(), Array.Empty<RegressionSample>(), new double[3], new double[3]));
    }

    [Fact]
    public void A_parameter_vector_of_the_wrong_length_is_rejected_with_both_counts_and_the_names()
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new LinearRegressionObjective(), TestData.Regression(5, 0), new double[2], new TrainingOptions(new Sgd(0.1))));
        Assert.Contains("2 element", error.Message);
        Assert.Contains("3 trainable", error.Message);
        Assert.Contains("w1, w2, b", error.Message);
        Assert.Equal("parameters", error.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_initial_parameters_are_rejected_by_parameter_name(double bad)
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new LinearRegressionObjective(), TestData.Regression(5, 0), new[] { 0.0, bad, 0.0 }, new TrainingOptions(new Sgd(0.1))));
        Assert.Contains("'w2'", error.Message);
        Assert.Contains("finite", error.Message);

        Assert.Throws<ArgumentException>(() => Newton.Minimize(new RosenbrockObjective(), new[] { bad, 0.0 }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Check(new RosenbrockObjective(), new[] { bad, 0.0 }));
    }

    [Fact]
    public void Malformed_options_and_objectives_are_rejected()
    {
        var data = TestData.Regression(5, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.1)) { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.1)) { MaxEpochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.1)) { GradientTolerance = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.1)) { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentNullException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(null!)));
        Assert.Throws<ArgumentNullException>(() => Trainer.Fit(new LinearRegressionObjective(), data, null!, new TrainingOptions(new Sgd(0.1))));
        var error = Assert.Throws<ArgumentException>(() => Trainer.Minimize(new EmptyObjective(), Array.Empty<double>(), new TrainingOptions(new Sgd(0.1))));
        Assert.Contains("no trainable parameters", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Newton.Minimize(new RosenbrockObjective(), new double[2], new NewtonOptions { DampingFactor = 1 }));
    }

    [Fact]
    public void A_saturated_sigmoid_with_the_textbook_derivative_stalls_with_a_hint()
    {
        // Seed 002: x = 62.5, w = 0.8 gives z = 50; σ(50) rounds to 1, so σ(1 − σ) = 0 exactly.
        NeuronSample[] data = [new(62.5, 0.0), new(60.0, 0.0), new(65.0, 0.0), new(70.0, 0.0)];
        double[] p = [0.8, 0.0];

        var result = Trainer.Fit(new NaiveSigmoidNeuronObjective(), data, p, new TrainingOptions(new Sgd(0.5)) { MaxEpochs = 1000 });

        Assert.True(result.Stalled, result.ToString());
        Assert.Equal(StopReason.Stalled, result.StopReason);
        Assert.False(result.Converged);
        Assert.Equal(new TrainingOptions(new Sgd(0.5)).StallPatience, result.Epochs);
        Assert.Equal(1.0, result.FinalLoss, 12);
        Assert.Equal(0.0, result.FinalGradientNorm);
        Assert.NotNull(result.Hint);
        Assert.Contains("saturat", result.Hint);
        Assert.Contains("SymMath.SigmoidDerivative", result.Hint);
        Assert.Contains("normalise the inputs", result.Hint);
        Assert.Contains("re-initialise", result.Hint);
        Assert.Equal([0.8, 0.0], p);
    }

    [Fact]
    public void A_gradient_tolerance_does_not_mistake_a_stall_for_convergence()
    {
        NeuronSample[] data = [new(62.5, 0.0)];
        var result = Trainer.Fit(new NaiveSigmoidNeuronObjective(), data, new[] { 0.8, 0.0 }, new TrainingOptions(new Sgd(0.5)) { GradientTolerance = 1e-6 });

        Assert.Equal(StopReason.Stalled, result.StopReason);
        Assert.Equal(1, result.Epochs);
        Assert.True(result.Stalled);
        Assert.False(result.Converged);
    }

    [Fact]
    public void The_same_saturated_start_trains_with_cross_entropy()
    {
        // Control for the stall test: the loss is high here too, but the gradient is not small, so no stall.
        NeuronSample[] data = [new(62.5, 0.0), new(60.0, 0.0), new(65.0, 0.0), new(70.0, 0.0)];
        double[] p = [0.8, 0.0];

        var result = Trainer.Fit(new CrossEntropyNeuronObjective(), data, p, new TrainingOptions(new Sgd(1e-4)) { MaxEpochs = 100 });

        Assert.False(result.Stalled, result.ToString());
        Assert.True(result.FinalLoss < 0.01, result.ToString());
        Assert.True(p[0] < 0);
    }

    [Fact]
    public void The_stable_derivative_lets_scale_free_Adam_escape_the_plateau()
    {
        // σ′ from SymMath is ~1e−22 at z = 50, not 0; Adam with a tiny ε divides that scale out.
        NeuronSample[] data = [new(62.5, 0.0), new(60.0, 0.0), new(65.0, 0.0), new(70.0, 0.0)];
        double[] p = [0.8, 0.0];

        var result = Trainer.Fit(new StableSigmoidNeuronObjective(), data, p, new TrainingOptions(new Adam(0.05, Epsilon: 1e-30)) { MaxEpochs = 200 });

        Assert.False(result.Stalled, result.ToString());
        Assert.True(result.FinalLoss < 0.01, result.ToString());

        // …whereas the textbook derivative gives Adam nothing at all to rescale.
        var naive = Trainer.Fit(new NaiveSigmoidNeuronObjective(), data, new[] { 0.8, 0.0 }, new TrainingOptions(new Adam(0.05, Epsilon: 1e-30)) { MaxEpochs = 200 });
        Assert.True(naive.Stalled);
    }

    [Fact]
    public void A_well_trained_model_is_not_called_stalled_and_a_diverging_one_gets_a_hint()
    {
        var data = TestData.Regression(50, 0.2);
        var good = Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.5)) { BatchSize = 50, MaxEpochs = 2000, GradientTolerance = 1e-10 });
        Assert.False(good.Stalled);
        Assert.Equal(StopReason.GradientTolerance, good.StopReason);
        Assert.Null(good.Hint);

        var objective = new QuadraticObjective([1.0], [0.0]);
        var rising = Trainer.Minimize(objective, new[] { 1.0 }, new TrainingOptions(new Sgd(2.05)) { MaxEpochs = 20 });
        Assert.False(rising.Stalled);
        Assert.NotNull(rising.Hint);
        Assert.Contains("learning rate", rising.Hint);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var source = new System.Threading.CancellationTokenSource();
        source.Cancel();
        var data = TestData.Regression(10, 0);
        var p = new double[3];
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(new Sgd(0.1)), cancellationToken: source.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => Newton.Minimize(new LinearRegressionObjective(), data, p, cancellationToken: source.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => GradientDescent.Minimize(new LinearRegressionObjective(), data, p, cancellationToken: source.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => Lbfgs.Minimize(new LinearRegressionObjective(), data, p, cancellationToken: source.Token));
        Assert.Equal(new double[3], p); // cancelled before the first step
    }

    [Theory]
    [InlineData(100, 32, true)] // a mini-batch sum overflows
    [InlineData(100, 1000, true)] // full batch: the evaluation after an epoch overflows
    [InlineData(500, 32, false)] // one sample's loss overflows
    public void An_overflow_after_the_loss_exploded_is_reported_as_divergence(int count, int batchSize, bool sumOverflows)
    {
        // SGD with a step fifty times too large on least squares: the loss grows by orders of magnitude every step
        // until it overflows.
        var data = TestData.Regression(count, 0.1);
        var recorder = new TestData.Recorder<EpochReport>();
        var error = Assert.Throws<NonFiniteException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(50)) { MaxEpochs = 100, BatchSize = batchSize }, recorder));

        Assert.Equal(sumOverflows, error.SampleIndex is null);
        Assert.Equal(NonFiniteQuantity.Loss, error.Quantity);
        Assert.Contains("the optimizer diverged", error.Message);
        Assert.Contains("Lower the learning rate", error.Message);
        Assert.DoesNotContain("Scale the loss", error.Message);

        // It did grow, by orders of magnitude, over the epochs before the failure.
        double initial = Gradients.MeanValue(new LinearRegressionObjective(), data, new double[3]);
        Assert.True(recorder.Items[^1].Loss > 1e100 * initial, recorder.Items[^1].Loss.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_overflow_of_a_loss_that_was_not_growing_still_asks_to_scale_the_loss()
    {
        // Each sample's loss is about 5e307, finite; their sum is not. Nothing has been trained yet.
        var data = TestData.Regression(8, 0.0).Select(s => s with { y = 1e154 }).ToArray();
        var error = Assert.Throws<NonFiniteException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.1)) { BatchSize = 4 }));

        Assert.Null(error.SampleIndex);
        Assert.Equal(0, error.Epoch);
        Assert.Contains("the sum overflowed. Scale the loss or the inputs down", error.Message);
        Assert.DoesNotContain("diverged", error.Message);

        // A hand-written loop: steps whose loss stays put, then a batch whose sum overflows.
        var state = new Sgd(1e-300).CreateState(3);
        var calm = TestData.Regression(8, 0.0).Select(s => s with { y = 1e153 }).ToArray();
        state.Step(new LinearRegressionObjective(), calm, new double[3]);
        state.Step(new LinearRegressionObjective(), calm, new double[3]);
        var overflow = Assert.Throws<NonFiniteException>(() => state.Step(new LinearRegressionObjective(), data, new double[3]));
        Assert.Contains("Scale the loss or the inputs down", overflow.Message);
        Assert.DoesNotContain("diverged", overflow.Message);
    }
}
