namespace SymGrad.Generator;

internal static class ThisAssembly
{
    /// <summary>Written into [GeneratedCode]; constant so output is deterministic across builds.</summary>
    public const string Version = "0.1.0";
}
