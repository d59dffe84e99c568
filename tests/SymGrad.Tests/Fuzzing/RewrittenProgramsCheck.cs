using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// The check of the fuzzers' programs rewritten into another real type (float, generic math): the generator never
/// throws or fails internally (SG9999), and every program that is still valid C# after the rewrite gets an error
/// diagnostic or generated code that compiles with no error or warning.
/// </summary>
internal static class RewrittenProgramsCheck
{
    /// <param name="sources">The rewritten programs.</param>
    /// <param name="minimumGenerated">How many generated files make the run meaningful.</param>
    /// <param name="what">The rewrite, for messages ("float", "generic math").</param>
    /// <param name="output">Where the summary (and the first rejections) go.</param>
    public static void Check(List<string> sources, int minimumGenerated, string what, ITestOutputHelper output)
    {
        var run = GeneratorHarness.Run(sources);
        run.AssertNoExceptions();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "SG9999");

        // Inputs that are valid C# after the rewrite (an int index computed with MathF is not): run again on those alone.
        var invalid = run.InputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is not null)
            .Select(d => d.Location.SourceTree!).ToHashSet();
        var valid = run.InputCompilation.SyntaxTrees.Where(t => !invalid.Contains(t)).Select(t => t.ToString()).ToList();
        var validRun = GeneratorHarness.Run(valid);
        validRun.AssertNoExceptions();
        Assert.DoesNotContain(validRun.GeneratorDiagnostics, d => d.Id == "SG9999");
        var generated = validRun.OutputCompilation.SyntaxTrees.Except(validRun.InputCompilation.SyntaxTrees).ToHashSet();
        var problems = validRun.CompilationDiagnostics.Where(d => d.Location.SourceTree is SyntaxTree t && generated.Contains(t)).ToList();
        Assert.True(problems.Count == 0, "generated code of programs in " + what + " does not compile cleanly:\n" + GeneratorHarness.Format(problems));

        foreach (Diagnostic d in validRun.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(12))
        {
            output.WriteLine("rejected: " + d); // so that a surge of rejections shows what they are
        }

        int rejected = validRun.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.SourceTree).Distinct().Count();
        int emitted = validRun.GeneratedSources.Count;
        output.WriteLine($"{sources.Count} programs: {valid.Count} valid C# in {what}, {rejected} of them rejected with an error, {emitted} files generated");
        Assert.True(emitted >= minimumGenerated, $"only {emitted} files generated for {valid.Count} valid programs in {what}: the test checks too little");
    }
}
