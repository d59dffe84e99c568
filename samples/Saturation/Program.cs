using System;

namespace SymGrad.Samples.Saturation;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/Saturation</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console; 0 when SymGrad's gradient is nonzero and its run recovers.</summary>
    public static int Main() => SaturationDemo.Run(Console.Out, Environment.CurrentDirectory);
}
