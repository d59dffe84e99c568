using System;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Numerics;

/// <summary>
/// Points where a derivative is undefined, infinite or a matter of convention. Each test pins exactly what the
/// generated code returns, which is what the README's edge-case table documents.
/// </summary>
public sealed class EdgeCaseTests
{
    private static Compiled C => NumericsModels.Compiled;

    private static (double Value, double[] Gradient) G(string method, params double[] args)
    {
        var (value, gradient) = C.Gradient(NumericsModels.Type, method, args);
        return (value, gradient);
    }

    /// <summary>Bitwise equality, so +0 vs −0 and NaN are what the table says.</summary>
    private static void Same(double expected, double actual, string what) =>
        Assert.True(expected.Equals(actual) && (expected != 0 || double.IsNegative(expected) == double.IsNegative(actual)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(3.0, 0.0)]
    [InlineData(2.0, 0.0)]
    [InlineData(1.5, 0.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(0.5, double.PositiveInfinity)]
    public void Pow_at_base_zero_with_positive_exponent(double y, double expectedDx)
    {
        // 0^y = 0 for y > 0; ∂/∂x = y·0^(y−1) (0 for y > 1, 1 for y = 1, +∞ for y < 1); ∂/∂y = 0^y·ln 0 is taken as 0.
        var (value, g) = G("Pow", 0.0, y);
        Same(0.0, value, "0^y");
        Same(expectedDx, g[0], "∂(x^y)/∂x at x = 0");
        Same(0.0, g[1], "∂(x^y)/∂y at x = 0");
    }

    [Fact]
    public void Pow_with_zero_exponent_is_constant_one_even_at_base_zero()
    {
        // x^0 = 1 for every x (Math.Pow(0, 0) = 1), so ∂/∂x = 0 there too, not 0·0^(−1) = NaN.
        var (value, g) = G("Pow", 0.0, 0.0);
        Same(1.0, value, "0^0");
        Same(0.0, g[0], "∂(x^y)/∂x at (0, 0)");
        Same(0.0, g[1], "∂(x^y)/∂y at (0, 0)");
    }

    [Fact]
    public void Pow_with_a_constant_exponent_at_zero()
    {
        // x^0.5 is rewritten to √x: derivative +∞ at 0. x^2.5: 2.5·x^1.5 = 0.
        Same(double.PositiveInfinity, G("PowHalf", 0.0).Gradient[0], "d/dx x^0.5 at 0");
        Same(0.0, G("PowTwoAndAHalf", 0.0).Gradient[0], "d/dx x^2.5 at 0");
    }

    [Fact]
    public void Sqrt_at_zero_has_derivative_plus_infinity()
    {
        var (value, g) = G("Sqrt", 0.0);
        Same(0.0, value, "√0");
        Same(double.PositiveInfinity, g[0], "d/dx √x at 0");
    }

    [Fact]
    public void Log_at_zero_is_minus_infinity_with_derivative_plus_infinity()
    {
        var (value, g) = G("Log", 0.0);
        Same(double.NegativeInfinity, value, "ln 0");
        Same(double.PositiveInfinity, g[0], "d/dx ln x at 0");
    }

    [Fact]
    public void Division_by_zero_follows_IEEE()
    {
        // x/y: ∂/∂x = 1/y, ∂/∂y = −(x/y)/y, each evaluated in IEEE arithmetic.
        var (v1, g1) = G("Divide", 1.0, 0.0);
        Same(double.PositiveInfinity, v1, "1/0");
        Same(double.PositiveInfinity, g1[0], "∂(x/y)/∂x at (1, 0)");
        Same(double.NegativeInfinity, g1[1], "∂(x/y)/∂y at (1, 0)");

        var (v2, g2) = G("Divide", -1.0, 0.0);
        Same(double.NegativeInfinity, v2, "−1/0");
        Same(double.PositiveInfinity, g2[0], "∂(x/y)/∂x at (−1, 0)");
        Same(double.PositiveInfinity, g2[1], "∂(x/y)/∂y at (−1, 0)");

        var (v3, g3) = G("Divide", 0.0, 0.0);
        Assert.True(double.IsNaN(v3), "0/0 is NaN");
        Same(double.PositiveInfinity, g3[0], "∂(x/y)/∂x at (0, 0)");
        Assert.True(double.IsNaN(g3[1]), "∂(x/y)/∂y at (0, 0) is NaN");
    }

    [Fact]
    public void Abs_at_zero_has_subgradient_zero()
    {
        var (value, g) = G("Abs", 0.0);
        Same(0.0, value, "|0|");
        Same(0.0, g[0], "d/dx |x| at 0");
        Same(1.0, G("Abs", 2.0).Gradient[0], "d/dx |x| at 2");
        Same(-1.0, G("Abs", -2.0).Gradient[0], "d/dx |x| at −2");
    }

    [Fact]
    public void Max_and_min_ties_split_the_gradient_half_and_half()
    {
        foreach (string m in new[] { "Max", "Min" })
        {
            var (value, g) = G(m, 1.5, 1.5);
            Same(1.5, value, m + "(1.5, 1.5)");
            Same(0.5, g[0], m + " tie ∂/∂a");
            Same(0.5, g[1], m + " tie ∂/∂b");
        }

        var (_, gm) = G("Max", 2.0, 1.0);
        Same(1.0, gm[0], "max winner");
        Same(0.0, gm[1], "max loser");
    }

    [Fact]
    public void Relu_at_zero_has_subgradient_zero_and_clamp_counts_its_bounds_as_inside()
    {
        Same(0.0, G("Relu", 0.0).Gradient[0], "relu′(0)");
        Same(1.0, G("Clamp", -1.0).Gradient[0], "clamp′ at the lower bound");
        Same(1.0, G("Clamp", 1.0).Gradient[0], "clamp′ at the upper bound");
        Same(0.0, G("Clamp", 1.5).Gradient[0], "clamp′ above the interval");
    }

    [Fact]
    public void A_branch_not_taken_cannot_leak_NaN_into_the_gradient()
    {
        // x > 0 ? √x : 0 at x = −1: √−1 is NaN, but that branch is not taken, so the gradient is 0.
        var (value, g) = G("MaskedSqrt", -1.0);
        Same(0.0, value, "value");
        Same(0.0, g[0], "gradient");

        // √max(x, 0) at x = −1: max is constant 0 there, so 0 (not ∞·0 = NaN). At 0 the tie gives ½·∞ = +∞.
        Same(0.0, G("SafeSqrt", -1.0).Gradient[0], "d/dx √max(x, 0) at −1");
        Same(double.PositiveInfinity, G("SafeSqrt", 0.0).Gradient[0], "d/dx √max(x, 0) at 0");
        Oracle.AssertClose(0.25, G("SafeSqrt", 4.0).Gradient[0], 1e-15, 0, "d/dx √max(x, 0) at 4");
    }

    [Fact]
    public void A_branch_not_taken_cannot_throw()
    {
        // Math.Sign(NaN) throws; the generated code evaluates both branches, so sign is written without Math.Sign.
        var (value, g) = G("SignInBranchNotTaken", 2.0);
        Same(2.0, value, "value");
        Same(1.0, g[0], "gradient");

        // Math.Clamp(v, x, 2x) throws for x < 0 (min > max); that branch is not taken at x = −1.
        var (v2, g2) = G("ClampInBranchNotTaken", -1.0, 0.5);
        Same(0.5, v2, "value");
        Same(0.0, g2[0], "∂/∂x");
        Same(1.0, g2[1], "∂/∂v");
        Oracle.AssertClose(2 * 1.5, G("ClampInBranchNotTaken", 1.0, 1.5).Gradient[1], 1e-15, 0, "∂/∂v inside the interval");
    }

    [Fact]
    public void An_infinite_derivative_after_a_return_not_taken_cannot_leak_NaN()
    {
        // t < 1 returns 1; the rest (t/0 = ∞, with ∂/∂t = ∞) is not reached, so the gradient is 0.
        var (value, g) = G("InfinityInReturnNotTaken", 0.5);
        Same(1.0, value, "value");
        Same(0.0, g[0], "gradient");
    }

    [Fact]
    public void Sinc_at_zero_takes_the_branch_and_has_gradient_zero()
    {
        var (value, g) = G("Sinc", 0.0);
        Same(1.0, value, "sinc(0)");
        Same(0.0, g[0], "sinc′(0)");

        // Away from 0 the quotient rule: (x cos x − sin x)/x².
        foreach (double x in new[] { 1e-3, 0.5, -2.0 })
        {
            double expected = ((x * Math.Cos(x)) - Math.Sin(x)) / (x * x);
            Oracle.AssertClose(expected, G("Sinc", x).Gradient[0], 1e-9, 0, $"sinc′({x})");
        }
    }

    [Fact]
    public void A_NaN_guard_written_as_x_not_equal_x_works()
    {
        Same(0.0, G("IsNaNGuard", double.NaN).Value, "guarded value at NaN");
        Same(0.0, G("IsNaNGuard", double.NaN).Gradient[0], "guarded gradient at NaN");
        Same(6.0, G("IsNaNGuard", 3.0).Gradient[0], "d/dx x² at 3");
    }

    [Fact]
    public void Integer_division_truncates_like_CSharp()
    {
        // Math.Sign(x) / 2 is an int division: 0 for every x, so x·(Math.Sign(x) / 2) is 0 with derivative 0.
        foreach (double x in new[] { -3.0, 0.5, 7.0 })
        {
            var (value, g) = G("IntDivision", x);
            Same(0.0, Math.Abs(value), $"value at {x}");
            Same(0.0, Math.Abs(g[0]), $"derivative at {x}");
        }
    }
}
