using System;
using System.IO;

namespace SymGrad.Benchmarks.Reporting;

/// <summary>Finds the repository root (the folder holding SymGrad.sln).</summary>
public static class RepoPaths
{
    /// <summary>Walks up from the working directory, then from the binary, to SymGrad.sln.</summary>
    public static string FindRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SymGrad.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("SymGrad.sln not found above the working directory or the binary; run from the repository.");
    }
}
