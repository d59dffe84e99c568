using System;

namespace SymGrad.Samples.TinyNet;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/TinyNet</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console; the exit code is 0 when every check passed.</summary>
    public static int Main() => TinyNetDemo.Run(Console.Out, Environment.CurrentDirectory);
}
