using System;
using System.Globalization;
using SymGrad;

namespace Consumer;

/// <summary>A model whose weights are fields, from the package: gradient against the hand-derived one, then a fit.</summary>
public partial class Line
{
    [Param] public double Slope;
    [Param] public double Intercept;

    [Differentiable]
    public double Loss(double x, double y)
    {
        double e = (Slope * x) + Intercept - y;
        return e * e;
    }
}

public static class Fields
{
    public static int Check()
    {
        var line = new Line { Slope = 0.5, Intercept = -1 };
        Span<double> g = stackalloc double[2];
        double value = line.LossGradient(2, 3, g);
        double e = (0.5 * 2) - 1 - 3;
        int failures = 0;
        bool ok = value == e * e && g[0] == 2 * e * 2 && g[1] == 2 * e;
        failures += ok ? 0 : 1;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "fields: value {0:R}, ∂/∂Slope {1:R}, ∂/∂Intercept {2:R} {3}", value, g[0], g[1], ok ? "ok" : "MISMATCH"));

        var data = new[] { new Line.LossSample(0, -1), new Line.LossSample(1, 1), new Line.LossSample(2, 3) };
        double[] p = new double[line.LossParameterCount];
        line.LossGetParameters(p);
        Lbfgs.Minimize(line.CreateLossObjective(), data, p);
        line.LossSetParameters(p);
        bool fitted = Math.Abs(line.Slope - 2) < 1e-6 && Math.Abs(line.Intercept + 1) < 1e-6;
        failures += fitted ? 0 : 1;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "fields: fitted y = {0:F6}x + {1:F6} {2}", line.Slope, line.Intercept, fitted ? "ok" : "MISMATCH"));
        return failures;
    }
}
