using System;

namespace SymGrad.Samples.Xor;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/Xor</c>.</summary>
public static class Program
{
    /// <summary>Runs the sample on the console, writing the plot to the current directory; 0 when XOR is learned.</summary>
    public static int Main() => XorDemo.Run(Console.Out, Environment.CurrentDirectory);
}
