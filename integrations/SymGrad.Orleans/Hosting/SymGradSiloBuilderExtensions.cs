using System;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace SymGrad.Orleans;

/// <summary>Configures a silo to host SymGrad shards, in Orleans' <see cref="ISiloBuilder"/> conventions.</summary>
public static class SymGradSiloBuilderExtensions
{
    /// <summary>
    /// Adds the shard grains' placement (shard k on silo k mod S) and SymGrad's silo options. Call on every silo, with a
    /// grain storage named <see cref="SymGradSiloOptions.CheckpointStorageName"/> for checkpoints.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Changes the options (e.g. the load timeout); null keeps the defaults.</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder AddSymGrad(this ISiloBuilder builder, Action<SymGradSiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>();
        builder.Services.AddOptions<SymGradSiloOptions>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Registers data set <paramref name="name"/>: its shards come from <paramref name="source"/> and are evaluated with
    /// <typeparamref name="TObjective"/> (the generated <c>MObjective</c>). Register it the same way on every silo, since
    /// any silo may host any shard (and takes shards over when a silo dies).
    /// </summary>
    /// <typeparam name="TObjective">The generated objective struct.</typeparam>
    /// <typeparam name="TSample">Its sample struct.</typeparam>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The data set's name (no '/'), which the coordinator names too.</param>
    /// <param name="source">Where the shards are read from.</param>
    /// <param name="objective">The objective; default(<typeparamref name="TObjective"/>) when omitted.</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder AddShardedDataSet<TObjective, TSample>(this ISiloBuilder builder, string name, IShardSource<TSample> source, TObjective objective = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        ShardedTrainer.CheckDataSetName(name);
        builder.Services.AddKeyedSingleton<IShardedDataSet>(name, new ShardedDataSet<TObjective, TSample>(name, objective, source));
        return builder;
    }
}
