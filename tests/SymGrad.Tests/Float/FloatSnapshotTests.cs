using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Float;

/// <summary>
/// The generated code of float methods, approved in <c>Snapshots/Float.*.verified.cs</c>: float signatures and spans,
/// float locals, f-suffixed literals, MathF and SymMathF, the tape in program mode (floats pushed, popped with a cast,
/// float scratch buffers), and no batched members or objective.
/// The compilation is also compiled cleanly (<see cref="FloatGradientTests.The_float_models_compile_cleanly_without_diagnostics"/>).
/// </summary>
public sealed class FloatSnapshotTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "Float.LogLoss", "FloatModels.Net.LogLoss_4.g.cs" },
        { "Float.Rosen", "FloatModels.Net.Rosen_2.g.cs" },
        { "Float.Mixed", "FloatModels.Net.Mixed_2.g.cs" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [InlineData("Float.Program.Layer", "FloatPrograms.P.Layer_2.g.cs")]
    public void Generated_source_matches_the_approved_snapshot(string name, string hintName)
    {
        var run = GeneratorHarness.Run(name.StartsWith("Float.Program.", System.StringComparison.Ordinal) ? FloatProgramTests.Source : FloatSources.Models);
        Assert.True(run.GeneratedSources.ContainsKey(hintName), $"no '{hintName}' in [{string.Join(", ", run.GeneratedSources.Keys)}]");
        Snapshot.Verify(run.GeneratedSources[hintName], name);
    }
}

/// <summary>Float methods in the incremental pipeline: cached on unrelated edits and re-runs, modified by their own edits, models free of Roslyn objects.</summary>
public sealed class FloatIncrementalTests
{
    private static readonly string[] Steps = { SymGrad.Generator.TrackingNames.Methods, SymGrad.Generator.TrackingNames.Differentiated };

    private const string Other = "namespace Elsewhere { public static class Unrelated { public static int Answer() => 41; } }";

    private static IncrementalRun Start() => IncrementalAssert.Start(GeneratorHarness.CreateCompilation(FloatSources.Models, Other));

    [Fact]
    public void Unrelated_edits_and_reruns_leave_float_methods_cached_and_an_edit_of_one_modifies_it()
    {
        Start().RerunClone().AssertAllCachedOrUnchanged(Steps).AssertModelsAreClean(Steps);
        Start().ReplaceText("=> 41;", "=> 42;").AssertAllCachedOrUnchanged(Steps);
        Start().ReplaceText("100 * SymMathF.Square", "90 * SymMathF.Square").AssertSomeModified(Steps);
    }
}
