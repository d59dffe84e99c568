using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Orleans.TestingHost;
using Xunit;

namespace SymGrad.Orleans.Tests;

/// <summary>One three-silo TestingHost cluster shared by the tests of <see cref="ClusterTests"/>.</summary>
public sealed class ThreeSilos : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ClusterSetup.StartAsync(3);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition("cluster", DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ThreeSilos>
{
}

/// <summary>Training over shard grains on three silos against the same computation in one process, and the errors a user can meet.</summary>
[Collection("cluster")]
public sealed class ClusterTests(ThreeSilos fixture)
{
    private static readonly LbfgsOptions Tight = new() { GradientTolerance = 1e-12, MaxIterations = 200 };

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Lbfgs_on_three_silos_gives_the_bits_of_the_same_shards_in_one_process()
    {
        var trainer = ShardedTrainer.ForCluster(Cluster.Client, "logistic", new ShardedTrainerOptions { RunId = "lbfgs-3" });
        var locations = await trainer.LoadAsync();
        var onCluster = Model.Start();
        var local = Model.Start();

        var a = await trainer.MinimizeLbfgsAsync(onCluster, Tight);
        var b = await ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>(Model.LocalShards()).MinimizeLbfgsAsync(local, Tight);

        Assert.Equal(Model.ShardSizes, locations.Select(l => l.Rows));
        Assert.Equal(3, locations.Select(l => l.Silo).Distinct().Count()); // shard k on silo k mod 3
        Assert.True(Model.BitEqual(onCluster, local), string.Join(", ", onCluster) + " vs " + string.Join(", ", local));
        Assert.Equal(b.FunctionEvaluations, a.FunctionEvaluations);
        Assert.True(a.Converged, a.ToString());
        Assert.Equal(3, trainer.Statistics.Silos.Count);
        Assert.Equal(Model.ShardSizes.Sum() * (long)a.FunctionEvaluations, trainer.Statistics.Silos.Sum(s => s.Rows));

        var checkpoint = await trainer.ReadCheckpointAsync();
        Assert.NotNull(checkpoint);
        Assert.True(Model.BitEqual(onCluster, checkpoint.Parameters), "the finished run's checkpoint holds its result");
    }

    [Fact]
    public async Task Gradient_descent_and_data_parallel_Adam_on_three_silos_give_the_local_bits()
    {
        var trainer = ShardedTrainer.ForCluster(Cluster.Client, "logistic", new ShardedTrainerOptions { RunId = "adam-3" });
        var local = ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>(Model.LocalShards());
        var gd = new GradientDescentOptions { MaxIterations = 15 };
        var adam = new TrainingOptions(new Adam(0.05)) { BatchSize = 1_000, MaxEpochs = 3, Seed = 11 };

        var p = Model.Start();
        var q = Model.Start();
        await trainer.MinimizeGradientDescentAsync(p, gd);
        await local.MinimizeGradientDescentAsync(q, gd);
        Assert.True(Model.BitEqual(p, q));

        p = Model.Start();
        q = Model.Start();
        var a = await trainer.FitAsync(p, adam);
        var b = await local.FitAsync(q, adam);
        Assert.True(Model.BitEqual(p, q));
        Assert.Equal(b.LossHistory, a.LossHistory);
        Assert.Equal(3 * 12, a.Steps); // ⌈11,377 / 1,000⌉ steps per epoch
        Assert.True(a.FinalLoss < a.InitialLoss);
        var checkpoint = await trainer.ReadCheckpointAsync();
        Assert.Equal((3, a.Steps), (checkpoint!.Iteration, checkpoint.Steps));
        Assert.True(Model.BitEqual(p, checkpoint.Parameters));
    }

    [Fact]
    public async Task A_NaN_row_in_one_shard_fails_with_the_shard_and_the_row_and_is_not_retried()
    {
        var trainer = ShardedTrainer.ForCluster(Cluster.Client, "bad");

        var error = await Assert.ThrowsAsync<NonFiniteException>(() => trainer.MinimizeLbfgsAsync(Model.Start()));

        var shard = Assert.IsType<ShardNonFiniteException>(error.InnerException);
        Assert.Equal(("bad", 2, (int?)5, "loss"), (shard.DataSet, shard.Shard, shard.Row, shard.Name));
        Assert.Contains("shard 2 of data set 'bad', row 5 of the shard", error.Message);
        Assert.Contains("iteration 0", error.Message);
        Assert.Equal(0, trainer.Statistics.Retries);
    }

    [Fact]
    public async Task A_missing_shard_file_fails_fast_naming_the_shard_and_the_file()
    {
        Directory.CreateDirectory(ClusterSetup.FilesDirectory);
        ShardSource.WriteFile(Path.Combine(ClusterSetup.FilesDirectory, "shard0.bin"), Model.Shard(0).AsSpan());
        File.Delete(ClusterSetup.MissingFile);
        var trainer = ShardedTrainer.ForCluster(Cluster.Client, "files");
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ShardSourceException>(() => trainer.MinimizeLbfgsAsync(Model.Start()));

        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
        Assert.Equal(("files", (int?)1), (error.DataSet, error.Shard));
        Assert.Contains("Shard 1 of data set 'files' could not be loaded from file '" + ClusterSetup.MissingFile + "'", error.Message);
        Assert.Contains("FileNotFoundException", error.Message);
    }

    [Fact]
    public async Task A_source_that_hangs_and_a_data_set_no_silo_knows_fail_with_clear_errors()
    {
        var clock = Stopwatch.StartNew();
        var hangs = await Assert.ThrowsAsync<ShardSourceException>(() => ShardedTrainer.ForCluster(Cluster.Client, "hangs").LoadAsync());
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 15);
        Assert.Contains("loading took longer than the silo's LoadTimeout of 2 s", hangs.Message);

        var unknown = await Assert.ThrowsAsync<ShardSourceException>(() => ShardedTrainer.ForCluster(Cluster.Client, "nowhere").MinimizeLbfgsAsync(Model.Start()));
        Assert.Contains("Data set 'nowhere' is not registered on silo", unknown.Message);
    }
}
