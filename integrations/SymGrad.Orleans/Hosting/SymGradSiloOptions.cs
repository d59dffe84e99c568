using System;

namespace SymGrad.Orleans;

/// <summary>Silo-side settings of SymGrad.Orleans (<see cref="SymGradSiloBuilderExtensions.AddSymGrad"/>).</summary>
public sealed class SymGradSiloOptions
{
    /// <summary>
    /// The name of the grain storage that holds training checkpoints: register one under this name (e.g.
    /// <c>AddMemoryGrainStorage("symgrad")</c> in development, a durable provider in production).
    /// </summary>
    public const string CheckpointStorageName = "symgrad";

    /// <summary>Longest a shard may take to load from its source before the load fails with <see cref="ShardSourceException"/>. Default 5 minutes.</summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
