using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace SymGrad.Tests.InfrastructureTests;

public sealed class OracleTests
{
    private static readonly double[] Points = Enumerable.Range(-12, 25).Select(i => (i * 0.25) + 0.0371).ToArray();

    private static double Rel(double expected, double actual) =>
        Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);

    [Fact]
    public void Derivative_of_sin_is_cos_to_1e_minus_9_relative()
    {
        foreach (var x in Points.Where(p => Math.Abs(Math.Cos(p)) > 1e-3))
        {
            Assert.True(Rel(Math.Cos(x), Oracle.Derivative(Math.Sin, x)) < 1e-9, $"x = {x}");
        }
    }

    [Fact]
    public void Derivative_of_exp_is_exp_to_1e_minus_9_relative()
    {
        foreach (var x in Points.Concat(new[] { 7.5, -9.25, 20.0 }))
        {
            Assert.True(Rel(Math.Exp(x), Oracle.Derivative(Math.Exp, x)) < 1e-9, $"x = {x}");
        }
    }

    [Fact]
    public void Derivative_of_cube_is_three_x_squared()
    {
        foreach (var x in Points.Concat(new[] { 0.0, 10.0, -123.0 }))
        {
            Assert.True(Oracle.IsClose(3 * x * x, Oracle.Derivative(v => v * v * v, x), 1e-9, 1e-12), $"x = {x}");
        }
    }

    [Fact]
    public void Derivative_of_sigmoid_matches_closed_form()
    {
        foreach (var x in Points)
        {
            double s = 1 / (1 + Math.Exp(-x));
            Assert.True(Rel(s * (1 - s), Oracle.Derivative(v => 1 / (1 + Math.Exp(-v)), x)) < 1e-9, $"x = {x}");
        }
    }

    [Fact]
    public void Richardson_extrapolation_beats_a_plain_central_difference_by_orders_of_magnitude()
    {
        const double x = 0.7;
        double plain = Rel(Math.Exp(x), Oracle.Derivative(Math.Exp, x, levels: 1));
        double extrapolated = Rel(Math.Exp(x), Oracle.Derivative(Math.Exp, x, levels: 3));
        Assert.True(plain > 1e-6, $"plain central difference error {plain:E2} is suspiciously small");
        Assert.True(extrapolated < 1e-11, $"extrapolated error {extrapolated:E2}");
        Assert.True(extrapolated < plain * 1e-4, $"plain {plain:E2}, extrapolated {extrapolated:E2}");
    }

    [Fact]
    public void Error_estimate_is_small_and_bounds_the_true_error_roughly()
    {
        var estimate = Oracle.DerivativeWithError(Math.Sin, 1.2);
        Assert.InRange(estimate.ErrorEstimate, 0, 1e-8);
        Assert.True(Math.Abs(estimate.Value - Math.Cos(1.2)) < 1e-9);
    }

    [Fact]
    public void Partial_and_gradient_of_a_two_variable_function()
    {
        static double F(double[] p) => Math.Sin(p[0]) * Math.Exp(p[1]);
        var x = new[] { 0.3, -1.1 };
        var original = (double[])x.Clone();
        var g = Oracle.Gradient(F, x);
        Oracle.AssertClose(new[] { Math.Cos(0.3) * Math.Exp(-1.1), Math.Sin(0.3) * Math.Exp(-1.1) }, g, 1e-10, 0);
        Assert.Equal(original, x);
        Assert.Equal(g[1], Oracle.Gradient(F, x, new[] { 1 })[0]);
    }

    [Fact]
    public void Second_derivatives_of_known_functions()
    {
        foreach (var x in Points.Where(p => Math.Abs(Math.Sin(p)) > 1e-2))
        {
            Assert.True(Rel(-Math.Sin(x), Oracle.SecondDerivative(Math.Sin, x)) < 1e-8, $"sin'' at {x}");
        }

        foreach (var x in Points)
        {
            Assert.True(Rel(Math.Exp(x), Oracle.SecondDerivative(Math.Exp, x)) < 1e-8, $"exp'' at {x}");
            Assert.True(Oracle.IsClose(6 * x, Oracle.SecondDerivative(v => v * v * v, x), 1e-9, 1e-9), $"(x^3)'' at {x}");
        }
    }

    [Fact]
    public void Hessian_of_a_mixed_function_is_correct_and_symmetric()
    {
        // f = x²y³ + sin(xy): f_xx = 2y³ − y²sin(xy), f_yy = 6x²y − x²sin(xy), f_xy = 6xy² + cos(xy) − xy·sin(xy).
        static double F(double[] p) => (p[0] * p[0] * p[1] * p[1] * p[1]) + Math.Sin(p[0] * p[1]);
        double x = 0.8, y = -1.3, s = Math.Sin(x * y), c = Math.Cos(x * y);
        var expected = new[]
        {
            (2 * y * y * y) - (y * y * s), (6 * x * y * y) + c - (x * y * s),
            (6 * x * y * y) + c - (x * y * s), (6 * x * x * y) - (x * x * s),
        };
        var h = Oracle.Hessian(F, new[] { x, y });
        Oracle.AssertClose(expected, h, 1e-8, 1e-10, new[] { "xx", "xy", "yx", "yy" });
        Assert.Equal(h[1], h[2]);
    }

    [Fact]
    public void Hessian_over_selected_indices_is_row_major_in_that_order()
    {
        static double F(double[] p) => p[0] * p[1] * p[1] * p[2];
        var at = new[] { 1.5, 2.0, -0.5 };
        var h = Oracle.Hessian(F, at, new[] { 2, 0 });
        // Order (z, x): f_zz = 0, f_zx = y², f_xz = y², f_xx = 0.
        Oracle.AssertClose(new[] { 0.0, 4.0, 4.0, 0.0 }, h, 1e-9, 1e-9);
    }

    [Fact]
    public void IsClose_combines_absolute_and_relative_tolerance_and_handles_special_values()
    {
        Assert.True(Oracle.IsClose(1e6, 1e6 + 1e-4, 1e-9, 0));
        Assert.False(Oracle.IsClose(1e6, 1e6 + 1e-2, 1e-9, 0));
        Assert.True(Oracle.IsClose(0, 1e-13, 1e-9, 1e-12));
        Assert.False(Oracle.IsClose(0, 1e-11, 1e-9, 1e-12));
        Assert.True(Oracle.IsClose(double.NaN, double.NaN, 0, 0));
        Assert.False(Oracle.IsClose(1, double.NaN, 1, 1));
        Assert.True(Oracle.IsClose(double.PositiveInfinity, double.PositiveInfinity, 0, 0));
        Assert.False(Oracle.IsClose(double.PositiveInfinity, double.NegativeInfinity, 1, 1));
        Assert.False(Oracle.IsClose(double.MaxValue, double.PositiveInfinity, 1, 1));
    }

    [Fact]
    public void AssertClose_names_each_failing_component_and_its_error()
    {
        var e = Assert.Throws<XunitException>(() =>
            Oracle.AssertClose(new[] { 1.0, 2.0, 3.0 }, new[] { 1.0, 2.5, 3.0 + 1e-6 }, 1e-9, 1e-12, new[] { "w2", "b2", "w3" }, "at (1, 2)"));
        Assert.Contains("at (1, 2)", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 of 3 component(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("b2: expected 2, actual 2.5", e.Message, StringComparison.Ordinal);
        Assert.Contains("w3: expected 3, actual 3.000001", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("w2:", e.Message, StringComparison.Ordinal);

        var lengths = Assert.Throws<XunitException>(() => Oracle.AssertClose(new[] { 1.0 }, new[] { 1.0, 2.0 }, 0, 0));
        Assert.Contains("Length mismatch", lengths.Message, StringComparison.Ordinal);

        var unnamed = Assert.Throws<XunitException>(() => Oracle.AssertClose(new[] { 1.0, 1.0 }, new[] { 1.0, 0.0 }, 0, 0));
        Assert.Contains("[1]: expected 1, actual 0", unnamed.Message, StringComparison.Ordinal);
    }
}
