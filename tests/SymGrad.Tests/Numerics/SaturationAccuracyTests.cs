using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Numerics;

/// <summary>
/// Derivatives where the textbook formula loses everything to rounding: saturated sigmoids (seed 002), BCE at
/// |z| = 800, tanh at large |x|, log(1 + x) and e^x − 1 at tiny x, log(e^a + e^b) at large a, b. Every expected value
/// comes from <see cref="Exact"/> or System.Decimal, never from generated code or SymMath.
/// </summary>
public sealed class SaturationAccuracyTests
{
    private static Compiled C => NumericsModels.Compiled;

    private static void Close(double expected, double actual, double relTol, string what)
    {
        Assert.True(double.IsFinite(actual), $"{what}: {actual} is not finite (expected {expected:R})");
        Oracle.AssertClose(expected, actual, relTol, 0, what);
    }

    [Fact]
    public void Seed002_saturated_neuron_gradient_is_nonzero_and_exact()
    {
        // The seed: a = 62.5, w = 0.8, y = 0, so z = 50 and σ(z) rounds to 1.
        const double a = 62.5, w = 0.8, y = 0;
        double z = w * a;
        Assert.Equal(50.0, z);

        // The naive σ(1 − σ) of the seed is exactly 0 in double precision: that is the seed's question.
        double s = 1 / (1 + Math.Exp(-z));
        Assert.Equal(0.0, s * (1 - s));

        // ∂C/∂w = 2(σ(z) − y)·σ′(z)·a with σ′(50) = e^−50/(1 + e^−50)².
        double e = Math.Exp(-50);
        double sigmoid = 1 / (1 + e);
        double expected = 2 * (sigmoid - y) * (e / ((1 + e) * (1 + e))) * a;
        Assert.True(expected > 1e-20);

        foreach (string method in new[] { "Neuron", "NeuronHandWritten" })
        {
            var (value, gradient) = C.Gradient(NumericsModels.Type, method, a, y, w);
            Close((sigmoid - y) * (sigmoid - y), value, 1e-15, method + " value");
            Assert.NotEqual(0.0, gradient[0]);
            Close(expected, gradient[0], 1e-12, method + " ∂C/∂w");
        }
    }

    [Theory]
    [InlineData(50.0)]
    [InlineData(-50.0)]
    [InlineData(30.0)]
    [InlineData(-36.0)]
    public void Seed002_two_layer_network_at_saturation_matches_the_seed_formulas(double z3)
    {
        // x = 2, w2 = 1, b2 = 0: a2 = σ(2); w3 = 0.8 and b3 chosen so that z3 = w3·a2 + b3 is the saturated value.
        const double x = 2, y = 0, w2 = 1, b2 = 0, w3 = 0.8;
        double z2 = (w2 * x) + b2;
        double a2 = Exact.Sigmoid(z2);
        double b3 = z3 - (w3 * a2);
        double zActual = (w3 * a2) + b3;
        double f = Exact.Sigmoid(zActual);
        double s3 = Exact.SigmoidDerivative(zActual);
        double s2 = Exact.SigmoidDerivative(z2);
        double r = y - f;
        double[] expected = { -2 * r * s3 * w3 * s2 * x, -2 * r * s3 * w3 * s2, -2 * r * s3 * a2, -2 * r * s3 };

        var (value, gradient) = C.Gradient(NumericsModels.Type, "Net", x, y, w2, b2, w3, b3);
        Close(r * r, value, 1e-14, "C");
        string[] names = { "∂C/∂w2", "∂C/∂b2", "∂C/∂w3", "∂C/∂b3" };
        for (int i = 0; i < 4; i++)
        {
            Assert.NotEqual(0.0, gradient[i]);
            Close(expected[i], gradient[i], 1e-12, names[i] + $" at z3 = {z3}");
        }
    }

    [Theory]
    [InlineData(800.0)]
    [InlineData(-800.0)]
    [InlineData(50.0)]
    [InlineData(-50.0)]
    [InlineData(30.0)]
    [InlineData(-30.0)]
    [InlineData(0.5)]
    public void Binary_cross_entropy_on_a_sigmoid_is_finite_and_exact(double z)
    {
        foreach (double y in new[] { 0.0, 1.0, 0.3 })
        {
            foreach (string method in new[] { "Bce", "BceHandWritten" })
            {
                var (value, gradient) = C.Gradient(NumericsModels.Type, method, z, y);
                string at = $"{method}(z = {z}, y = {y})";
                double expectedValue = Exact.Bce(z, y);
                double expectedGradient = Exact.BceDz(z, y);

                // Values below the smallest double (e.g. log1p(e^−800)) are 0 in both.
                Assert.True(double.IsFinite(value) && double.IsFinite(gradient[0]), $"{at}: value {value}, gradient {gradient[0]}");
                Oracle.AssertClose(expectedValue, value, 1e-13, 1e-300, at + " value");
                Oracle.AssertClose(expectedGradient, gradient[0], 1e-12, 1e-300, at + " ∂L/∂z");
            }
        }
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(40.0)]
    [InlineData(-40.0)]
    [InlineData(300.0)]
    public void Tanh_derivative_at_large_x_is_nonzero_and_exact(double x)
    {
        double sech2 = Exact.SechSquared(x);
        Assert.True(sech2 > 0);

        // The textbook 1 − tanh² is exactly 0 there.
        Assert.Equal(0.0, 1 - (Math.Tanh(x) * Math.Tanh(x)));

        var (value, gradient) = C.Gradient(NumericsModels.Type, "Tanh", x);
        Assert.Equal(Math.Tanh(x), value);
        Close(sech2, gradient[0], 1e-13, $"tanh′({x})");

        // A user's own 1 − tanh²(x) is rewritten to sech²(x); its derivative is −2·tanh·sech².
        var (v2, g2) = C.Gradient(NumericsModels.Type, "OneMinusTanhSquared", x);
        Close(sech2, v2, 1e-13, $"1 − tanh²({x})");
        Close(-2 * Math.Tanh(x) * sech2, g2[0], 1e-13, $"(1 − tanh²)′({x})");
    }

    [Theory]
    [InlineData(1e-18)]
    [InlineData(-1e-18)]
    [InlineData(1e-10)]
    [InlineData(3e-6)]
    public void Log_of_one_plus_tiny_x_is_exact(double x)
    {
        // Math.Log(1 + 1e-18) is 0: the 1e-18 is lost before the log.
        var (value, gradient) = C.Gradient(NumericsModels.Type, "LogOnePlus", x);
        Close(Exact.Log1p(x), value, 1e-15, $"log(1 + {x})");
        Close(1 / (1 + x), gradient[0], 1e-15, $"d/dx log(1 + x) at {x}");
    }

    [Theory]
    [InlineData(1e-18)]
    [InlineData(-1e-18)]
    [InlineData(1e-10)]
    [InlineData(3e-6)]
    [InlineData(-0.3)]
    public void Exp_minus_one_at_tiny_x_is_exact(double x)
    {
        var (value, gradient) = C.Gradient(NumericsModels.Type, "ExpMinusOne", x);
        Close(Exact.Expm1(x), value, 1e-15, $"e^{x} − 1");
        Close(Math.Exp(x), gradient[0], 1e-15, $"d/dx (e^x − 1) at {x}");
    }

    [Theory]
    [InlineData(1000.0, 1000.0)]
    [InlineData(-1000.0, -1000.0)]
    [InlineData(1000.0, 990.0)]
    [InlineData(0.5, -0.25)]
    public void Log_sum_exp_at_large_arguments_is_finite_and_exact(double a, double b)
    {
        // Math.Exp(1000) is ∞ and Math.Exp(−1000) is 0: the textbook form gives ∞ and −∞.
        double m = Math.Max(a, b);
        double expected = m + Exact.Log1p(Math.Exp(-Math.Abs(a - b)));
        var (value, gradient) = C.Gradient(NumericsModels.Type, "LogSumExp", a, b);
        Close(expected, value, 1e-15, $"log(e^{a} + e^{b})");
        Close(Exact.Sigmoid(a - b), gradient[0], 1e-15, "∂/∂a");
        Close(Exact.Sigmoid(b - a), gradient[1], 1e-15, "∂/∂b");
    }

    [Fact]
    public void Rational_function_gradient_matches_decimal_arithmetic()
    {
        // f = (x³ − y)/(x + y²): ∂f/∂x = (3x²(x + y²) − (x³ − y))/(x + y²)², ∂f/∂y = (−(x + y²) − 2y(x³ − y))/(x + y²)².
        var points = new (decimal X, decimal Y)[] { (1.5m, 0.25m), (-0.75m, 2m), (3m, -1.125m), (0.1m, 0.2m), (12.5m, 7m) };
        foreach (var (x, y) in points)
        {
            decimal num = (x * x * x) - y;
            decimal den = x + (y * y);
            decimal f = num / den;
            decimal fx = ((3 * x * x * den) - num) / (den * den);
            decimal fy = (-den - (2 * y * num)) / (den * den);
            var (value, gradient) = C.Gradient(NumericsModels.Type, "Rational", (double)x, (double)y);
            Close((double)f, value, 1e-15, $"f({x}, {y})");
            Close((double)fx, gradient[0], 1e-14, $"∂f/∂x({x}, {y})");
            Close((double)fy, gradient[1], 1e-14, $"∂f/∂y({x}, {y})");
        }
    }

    [Fact]
    public void Nothing_is_NaN_or_infinite_where_the_true_value_is_finite_for_z_in_minus_800_to_800()
    {
        // Every 0.25 in [−800, 800] (6401 points) plus the extremes of double exponentials' range.
        var zs = Enumerable.Range(0, 6401).Select(i => -800 + (0.25 * i)).Concat(new[] { -745.5, 709.9, 1e-300, -1e-300 }).ToArray();
        var failures = new System.Collections.Generic.List<string>();

        void Check(string method, double z, double expectedValue, double expectedGradient, double[] args)
        {
            var (value, gradient) = C.Gradient(NumericsModels.Type, method, args);
            string? report = Oracle.Compare(new[] { expectedValue, expectedGradient }, new[] { value, gradient[0] }, 1e-12, 1e-300, new[] { "value", "derivative" });
            if (!double.IsFinite(value) || !double.IsFinite(gradient[0]) || report is not null)
            {
                failures.Add($"{method} at z = {z:R}: value {value:R}, derivative {gradient[0]:R}\n{report}");
            }
        }

        foreach (double z in zs)
        {
            Check("Sigmoid", z, Exact.Sigmoid(z), Exact.SigmoidDerivative(z), new[] { z });
            Check("SigmoidHandWritten", z, Exact.Sigmoid(z), Exact.SigmoidDerivative(z), new[] { z });
            Check("Softplus", z, Exact.Softplus(z), Exact.Sigmoid(z), new[] { z });
            Check("SoftplusHandWritten", z, Exact.Softplus(z), Exact.Sigmoid(z), new[] { z });
            Check("LogSigmoid", z, Exact.LogSigmoid(z), Exact.Sigmoid(-z), new[] { z });
            Check("LogOfSigmoid", z, Exact.LogSigmoid(z), Exact.Sigmoid(-z), new[] { z });
            foreach (double y in new[] { 0.0, 1.0, 0.7 })
            {
                Check("Bce", z, Exact.Bce(z, y), Exact.BceDz(z, y), new[] { z, y });
                Check("BceHandWritten", z, Exact.Bce(z, y), Exact.BceDz(z, y), new[] { z, y });
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failure(s), first ones:\n" + string.Join("\n", failures.Take(10)));
    }
}
