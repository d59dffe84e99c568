using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// Issue 11: σ, σ′, softplus, log σ, tanh′ and friends are computed from one exponential with no branch on the data.
/// Their accuracy is checked against <see cref="ActivationReference"/> (200-bit arithmetic, nothing shared with SymMath
/// or Math.Exp); "ε" below is 2^−52, so a relative error of 2ε is two units in the last place of a number near 1.
/// </summary>
public class BranchFreeActivationTests
{
    private const double Eps = 2.220446049250313e-16; // 2^−52

    /// <summary>
    /// Bounds from the formulas' rounding errors (u = 2^−53 per operation, Math.Exp within about 1 u):
    /// σ = r = 1/(1 + e) is within 3u, σ = e·r within 5u; σ′ = e·r·r and tanh′ = 4·e·r·r within 8u (r counts twice).
    /// The sweeps below measure at most 1.55ε for σ and 2.6ε for σ′ and tanh′.
    /// </summary>
    private const double SigmoidValueTolerance = 2 * Eps;

    private const double DerivativeTolerance = 3 * Eps;

    public static IEnumerable<object[]> SaturationPoints() =>
        new[] { 30.0, -30.0, 50.0, -50.0, 400.0, -400.0, 745.0, -745.0 }.Select(z => new object[] { z });

    [Theory]
    [MemberData(nameof(SaturationPoints))]
    public void Sigmoid_and_its_derivative_at_saturation_match_the_200_bit_reference(double z)
    {
        BigFloat value = ActivationReference.Sigmoid(z);
        BigFloat derivative = ActivationReference.SigmoidDerivative(z);
        double s = SymMath.Sigmoid(z, out double d);

        AssertClose(value, s, SigmoidValueTolerance, $"σ({z})");
        AssertClose(derivative, d, DerivativeTolerance, $"σ′({z})");
        AssertClose(derivative, SymMath.SigmoidDerivative(z), DerivativeTolerance, $"SigmoidDerivative({z})");

        // Where σ rounds to 1 the textbook σ(1 − σ) is 0; the true σ′ is not, and neither is ours.
        Assert.True(d > 0, $"σ′({z}) = {d:R}");
        if (z >= 37)
        {
            Assert.Equal(1.0, s);
            Assert.Equal(0.0, s * (1 - s));
        }
    }

    [Theory]
    [MemberData(nameof(SaturationPoints))]
    [InlineData(300.0)]
    [InlineData(-356.0)]
    [InlineData(370.0)]
    public void Tanh_derivative_at_saturation_matches_the_200_bit_reference(double x)
    {
        // 4e^(−2|x|): 3.5e−26 at 30, 1.5e−43 at 50, 1.2e−260 at 300, subnormal at 356 and 370, below half the smallest
        // subnormal (so exactly 0 in double) at 400 and 745.
        BigFloat reference = ActivationReference.TanhDerivative(x);
        SymMath.Tanh(x, out double d);
        AssertClose(reference, d, DerivativeTolerance, $"tanh′({x})");
        AssertClose(reference, SymMath.TanhDerivative(x), DerivativeTolerance, $"TanhDerivative({x})");
        Assert.Equal((double)Math.Sign(x), SymMath.Tanh(x, out _));

        // The textbook 1 − tanh² is 0 there; ours is 0 only where the true value is below the smallest subnormal.
        Assert.Equal(0.0, 1 - (Math.Tanh(x) * Math.Tanh(x)));
        Assert.Equal(reference.ToDouble() == 0, d == 0);
    }

    [Fact]
    public void Random_sweep_sigmoid_value_within_2_eps_and_derivative_within_3_eps_of_the_reference()
    {
        double worstValue = 0, worstDerivative = 0;
        double worstValueAt = 0, worstDerivativeAt = 0;
        foreach (double x in SweepPoints(11_0011, 6000))
        {
            double s = SymMath.Sigmoid(x, out double d);
            double ev = Error(ActivationReference.Sigmoid(x), s);
            double ed = Error(ActivationReference.SigmoidDerivative(x), d);
            (worstValue, worstValueAt) = ev > worstValue ? (ev, x) : (worstValue, worstValueAt);
            (worstDerivative, worstDerivativeAt) = ed > worstDerivative ? (ed, x) : (worstDerivative, worstDerivativeAt);
        }

        string report = $"worst σ {worstValue / Eps:0.000}ε at {worstValueAt:R}, worst σ′ {worstDerivative / Eps:0.000}ε at {worstDerivativeAt:R}";
        Assert.True(worstValue <= SigmoidValueTolerance && worstDerivative <= DerivativeTolerance, report);

        // The sweep must reach the rounding level, or it would not test the bound (a reference that were itself
        // rounded to double would make every error 0 or a whole ulp).
        Assert.True(worstValue > 0.5 * Eps && worstDerivative > Eps, report);
    }

    [Fact]
    public void Random_sweep_tanh_derivative_within_3_eps_of_the_reference()
    {
        double worst = 0, worstAt = 0;
        foreach (double x in SweepPoints(11_0012, 3000).Select(x => x / 2))
        {
            SymMath.Tanh(x, out double d);
            double e = Error(ActivationReference.TanhDerivative(x), d);
            (worst, worstAt) = e > worst ? (e, x) : (worst, worstAt);
        }

        Assert.True(worst <= DerivativeTolerance, $"worst tanh′ {worst / Eps:0.000}ε at {worstAt:R}");
    }

    [Fact]
    public void Random_sweep_tanh_value_within_2_ulps_of_the_reference_like_MathTanh()
    {
        // SymMath.Tanh is not Math.Tanh (the C library's); it must be as accurate: within 2 ulps of the exact value.
        // Points: a third on [−3, 3], a sixth around the switch at |x| = 0.625, a sixth with |x| = 2^−k (k ≤ 40), a sixth
        // on [−20, 20], a sixth within 1e−12 of ±0.625.
        var rng = new Random(11_0017);
        double worst = 0, worstAt = 0, worstLibrary = 0;
        for (int i = 0; i < 12_000; i++)
        {
            double sign = rng.Next(2) == 0 ? -1 : 1;
            double x = (i % 6) switch
            {
                0 or 1 => (rng.NextDouble() * 6) - 3,
                2 => sign * (0.55 + (rng.NextDouble() * 0.15)),
                3 => sign * Math.ScaleB(1 + rng.NextDouble(), -rng.Next(1, 41)),
                4 => (rng.NextDouble() * 40) - 20,
                _ => sign * (0.625 + ((rng.NextDouble() - 0.5) * 2e-12)),
            };
            BigFloat exact = ActivationReference.Tanh(x);
            double ulp = Ulp(exact.ToDouble());
            double error = BigFloat.AbsoluteError(SymMath.Tanh(x), exact) / ulp;
            (worst, worstAt) = error > worst ? (error, x) : (worst, worstAt);
            worstLibrary = Math.Max(worstLibrary, BigFloat.AbsoluteError(Math.Tanh(x), exact) / ulp);
        }

        string report = $"worst SymMath.Tanh {worst:0.000} ulps at {worstAt:R} (Math.Tanh: {worstLibrary:0.000} ulps)";
        Assert.True(worst <= 2.0, report);
        Assert.True(worst > 0.5, report); // the sweep reaches the rounding level
    }

    [Fact]
    public void Tanh_derivative_is_four_sigmoid_derivatives_at_twice_the_argument()
    {
        // tanh′(x) = 4σ′(2x): the same formula on e = exp(−2|x|), so the same bits times 4 (exact), which lets a
        // vectorised tanh′ reuse the σ′ lanes.
        foreach (double x in SweepPoints(11_0018, 20_000).Concat(Specials))
        {
            AssertSameBits(4 * SymMath.SigmoidDerivative(2 * x), SymMath.TanhDerivative(x), $"tanh′({x:R})");
        }
    }

    [Fact]
    public void Fused_and_separate_forms_are_the_same_bits()
    {
        foreach (double x in SweepPoints(11_0013, 20_000).Concat(Specials))
        {
            double s = SymMath.Sigmoid(x, out double d);
            AssertSameBits(SymMath.Sigmoid(x), s, $"Sigmoid({x:R})");
            AssertSameBits(SymMath.SigmoidDerivative(x), d, $"SigmoidDerivative({x:R})");
            AssertSameBits(x * s, SymMath.Silu(x), $"Silu({x:R})");
            double t = SymMath.Tanh(x, out double dt);
            AssertSameBits(SymMath.Tanh(x), t, $"Tanh({x:R})");
            AssertSameBits(SymMath.TanhDerivative(x), dt, $"TanhDerivative({x:R})");
            AssertSameBits(-SymMath.Softplus(-x), SymMath.LogSigmoid(x), $"LogSigmoid({x:R})");
        }
    }

    [Fact]
    public void Sigmoid_uses_exactly_the_issue_11_formulas()
    {
        // e = exp(−|x|), r = 1/(1 + e), σ = x ≥ 0 ? r : e·r, σ′ = e·r·r: the formulas a vectorised version reproduces.
        foreach (double x in SweepPoints(11_0014, 20_000).Concat(Specials))
        {
            double e = Math.Exp(-Math.Abs(x));
            double r = 1.0 / (1.0 + e);
            double s = SymMath.Sigmoid(x, out double d);
            AssertSameBits(x >= 0 ? r : e * r, s, $"σ({x:R})");
            AssertSameBits(e * r * r, d, $"σ′({x:R})");
        }
    }

    [Fact]
    public void Odd_and_even_symmetries_hold()
    {
        foreach (double x in SweepPoints(11_0015, 20_000))
        {
            // σ′ and tanh′ are even, bit for bit (they depend on |x| only); tanh is odd.
            AssertSameBits(SymMath.SigmoidDerivative(x), SymMath.SigmoidDerivative(-x), $"σ′(±{x:R})");
            AssertSameBits(SymMath.TanhDerivative(x), SymMath.TanhDerivative(-x), $"tanh′(±{x:R})");
            AssertSameBits(-SymMath.Tanh(x), SymMath.Tanh(-x), $"tanh(−{x:R})");

            // σ(x) + σ(−x) = 1 (r + e·r = r(1 + e)) and softplus(x) − softplus(−x) = x (the same log1p term on both sides).
            double sum = SymMath.Sigmoid(x) + SymMath.Sigmoid(-x);
            Assert.True(Math.Abs(sum - 1) <= 2 * Eps, $"σ({x:R}) + σ(−x) = {sum:R}");
            double a = Math.Abs(x);
            double difference = SymMath.Softplus(a) - SymMath.Softplus(-a);
            Assert.True(Math.Abs(difference - a) <= Ulp(SymMath.Softplus(a)), $"softplus({a:R}) − softplus(−{a:R}) = {difference:R}");
        }
    }

    [Fact]
    public void NaN_gives_NaN_and_infinities_give_the_limits()
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        foreach (double n in new[] { nan, -nan, BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001) })
        {
            Assert.True(double.IsNaN(SymMath.Sigmoid(n)));
            Assert.True(double.IsNaN(SymMath.Sigmoid(n, out double d)) && double.IsNaN(d));
            Assert.True(double.IsNaN(SymMath.SigmoidDerivative(n)));
            Assert.True(double.IsNaN(SymMath.Softplus(n)));
            Assert.True(double.IsNaN(SymMath.LogSigmoid(n)));
            Assert.True(double.IsNaN(SymMath.Silu(n)));
            Assert.True(double.IsNaN(SymMath.Tanh(n)));
            Assert.True(double.IsNaN(SymMath.Tanh(n, out double dt)) && double.IsNaN(dt));
            Assert.True(double.IsNaN(SymMath.TanhDerivative(n)));
            Assert.True(double.IsNaN(SymMath.Log1p(n)));
            Assert.True(double.IsNaN(SymMath.LogSumExp(n, 1.0)));
            Assert.True(double.IsNaN(SymMath.LogSumExp(1.0, n)));
        }

        Assert.Equal(1.0, SymMath.Sigmoid(inf, out double dInf));
        Assert.Equal(0.0, dInf);
        Assert.Equal(0.0, SymMath.Sigmoid(-inf, out double dMinusInf));
        Assert.Equal(0.0, dMinusInf);
        Assert.Equal(1.0, SymMath.Sigmoid(inf));
        Assert.Equal(0.0, SymMath.Sigmoid(-inf));
        Assert.Equal(0.0, SymMath.SigmoidDerivative(inf));
        Assert.Equal(inf, SymMath.Softplus(inf));
        Assert.Equal(0.0, SymMath.Softplus(-inf));
        Assert.Equal(-inf, SymMath.LogSigmoid(-inf));
        Assert.Equal(0.0, SymMath.LogSigmoid(inf));
        Assert.Equal(1.0, SymMath.Tanh(inf, out double tInf));
        Assert.Equal(0.0, tInf);
        Assert.Equal(-1.0, SymMath.Tanh(-inf, out double tMinusInf));
        Assert.Equal(0.0, tMinusInf);
        Assert.Equal(0.0, SymMath.TanhDerivative(-inf));

        // Signed zeros: σ(±0) = 1/2, σ′(±0) = 1/4, tanh(−0) = −0, tanh′(±0) = 1.
        Assert.Equal(0.5, SymMath.Sigmoid(-0.0, out double dZero));
        Assert.Equal(0.25, dZero);
        AssertSameBits(-0.0, SymMath.Tanh(-0.0, out double tZero), "tanh(−0)");
        Assert.Equal(1.0, tZero);
    }

    [Fact]
    public void Log1p_and_LogSumExp_pick_their_special_cases_without_a_branch()
    {
        // log1p: x itself where 1 + x rounds to 1, +∞ where it overflows, −∞ at −1, NaN below.
        Assert.Equal(1e-300, SymMath.Log1p(1e-300));
        Assert.Equal(-1e-17, SymMath.Log1p(-1e-17));
        Assert.Equal(double.PositiveInfinity, SymMath.Log1p(double.PositiveInfinity));
        Assert.Equal(double.NegativeInfinity, SymMath.Log1p(-1));
        Assert.True(double.IsNaN(SymMath.Log1p(-2)));
        Assert.Equal(Math.Log(2), SymMath.Log1p(1));

        // log-sum-exp: the other argument when one is −∞, −∞ when both are; symmetric bit for bit.
        Assert.Equal(3.5, SymMath.LogSumExp(double.NegativeInfinity, 3.5));
        Assert.Equal(-2.0, SymMath.LogSumExp(-2, double.NegativeInfinity));
        Assert.Equal(double.NegativeInfinity, SymMath.LogSumExp(double.NegativeInfinity, double.NegativeInfinity));
        Assert.Equal(double.PositiveInfinity, SymMath.LogSumExp(double.PositiveInfinity, 1));
        Assert.Equal(1000 + Math.Log(2), SymMath.LogSumExp(1000, 1000));
        var rng = new Random(11_0016);
        for (int i = 0; i < 2000; i++)
        {
            double a = (rng.NextDouble() - 0.5) * 100, b = (rng.NextDouble() - 0.5) * 100;
            AssertSameBits(SymMath.LogSumExp(a, b), SymMath.LogSumExp(b, a), $"lse({a:R}, {b:R})");
            Assert.True(SymMath.LogSumExp(a, b) >= Math.Max(a, b) && SymMath.LogSumExp(a, b) <= Math.Max(a, b) + Math.Log(2) + 1e-15);
        }
    }

    [Theory]
    [InlineData("Sigmoid", 1)]
    [InlineData("Sigmoid", 2)]
    [InlineData("SigmoidDerivative", 1)]
    [InlineData("Softplus", 1)]
    [InlineData("LogSigmoid", 1)]
    [InlineData("Silu", 1)]
    [InlineData("Tanh", 2)]
    [InlineData("TanhDerivative", 1)]
    [InlineData("Log1p", 1)]
    [InlineData("LogSumExp", 2)]
    [InlineData("SignMask", 1)]
    [InlineData("EqualMask", 2)]
    [InlineData("Blend", 3)]
    [InlineData("NegativeFactor", 2)]
    [InlineData("Tanh", 1)]
    [InlineData("TanhOf", 3)]
    public void Has_no_branch_in_its_IL(string name, int parameters)
    {
        // A regression guard: an if or a ?: in these methods is a conditional jump in IL (the masks in SymMath exist
        // because the JIT keeps such jumps on doubles), which mispredicts half the time on random inputs.
        MethodInfo method = typeof(SymMath).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(m => m.Name == name && m.GetParameters().Length == parameters);
        List<string> branches = Branches(method.GetMethodBody()!.GetILAsByteArray()!);
        Assert.True(branches.Count == 0, $"{name}: {string.Join(", ", branches)}");
    }

    [Fact]
    public void The_IL_branch_scanner_finds_branches()
    {
        // The guard above can fail: the scanner sees the branches of Relu's ?: and of Expm1's ifs.
        MethodInfo relu = typeof(SymMath).GetMethod(nameof(SymMath.Relu))!;
        MethodInfo expm1 = typeof(SymMath).GetMethod(nameof(SymMath.Expm1))!;
        Assert.NotEmpty(Branches(relu.GetMethodBody()!.GetILAsByteArray()!));
        Assert.True(Branches(expm1.GetMethodBody()!.GetILAsByteArray()!).Count >= 3);
    }

    private static readonly double[] Specials = { 0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-300, -1e-300, 36.7, -36.7, 709.78, -709.78, 745.1, -745.1, 800, -800, double.MaxValue, -double.MaxValue };

    /// <summary>
    /// Points for the sweeps: a third uniform on [−6, 6] (where networks live), a third on [−40, 40] (saturation),
    /// a sixth with |x| = 2^−k for k up to 60 (the small end), a sixth on [−745, 745].
    /// </summary>
    private static IEnumerable<double> SweepPoints(int seed, int count)
    {
        var rng = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double sign = rng.Next(2) == 0 ? -1 : 1;
            yield return (i % 6) switch
            {
                0 or 1 => (rng.NextDouble() * 12) - 6,
                2 or 3 => (rng.NextDouble() * 80) - 40,
                4 => sign * Math.ScaleB(1 + rng.NextDouble(), -rng.Next(1, 61)),
                _ => (rng.NextDouble() * 1490) - 745,
            };
        }
    }

    /// <summary>
    /// |got − exact| relative to |exact|; where the exact value is below the normal range (subnormal or 0 in double),
    /// relative to the smallest normal 2^−1022 instead: there a double has a fixed absolute spacing 2^−1074 = 2^−52 of
    /// that, so kε allows k units of the subnormal grid (the exponential already rounds to that grid, and tanh′
    /// multiplies its rounding by 4).
    /// </summary>
    private static double Error(BigFloat exact, double got)
    {
        double rounded = exact.ToDouble();
        double scale = Math.Max(Math.Abs(rounded), 2.2250738585072014e-308);
        return BigFloat.AbsoluteError(got, exact) / scale;
    }

    private static void AssertClose(BigFloat exact, double got, double tolerance, string what)
    {
        double error = Error(exact, got);
        double rounded = exact.ToDouble();
        Assert.True(error <= tolerance, $"{what}: got {got:R}, reference {rounded:R}, error {error / Eps:0.000}ε (tolerance {tolerance / Eps:0.0}ε)");
    }

    private static void AssertSameBits(double expected, double actual, string what)
    {
        bool same = BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || (double.IsNaN(expected) && double.IsNaN(actual));
        Assert.True(same, $"{what}: expected {expected:R} ({BitConverter.DoubleToInt64Bits(expected):X16}), got {actual:R} ({BitConverter.DoubleToInt64Bits(actual):X16})");
    }

    private static double Ulp(double v)
    {
        v = Math.Abs(v);
        return Math.BitIncrement(v) - v;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The conditional and unconditional jumps and switches of an IL body, as "name at offset".</summary>
    private static List<string> Branches(byte[] il)
    {
        var found = new List<string>();
        int i = 0;
        while (i < il.Length)
        {
            int at = i;
            short value = il[i++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[i++]);
            }

            OpCode op = OpCodesByValue[value];
            if (op.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch)
            {
                found.Add($"{op.Name} at IL_{at:X4}");
            }

            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }

        return found;
    }
}
