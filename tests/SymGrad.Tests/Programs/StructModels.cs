using System;
using SymGrad;

namespace SymGrad.Tests.Programs;

/// <summary>A small vector type as users write one: a positional record struct with operators, methods and a computed property.</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);

    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);

    /// <summary>The dot product as an operator returning a double.</summary>
    public static double operator *(Vec3 a, Vec3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    public double Dot(Vec3 o) => X * o.X + Y * o.Y + Z * o.Z;

    public Vec3 Cross(Vec3 o) => new(Y * o.Z - Z * o.Y, Z * o.X - X * o.Z, X * o.Y - Y * o.X);

    public double Norm => Math.Sqrt(Dot(this));
}

/// <summary>A mutable struct with a constructor that assigns its fields.</summary>
public struct Complex2
{
    public double Re;
    public double Im;

    public Complex2(double re, double im)
    {
        Re = re;
        this.Im = im;
    }

    public static Complex2 operator *(Complex2 a, Complex2 b) => new Complex2(a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);

    public readonly double Abs2() => Re * Re + Im * Im;
}

/// <summary>A mutable struct with methods that assign its own fields (inlined, with this a variable of their own).</summary>
public struct Accumulator
{
    public double Sum;
    public double Squares;

    public void Add(double x)
    {
        Sum += x;
        this.Squares += x * x;
    }

    public void Damp(double limit)
    {
        if (Sum > limit)
        {
            Sum = limit + Math.Log(1 + Sum - limit);
        }

        for (int i = 0; i < 2; i++)
        {
            Squares *= 0.75;
        }
    }

    public readonly double Variance(int n) => (Squares / n) - ((Sum / n) * (Sum / n));
}

/// <summary>Models written with the structs above: differentiated as if written with doubles (scalar replacement).</summary>
public static partial class StructModels
{
    /// <summary>Operators, a method returning a struct, with, a computed property (program mode: an array parameter).</summary>
    [Differentiable(Hessian = true)]
    public static double Geometry(double[] p)
    {
        var v = new Vec3(p[0], p[1], p[2]);
        var w = v + 2.0 * v;
        Vec3 c = v.Cross(new Vec3(1, 0, 0.5));
        c = c with { Z = c.Z + 1 };
        return Math.Sqrt(w.Dot(w)) + c.Norm + (v * w) * 0.1 - (-v).X;
    }

    /// <summary>A struct with a constructor body, an object initializer and a field updated in place (scalar mode).</summary>
    [Differentiable(Hessian = true)]
    public static double Phasor(double a, double b)
    {
        var z = new Complex2(Math.Cos(a), Math.Sin(a));
        var u = new Complex2 { Re = b, Im = 1 };
        Complex2 prod = z * u;
        prod.Re += 1;
        prod.Im *= b;
        return prod.Abs2();
    }

    /// <summary>A struct accumulated in a run-time loop, reassigned in a branch.</summary>
    [Differentiable]
    public static double Accumulate([Wrt] double[] w, double[] xs)
    {
        Vec3 acc = default;
        for (int i = 0; i < xs.Length; i++)
        {
            var d = new Vec3(w[0] * xs[i], w[1], Math.Sin(xs[i] * w[0]));
            acc = acc + d;
            if (acc.X > 2)
            {
                acc = 0.5 * acc;
            }
        }

        return acc.Norm;
    }

    /// <summary>
    /// Bundle adjustment's Rodrigues rotation written with a vector type and static helpers (block bodies ending in
    /// their return): the projection error of one observation.
    /// </summary>
    [Differentiable]
    public static double Reprojection([Wrt] ReadOnlySpan<double> camera, double px, double py, double pz, double u, double v)
    {
        var rotation = new Vec3(camera[0], camera[1], camera[2]);
        var point = Rotate(rotation, new Vec3(px, py, pz)) + new Vec3(camera[3], camera[4], camera[5]);
        double focal = camera[6];
        double eu = focal * point.X / point.Z - u;
        double ev = focal * point.Y / point.Z - v;
        return eu * eu + ev * ev;
    }

    /// <summary>Data given as an array of structs: read by index (points[i], points[i].X), by foreach, and as a span.</summary>
    [Differentiable(Hessian = true)]
    public static double Spread([Wrt] double[] center, Vec3[] points, ReadOnlySpan<Vec3> weights)
    {
        var c = new Vec3(center[0], center[1], center[2]);
        double s = 0;
        for (int i = 0; i < points.Length; i++)
        {
            Vec3 d = points[i] - c;
            s += weights[i].X * (d * d) + Math.Log(1 + d.Norm) * points[i].Z;
        }

        foreach (Vec3 p in points)
        {
            s += 0.1 * (p - c).X * p.Y;
        }

        return s / points.Length;
    }

    /// <summary>Differentiated points given as an array of structs (3 gradient slots each): springs between consecutive points.</summary>
    [Differentiable(Hessian = true)]
    public static double Chain([Wrt] Vec3[] points, double rest)
    {
        double energy = 0;
        for (int i = 0; i + 1 < points.Length; i++)
        {
            double stretch = (points[i + 1] - points[i]).Norm - rest;
            energy += stretch * stretch;
        }

        return energy + 0.1 * points[0].Dot(points[0]);
    }

    /// <summary>Math.SinCos deconstructed, in scalar mode and in a loop.</summary>
    [Differentiable]
    public static double Turn(double theta, double x, double y)
    {
        var (s, c) = Math.SinCos(theta);
        double u = (c * x) - (s * y);
        (double s2, double c2) = Math.SinCos(2 * theta);
        return (u * u) + (s2 * c2 * y);
    }

    [Differentiable]
    public static double TurnMany([Wrt] double[] angles)
    {
        double px = 1, py = 0;
        foreach (double a in angles)
        {
            var (s, c) = Math.SinCos(a);
            (px, py) = ((c * px) - (s * py), (s * px) + (c * py));
        }

        return px + (2 * py);
    }

    /// <summary>Mutating struct methods called on a local, in scalar mode (Sample) and in a run-time loop (Series).</summary>
    [Differentiable]
    public static double Sample(double a, double b)
    {
        var acc = new Accumulator();
        acc.Add(a);
        acc.Add(b * a);
        acc.Damp(1.5);
        return acc.Variance(2) + acc.Sum;
    }

    [Differentiable]
    public static double Series([Wrt] double[] xs, double limit)
    {
        Accumulator acc = default;
        foreach (double x in xs)
        {
            acc.Add(Math.Sin(x));
            acc.Damp(limit);
        }

        return acc.Variance(xs.Length) + acc.Sum;
    }

    private static Vec3 Rotate(Vec3 r, Vec3 x)
    {
        double theta = r.Norm;
        double c = Math.Cos(theta);
        double s = Math.Sin(theta);
        Vec3 k = (1.0 / theta) * r;
        return c * x + s * k.Cross(x) + ((1 - c) * (k * x)) * k;
    }
}
