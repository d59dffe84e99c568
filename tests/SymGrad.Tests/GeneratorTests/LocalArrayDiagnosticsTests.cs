using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>Local arrays are element-wise SSA variables, so C# aliasing must be refused rather than mis-modelled.</summary>
public class LocalArrayDiagnosticsTests
{
    [Fact]
    public void Aliasing_a_local_array_is_an_error_not_a_silent_copy()
    {
        var run = GeneratorHarness.Run("""
            using SymGrad;
            public static partial class Alias
            {
                [Differentiable]
                public static double F(double x)
                {
                    double[] a = { x, 2 * x };
                    double[] b = a;
                    b[0] = 5;
                    return a[0];
                }
            }
            """);
        run.AssertNoExceptions();
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG0002", d.Id);
        Assert.Equal("b[0]", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.Contains("'b' is a second name for the elements of 'a'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Reading_through_a_second_name_or_a_slice_is_fine_and_a_helper_may_fill_a_buffer()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using SymGrad;
            public static partial class Views
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> w)
                {
                    double[] a = new double[w.Length];
                    Fill(w, a);
                    ReadOnlySpan<double> b = a;
                    return b[0] + Sum(a.AsSpan(1)) + Sum(w[1..]);
                }

                static void Fill(ReadOnlySpan<double> w, Span<double> y)
                {
                    for (int i = 0; i < w.Length; i++) y[i] = w[i] * w[i];
                }

                static double Sum(ReadOnlySpan<double> v)
                {
                    double s = 0;
                    foreach (double x in v) s += x;
                    return s;
                }
            }
            """);
        run.AssertNoExceptions();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void An_error_inside_a_helper_names_the_call_chain()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using SymGrad;
            public static partial class Chain
            {
                [Differentiable]
                public static double F(double[] w) => Outer(w);

                static double Outer(ReadOnlySpan<double> v) => Inner(v) * 2;

                static double Inner(ReadOnlySpan<double> u)
                {
                    double s = 0;
                    foreach (double x in u) s += x * Console.Read();
                    return s;
                }
            }
            """);
        run.AssertNoExceptions();
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains("(in 'Inner', called as F → Outer → Inner)", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Console.Read()", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }

    [Fact]
    public void A_helper_writing_a_buffer_passed_twice_is_an_error()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using SymGrad;
            public static partial class Twice
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> w)
                {
                    double[] a = new double[2];
                    Copy(a, a);
                    return a[0] * w[0];
                }

                static void Copy(Span<double> x, Span<double> y) { y[0] = x[1]; }
            }
            """);
        run.AssertNoExceptions();
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG0002", d.Id);
        Assert.Contains("second name", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Writing_the_array_a_foreach_iterates_is_an_error()
    {
        var run = GeneratorHarness.Run("""
            using SymGrad;
            public static partial class Iterated
            {
                [Differentiable]
                public static double F(double x)
                {
                    double[] a = { x, 2 * x };
                    double s = 0;
                    foreach (double v in a) { a[1] = v; s += v; }
                    return s;
                }
            }
            """);
        run.AssertNoExceptions();

        // Program mode reads a[i] when the iteration reaches it, as C# does: writing the array is supported.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.NotEmpty(run.GeneratedSources);
    }
}
