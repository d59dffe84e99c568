using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Float;

/// <summary>
/// The generated code of float methods, approved in <c>Snapshots/Float.*.verified.cs</c>: float signatures and spans,
/// float locals, f-suffixed literals, MathF and the float SymMath overloads, and no batched members or objective.
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
    public void Generated_source_matches_the_approved_snapshot(string name, string hintName)
    {
        var run = GeneratorHarness.Run(FloatSources.Models);
        Assert.True(run.GeneratedSources.ContainsKey(hintName), $"no '{hintName}' in [{string.Join(", ", run.GeneratedSources.Keys)}]");
        Snapshot.Verify(run.GeneratedSources[hintName], name);
    }
}
