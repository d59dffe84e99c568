using System;

namespace SymGrad.Generator.Functions;

/// <summary>
/// Folding formulas for the Math functions netstandard2.0 lacks (the generated code calls .NET's Math.Cbrt, Math.Asinh,
/// …). They keep full precision where the textbook formulas lose it (log(x + √(x² + 1)) is 8e-8 off at 1e-10 and
/// overflows at 1e200). The SymMath functions fold with the runtime's own code (SymMath.cs, linked in).
/// </summary>
internal static class Folding
{
    private static readonly double Ln2 = Math.Log(2.0);

    public static double Sign(double x) => x > 0 ? 1 : x < 0 ? -1 : 0;

    public static double Asinh(double x)
    {
        double a = Math.Abs(x);
        double r = a > 1e8 ? Math.Log(a) + Ln2 : Log1p(a + (a * a / (1 + Math.Sqrt(1 + (a * a)))));
        return x < 0 ? -r : x == 0 ? x : r;
    }

    public static double Acosh(double x) =>
        x < 1 ? double.NaN : x > 1e8 ? Math.Log(x) + Ln2 : Log1p((x - 1) + Math.Sqrt((x - 1) * (x + 1)));

    public static double Atanh(double x)
    {
        double a = Math.Abs(x);
        double r = a > 1 ? double.NaN : 0.5 * Log1p(2 * a / (1 - a));
        return x < 0 ? -r : x == 0 ? x : r;
    }

    public static double Cbrt(double x)
    {
        double a = Math.Abs(x);
        double r = Math.Pow(a, 1.0 / 3.0);
        if (r > 0 && !double.IsInfinity(r))
        {
            r -= ((r * r * r) - a) / (3 * r * r); // one Newton step: Pow(a, 1/3) is off by up to ~1e-14
        }

        return x < 0 ? -r : x == 0 ? x : r;
    }

    private static double Log1p(double x) => SymMath.Log1p(x);
}
