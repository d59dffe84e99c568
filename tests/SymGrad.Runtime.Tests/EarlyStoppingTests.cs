using System;
using System.Collections.Generic;
using System.Linq;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class EarlyStoppingTests
{
    /// <summary>A validation metric that returns scripted values and remembers the parameters it was shown.</summary>
    private sealed class ScriptedMetric(params double[] values)
    {
        public List<double[]> Seen { get; } = new();

        public double Evaluate(ReadOnlySpan<double> parameters)
        {
            Seen.Add(parameters.ToArray());
            return values[Seen.Count - 1];
        }
    }

    private static TrainingResult Train(ScriptedMetric metric, double[] p, int maxEpochs, Func<EarlyStopping, EarlyStopping> configure, IProgress<EpochReport>? progress = null)
    {
        // f = ½‖p − c‖², SGD: the parameters move every epoch, so each epoch's are distinct.
        var options = new TrainingOptions(new Sgd(0.1)) { MaxEpochs = maxEpochs, EarlyStopping = configure(new EarlyStopping(metric.Evaluate)) };
        return Trainer.Minimize(new QuadraticObjective([1.0, 2.0], [3.0, -1.0]), p, options, progress);
    }

    [Fact]
    public void Stops_after_patience_epochs_without_improvement_and_restores_the_best_parameters()
    {
        var metric = new ScriptedMetric(5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.0, 1.0);
        double[] p = [0.0, 0.0];
        var progress = new TestData.Recorder<EpochReport>();

        var result = Train(metric, p, 100, rule => rule with { Patience = 3 }, progress);

        Assert.Equal(StopReason.EarlyStopping, result.StopReason);
        Assert.Equal(6, result.Epochs); // epochs 4, 5, 6 do not improve on epoch 3
        Assert.False(result.Converged);
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(3.0, result.BestValidationMetric);
        Assert.True(result.RestoredBestParameters);
        Assert.Equal(metric.Seen[2], p);
        Assert.NotEqual(metric.Seen[5], p);
        Assert.Equal([5.0, 4.0, 3.0, 3.5, 3.2, 3.1], result.ValidationHistory);
        Assert.Equal(result.ValidationHistory, progress.Items.Select(r => r.ValidationMetric!.Value));
        Assert.Contains("stopped early after 6 epochs", result.ToString());
        Assert.Contains("Best validation metric 3 after epoch 3, whose parameters were restored", result.ToString());
    }

    [Fact]
    public void An_improvement_smaller_than_min_delta_does_not_count()
    {
        var metric = new ScriptedMetric(5.0, 4.95, 4.9, 1.0);
        double[] p = [0.0, 0.0];

        var result = Train(metric, p, 100, rule => rule with { Patience = 2, MinDelta = 0.1 });

        Assert.Equal(3, result.Epochs);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(metric.Seen[0], p);
    }

    [Fact]
    public void Without_restore_the_last_parameters_stay()
    {
        var metric = new ScriptedMetric(1.0, 2.0, 3.0);
        double[] p = [0.0, 0.0];

        var result = Train(metric, p, 100, rule => rule with { Patience = 2, RestoreBestParameters = false });

        Assert.Equal(3, result.Epochs);
        Assert.False(result.RestoredBestParameters);
        Assert.Equal(metric.Seen[2], p);
    }

    [Fact]
    public void The_best_parameters_are_restored_when_the_epoch_budget_runs_out_first()
    {
        var metric = new ScriptedMetric(3.0, 1.0, 2.0, 2.5);
        double[] p = [0.0, 0.0];

        var result = Train(metric, p, 4, rule => rule with { Patience = 10 });

        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(2, result.BestEpoch);
        Assert.Equal(metric.Seen[1], p);
    }

    [Fact]
    public void NaN_never_counts_as_an_improvement()
    {
        var metric = new ScriptedMetric(double.NaN, double.NaN);
        double[] p = [0.0, 0.0];

        var result = Train(metric, p, 100, rule => rule with { Patience = 2 });

        Assert.Equal(StopReason.EarlyStopping, result.StopReason);
        Assert.Null(result.BestEpoch);
        Assert.False(result.RestoredBestParameters);
        Assert.Equal(metric.Seen[1], p);
    }

    [Fact]
    public void Held_out_mean_loss_is_the_metric_of_OnMeanLoss()
    {
        var train = TestData.Regression(80, 0.3, seed: 5);
        var heldOut = TestData.Regression(40, 0.3, seed: 6);
        var p = new double[3];
        var options = new TrainingOptions(new Adam(0.05))
        {
            BatchSize = 8,
            MaxEpochs = 300,
            Seed = 2,
            EarlyStopping = EarlyStopping.OnMeanLoss(new LinearRegressionObjective(), heldOut) with { Patience = 5 },
        };

        var result = Trainer.Fit(new LinearRegressionObjective(), train, p, options);

        Assert.NotNull(result.BestEpoch);
        Assert.Equal(result.ValidationHistory.Min(), result.BestValidationMetric);
        Assert.Equal(result.BestValidationMetric, Gradients.MeanValue(new LinearRegressionObjective(), heldOut, p));
        Assert.Throws<ArgumentException>(() => EarlyStopping.OnMeanLoss(new LinearRegressionObjective(), Array.Empty<RegressionSample>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(new LinearRegressionObjective(), train, p, options with { EarlyStopping = options.EarlyStopping! with { Patience = 0 } }));
    }

    [Fact]
    public void Without_early_stopping_the_result_has_no_validation()
    {
        var result = Trainer.Minimize(new QuadraticObjective([1.0], [0.0]), [1.0], new TrainingOptions(new Sgd(0.1)) { MaxEpochs = 3 });
        Assert.Empty(result.ValidationHistory);
        Assert.Null(result.BestEpoch);
        Assert.Null(result.BestValidationMetric);
        Assert.DoesNotContain("validation", result.ToString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_non_finite_validation_sample_throws_naming_it_as_training_data_does(double bad)
    {
        var train = TestData.Regression(80, 0.3, seed: 5);
        var heldOut = TestData.Regression(40, 0.3, seed: 6);
        heldOut[7] = heldOut[7] with { x1 = bad };
        var options = new TrainingOptions(new Adam(0.01))
        {
            MaxEpochs = 50,
            EarlyStopping = EarlyStopping.OnMeanLoss(new LinearRegressionObjective(), heldOut) with { Patience = 3 },
        };

        var error = Assert.Throws<NonFiniteException>(() => Trainer.Fit(new LinearRegressionObjective(), train, new double[3], options));

        Assert.Equal(7, error.SampleIndex);
        Assert.Equal(1, error.Epoch);
        Assert.Equal(NonFiniteQuantity.Loss, error.Quantity);
        Assert.True(double.IsNaN(error.Value) || double.IsInfinity(error.Value));
        Assert.Contains("validation loss", error.Message);
        Assert.Contains("validation sample 7", error.Message);
        Assert.Contains("epoch 1", error.Message);
    }
}
