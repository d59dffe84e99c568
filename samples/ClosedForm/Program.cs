using System;
using System.IO;

namespace SymGrad.Samples.ClosedForm;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/ClosedForm</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console; 0 when Newton converges to logit(t) in fewer iterations than gradient descent.</summary>
    public static int Main(string[] args) => ClosedFormDemo.Run(Console.Out, args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "artifacts", "samples"));
}
