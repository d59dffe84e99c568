using System;
using System.Globalization;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Checks a method compiled in memory (for sources the test project itself could not build while the generator rejects
/// them): the generator reports nothing, the compilation with the generated code has no error and no warning, and
/// <c>Repro.MGradient</c> (the differentiated values packed into one point) matches the Richardson oracle on the
/// user's own method.
/// </summary>
internal static class InMemoryGradientCheck
{
    private const double Rel = 1e-7;
    private const double Abs = 1e-9;

    /// <summary>
    /// Generates, asserts a clean run and compilation (no diagnostic, no warning), asserts that generating again (from a
    /// fresh parse, under a decimal-comma culture) gives the same text, and loads <paramref name="source"/>.
    /// </summary>
    public static Compiled CompileClean(string source)
    {
        string first = GeneratorHarness.Run(source).AssertNoGeneratorDiagnostics().AssertCompilesCleanly().AllGeneratedText();
        CultureInfo saved = CultureInfo.CurrentCulture;
        string second;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            second = GeneratorHarness.Run(source).AllGeneratedText();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Equal(first, second);
        return GeneratorHarness.Compile(source);
    }

    /// <summary>
    /// The value (to 1e-12) and gradient (to 1e-7 relative, 1e-9 absolute) of <c>Repro.<paramref name="method"/></c> at
    /// <paramref name="point"/>, whose arguments <paramref name="arguments"/> builds from the point.
    /// </summary>
    public static void Check(Compiled compiled, string method, Func<double[], object?[]> arguments, double[] point, string context)
    {
        Func<double[], double> f = p => (double)compiled.Invoke("Repro", method, arguments(p))!;
        var gradient = new double[point.Length];
        double value = compiled.GradientInto("Repro", method, arguments((double[])point.Clone()), gradient);
        string at = method + ", " + context + " at (" + string.Join(", ", point.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + ")";
        Oracle.AssertClose(f(point), value, 1e-12, 1e-14, "value", at);
        Oracle.AssertClose(Oracle.Gradient(f, point), gradient, Rel, Abs, Enumerable.Range(0, point.Length).Select(i => "p[" + i.ToString(CultureInfo.InvariantCulture) + "]").ToArray(), at);
    }

    /// <summary>
    /// The same through wrappers the source declares, for a method whose spans the harness cannot pass:
    /// <c>Repro.<paramref name="value"/>(double[] x)</c> calls the method and <c>Repro.<paramref name="gradient"/>(double[] x,
    /// double[] g)</c> its generated <c>MGradient</c>.
    /// </summary>
    public static void CheckWrapped(Compiled compiled, string value, string gradient, double[] point, string context)
    {
        Func<double[], double> f = p => (double)compiled.Invoke("Repro", value, p)!;
        var g = new double[point.Length];
        double v = (double)compiled.Invoke("Repro", gradient, (double[])point.Clone(), g)!;
        string at = value + ", " + context + " at (" + string.Join(", ", point.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + ")";
        Oracle.AssertClose(f(point), v, 1e-12, 1e-14, "value", at);
        Oracle.AssertClose(Oracle.Gradient(f, point), g, Rel, Abs, Enumerable.Range(0, point.Length).Select(i => "x[" + i.ToString(CultureInfo.InvariantCulture) + "]").ToArray(), at);
    }
}
