using System.Threading.Tasks;
using Orleans.Runtime;

namespace SymGrad.Orleans;

/// <summary>Persists a run's latest checkpoint through Orleans grain storage (memory for development, any provider in production).</summary>
internal sealed class CheckpointGrain([PersistentState("checkpoint", SymGradSiloOptions.CheckpointStorageName)] IPersistentState<CheckpointState> state) : Grain, ICheckpointGrain
{
    public async Task WriteAsync(TrainingCheckpoint checkpoint)
    {
        state.State.Latest = checkpoint;
        await state.WriteStateAsync().ConfigureAwait(true);
    }

    public Task<TrainingCheckpoint?> ReadAsync() => Task.FromResult(state.State.Latest);
}

/// <summary>The stored state of <see cref="CheckpointGrain"/>.</summary>
[GenerateSerializer]
internal sealed class CheckpointState
{
    [Id(0)]
    public TrainingCheckpoint? Latest { get; set; }
}
