using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.GeneratorTests;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.CustomRules;

/// <summary>
/// The diagnostics of custom derivative rules and of constants read from mutable state: each one's ID, severity and
/// exact span (marked <c>[|…|]</c>), nothing else reported, and code generated exactly when there is no error.
/// </summary>
public sealed class CustomRuleDiagnosticsTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;

    private const string Usings = "using System;\nusing SymGrad;\nusing SpecialLib;\n\n";

    /// <summary>A function with source, so that each test below can declare rules for it.</summary>
    private const string Functions = """

        public static class Fns
        {
            public static double Mix(double a, double b) => a * b + Math.Sin(b);
        }

        """;

    // ------------------------------------------------------------------ SG0003: a partial the gradient needs has no rule

    [Fact]
    public void SG0003_when_an_argument_the_gradient_needs_has_no_rule()
    {
        var run = Expect(
            """
            public static partial class T
            {
                [DerivativeOf(typeof(Fns), nameof(Fns.Mix))]
                private static double MixA(double a, double b) => b;

                [Differentiable]
                public static double Broken(double x, double y) => [|Fns.Mix(x, y)|];
            }
            """,
            ("SG0003", Error, 0));
        string message = Message(run, "SG0003");
        Assert.Contains("no [DerivativeOf] rule gives ∂Mix/∂b", message, StringComparison.Ordinal);
        Assert.Contains("Argument = 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_rule_is_needed_for_an_argument_that_is_data()
    {
        var run = Expect(
            """
            public static partial class T
            {
                [DerivativeOf(typeof(Fns), nameof(Fns.Mix))]
                private static double MixA(double a, double b) => b;

                [Differentiable(Hessian = true)]
                public static double Fine2([Wrt] double x, double y) => Fns.Mix(x, y);
            }
            """);
        Assert.Contains("global::Fns.Mix(", run.GeneratedSource("T.Fine2_"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0003_when_the_generated_code_could_not_call_the_function()
    {
        var run = Expect(
            """
            public static class Helper
            {
                [DerivativeOf(typeof(Helper), nameof(Secret))]
                private static double SecretDerivative(double x) => 2 * x;

                private static double Secret(double x) => x * x;

                public static double Use(double x) => [|Secret(x)|] + 1;
            }

            public static partial class T
            {
                [Differentiable]
                public static double Broken(double x) => Helper.Use(x);
            }
            """,
            ("SG0003", Error, 0));
        Assert.Contains("not accessible", Message(run, "SG0003"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0003_names_an_invalid_rule_from_a_referenced_assembly()
    {
        var bad = GeneratorHarness.CreateLibrary("BadRules", """
            using SpecialLib;
            using SymGrad;

            [assembly: DerivativeRules(typeof(BadRules.Rules))]

            namespace BadRules;

            public sealed class Rules
            {
                [DerivativeOf(typeof(Special), nameof(Special.Gd))]
                public double GdDerivative(double x) => 1 / System.Math.Cosh(x); // not static
            }
            """, CustomRuleSources.Special);
        var run = Expect(
            """
            public static partial class T
            {
                [Differentiable]
                public static double Broken(double x) => [|Special.Gd(x)|];
            }
            """,
            new[] { CustomRuleSources.Special, bad },
            ("SG0003", Error, 0));
        Assert.Contains("'Rules.GdDerivative' is not valid (SG0017): a rule must be a static method", Message(run, "SG0003"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0003_when_two_rules_equally_near_give_one_partial()
    {
        var run = Expect(
            """
            [assembly: DerivativeRules(typeof(Listed), typeof(AlsoListed))]

            public static class Listed
            {
                [DerivativeOf(typeof(Special), nameof(Special.Gd))]
                public static double Two(double x) => 1 / Math.Cosh(x);
            }

            public static class AlsoListed
            {
                [DerivativeOf(typeof(Special), nameof(Special.Gd))]
                public static double Three(double x) => 1 / Math.Cosh(x);
            }

            public static partial class T
            {
                [Differentiable]
                public static double Broken(double x) => [|Special.Gd(x)|];
            }
            """,
            ("SG0003", Error, 0));
        Assert.Contains("more than one rule gives ∂Gd/∂x ('Listed.Two' and 'AlsoListed.Three')", Message(run, "SG0003"), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ SG0016: a Hessian without second-order rules

    [Fact]
    public void SG0016_when_a_library_rule_has_no_rule_of_its_own()
    {
        var run = Expect(
            """
            public static partial class T
            {
                [Differentiable(Hessian = true)]
                public static double Broken(double x, double y) => x * [|Special.Gd(x * y)|];
            }
            """,
            new[] { CustomRuleSources.Special, CustomRuleSources.Rules },
            ("SG0016", Error, 0));
        string message = Message(run, "SG0016");
        Assert.Contains("the derivative of ∂Gd/∂x (its rule 'LibraryRules.GdDerivative') needs ∂GdDerivative/∂x", message, StringComparison.Ordinal);
        Assert.Contains("it has no source in this compilation", message, StringComparison.Ordinal);
        Assert.Contains("[DerivativeOf(typeof(LibraryRules), nameof(LibraryRules.GdDerivative))]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SG0016_when_a_rules_body_cannot_be_differentiated()
    {
        var run = Expect(
            """
            public static partial class T
            {
                [DerivativeOf(typeof(Special), nameof(Special.LogCosh))]
                private static double LogCoshDerivative(double x)
                {
                    double s = 0;
                    while (s < 3) { s += x * x; } // a loop on a double: SymGrad does not lower it
                    return Math.Tanh(x);
                }

                [Differentiable(Hessian = true)]
                public static double Broken(double x) => [|Special.LogCosh(x)|];

                [Differentiable]
                public static double Fine4(double x) => Special.LogCosh(x);
            }
            """,
            new[] { CustomRuleSources.Special },
            ("SG0016", Error, 0));
        Assert.Contains("its body cannot be differentiated", Message(run, "SG0016"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0016_inside_a_loop_in_program_mode()
    {
        Expect(
            """
            public static partial class T
            {
                [Differentiable(Hessian = true)]
                public static double Broken(double[] w, int n)
                {
                    double s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += [|Special.Gd(w[i % w.Length])|];
                    }

                    return s;
                }
            }
            """,
            new[] { CustomRuleSources.Special, CustomRuleSources.Rules },
            ("SG0016", Error, 0));
    }

    // ------------------------------------------------------------------ SG0017: an invalid rule, at its attribute

    public static TheoryData<string, string> InvalidRules => new()
    {
        { "[[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]] private double Rule(double a, double b) => b;", "a rule must be a static method" },
        { "[[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]] private static float Rule(double a, double b) => 1;", "a rule returns the partial derivative as a double, not 'float'" },
        { "[[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]] private static double Rule(double a, int b) => b;", "parameter 'b' is 'int'" },
        { "[[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]] private static double Rule(double a, ref double b) => b;", "parameter 'b' is 'ref double'" },
        { "[[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]] private static double Rule(double a) => a;", "'Fns' has no static method 'Mix' taking 1 double and returning double" },
        { "[[|DerivativeOf(typeof(Fns), nameof(Fns.Mix), Argument = 2)|]] private static double Rule(double a, double b) => a;", "Argument = 2 is not a position of 'Mix', which takes 2 doubles (0 to 1)" },
        { "[[|DerivativeOf(typeof(Fns), \"Missing\")|]] private static double Rule(double a, double b) => a;", "'Fns' has no static method 'Missing'" },
        { "[[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]] private static double Rule<TX>(double a, double b) => a;", "a rule must not be generic" },
    };

    [Fact]
    public void SG0017_at_both_of_two_rules_for_one_partial_in_one_type()
    {
        var run = Expect(
            """
            public static partial class T
            {
                [[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]]
                private static double Rule(double a, double b) => b;

                [[|DerivativeOf(typeof(Fns), nameof(Fns.Mix))|]]
                private static double Other(double a, double b) => b;

                [Differentiable]
                public static double Fine5(double x) => x * x;
            }
            """,
            ("SG0017", Error, 0),
            ("SG0017", Error, 1));
        Assert.Contains("'Other' in the same type also gives ∂Mix/∂a; keep one", Message(run, "SG0017"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void SG0017_at_the_attribute_of_an_invalid_rule(string rule, string reason)
    {
        var run = Expect(
            "public partial class T\n{\n    " + rule + "\n\n    [Differentiable]\n    public static double Fine5(double x) => x * x;\n}\n",
            ("SG0017", Error, 0));
        Assert.Contains(reason, Message(run, "SG0017"), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ SG0104: a rule SymGrad never finds

    [Fact]
    public void SG0104_for_a_rule_in_a_type_SymGrad_does_not_search()
    {
        var run = Expect(
            """
            public static class Elsewhere
            {
                [DerivativeOf(typeof(Special), nameof(Special.Gd))]
                public static double [|GdDerivative|](double x) => 1 / Math.Cosh(x);
            }
            """,
            new[] { CustomRuleSources.Special },
            ("SG0104", Warning, 0));
        Assert.Contains("[assembly: DerivativeRules(typeof(Elsewhere))]", Message(run, "SG0104"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_listed_rule_type_is_searched_and_used()
    {
        var run = Expect(
            """
            [assembly: DerivativeRules(typeof(Elsewhere))]

            public static class Elsewhere
            {
                [DerivativeOf(typeof(Special), nameof(Special.Gd))]
                public static double GdDerivative(double x) => 1 / Math.Cosh(x);
            }

            public static partial class T
            {
                [Differentiable(Hessian = true)]
                public static double Fine6(double x) => Special.Gd(x);
            }
            """,
            new[] { CustomRuleSources.Special });
        Assert.Contains("global::SpecialLib.Special.Gd(", run.GeneratedSource("T.Fine6_"), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ SG0103: mutable state read as a constant

    public static TheoryData<string, string> MutableStatics => new()
    {
        { "private static double s_scale = 2; [Differentiable] public static double Broken(double x) => [|s_scale|] * x;", "'T.s_scale' is a mutable static field" },
        { "public static double Scale { get; set; } = 2; [Differentiable] public static double Broken(double x) => x * [|Scale|];", "'T.Scale' is a mutable static property" },
        { "[Differentiable] public static double Broken(double x) => x * [|Settings.Rate|];", "'Settings.Rate' is a mutable static field" },
        { "private static double s_scale = 2; [Differentiable] public static double Broken(double[] x) { double s = 0; foreach (double v in x) { s += [|s_scale|] * v; } return s; }", "'T.s_scale' is a mutable static field" },
    };

    [Theory]
    [MemberData(nameof(MutableStatics))]
    public void SG0103_at_a_read_of_mutable_static_state(string members, string start)
    {
        var run = Expect("public static class Settings { public static double Rate = 0.1; }\npublic static partial class T { " + members + " }", ("SG0103", Warning, 0));
        string message = Message(run, "SG0103");
        Assert.StartsWith(start, message, StringComparison.Ordinal);
        Assert.Contains("pass it to the method as a parameter", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Const_readonly_and_get_only_static_values_stay_silent()
    {
        Expect("""
            public static partial class T
            {
                private const double Rate = 0.5;
                private static readonly double s_scale = 2;

                public static double Pi2 => 2 * Math.PI;

                [Differentiable]
                public static double Broken(double x) => Rate * s_scale * Pi2 * x;
            }
            """);
    }

    [Fact]
    public void SG0103_inside_a_helper_and_inside_a_rule_body()
    {
        Expect(
            """
            public static partial class T
            {
                public static double Gain = 3;

                [DerivativeOf(typeof(Special), nameof(Special.Gd))]
                private static double GdDerivative(double x) => [|Gain|] / Math.Cosh(x) / 3;

                private static double Helper(double x) => x * [|Gain|];

                [Differentiable]
                public static double Broken(double x) => Helper(x) + Special.Gd(x);
            }
            """,
            new[] { CustomRuleSources.Special },
            ("SG0103", Warning, 0),
            ("SG0103", Warning, 1));
    }

    // ------------------------------------------------------------------ helpers

    private static GeneratorRun Expect(string markup, params (string Id, DiagnosticSeverity Severity, int Span)[] expected) =>
        Expect(markup, new[] { CustomRuleSources.Special }, expected);

    /// <summary>
    /// Runs the generator on <paramref name="markup"/> (after the usings, before <see cref="Functions"/>), referencing
    /// <paramref name="libraries"/>, and asserts the SymGrad diagnostics are exactly <paramref name="expected"/> (ID,
    /// severity, marked span, in the user's file), that methods named <c>Broken</c> get code exactly when no error is
    /// expected, and that the generated code compiles without errors or warnings.
    /// </summary>
    private static GeneratorRun Expect(string markup, InMemoryLibrary[] libraries, params (string Id, DiagnosticSeverity Severity, int Span)[] expected)
    {
        var (body, spans) = Markup.Parse(markup);
        string prefix = Usings;
        string source = prefix + body + Functions; // after the body, whose assembly attributes must come first
        var run = GeneratorHarness.Run(new[] { source }, libraries);
        run.AssertNoExceptions();

        string Describe(string id, DiagnosticSeverity severity, int start, int end) =>
            $"{id} {severity} [{start}..{end}) '{source.Substring(start, end - start)}'";

        var want = expected
            .Select(e => Describe(e.Id, e.Severity, spans[e.Span].Start + prefix.Length, spans[e.Span].End + prefix.Length))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var got = run.GeneratorDiagnostics
            .Select(d => Describe(d.Id, d.Severity, d.Location.SourceSpan.Start, d.Location.SourceSpan.End))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(want, got);
        foreach (var d in run.GeneratorDiagnostics)
        {
            Assert.Equal(run.InputCompilation.SyntaxTrees.Single().FilePath, d.Location.GetLineSpan().Path);
        }

        var broken = run.GeneratedSources.Keys.Where(h => h.Contains(".Broken_", StringComparison.Ordinal)).ToList();
        if (expected.Any(e => e.Severity == DiagnosticSeverity.Error))
        {
            Assert.True(broken.Count == 0, "code was generated for a method with an error: " + string.Join(", ", broken));
        }
        else if (body.Contains(" Broken(", StringComparison.Ordinal))
        {
            Assert.Single(broken);
        }

        var problems = run.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "the generated code does not compile cleanly:\n" + GeneratorHarness.Format(problems) + run.AllGeneratedText());
        return run;
    }

    private static string Message(GeneratorRun run, string id) =>
        run.GeneratorDiagnostics.First(d => d.Id == id).GetMessage(CultureInfo.InvariantCulture);
}
