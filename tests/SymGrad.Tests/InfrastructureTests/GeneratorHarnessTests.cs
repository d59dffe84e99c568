using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.InfrastructureTests.Fixtures;
using SymGrad.Tests.Seeds;
using Xunit;
using Xunit.Sdk;

namespace SymGrad.Tests.InfrastructureTests;

public sealed class GeneratorHarnessTests
{
    // Hand-written code in the shape of the generated contract: no generator needed to test the harness's calls.
    private const string HandWritten = """
        using System;
        using SymGrad;

        namespace Demo.Space
        {
            public static partial class Poly
            {
                public static double Plain(double a, double b) => a * b + 1;

                [Differentiable(Hessian = true)]
                public static double F(double x, double y) => x * x * y;

                public static double FGradient(double x, double y, Span<double> gradient)
                {
                    if (gradient.Length < 2) throw new ArgumentException("too short", nameof(gradient));
                    gradient[0] = 2 * x * y;
                    gradient[1] = x * x;
                    return x * x * y;
                }

                public static FPartials FGradient(double x, double y) => new(x * x * y, 2 * x * y, x * x);

                public readonly record struct FPartials(double Value, double x, double y);

                public static double FHessian(double x, double y, Span<double> gradient, Span<double> hessian)
                {
                    double v = FGradient(x, y, gradient);
                    hessian[0] = 2 * y; hessian[1] = 2 * x;
                    hessian[2] = 2 * x; hessian[3] = 0;
                    return v;
                }

                public static class Inner
                {
                    [Differentiable]
                    internal static double Scaled(int k, double[] data, [Wrt] double w) => k * data[0] * w;

                    internal static double ScaledGradient(int k, double[] data, double w, Span<double> gradient)
                    {
                        gradient[0] = k * data[0];
                        return k * data[0] * w;
                    }
                }
            }
        }
        """;

    [Fact]
    public void Compiles_and_runs_a_hand_written_static_method()
    {
        var compiled = GeneratorHarness.Compile("public static class Plain { public static double Twice(double x) => 2 * x; }");
        Assert.Equal(6.0, compiled.Call("Plain", "Twice", 3.0));
        Assert.Equal(8.0, compiled.Function("Plain", "Twice")(new[] { 4.0 }));
        Assert.Equal(6.0, (double)compiled.Invoke("Plain", "Twice", 3.0)!);
    }

    [Fact]
    public void The_stub_generator_runs_without_output_or_diagnostics()
    {
        var run = GeneratorHarness.Run("public static class Plain { public static double Twice(double x) => 2 * x; }");
        run.AssertNoGeneratorDiagnostics().AssertCompilesCleanly();
        Assert.Equal(typeof(SymGrad.Generator.SymGradGenerator), run.GeneratorType);
        Assert.True(run.RunResult.Results.Length == 1);
    }

    [Fact]
    public void Gradient_partials_and_hessian_calls_reach_the_span_overloads()
    {
        var c = GeneratorHarness.Compile(HandWritten);

        var (value, gradient) = c.Gradient("Poly", "F", 3.0, 2.0);
        Assert.Equal(18.0, value);
        Assert.Equal(new[] { 12.0, 9.0 }, gradient);
        Assert.Equal(new[] { "x", "y" }, c.Gradient("Demo.Space.Poly", "F", 3.0, 2.0).ParameterNames);

        var partials = c.Partials("Poly", "F", 3.0, 2.0);
        Assert.Equal(18.0, partials.Value);
        Assert.Equal(new[] { 12.0, 9.0 }, partials.Gradient);

        var h = c.Hessian("Poly", "F", 3.0, 2.0);
        Assert.Equal(new[] { 4.0, 6.0, 6.0, 0.0 }, h.Hessian);
        Assert.Equal(new[] { 12.0, 9.0 }, h.Gradient);

        Assert.Equal(7.0, c.Call("Poly", "Plain", 2.0, 3.0));
    }

    [Fact]
    public void Data_parameters_of_other_types_and_nested_internal_types_work()
    {
        var c = GeneratorHarness.Compile(HandWritten);
        var m = c.Method("Demo.Space.Poly+Inner", "Scaled");
        Assert.Equal(new[] { "k", "data", "w" }, m.ParameterNames);
        Assert.Equal(new[] { "w" }, m.DifferentiatedParameterNames);

        var result = c.Gradient("Demo.Space.Poly.Inner", "Scaled", new object?[] { 3, new[] { 2.0 }, 5.0 });
        Assert.Equal(30.0, result.Value);
        Assert.Equal(new[] { 6.0 }, result.Gradient);
    }

    [Fact]
    public void Exceptions_from_generated_code_are_rethrown_unwrapped()
    {
        var c = GeneratorHarness.Compile(HandWritten);
        var e = Assert.Throws<ArgumentException>(() => c.GradientInto("Poly", "F", new object?[] { 1.0, 2.0 }, new double[1]));
        Assert.Equal("gradient", e.ParamName);
    }

    [Fact]
    public void Missing_generated_gradient_gives_a_clear_message()
    {
        // The real generator emits nothing for a method it reports an error on (here SG0001 for the loop).
        var c = GeneratorHarness.Compile("""
            using SymGrad;
            public static partial class NotGenerated
            {
                [Differentiable]
                public static double G(double x)
                {
                    double s = 0;
                    for (int i = 0; i < 2; i++) s += x;
                    return s * x;
                }
            }
            """, new NoOpGenerator());
        var e = Assert.Throws<XunitException>(() => c.Gradient("NotGenerated", "G", 1.0));
        Assert.Contains("GGradient(..., Span<double>) was not found", e.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "x" }, c.Method("NotGenerated", "G").DifferentiatedParameterNames);
    }

    [Fact]
    public void Compile_is_cached_by_source_text()
    {
        const string source = "public static class Cached { public static double One() => 1; }";
        Assert.Same(GeneratorHarness.Compile(source), GeneratorHarness.Compile(source));
        Assert.NotSame(GeneratorHarness.Compile(source), GeneratorHarness.Compile(source + " "));
    }

    [Fact]
    public void Warnings_in_the_compilation_fail_the_clean_compile_assertion()
    {
        var run = GeneratorHarness.Run("public static class W { public static void M() { int unused = 1; } }");
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS0219");
        var e = Assert.Throws<XunitException>(() => run.AssertCompilesCleanly());
        Assert.Contains("CS0219", e.Message, StringComparison.Ordinal);
        Assert.Contains("int unused = 1;", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nullable_is_enabled_and_latest_language_is_used()
    {
        var run = GeneratorHarness.Run("public static class N { public static string M(string? s) => s; }");
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS8603");

        // Collection expressions (C# 12) and the field keyword need a recent language version.
        GeneratorHarness.Run("public static class L { public static int[] M() => [1, 2]; }").AssertCompilesCleanly();
    }

    [Fact]
    public void Errors_fail_emit_with_the_diagnostics()
    {
        var e = Assert.Throws<XunitException>(() => GeneratorHarness.Run("public static class E { public static double M() => missing; }").Emit());
        Assert.Contains("CS0103", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generator_can_be_plugged_in_and_its_sources_are_exposed_by_hint_name()
    {
        var run = GeneratorHarness.Run(TinyNetSeed.Source, new FakeContractGenerator());
        run.AssertNoGeneratorDiagnostics().AssertCompilesCleanly();
        Assert.Equal(new[] { "TinyNet.SymGrad.g.cs" }, run.GeneratedSources.Keys.ToArray());
        Assert.Contains("LossGradient", run.GeneratedSource("TinyNet"), StringComparison.Ordinal);
        Assert.StartsWith("// ---- TinyNet.SymGrad.g.cs ----\n// <auto-generated/>", run.AllGeneratedText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_closed_forms_agree_with_the_hand_written_reference_to_1e_minus_12()
    {
        // Validates the seed test itself against a correct implementation of the contract, so that when the real
        // generator is enabled a failure means the generator, not the test.
        var c = GeneratorHarness.Compile(TinyNetSeed.Source, new FakeContractGenerator());
        TinyNetSeed.AssertLossGradientMatchesSeed(c);
        TinyNetSeed.AssertPredictGradientMatchesSeed(c);
    }

    [Fact]
    public void Seed_closed_forms_agree_with_the_numerical_oracle()
    {
        foreach (var p in TinyNetSeed.RandomLossPoints(50))
        {
            var (_, expected) = TinyNetSeed.LossClosedForm(p[0], p[1], p[2], p[3], p[4], p[5]);
            var numeric = Oracle.Gradient(
                q => TinyNetSeed.LossClosedForm(q[0], q[1], q[2], q[3], q[4], q[5]).Value,
                p,
                new[] { 2, 3, 4, 5 });
            Oracle.AssertClose(expected, numeric, 1e-7, 1e-11, TinyNetSeed.Trainable, "at " + TinyNetSeed.FormatPoint(p));
        }
    }

    [Fact]
    public void Seed_check_reports_failing_points_readably()
    {
        // A deliberately wrong "generator": ∂C/∂b3 off by a factor, to see the failure message.
        const string wrong = """
            using System;
            using SymGrad;
            public static partial class TinyNet
            {
                [Differentiable]
                public static double Loss(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3) => 0;

                public static double LossGradient(double x, double y, double w2, double b2, double w3, double b3, Span<double> g)
                {
                    g[0] = 0; g[1] = 0; g[2] = 0; g[3] = 1;
                    return 0;
                }
            }
            """;
        var e = Assert.Throws<XunitException>(() => TinyNetSeed.AssertLossGradientMatchesSeed(GeneratorHarness.Compile(wrong), count: 20));
        Assert.Contains("at 20 of 20 points", e.Message, StringComparison.Ordinal);
        Assert.Contains("dC/db3: expected", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>A generator that emits nothing, to test the harness's message when generated code is missing.</summary>
internal sealed class NoOpGenerator : Microsoft.CodeAnalysis.IIncrementalGenerator
{
    public void Initialize(Microsoft.CodeAnalysis.IncrementalGeneratorInitializationContext context)
    {
    }
}
