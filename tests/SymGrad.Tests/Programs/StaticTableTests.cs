using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Models;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Data tables in static fields and properties (static readonly arrays, ReadOnlySpan properties over constants,
/// static readonly int counts): read as data when the generated code runs. Checked against Richardson finite
/// differences of the method itself.
/// </summary>
public sealed class StaticTableTests
{
    public static TheoryData<double, double, double> Points => new()
    {
        { 1.0, 1.0, 1.0 },         // MGH's starting point for Bard
        { 0.0824, 1.133, 2.344 },  // near Bard's minimum
        { 0.4, 0.3, 0.2 },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public void A_static_readonly_table_and_count_are_data_of_the_gradient_and_Hessian(double a, double b, double c)
    {
        double[] x = [a, b, c];
        double[] g = new double[3], h = new double[9];
        Oracle.AssertClose(StaticTables.Bard(x), StaticTables.BardGradient(x, g), 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(StaticTables.Bard, x), g, 1e-8, 1e-9, ["x1", "x2", "x3"]);
        StaticTables.BardHessian(x, g, h);
        Oracle.AssertClose(Oracle.Hessian(StaticTables.Bard, x), h, 1e-6, 1e-7);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void A_span_property_over_constants_and_an_int_table_are_data(double a, double b, double c)
    {
        double F(double[] p) => StaticTables.Gaussian(p[0], p[1], p[2]);
        double[] x = [a, b + 1.5, c];
        var partials = StaticTables.GaussianGradient(x[0], x[1], x[2]);
        Oracle.AssertClose(F(x), partials.Value, 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(F, x), [partials.x1, partials.x2, partials.x3], 1e-8, 1e-9, ["x1", "x2", "x3"]);
    }

    [Fact]
    public void A_table_passed_to_a_helper_and_enumerated_is_data()
    {
        double[] p = [0.7, -0.4];
        double[] g = new double[2];
        StaticTables.ShiftedGradient(p, g);
        Oracle.AssertClose(Oracle.Gradient(q => StaticTables.Shifted(q), p), g, 1e-9, 1e-10, ["shift", "p1"]);
    }

    [Fact]
    public void A_mutable_static_table_is_read_with_SG0103_and_a_run_time_count_is_an_error_that_says_what_to_do()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Tables
            {
                static double[] Y = { 1, 2, 3 };
                static readonly int N = Environment.ProcessorCount;

                [Differentiable]
                public static double Fit(double[] x)
                {
                    double f = 0;
                    for (int i = 0; i < Y.Length; i++) f += (Y[i] - x[0]) * (Y[i] - x[0]);
                    return f;
                }

                [Differentiable]
                public static double Count(double[] x)
                {
                    double f = 0;
                    for (int i = 0; i < N; i++) f += x[i];
                    return f;
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        Diagnostic warning = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "SG0103");
        Assert.Contains("Tables.Y", warning.GetMessage(), StringComparison.Ordinal);
        Diagnostic error = Assert.Single(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG0002", error.Id);
        Assert.Contains("static readonly int N = 10", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("N", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_table_private_to_a_helper_type_is_one_error_that_says_how_to_share_it()
    {
        // The generated code lives in Model and cannot read Tables' private members: one error each, never a compile
        // error in generated code.
        const string source = """
            using SymGrad;

            public static class Tables
            {
                private static readonly double[] Y = { 1, 2, 3 };
                private static readonly double Scale = 2;

                public static double Lookup(int i) => Scale * Y[i];
            }

            public static partial class Model
            {
                [Differentiable]
                public static double Fit(double[] x)
                {
                    double f = 0;
                    for (int i = 0; i < x.Length; i++) f += (x[i] - Tables.Lookup(i)) * (x[i] - Tables.Lookup(i));
                    return f;
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(2, errors.Count); // Scale and Y, each once although Lookup is inlined twice
        Assert.All(errors, e => Assert.Contains("make it internal", e.GetMessage(), StringComparison.Ordinal));
        Assert.DoesNotContain(run.GeneratedSources.Keys, k => k.Contains("Fit", StringComparison.Ordinal));
    }
}
