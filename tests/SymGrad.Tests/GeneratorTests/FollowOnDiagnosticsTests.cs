using System.Globalization;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// One diagnostic per cause: an error is reported where it arises, and what follows from it stays quiet. A call without
/// source is SG0003, without an SG0002 for its argument (lowered as a scalar, an array parameter used to be "'x' is not
/// a local variable or parameter of this method"); a failed declaration poisons its names, so their later uses add
/// nothing. And the message names the real cause: a local function assigning a captured variable says so, also when
/// its body is an expression.
/// </summary>
public sealed class FollowOnDiagnosticsTests
{
    private const string Head = """
        using System;
        using System.Linq;
        using SymGrad;
        public static partial class P
        {
            [System.Runtime.InteropServices.DllImport("m")] private static extern double Native(double v);
            private static (double, double) Pair(double[] x) => (x[0], x[1]);
            private static (double, double) Split(double x) => (x, x * x);

        """;

    public static TheoryData<string, string> Cases => new()
    {
        // A call without source (or of a signature SymGrad cannot pass): SG0003 only.
        { "public static double F(double[] x) => Enumerable.Sum(x);", "SG0003 at 'Enumerable.Sum(x)'" },
        { "public static double F(double[] x, double y) => y * x.Max();", "SG0003 at 'x.Max()'" },
        { "public static double F(double[] x) { double m = x.Max(); return m * x[0] + m; }", "SG0003 at 'x.Max()'" },
        { "public static double F(double[] x) { double s = Enumerable.Sum(x.Select(v => v * v)); return s * x[0]; }", "SG0003 at 'Enumerable.Sum(x.Select(v => v * v))'" },
        { "public static double F(double x, double y) => y * Native(x);", "SG0003 at 'Native(x)'" },

        // A second cause in an argument SymGrad can pass is still its own diagnostic.
        { "public static double F(double[] x, int i) => Native(x[i++]);", "SG0002 at 'i++' | SG0003 at 'Native(x[i++])'" },

        // A tuple deconstruction from a helper: its names are poisoned, reads and writes of them stay quiet.
        { "public static double F(double[] x) { var (a, b) = Pair(x); return a * b + a; }", "SG0002 at 'var (a, b)'" },
        { "public static double F(double x) { (double a, double b) = Split(x); double c = a * b; return c + a; }", "SG0002 at '(double a, double b)'" },
        { "public static double F(double x) { var (a, b) = Split(x); a += 1; b = a * 2; a++; return a * b; }", "SG0002 at 'var (a, b)'" },
        { "public static double F(double[] x) { double s = 0; for (int i = 0; i < x.Length; i++) { var (a, b) = Split(x[i]); s += a * b; } return s; }", "SG0002 at 'var (a, b)'" },

        // A local of an unsupported type: SG0005 at it, and its uses (a delegate called) add nothing.
        { "public static double F(double x) { var t = (x, 2 * x); double u = t.Item1; return u * x; }", "SG0005 at 't'" },
        { "public static double F(double x) { double s = 0; Action a = () => s = x; a(); return s; }", "SG0005 at 'a'" },
        { "public static double F(double x) { Func<double> g = () => x * x; double v = g(); return v * x; }", "SG0005 at 'g'" },

        // A local function assigning a captured variable, with a block or an expression body.
        { "public static double F(double x) { double s = 0; void Add(double v) { s = s + v; } Add(x); return s; }", "SG0002 at 's': assignment to captured variable 's'" },
        { "public static double F(double x) { double s = 0; void Add(double v) => s += v; Add(x); return s; }", "SG0002 at 's': assignment to captured variable 's'" },
        { "public static double F(double[] x) { double s = 0; void Add(double v) => s += v; Add(x[0]); return s; }", "SG0002 at 's': assignment to captured variable 's'" },
        { "public static double F(double x) { double s = 0; void Inc() => s++; Inc(); return s * x; }", "SG0002 at 's': assignment to captured variable 's'" },
        { "public static double F(double x) { double s = 0; double Add(double v) => s += v; return Add(x); }", "SG0002 at 's': assignment to captured variable 's'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_the_cause_is_reported(string method, string expected)
    {
        var run = GeneratorHarness.Run(Head + "    [Differentiable] " + method + "\n}\n");
        run.AssertNoExceptions();
        Assert.Empty(run.GeneratedSources); // an error: no code
        string got = string.Join(" | ", run.GeneratorDiagnostics
            .OrderBy(d => d.Id, System.StringComparer.Ordinal)
            .Select(d => d.Id + " at '" + DiagnosticText.At(run, d) + "'" + (expected.Contains(": ", System.StringComparison.Ordinal) ? ": " + Cause(d.GetMessage(CultureInfo.InvariantCulture)) : string.Empty)));
        Assert.Equal(expected, got);
    }

    [Fact]
    public void The_captured_variable_message_says_a_local_function_may_not_assign_it()
    {
        var run = GeneratorHarness.Run(Head + "    [Differentiable] public static double F(double x) { double s = 0; void Add(double v) => s += v; Add(x); return s; }\n}\n");
        Assert.Equal(
            "SymGrad cannot differentiate this assignment to captured variable 's': a local function may read, but not assign, variables of the enclosing method (in 'Add', called as F → Add)",
            Assert.Single(run.GeneratorDiagnostics).GetMessage(CultureInfo.InvariantCulture));
    }

    /// <summary>The "what" of an SG0002 message: between "this " and the first ':'.</summary>
    private static string Cause(string message) => message.Split(':')[0].Replace("SymGrad cannot differentiate this ", string.Empty, System.StringComparison.Ordinal);
}
