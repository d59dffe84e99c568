using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SymGrad.Tests.Infrastructure;
using Xunit.Sdk;

namespace SymGrad.Tests.Seeds;

/// <summary>
/// Seed 002 (shared/seeds/002_63c8e52553bf9b00.txt): a 1-input, 1-hidden-node, 1-output sigmoid network
/// f(x) = σ(w3·σ(w2·x + b2) + b3) with quadratic cost C = (y − f(x))², and the seed's hand-derived gradient:
/// <code>
/// ∂C/∂w3 = −2(y − f(x))σ′(z3)a2
/// ∂C/∂b3 = −2(y − f(x))σ′(z3)
/// ∂C/∂w2 = −2(y − f(x))σ′(z3)w3σ′(z2)x
/// ∂C/∂b2 = −2(y − f(x))σ′(z3)w3σ′(z2)
/// </code>
/// The closed forms here are computed by the test itself (only SymMath.Sigmoid, the function the user's code calls,
/// is shared), never by generated code.
/// </summary>
public static class TinyNetSeed
{
    /// <summary>The seed network as a user would write it.</summary>
    public const string Source = """
        using SymGrad;

        public static partial class TinyNet
        {
            [Differentiable]
            public static double Predict(double x, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
                => SymMath.Sigmoid(w3 * SymMath.Sigmoid(w2 * x + b2) + b3);

            [Differentiable]
            public static double Loss(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
            {
                var a = Predict(x, w2, b2, w3, b3);
                return (y - a) * (y - a);
            }
        }
        """;

    /// <summary>The differentiated parameters of both methods, in declaration order.</summary>
    public static readonly IReadOnlyList<string> Trainable = new[] { "w2", "b2", "w3", "b3" };

    /// <summary>Seed of the random points (fixed so a failure reproduces).</summary>
    public const int RandomSeed = 20_0263;

    /// <summary>σ(z).</summary>
    public static double Sigma(double z) => SymMath.Sigmoid(z);

    /// <summary>σ′(z) = σ(z)(1 − σ(z)) = σ(z)σ(−z); the second form keeps full relative precision for large |z|.</summary>
    public static double SigmaPrime(double z) => Sigma(z) * Sigma(-z);

    /// <summary>f(x) and [∂f/∂w2, ∂f/∂b2, ∂f/∂w3, ∂f/∂b3] by the chain rule of the seed.</summary>
    public static (double Value, double[] Gradient) PredictClosedForm(double x, double w2, double b2, double w3, double b3)
    {
        double z2 = (w2 * x) + b2;
        double a2 = Sigma(z2);
        double z3 = (w3 * a2) + b3;
        double f = Sigma(z3);
        double s3 = SigmaPrime(z3);
        double s2 = SigmaPrime(z2);
        return (f, new[] { s3 * w3 * s2 * x, s3 * w3 * s2, s3 * a2, s3 });
    }

    /// <summary>C and [∂C/∂w2, ∂C/∂b2, ∂C/∂w3, ∂C/∂b3], exactly the seed's formulas.</summary>
    public static (double Value, double[] Gradient) LossClosedForm(double x, double y, double w2, double b2, double w3, double b3)
    {
        double z2 = (w2 * x) + b2;
        double a2 = Sigma(z2);
        double z3 = (w3 * a2) + b3;
        double f = Sigma(z3);
        double r = y - f;
        double dw3 = -2 * r * SigmaPrime(z3) * a2;
        double db3 = -2 * r * SigmaPrime(z3);
        double dw2 = -2 * r * SigmaPrime(z3) * w3 * SigmaPrime(z2) * x;
        double db2 = -2 * r * SigmaPrime(z3) * w3 * SigmaPrime(z2);
        return (r * r, new[] { dw2, db2, dw3, db3 });
    }

    /// <summary>
    /// Random Loss arguments [x, y, w2, b2, w3, b3]: x ∈ [−4, 4], y ∈ [0, 1], weights and biases ∈ [−3, 3].
    /// </summary>
    public static IEnumerable<double[]> RandomLossPoints(int count, int seed = RandomSeed)
    {
        var rng = new Random(seed);
        double U(double lo, double hi) => lo + ((hi - lo) * rng.NextDouble());
        for (int i = 0; i < count; i++)
        {
            yield return new[] { U(-4, 4), U(0, 1), U(-3, 3), U(-3, 3), U(-3, 3), U(-3, 3) };
        }
    }

    /// <summary>
    /// Checks <c>TinyNet.LossGradient(x, y, w2, b2, w3, b3, Span&lt;double&gt;)</c> against <see cref="LossClosedForm"/>
    /// at <paramref name="count"/> random points; value and each partial to <paramref name="relTol"/> relative.
    /// Reports up to five failing points.
    /// </summary>
    public static void AssertLossGradientMatchesSeed(Compiled compiled, int count = 1000, double relTol = 1e-12, double absTol = 1e-300)
    {
        var names = new[] { "C" }.Concat(Trainable.Select(n => "dC/d" + n)).ToArray();
        var failures = new List<string>();
        int failed = 0;
        foreach (var p in RandomLossPoints(count))
        {
            var (value, gradient) = compiled.Gradient("TinyNet", "Loss", p);
            var (expectedValue, expectedGradient) = LossClosedForm(p[0], p[1], p[2], p[3], p[4], p[5]);
            var report = Oracle.Compare(
                new[] { expectedValue }.Concat(expectedGradient).ToArray(),
                new[] { value }.Concat(gradient).ToArray(),
                relTol,
                absTol,
                names);
            if (report is not null && failed++ < 5)
            {
                failures.Add("at " + FormatPoint(p) + ":\n" + report);
            }
        }

        if (failed > 0)
        {
            throw new XunitException(
                $"TinyNet.LossGradient differs from the seed's closed forms at {failed} of {count} points (showing up to 5):\n" +
                string.Join("\n", failures));
        }
    }

    /// <summary>The same check for <c>TinyNet.PredictGradient</c> against <see cref="PredictClosedForm"/>.</summary>
    public static void AssertPredictGradientMatchesSeed(Compiled compiled, int count = 1000, double relTol = 1e-12, double absTol = 1e-300)
    {
        var names = new[] { "f" }.Concat(Trainable.Select(n => "df/d" + n)).ToArray();
        var failures = new List<string>();
        int failed = 0;
        foreach (var p in RandomLossPoints(count))
        {
            var args = new[] { p[0], p[2], p[3], p[4], p[5] };
            var (value, gradient) = compiled.Gradient("TinyNet", "Predict", args);
            var (expectedValue, expectedGradient) = PredictClosedForm(args[0], args[1], args[2], args[3], args[4]);
            var report = Oracle.Compare(
                new[] { expectedValue }.Concat(expectedGradient).ToArray(),
                new[] { value }.Concat(gradient).ToArray(),
                relTol,
                absTol,
                names);
            if (report is not null && failed++ < 5)
            {
                failures.Add("at " + FormatPoint(args) + ":\n" + report);
            }
        }

        if (failed > 0)
        {
            throw new XunitException(
                $"TinyNet.PredictGradient differs from the closed forms at {failed} of {count} points (showing up to 5):\n" +
                string.Join("\n", failures));
        }
    }

    /// <summary><c>(x=…, y=…)</c> with round-trip doubles so a failing point can be pasted into a test.</summary>
    public static string FormatPoint(IReadOnlyList<double> p)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < p.Count; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(p[i].ToString("R", CultureInfo.InvariantCulture));
        }

        return sb.Append(')').ToString();
    }
}
