using System.Threading.Tasks;

namespace SymGrad.Orleans;

/// <summary>The checkpoint of one training run (key: the run id), kept in the grain storage named <see cref="SymGradSiloOptions.CheckpointStorageName"/>.</summary>
internal interface ICheckpointGrain : IGrainWithStringKey
{
    Task WriteAsync(TrainingCheckpoint checkpoint);

    Task<TrainingCheckpoint?> ReadAsync();
}
