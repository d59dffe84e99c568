using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// The source text a generator diagnostic points at. SymGrad reports locations as plain data (path + span, so the
/// pipeline models stay cacheable); they come back as file locations without a syntax tree, so the tree is looked up
/// by path in the run's input compilation.
/// </summary>
public static class DiagnosticText
{
    public static string At(GeneratorRun run, Diagnostic d)
    {
        if (d.Location == Location.None)
        {
            return "<no location>";
        }

        string path = d.Location.GetLineSpan().Path;
        var tree = d.Location.SourceTree ?? run.InputCompilation.SyntaxTrees.SingleOrDefault(t => t.FilePath == path)
            ?? throw new InvalidOperationException($"{d.Id} points into '{path}', which is not a file of the compilation.");
        return tree.GetText().ToString(d.Location.SourceSpan);
    }

    /// <summary><c>"ID Severity text-at-span"</c>, the compact form the tests compare.</summary>
    public static string Describe(GeneratorRun run, Diagnostic d) => d.Id + " " + d.Severity + " " + At(run, d);
}
