using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Generic;

/// <summary>
/// The generated code of generic methods, approved in <c>Snapshots/Generic.*.verified.cs</c>: generic members with the
/// method's constraints, T locals, T.Zero / T.One / T.CreateTruncating constants, SymMath&lt;T&gt; calls, the tape's
/// generic members in program mode (no stackalloc of T), and the generic partials struct.
/// </summary>
public sealed class GenericSnapshotTests
{
    [Theory]
    [InlineData("Generic.LogLoss", "GenericModels.Net.LogLoss_4.g.cs")]
    [InlineData("Generic.Rosen", "GenericModels.Net.Rosen_2.g.cs")]
    [InlineData("Generic.Recurrence", "GenericModels.Net.Recurrence_3.g.cs")]
    public void Generated_source_matches_the_approved_snapshot(string name, string hintName)
    {
        var run = GeneratorHarness.Run(GenericSources.Models);
        Assert.True(run.GeneratedSources.ContainsKey(hintName), $"no '{hintName}' in [{string.Join(", ", run.GeneratedSources.Keys)}]");
        Snapshot.Verify(run.GeneratedSources[hintName], name);
    }
}

/// <summary>Generic methods in the incremental pipeline: cached on unrelated edits and re-runs, modified by their own edits, models free of Roslyn objects.</summary>
public sealed class GenericIncrementalTests
{
    private static readonly string[] Steps = { SymGrad.Generator.TrackingNames.Methods, SymGrad.Generator.TrackingNames.Differentiated };

    private const string Other = "namespace Elsewhere { public static class Unrelated { public static int Answer() => 41; } }";

    private static IncrementalRun Start() => IncrementalAssert.Start(GeneratorHarness.CreateCompilation(GenericSources.Models, Other));

    [Fact]
    public void Unrelated_edits_and_reruns_leave_generic_methods_cached_and_an_edit_of_one_modifies_it()
    {
        Start().RerunClone().AssertAllCachedOrUnchanged(Steps).AssertModelsAreClean(Steps);
        Start().ReplaceText("=> 41;", "=> 42;").AssertAllCachedOrUnchanged(Steps);
        Start().ReplaceText("T.CreateChecked(100)", "T.CreateChecked(90)").AssertSomeModified(Steps);
    }
}
