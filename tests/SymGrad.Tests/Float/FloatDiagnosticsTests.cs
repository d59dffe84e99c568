using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.GeneratorTests;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Float;

/// <summary>
/// What a float method rejects, each at its exact span (marked <c>[|…|]</c>): SG0018 for a double in a float method
/// (parameter, local, value, helper; in scalar and in program mode), SG0008 for [Wrt] on its int data, SG0005 for a float
/// parameter of a double method. No code is generated for the broken method, the other method of
/// the file still compiles, and nothing throws.
/// </summary>
public sealed class FloatDiagnosticsTests
{
    private const string Prefix = "using System;\nusing SymGrad;\n\nnamespace D\n{\n";

    private const string Suffix = """

        public static partial class Ok
        {
            [Differentiable]
            public static float Fine(float x) => x * x;
        }
        }

        """;

    [Theory]
    [InlineData("=> (float)[|Math.Exp(x)|] * y;", "'Math.Exp(x)' is double")]
    [InlineData("=> (float)([|x * 0.5|]) + y;", "'x * 0.5' is double")]
    [InlineData("=> (float)[|(double)x|] * y;", "'(double)x' is double")]
    [InlineData("=> (float)[|Twice(x)|] + y;", "'Twice(x)' is double")]
    [InlineData("=> (float)[|Scale|] * x + y;", "'Scale' is double")]
    [InlineData("=> [|Narrow(x)|] * y;", "'T.Narrow' takes or returns double")]
    [InlineData("=> SymMathF.Sigmoid((float)[|SymMath.Softplus(x)|]) * y;", "'SymMath.Softplus(x)' is double")]
    public void SG0018_for_a_double_value_in_a_float_method(string body, string what)
    {
        var run = Expect(
            "public static partial class T { private static readonly double Scale = 2; private static double Twice(double v) => 2 * v; private static float Narrow(double v) => (float)v; [Differentiable] public static float Broken(float x, float y) " + body + " }",
            ("SG0018", 0));
        Assert.Contains(what + " in float method 'Broken': a float method is differentiated in float", Message(run, "SG0018"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0018_for_a_double_value_in_a_helper_of_a_float_method_names_the_call_chain()
    {
        var run = Expect(
            "public static partial class T { private static float Half(float v) => (float)([|v * 0.5|]); [Differentiable] public static float Broken(float x) => Half(x) * x; }",
            ("SG0018", 0));
        Assert.Contains("in float method 'Broken'", Message(run, "SG0018"), StringComparison.Ordinal);
        Assert.Contains("called as Broken → Half", Message(run, "SG0018"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0018_for_a_double_local()
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static float Broken(float x) { double [|t|] = x; return (float)t; } }",
            ("SG0018", 0));
        Assert.Contains("Local 't' is double in float method 'Broken'", Message(run, "SG0018"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("double")]
    [InlineData("double[]")]
    [InlineData("ReadOnlySpan<double>")]
    [InlineData("decimal")]
    public void SG0018_for_a_parameter_a_float_method_cannot_take(string type)
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static float Broken(float x, " + type + " [|d|]) => x * x; }",
            ("SG0018", 0));
        Assert.Contains("Parameter 'd' has type '", Message(run, "SG0018"), StringComparison.Ordinal);
        Assert.Contains("make this parameter float", Message(run, "SG0018"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0018_for_a_double_value_in_a_float_method_in_program_mode()
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static float Broken(float[] x, int n) { float s = 0; for (int i = 0; i < n; i++) { s += (float)[|Math.Exp(x[i])|]; } return s; } }",
            ("SG0018", 0));
        Assert.Contains("'Math.Exp(x[i])' is double in float method 'Broken'", Message(run, "SG0018"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0008_for_wrt_on_int_data_of_a_float_method()
    {
        Expect(
            "public static partial class T { [Differentiable] public static float Broken(float x, [Wrt] int [|n|]) => x * n; }",
            ("SG0008", 0));
    }

    [Fact]
    public void SG0005_for_a_float_parameter_of_a_double_method()
    {
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x, float [|f|]) => x * f; }",
            ("SG0005", 0));
    }

    [Fact]
    public void Loops_of_compile_time_length_if_else_and_float_statics_are_fine()
    {
        var run = GeneratorHarness.Run(Prefix + """
            public static partial class T
            {
                private const float Half = 0.5f;

                [Differentiable]
                public static float Fine2(float x, float y)
                {
                    float s = 0;
                    for (int i = 0; i < 4; i++)
                    {
                        s += MathF.Sin(x * i) * Half;
                    }

                    if (y > 0) { s *= y; } else { s -= y; }
                    return float.IsNaN(s) ? 0 : s + float.Hypot(x, y);
                }
            }
            """ + Suffix);
        run.AssertCompilesCleanly();
        Assert.Contains("D.T.Fine2_2.g.cs", run.GeneratedSources.Keys);
    }

    private static string Message(GeneratorRun run, string id) =>
        run.GeneratorDiagnostics.First(d => d.Id == id).GetMessage(CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs the generator on <paramref name="markup"/> (in namespace D, next to the float method <c>Ok.Fine</c>) and
    /// asserts the SymGrad diagnostics are exactly <paramref name="expected"/> (ID, marked span; all errors), that the
    /// broken method gets no code, and that <c>Ok.Fine</c> does and compiles cleanly.
    /// </summary>
    private static GeneratorRun Expect(string markup, params (string Id, int Span)[] expected)
    {
        var (body, spans) = Markup.Parse(markup);
        string source = Prefix + body + Suffix;
        var run = GeneratorHarness.Run(source);
        run.AssertNoExceptions();

        string Describe(string id, int start, int end) => $"{id} [{start}..{end}) '{source.Substring(start, end - start)}'";
        var want = expected
            .Select(e => Describe(e.Id, spans[e.Span].Start + Prefix.Length, spans[e.Span].End + Prefix.Length))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var got = run.GeneratorDiagnostics
            .Select(d => Describe(d.Id, d.Location.SourceSpan.Start, d.Location.SourceSpan.End))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(want, got);
        Assert.All(run.GeneratorDiagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));

        var hints = run.GeneratedSources.Keys.ToList();
        Assert.Contains("D.Ok.Fine_1.g.cs", hints);
        Assert.DoesNotContain(hints, h => h.Contains(".Broken_", StringComparison.Ordinal));
        var generated = run.OutputCompilation.SyntaxTrees.Except(run.InputCompilation.SyntaxTrees).ToHashSet();
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Location.SourceTree is SyntaxTree t && generated.Contains(t)));
        return run;
    }
}
