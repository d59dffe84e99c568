using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// SG9999 ("internal generator error") cannot be triggered by any input we know of, so instead: on a set of nasty
/// inputs the generator never throws (no escaped exception, no CS8785, no SG9999), every file it generates compiles
/// without warnings, and where the input is valid C# the generated gradient is right.
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string, string> NastyInputs => new()
    {
        { "generated parameter names as user parameter names", "public static partial class P { [Differentiable(Hessian = true)] public static double F(double gradient, double hessian, double direction, double product, double value) => gradient * hessian + direction * product * value; }" },
        { "generated names with a trailing underscore too", "public static partial class P { [Differentiable] public static double F(double gradient, double gradient_, double value, double value_) => gradient * gradient_ + value * value_; }" },
        { "objective member names as parameter names", "public static partial class P { [Differentiable(Hessian = true)] public static double F(double sample, double parameters, [Wrt] double index) => sample * parameters * index; }" },
        { "Value and Result as parameter names", "public static partial class P { [Differentiable] public static double F(double Value, double Result) => Value * Result; }" },
        { "methods differing only in case", "public static partial class P { [Differentiable] public static double F(double x) => x * x; [Differentiable] public static double f(double x) => x * x * x; }" },
        { "generic type next to a type with the mangled name", "public partial class G<T> { [Differentiable] public static double F(double x) => x * x; } public partial class G_T_ { [Differentiable] public static double F(double x) => x * x * x; }" },
        { "keyword parameter names", "public static partial class P { [Differentiable(Hessian = true)] public static double F(double @double, double @class) => @double * @class + @class; }" },
        { "unicode identifiers", "public static partial class Ω { [Differentiable] public static double Énergie(double α, double β) { double γ = α * β; return γ * γ + α; } }" },
        { "locals named like generated temporaries", "public static partial class P { [Differentiable] public static double F(double x) { double t0 = x * x; double dF_dx = t0 + x; double sigmoid1 = SymMath.Sigmoid(dF_dx); double gradient = sigmoid1 * t0; return gradient + t0; } }" },
        { "no parameters", "public static partial class P { [Differentiable(Hessian = true)] public static double F() => 3.0; }" },
        { "generic containing type", "public partial class G<T> where T : struct { [Differentiable] public static double F(double x) => x * x; }" },
        { "interface static method", "public partial interface I { [Differentiable] static double F(double x) => x * x; }" },
        { "record struct", "public partial record struct R(int N) { [Differentiable] public static double F(double x) => x * x; }" },
        { "odd default values", "public static partial class P { [Differentiable] public static double F(double x, double y = double.NaN, double z = 1 / 3, double w = 0.1f, double v = -0.0, double u = 1e300) => x * y * z * w * v * u; }" },
        { "odd constants", "public static partial class P { [Differentiable] public static double F(double x) => x / 0 + 0.0 / 0.0 * x + double.MaxValue * x + 1e-320 * x + double.Epsilon * x + double.NegativeInfinity; }" },
        { "zero derivatives everywhere", "public static partial class P { [Differentiable(Hessian = true)] public static double F(double x, double y) => x - x + Math.Floor(y) + Math.Max(x, x) - x; }" },
        { "constant conditions", "public static partial class P { [Differentiable] public static double F(double x) { if (true) { return x; } } }" },
        { "many parameters", "public static partial class P { [Differentiable] public static double F(" + string.Join(", ", Enumerable.Range(0, 150).Select(i => "double p" + i)) + ") => " + string.Join(" + ", Enumerable.Range(0, 150).Select(i => "p" + i + " * p" + ((i + 1) % 150))) + "; }" },
        { "a user type named Math", "namespace App { public static class Math { public static double Exp(double v) => 2 * v; } public static partial class P { [Differentiable] public static double F(double x) => Math.Exp(x) + System.Math.Exp(x); } }" },
        { "a user type named SymGrad", "namespace App { public class SymGrad { } public static partial class P { [global::SymGrad.Differentiable] public static double F(double x) => global::SymGrad.SymMath.Sigmoid(x); } }" },
        { "using static Math", "namespace App { using static System.Math; public static partial class P { [Differentiable] public static double F(double x) => Exp(x) * Sin(x) + Sqrt(Abs(x) + 1); } }" },
        { "alias of SymMath", "namespace App { using SM = global::SymGrad.SymMath; public static partial class P { [Differentiable] public static double F(double x) => SM.Softplus(x) * SM.Sigmoid(-x); } }" },
        { "a 300-term expression", "public static partial class P { [Differentiable] public static double F(double x) => " + string.Join(" + ", Enumerable.Range(0, 300).Select(i => "Math.Sin(x + " + i + ".5)")) + "; }" },
        { "100 sequential ifs", "public static partial class P { [Differentiable] public static double F(double x) { double r = x; " + string.Concat(Enumerable.Range(0, 100).Select(i => "if (x > " + i + ") { r = r * 1.001 + x; } ")) + "return r; } }" },
        { "syntax errors", "public static partial class P { [Differentiable] public static double F(double x) => x * ; [Differentiable] public static double G(double x) { return x +" },
        { "unresolved names", "public static partial class P { [Differentiable] public static double F(double x) => x * missing + Missing(x) + Math.Nope(x); }" },
        { "throw expression", "public static partial class P { [Differentiable] public static double F(double x) => x > 0 ? x : throw new ArgumentException(); }" },
        { "attribute on an accessor and a local function", "public partial class P { public double A { [Differentiable] get => 1; } public static double M(double x) { [Differentiable] static double L(double v) => v; return L(x); } }" },
        { "a different attribute with the same simple name", "namespace Other { public sealed class DifferentiableAttribute : Attribute { } public static class P { [Other.Differentiable] public static double F(double x) => x; } }" },
        { "namespace and nested type with the same path (invalid)", "namespace X { public static partial class A { public static partial class B { [Differentiable] public static double M(double x) => x * x; } } } namespace X.A { public static partial class B { [Differentiable] public static double M(double x) => x * x * x; } }" },
        { "same method twice (invalid)", "public static partial class P { [Differentiable] public static double F(double x) => x; [Differentiable] public static double F(double x) => x * x; }" },
        { "extension-method parameter", "public static partial class P { [Differentiable] public static double F(this double x) => x * x; }" },
        { "nullable-annotated context and pragma", "#nullable disable\n#pragma warning disable\npublic static partial class P { [Differentiable] public static double F(double x) => x * x; }" },
    };

    [Theory]
    [MemberData(nameof(NastyInputs))]
    public void The_generator_never_throws_and_what_it_generates_compiles(string description, string body)
    {
        var run = GeneratorHarness.Run("using System;\nusing SymGrad;\n\n" + body);
        run.AssertNoExceptions();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "SG9999" or "CS8785");

        var generatedTrees = run.OutputCompilation.SyntaxTrees.Except(run.InputCompilation.SyntaxTrees).ToHashSet();
        var problems = run.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } t && generatedTrees.Contains(t))
            .ToList();
        Assert.True(problems.Count == 0, description + ": generated code has problems:\n" + GeneratorHarness.Format(problems) + run.AllGeneratedText());

        // Every method without an error gets exactly one file.
        int differentiable = run.InputCompilation.SyntaxTrees.Sum(t => t.GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
            .Count(m => m.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() is "Differentiable" or "global::SymGrad.Differentiable")));
        int errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.SourceSpan).Distinct().Count();
        Assert.True(run.GeneratedSources.Count <= differentiable, description);
        if (errors == 0 && run.InputCompilation.GetDiagnostics().All(d => d.Severity != DiagnosticSeverity.Error))
        {
            Assert.Equal(differentiable, run.GeneratedSources.Count);
        }
    }

    public static TheoryData<string, string, string, double[]> ValidNastyInputs => new()
    {
        { "generated parameter names as user parameter names", "P", "F", new[] { 0.3, -1.2, 0.7, 1.9, -0.4 } },
        { "generated names with a trailing underscore too", "P", "F", new[] { 0.3, -1.2, 0.7, 1.9 } },
        { "objective member names as parameter names", "P", "F", new[] { 0.3, -1.2, 0.7 } },
        { "Value and Result as parameter names", "P", "F", new[] { 0.3, -1.2 } },
        { "methods differing only in case", "P", "F", new[] { 0.3 } },
        { "methods differing only in case", "P", "f", new[] { 0.3 } },
        { "keyword parameter names", "P", "F", new[] { 0.3, -1.2 } },
        { "unicode identifiers", "Ω", "Énergie", new[] { 0.3, -1.2 } },
        { "locals named like generated temporaries", "P", "F", new[] { 0.3 } },
        { "a user type named Math", "App.P", "F", new[] { 0.3 } },
        { "using static Math", "App.P", "F", new[] { 0.3 } },
        { "alias of SymMath", "App.P", "F", new[] { 0.3 } },
        { "a 300-term expression", "P", "F", new[] { 0.3 } },
        { "100 sequential ifs", "P", "F", new[] { 20.5 } },
    };

    [Theory]
    [MemberData(nameof(ValidNastyInputs))]
    public void Valid_nasty_inputs_get_correct_gradients(string description, string type, string method, double[] point)
    {
        string body = NastyInputs.Single(row => (string)row[0] == description)[1].ToString()!;
        var compiled = GeneratorHarness.Compile("using System;\nusing SymGrad;\n\n" + body);
        var m = compiled.Method(type, method);
        int[] wrt = m.DifferentiatedParameterNames.Select(p => m.ParameterNames.IndexOf(p)).ToArray();
        var f = compiled.Function(type, method);
        var (value, gradient) = compiled.Gradient(type, method, point);
        string at = description + " at " + TinyNetSeed.FormatPoint(point);
        Oracle.AssertClose(f(point), value, 1e-12, 1e-14, "value", at);
        Oracle.AssertClose(Oracle.Gradient(f, point, wrt), gradient, 1e-7, 1e-9, m.DifferentiatedParameterNames, at);
        if (!m.ParameterNames.Contains("Value"))
        {
            // (With a parameter named Value, the value is MPartials.Value_ or .Result; the harness reads .Value.)
            var partials = compiled.Partials(type, method, point);
            Assert.Equal(gradient, partials.Gradient);
            Assert.Equal(value, partials.Value);
        }
    }

    [Fact]
    public void Parameters_named_like_generated_spans_work_in_the_hessian_too()
    {
        string body = NastyInputs.Single(row => (string)row[0] == "generated parameter names as user parameter names")[1].ToString()!;
        var compiled = GeneratorHarness.Compile("using System;\nusing SymGrad;\n\n" + body);
        double[] p = { 0.3, -1.2, 0.7, 1.9, -0.4 };
        var h = compiled.Hessian("P", "F", p);
        var expected = Oracle.Hessian(compiled.Function("P", "F"), p);
        Oracle.AssertClose(expected, h.Hessian, 1e-7, 1e-8);
    }

    [Fact]
    public void An_expression_too_deep_for_the_generator_is_SG0013_not_a_crash()
    {
        // The recursive passes would overflow the stack, taking the compiler down (csc: "Stack overflow", seen with a
        // 10 000-term sum). On a thread with a small stack a 1 500-term sum is already too deep; it must become SG0013.
        string terms = string.Join(" + ", Enumerable.Range(0, 1_500).Select(i => "Math.Sin(x + " + i.ToString(CultureInfo.InvariantCulture) + ".5)"));
        var compilation = GeneratorHarness.CreateCompilation(
            "using System;\nusing SymGrad;\npublic static partial class P\n{\n    [Differentiable] public static double Deep(double x) => " + terms + ";\n" +
            "    [Differentiable] public static double Fine(double x) => x * x;\n}\n");
        GeneratorRun? run = null;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    run = GeneratorHarness.Run(compilation);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        run!.AssertNoExceptions();
        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("SG0013", d.Id);
        Assert.Equal("Deep", DiagnosticText.At(run, d));
        Assert.Contains("nest too deeply", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(new[] { "P.Fine_1.g.cs" }, run.GeneratedSources.Keys.ToArray());
    }

    [Fact]
    public void A_file_local_type_gets_a_diagnostic_not_broken_code()
    {
        var run = GeneratorHarness.Run("using SymGrad;\nfile static partial class FileLocal { [Differentiable] public static double F(double x) => x * x; }\n");
        run.AssertNoExceptions();
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "SG0015" && d.Severity == DiagnosticSeverity.Error && DiagnosticText.At(run, d) == "FileLocal");
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Hint_names_stay_unique_and_stable()
    {
        var run = GeneratorHarness.Run("using SymGrad;\n" + NastyInputs.Single(row => (string)row[0] == "methods differing only in case")[1]);
        Assert.Equal(new[] { "P.F_1.g.cs", "P.f_1.2.g.cs" }, run.GeneratedSources.Keys.ToArray());
    }
}
