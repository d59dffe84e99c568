using System;
using System.IO;

namespace SymGrad.Samples.Xor;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/Xor</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console, writing the plot to the directory given as the first argument (default artifacts/samples); 0 when XOR is learned.</summary>
    public static int Main(string[] args) => XorDemo.Run(Console.Out, args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "artifacts", "samples"));
}
