using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace SymGrad.Orleans.Tests;

/// <summary>The sharded computation in one process: agreement with the runtime's single-machine paths and the shard-level checks.</summary>
public class LocalShardTests
{
    private static readonly LbfgsOptions Tight = new() { GradientTolerance = 1e-12, MaxIterations = 200 };

    [Fact]
    public async Task Lbfgs_over_local_shards_agrees_with_plain_Lbfgs_to_1e12_relative()
    {
        var sharded = Model.Start();
        var plain = Model.Start();

        var a = await ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>(Model.LocalShards()).MinimizeLbfgsAsync(sharded, Tight);
        var b = Lbfgs.Minimize(new Model.LossObjective(), Model.All(), plain, Tight);

        Assert.True(a.Converged && b.Converged, a + " / " + b);
        double difference = Model.MaxRelativeDifference(sharded, plain);
        Assert.InRange(difference, 0.0, 1e-12);
        Assert.InRange(Model.MaxRelativeDifference(sharded, Model.TrueWeights), 0.0, 0.2); // and it learned the model
    }

    [Fact]
    public async Task Full_batch_gradient_descent_over_one_local_shard_takes_the_runtimes_steps()
    {
        var data = Model.All();
        var sharded = Model.Start();
        var plain = Model.Start();
        var options = new GradientDescentOptions { MaxIterations = 40 };

        var a = await ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>([data]).MinimizeGradientDescentAsync(sharded, options);
        var b = GradientDescent.Minimize(new Model.LossObjective(), data, plain, options);

        // One shard of weight N/N = 1 is exactly the runtime's mean: the same bits, step for step.
        Assert.True(Model.BitEqual(sharded, plain));
        Assert.Equal(b.FunctionEvaluations, a.FunctionEvaluations);
    }

    [Fact]
    public async Task Data_parallel_Adam_over_one_unshuffled_shard_agrees_with_the_Trainer()
    {
        var data = Model.All()[..10_000];
        var sharded = Model.Start();
        var plain = Model.Start();
        var options = new TrainingOptions(new Adam(0.02)) { BatchSize = 500, MaxEpochs = 5, Shuffle = false };

        var a = await ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>([data]).FitAsync(sharded, options);
        var b = Trainer.Fit(new Model.LossObjective(), data, plain, options);

        Assert.Equal(b.Steps, a.Steps);
        Assert.Equal(100, a.Steps);
        Assert.InRange(Model.MaxRelativeDifference(sharded, plain), 0.0, 1e-12);
        Assert.InRange(Math.Abs(a.FinalLoss - b.FinalLoss) / b.FinalLoss, 0.0, 1e-12);
    }

    [Fact]
    public void Each_epoch_visits_every_row_of_a_shard_once_in_a_seeded_order()
    {
        const int Rows = 1_003;
        const int Steps = 7;
        int[] epoch1 = ShardPermutation.Create(Rows, seed: 5, shard: 2, epoch: 1, shuffle: true);
        int[] again = ShardPermutation.Create(Rows, seed: 5, shard: 2, epoch: 1, shuffle: true);
        int[] epoch2 = ShardPermutation.Create(Rows, seed: 5, shard: 2, epoch: 2, shuffle: true);
        int[] shard3 = ShardPermutation.Create(Rows, seed: 5, shard: 3, epoch: 1, shuffle: true);

        Assert.Equal(Enumerable.Range(0, Rows), epoch1.Order());
        Assert.Equal(epoch1, again);
        Assert.NotEqual(epoch1, epoch2);
        Assert.NotEqual(epoch1, shard3);
        var covered = Enumerable.Range(0, Steps).Select(step => ShardPermutation.Slice(Rows, step, Steps)).ToArray();
        Assert.Equal(0, covered[0].Start);
        Assert.Equal(Rows, covered[^1].End);
        Assert.All(covered.Zip(covered.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.All(covered, slice => Assert.InRange(slice.End - slice.Start, Rows / Steps, Rows / Steps + 1));
    }

    [Fact]
    public async Task A_NaN_row_names_the_shard_and_the_row()
    {
        var shards = Model.Shards();
        shards[2][41] = shards[2][41] with { x2 = double.NaN };

        var error = await Assert.ThrowsAsync<NonFiniteException>(() => ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>(shards.Select(s => new ReadOnlyMemory<Model.LossSample>(s)).ToArray()).MinimizeLbfgsAsync(Model.Start()));

        var shard = Assert.IsType<ShardNonFiniteException>(error.InnerException);
        Assert.Equal((2, 41, 0), (shard.Shard, shard.Row, shard.Iteration));
        Assert.Contains("shard 2", error.Message);
        Assert.Contains("row 41", error.Message);
    }

    [Fact]
    public async Task Checkpoints_hold_the_best_point_of_a_minimizer_and_the_last_epoch_of_training()
    {
        var trainer = ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>(Model.LocalShards(), options: new ShardedTrainerOptions { RunId = "run-7" });
        Assert.Null(await trainer.ReadCheckpointAsync());

        var p = Model.Start();
        var result = await trainer.MinimizeLbfgsAsync(p, Tight);
        var checkpoint = await trainer.ReadCheckpointAsync();
        Assert.NotNull(checkpoint);
        Assert.Equal(("run-7", "L-BFGS"), (checkpoint.RunId, checkpoint.Method));
        Assert.Equal(result.FunctionEvaluations, checkpoint.Iteration);
        Assert.True(Model.BitEqual(p, checkpoint.Parameters), "the last checkpoint is the final point");
        Assert.InRange(trainer.Statistics.Checkpoints, 3, result.FunctionEvaluations + 1);

        var q = Model.Start();
        var fit = await trainer.FitAsync(q, new TrainingOptions(new Sgd(0.5)) { BatchSize = 2_000, MaxEpochs = 3, Seed = 3 });
        checkpoint = await trainer.ReadCheckpointAsync();
        Assert.Equal((3, fit.Steps, "SGD"), (checkpoint!.Iteration, checkpoint.Steps, checkpoint.Method));
        Assert.True(Model.BitEqual(q, checkpoint.Parameters));
        Assert.Equal(fit.FinalLoss, checkpoint.Loss);
    }
}
