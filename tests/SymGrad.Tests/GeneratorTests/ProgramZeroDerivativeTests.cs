using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>SG0100 in program mode: a differentiated parameter from which no derivative reaches the result.</summary>
public sealed class ProgramZeroDerivativeTests
{
    private static string[] Warned(string body)
    {
        string source = """
            using System;
            using SymGrad;

            public static partial class Z
            {
            BODY
            }
            """.Replace("BODY", body, StringComparison.Ordinal);
        var run = GeneratorHarness.Run(source);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return run.GeneratorDiagnostics.Where(d => d.Id == "SG0100")
            .Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)).OrderBy(s => s, StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void A_parameter_that_moves_the_result_only_through_branch_conditions_is_reported()
    {
        // Bisection for the root of m³ + p·m − 1: p decides each halving, and no derivative flows from it.
        string[] warned = Warned("""
                [Differentiable]
                public static double Root(double p, double[] unused)
                {
                    double lo = 0, hi = 2;
                    for (int it = 0; it < 60; it++)
                    {
                        double mid = 0.5 * (lo + hi);
                        if ((mid * mid * mid) + (p * mid) - 1 > 0) hi = mid; else lo = mid;
                    }

                    return 0.5 * (lo + hi);
                }
            """);
        Assert.Equal(["p", "unused"], warned);
    }

    [Fact]
    public void Parameters_with_a_derivative_path_are_not_reported()
    {
        string[] warned = Warned("""
                [Differentiable]
                public static double Sum(double a, double[] x)
                {
                    double[] b = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) b[i] = x[i] * a;
                    double s = 0;
                    foreach (double v in b) s += v > 0 ? v : -v;
                    return s;
                }
            """);
        Assert.Empty(warned);
    }

    [Fact]
    public void The_message_says_why_the_derivative_is_zero()
    {
        var run = GeneratorHarness.Run("""
            using SymGrad;

            public static partial class Z
            {
                [Differentiable]
                public static double Gate(double[] x, double t)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++) if (x[i] > t) s += x[i];
                    return s;
                }
            }
            """);
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "SG0100");
        Assert.Equal("t", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.Contains("only through conditions", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
