using System;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// The oracle of the activation tests checked on its own: against published digits of e and ln 2, the edges of the
/// double range, exact round trips, and two ways of computing e^x − 1 and tanh that must agree.
/// </summary>
public class HighPrecisionOracleTests
{
    // e and ln 2 to 70 digits (OEIS A001113, A002162).
    private const string E = "2.718281828459045235360287471352662497757247093699959574966967627724077";
    private const string Ln2 = "0.693147180559945309417232121458176568075500134360255254120680009493393";

    private static readonly double Tiny = Math.Pow(2, -150);

    [Fact]
    public void Exp_of_1_and_of_ln2_match_the_published_digits_to_150_bits()
    {
        BigFloat e = BigFloat.Exp(BigFloat.One);
        Assert.True(Math.Abs(((e - BigFloat.Parse(E)) / BigFloat.Parse(E)).ToDouble()) < Tiny, $"e = {e}");
        BigFloat two = BigFloat.Exp(BigFloat.Parse(Ln2));
        Assert.True(Math.Abs((two - BigFloat.FromInteger(2)).ToDouble()) < Tiny, $"e^ln2 = {two}");
        Assert.Equal(Math.E, e.ToDouble());
        Assert.Equal(2.0, two.ToDouble());
    }

    [Fact]
    public void Exp_at_the_ends_of_the_double_range_rounds_like_IEEE()
    {
        // e^−745 ≈ 4.94e−324·0.57 rounds up to the smallest subnormal; e^−746 ≈ 0.21 of it rounds to 0.
        Assert.Equal(double.Epsilon, BigFloat.Exp(BigFloat.FromInteger(-745)).ToDouble());
        Assert.Equal(0.0, BigFloat.Exp(BigFloat.FromInteger(-746)).ToDouble());
        Assert.Equal(double.PositiveInfinity, BigFloat.Exp(BigFloat.FromInteger(710)).ToDouble());

        // Near the top and the bottom of the normal range it agrees with the C library's exp to within its 1 ulp.
        foreach (int k in new[] { 709, -700, -708 })
        {
            double reference = BigFloat.Exp(BigFloat.FromInteger(k)).ToDouble();
            Assert.True(Math.Abs(reference - Math.Exp(k)) <= Ulp(reference), $"e^{k}: {reference:R} vs Math.Exp {Math.Exp(k):R}");
        }
    }

    [Fact]
    public void Every_double_round_trips_exactly_including_subnormals()
    {
        var rng = new Random(11_0001);
        double[] fixedPoints = { double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue, 2.2250738585072014e-308, 2.225073858507201e-308, 1.0, -0.5, 0.1 };
        foreach (double d in fixedPoints)
        {
            Assert.Equal(d, BigFloat.FromDouble(d).ToDouble());
        }

        for (int i = 0; i < 5000; i++)
        {
            double d = BitConverter.Int64BitsToDouble((long)(rng.NextDouble() * long.MaxValue) ^ (rng.Next(2) == 0 ? 0 : long.MinValue));
            if (double.IsFinite(d))
            {
                Assert.Equal(d, BigFloat.FromDouble(d).ToDouble());
            }
        }
    }

    [Fact]
    public void Rounding_to_double_is_to_nearest_with_ties_to_even()
    {
        // 1 + 2^−53 is halfway between 1 and 1 + 2^−52: ties to even gives 1; a hair more gives 1 + 2^−52.
        BigFloat half = BigFloat.One.Scale(-53);
        Assert.Equal(1.0, (BigFloat.One + half).ToDouble());
        Assert.Equal(1.0 + Math.Pow(2, -52), (BigFloat.One + half + BigFloat.One.Scale(-120)).ToDouble());
        Assert.Equal(1.0 + Math.Pow(2, -51), (BigFloat.FromDouble(1.0 + Math.Pow(2, -52)) + half).ToDouble());

        // Half the smallest subnormal rounds to 0 (even), a hair more to the smallest subnormal.
        BigFloat halfTiny = BigFloat.One.Scale(-1075);
        Assert.Equal(0.0, halfTiny.ToDouble());
        Assert.Equal(double.Epsilon, (halfTiny + BigFloat.One.Scale(-1200)).ToDouble());
    }

    [Fact]
    public void Expm1_agrees_with_Exp_minus_1_where_that_does_not_cancel_and_tanh_with_MathTanh()
    {
        var rng = new Random(11_0002);
        for (int i = 0; i < 200; i++)
        {
            double x = (rng.NextDouble() * 60) - 30;
            if (Math.Abs(x) < 0.5)
            {
                continue;
            }

            BigFloat viaExp = BigFloat.Exp(BigFloat.FromDouble(x)) - BigFloat.One;
            BigFloat direct = BigFloat.Expm1(BigFloat.FromDouble(x));
            Assert.True(Math.Abs(((direct - viaExp) / viaExp).ToDouble()) < Tiny, $"expm1({x:R})");

            // Math.Tanh (the C library's) is within 2.5 ulps of the true value: an independent check of the reference.
            double t = Math.Tanh(x / 10);
            BigFloat reference = ActivationReference.Tanh(x / 10);
            Assert.True(BigFloat.AbsoluteError(t, reference) <= 2.5 * Ulp(reference.ToDouble()), $"tanh({x / 10:R}): Math.Tanh {t:R}, reference {reference}");
        }
    }

    [Fact]
    public void Sigmoid_reference_satisfies_its_identities()
    {
        foreach (double x in new[] { 0.0, 0.25, -3.5, 30, -50, 400, -745 })
        {
            BigFloat s = ActivationReference.Sigmoid(x);
            BigFloat sNeg = ActivationReference.Sigmoid(-x);
            Assert.True(Math.Abs((s + sNeg - BigFloat.One).ToDouble()) < Tiny, $"σ({x}) + σ(−{x})");
            BigFloat product = s * sNeg;
            BigFloat derivative = ActivationReference.SigmoidDerivative(x);
            Assert.True(Math.Abs(((product - derivative) / derivative).ToDouble()) < Tiny, $"σ′({x}) = σ(x)σ(−x)");

            // tanh′(x) = 4σ′(2x) and tanh(x) = 2σ(2x) − 1.
            BigFloat tanh = ActivationReference.Tanh(x / 2);
            BigFloat viaSigmoid = ActivationReference.Sigmoid(x).Scale(1) - BigFloat.One;
            Assert.True(Math.Abs((tanh - viaSigmoid).ToDouble()) < Tiny, $"tanh({x / 2})");
            BigFloat tanhDerivative = ActivationReference.TanhDerivative(x / 2);
            Assert.True(Math.Abs(((tanhDerivative - derivative.Scale(2)) / tanhDerivative).ToDouble()) < Tiny, $"tanh′({x / 2})");
        }
    }

    private static double Ulp(double v)
    {
        v = Math.Abs(v);
        return Math.BitIncrement(v) - v;
    }
}
