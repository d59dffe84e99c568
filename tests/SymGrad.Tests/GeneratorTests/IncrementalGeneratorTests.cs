using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Generator;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// The real generator's incremental pipeline: the named steps <see cref="TrackingNames.Methods"/> and
/// <see cref="TrackingNames.Differentiated"/> stay Cached/Unchanged on unrelated edits and on a re-run, are Modified
/// when a differentiated method changes, and never hold Roslyn objects.
/// </summary>
public sealed class IncrementalGeneratorTests
{
    private static readonly string[] Steps = { TrackingNames.Methods, TrackingNames.Differentiated };

    private const string Other = """
        namespace Elsewhere
        {
            public static class Unrelated
            {
                public static int Answer() => 41;
            }
        }
        """;

    // The seed, plus an unrelated class after the methods in the same file.
    private const string Model = TinyNetSeed.Source + """


        public static class SameFileHelper
        {
            public static int Value() => 7;
        }
        """;

    private static IncrementalRun Start() => IncrementalAssert.Start(GeneratorHarness.CreateCompilation(Model, Other));

    [Fact]
    public void The_steps_are_tracked_under_their_public_names()
    {
        var run = Start();
        foreach (var step in Steps)
        {
            Assert.Equal(2, run.Steps[step].SelectMany(s => s.Outputs).Count());
        }
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_the_steps_cached_or_unchanged()
    {
        Start().AddUnrelatedFile().AssertAllCachedOrUnchanged(Steps).AddUnrelatedFile().AssertAllCachedOrUnchanged(Steps);
    }

    [Fact]
    public void Editing_an_unrelated_class_in_another_file_leaves_the_steps_cached_or_unchanged()
    {
        Start().ReplaceText("=> 41;", "=> 42 + 1;").AssertAllCachedOrUnchanged(Steps);
    }

    [Fact]
    public void Editing_an_unrelated_class_later_in_the_same_file_leaves_the_steps_cached_or_unchanged()
    {
        Start().ReplaceText("=> 7;", "=> 7 * 6;").AssertAllCachedOrUnchanged(Steps);
    }

    [Fact]
    public void Rerunning_on_a_cloned_compilation_leaves_everything_cached()
    {
        // A clone is a new Compilation, so Roslyn re-runs the ForAttributeWithMetadataName transform (Methods): its
        // outputs compare equal (Unchanged) and nothing after it runs again (Differentiated: Cached).
        var run = Start().RerunClone().AssertAllCachedOrUnchanged(Steps);
        var differentiated = run.Steps[TrackingNames.Differentiated].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(2, differentiated.Count);
        Assert.All(differentiated, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Equal(run.Driver.GetRunResult().GeneratedTrees.Length, Start().Driver.GetRunResult().GeneratedTrees.Length);
    }

    [Fact]
    public void Editing_one_method_does_not_re_derive_an_independent_method_below_it()
    {
        // A and B are independent; B sits below A in the same file, so editing A moves B's text.
        var run = IncrementalAssert.Start("""
            using SymGrad;
            public static partial class P
            {
                [Differentiable] public static double A(double x) => x * x;
                [Differentiable] public static double B(double x, double y) => x * y + y;
            }
            """).ReplaceText("=> x * x;", "=> x * x * x + 1;");
        var outputs = run.Steps[TrackingNames.Differentiated].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(IncrementalStepRunReason.Modified, outputs.Single(o => o.Value.ToString()!.Contains("P.A_1.g.cs", StringComparison.Ordinal)).Reason);

        // Cached: B was not differentiated again. (Unchanged would mean it was, with an equal result.)
        Assert.Equal(IncrementalStepRunReason.Cached, outputs.Single(o => o.Value.ToString()!.Contains("P.B_2.g.cs", StringComparison.Ordinal)).Reason);
    }

    [Fact]
    public void Editing_a_differentiated_method_modifies_only_that_method()
    {
        var run = Start().ReplaceText("return (y - a) * (y - a);", "return (a - y) * (a - y) * 0.5;");
        run.AssertSomeModified(Steps);

        // Predict is untouched: one Modified and one Cached/Unchanged output in each step.
        foreach (var step in Steps)
        {
            var reasons = run.Steps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New));
            Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }

        var generated = run.Driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("TinyNet.Loss_6.g.cs", StringComparison.Ordinal));
        Assert.Contains("0.5", generated.GetText().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_callee_modifies_the_caller()
    {
        // Loss inlines Predict: changing Predict's body must re-derive Loss too.
        var run = Start().ReplaceText("=> SymMath.Sigmoid(w3 * SymMath.Sigmoid(w2 * x + b2) + b3);", "=> SymMath.Sigmoid(w3 * SymMath.Tanh(w2 * x + b2) + b3);");
        foreach (var step in Steps)
        {
            var reasons = run.Steps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.Equal(2, reasons.Count(r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New));
        }
    }

    [Fact]
    public void Moving_a_method_keeps_its_derivation_cached_and_moves_its_diagnostics()
    {
        const string source = """
            using System;
            using SymGrad;
            public static partial class P
            {
                [Differentiable] public static double Warned(double x, double unused) => Math.Floor(x) * x;
            }
            """;
        var start = IncrementalAssert.Start(source);
        var moved = start.ReplaceText("public static partial class P", "// two new lines\n// above the type\npublic static partial class P");
        moved.AssertAllCachedOrUnchanged(TrackingNames.Differentiated);
        Assert.All(moved.Steps[TrackingNames.Differentiated].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        var text = moved.Compilation.SyntaxTrees.Single().GetText();
        var diagnostics = moved.Result.Diagnostics.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "SG0100", "SG0101" }, diagnostics.Select(d => d.Id).ToArray());
        Assert.Equal("unused", text.ToString(diagnostics[0].Location.SourceSpan)); // located by the output step
        Assert.Equal("Math.Floor(x)", text.ToString(diagnostics[1].Location.SourceSpan)); // located by the Methods step
        Assert.Equal(6, diagnostics[0].Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void Whitespace_inside_a_method_body_changes_no_derivation()
    {
        // Only the text inside the body moves; the lowered graph and the locations of the method and its parameters do not.
        Start().ReplaceText("return (y - a) * (y - a);", "return (y - a)*(y - a);").AssertAllCachedOrUnchanged(TrackingNames.Differentiated);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        Start()
            .AssertModelsAreClean(Steps)
            .ReplaceText("return (y - a) * (y - a);", "return (a - y) * (a - y) * 0.5;")
            .AssertModelsAreClean(Steps)
            .AddUnrelatedFile()
            .AssertModelsAreClean(Steps);
    }

    [Fact]
    public void Pipeline_models_of_methods_with_errors_and_warnings_are_clean_too()
    {
        var run = IncrementalAssert.Start("""
            using System;
            using SymGrad;
            public static partial class P
            {
                [Differentiable] public static double Broken(double x) { for (int i = 0; i < 2; i++) { } return x; }
                [Differentiable] public static double Warned(double x, double unused) => Math.Floor(x) + x;
            }
            """);
        run.AssertModelsAreClean(Steps);
        Assert.Equal(2, run.Steps[TrackingNames.Differentiated].SelectMany(s => s.Outputs).Count());
    }
}
