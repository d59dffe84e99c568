using System;
using System.Collections.Generic;
using System.Linq;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// The lane functions the batched kernels call, at every width this machine accelerates, against the scalar
/// <see cref="Math"/>/<see cref="SymMath"/> function of the same name: exact where the lane form is the same sequence
/// of operations, within a few ulp where a vectorised exponential or logarithm stands in for <see cref="Math.Exp"/>.
/// Special values (NaN, ±∞, ±0, the ends of the exponent range) included.
/// </summary>
public sealed class LanesTests
{
    private static readonly double[] Specials =
    [
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-300, -1e-300, 5e-324, 30, -30, 37, -37, 50, -50, 400, -400, 700, -700, 708.5, -708.5,
        709.78, 709.8, -745.13, 745, -745, 800, -800, 1e308, -1e308, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    ];

    private static IEnumerable<double> Points(int count, double range, int seed)
    {
        var rng = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            yield return (rng.NextDouble() * 2 - 1) * (i % 3 == 0 ? 5 : range);
        }

        foreach (double s in Specials)
        {
            yield return s;
        }
    }

    private static long Ulps(double a, double b)
    {
        if (a.Equals(b))
        {
            return 0; // also NaN = NaN
        }

        if (double.IsNaN(a) || double.IsNaN(b) || Math.Sign(a) * Math.Sign(b) < 0)
        {
            return long.MaxValue;
        }

        return Math.Abs(BitConverter.DoubleToInt64Bits(Math.Abs(a)) - BitConverter.DoubleToInt64Bits(Math.Abs(b)));
    }

    /// <summary>Applies a lane function at each width to <paramref name="xs"/> (packed into full vectors) and returns the lanes.</summary>
    private static IEnumerable<(string Width, double[] Result)> AtEveryWidth(double[] xs, Func<Lanes512, Lanes512> f512, Func<Lanes512x2, Lanes512x2> f512x2, Func<Lanes256, Lanes256> f256, Func<Lanes128, Lanes128> f128, Func<Lanes1, Lanes1> f1)
    {
        double[] Run<V>(Func<V, V> f) where V : struct, ILanes<V>
        {
            int n = (xs.Length + V.Count - 1) / V.Count * V.Count;
            double[] padded = xs.Concat(Enumerable.Repeat(0.0, n - xs.Length)).ToArray();
            double[] result = new double[n];
            for (int i = 0; i < n; i += V.Count)
            {
                V r = f(V.Load(padded, i));
                for (int j = 0; j < V.Count; j++)
                {
                    result[i + j] = V.GetElement(r, j);
                }
            }

            return result[..xs.Length];
        }

        if (Lanes512.IsHardwareAccelerated)
        {
            yield return ("512", Run(f512));
            yield return ("2×512", Run(f512x2));
        }

        if (Lanes256.IsHardwareAccelerated)
        {
            yield return ("256", Run(f256));
        }

        if (Lanes128.IsHardwareAccelerated)
        {
            yield return ("128", Run(f128));
        }

        yield return ("1", Run(f1));
    }

    private static void Check(string name, Func<double, double> scalar, long maxUlps, double range,
        Func<Lanes512x2, Lanes512x2> f512x2, Func<Lanes512, Lanes512> f512, Func<Lanes256, Lanes256> f256, Func<Lanes128, Lanes128> f128, Func<Lanes1, Lanes1> f1)
    {
        double[] xs = Points(20_000, range, name.Length).ToArray();
        foreach (var (width, result) in AtEveryWidth(xs, f512, f512x2, f256, f128, f1))
        {
            for (int i = 0; i < xs.Length; i++)
            {
                double expected = scalar(xs[i]);
                long ulps = Ulps(expected, result[i]);
                Assert.True(ulps <= maxUlps, $"{name} at {xs[i]:R}, width {width}: lanes {result[i]:R}, scalar {expected:R} ({ulps} ulp)");
            }
        }
    }

    [Fact]
    public void Exp_is_within_2_ulp_of_Math_Exp_over_the_whole_range_and_exact_at_the_ends() =>
        Check("exp", Math.Exp, 2, 760, Lanes.Exp, Lanes.Exp, Lanes.Exp, Lanes.Exp, Lanes.Exp);

    [Fact]
    public void Log_is_within_2_ulp_of_Math_Log() =>
        Check("log", x => Math.Log(Math.Abs(x)), 2, 1e6, x => Lanes.Log(Lanes.Abs(x)), x => Lanes.Log(Lanes.Abs(x)), x => Lanes.Log(Lanes.Abs(x)), x => Lanes.Log(Lanes.Abs(x)), x => Lanes.Log(Lanes.Abs(x)));

    [Fact]
    public void Sigmoid_and_its_derivative_match_SymMath_within_8_ulp_including_saturation()
    {
        Check("sigmoid", SymMath.Sigmoid, 8, 800, Lanes.Sigmoid, Lanes.Sigmoid, Lanes.Sigmoid, Lanes.Sigmoid, Lanes.Sigmoid);
        Check("sigmoid′", SymMath.SigmoidDerivative, 8, 800, Lanes.SigmoidDerivative, Lanes.SigmoidDerivative, Lanes.SigmoidDerivative, Lanes.SigmoidDerivative, Lanes.SigmoidDerivative);
        Check("tanh", SymMath.Tanh, 8, 400, Lanes.Tanh, Lanes.Tanh, Lanes.Tanh, Lanes.Tanh, Lanes.Tanh);
        Check("tanh′", SymMath.TanhDerivative, 8, 400, Lanes.TanhDerivative, Lanes.TanhDerivative, Lanes.TanhDerivative, Lanes.TanhDerivative, Lanes.TanhDerivative);
    }

    [Fact]
    public void Softplus_log_sigmoid_log1p_and_expm1_match_SymMath_within_8_ulp()
    {
        Check("softplus", SymMath.Softplus, 8, 800, Lanes.Softplus, Lanes.Softplus, Lanes.Softplus, Lanes.Softplus, Lanes.Softplus);
        Check("logsigmoid", SymMath.LogSigmoid, 8, 800, Lanes.LogSigmoid, Lanes.LogSigmoid, Lanes.LogSigmoid, Lanes.LogSigmoid, Lanes.LogSigmoid);
        Check("log1p", x => SymMath.Log1p(Math.Abs(x) - 0.5), 8, 1e3, x => Lanes.Log1p(Lanes.Abs(x) - Lanes512x2.Create(0.5)), x => Lanes.Log1p(Lanes.Abs(x) - Lanes512.Create(0.5)), x => Lanes.Log1p(Lanes.Abs(x) - Lanes256.Create(0.5)), x => Lanes.Log1p(Lanes.Abs(x) - Lanes128.Create(0.5)), x => Lanes.Log1p(Lanes.Abs(x) - Lanes1.Create(0.5)));
        Check("expm1", SymMath.Expm1, 8, 700, Lanes.Expm1, Lanes.Expm1, Lanes.Expm1, Lanes.Expm1, Lanes.Expm1);
    }

    [Fact]
    public void Max_min_abs_sign_relu_and_hypot_are_exactly_the_scalar_functions()
    {
        Check("max", x => Math.Max(x, 0.25), 0, 10, x => Lanes.Max(x, Lanes512x2.Create(0.25)), x => Lanes.Max(x, Lanes512.Create(0.25)), x => Lanes.Max(x, Lanes256.Create(0.25)), x => Lanes.Max(x, Lanes128.Create(0.25)), x => Lanes.Max(x, Lanes1.Create(0.25)));
        Check("max0", x => Math.Max(0.0, x), 0, 10, x => Lanes.Max(Lanes512x2.Create(0.0), x), x => Lanes.Max(Lanes512.Create(0.0), x), x => Lanes.Max(Lanes256.Create(0.0), x), x => Lanes.Max(Lanes128.Create(0.0), x), x => Lanes.Max(Lanes1.Create(0.0), x));
        Check("min-0", x => Math.Min(-0.0, x), 0, 10, x => Lanes.Min(Lanes512x2.Create(-0.0), x), x => Lanes.Min(Lanes512.Create(-0.0), x), x => Lanes.Min(Lanes256.Create(-0.0), x), x => Lanes.Min(Lanes128.Create(-0.0), x), x => Lanes.Min(Lanes1.Create(-0.0), x));
        Check("abs", Math.Abs, 0, 10, Lanes.Abs, Lanes.Abs, Lanes.Abs, Lanes.Abs, Lanes.Abs);
        Check("sign", x => x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : double.NaN, 0, 10, Lanes.Sign, Lanes.Sign, Lanes.Sign, Lanes.Sign, Lanes.Sign);
        Check("relu", SymMath.Relu, 0, 10, Lanes.Relu, Lanes.Relu, Lanes.Relu, Lanes.Relu, Lanes.Relu);
        Check("hypot", x => SymMath.Hypot(x, 3.0), 0, 1e300, x => Lanes.Hypot(x, Lanes512x2.Create(3.0)), x => Lanes.Hypot(x, Lanes512.Create(3.0)), x => Lanes.Hypot(x, Lanes256.Create(3.0)), x => Lanes.Hypot(x, Lanes128.Create(3.0)), x => Lanes.Hypot(x, Lanes1.Create(3.0)));
        Check("sin", Math.Sin, 0, 1e3, Lanes.Sin, Lanes.Sin, Lanes.Sin, Lanes.Sin, Lanes.Sin);
        Check("floor", Math.Floor, 0, 1e3, Lanes.Floor, Lanes.Floor, Lanes.Floor, Lanes.Floor, Lanes.Floor);
    }

    [Fact]
    public void Sum_adds_the_lanes_in_lane_order()
    {
        // (1e16 + 1) + 1 − 1e16 = 0 in lane order, 2 in another order: the order is part of the contract.
        double[] values = [1e16, 1, 1, -1e16, 0, 0, 0, 0];
        Assert.Equal(((((1e16 + 1) + 1) + -1e16) + 0) + 0, Lanes128.Sum(Lanes128.Load(values, 0)) + Lanes128.Sum(Lanes128.Load(values, 2)) - 0, 0);
        if (Lanes512.IsHardwareAccelerated)
        {
            Assert.Equal((((1e16 + 1) + 1) + -1e16), Lanes512.Sum(Lanes512.Load(values, 0)));

            // A pair adds its first register's lanes, then its second's: (1e16 + 1) + 1 is 1e16 + 2 only in that order.
            double[] sixteen = [1e16, 1, 0, 0, 0, 0, 0, 0, 1, -1e16, 0, 0, 0, 0, 0, 0];
            Assert.Equal((((1e16 + 1) + 1) + -1e16), Lanes512x2.Sum(Lanes512x2.Load(sixteen, 0)));
        }

        Assert.Equal((((1e16 + 1) + 1) + -1e16), Lanes256.Sum(Lanes256.Load(values, 0)) + Lanes256.Sum(Lanes256.Load(values, 4)));
    }
}
