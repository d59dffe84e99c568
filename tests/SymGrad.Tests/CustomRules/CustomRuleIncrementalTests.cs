using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Generator;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.CustomRules;

/// <summary>
/// Custom rules in the incremental pipeline: the models (with their rule templates and custom-function tables) and the
/// rule checks hold no Roslyn objects, an unrelated edit leaves every step cached, and editing a rule's body — in
/// another file than the method using it — re-derives that method.
/// </summary>
public sealed class CustomRuleIncrementalTests
{
    private static readonly string[] Steps = { TrackingNames.Methods, TrackingNames.Differentiated, TrackingNames.Rules };

    private const string RulesFile = """
        using System;
        using SpecialLib;
        using SymGrad;

        [assembly: DerivativeRules(typeof(MyRules))]

        public static class MyRules
        {
            [DerivativeOf(typeof(Special), nameof(Special.Gd))]
            public static double GdDerivative(double x) => 1 / Math.Cosh(x);
        }
        """;

    private const string MethodsFile = """
        using SpecialLib;
        using SymGrad;

        public static partial class UsesRules
        {
            [Differentiable(Hessian = true)]
            public static double F(double x, double y) => Special.Gd(x * y) + Special.LogCosh(y);

            [Differentiable]
            public static double G(double x) => x * x;
        }
        """;

    private static IncrementalRun Start() => IncrementalAssert.Start(
        GeneratorHarness.CreateCompilation(new[] { RulesFile, MethodsFile }, GeneratorHarness.DefaultAssemblyName)
            .AddReferences(CustomRuleSources.Special.Reference, CustomRuleSources.Rules.Reference));

    [Fact]
    public void Pipeline_models_and_rule_checks_hold_no_Roslyn_objects()
    {
        var run = Start().AssertModelsAreClean(Steps);
        Assert.Empty(run.Result.Diagnostics);
        Assert.Single(run.Steps[TrackingNames.Rules].SelectMany(s => s.Outputs));
        run.ReplaceText("1 / Math.Cosh(x)", "2 / (Math.Exp(x) + Math.Exp(-x))").AssertModelsAreClean(Steps);
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        Start().AddUnrelatedFile().AssertAllCachedOrUnchanged(Steps).RerunClone().AssertAllCachedOrUnchanged(Steps);
    }

    [Fact]
    public void Editing_a_rule_re_derives_the_method_that_uses_it_and_only_it()
    {
        var run = Start().ReplaceText("1 / Math.Cosh(x)", "2 / (Math.Exp(x) + Math.Exp(-x))");
        var outputs = run.Steps[TrackingNames.Differentiated].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(IncrementalStepRunReason.Modified, outputs.Single(o => o.Value.ToString()!.Contains("UsesRules.F_2.g.cs", StringComparison.Ordinal)).Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, outputs.Single(o => o.Value.ToString()!.Contains("UsesRules.G_1.g.cs", StringComparison.Ordinal)).Reason);
        var generated = run.Driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("UsesRules.F_2.g.cs", StringComparison.Ordinal));
        Assert.Contains("global::System.Math.Exp(", generated.GetText().ToString(), StringComparison.Ordinal);
    }
}
