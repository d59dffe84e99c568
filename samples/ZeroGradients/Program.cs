using System;
using System.IO;

namespace SymGrad.Samples.ZeroGradients;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/ZeroGradients</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console; 0 when the numbers bear out all three of seed 000's claims.</summary>
    public static int Main(string[] args) => ZeroGradientsDemo.Run(Console.Out, args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "artifacts", "samples"));
}
