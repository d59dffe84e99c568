using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans.TestingHost;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Orleans.Tests;

/// <summary>Clusters that change under a run: more silos (same bits), and a silo killed while a round is in flight.</summary>
[Collection("cluster")]
public sealed class FaultToleranceTests(ITestOutputHelper log)
{
    private static readonly LbfgsOptions Tight = new() { GradientTolerance = 1e-12, MaxIterations = 200 };

    [Fact]
    public async Task One_two_and_three_silos_give_bit_identical_parameters()
    {
        var reference = Model.Start();
        await ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>(Model.LocalShards()).MinimizeLbfgsAsync(reference, Tight);
        await using TestCluster cluster = await ClusterSetup.StartAsync(1);
        for (int silos = 1; silos <= 3; silos++)
        {
            if (silos > 1)
            {
                await cluster.StartAdditionalSiloAsync();
                await cluster.WaitForLivenessToStabilizeAsync();
            }

            // A data set of the same shards under a new name, so its shard grains are placed on the cluster as it is now.
            var trainer = ShardedTrainer.ForCluster(cluster.Client, "silos" + silos);
            var locations = await trainer.LoadAsync();
            var p = Model.Start();
            await trainer.MinimizeLbfgsAsync(p, Tight);

            Assert.Equal(silos, locations.Select(l => l.Silo).Distinct().Count());
            Assert.True(Model.BitEqual(reference, p), silos + " silo(s): " + string.Join(", ", p));
        }

        // With every silo gone, the coordinator gives up after its attempts instead of hanging.
        foreach (SiloHandle silo in cluster.Silos.ToArray())
        {
            await cluster.KillSiloAsync(silo);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var gone = ShardedTrainer.ForCluster(cluster.Client, "silos3", new ShardedTrainerOptions { MaxAttempts = 2, CallTimeout = TimeSpan.FromSeconds(2), RetryDelay = TimeSpan.FromSeconds(0.1) });
        var error = await Assert.ThrowsAsync<ShardUnavailableException>(() => gone.MinimizeLbfgsAsync(Model.Start(), Tight));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 15);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("did not answer in 2 attempt(s)", error.Message);
    }

    [Fact]
    public async Task A_silo_killed_during_a_round_loses_nothing_and_the_run_ends_with_the_undisturbed_bits()
    {
        var reference = Model.Start();
        var undisturbed = await ShardedTrainer.ForLocalShards<Model.LossObjective, Model.LossSample>(Model.LocalShards()).MinimizeLbfgsAsync(reference, Tight);
        await using TestCluster cluster = await ClusterSetup.StartAsync(3);
        var retries = new ConcurrentQueue<ShardRetry>();
        var trainer = ShardedTrainer.ForCluster(cluster.Client, "delayed", new ShardedTrainerOptions { RetryDelay = TimeSpan.FromSeconds(0.2), CallTimeout = TimeSpan.FromSeconds(5), OnRetry = retries.Enqueue });
        var before = await trainer.LoadAsync();
        SiloHandle victim = cluster.SecondarySilos.First(silo => before.Any(l => l.Silo == silo.SiloAddress.ToString()));
        int[] victimShards = before.Where(l => l.Silo == victim.SiloAddress.ToString()).Select(l => l.Shard).ToArray();
        Task? kill = null;
        var progress = new Synchronous(report =>
        {
            if (report.Epoch == 3 && kill is null)
            {
                // The next round pauses 3 s in every shard; the victim dies 0.3 s after every shard has entered that pause,
                // so its answer is lost: the call fails or times out, and is sent again. (Waiting for the pauses themselves,
                // not a fixed delay after this report, keeps a loaded machine from finishing the kill before the round
                // starts; waiting for all of them, not the first, keeps the victim's shards from running after the pause
                // is switched off and answering before the kill.)
                DelayedObjective.Paused.Reset();
                Interlocked.Exchange(ref DelayedObjective.Entered, 0);
                DelayedObjective.PauseMilliseconds = 3_000;
                kill = Task.Run(async () =>
                {
                    var waiting = System.Diagnostics.Stopwatch.StartNew();
                    while (Volatile.Read(ref DelayedObjective.Entered) < before.Count && waiting.Elapsed < TimeSpan.FromSeconds(60))
                    {
                        await Task.Delay(10);
                    }

                    Assert.True(Volatile.Read(ref DelayedObjective.Entered) >= before.Count, "not every shard entered the pause");
                    await Task.Delay(300);
                    DelayedObjective.PauseMilliseconds = 0;
                    await cluster.KillSiloAsync(victim);
                });
            }
        });

        var p = Model.Start();
        MinimizationResult result;
        try
        {
            result = await trainer.MinimizeLbfgsAsync(p, Tight, progress);
        }
        finally
        {
            DelayedObjective.PauseMilliseconds = 0;
        }

        await kill!;
        var after = await trainer.LoadAsync();
        foreach (ShardRetry retry in retries)
        {
            log.WriteLine($"{retry.Call} attempt {retry.Attempt}: {retry.Error.GetType().Name}: {retry.Error.Message}");
        }

        Assert.True(Model.BitEqual(reference, p), string.Join(", ", p) + " vs " + string.Join(", ", reference));
        Assert.Equal(undisturbed.FunctionEvaluations, result.FunctionEvaluations);
        Assert.NotEmpty(retries);
        Assert.True(trainer.Statistics.Retries >= 1);
        Assert.DoesNotContain(after, l => l.Silo == victim.SiloAddress.ToString());
        Assert.All(after, l => Assert.Contains(cluster.Silos, silo => silo.SiloAddress.ToString() == l.Silo));
        log.WriteLine($"run: {result}; victim held shards {string.Join(", ", victimShards)}; {trainer.Statistics.Retries} retried call(s)");
        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Without_checkpoint_storage_the_run_fails_at_once_saying_what_to_add_and_runs_with_checkpoints_off()
    {
        await using TestCluster cluster = await ClusterSetup.StartAsync(1, checkpointStorage: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ShardedTrainer.ForCluster(cluster.Client, "logistic").MinimizeLbfgsAsync(Model.Start(), Tight));

        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
        Assert.Contains("Checkpoints need a grain storage named 'symgrad'", error.Message);
        Assert.True(ClusterFleet.IsMissingStorage(error.InnerException), error.InnerException?.ToString());
        var p = Model.Start();
        var result = await ShardedTrainer.ForCluster(cluster.Client, "logistic", new ShardedTrainerOptions { Checkpoints = false }).MinimizeLbfgsAsync(p, Tight);
        Assert.True(result.Converged);
        await cluster.StopAllSilosAsync();
    }

    private sealed class Synchronous(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
