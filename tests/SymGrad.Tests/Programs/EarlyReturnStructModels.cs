using System;
using SymGrad;

namespace SymGrad.Tests.Programs;

/// <summary>Struct-returning helpers with several returns, as geometry code writes them: a guarded normalise, Rodrigues' rotation.</summary>
public static partial class EarlyReturnStructModels
{
    /// <summary>v/|v|, or v itself when it is (almost) zero: a guard return before the main one.</summary>
    public static Vec3 Normalize(Vec3 v)
    {
        double n = v.Norm;
        if (n < 1e-12)
        {
            return v;
        }

        return (1.0 / n) * v;
    }

    /// <summary>Ceres' AngleAxisRotatePoint: Rodrigues' formula, or its first-order form near θ = 0 (if/else, a return in each).</summary>
    public static Vec3 Rotate(Vec3 w, Vec3 p)
    {
        double theta2 = w * w;
        if (theta2 > 1e-15)
        {
            double theta = Math.Sqrt(theta2);
            double c = Math.Cos(theta), s = Math.Sin(theta);
            Vec3 k = (1.0 / theta) * w;
            return (c * p) + (s * k.Cross(p)) + (((1 - c) * (k * p)) * k);
        }
        else
        {
            return p + w.Cross(p);
        }
    }

    /// <summary>Scalar mode: the unit vector's weighted sum, through the guarded helper.</summary>
    [Differentiable(Hessian = true)]
    public static double Direction(double x, double y, double z)
    {
        Vec3 u = Normalize(new Vec3(x, y, z));
        return u.X + (2 * u.Y) + (3 * u.Z);
    }

    /// <summary>Program mode: rotated points against targets, over data arrays.</summary>
    [Differentiable]
    public static double Reprojection([Wrt] double[] w, double[] points, double[] targets)
    {
        var axis = new Vec3(w[0], w[1], w[2]);
        double e = 0;
        for (int i = 0; i + 2 < points.Length; i += 3)
        {
            Vec3 q = Rotate(axis, new Vec3(points[i], points[i + 1], points[i + 2]));
            Vec3 d = q - new Vec3(targets[i], targets[i + 1], targets[i + 2]);
            e += d * d;
        }

        return e;
    }
}
