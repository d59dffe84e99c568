using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.CustomRules;

/// <summary>
/// Gradients, Hessians and Hessian-vector products through functions with custom derivative rules
/// (<c>[DerivativeOf]</c>), against Richardson finite differences of the functions themselves — the library functions
/// run as compiled, so the oracle never sees a rule. Rules from a referenced assembly, rules declared next to the
/// method, scalar mode and program mode.
/// </summary>
public sealed class CustomRuleGradientTests
{
    private const double RelTol = 1e-8;
    private const double AbsTol = 1e-9;
    private const double SecondRelTol = 1e-6;
    private const double SecondAbsTol = 1e-7;

    private static readonly double[] Xs = { 0.3, -1.2, 2.0, 0.7, -0.4 };
    private static readonly double[] Ys = { 1.1, -0.5, 2.9, 1.4, 0.2 };

    private static Compiled Library => GeneratorHarness.Compile(new[] { CustomRuleSources.LibraryModels }, new[] { CustomRuleSources.Special, CustomRuleSources.Rules });

    private static Compiled Own => GeneratorHarness.Compile(new[] { CustomRuleSources.SourceModels }, new[] { CustomRuleSources.Special });

    public static TheoryData<double, double, double> SmoothPoints => new()
    {
        { 0.7, -0.3, 1.2 },
        { -1.4, 0.9, 0.25 },
        { 2.0, 1.5, -0.8 },
    };

    [Fact]
    public void The_compilations_have_no_diagnostics_and_compile_cleanly()
    {
        Library.Run.AssertCompilesCleanly();
        Own.Run.AssertCompilesCleanly();
    }

    [Theory]
    [MemberData(nameof(SmoothPoints))]
    public void Gradient_through_rules_from_a_referenced_assembly(double a, double b, double x)
    {
        var f = Library.Function("WithLibraryRules", "Smooth");
        double[] p = { a, b, x };
        var (value, gradient) = Library.Gradient("WithLibraryRules", "Smooth", p);
        Oracle.AssertClose(f(p), value, 1e-14, 1e-14, "value");
        Oracle.AssertClose(Oracle.Gradient(f, p), gradient, RelTol, AbsTol, new[] { "a", "b", "x" });
    }

    [Theory]
    [MemberData(nameof(SmoothPoints))]
    public void Hessian_and_HVP_through_second_order_rules_from_a_referenced_assembly(double a, double b, double x)
    {
        var f = Library.Function("WithLibraryRules", "Smooth");
        double[] p = { a, b, x };
        var hessian = Library.Hessian("WithLibraryRules", "Smooth", p);
        double[] expected = Oracle.Hessian(f, p);
        Oracle.AssertClose(Oracle.Gradient(f, p), hessian.Gradient, RelTol, AbsTol, context: "gradient");
        Oracle.AssertClose(expected, hessian.Hessian, SecondRelTol, SecondAbsTol, context: "Hessian");

        double[] v = { 0.3, -1.1, 0.6 };
        double[] g = new double[3], hv = new double[3];
        Library.Invoke("WithLibraryRules", "CallSmoothHvp", p, v, g, hv);
        Oracle.AssertClose(Times(expected, v), hv, SecondRelTol, SecondAbsTol, context: "H·v");
    }

    [Theory]
    [InlineData(1.3, 0.8, -0.4, 0.9)]
    [InlineData(-0.6, 2.1, 1.7, -1.3)]
    public void Gradient_of_a_four_argument_function_with_one_rule_per_argument(double amplitude, double frequency, double phase, double x)
    {
        var f = Library.Function("WithLibraryRules", "Waves");
        double[] p = { amplitude, frequency, phase, x };
        var (_, gradient) = Library.Gradient("WithLibraryRules", "Waves", p);
        Oracle.AssertClose(Oracle.Gradient(f, p), gradient, RelTol, AbsTol, new[] { "amplitude", "frequency", "phase", "x" });
    }

    [Fact]
    public void A_call_whose_arguments_are_data_needs_no_rule_even_for_a_Hessian()
    {
        var f = Library.Function("WithLibraryRules", "ScaledByData");
        double[] p = { 1.7, 0.4 };
        var hessian = Library.Hessian("WithLibraryRules", "ScaledByData", p);
        double gd = f(new[] { 1.0, 0.4 });
        Assert.Equal(2 * 1.7 * gd, hessian.Gradient[0], 14);
        Assert.Equal(2 * gd, hessian.Hessian[0], 14);
    }

    [Theory]
    [InlineData(0.4, -1.3)]
    [InlineData(-2.0, 0.5)]
    public void Program_mode_gradient_Hessian_and_HVP_through_library_rules(double w0, double w1)
    {
        double[] w = { w0, w1 };
        Func<double[], double> f = p => (double)Library.Invoke("WithLibraryRules", "Fit", p, Xs, Ys)!;
        double[] g = new double[2];
        double value = (double)Library.Invoke("WithLibraryRules", "CallFitGradient", w, Xs, Ys, g)!;
        Oracle.AssertClose(f(w), value, 1e-13, 1e-13, "value");
        Oracle.AssertClose(Oracle.Gradient(f, w), g, RelTol, AbsTol, context: "gradient");

        double[] expected = Oracle.Hessian(f, w);
        double[] g2 = new double[2], h = new double[4];
        Library.Invoke("WithLibraryRules", "CallFitHessian", w, Xs, Ys, g2, h);
        Oracle.AssertClose(expected, h, SecondRelTol, SecondAbsTol, context: "Hessian");

        double[] v = { 0.7, -0.2 };
        double[] g3 = new double[2], hv = new double[2];
        Library.Invoke("WithLibraryRules", "CallFitHvp", w, Xs, Ys, v, g3, hv);
        Oracle.AssertClose(Times(expected, v), hv, SecondRelTol, SecondAbsTol, context: "H·v");
    }

    [Theory]
    [InlineData(0.6, -0.35)]
    [InlineData(-1.1, 0.8)]
    public void Rules_declared_next_to_the_method_are_differentiated_for_the_Hessian(double u, double v)
    {
        var f = Own.Function("WithOwnRules", "Scalar");
        double[] p = { u, v };
        var result = Own.Hessian("WithOwnRules", "Scalar", p);
        double[] expected = Oracle.Hessian(f, p);
        Oracle.AssertClose(f(p), result.Value, 1e-14, 1e-14, "value");
        Oracle.AssertClose(Oracle.Gradient(f, p), result.Gradient, RelTol, AbsTol, new[] { "u", "v" });
        Oracle.AssertClose(expected, result.Hessian, SecondRelTol, SecondAbsTol, context: "Hessian");

        double[] d = { -0.4, 1.3 };
        double[] g = new double[2], hv = new double[2];
        Own.Invoke("WithOwnRules", "CallScalarHvp", p, d, g, hv);
        Oracle.AssertClose(Times(expected, d), hv, SecondRelTol, SecondAbsTol, context: "H·v");
    }

    [Fact]
    public void Program_mode_through_rules_declared_next_to_the_method()
    {
        double[] w = { 0.5, -0.2, 1.3, 0.9 };
        Func<double[], double> f = p => (double)Own.Invoke("WithOwnRules", "Loop", p, Xs)!;
        double[] g = new double[4];
        Own.Invoke("WithOwnRules", "CallLoopGradient", w, Xs, g);
        Oracle.AssertClose(Oracle.Gradient(f, w), g, RelTol, AbsTol, context: "gradient");

        double[] expected = Oracle.Hessian(f, w);
        double[] g2 = new double[4], h = new double[16];
        Own.Invoke("WithOwnRules", "CallLoopHessian", w, Xs, g2, h);
        Oracle.AssertClose(expected, h, SecondRelTol, SecondAbsTol, context: "Hessian");

        double[] d = { 0.3, 0.1, -0.7, 0.2 };
        double[] g3 = new double[4], hv = new double[4];
        Own.Invoke("WithOwnRules", "CallLoopHvp", w, Xs, d, g3, hv);
        Oracle.AssertClose(Times(expected, d), hv, SecondRelTol, SecondAbsTol, context: "H·v");
    }

    [Fact]
    public void A_function_with_source_and_a_rule_is_called_not_inlined()
    {
        string text = Own.Run.GeneratedSource("WithOwnRules.Scalar_");
        Assert.Contains("global::Models.Growth.Pow2(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Math.Pow", text, StringComparison.Ordinal);

        // The library function itself is called for the value; the rule's body (inlined) for the derivative.
        Assert.Contains("global::SpecialLib.Special.Gd(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("GdDerivative", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_from_a_referenced_assembly_are_called_by_the_generated_code()
    {
        string text = Library.Run.GeneratedSource("WithLibraryRules.Smooth_");
        Assert.Contains("global::SpecialRules.LibraryRules.LogCoshDerivative(", text, StringComparison.Ordinal);
        Assert.Contains("global::SpecialRules.LibraryRules.LogCoshSecondDerivative(", text, StringComparison.Ordinal);
        Assert.Contains("global::SpecialRules.LibraryRules.SoftMax2Mixed(", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.8, 1.3)]
    [InlineData(-1.5, 0.4)]
    public void A_rule_called_as_is_gives_the_gradient(double a, double b)
    {
        var compiled = GeneratorHarness.Compile(new[] { CustomRuleSources.OpaqueRuleModels }, new[] { CustomRuleSources.Special });
        compiled.Run.AssertCompilesCleanly();
        Assert.Contains("LogCoshDerivative(", compiled.Run.GeneratedSource("WithOpaqueRule.Model_"), StringComparison.Ordinal);
        var f = compiled.Function("WithOpaqueRule", "Model");
        double[] p = { a, b };
        var (_, gradient) = compiled.Gradient("WithOpaqueRule", "Model", p);
        Oracle.AssertClose(Oracle.Gradient(f, p), gradient, RelTol, AbsTol, new[] { "a", "b" });
    }

    [Fact]
    public void A_rule_next_to_the_method_wins_over_a_library_rule()
    {
        const string source = """
            using System;
            using SpecialLib;
            using SymGrad;

            public static partial class Preferred
            {
                [DerivativeOf(typeof(Special), nameof(Special.Gd))]
                private static double MyGdDerivative(double x) => 2 / (Math.Exp(x) + Math.Exp(-x));

                [Differentiable]
                public static double F(double x) => Special.Gd(3 * x);
            }
            """;
        var compiled = GeneratorHarness.Compile(new[] { source }, new[] { CustomRuleSources.Special, CustomRuleSources.Rules });
        compiled.Run.AssertCompilesCleanly();
        string text = compiled.Run.GeneratedSource("Preferred.F_");
        Assert.DoesNotContain("LibraryRules", text, StringComparison.Ordinal);
        var f = compiled.Function("Preferred", "F");
        var (_, gradient) = compiled.Gradient("Preferred", "F", 0.35);
        Oracle.AssertClose(Oracle.Gradient(f, new[] { 0.35 }), gradient, RelTol, AbsTol);
    }

    private static double[] Times(double[] matrix, double[] v)
    {
        int n = v.Length;
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => matrix[(i * n) + j] * v[j])).ToArray();
    }
}
