using System;
using System.IO;

namespace SymGrad.Samples.TinyNet;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/TinyNet</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console; the exit code is 0 when every check passed.</summary>
    public static int Main(string[] args) => TinyNetDemo.Run(Console.Out, args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "artifacts", "samples"));
}
