using System;
using SymGrad.Tests.Infrastructure;
using Xunit;
using M = SymGrad.Tests.Programs.EarlyReturnStructModels;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Helpers returning a struct from several return statements (lowered once per field): gradients and Hessians against
/// Richardson finite differences of the methods themselves, on both sides of each branch.
/// </summary>
public sealed class EarlyReturnStructTests
{
    [Theory]
    [InlineData(0.3, -1.2, 2.0)]
    [InlineData(-2.0, 0.5, 0.25)]
    public void A_guarded_normalise_matches_finite_differences(double x, double y, double z)
    {
        Func<double[], double> f = q => M.Direction(q[0], q[1], q[2]);
        double[] p = [x, y, z];
        var g = M.DirectionGradient(x, y, z);
        Oracle.AssertClose(f(p), g.Value, 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(f, p), [g.x, g.y, g.z], 1e-8, 1e-10);
        double[] h = new double[9];
        M.DirectionHessian(x, y, z, new double[3], h);
        Oracle.AssertClose(Oracle.Hessian(f, p), h, 1e-6, 1e-8);
    }

    [Fact]
    public void The_guard_side_of_the_normalise_is_taken_at_zero()
    {
        // At v = 0 the helper returns v itself: the value is 0 and the gradient is that of x + 2y + 3z.
        var g = M.DirectionGradient(0, 0, 0);
        Assert.Equal(0.0, g.Value);
        Assert.Equal([1.0, 2.0, 3.0], new[] { g.x, g.y, g.z });
    }

    [Theory]
    [InlineData(0.3, -0.2, 0.5)]   // Rodrigues' side
    [InlineData(1e-9, -2e-9, 5e-10)] // the first-order side (θ² ≤ 1e−15)
    public void A_rotation_with_a_return_in_each_branch_matches_finite_differences(double a, double b, double c)
    {
        double[] points = [1.0, 0.5, -0.25, -0.75, 2.0, 0.3, 0.1, -1.1, 0.6];
        double[] targets = [0.9, 0.7, -0.2, -0.5, 1.8, 0.9, 0.4, -1.0, 0.2];
        double[] w = [a, b, c];
        double[] g = new double[3];
        double value = M.ReprojectionGradient(w, points, targets, g);
        Oracle.AssertClose(M.Reprojection(w, points, targets), value, 1e-14, 1e-15);
        if (a > 1e-3)
        {
            Oracle.AssertClose(Oracle.Gradient(q => M.Reprojection(q, points, targets), w), g, 1e-8, 1e-10);
        }
        else
        {
            // Finite differences would cross the branch; the first-order form's gradient, by hand: q = p + w × p,
            // ∂e/∂w = Σ 2 (p × d), d = q − target.
            double[] expected = new double[3];
            for (int i = 0; i < points.Length; i += 3)
            {
                var p = new Vec3(points[i], points[i + 1], points[i + 2]);
                var d = p + new Vec3(a, b, c).Cross(p) - new Vec3(targets[i], targets[i + 1], targets[i + 2]);
                Vec3 grad = 2.0 * p.Cross(d);
                expected[0] += grad.X;
                expected[1] += grad.Y;
                expected[2] += grad.Z;
            }

            Oracle.AssertClose(expected, g, 1e-12, 1e-14);
        }
    }
}
