using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.Corpus;

/// <summary>
/// Every corpus method against the Richardson oracle (finite differences of the user's own method, compiled
/// without the generator's help): the gradient to 1e-7 relative (1e-9 absolute near zero), the value to 1e-12.
/// </summary>
public sealed class CorpusGradientTests
{
    /// <summary>Mixed tolerance of gradients against the oracle.</summary>
    public const double GradientRelTol = 1e-7;

    /// <summary>Absolute floor of the gradient tolerance (for components that are 0 or nearly so).</summary>
    public const double GradientAbsTol = 1e-9;

    public static TheoryData<string> AllCases => CorpusCatalog.Names(CorpusCatalog.Cases);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Gradient_matches_the_oracle_and_value_matches_the_method(string name)
    {
        var c = CorpusCatalog.Get(name);
        var compiled = CorpusCatalog.Compile(c.Group);
        var method = compiled.Method(c.Type, c.Method);
        int[] wrt = method.DifferentiatedParameterNames.Select(p => method.ParameterNames.IndexOf(p)).ToArray();
        var f = compiled.Function(c.Type, c.Method);

        foreach (var p in c.Points())
        {
            string at = c.Name + " at " + TinyNetSeed.FormatPoint(p);
            var (value, gradient) = compiled.Gradient(c.Type, c.Method, p);
            Oracle.AssertClose(f(p), value, 1e-12, 1e-14, "value", at);
            var expected = Oracle.Gradient(f, p, wrt);
            Oracle.AssertClose(expected, gradient, GradientRelTol, GradientAbsTol, method.DifferentiatedParameterNames, at);

            var partials = compiled.Partials(c.Type, c.Method, p);
            Assert.Equal(value, partials.Value);
            Assert.Equal(gradient, partials.Gradient);
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void A_short_gradient_span_is_rejected(string name)
    {
        var c = CorpusCatalog.Get(name);
        var compiled = CorpusCatalog.Compile(c.Group);
        int k = compiled.Method(c.Type, c.Method).DifferentiatedParameterNames.Length;
        object?[] args = c.Points(1).First().Cast<object?>().ToArray();
        var e = Assert.Throws<ArgumentException>(() => compiled.GradientInto(c.Type, c.Method, args, new double[k - 1]));
        Assert.Equal("gradient", e.ParamName);
    }

    [Fact]
    public void The_corpus_has_at_least_70_methods_and_each_is_tested()
    {
        var declared = CorpusCatalog.Groups.Keys
            .SelectMany(g => CorpusCatalog.Compile(g).DifferentiableMethods.Select(m => m.TypeMetadataName.Replace('+', '.') + "." + m.Name))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var tested = CorpusCatalog.Cases.Select(c => c.Type + "." + c.Method).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.True(declared.Count >= 70, $"only {declared.Count} corpus methods");
        Assert.Equal(declared, tested);
    }

    public static TheoryData<string> MathFunctions => new()
    {
        "Exp", "Log", "Log10", "Log2", "Sqrt", "Cbrt", "Pow", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Atan2", "Sinh", "Cosh", "Tanh",
        "Asinh", "Acosh", "Atanh", "Abs", "Max", "Min", "Clamp", "Sign", "Floor", "Ceiling", "Round", "Truncate", "FusedMultiplyAdd",
    };

    public static TheoryData<string> SymMathFunctions => new()
    {
        "Sigmoid", "SigmoidDerivative", "Softplus", "LogSigmoid", "Relu", "LeakyRelu", "Tanh", "TanhDerivative", "Square", "Silu",
        "Softsign", "Log1p", "Expm1", "LogSumExp", "Logit", "Hypot",
    };

    [Theory]
    [MemberData(nameof(MathFunctions))]
    public void Every_supported_Math_function_is_in_the_corpus(string function) =>
        Assert.Contains("Math." + function + "(", CorpusSources.Elementary, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(SymMathFunctions))]
    public void Every_SymMath_function_is_in_the_corpus(string function) =>
        Assert.Contains("SymMath." + function + "(", CorpusSources.Activations, StringComparison.Ordinal);

    [Fact]
    public void Math_Log_with_two_arguments_is_in_the_corpus() =>
        Assert.Contains("Math.Log(x, b)", CorpusSources.Elementary, StringComparison.Ordinal);

    public static TheoryData<string> GroupNames => new() { CorpusCatalog.Elementary, CorpusCatalog.Activations, CorpusCatalog.Flow, CorpusCatalog.Calls, CorpusCatalog.Second };

    /// <summary>
    /// Expected generator diagnostics of each group: the piecewise-constant functions warn (SG0101), the kinks are
    /// reported as info (SG0102); nothing else, and the compilation including the generated code has no warning.
    /// </summary>
    [Theory]
    [MemberData(nameof(GroupNames))]
    public void Each_group_compiles_without_warnings_and_reports_only_the_expected_diagnostics(string group)
    {
        var run = CorpusCatalog.Run(group);
        run.AssertNoExceptions();
        Assert.True(run.CompilationDiagnostics.IsEmpty, GeneratorHarness.Format(run.CompilationDiagnostics));

        var actual = run.GeneratorDiagnostics
            .Select(d => GeneratorTests.DiagnosticText.Describe(run, d))
            .ToList();
        var expected = group switch
        {
            CorpusCatalog.Elementary => new List<string>
            {
                "SG0102 Info Math.Abs(x - y)",
                "SG0102 Info Math.Max(x, y * y)",
                "SG0102 Info Math.Min(x * y, x + y)",
                "SG0102 Info Math.Clamp(x, lo, hi)",
                "SG0101 Warning Math.Sign(x)",
                "SG0101 Warning Math.Floor(x)",
                "SG0101 Warning Math.Ceiling(x)",
                "SG0101 Warning Math.Round(x * y)",
                "SG0101 Warning Math.Truncate(x)",
            },
            _ => new List<string>(),
        };
        Assert.Equal(expected, actual);
        if (expected.Count == 0)
        {
            run.AssertCompilesCleanly();
        }
    }

    [Fact]
    public void Every_corpus_method_gets_exactly_one_generated_file()
    {
        foreach (var group in CorpusCatalog.Groups.Keys)
        {
            var run = CorpusCatalog.Run(group);
            int methods = CorpusCatalog.Compile(group).DifferentiableMethods.Count();
            Assert.Equal(methods, run.GeneratedSources.Count);
            Assert.All(run.GeneratedSources.Keys, k => Assert.EndsWith(".g.cs", k, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_seed_network_matches_the_seed_closed_forms()
    {
        // Seed 002 with the real generator: Loss inlines Predict; both checked to 1e-12 at 1000 points.
        var compiled = GeneratorHarness.Compile(TinyNetSeed.Source);
        compiled.Run.AssertCompilesCleanly();
        TinyNetSeed.AssertLossGradientMatchesSeed(compiled);
        TinyNetSeed.AssertPredictGradientMatchesSeed(compiled);
    }

    [Fact]
    public void The_build_time_generator_output_in_this_assembly_matches_the_seed()
    {
        // Models/TinyNet.cs is compiled into this test assembly with the generator as an analyzer.
        var g = new double[4];
        var g2 = new double[4];
        foreach (var p in TinyNetSeed.RandomLossPoints(200))
        {
            double v = Models.TinyNet.LossGradient(p[0], p[1], p[2], p[3], p[4], p[5], g);
            var (ev, eg) = TinyNetSeed.LossClosedForm(p[0], p[1], p[2], p[3], p[4], p[5]);
            Oracle.AssertClose(new[] { ev }.Concat(eg).ToArray(), new[] { v }.Concat(g).ToArray(), 1e-12, 1e-300);

            double v2 = Models.TinyNet.LossWithLocalsGradient(p[0], p[1], p[2], p[3], p[4], p[5], g2);
            Oracle.AssertClose(new[] { ev }.Concat(eg).ToArray(), new[] { v2 }.Concat(g2).ToArray(), 1e-12, 1e-300);

            var partials = Models.TinyNet.LossGradient(p[0], p[1], p[2], p[3], p[4], p[5]);
            Assert.Equal(new[] { v, g[0], g[1], g[2], g[3] }, new[] { partials.Value, partials.w2, partials.b2, partials.w3, partials.b3 });
        }
    }

    [Fact]
    public void The_build_time_Hessian_of_the_seed_loss_matches_the_oracle()
    {
        int[] wrt = { 2, 3, 4, 5 };
        var gradient = new double[4];
        var hessian = new double[16];
        var product = new double[4];
        var rng = new Random(5);
        foreach (var p in TinyNetSeed.RandomLossPoints(10))
        {
            double v = Models.TinyNet.LossHessian(p[0], p[1], p[2], p[3], p[4], p[5], gradient, hessian);
            Assert.Equal(Models.TinyNet.Loss(p[0], p[1], p[2], p[3], p[4], p[5]), v, 14);
            var expected = Oracle.Hessian(q => Models.TinyNet.Loss(q[0], q[1], q[2], q[3], q[4], q[5]), p, wrt);
            Oracle.AssertClose(expected, hessian, 1e-6, 1e-8, null, "at " + TinyNetSeed.FormatPoint(p));

            double[] direction = Enumerable.Range(0, 4).Select(_ => (rng.NextDouble() * 2) - 1).ToArray();
            Models.TinyNet.LossHessianVectorProduct(p[0], p[1], p[2], p[3], p[4], p[5], direction, gradient, product);
            var hv = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 4).Sum(j => hessian[(i * 4) + j] * direction[j])).ToArray();
            Oracle.AssertClose(hv, product, 1e-10, 1e-13);
        }
    }
}
