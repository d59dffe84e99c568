using System;

namespace SymGrad.Samples.Iris;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/Iris</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console, writing the plot to the current directory.</summary>
    public static int Main() => IrisDemo.Run(Console.Out, Environment.CurrentDirectory);
}
