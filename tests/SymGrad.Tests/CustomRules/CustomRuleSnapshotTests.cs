using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.CustomRules;

/// <summary>
/// The generated code of calls with custom derivative rules, approved in <c>Snapshots/CustomRules.*.verified.cs</c>:
/// the function is called for the value, a rule with source appears as its formula, a rule from a referenced assembly
/// as a call (and, in a Hessian, its own rule as a call). The compilations are also compiled cleanly
/// (<see cref="CustomRuleGradientTests.The_compilations_have_no_diagnostics_and_compile_cleanly"/>).
/// </summary>
public sealed class CustomRuleSnapshotTests
{
    public static TheoryData<string, bool, string> Cases => new()
    {
        { "CustomRules.LibraryRules.Smooth", true, "Models.WithLibraryRules.Smooth_3.g.cs" },
        { "CustomRules.LibraryRules.Fit", true, "Models.WithLibraryRules.Fit_3.g.cs" },
        { "CustomRules.OwnRules.Scalar", false, "Models.WithOwnRules.Scalar_2.g.cs" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_source_matches_the_approved_snapshot(string name, bool libraryRules, string hintName)
    {
        var run = libraryRules
            ? GeneratorHarness.Run(new[] { CustomRuleSources.LibraryModels }, new[] { CustomRuleSources.Special, CustomRuleSources.Rules })
            : GeneratorHarness.Run(new[] { CustomRuleSources.SourceModels }, new[] { CustomRuleSources.Special });
        Assert.True(run.GeneratedSources.ContainsKey(hintName), $"no '{hintName}' in [{string.Join(", ", run.GeneratedSources.Keys)}]");
        Snapshot.Verify(run.GeneratedSources[hintName], name);
    }
}
