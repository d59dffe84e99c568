using System;
using System.IO;

namespace SymGrad.Samples.Saturation;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/Saturation</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console; 0 when SymGrad's gradient is nonzero and its run recovers.</summary>
    public static int Main(string[] args) => SaturationDemo.Run(Console.Out, args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "artifacts", "samples"));
}
