using System;
using System.Collections.Generic;
using System.Linq;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// SymMathF, the float versions of the SymMath functions (what a float method and its generated code call), against
/// the double ones at the same (float) points: the double functions are within 2 double ulps of exact (<see cref="BranchFreeActivationTests"/>), so
/// they are exact on the float grid. Errors are counted in float ulps of the double value (on the float grid, so a
/// saturated σ′ that is a tiny normal or subnormal float counts ulps there); the fused calls give the same bits as the
/// separate ones, and special values behave as the double versions.
/// </summary>
public class FloatActivationTests
{
    private const int Seed = 20261126;

    /// <summary>A sweep over [−90, 90] (σ′ and tanh′ reach the subnormal floats beyond ±87 and ±44) plus special points.</summary>
    private static IEnumerable<float> Points()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 20000; i++)
        {
            yield return (float)((random.NextDouble() * 180) - 90);
        }

        for (int i = 0; i < 5000; i++)
        {
            yield return (float)((random.NextDouble() * 2) - 1); // where tanh uses its rational form and log1p its correction
        }

        foreach (float x in new[] { 0f, -0f, 1e-30f, -1e-30f, 0.625f, -0.625f, 30f, -30f, 50f, -50f, 80f, -80f, 87f, -87f, 103f, -103f })
        {
            yield return x;
        }
    }

    public static TheoryData<string, int> Unary => new()
    {
        { "Sigmoid", 3 },
        { "SigmoidDerivative", 4 },
        { "Tanh", 3 },
        { "TanhDerivative", 4 },
        { "Softplus", 3 },
        { "LogSigmoid", 3 },
        { "Silu", 4 },
        { "Softsign", 2 },
        { "Square", 1 },
        { "Relu", 0 },
        { "Expm1", 3 },
    };

    [Theory]
    [MemberData(nameof(Unary))]
    public void Float_function_is_within_a_few_float_ulps_of_the_double_one(string name, int maxUlps)
    {
        (Func<float, float> f, Func<double, double> d) = Functions(name);
        (float worstAt, double worst) = (0, 0);
        foreach (float x in Points())
        {
            double ulps = Ulps(d(x), f(x));
            if (ulps > worst)
            {
                (worstAt, worst) = (x, ulps);
            }
        }

        Assert.True(worst <= maxUlps, $"{name}: {worst:F2} float ulps at x = {worstAt:R} (float {f(worstAt):R}, double {d(worstAt):R})");
    }

    [Fact]
    public void Log1p_is_within_a_few_float_ulps_on_its_domain()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 20000; i++)
        {
            float x = i % 2 == 0 ? (float)((random.NextDouble() * 1.999) - 0.999) : (float)Math.Exp((random.NextDouble() * 40) - 30);
            Assert.True(Ulps(SymMath.Log1p((double)x), SymMathF.Log1p(x)) <= 3, $"log1p({x:R}): {SymMathF.Log1p(x):R} vs {SymMath.Log1p((double)x):R}");
        }
    }

    [Fact]
    public void Binary_functions_are_within_a_few_float_ulps()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 20000; i++)
        {
            float a = (float)((random.NextDouble() * 100) - 50);
            float b = (float)((random.NextDouble() * 100) - 50);

            // max(a, b) + log1p(e^(−|a − b|)): the sum may cancel, so the error is counted in ulps of the larger term.
            double terms = Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), Math.Log(2));
            Assert.True(Math.Abs(SymMathF.LogSumExp(a, b) - SymMath.LogSumExp((double)a, b)) <= 3 * Ulp(terms), $"LogSumExp({a:R}, {b:R})");
            Assert.True(Ulps(SymMath.Hypot((double)a, b), SymMathF.Hypot(a, b)) <= 2, $"Hypot({a:R}, {b:R})");
            Assert.True(Ulps(SymMath.LeakyRelu((double)a, b), SymMathF.LeakyRelu(a, b)) <= 1, $"LeakyRelu({a:R}, {b:R})");
        }

        // logit(p) = log p − log1p(−p): within a few ulps of the larger of the two terms (the difference cancels near ½).
        foreach (float p in new[] { 1e-6f, 0.01f, 0.1f, 0.3f, 0.5f, 0.7f, 0.9f, 0.99f, 1 - (1f / (1 << 20)) })
        {
            double scale = Math.Max(Math.Abs(Math.Log(p)), Math.Abs(SymMath.Log1p(-(double)p)));
            Assert.True(Math.Abs(SymMathF.Logit(p) - SymMath.Logit((double)p)) <= 3 * Ulp(scale), $"Logit({p:R})");
        }
    }

    [Fact]
    public void Fused_calls_give_the_bits_of_the_separate_ones()
    {
        foreach (float x in Points())
        {
            float s = SymMathF.Sigmoid(x, out float ds);
            Assert.Equal(BitConverter.SingleToInt32Bits(SymMathF.Sigmoid(x)), BitConverter.SingleToInt32Bits(s));
            Assert.Equal(BitConverter.SingleToInt32Bits(SymMathF.SigmoidDerivative(x)), BitConverter.SingleToInt32Bits(ds));
            float t = SymMathF.Tanh(x, out float dt);
            Assert.Equal(BitConverter.SingleToInt32Bits(SymMathF.Tanh(x)), BitConverter.SingleToInt32Bits(t));
            Assert.Equal(BitConverter.SingleToInt32Bits(SymMathF.TanhDerivative(x)), BitConverter.SingleToInt32Bits(dt));
        }
    }

    [Fact]
    public void Saturated_derivatives_are_nonzero_while_the_exact_value_is_a_float()
    {
        Assert.True(SymMathF.SigmoidDerivative(50f) > 1.9e-22f && SymMathF.SigmoidDerivative(50f) < 1.95e-22f);
        Assert.True(SymMathF.SigmoidDerivative(-80f) > 0);
        Assert.True(SymMathF.TanhDerivative(40f) > 0);
        Assert.True(SymMathF.LogSigmoid(50f) < 0);
        Assert.True(SymMathF.Softplus(-50f) > 0);
    }

    [Fact]
    public void Special_values_behave_as_the_double_functions()
    {
        Assert.True(float.IsNaN(SymMathF.Sigmoid(float.NaN)));
        Assert.True(float.IsNaN(SymMathF.Tanh(float.NaN, out float dn)) && float.IsNaN(dn));
        Assert.Equal(1f, SymMathF.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, SymMathF.Sigmoid(float.NegativeInfinity));
        Assert.Equal(1f, SymMathF.Tanh(float.PositiveInfinity));
        Assert.Equal(-1f, SymMathF.Tanh(float.NegativeInfinity));
        Assert.True(float.IsNegative(SymMathF.Tanh(-0f)));
        Assert.Equal(float.PositiveInfinity, SymMathF.Softplus(float.PositiveInfinity));
        Assert.Equal(0f, SymMathF.Softplus(float.NegativeInfinity));
        Assert.Equal(2.5f, SymMathF.LogSumExp(float.NegativeInfinity, 2.5f));
        Assert.Equal(-1.5f, SymMathF.LogSumExp(-1.5f, float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, SymMathF.Log1p(float.PositiveInfinity));
        Assert.Equal(float.NegativeInfinity, SymMathF.Log1p(-1f));
        Assert.Equal(float.PositiveInfinity, SymMathF.Hypot(float.PositiveInfinity, 1f));
        Assert.Equal(0f, SymMathF.Hypot(0f, -0f));
    }

    private static (Func<float, float>, Func<double, double>) Functions(string name) => name switch
    {
        "Sigmoid" => (x => SymMathF.Sigmoid(x), x => SymMath.Sigmoid(x)),
        "SigmoidDerivative" => (SymMathF.SigmoidDerivative, SymMath.SigmoidDerivative),
        "Tanh" => (x => SymMathF.Tanh(x), x => SymMath.Tanh(x)),
        "TanhDerivative" => (SymMathF.TanhDerivative, SymMath.TanhDerivative),
        "Softplus" => (SymMathF.Softplus, SymMath.Softplus),
        "LogSigmoid" => (SymMathF.LogSigmoid, SymMath.LogSigmoid),
        "Silu" => (x => SymMathF.Silu(MathF.Max(x, -85)), x => SymMath.Silu(Math.Max(x, -85))), // x·σ(x) is subnormal below −87
        "Softsign" => (SymMathF.Softsign, SymMath.Softsign),
        "Square" => (SymMathF.Square, SymMath.Square),
        "Relu" => (SymMathF.Relu, SymMath.Relu),
        "Expm1" => (x => SymMathF.Expm1(MathF.Min(x, 80)), x => SymMath.Expm1(Math.Min(x, 80))),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>|actual − exact| in units of the float spacing at <paramref name="exact"/> (0 for equal infinities or NaNs).</summary>
    private static double Ulps(double exact, float actual)
    {
        if (double.IsNaN(exact) || double.IsInfinity(exact))
        {
            return exact.Equals((double)actual) ? 0 : double.PositiveInfinity;
        }

        return Math.Abs(actual - exact) / Ulp(exact);
    }

    private static double Ulp(double exact)
    {
        float rounded = MathF.Abs((float)exact);
        return float.IsInfinity(rounded) ? double.PositiveInfinity : MathF.BitIncrement(rounded) - rounded;
    }
}
