using System;
using System.Globalization;
using SymGrad;

namespace Consumer;

/// <summary>A user's model, differentiated by the generator that ships inside the SymGrad package.</summary>
public static partial class Model
{
    /// <summary>L(x; w, b) = σ(w·x + b)²: x is data, w and b are trained.</summary>
    [Differentiable]
    public static double Loss(double x, [Wrt] double w, [Wrt] double b)
    {
        var a = SymMath.Sigmoid(w * x + b);
        return a * a;
    }
}

public static class Program
{
    public static int Main()
    {
        var points = new (double X, double W, double B)[]
        {
            (0.7, -1.3, 0.4),
            (2.0, 0.0, 0.0),
            (-3.5, 1.25, -0.75),
            (4.0, 2.0, -2.0),
        };

        int failures = 0;
        Span<double> gradient = stackalloc double[2];
        foreach (var (x, w, b) in points)
        {
            double value = Model.LossGradient(x, w, b, gradient);

            // Hand-derived: z = w·x + b, a = σ(z), L = a²; ∂L/∂w = 2a·σ′(z)·x, ∂L/∂b = 2a·σ′(z), σ′(z) = σ(z)·σ(−z).
            double z = w * x + b;
            double a = SymMath.Sigmoid(z);
            double sigmaPrime = SymMath.Sigmoid(z) * SymMath.Sigmoid(-z);
            double[] expected = { a * a, 2 * a * sigmaPrime * x, 2 * a * sigmaPrime };
            double[] actual = { value, gradient[0], gradient[1] };
            string[] names = { "L", "dL/dw", "dL/db" };

            for (int i = 0; i < expected.Length; i++)
            {
                double scale = Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i]));
                bool ok = Math.Abs(actual[i] - expected[i]) <= 1e-12 * scale || actual[i] == expected[i];
                if (!ok)
                {
                    failures++;
                }

                Console.WriteLine(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} at (x={1}, w={2}, b={3}): generated {4:R}, expected {5:R} {6}",
                    names[i], x, w, b, actual[i], expected[i], ok ? "ok" : "MISMATCH"));
            }
        }

        failures += Objectives.Check();
        failures += Arrays.Check();
        failures += Batches.Check();
        failures += Fields.Check();
        failures += Precisions.Check();
        failures += Matrices.Check();
        failures += Structs.Check();
        Console.WriteLine(failures == 0 ? "consumer check: OK" : $"consumer check: {failures} MISMATCH(ES)");
        return failures == 0 ? 0 : 1;
    }
}
