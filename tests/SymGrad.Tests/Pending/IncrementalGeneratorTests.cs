using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.Pending;

/// <summary>
/// The generator runs on every keystroke: edits that do not touch a [Differentiable] method must leave every
/// tracked step Cached/Unchanged, an edit of one method must re-derive that method only, and no pipeline model may
/// hold Roslyn objects.
/// </summary>
public sealed class IncrementalGeneratorTests
{
    // Tracking names of the pipeline steps (keep in sync with SymGrad.Generator.TrackingNames; once that class exists
    // these may simply read e.g. `SymGrad.Generator.TrackingNames.Methods`).
    public const string MethodsStep = "Methods";
    public const string DifferentiatedStep = "Differentiated";
    public const string OutputStep = "Output";

    private static readonly string[] AllSteps = { MethodsStep, DifferentiatedStep, OutputStep };

    private const string UnrelatedCode = """
        public static class Other
        {
            public static int Unrelated() => 41;
        }
        """;

    private static IncrementalRun Start() =>
        IncrementalAssert.Start(GeneratorHarness.CreateCompilation(TinyNetSeed.Source, UnrelatedCode));

    [Fact]
    public void Initial_run_tracks_every_step_and_generates_code()
    {
        var run = Start();
        foreach (var step in AllSteps)
        {
            Assert.True(run.Steps.ContainsKey(step), $"step '{step}' not tracked:\n{IncrementalAssert.Describe(run.Result)}");
        }

        Assert.NotEmpty(run.Result.GeneratedTrees);
    }

    [Fact]
    public void Rerun_on_a_cloned_compilation_is_fully_cached()
    {
        Start().RerunClone().AssertAllCachedOrUnchanged(AllSteps);
    }

    [Fact]
    public void Adding_an_unrelated_file_is_fully_cached()
    {
        Start().AddUnrelatedFile().AssertAllCachedOrUnchanged(AllSteps);
    }

    [Fact]
    public void Editing_an_unrelated_method_is_fully_cached()
    {
        Start().ReplaceText("=> 41;", "=> 42;").AssertAllCachedOrUnchanged(AllSteps);
    }

    [Fact]
    public void Editing_the_differentiable_method_is_seen_as_modified()
    {
        Start()
            .ReplaceText("return (y - a) * (y - a);", "return 0.5 * (y - a) * (y - a);")
            .AssertSomeModified(MethodsStep, DifferentiatedStep, OutputStep);
    }

    [Fact]
    public void Editing_one_method_does_not_re_derive_the_other()
    {
        // Loss calls Predict, not the other way round: editing Loss must leave Predict's derivation cached.
        var run = Start().ReplaceText("return (y - a) * (y - a);", "return 0.5 * (y - a) * (y - a);");
        var reasons = run.Steps[DifferentiatedStep].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.True(
            reasons.Any(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
            "Predict was re-derived although only Loss changed:\n" + IncrementalAssert.Describe(run.Result));
    }

    [Fact]
    public void Whitespace_only_edit_of_the_method_leaves_the_derivation_unchanged()
    {
        // The model may change (locations moved) but what is differentiated did not.
        Start()
            .ReplaceText("return (y - a) * (y - a);", "return (y - a)  *  (y - a);")
            .AssertAllCachedOrUnchanged(DifferentiatedStep);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_compilations_or_locations()
    {
        Start()
            .AssertModelsAreClean(AllSteps)
            .ReplaceText("return (y - a) * (y - a);", "return 0.5 * (y - a) * (y - a);")
            .AssertModelsAreClean(AllSteps);
    }
}
