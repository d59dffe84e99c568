using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// A function gets the same diagnostics whichever way its method is lowered: one DAG (only scalar parameters) or a
/// structured program (an array parameter). <c>Math.Sign</c> returns an int, and program mode lowered it on its integer
/// path (an int choice, usable as an index), which reported nothing: no SG0101, while Floor and Round in the same
/// method and Sign in a scalar method did warn.
/// </summary>
public sealed class ModeConsistentDiagnosticsTests
{
    public static TheoryData<string, string> PiecewiseConstant => new()
    {
        // (real type, call of x)
        { "double", "Math.Floor(x)" },
        { "double", "Math.Ceiling(x)" },
        { "double", "Math.Round(x)" },
        { "double", "Math.Truncate(x)" },
        { "double", "Math.Sign(x)" },
        { "double", "double.Floor(x)" },
        { "double", "double.Round(x)" },
        { "double", "double.Sign(x)" },
        { "float", "MathF.Floor(x)" },
        { "float", "MathF.Sign(x)" },
        { "float", "Math.Sign(x)" },
        { "T", "T.Floor(x)" },
        { "T", "T.Sign(x)" },
    };

    [Theory]
    [MemberData(nameof(PiecewiseConstant))]
    public void A_piecewise_constant_function_warns_alike_in_scalar_and_program_mode(string real, string call)
    {
        // The call used directly in an expression, stored in a local, and (program mode only) in a loop.
        string generic = real == "T" ? "<T>" : string.Empty;
        string where = real == "T" ? " where T : System.Numerics.IFloatingPointIeee754<T>" : string.Empty;
        string head = "public static " + real + " F" + generic;
        string scalar = head + "(" + real + " x, " + real + " y)" + where + " { return [|" + call + "|] * y + x; }";
        string scalarLocal = head + "(" + real + " x, " + real + " y)" + where + " { " + real + " s = [|" + call + "|]; return s * y + x; }";
        string program = head + "(" + real + "[] v)" + where + " { " + real + " x = v[0]; " + real + " y = v[1]; return [|" + call + "|] * y + x; }";
        string programLocal = head + "(" + real + "[] v)" + where + " { " + real + " x = v[0]; " + real + " y = v[1]; " + real + " s = [|" + call + "|]; return s * y + x; }";
        string programLoop = head + "(" + real + "[] v)" + where + " { " + real + " s = v[0]; for (int i = 1; i < v.Length; i++) { " + real + " x = v[i]; s += [|" + call + "|] * s; } return s; }";

        var scalarDiagnostics = Diagnostics(scalar);
        Assert.Equal(new[] { "SG0101 Warning '" + call.Split('(')[0] + "' is piecewise constant at " + call }, scalarDiagnostics);
        Assert.Equal(scalarDiagnostics, Diagnostics(program));
        Assert.Equal(scalarDiagnostics, Diagnostics(scalarLocal));
        Assert.Equal(scalarDiagnostics, Diagnostics(programLocal));
        Assert.Equal(scalarDiagnostics, Diagnostics(programLoop));
    }

    [Fact]
    public void Math_Sign_in_a_program_warns_like_Math_Floor()
    {
        // The two methods of the report: Sign of an array element, directly and through a local.
        const string source = """
            using System;
            using SymGrad;
            public static partial class P
            {
                [Differentiable] public static double F(double[] x) => x[0] * Math.Sign(x[0]);
                [Differentiable] public static double G(double[] x) { double sg = Math.Sign(x[0]); return sg * x[1]; }
                [Differentiable] public static double H(double[] x) { double fl = Math.Floor(x[0]); return fl * x[1]; }
            }
            """;
        var run = GeneratorHarness.Run(source);
        run.AssertNoExceptions();
        Assert.Equal(
            new[] { "SG0101 Math.Sign(x[0])", "SG0101 Math.Sign(x[0])", "SG0101 Math.Floor(x[0])" },
            run.GeneratorDiagnostics.Select(d => d.Id + " " + DiagnosticText.At(run, d)));
        Assert.Equal(3, run.GeneratedSources.Count);
    }

    [Fact]
    public void An_int_sign_used_as_an_index_still_compiles_and_warns()
    {
        // Program mode keeps Math.Sign an int (it can index); the warning is the only thing added.
        const string source = """
            using System;
            using SymGrad;
            public static partial class P
            {
                [Differentiable] public static double F(double[] w, double x) { int k = Math.Sign(x) + 1; return w[k] * x; }
            }
            """;
        var run = GeneratorHarness.Run(source);
        run.AssertNoExceptions();
        Assert.Equal(new[] { "SG0101 Math.Sign(x)" }, run.GeneratorDiagnostics.Select(d => d.Id + " " + DiagnosticText.At(run, d)));
        var gradient = new double[4];
        double value = run.Emit().GradientInto("P", "F", new object?[] { new[] { 1.0, 2.0, 3.0 }, 2.0 }, gradient);
        Assert.Equal(6.0, value); // w[2] · x
        Assert.Equal(new[] { 0.0, 0.0, 2.0, 3.0 }, gradient); // ∂/∂w = (0, 0, x), ∂/∂x = w[2] (the sign's derivative is 0)
    }

    /// <summary>The generator's diagnostics for one [Differentiable] method (marked <c>[|…|]</c>): ID, severity, marked text, message.</summary>
    private static List<string> Diagnostics(string markedMethod)
    {
        var (method, spans) = Markup.Parse(markedMethod);
        string source = "using System;\nusing SymGrad;\npublic static partial class P\n{\n    [Differentiable] " + method + "\n}\n";
        var run = GeneratorHarness.Run(source);
        run.AssertNoExceptions();
        Assert.Single(spans);
        Assert.Single(run.GeneratedSources); // a warning: the method still gets its code
        return run.GeneratorDiagnostics
            .Select(d => d.Id + " " + d.Severity + " " + d.GetMessage(CultureInfo.InvariantCulture).Split(';')[0] + " at " + DiagnosticText.At(run, d))
            .ToList();
    }
}
