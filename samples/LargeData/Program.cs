using System;
using System.Globalization;

namespace SymGrad.Samples.LargeData;

/// <summary>Entry point: <c>dotnet run -c Release --project samples/LargeData [-- samples]</c> (default 2,000,000).</summary>
public static class Program
{
    /// <summary>Runs the sample on the console; 0 when L-BFGS converges to the true weights.</summary>
    public static int Main(string[] args)
        => LargeDataDemo.Run(Console.Out, args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : LargeDataDemo.DefaultSamples);
}
