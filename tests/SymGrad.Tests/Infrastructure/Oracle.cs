using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>A numerical estimate with the Richardson tableau's own error estimate.</summary>
public readonly record struct Estimate(double Value, double ErrorEstimate);

/// <summary>
/// Numerical derivatives that share no code with the generator: central differences extrapolated by Richardson
/// (steps h, h/2, h/4, … with h = baseStep·max(1, |x|)), so the truncation error drops from O(h²) to O(h^(2·levels)).
/// With the defaults, first derivatives of smooth functions come out to ~1e-12 relative, second derivatives to
/// ~1e-10. Like every finite difference it loses relative accuracy where |f′| ≪ |f|/scale (e.g. σ′(20) ≈ 2e-9 next to σ ≈ 1):
/// compare such points with an absolute tolerance, or pass a step.
/// </summary>
public static class Oracle
{
    /// <summary>Default number of step sizes (h, h/2, h/4) in the Richardson tableau of first derivatives: O(h⁶).</summary>
    public const int DefaultLevels = 3;

    /// <summary>Default number of step sizes (h … h/8) of second derivatives: O(h⁸).</summary>
    public const int DefaultSecondLevels = 4;

    /// <summary>
    /// Default base step of first derivatives, scaled by max(1, |x|). Measured: sin′, exp′, σ′ to ≤ 1e-12 relative for
    /// |x| ≤ 3.5 and ≤ 1e-12 up to |x| = 20 (where |f′| is not tiny compared with |f|).
    /// </summary>
    public const double DefaultFirstStep = 1.0 / 256;

    /// <summary>Default base step of second derivatives, scaled by max(1, |x|). Measured: sin″ to ~2e-11 relative.</summary>
    public const double DefaultSecondStep = 1.0 / 32;

    /// <summary>f′(x).</summary>
    public static double Derivative(Func<double, double> f, double x, double baseStep = DefaultFirstStep, int levels = DefaultLevels) =>
        DerivativeWithError(f, x, baseStep, levels).Value;

    /// <summary>f′(x) with an error estimate.</summary>
    public static Estimate DerivativeWithError(Func<double, double> f, double x, double baseStep = DefaultFirstStep, int levels = DefaultLevels)
    {
        double h0 = baseStep * Math.Max(1.0, Math.Abs(x));
        return Richardson(levels, k =>
        {
            double h = ExactStep(x, h0 / (1 << k));
            return (f(x + h) - f(x - h)) / (2 * h);
        });
    }

    /// <summary>∂f/∂x_i at <paramref name="x"/> (x is not modified).</summary>
    public static double Partial(Func<double[], double> f, double[] x, int i, double baseStep = DefaultFirstStep, int levels = DefaultLevels) =>
        PartialWithError(f, x, i, baseStep, levels).Value;

    /// <summary>∂f/∂x_i with an error estimate.</summary>
    public static Estimate PartialWithError(Func<double[], double> f, double[] x, int i, double baseStep = DefaultFirstStep, int levels = DefaultLevels)
    {
        var p = (double[])x.Clone();
        return DerivativeWithError(
            t =>
            {
                p[i] = t;
                return f(p);
            },
            x[i],
            baseStep,
            levels);
    }

    /// <summary>The gradient of f at x; only the components in <paramref name="indices"/> if given (in that order).</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, IReadOnlyList<int>? indices = null, double baseStep = DefaultFirstStep, int levels = DefaultLevels)
    {
        int n = indices?.Count ?? x.Length;
        var g = new double[n];
        for (int k = 0; k < n; k++)
        {
            g[k] = Partial(f, x, indices?[k] ?? k, baseStep, levels);
        }

        return g;
    }

    /// <summary>f″(x).</summary>
    public static double SecondDerivative(Func<double, double> f, double x, double baseStep = DefaultSecondStep, int levels = DefaultSecondLevels)
    {
        double h0 = baseStep * Math.Max(1.0, Math.Abs(x));
        double fx = f(x);
        return Richardson(levels, k =>
        {
            double h = ExactStep(x, h0 / (1 << k));
            return (f(x + h) - 2 * fx + f(x - h)) / (h * h);
        }).Value;
    }

    /// <summary>∂²f/∂x_i∂x_j (i may equal j).</summary>
    public static double SecondPartial(Func<double[], double> f, double[] x, int i, int j, double baseStep = DefaultSecondStep, int levels = DefaultSecondLevels) =>
        SecondPartialWithError(f, x, i, j, baseStep, levels).Value;

    /// <summary>∂²f/∂x_i∂x_j with an error estimate.</summary>
    public static Estimate SecondPartialWithError(Func<double[], double> f, double[] x, int i, int j, double baseStep = DefaultSecondStep, int levels = DefaultSecondLevels)
    {
        var p = (double[])x.Clone();
        if (i == j)
        {
            double hi0 = baseStep * Math.Max(1.0, Math.Abs(x[i]));
            double fx = f(p);
            return Richardson(levels, k =>
            {
                double h = ExactStep(x[i], hi0 / (1 << k));
                p[i] = x[i] + h;
                double fp = f(p);
                p[i] = x[i] - h;
                double fm = f(p);
                p[i] = x[i];
                return (fp - 2 * fx + fm) / (h * h);
            });
        }

        double ha0 = baseStep * Math.Max(1.0, Math.Abs(x[i]));
        double hb0 = baseStep * Math.Max(1.0, Math.Abs(x[j]));
        return Richardson(levels, k =>
        {
            double ha = ExactStep(x[i], ha0 / (1 << k));
            double hb = ExactStep(x[j], hb0 / (1 << k));
            double F(double si, double sj)
            {
                p[i] = x[i] + si;
                p[j] = x[j] + sj;
                double v = f(p);
                p[i] = x[i];
                p[j] = x[j];
                return v;
            }

            return (F(ha, hb) - F(ha, -hb) - F(-ha, hb) + F(-ha, -hb)) / (4 * ha * hb);
        });
    }

    /// <summary>
    /// The Hessian of f at x over <paramref name="indices"/> (default: all), row-major n×n like the generated
    /// <c>MHessian</c>; symmetric by construction (the upper triangle is mirrored).
    /// </summary>
    public static double[] Hessian(Func<double[], double> f, double[] x, IReadOnlyList<int>? indices = null, double baseStep = DefaultSecondStep, int levels = DefaultSecondLevels)
    {
        int n = indices?.Count ?? x.Length;
        var h = new double[n * n];
        for (int a = 0; a < n; a++)
        {
            for (int b = a; b < n; b++)
            {
                double v = SecondPartial(f, x, indices?[a] ?? a, indices?[b] ?? b, baseStep, levels);
                h[(a * n) + b] = v;
                h[(b * n) + a] = v;
            }
        }

        return h;
    }

    /// <summary>
    /// True when |actual − expected| ≤ max(absTol, relTol·max(|expected|, |actual|)); NaN equals only NaN, an
    /// infinity only the same infinity.
    /// </summary>
    public static bool IsClose(double expected, double actual, double relTol, double absTol)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }

        double diff = Math.Abs(actual - expected);
        return diff <= Math.Max(absTol, relTol * Math.Max(Math.Abs(expected), Math.Abs(actual)));
    }

    /// <summary>Fails unless <paramref name="actual"/> is close to <paramref name="expected"/> (see <see cref="IsClose"/>).</summary>
    public static void AssertClose(double expected, double actual, double relTol, double absTol, string name = "value", string? context = null) =>
        AssertClose(new[] { expected }, new[] { actual }, relTol, absTol, new[] { name }, context);

    /// <summary>
    /// Fails unless every component is close; the message lists each failing component by name (or index) with
    /// expected, actual, absolute and relative difference, plus <paramref name="context"/> (e.g. the point).
    /// </summary>
    public static void AssertClose(
        IReadOnlyList<double> expected,
        IReadOnlyList<double> actual,
        double relTol,
        double absTol,
        IReadOnlyList<string>? names = null,
        string? context = null)
    {
        var report = Compare(expected, actual, relTol, absTol, names);
        if (report is not null)
        {
            throw new XunitException((context is null ? string.Empty : context + "\n") + report);
        }
    }

    /// <summary>The failure report of <see cref="AssertClose(IReadOnlyList{double}, IReadOnlyList{double}, double, double, IReadOnlyList{string}?, string?)"/>, or null when all components are close.</summary>
    public static string? Compare(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relTol, double absTol, IReadOnlyList<string>? names = null)
    {
        var inv = CultureInfo.InvariantCulture;
        if (expected.Count != actual.Count)
        {
            return string.Format(inv, "Length mismatch: expected {0} components, got {1}.", expected.Count, actual.Count);
        }

        var sb = new StringBuilder();
        int failures = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            if (IsClose(expected[i], actual[i], relTol, absTol))
            {
                continue;
            }

            failures++;
            double abs = Math.Abs(actual[i] - expected[i]);
            double scale = Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i]));
            double rel = scale == 0 ? double.NaN : abs / scale;
            string label = names is not null && i < names.Count ? names[i] : "[" + i.ToString(inv) + "]";
            sb.AppendFormat(inv, "  {0}: expected {1:R}, actual {2:R}, |diff| {3:E3}, rel {4:E3}\n", label, expected[i], actual[i], abs, rel);
        }

        if (failures == 0)
        {
            return null;
        }

        return string.Format(inv, "{0} of {1} component(s) differ beyond tolerance (rel {2:E1}, abs {3:E1}):\n", failures, expected.Count, relTol, absTol) + sb;
    }

    private static double ExactStep(double x, double h)
    {
        // Make x ± h exactly representable so the step the formula divides by is the step taken.
        double t = x + h;
        return t - x;
    }

    private static Estimate Richardson(int levels, Func<int, double> estimateAtLevel)
    {
        if (levels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(levels), "At least one level is needed.");
        }

        // T[k][m]: step h/2^k, error O(h^(2m+2)) after m eliminations of the even-power error terms.
        var previous = new double[levels];
        var current = new double[levels];
        double error = double.PositiveInfinity;
        for (int k = 0; k < levels; k++)
        {
            current[0] = estimateAtLevel(k);
            double factor = 1;
            for (int m = 1; m <= k; m++)
            {
                factor *= 4;
                current[m] = current[m - 1] + ((current[m - 1] - previous[m - 1]) / (factor - 1));
            }

            if (k > 0)
            {
                error = Math.Abs(current[k] - current[k - 1]);
            }

            (previous, current) = (current, previous);
        }

        return new Estimate(previous[levels - 1], error);
    }
}
