namespace SymGrad.Orleans;

/// <summary>What the shards on one silo computed during a run.</summary>
/// <param name="Silo">The silo's address.</param>
/// <param name="Rows">Rows evaluated (each evaluation of a row counts once).</param>
/// <param name="ComputeSeconds">Seconds its shards spent computing.</param>
public sealed record SiloThroughput(string Silo, long Rows, double ComputeSeconds)
{
    /// <summary>Rows per second of compute.</summary>
    public double RowsPerSecond => ComputeSeconds > 0 ? Rows / ComputeSeconds : 0.0;
}
