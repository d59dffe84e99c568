using System.Linq;
using System;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.TestFunctions;

/// <summary>Language features beyond plain arithmetic: local functions, patterns, static fields, unrolled loops.</summary>
public static partial class Features
{
    private static readonly double Scale = Math.Sqrt(2.0);

    public static double Offset { get; } = 0.25;

    [Differentiable]
    public static double LocalFunctions(double x, double y)
    {
        double k = 3;
        static double Sq(double v) => v * v;
        double Scaled(double v)
        {
            return k * v;
        }

        return Sq(x) + Scaled(y) + Sq(Scaled(x * y));
    }

    [Differentiable]
    public static double Patterns(double x, double y)
    {
        if (x is > 0 and < 10 && !double.IsNaN(y))
        {
            return x * x * y;
        }

        return x is 0 or -1 ? 1 : y * y;
    }

    [Differentiable]
    public static double StaticValues(double x) => Scale * x * x + Offset;

    [Differentiable]
    public static double Horner(double x, double a0, double a1, double a2, double a3)
    {
        // Coefficients fed through a compile-time loop: p = ((a3·x + a2)·x + a1)·x + a0.
        double p = a3;
        for (int i = 2; i >= 0; i--)
        {
            double c = i == 2 ? a2 : i == 1 ? a1 : a0;
            p = p * x + c;
        }

        return p;
    }

    [Differentiable]
    public static double WhileLoop(double x)
    {
        int n = 0;
        double y = x;
        while (n < 3)
        {
            y = Math.Sin(y) + x;
            n++;
        }

        return y;
    }
}

public class LanguageFeatureTests
{
    [Fact]
    public void Local_functions_are_inlined_with_their_captured_variables()
    {
        foreach ((double x, double y) in new[] { (0.5, -1.0), (2.0, 3.0), (-1.5, 0.25) })
        {
            var p = Features.LocalFunctionsGradient(x, y);
            // f = x² + 3y + 9x²y²
            Oracle.AssertClose(new[] { x * x + 3 * y + 9 * x * x * y * y, 2 * x + 18 * x * y * y, 3 + 18 * x * x * y }, new[] { p.Value, p.x, p.y }, 1e-14, 1e-14);
        }
    }

    [Fact]
    public void Patterns_and_IsNaN_select_the_right_branch()
    {
        var inside = Features.PatternsGradient(2, 5);
        Assert.Equal((20.0, 20.0, 4.0), (inside.Value, inside.x, inside.y));
        var outside = Features.PatternsGradient(-2, 5);
        Assert.Equal((25.0, 0.0, 10.0), (outside.Value, outside.x, outside.y));
        var constant = Features.PatternsGradient(-1, 5);
        Assert.Equal((1.0, 0.0, 0.0), (constant.Value, constant.x, constant.y));
    }

    [Fact]
    public void Static_fields_and_properties_are_read_as_constants()
    {
        var p = Features.StaticValuesGradient(3);
        Assert.Equal(Math.Sqrt(2.0) * 9 + 0.25, p.Value, 14);
        Assert.Equal(2 * Math.Sqrt(2.0) * 3, p.x, 14);
    }

    [Fact]
    public void Compile_time_loops_are_unrolled()
    {
        double[] args = { 1.5, 0.3, -0.2, 0.7, 1.1 };
        double[] g = new double[5];
        double v = Features.HornerGradient(args[0], args[1], args[2], args[3], args[4], g);
        double x = args[0];
        Oracle.AssertClose(new[] { 1.1 * x * x * x + 0.7 * x * x - 0.2 * x + 0.3, 3.3 * x * x + 1.4 * x - 0.2, 1, x, x * x, x * x * x }, new[] { v, g[0], g[1], g[2], g[3], g[4] }, 1e-14, 1e-14);

        Func<double[], double> f = a => Features.WhileLoop(a[0]);
        var w = Features.WhileLoopGradient(0.7);
        Oracle.AssertClose(Oracle.Gradient(f, new[] { 0.7 })[0], w.x, 1e-9, 1e-9);
    }
}

public static partial class GenericMath
{
    [Differentiable]
    public static double F(double x, double y) => double.Exp(-x * x) * double.Sin(y) + double.Max(x, 0.5) + double.Hypot(x, y) + double.LogP1(x * x);
}

public class GenericMathTests
{
    [Fact]
    public void Double_static_math_methods_differentiate_like_Math()
    {
        foreach ((double x, double y) in new[] { (0.3, -1.2), (1.7, 0.4) })
        {
            var p = GenericMath.FGradient(x, y);
            Func<double[], double> f = a => GenericMath.F(a[0], a[1]);
            Oracle.AssertClose(Oracle.Gradient(f, new[] { x, y }), new[] { p.x, p.y }, 1e-9, 1e-9);
            Oracle.AssertClose(GenericMath.F(x, y), p.Value, 1e-14, 1e-14);
        }
    }
}

public static partial class LocalArrays
{
    // Polynomial with coefficients in a local array, evaluated in an unrolled loop.
    [Differentiable]
    public static double Poly(double x, double c0, double c1, double c2)
    {
        double[] c = { c0, c1, c2 };
        double s = 0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            s = s * x + c[i];
        }

        return s;
    }

    // Softmax cross-entropy over three logits, with foreach and element writes.
    [Differentiable]
    public static double SoftmaxXent(double z0, double z1, double z2, double target1)
    {
        double[] z = new[] { z0, z1, z2 };
        double m = Math.Max(z0, Math.Max(z1, z2));
        double sum = 0;
        foreach (double v in z)
        {
            sum += Math.Exp(v - m);
        }

        double[] p = new double[3];
        for (int k = 0; k < 3; k++)
        {
            p[k] = Math.Exp(z[k] - m) / sum;
        }

        p[1] *= target1;
        return -Math.Log(p[1] / target1);
    }
}

public class LocalArrayTests
{
    [Fact]
    public void Local_arrays_with_compile_time_indices_are_unrolled()
    {
        var p = LocalArrays.PolyGradient(1.5, 0.3, -0.2, 0.7);
        Oracle.AssertClose(new[] { 0.3 - 0.2 * 1.5 + 0.7 * 2.25, -0.2 + 1.4 * 1.5, 1, 1.5, 2.25 }, new[] { p.Value, p.x, p.c0, p.c1, p.c2 }, 1e-14, 1e-14);
    }

    [Fact]
    public void Softmax_cross_entropy_over_a_local_array_matches_the_closed_form()
    {
        double[] z = { 0.4, -1.1, 2.3 };
        var g = LocalArrays.SoftmaxXentGradient(z[0], z[1], z[2], 1.0);
        double m = z.Max();
        double sum = z.Sum(v => Math.Exp(v - m));
        double[] softmax = z.Select(v => Math.Exp(v - m) / sum).ToArray();
        // −log softmax₁: gradient softmax − e₁.
        Oracle.AssertClose(new[] { softmax[0], softmax[1] - 1, softmax[2] }, new[] { g.z0, g.z1, g.z2 }, 1e-12, 1e-14);
        Oracle.AssertClose(-Math.Log(softmax[1]), g.Value, 1e-12, 1e-14);
    }
}

public static partial class Switches
{
    // Huber-like piecewise function as a switch expression.
    [Differentiable]
    public static double Piecewise(double x, double k) => x switch
    {
        < -1 => -k * (x + 0.5),
        > 1 => k * (x - 0.5),
        _ when k > 10 => 0.5 * x * x,
        _ => 0.5 * k * x * x,
    };
}

public class SwitchExpressionTests
{
    [Theory]
    [InlineData(-2.0, 3.0, 4.5, -3.0, 1.5)]
    [InlineData(2.0, 3.0, 4.5, 3.0, 1.5)]
    [InlineData(0.5, 3.0, 0.375, 1.5, 0.125)]
    [InlineData(0.5, 30.0, 0.125, 0.5, 0.0)]
    public void Switch_expression_arms_are_phi_nodes(double x, double k, double value, double dx, double dk)
    {
        var p = Switches.PiecewiseGradient(x, k);
        Oracle.AssertClose(new[] { value, dx, dk }, new[] { p.Value, p.x, p.k }, 1e-14, 1e-14);
    }
}

public static partial class NotTaken
{
    // Math.Sign(NaN) throws; the generated code also evaluates the branch not taken, and must not throw.
// This assembly builds with warnings as errors, so its build also proves that #pragma suppresses SymGrad's warnings
    // (the generator reports them in the user's syntax tree, not as an external location).
#pragma warning disable SG0101 // Math.Sign is piecewise constant: intended here
    [Differentiable]
    public static double SignOfLog(double x) => x > 0 ? x * Math.Sign(Math.Log(x)) : -x;
#pragma warning restore SG0101
}

public class BranchNotTakenTests
{
    [Fact]
    public void A_sign_of_NaN_in_the_branch_not_taken_does_not_throw()
    {
        var left = NotTaken.SignOfLogGradient(-2);
        Assert.Equal((2.0, -1.0), (left.Value, left.x));
        var right = NotTaken.SignOfLogGradient(3);
        Assert.Equal((3.0, 1.0), (right.Value, right.x));
        var small = NotTaken.SignOfLogGradient(0.5);
        Assert.Equal((-0.5, -1.0), (small.Value, small.x));
    }
}

public static class DoubleExtensions
{
    public static double Squared(this double v) => v * v;

    public static double Scaled(this double v, double by = 2) => by * v;
}

public static partial class ExtensionCalls
{
    [Differentiable]
    public static double F(double x, double y) => x.Squared() + y.Scaled() + (x * y).Scaled(by: 3);
}

public class ExtensionMethodTests
{
    [Fact]
    public void Extension_methods_with_source_are_inlined_with_their_receiver()
    {
        var p = ExtensionCalls.FGradient(1.5, -0.5);
        // f = x² + 2y + 3xy
        Oracle.AssertClose(new[] { 2.25 - 1 - 2.25, 3 - 1.5, 2 + 4.5 }, new[] { p.Value, p.x, p.y }, 1e-14, 1e-14);
    }
}

public static partial class SwitchStatements
{
    [Differentiable]
    public static double Tiers(double x, double rate)
    {
        double y;
        switch (x)
        {
            case < 0:
                y = 0;
                break;
            case 0.5:
                return rate;
            case < 1 when rate > 2:
                y = rate * x * x;
                break;
            default:
                y = rate * x;
                break;
        }

        return y + x;
    }
}

public class SwitchStatementTests
{
    [Theory]
    [InlineData(-1.0, 3.0, -1.0, 1.0, 0.0)]
    [InlineData(0.5, 3.0, 3.0, 0.0, 1.0)]
    [InlineData(0.25, 3.0, 0.4375, 2.5, 0.0625)]
    [InlineData(0.25, 1.0, 0.5, 2.0, 0.25)]
    [InlineData(2.0, 3.0, 8.0, 4.0, 2.0)]
    public void Switch_sections_are_an_if_else_chain(double x, double rate, double value, double dx, double drate)
    {
        var p = SwitchStatements.TiersGradient(x, rate);
        Oracle.AssertClose(new[] { value, dx, drate }, new[] { p.Value, p.x, p.rate }, 1e-14, 1e-14);
    }
}

public static partial class Deconstruction
{
    [Differentiable]
    public static double Rotate(double x, double y)
    {
        var (c, s) = (Math.Cos(0.3), Math.Sin(0.3));
        (double u, double v) = (c * x - s * y, s * x + c * y);
        (u, v) = (v, u);
        return u * u * 2 + v;
    }
}

public class DeconstructionTests
{
    [Fact]
    public void Tuple_deconstruction_and_swap_follow_CSharp_semantics()
    {
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        double x = 0.7, y = -1.1;
        double u = c * x - s * y, v = s * x + c * y;
        var p = Deconstruction.RotateGradient(x, y);
        // after the swap: 2v² + u
        Oracle.AssertClose(new[] { 2 * v * v + u, 4 * v * s + c, 4 * v * c - s }, new[] { p.Value, p.x, p.y }, 1e-14, 1e-14);
    }
}
