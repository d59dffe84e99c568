using System;
using System.IO;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (found by walking up from the test binaries to <c>SymGrad.sln</c>).</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory that holds <c>SymGrad.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The full path of <paramref name="relativePath"/> (forward slashes) under <see cref="Root"/>.</summary>
    public static string PathOf(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SymGrad.sln")))
            {
                return dir.FullName;
            }
        }

        throw new XunitException($"No SymGrad.sln in {AppContext.BaseDirectory} or any directory above it");
    }
}
