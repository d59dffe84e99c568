using System;

namespace SymGrad.Orleans;

/// <summary>
/// The state a run saved after an iteration: the best parameters so far (L-BFGS, gradient descent; the result once
/// the run ends) or the parameters after an epoch (data-parallel training), with where the run was. Read it with
/// <see cref="ShardedTrainer.ReadCheckpointAsync"/> to restart a coordinator that died.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed class TrainingCheckpoint
{
    /// <summary>The run id (<see cref="ShardedTrainerOptions.RunId"/>).</summary>
    [Id(0)]
    public string RunId { get; init; } = string.Empty;

    /// <summary>"L-BFGS", "GradientDescent", "SGD", "Adam", …</summary>
    [Id(1)]
    public string Method { get; init; } = string.Empty;

    /// <summary>Evaluations (minimizers) or epochs (data-parallel training) completed when it was written.</summary>
    [Id(2)]
    public int Iteration { get; init; }

    /// <summary>Optimizer steps taken (data-parallel training; 0 for the minimizers).</summary>
    [Id(3)]
    public long Steps { get; init; }

    /// <summary>The mean loss at <see cref="Parameters"/>.</summary>
    [Id(4)]
    public double Loss { get; init; }

    /// <summary>The parameters.</summary>
    [Id(5)]
    public double[] Parameters { get; init; } = Array.Empty<double>();
}
