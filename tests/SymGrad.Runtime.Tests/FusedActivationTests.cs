using System;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>The fused σ/σ′ and tanh/tanh′ calls that generated gradients use must agree with the separate functions.</summary>
public class FusedActivationTests
{
    [Fact]
    public void Fused_sigmoid_value_is_bit_identical_and_derivative_accurate_everywhere()
    {
        for (double x = -800; x <= 800; x += 0.37)
        {
            double s = SymMath.Sigmoid(x, out double d);
            Assert.Equal(SymMath.Sigmoid(x), s);
            double exact = SymMath.SigmoidDerivative(x);
            Assert.True(Math.Abs(d - exact) <= 4e-16 * exact, $"σ′({x}): fused {d:R}, separate {exact:R}");
        }
    }

    [Fact]
    public void Fused_tanh_value_is_bit_identical_and_derivative_accurate_everywhere()
    {
        for (double x = -400; x <= 400; x += 0.013)
        {
            double t = SymMath.Tanh(x, out double d);
            Assert.Equal(SymMath.Tanh(x), t);

            // Not Math.Tanh's bits (issue 11), but the same function: two implementations within 2.1 ulps each.
            Assert.True(Math.Abs(t - Math.Tanh(x)) <= 4.2 * (Math.BitIncrement(Math.Abs(t)) - Math.Abs(t)), $"tanh({x}): {t:R} vs Math.Tanh {Math.Tanh(x):R}");
            double exact = SymMath.TanhDerivative(x);
            Assert.True(Math.Abs(d - exact) <= 4e-15 * exact + 1e-300, $"tanh′({x}): fused {d:R}, separate {exact:R}");
        }
    }

    [Fact]
    public void Fused_derivatives_do_not_underflow_at_saturation()
    {
        SymMath.Sigmoid(50, out double ds);
        SymMath.Tanh(20, out double dt);
        Assert.Equal(Math.Exp(-50) / Math.Pow(1 + Math.Exp(-50), 2), ds, 1e-35);
        Assert.True(dt > 0 && Math.Abs(dt - 4 * Math.Exp(-40)) < 1e-12 * dt, $"tanh′(20) = {dt:R}");
    }
}
