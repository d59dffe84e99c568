using System;
using System.Globalization;
using SymGrad;

namespace Consumer;

/// <summary>The batched kernel from the package: MBatchGradient over spans against the hand-derived gradient summed.</summary>
public static class Batches
{
    public static int Check()
    {
        var rng = new Random(3);
        int n = 1_003; // whole vectors and a scalar tail
        double[] xs = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = (rng.NextDouble() * 10) - 5;
        }

        double w = 0.8, b = -0.3;
        double[] sum = new double[2];
        double value = Model.LossBatchGradient(xs, w, b, sum);
        double value2 = Model.LossBatchValue(xs, w, b);

        // Hand-derived, as in Program: L = a², ∂L/∂w = 2a·σ′(z)·x, ∂L/∂b = 2a·σ′(z), summed; scale = Σ|term|.
        double[] expected = new double[3];
        double[] scale = new double[3];
        foreach (double x in xs)
        {
            double z = (w * x) + b;
            double a = SymMath.Sigmoid(z);
            double d = SymMath.Sigmoid(z) * SymMath.Sigmoid(-z);
            double[] terms = { a * a, 2 * a * d * x, 2 * a * d };
            for (int k = 0; k < 3; k++)
            {
                expected[k] += terms[k];
                scale[k] += Math.Abs(terms[k]);
            }
        }

        int failures = 0;
        double[] actual = { value, sum[0], sum[1] };
        string[] names = { "Σ L", "Σ dL/dw", "Σ dL/db" };
        for (int k = 0; k < 3; k++)
        {
            bool ok = Math.Abs(actual[k] - expected[k]) <= 1e-12 * scale[k];
            failures += ok ? 0 : 1;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "batch {0}: {1:R} vs {2:R} {3}", names[k], actual[k], expected[k], ok ? "ok" : "MISMATCH"));
        }

        bool same = Math.Abs(value2 - value) <= 1e-12 * scale[0];
        failures += same ? 0 : 1;
        Console.WriteLine("batch value: " + (same ? "ok" : "MISMATCH"));
        return failures;
    }
}
