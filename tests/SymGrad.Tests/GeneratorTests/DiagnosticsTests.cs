using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// One test per diagnostic ID: the ID, the severity and the exact span (marked <c>[|…|]</c> in the source), that no code
/// is generated for a method with an error (code is generated for warnings and infos), and that another method in the
/// same file (<c>Ok.Fine</c>) still gets its generated code, which compiles.
/// </summary>
public sealed class DiagnosticsTests
{
    private const string Prefix = "using System;\nusing SymGrad;\n\nnamespace D\n{\n";

    private const string Suffix = """

        public static partial class Ok
        {
            [Differentiable]
            public static double Fine(double x) => x * x;
        }
        }

        """;

    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;
    private const DiagnosticSeverity Info = DiagnosticSeverity.Info;

    // ------------------------------------------------------------------ SG0001

    public static TheoryData<string> UnsupportedStatements => new()
    {
        "double s = x; [|lock|] (\"k\") { s += 1; } return s;",
        "double s = 0; [|foreach|] (char ch in \"ab\") { s += x; } return s;", // foreach over local double arrays is unrolled; over anything else it is not
        "[|switch|] (x > 0) { case true: goto default; default: return -x; }", // switch is lowered as if/else; goto is not
        "[|try|] { return Math.Sqrt(x); } catch (ArithmeticException) { return 0; }",
        "if (x < 0) [|throw|] new ArgumentOutOfRangeException(nameof(x)); return Math.Sqrt(x);",
        "[|Console.WriteLine(x)|]; return x;",
    };

    [Theory]
    [MemberData(nameof(UnsupportedStatements))]
    public void SG0001_unsupported_statement(string body)
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x) { " + body + " } }",
            ("SG0001", Error, 0));
        Assert.Contains("SymGrad cannot differentiate this", Message(run, "SG0001"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0001_for_a_declaration_without_body()
    {
        // [Differentiable] on the defining part of a partial method: there is no body to differentiate.
        Expect(
            """
            public static partial class T
            {
                [Differentiable] public static partial double [|Broken|](double x);
                public static partial double Broken(double x) => x * x;
            }
            """,
            ("SG0001", Error, 0));
    }

    // ------------------------------------------------------------------ SG0002

    public static TheoryData<string> UnsupportedExpressions => new()
    {
        "{ int n = 2; return x * ([|1 << n|]); }",
        "=> [|(short)x|] * y;",
        "=> [|s_scale|] * x;",
        "=> [|Environment.ProcessorCount|] * x;",
        "=> [|x++|] + y;",
        "{ double z; return ([|z = x|]) * y; }",
        "=> [|new double[] { x, y }[0]|];",
        "=> [|x > 0 ^ y > 0|] ? x : y;",
        "=> x > 0 ? [|\"a\".Length|] : y;",
    };

    [Theory]
    [MemberData(nameof(UnsupportedExpressions))]
    public void SG0002_unsupported_expression(string body)
    {
        Expect(
            "public static partial class T { private static int s_scale = 2; [Differentiable] public static double Broken(double x, double y) " + body + " }",
            ("SG0002", Error, 0));
    }

    // ------------------------------------------------------------------ SG0003

    public static TheoryData<string> CallsWithoutRules => new()
    {
        "=> [|Math.IEEERemainder(x, y)|];",
        "=> [|Math.Round(x, 2)|] * y;",
        "=> [|Math.ScaleB(x, 2)|] + y;",
        "=> [|Native(x)|] + y;",
    };

    [Theory]
    [MemberData(nameof(CallsWithoutRules))]
    public void SG0003_call_without_source_or_rule(string body)
    {
        Expect(
            """
            public static class Ext { public static double Twice(this double v) => 2 * v; }
            public static partial class T
            {
                [System.Runtime.InteropServices.DllImport("m")] private static extern double Native(double v);
                [Differentiable] public static double Broken(double x, double y) BODY
            }
            """.Replace("BODY", body, StringComparison.Ordinal),
            ("SG0003", Error, 0));
    }

    [Fact]
    public void SG0002_a_local_function_may_not_assign_a_captured_variable()
    {
        // Local functions are inlined and may read the enclosing method's variables, but not assign them.
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x) { double k = x; double Bump(double v) { [|k|] = v; return k; } return Bump(x); } }",
            ("SG0002", Error, 0));
    }

    // ------------------------------------------------------------------ SG0004

    [Fact]
    public void SG0004_direct_recursion()
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x) => x < 1 ? x : x * [|Broken(x - 1)|]; }",
            ("SG0004", Error, 0));
        Assert.Contains("Broken → Broken", Message(run, "SG0004"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0004_mutual_recursion_names_the_chain()
    {
        var run = Expect(
            """
            public static partial class T
            {
                [Differentiable] public static double Broken(double x) => x < 1 ? x : Helper(x - 1);
                private static double Helper(double x) => x < 1 ? x * x : [|Broken(x - 0.5)|];
            }
            """,
            ("SG0004", Error, 0));
        Assert.Contains("Broken → Helper → Broken", Message(run, "SG0004"), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ SG0005

    public static TheoryData<string> NonDoubles => new()
    {
        "public static [|decimal|] Broken(double x) => (decimal)x;", // a float return makes a float method: double x is then SG0018
        "public static double Broken(double x, float [|f|]) => x * f;",
        "public static double Broken(double x, string [|n|]) => x;",
        "public static double Broken(double x, double? [|y|]) => x;",
        "public static double Broken(double x) { float [|k|] = 2; return x * k; }",
    };

    [Theory]
    [MemberData(nameof(NonDoubles))]
    public void SG0005_non_double_value(string method)
    {
        Expect("public static partial class T { [Differentiable] " + method + " }", ("SG0005", Error, 0));
    }

    // ------------------------------------------------------------------ SG0006 … SG0011

    [Fact]
    public void SG0006_instance_method()
    {
        Expect("public partial class T { [Differentiable] public double [|Broken|](double x) => x * x; }", ("SG0006", Error, 0));
    }

    [Fact]
    public void Field_models_report_readonly_and_non_double_Param_fields_and_instance_state_they_cannot_read()
    {
        Expect("public partial class T { [Param] public readonly double [|W|]; [Param] public double V; [Differentiable] public double F(double x) => V * x; }", ("SG0002", Error, 0));
        Expect("public partial class T { [Param] public int [|N|]; [Param] public double W; [Differentiable] public double F(double x) => W * x; }", ("SG0005", Error, 0));
        // A double field is read as data now (see FieldModelTests); a property or a field of another type is not.
        Expect("public partial class T { [Param] public double W; public double S { get; set; } [Differentiable] public double F(double x) => W * x * [|S|]; }", ("SG0002", Error, 0));
        Expect("public partial class T { [Param] public double W; public System.Collections.Generic.List<double> L = new(); [Differentiable] public double F(double x) => W * x * [|L.Count|]; }", ("SG0002", Error, 0));
    }

    [Fact]
    public void SG0007_containing_type_not_partial()
    {
        Expect("public static class [|T|] { [Differentiable] public static double Broken(double x) => x * x; }", ("SG0007", Error, 0));
    }

    [Fact]
    public void SG0007_outer_type_not_partial()
    {
        Expect(
            "public class [|Outer|] { public static partial class Inner { [Differentiable] public static double Broken(double x) => x * x; } }",
            ("SG0007", Error, 0));
    }

    [Theory]
    [InlineData("float")]
    [InlineData("int")]
    public void SG0008_wrt_on_non_double(string type)
    {
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x, [Wrt] " + type + " [|w|]) => x * w; }",
            ("SG0008", Error, 0));
    }

    public static TheoryData<string, bool> Clashes => new()
    {
        { "public static double BrokenGradient(double x) => 2 * x;", false },
        { "public readonly record struct BrokenPartials(double Value);", false },
        { "public static int BrokenSample;", false },
        { "public struct BrokenObjective { }", false },
        { "public static double BrokenHessianVectorProduct() => 0;", true },
    };

    [Theory]
    [MemberData(nameof(Clashes))]
    public void SG0009_generated_member_name_clash(string member, bool hessian)
    {
        var run = Expect(
            "public static partial class T { [Differentiable" + (hessian ? "(Hessian = true)" : string.Empty) + "] public static double [|Broken|](double x) => x * x; " + member + " }",
            ("SG0009", Error, 0));
        Assert.Contains("already has a member named 'Broken", Message(run, "SG0009"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ref double [|x|]", "return x * x;")]
    [InlineData("in double [|x|]", "return x * x;")]
    [InlineData("out double [|x|]", "x = 1; return 2;")]
    public void SG0010_by_reference_parameter(string parameter, string body)
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static double Broken(" + parameter + ") { " + body + " } }",
            ("SG0010", Error, 0));
        Assert.Contains("is passed by '" + parameter.Split(' ')[0] + "'", Message(run, "SG0010"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0010_params_array_is_also_not_a_double()
    {
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(params double[] [|xs|]) => xs[0]; }",
            ("SG0010", Error, 0));
    }

    [Fact]
    public void SG0011_generic_method()
    {
        // Not returning its type parameter; two type parameters; no numeric constraint; a function with only INumber<T>.
        Expect("public static partial class T { [Differentiable] public static double [|Broken|]<TValue>(double x) => x * x; }", ("SG0011", Error, 0));
        Expect("public static partial class T { [Differentiable] public static U [|Broken|]<U, V>(U x) => x; }", ("SG0011", Error, 0));
        Expect("public static partial class T { [Differentiable] public static U [|Broken|]<U>(U x) where U : struct => x; }", ("SG0011", Error, 0));
        Expect(
            "public static partial class T { [Differentiable] public static U [|Broken|]<U>(U x) where U : System.Numerics.INumber<U>, System.Numerics.IExponentialFunctions<U> => U.Exp(x) * x; }",
            ("SG0011", Error, 0));
    }

    [Fact]
    public void Matrices_and_jagged_arrays_are_data_read_in_the_method_itself()
    {
        // A [Wrt] jagged array or int matrix is SG0005 (the advice says how to pass it flat; a [Wrt] double[,] is
        // differentiated); a foreach over a matrix's elements and a matrix argument that is not a name are errors with
        // advice (a matrix passed by name to a helper's double[,] parameter is read in place).
        Expect("public static partial class T { [Differentiable] public static double Broken([Wrt] double[][] [|m|], double x) => x; }", ("SG0005", Error, 0));
        Expect("public static partial class T { [Differentiable] public static double Broken([Wrt] int[,] [|m|], double x) => x; }", ("SG0005", Error, 0));
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double[] w, double[,] X) { double s = 0; [|foreach|] (double v in X) { s += v; } return s * w[0]; } }",
            ("SG0001", Error, 0));
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double[] w, double[,] X, double[,] Y) => w[0] * H([|w.Length > 1 ? X : Y|]); static double H(double[,] a) => a[0, 0]; }",
            ("SG0002", Error, 0));
    }

    [Fact]
    public void Structs_are_replaced_by_their_fields_only_when_all_are_double_and_their_members_inline()
    {
        // An int field: not replaced (SG0005 at the local).
        Expect(
            "public struct P { public double X; public int N; } public static partial class T { [Differentiable] public static double Broken(double x) { P [|p|] = default; return x; } }",
            ("SG0005", Error, 0));
        // A field initializer (constructors would run it first) or an explicit layout (an array is read by field
        // order) keeps a struct from being replaced: SG0005, never a wrong value.
        Expect(
            "public struct Q { public double X; public double W = 2; public Q(double x) { X = x; } } public static partial class T { [Differentiable] public static double Broken(double x) { Q [|q|] = new Q(x); return q.X * q.W; } }",
            ("SG0005", Error, 0));
        Expect(
            "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct E { [System.Runtime.InteropServices.FieldOffset(8)] public double X; [System.Runtime.InteropServices.FieldOffset(0)] public double Y; } "
            + "public static partial class T { [Differentiable] public static double Broken(double x, E[] [|es|]) => x * es.Length; }",
            ("SG0005", Error, 0));
        // A method returning the struct from two returns is lowered once per field: Flip(true).X is the constant Y = 1,
        // so x cannot affect the result (SG0100 at x), which shows the branch was followed.
        Expect(
            "public record struct V(double X, double Y) { public V Flip(bool b) { if (b) { return new V(Y, X); } return this; } } "
            + "public static partial class T { [Differentiable] public static double Broken(double [|x|]) { var v = new V(x, 1); return v.Flip(true).X; } }",
            ("SG0100", Warning, 0));
    }

    [Fact]
    public void SG0019_double_or_float_in_a_generic_method()
    {
        const string head = "public static partial class T { [Differentiable] public static U Broken<U>(";
        const string where = " where U : System.Numerics.IFloatingPointIeee754<U>";
        Expect(head + "U x, double [|c|])" + where + " => x; }", ("SG0019", Error, 0));
        Expect(head + "U x)" + where + " { float [|s|] = 2f; return x * U.CreateChecked(s); } }", ("SG0019", Error, 0));
        Expect(head + "U x)" + where + " => x + [|U.Epsilon|]; }", ("SG0019", Error, 0));
        Expect(head + "U x)" + where + " => x * U.CreateChecked([|System.Math.Exp(1.5 * 2.0 + System.DateTime.Now.Second)|]); }", ("SG0019", Error, 0));
    }

    // ------------------------------------------------------------------ SG0012

    [Fact]
    public void SG0012_read_before_assignment_on_some_path()
    {
        // Invalid C# too (CS0165), but the IDE runs the generator on it: it must report, not crash.
        var run = Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x) { double t; if (x > 0) t = x; return [|t|] * 2; } }",
            ("SG0012", Error, 0));
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS0165");
    }

    [Fact]
    public void SG0012_compound_assignment_of_an_unassigned_local()
    {
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x) { double t; [|t|] += x; return [|t|]; } }",
            ("SG0012", Error, 0),
            ("SG0012", Error, 1));
    }

    // ------------------------------------------------------------------ SG0013

    [Fact]
    public void SG0013_model_too_large()
    {
        // F_k = F_{k-1} ∘ F_{k-1}: 2^15 inlined calls of F_0, 9 new nodes each (softsign is x / (1 + |x|)), so the
        // 200 000-node limit stops lowering part-way.
        var sb = new StringBuilder("public static partial class T {\n    private static double F0(double x) => SymMath.Softsign(SymMath.Softsign(SymMath.Softsign(x)));\n");
        for (int k = 1; k <= 15; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    private static double F{k}(double x) => F{k - 1}(F{k - 1}(x));\n");
        }

        sb.Append("    [Differentiable] public static double [|Broken|](double x) => F15(x);\n}\n");
        var watch = Stopwatch.StartNew();
        var run = Expect(sb.ToString(), ("SG0013", Error, 0));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"the generator took {watch.Elapsed} to give up");
        Assert.Contains("200000 nodes", Message(run, "SG0013"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0013_model_too_large_while_differentiating()
    {
        // Small to lower (a chain of 200 layers), but its 401×401 Hessian is reverse-over-reverse of every gradient entry.
        const int layers = 200;
        var sb = new StringBuilder("public static partial class T {\n    [Differentiable(Hessian = true)] public static double [|Broken|](double p0");
        for (int i = 1; i <= 2 * layers; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $", double p{i}");
        }

        sb.Append(")\n    {\n        double a = p0;\n");
        for (int i = 0; i < layers; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        a = Math.Sin(a * p{(2 * i) + 1} + p{(2 * i) + 2});\n");
        }

        sb.Append("        return a;\n    }\n}\n");
        var watch = Stopwatch.StartNew();
        var run = Expect(sb.ToString(), ("SG0013", Error, 0));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"the generator took {watch.Elapsed} to give up");
        Assert.Contains("200000 nodes", Message(run, "SG0013"), StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ SG0014

    [Fact]
    public void SG0014_overloaded_differentiable_methods()
    {
        Expect(
            """
            public static partial class T
            {
                [Differentiable] public static double [|Broken|](double x) => x * x;
                [Differentiable] public static double [|Broken|](double x, double y) => x * y;
            }
            """,
            ("SG0014", Error, 0),
            ("SG0014", Error, 1));
    }

    // ------------------------------------------------------------------ warnings and infos: code is still generated

    [Fact]
    public void SG0100_unused_parameter_has_a_zero_derivative()
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x, double [|y|]) => x * x; }",
            ("SG0100", Warning, 0));
        Assert.Contains("∂Broken/∂y is identically 0", Message(run, "SG0100"), StringComparison.Ordinal);
    }

    [Fact]
    public void SG0100_integer_division_makes_a_derivative_zero()
    {
        // (1 / 2) is the int 0 in C#, so x drops out; the warning tells the user.
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double [|x|], double y) => (1 / 2) * x + y * y; }",
            ("SG0100", Warning, 0));
    }

    [Theory]
    [InlineData("Floor")]
    [InlineData("Ceiling")]
    [InlineData("Round")]
    [InlineData("Truncate")]
    [InlineData("Sign")]
    public void SG0101_piecewise_constant_function(string function)
    {
        var run = Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x, double y) => [|Math." + function + "(x)|] * y + x; }",
            ("SG0101", Warning, 0));
        Assert.Contains("'Math." + function + "' is piecewise constant", Message(run, "SG0101"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Math.Abs(x)")]
    [InlineData("Math.Max(x, y)")]
    [InlineData("Math.Min(x, y)")]
    [InlineData("Math.Clamp(x, -1.0, y)")]
    public void SG0102_kink_is_an_info(string call)
    {
        Expect(
            "public static partial class T { [Differentiable] public static double Broken(double x, double y) => [|" + call + "|] * y + x; }",
            ("SG0102", Info, 0));
    }

    [Fact]
    public void Errors_in_one_method_leave_the_other_methods_of_the_same_type_alone()
    {
        var run = Expect(
            """
            public static partial class T
            {
                [Differentiable] public static double Before(double x) => x * x * x;
                [Differentiable] public static double Broken(double x) { double s = x; [|lock|] (typeof(T)) { s += 1; } return s; }
                [Differentiable] public static double After(double x, double y) => x * y;
            }
            """,
            new[] { "D.T.Before_1.g.cs", "D.T.After_2.g.cs" },
            ("SG0001", Error, 0));
        var compiled = run.Emit();
        Assert.Equal(new[] { 12.0 }, compiled.Gradient("D.T", "Before", 2.0).Gradient);
        Assert.Equal(new[] { 3.0, 2.0 }, compiled.Gradient("D.T", "After", 2.0, 3.0).Gradient);
    }

    // ------------------------------------------------------------------ helpers

    private static string Message(GeneratorRun run, string id) =>
        run.GeneratorDiagnostics.First(d => d.Id == id).GetMessage(CultureInfo.InvariantCulture);

    private static GeneratorRun Expect(string markup, params (string Id, DiagnosticSeverity Severity, int Span)[] expected) =>
        Expect(markup, Array.Empty<string>(), expected);

    /// <summary>
    /// Runs the generator on <paramref name="markup"/> (wrapped in namespace D, next to <c>Ok.Fine</c>) and asserts the
    /// SymGrad diagnostics are exactly <paramref name="expected"/> (ID, severity, marked span), that the broken method gets
    /// no code when an error is expected (and does get code otherwise), that <c>Ok.Fine</c> and
    /// <paramref name="alsoGenerated"/> are generated, and that no generated file has a compilation error or warning.
    /// </summary>
    private static GeneratorRun Expect(string markup, string[] alsoGenerated, params (string Id, DiagnosticSeverity Severity, int Span)[] expected)
    {
        var (body, spans) = Markup.Parse(markup);
        string source = Prefix + body + Suffix;
        var run = GeneratorHarness.Run(source);
        run.AssertNoExceptions();

        string Describe(string id, DiagnosticSeverity severity, int start, int end) =>
            $"{id} {severity} [{start}..{end}) '{source.Substring(start, end - start)}'";

        var want = expected
            .Select(e => Describe(e.Id, e.Severity, spans[e.Span].Start + Prefix.Length, spans[e.Span].End + Prefix.Length))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var got = run.GeneratorDiagnostics
            .Select(d => Describe(d.Id, d.Severity, d.Location.SourceSpan.Start, d.Location.SourceSpan.End))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(want, got);

        var tree = run.InputCompilation.SyntaxTrees.Single();
        foreach (var d in run.GeneratorDiagnostics)
        {
            // The location is in the user's file, with line/column matching the span (what the IDE squiggles).
            Assert.Equal(tree.FilePath, d.Location.GetLineSpan().Path);
            Assert.Equal(tree.GetLineSpan(d.Location.SourceSpan).Span, d.Location.GetLineSpan().Span);
            Assert.False(string.IsNullOrWhiteSpace(d.GetMessage(CultureInfo.InvariantCulture)));
        }

        var hints = run.GeneratedSources.Keys.ToList();
        Assert.Contains("D.Ok.Fine_1.g.cs", hints);
        foreach (var hint in alsoGenerated)
        {
            Assert.Contains(hint, hints);
        }

        var broken = hints.Where(h => h.Contains(".Broken_", StringComparison.Ordinal)).ToList();
        if (expected.Any(e => e.Severity == DiagnosticSeverity.Error))
        {
            Assert.True(broken.Count == 0, "code was generated for a method with an error: " + string.Join(", ", broken));
        }
        else
        {
            Assert.Single(broken);
        }

        var generatedTrees = run.OutputCompilation.SyntaxTrees.Except(run.InputCompilation.SyntaxTrees).ToHashSet();
        var generatedProblems = run.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } t && generatedTrees.Contains(t))
            .ToList();
        Assert.True(generatedProblems.Count == 0, "generated code has problems:\n" + GeneratorHarness.Format(generatedProblems));
        return run;
    }
}
