using System;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// The bundle-adjustment reprojection cost of ADBench (Srajer, Kukelova, Fitzgibbon 2018) for one observation, written
/// as a user would from ADBench's <c>computeReprojError</c>, <c>project</c>, <c>rodrigues_rotate_point</c> and
/// <c>radial_distort</c>: the camera is 11 numbers in ADBench's layout, [r (3, Rodrigues rotation), C (3, centre),
/// f, x0 (2, principal point), k (2, radial distortion)], the point X is 3, the observation's weight w is 1.
/// Gradient layout: cam (11), X (3), w: 15 slots.
/// cost = ‖w·(proj(cam, X) − feat)‖², proj = f·L(u, v)·(u, v) + x0 with (u, v) the perspective division of
/// R(r)·(X − C) and L = 1 + k1·ρ + k2·ρ², ρ = u² + v². As in ADBench, the rotation is exact for θ = ‖r‖ ≠ 0 and
/// first-order (X + r × X) at θ = 0 exactly.
/// </summary>
public static partial class BundleAdjustment
{
    /// <summary>Camera parameters.</summary>
    public const int CameraParameters = 11;

    /// <summary>Length of the gradient: camera, point, weight.</summary>
    public const int ParameterCount = CameraParameters + 3 + 1;

    /// <summary>The squared weighted reprojection error of one observation (feature (featX, featY)).</summary>
    [Differentiable]
    public static double Cost([Wrt] ReadOnlySpan<double> cam, [Wrt] ReadOnlySpan<double> X, [Wrt] double w, double featX, double featY)
    {
        // The point in camera-centred coordinates, Xo = X − C.
        double x0 = X[0] - cam[3];
        double x1 = X[1] - cam[4];
        double x2 = X[2] - cam[5];

        // rodrigues_rotate_point(r, Xo).
        double r0 = cam[0];
        double r1 = cam[1];
        double r2 = cam[2];
        double theta2 = r0 * r0 + r1 * r1 + r2 * r2;
        double p0, p1, p2;
        if (theta2 != 0)
        {
            double theta = Math.Sqrt(theta2);
            double cosTheta = Math.Cos(theta);
            double sinTheta = Math.Sin(theta);
            double thetaInverse = 1.0 / theta;
            double w0 = r0 * thetaInverse;
            double w1 = r1 * thetaInverse;
            double w2 = r2 * thetaInverse;
            double tmp = (w0 * x0 + w1 * x1 + w2 * x2) * (1.0 - cosTheta);
            p0 = x0 * cosTheta + (w1 * x2 - w2 * x1) * sinTheta + w0 * tmp;
            p1 = x1 * cosTheta + (w2 * x0 - w0 * x2) * sinTheta + w1 * tmp;
            p2 = x2 * cosTheta + (w0 * x1 - w1 * x0) * sinTheta + w2 * tmp;
        }
        else
        {
            p0 = x0 + (r1 * x2 - r2 * x1);
            p1 = x1 + (r2 * x0 - r0 * x2);
            p2 = x2 + (r0 * x1 - r1 * x0);
        }

        // Perspective division, radial_distort, focal length and principal point.
        double u = p0 / p2;
        double v = p1 / p2;
        double rsq = u * u + v * v;
        double l = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq;
        double projX = u * l * cam[6] + cam[7];
        double projY = v * l * cam[6] + cam[8];

        // computeReprojError, squared.
        double e0 = w * (projX - featX);
        double e1 = w * (projY - featY);
        return e0 * e0 + e1 * e1;
    }
}
