using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Several locals declared in one statement (<c>double[] a = new double[n], b = new double[n];</c>) behave exactly like
/// one declaration per statement, for every kind of local, in program mode and in scalar mode: the generated code is
/// the same text, compiles without a warning, and its gradient matches the Richardson oracle.
/// </summary>
public sealed class MultiDeclaratorTests
{
    [Fact]
    public void Two_buffers_of_run_time_length_in_one_statement()
    {
        // The new-user report, verbatim: SG0002 "local arrays need a length known at compile time" on each buffer.
        const string source = """
            using System;
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double TwoBuffers(ReadOnlySpan<double> x)
                {
                    double[] a = new double[x.Length], b = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) { a[i] = x[i]; b[i] = x[i] * x[i]; }
                    return a[0] + b[^1];
                }

                public static double Value(double[] x) => TwoBuffers(x);

                public static double Grad(double[] x, double[] g) => TwoBuffersGradient(x, g);
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        InMemoryGradientCheck.CheckWrapped(compiled, "Value", "Grad", [0.7, -1.3, 2.1], "n 3");
        InMemoryGradientCheck.CheckWrapped(compiled, "Value", "Grad", [-0.4], "n 1");
    }

    [Fact]
    public void Two_stackalloc_spans_in_one_statement()
    {
        // The report's second form: SG0005 "local 'a' has type Span<double>, which SymGrad does not support".
        const string source = """
            using System;
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double TwoSpans(ReadOnlySpan<double> x)
                {
                    Span<double> a = stackalloc double[x.Length], b = stackalloc double[x.Length];
                    for (int i = 0; i < x.Length; i++) { a[i] = Math.Sin(x[i]); b[i] = a[i] * x[0]; }
                    double s = 0;
                    for (int i = 0; i < x.Length; i++) { s += a[i] * b[i]; }
                    return s;
                }

                public static double Value(double[] x) => TwoSpans(x);

                public static double Grad(double[] x, double[] g) => TwoSpansGradient(x, g);
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        InMemoryGradientCheck.CheckWrapped(compiled, "Value", "Grad", [0.7, -1.3, 2.1, 0.2], "n 4");
    }

    [Fact]
    public void Every_kind_of_local_in_program_mode_gives_the_code_of_one_declaration_per_statement()
    {
        string combined = ProgramSource(combined: true);
        string separate = ProgramSource(combined: false);
        var compiled = InMemoryGradientCheck.CompileClean(combined);
        Assert.Equal(GeneratorHarness.Run(separate).AssertCompilesCleanly().AllGeneratedText(), compiled.Run.AllGeneratedText());
        InMemoryGradientCheck.Check(compiled, "M", p => [p], [0.9, -1.2, 0.4, 1.7, -0.3, 0.6], "n 6");
        InMemoryGradientCheck.Check(compiled, "M", p => [p], [-0.5, 0.8, 1.1, -1.4, 0.25, 2.0, -0.7, 0.35], "n 8");
    }

    [Fact]
    public void Every_kind_of_local_in_scalar_mode_gives_the_code_of_one_declaration_per_statement()
    {
        string combined = ScalarSource(combined: true);
        string separate = ScalarSource(combined: false);
        var compiled = InMemoryGradientCheck.CompileClean(combined);
        Assert.Equal(GeneratorHarness.Run(separate).AssertCompilesCleanly().AllGeneratedText(), compiled.Run.AllGeneratedText());
        InMemoryGradientCheck.Check(compiled, "M", p => [p[0], p[1]], [0.9, -1.2], "x > 0, y < 0");
        InMemoryGradientCheck.Check(compiled, "M", p => [p[0], p[1]], [-0.6, 0.45], "x < 0, y > 0");
    }

    [Fact]
    public void A_for_loop_may_declare_several_buffers()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double[] x)
                {
                    double s = 0;
                    int r = 0;
                    for (Span<double> a = stackalloc double[x.Length], b = stackalloc double[2]; r < 1; r++)
                    {
                        for (int i = 0, j = x.Length - 1; i < x.Length; i++, j--) { a[i] = x[i] * x[j]; }
                        b[0] = a[0];
                        b[1] = a[x.Length - 1] * x[0];
                        s = b[0] + (b[1] * b[1]);
                    }

                    return s;
                }
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        InMemoryGradientCheck.Check(compiled, "M", p => [p], [0.9, -1.2, 0.4], "n 3");
    }

    /// <summary>
    /// A program-mode method with every kind of local (int, double, bool, double and int arrays of run-time and of
    /// constant length, stackalloc spans, slices, matrices, structs), declared two per statement or one per statement.
    /// </summary>
    private static string ProgramSource(bool combined)
    {
        string declarations = combined
            ? """
                    int n = x.Length, half = x.Length / 2;
                    double s = 0, t = x[0] * x[1];
                    bool big = x[0] > 0, small = x[1] < 0;
                    double[] a = new double[n], b = new double[n];
                    Span<double> u = stackalloc double[n], v = stackalloc double[2];
                    double[,] m = new double[2, n], k = { { 1, 2 }, { 3, 4 } };
                    Vec2 p = new(x[0], x[1]), q = default;
                    ReadOnlySpan<double> head = x.AsSpan(0, half), tail = x.AsSpan(half, half);
                    double[] c = { t, 2 * t }, e = [x[2], 3];
                    int[] order = { 1, 0 }, counts = new int[n];
                    double h = 0, w = Math.Cos(x[2]);
            """
            : """
                    int n = x.Length;
                    int half = x.Length / 2;
                    double s = 0;
                    double t = x[0] * x[1];
                    bool big = x[0] > 0;
                    bool small = x[1] < 0;
                    double[] a = new double[n];
                    double[] b = new double[n];
                    Span<double> u = stackalloc double[n];
                    Span<double> v = stackalloc double[2];
                    double[,] m = new double[2, n];
                    double[,] k = { { 1, 2 }, { 3, 4 } };
                    Vec2 p = new(x[0], x[1]);
                    Vec2 q = default;
                    ReadOnlySpan<double> head = x.AsSpan(0, half);
                    ReadOnlySpan<double> tail = x.AsSpan(half, half);
                    double[] c = { t, 2 * t };
                    double[] e = [x[2], 3];
                    int[] order = { 1, 0 };
                    int[] counts = new int[n];
                    double h = 0;
                    double w = Math.Cos(x[2]);
            """;
        return """
            using System;
            using SymGrad;

            public record struct Vec2(double X, double Y);

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double[] x)
                {

            """ + declarations + """

                    for (int i = 0; i < n; i++)
                    {
                        a[i] = x[i] * x[i];
                        b[i] = Math.Sin(x[i]);
                        u[i] = a[i] + b[i];
                        m[0, i] = x[i];
                        m[1, i] = a[i] * t;
                        counts[i] = i % 2;
                    }

                    v[0] = u[0];
                    v[1] = u[n - 1];
                    q.X = p.Y;
                    q.Y = p.X * 2;
                    for (int i = 0; i < head.Length; i++)
                    {
                        h += head[i] * tail[i] * (1 + counts[i]);
                    }

                    s = a[0] + b[^1] + u[1] + (v[0] * v[1]) + m[1, n - 1] + (k[1, 0] * m[0, 1]) + (q.X * q.Y) + (c[1] * e[0]) + (h * w)
                        + ((big ? 1 : 2) * (small ? x[2] : 1)) + x[order[0]] + half;
                    return s;
                }
            }
            """;
    }

    /// <summary>The same in scalar mode (double parameters, no statement that branches): one expression DAG.</summary>
    private static string ScalarSource(bool combined)
    {
        string declarations = combined
            ? """
                    double a = x * y, b = Math.Sin(a);
                    int two = 2, three = 3;
                    bool pos = x > 0, neg = y < 0;
                    double[] c = { a, b }, d = new double[2];
                    Vec2 p = new(a, b), q = new(b, x);
            """
            : """
                    double a = x * y;
                    double b = Math.Sin(a);
                    int two = 2;
                    int three = 3;
                    bool pos = x > 0;
                    bool neg = y < 0;
                    double[] c = { a, b };
                    double[] d = new double[2];
                    Vec2 p = new(a, b);
                    Vec2 q = new(b, x);
            """;
        return """
            using System;
            using SymGrad;

            public record struct Vec2(double X, double Y);

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double x, double y)
                {

            """ + declarations + """

                    d[0] = c[1] * two;
                    d[1] = c[0] + three;
                    return (d[0] * d[1]) + (p.X * q.Y) + (pos ? a : b) + (neg ? y : 1);
                }
            }
            """;
    }
}
