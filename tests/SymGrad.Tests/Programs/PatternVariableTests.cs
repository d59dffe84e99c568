using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Patterns that declare a variable (<c>case var m when m &gt; 5:</c>, <c>case double d when d &gt; 1:</c>,
/// <c>x switch { var v when v &gt; 1 =&gt; v * v, … }</c>, <c>if (x is var t &amp;&amp; t &gt; 0)</c>): the variable is the
/// governing value under a new name, so the derivative flows through it. Each method is checked against the Richardson
/// oracle at points on every arm (away from the arms' boundaries), and its generated code must compile without a warning.
/// A pattern form that stays unsupported gets one error, not one more for every use of the names it declares.
/// </summary>
public sealed class PatternVariableTests
{
    [Fact]
    public void Switch_statement_on_a_double_with_var_and_declaration_patterns_in_a_loop()
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
                    for (int i = 0; i < x.Length; i++)
                    {
                        switch (x[i] * x[0])
                        {
                            case var m when m > 1:
                                s += m * m;
                                break;
                            case double d when d < -1:
                                s += Math.Sin(d) * x[i];
                                break;
                            case double d and > 0.5:
                                s += Math.Exp(d);
                                break;
                            default:
                                s -= x[i];
                                break;
                        }
                    }

                    return s;
                }
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        // Products x[i]·x[0]: 2.25, 0.6, −1.8, 0.3 and 1.69, −0.65, 1.43, −2.6 (every section, none near a bound).
        InMemoryGradientCheck.Check(compiled, "M", p => [p], [1.5, 0.4, -1.2, 0.2], "first point");
        InMemoryGradientCheck.Check(compiled, "M", p => [p], [-1.3, 0.5, -1.1, 2.0], "second point");
    }

    [Fact]
    public void Switch_statement_on_a_product_of_doubles_returns_from_its_sections()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double x, double y)
                {
                    switch (x * y)
                    {
                        case var p when p > 1:
                            return p * Math.Exp(-p);
                        case double q when q < -1:
                            return q * q * y;
                        default:
                            return x + y;
                    }
                }
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        InMemoryGradientCheck.Check(compiled, "M", p => [p[0], p[1]], [1.5, 2.0], "p > 1");
        InMemoryGradientCheck.Check(compiled, "M", p => [p[0], p[1]], [-1.5, 2.0], "q < -1");
        InMemoryGradientCheck.Check(compiled, "M", p => [p[0], p[1]], [0.5, 0.6], "default");
    }

    [Fact]
    public void Switch_statement_on_an_int_and_on_a_long()
    {
        const string source = """
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double[] x, int n)
                {
                    switch (n)
                    {
                        case var m when m > 5:
                            return x[0] * m;
                        case int m when m > 2:
                            return x[0] * x[1] * m;
                        case 1:
                            return x[1] * x[1];
                        default:
                            return x[0] + n;
                    }
                }

                [Differentiable]
                public static double L(double[] x, long k)
                {
                    double s = x[0];
                    switch (k)
                    {
                        case long m when m > 3:
                            s *= m;
                            break;
                        case var m when m < 0:
                            s += x[1] * m;
                            break;
                    }

                    return s * x[1];
                }
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        foreach (int n in new[] { 7, 3, 1, 0 })
        {
            InMemoryGradientCheck.Check(compiled, "M", p => [p, n], [0.8, -1.7], "n " + n.ToString(CultureInfo.InvariantCulture));
        }

        foreach (long k in new[] { 5L, -2L, 1L })
        {
            InMemoryGradientCheck.Check(compiled, "L", p => [p, k], [0.8, -1.7], "k " + k.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Switch_expression_with_var_declaration_and_type_patterns_and_its_hessian()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable(Hessian = true)]
                public static double M(double x, double y) => (x - y) switch
                {
                    var v when v > 1 => v * v * y,
                    double v when v < -1 => Math.Sin(v) * x,
                    double and > 0 => x * y,
                    _ => x + y,
                };
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        foreach (double[] point in new[] { new[] { 2.5, 0.5 }, new[] { -1.5, 0.7 }, new[] { 0.9, 0.4 }, new[] { 0.2, 0.9 } })
        {
            InMemoryGradientCheck.Check(compiled, "M", p => [p[0], p[1]], point, "arm of x − y = " + (point[0] - point[1]).ToString("R", CultureInfo.InvariantCulture));
            var h = compiled.Hessian("Repro", "M", point);
            Oracle.AssertClose(Oracle.Hessian(compiled.Function("Repro", "M"), point), h.Hessian, 1e-6, 1e-7, ["xx", "xy", "yx", "yy"], "Hessian at x − y = " + (point[0] - point[1]).ToString("R", CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Switch_expressions_in_a_loop_and_on_an_int_and_a_bool()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double[] x, int n, bool flag)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s += x[i] switch { var v when v > 0.5 => v * v, double v => -v * x[0] };
                    }

                    s += n switch { int m when m > 2 => x[0] * m, var m => x[1] + m };
                    return flag switch { var b when b => s * s, _ => s };
                }
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        foreach ((int n, bool flag) in new[] { (3, true), (1, false), (0, true) })
        {
            InMemoryGradientCheck.Check(compiled, "M", p => [p, n, flag], [0.9, -0.4, 1.3, 0.1], "n " + n.ToString(CultureInfo.InvariantCulture) + ", flag " + flag);
        }
    }

    [Fact]
    public void Is_patterns_declare_a_variable_for_the_condition_and_the_branch()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double x, double y)
                {
                    if (x * y is var t && t > 0)
                    {
                        return t * Math.Exp(-t);
                    }

                    if (x - y is double u && u < -1)
                    {
                        return u * u;
                    }

                    return y * y;
                }

                [Differentiable]
                public static double E(double x, double y) => x * y is var t && t > 0.5 ? t * Math.Log(t) : y;

                [Differentiable]
                public static double B(double x, bool flag) => flag is var b && b ? x * x : -x;
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        foreach (double[] point in new[] { new[] { 1.2, 0.8 }, new[] { -1.5, 0.7 }, new[] { -0.3, 0.2 } })
        {
            InMemoryGradientCheck.Check(compiled, "M", p => [p[0], p[1]], point, "M");
            InMemoryGradientCheck.Check(compiled, "E", p => [p[0], p[1]], point, "E");
        }

        InMemoryGradientCheck.Check(compiled, "B", p => [p[0], true], [0.7], "flag");
        InMemoryGradientCheck.Check(compiled, "B", p => [p[0], false], [0.7], "no flag");
    }

    [Fact]
    public void An_is_pattern_in_a_loop_condition_names_the_value_of_each_test()
    {
        const string source = """
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double[] x)
                {
                    double s = 0;
                    int i = 0;
                    while (s is var t && t < 3 && i < x.Length)
                    {
                        s = t + (x[i] * t) + x[i];
                        i++;
                    }

                    return s * x[0];
                }
            }
            """;
        var compiled = InMemoryGradientCheck.CompileClean(source);
        InMemoryGradientCheck.Check(compiled, "M", p => [p], [0.7, 1.3, 0.4, 0.2], "stops on t ≥ 3");
        InMemoryGradientCheck.Check(compiled, "M", p => [p], [0.2, 0.3, 0.1], "runs to the end");
    }

    [Fact]
    public void An_unsupported_pattern_gets_one_error_and_the_names_it_declares_none()
    {
        var run = GeneratorHarness.Run("""
            using SymGrad;

            public static partial class Repro
            {
                [Differentiable]
                public static double M(double x, double y) => x is { } t && t > 0 ? t * y : y;

                [Differentiable]
                public static double S(double x, double y)
                {
                    switch (x)
                    {
                        case double { } m when m > 1:
                            return m * y;
                        default:
                            return y;
                    }
                }

                [Differentiable]
                public static double T(double x, double y) => (x, y) switch { (var a, var b) when a > b => a - b, _ => x };

                [Differentiable]
                public static double O(double x, double y)
                {
                    object o = x;
                    return o is double d && d > 0 ? d * y : y;
                }
            }
            """);
        run.AssertNoExceptions();
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("SG", System.StringComparison.Ordinal)));

        // One error per method, at its root cause: the property pattern, the tuple it switches on, the object local.
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Id + " " + d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan))
            .ToList();
        Assert.Equal(["SG0002 { } t", "SG0002 double { } m", "SG0002 (x, y)", "SG0005 o"], errors);
    }
}
