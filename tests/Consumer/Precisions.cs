using System;
using System.Globalization;
using System.Numerics;
using SymGrad;

namespace Consumer;

/// <summary>One loss written once in generic math, and its float twin, from the package.</summary>
public static partial class Precision
{
    /// <summary>L = softplus(w·x + b)·w: σ and softplus through SymMath&lt;T&gt;.</summary>
    [Differentiable(Hessian = true)]
    public static T Loss<T>([Wrt] T w, [Wrt] T b, T x)
        where T : IFloatingPointIeee754<T> => SymMath<T>.Softplus(w * x + b) * w;

    [Differentiable]
    public static float LossF([Wrt] float w, [Wrt] float b, float x) => SymMathF.Softplus(w * x + b) * w;
}

public static class Precisions
{
    public static int Check()
    {
        const double w = 0.75, b = -0.5, x = 1.5;
        // Hand-derived: z = w·x + b, L = softplus(z)·w; ∂L/∂w = σ(z)·x·w + softplus(z), ∂L/∂b = σ(z)·w.
        double z = (w * x) + b;
        double softplus = Math.Log(1 + Math.Exp(z));
        double sigma = 1 / (1 + Math.Exp(-z));
        double[] expected = { softplus * w, (sigma * x * w) + softplus, sigma * w };

        int failures = 0;
        Span<double> gd = stackalloc double[2];
        double vd = Precision.LossGradient(w, b, x, gd);
        failures += Report("generic<double>", new[] { vd, gd[0], gd[1] }, expected, 1e-14);

        Span<float> gf = stackalloc float[2];
        float vf = Precision.LossGradient((float)w, (float)b, (float)x, gf);
        failures += Report("generic<float>", new double[] { vf, gf[0], gf[1] }, expected, 1e-6);
        float vf2 = Precision.LossFGradient((float)w, (float)b, (float)x, gf);
        failures += Report("float method", new double[] { vf2, gf[0], gf[1] }, expected, 1e-6);

        Half[] gh = new Half[2];
        Half vh = Precision.LossGradient((Half)w, (Half)b, (Half)x, gh);
        failures += Report("generic<Half>", new[] { (double)vh, (double)gh[0], (double)gh[1] }, expected, 2e-3);

        // ∂²L/∂w∂b = σ′(z)·x·w + σ(z): the Hessian's off-diagonal entry, at double.
        Span<double> h = stackalloc double[4];
        Precision.LossHessian(w, b, x, gd, h);
        double sigmaPrime = sigma * (1 - sigma);
        failures += Report("generic<double> Hessian", new[] { h[1], h[2] }, new[] { (sigmaPrime * x * w) + sigma, (sigmaPrime * x * w) + sigma }, 1e-14);
        return failures;
    }

    private static int Report(string what, double[] actual, double[] expected, double tolerance)
    {
        int failures = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i]));
            failures += ok ? 0 : 1;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}[{1}]: {2:R}, expected {3:R} {4}", what, i, actual[i], expected[i], ok ? "ok" : "MISMATCH"));
        }

        return failures;
    }
}
