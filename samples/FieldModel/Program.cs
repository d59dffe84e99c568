using System;
using System.IO;

namespace SymGrad.Samples.FieldModel;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/FieldModel</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console, writing the plot to the directory given as the first argument (default artifacts/samples); 0 when the fit succeeds.</summary>
    public static int Main(string[] args) => FieldModelDemo.Run(Console.Out, args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "artifacts", "samples"));
}
