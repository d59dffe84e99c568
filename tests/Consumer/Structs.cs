using System;
using System.Globalization;
using SymGrad;

namespace Consumer;

/// <summary>A 2-vector as users write one.</summary>
public readonly record struct Vec2(double X, double Y)
{
    public static Vec2 operator -(Vec2 a, Vec2 b) => new(a.X - b.X, a.Y - b.Y);

    public double Length => Math.Sqrt((X * X) + (Y * Y));
}

/// <summary>A spring between two points, written with the vector type, from the package.</summary>
public static partial class Spring
{
    [Differentiable]
    public static double Energy(double ax, double ay, double bx, double by)
    {
        var d = new Vec2(bx, by) - new Vec2(ax, ay);
        double stretch = d.Length - 1.0;
        return 0.5 * stretch * stretch;
    }
}

public static class Structs
{
    public static int Check()
    {
        // Hand-derived: E = ½(‖b − a‖ − 1)²; ∂E/∂b = (‖d‖ − 1)·d/‖d‖, ∂E/∂a = −∂E/∂b.
        double[] p = { 0.5, -0.25, 2.0, 1.0 };
        double dx = p[2] - p[0], dy = p[3] - p[1];
        double r = Math.Sqrt((dx * dx) + (dy * dy));
        double[] expected = { -(r - 1) * dx / r, -(r - 1) * dy / r, (r - 1) * dx / r, (r - 1) * dy / r };
        Span<double> g = stackalloc double[4];
        Spring.EnergyGradient(p[0], p[1], p[2], p[3], g);
        int failures = 0;
        for (int i = 0; i < 4; i++)
        {
            bool ok = Math.Abs(g[i] - expected[i]) <= 1e-14;
            failures += ok ? 0 : 1;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "struct spring ∂E/∂p{0}: {1:R}, expected {2:R} {3}", i, g[i], expected[i], ok ? "ok" : "MISMATCH"));
        }

        return failures;
    }
}
