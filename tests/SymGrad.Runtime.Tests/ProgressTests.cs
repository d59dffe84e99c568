using System;
using System.IO;
using System.Linq;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class ProgressTests
{
    [Fact]
    public void Progress_is_reported_once_per_epoch_in_order_with_the_history()
    {
        var data = TestData.Regression(50, 0.1);
        var recorder = new TestData.Recorder<EpochReport>();
        var result = Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Momentum(0.02)) { MaxEpochs = 12, BatchSize = 8 }, recorder);

        Assert.Equal(12, recorder.Items.Count);
        Assert.Equal(Enumerable.Range(1, 12), recorder.Items.Select(r => r.Epoch));
        Assert.All(recorder.Items, r => Assert.Equal(12, r.MaxEpochs));
        Assert.Equal(result.LossHistory, recorder.Items.Select(r => r.Loss));
        Assert.Equal(result.GradientNormHistory, recorder.Items.Select(r => r.GradientNorm));
        Assert.Equal(Enumerable.Range(1, 12).Select(e => e * 7L), recorder.Items.Select(r => r.Steps));
        Assert.True(recorder.Items.Zip(recorder.Items.Skip(1)).All(pair => pair.First.Elapsed <= pair.Second.Elapsed));
    }

    [Fact]
    public void Redirected_output_gets_sparse_lines_and_the_last_epoch()
    {
        var output = new StringWriter();
        using (var bar = new ConsoleProgressBar(output, interactive: false, lines: 4))
        {
            for (int epoch = 1; epoch <= 37; epoch++)
            {
                bar.Report(new EpochReport(epoch, 100, 1.0 / epoch, 0.5, epoch * 10, TimeSpan.FromMilliseconds(epoch)));
            }
        }

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["epoch 1/100", "epoch 25/100", "epoch 37/100"], lines.Select(l => string.Join(' ', l.Split(' ').Take(2))));
        Assert.DoesNotContain('\r', output.ToString());
        Assert.Contains("loss 0.027027", lines[^1]);
    }

    [Fact]
    public void A_terminal_gets_one_line_redrawn_in_place()
    {
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: true, width: 10);
        bar.Report(new EpochReport(1, 4, 2.0, 1.0, 1, TimeSpan.Zero));
        bar.Report(new EpochReport(4, 4, 0.5, 0.1, 4, TimeSpan.FromSeconds(1)));
        bar.Dispose();

        string text = output.ToString();
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.Contains("[##########] epoch 4/4", text);
        Assert.EndsWith(Environment.NewLine, text);
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Minimizers_report_once_per_iteration()
    {
        var recorder = new TestData.Recorder<EpochReport>();
        var result = Newton.Minimize(new RosenbrockObjective(), new[] { -1.2, 1.0 }, progress: recorder);
        Assert.Equal(result.Iterations, recorder.Items.Count);
        Assert.Equal(Enumerable.Range(1, result.Iterations), recorder.Items.Select(r => r.Epoch));
    }

    [Fact]
    public void The_trainer_ends_the_bar_line_so_the_next_output_starts_on_its_own_line()
    {
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: true, width: 10); // deliberately not disposed
        var data = TestData.Regression(20, 0.1);

        Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.05)) { MaxEpochs = 12 }, bar);
        output.Write("next");

        string[] lines = output.ToString().Split(Environment.NewLine);
        Assert.Equal("next", lines[^1]);
        Assert.Contains("epoch 12/12", lines[^2]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_minimizer_bar_shows_the_final_iteration_after_converging(bool interactive)
    {
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: interactive, label: "iteration");

        var result = Newton.Minimize(new RosenbrockObjective(), new[] { -1.2, 1.0 }, progress: bar);

        Assert.True(result.Converged);
        Assert.True(result.Iterations > 2, result.ToString());
        string text = output.ToString();
        string last = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)[^1].Split('\r')[^1];
        Assert.Contains($"iteration {result.Iterations}/100", last);
        Assert.EndsWith(Environment.NewLine, text);
        bar.Dispose();
        Assert.Equal(text, output.ToString()); // already complete: disposing adds nothing
    }

    [Fact]
    public void A_run_that_throws_still_ends_the_bar_line()
    {
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: true);
        var data = TestData.Regression(10, 0.1);
        data[4] = data[4] with { y = double.NaN };

        Assert.Throws<NonFiniteException>(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.05)), bar));
        Assert.Throws<NonFiniteException>(() => GradientDescent.Minimize(new LinearRegressionObjective(), data, new double[3], progress: bar));
        Assert.DoesNotContain('\r', output.ToString()); // nothing was reported: nothing to end
    }

    [Fact]
    public void Summaries_say_why_the_run_stopped_in_words()
    {
        var data = TestData.Regression(30, 0.1);
        var budget = Trainer.Fit(new LinearRegressionObjective(), data, new double[3], new TrainingOptions(new Sgd(0.01)) { MaxEpochs = 25 });
        Assert.StartsWith("SGD: reached the epoch limit (25 epochs); loss ", budget.ToString());

        var newton = Newton.Minimize(new QuadraticObjective([1.0, 4.0], [1.0, 2.0]), new double[2]);
        Assert.StartsWith("Newton: converged after 1 iteration (the gradient norm is within tolerance); loss ", newton.ToString());

        var target = Trainer.Minimize(new QuadraticObjective([1.0], [0.0]), [1.0], new TrainingOptions(new Sgd(0.5)) { TargetLoss = 0.01 });
        Assert.StartsWith("SGD: reached the target loss after 3 epochs;", target.ToString());

        var limit = Newton.Minimize(new RosenbrockObjective(), new[] { -1.2, 1.0 }, new NewtonOptions { MaxIterations = 1 });
        Assert.StartsWith("Newton: reached the iteration limit (1 iteration);", limit.ToString());
        Assert.DoesNotContain("MaxIterations", budget.ToString() + newton + target + limit);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(100)]
    public void LBFGS_reports_progress_once_per_iteration_within_MaxIterations(int maxIterations)
    {
        var data = TestData.Classification(400);
        var recorder = new TestData.Recorder<EpochReport>();
        var result = Lbfgs.Minimize(new LogisticObjective(), data, new double[3], new LbfgsOptions { MaxIterations = maxIterations }, recorder);

        Assert.True(result.FunctionEvaluations > result.Iterations + 1, result.ToString()); // line searches took extra evaluations
        Assert.Equal(result.Iterations, recorder.Items.Count);
        Assert.Equal(Enumerable.Range(1, result.Iterations), recorder.Items.Select(r => r.Epoch));
        Assert.All(recorder.Items, r => Assert.Equal(maxIterations, r.MaxEpochs));
        Assert.All(recorder.Items, r => Assert.True(r.Epoch <= r.MaxEpochs));

        // Each report is an accepted point: evaluated during the run, and each better than the one before (the line
        // search demands a sufficient decrease).
        Assert.All(recorder.Items.SkipLast(1), r => Assert.Contains(r.Loss, result.LossHistory));
        Assert.True(recorder.Items.Zip(recorder.Items.Skip(1)).All(pair => pair.Second.Loss < pair.First.Loss));
        Assert.True(recorder.Items[0].Loss < result.InitialLoss);
        Assert.Equal(result.FinalLoss, recorder.Items[^1].Loss);
        Assert.Equal(result.FinalGradientNorm, recorder.Items[^1].GradientNorm);
    }
}
