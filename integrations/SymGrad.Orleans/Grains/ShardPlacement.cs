using System;
using System.Linq;
using System.Threading.Tasks;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace SymGrad.Orleans;

/// <summary>Places shard k on the (k mod S)-th of the S compatible silos in address order: shards spread evenly, and re-spread over the survivors after a silo dies.</summary>
[GenerateSerializer]
[Immutable]
[SuppressReferenceTracking]
internal sealed class ShardPlacementStrategy : PlacementStrategy
{
}

/// <summary>Marks a grain class as placed by <see cref="ShardPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ShardPlacementAttribute() : PlacementAttribute(new ShardPlacementStrategy())
{
}

/// <summary>The director of <see cref="ShardPlacementStrategy"/>.</summary>
internal sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        SiloAddress[] silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
        {
            throw new InvalidOperationException("No silo can host shard grain " + target.GrainIdentity + ".");
        }

        Array.Sort(silos);
        int shard = ShardKey.Parse(target.GrainIdentity.Key.ToString()).Shard;
        return Task.FromResult(silos[shard % silos.Length]);
    }
}
