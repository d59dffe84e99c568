using System.Collections.Generic;
using System.Linq;

namespace SymGrad.Orleans;

/// <summary>
/// Where the time of a sharded run went: the coordinator's wall time per round of shard calls against the shards'
/// compute time, checkpoints, retries, and rows per second per silo.
/// </summary>
public sealed class ShardedRunStatistics
{
    private readonly Dictionary<string, (long Rows, double Seconds)> _silos = new();

    /// <summary>Rounds of shard calls (full-batch evaluations and mini-batch steps).</summary>
    public int Rounds { get; private set; }

    /// <summary>Coordinator wall time of those rounds, from the first call sent to the last answer combined.</summary>
    public double RoundSeconds { get; private set; }

    /// <summary>Σ over rounds of the slowest shard's compute time: the part of <see cref="RoundSeconds"/> that is computation.</summary>
    public double CriticalComputeSeconds { get; private set; }

    /// <summary>Σ over rounds and shards of compute time.</summary>
    public double ShardComputeSeconds { get; private set; }

    /// <summary>Time spent writing checkpoints.</summary>
    public double CheckpointSeconds { get; private set; }

    /// <summary>Checkpoints written.</summary>
    public int Checkpoints { get; private set; }

    /// <summary>Shard calls retried after a failure of the transport or a silo.</summary>
    public int Retries { get; internal set; }

    /// <summary>Coordination overhead per round: (wall − slowest shard's compute) / rounds, in seconds.</summary>
    public double OverheadPerRound => Rounds == 0 ? 0.0 : (RoundSeconds - CriticalComputeSeconds) / Rounds;

    /// <summary>Rows and compute time per silo, ordered by silo.</summary>
    public IReadOnlyList<SiloThroughput> Silos => _silos.OrderBy(pair => pair.Key, System.StringComparer.Ordinal).Select(pair => new SiloThroughput(pair.Key, pair.Value.Rows, pair.Value.Seconds)).ToArray();

    internal void AddRound(double wallSeconds, ShardEvaluation[] answers)
    {
        Rounds++;
        RoundSeconds += wallSeconds;
        double slowest = 0.0;
        foreach (ShardEvaluation answer in answers)
        {
            slowest = System.Math.Max(slowest, answer.ComputeSeconds);
            ShardComputeSeconds += answer.ComputeSeconds;
            _silos.TryGetValue(answer.Silo, out var silo);
            _silos[answer.Silo] = (silo.Rows + answer.Rows, silo.Seconds + answer.ComputeSeconds);
        }

        CriticalComputeSeconds += slowest;
    }

    internal void AddCheckpoint(double seconds)
    {
        Checkpoints++;
        CheckpointSeconds += seconds;
    }
}
