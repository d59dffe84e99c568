using System;
using System.Globalization;

namespace SymGrad.Samples.Distributed;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project samples/Distributed [-- rows]</c> (default 10,000,000), or
/// <c>-- measure</c> for the coordination-overhead table.
/// </summary>
public static class Program
{
    /// <summary>Runs the sample on the console.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "measure")
        {
            return Measurements.Run(Console.Out);
        }

        if (args.Length == 7 && args[0] == "silo")
        {
            return LocalCluster.RunChildAsync(args).GetAwaiter().GetResult();
        }

        return DistributedDemo.Run(Console.Out, args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : DistributedDemo.DefaultRows);
    }
}
