using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;
using M = SymGrad.Tests.Numerics.SumOfExponentialsModels;

namespace SymGrad.Tests.Numerics;

/// <summary>
/// log(e^a + e^b + e^c) is rewritten to nested log-sum-exps, finite where the sum overflows; hypot's derivative is the
/// subgradient 0 at the origin. Oracles: the max-shifted formulas by hand, and Richardson differences at ordinary points.
/// </summary>
public sealed class SumOfExponentialsTests
{
    private static (double Value, double[] Softmax) Shifted(params double[] z)
    {
        double m = z.Max();
        double s = z.Sum(v => Math.Exp(v - m));
        return (m + Math.Log(s), z.Select(v => Math.Exp(v - m) / s).ToArray());
    }

    [Theory]
    [InlineData(1000.0, 999.0, 998.0)]   // e^1000 overflows: the method itself returns ∞
    [InlineData(-1000.0, -1001.0, -999.5)] // every e^z underflows to 0: the method returns −∞
    [InlineData(0.3, -1.2, 0.8)]
    public void Three_exponentials_under_a_log_match_the_shifted_formula(double a, double b, double c)
    {
        var g = M.Lse3Gradient(a, b, c);
        (double value, double[] softmax) = Shifted(a, b, c);
        Oracle.AssertClose(value, g.Value, 1e-15, 1e-15);
        Oracle.AssertClose(softmax, new[] { g.a, g.b, g.c }, 1e-13, 1e-16, ["a", "b", "c"]); // nested log-sum-exps: a few ulps

        // The Hessian of log-sum-exp: diag(p) − p pᵀ.
        double[] h = new double[9];
        M.Lse3Hessian(a, b, c, new double[3], h);
        double[] expected = new double[9];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                expected[(i * 3) + j] = (i == j ? softmax[i] : 0) - (softmax[i] * softmax[j]);
            }
        }

        Oracle.AssertClose(expected, h, 1e-12, 1e-15);
    }

    [Fact]
    public void A_constant_one_is_a_reference_class_with_logit_zero()
    {
        var g = M.LseWithReferenceGradient(800.0, 799.0);
        (double value, double[] softmax) = Shifted(0.0, 800.0, 799.0);
        Oracle.AssertClose(value, g.Value, 1e-15, 1e-15);
        Oracle.AssertClose(softmax[1..], new[] { g.a, g.b }, 1e-13, 1e-16);

        Func<double[], double> f = p => M.LseWithReference(p[0], p[1]);
        var near = M.LseWithReferenceGradient(0.4, -0.9);
        Oracle.AssertClose(Oracle.Gradient(f, [0.4, -0.9]), new[] { near.a, near.b }, 1e-9, 1e-12);
    }

    [Fact]
    public void Hypot_has_the_subgradient_zero_at_the_origin()
    {
        var origin = M.RadiusGradient(0.0, 0.0);
        Assert.Equal(0.0, origin.Value);
        Assert.Equal(0.0, origin.x);
        Assert.Equal(0.0, origin.y);

        var g = M.RadiusGradient(3.0, -4.0);
        Assert.Equal(5.0, g.Value);
        Oracle.AssertClose(new[] { 0.6, -0.8 }, new[] { g.x, g.y }, 1e-15, 1e-16);
    }
}
