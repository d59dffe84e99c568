using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.InfrastructureTests.Fixtures;
using SymGrad.Tests.Seeds;
using Xunit;
using Xunit.Sdk;

namespace SymGrad.Tests.InfrastructureTests;

/// <summary>IncrementalAssert and PipelineModelWalker, exercised on <see cref="FakeContractGenerator"/>.</summary>
public sealed class IncrementalInfrastructureTests
{
    private static readonly string[] AllSteps =
    {
        FakeContractGenerator.MethodsStep, FakeContractGenerator.DifferentiatedStep, FakeContractGenerator.OutputStep,
    };

    private const string Unrelated = """
        public static class Other
        {
            public static int Unrelated() => 41;
        }
        """;

    private static IncrementalRun Start(bool leak = false) =>
        IncrementalAssert.Start(
            GeneratorHarness.CreateCompilation(TinyNetSeed.Source, Unrelated),
            new FakeContractGenerator { LeakSymbol = leak });

    [Fact]
    public void Unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        Start().AddUnrelatedFile().AssertAllCachedOrUnchanged(AllSteps);
    }

    [Fact]
    public void Rerun_on_a_clone_leaves_every_step_cached_or_unchanged()
    {
        Start().RerunClone().AssertAllCachedOrUnchanged(AllSteps);
    }

    [Fact]
    public void Unrelated_method_edit_leaves_every_step_cached_or_unchanged()
    {
        Start().ReplaceText("=> 41;", "=> 42;").AssertAllCachedOrUnchanged(AllSteps);
    }

    [Fact]
    public void Editing_the_differentiable_method_modifies_its_steps()
    {
        var run = Start().ReplaceText("return (y - a) * (y - a);", "return (a - y) * (a - y);");
        run.AssertSomeModified(FakeContractGenerator.MethodsStep);

        // The fake's derivation depends only on text length, which did not change: Unchanged downstream.
        run.AssertAllCachedOrUnchanged(FakeContractGenerator.DifferentiatedStep, FakeContractGenerator.OutputStep);

        var longer = run.ReplaceText("return (a - y) * (a - y);", "return (a - y) * (a - y) * 1.0;");
        longer.AssertSomeModified(AllSteps);
    }

    [Fact]
    public void A_violated_expectation_fails_listing_steps_and_reasons()
    {
        var run = Start().ReplaceText("return (y - a) * (y - a);", "return (y - a) * (y - a) + 0.0;");
        var e = Assert.Throws<XunitException>(() => run.AssertAllCachedOrUnchanged(AllSteps));
        Assert.Contains("replacing 'return (y - a) * (y - a);'", e.Message, StringComparison.Ordinal);
        Assert.Contains("step 'Methods' expected only Cached/Unchanged outputs but has: #", e.Message, StringComparison.Ordinal);
        Assert.Contains("Modified", e.Message, StringComparison.Ordinal);
        Assert.Contains("All tracked steps of this run:", e.Message, StringComparison.Ordinal);

        var cached = Start().AddUnrelatedFile();
        var m = Assert.Throws<XunitException>(() => cached.AssertSomeModified(FakeContractGenerator.DifferentiatedStep));
        Assert.Contains("expected at least one Modified output but has [Cached, Cached]", m.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_untracked_step_name_fails_instead_of_passing_vacuously()
    {
        var e = Assert.Throws<XunitException>(() => Start().AddUnrelatedFile().AssertAllCachedOrUnchanged("NoSuchStep"));
        Assert.Contains("step 'NoSuchStep' was not tracked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Walker_accepts_plain_models()
    {
        Start().AssertModelsAreClean(AllSteps).AddUnrelatedFile().AssertModelsAreClean(AllSteps);
        Assert.Throws<ArgumentException>(() => Start().AssertModelsAreClean());
    }

    [Fact]
    public void Walker_rejects_a_model_holding_a_symbol()
    {
        var e = Assert.Throws<XunitException>(() => Start(leak: true).AssertModelsAreClean(AllSteps));
        Assert.Contains("Methods[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("is a ISymbol", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Walker_finds_forbidden_objects_in_nested_collections_tuples_and_fields()
    {
        var compilation = GeneratorHarness.CreateCompilation("class C {}");
        var tree = compilation.SyntaxTrees[0];
        var location = Location.Create(tree, default);

        Assert.Empty(PipelineModelWalker.FindForbidden(("a", 1, ImmutableArray.Create("x", "y"), new[] { 1.0 }, default(ImmutableArray<int>))));
        Assert.Contains(PipelineModelWalker.FindForbidden(("a", new object[] { 1, location })), p => p.StartsWith("root.Item2[1] is a Location", StringComparison.Ordinal));
        Assert.Contains(PipelineModelWalker.FindForbidden(ValueTuple.Create<object>(compilation)), p => p.StartsWith("root.Item1 is a Compilation", StringComparison.Ordinal));
        Assert.NotEmpty(PipelineModelWalker.FindForbidden(new Holder(ImmutableArray.Create<object>(tree.GetRoot()))));
        Assert.NotEmpty(PipelineModelWalker.FindForbidden(new Holder(ImmutableArray.Create<object>(compilation.GetSemanticModel(tree)))));

        // Cycles terminate.
        var cyclic = new Cyclic();
        cyclic.Next = cyclic;
        Assert.Empty(PipelineModelWalker.FindForbidden(cyclic));
    }

    private sealed record Holder(ImmutableArray<object> Items);

    private sealed class Cyclic
    {
        public Cyclic? Next { get; set; }
    }
}
