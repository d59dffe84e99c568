using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace SymGrad.Orleans.Tests;

/// <summary>How every test silo is configured (TestingHost creates configurators by type, so all state here is static).</summary>
public sealed class ClusterSetup : ISiloConfigurator
{
    /// <summary>The directory of the "files" data set: shard 0 exists once a test writes it, shard 1 never does.</summary>
    public static readonly string FilesDirectory = Path.Combine(Path.GetTempPath(), "symgrad-orleans-tests");

    public static string MissingFile => Path.Combine(FilesDirectory, "shard1-missing.bin");

    public void Configure(ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(SymGradSiloOptions.CheckpointStorageName);
        ConfigureWithoutStorage(silo);
    }

    public static void ConfigureWithoutStorage(ISiloBuilder silo)
    {
        silo.AddSymGrad(options => options.LoadTimeout = TimeSpan.FromSeconds(2));

        // A dead silo is declared dead after about a second of missed probes, so its shards move quickly.
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.NumMissedProbesLimit = 2;
            options.NumVotesForDeathDeclaration = 1;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        });

        silo.AddShardedDataSet<Model.LossObjective, Model.LossSample>("logistic", Model.Source());
        silo.AddShardedDataSet<DelayedObjective, Model.LossSample>("delayed", Model.Source());
        for (int i = 1; i <= 3; i++)
        {
            silo.AddShardedDataSet<Model.LossObjective, Model.LossSample>("silos" + i, Model.Source());
        }

        silo.AddShardedDataSet<Model.LossObjective, Model.LossSample>("bad", ShardSource.FromLoader(Model.ShardSizes.Length, (shard, _) =>
        {
            Model.LossSample[] rows = Model.Shard(shard);
            if (shard == 2)
            {
                rows[5] = rows[5] with { x3 = double.NaN };
            }

            return ValueTask.FromResult(rows);
        }));
        silo.AddShardedDataSet<Model.LossObjective, Model.LossSample>("files", ShardSource.FromFiles<Model.LossSample>([Path.Combine(FilesDirectory, "shard0.bin"), MissingFile]));
        silo.AddShardedDataSet<Model.LossObjective, Model.LossSample>("hangs", ShardSource.FromLoader<Model.LossSample>(2, async (shard, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }));
    }

    public static async Task<TestCluster> StartAsync(short silos, bool checkpointStorage = true)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        if (checkpointStorage)
        {
            builder.AddSiloBuilderConfigurator<ClusterSetup>();
        }
        else
        {
            builder.AddSiloBuilderConfigurator<WithoutCheckpointStorage>();
        }

        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

/// <summary>The same silos without the grain storage that checkpoints need.</summary>
public sealed class WithoutCheckpointStorage : ISiloConfigurator
{
    public void Configure(ISiloBuilder silo) => ClusterSetup.ConfigureWithoutStorage(silo);
}

/// <summary>The generated objective, with a pause before each batched sum while <see cref="PauseMilliseconds"/> is set: keeps a round in flight long enough to kill a silo under it. Same bits as <see cref="Model.LossObjective"/>.</summary>
public readonly struct DelayedObjective : IObjective<Model.LossSample>
{
    public static volatile int PauseMilliseconds;

    /// <summary>Set when a shard has entered a pause: the round is in flight (the silos run in this process).</summary>
    public static readonly ManualResetEventSlim Paused = new(false);

    /// <summary>How many shard calls have entered a pause since it was last reset (every shard of a round, once they are all in flight).</summary>
    public static int Entered;

    public int ParameterCount => default(Model.LossObjective).ParameterCount;

    public string GetParameterName(int index) => default(Model.LossObjective).GetParameterName(index);

    public double Value(in Model.LossSample sample, ReadOnlySpan<double> parameters) => default(Model.LossObjective).Value(sample, parameters);

    public double ValueAndGradient(in Model.LossSample sample, ReadOnlySpan<double> parameters, Span<double> gradient) => default(Model.LossObjective).ValueAndGradient(sample, parameters, gradient);

    public double SumValue(ReadOnlySpan<Model.LossSample> samples, ReadOnlySpan<double> parameters)
        => default(Model.LossObjective).SumValue(samples, parameters);

    public double SumValueAndGradient(ReadOnlySpan<Model.LossSample> samples, ReadOnlySpan<double> parameters, Span<double> gradientSum)
    {
        int pause = PauseMilliseconds;
        if (pause > 0)
        {
            Interlocked.Increment(ref Entered);
            Paused.Set();
            Thread.Sleep(pause);
        }

        return default(Model.LossObjective).SumValueAndGradient(samples, parameters, gradientSum);
    }
}
