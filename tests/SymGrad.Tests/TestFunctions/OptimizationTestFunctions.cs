using System.Linq;
using System;
using System.Collections.Generic;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.TestFunctions;

/// <summary>
/// Standard optimisation test functions (the ones other AD tools and optimisers test on), written the way a
/// user would write them, compiled by the generator as part of this test assembly.
/// </summary>
public static partial class Functions
{
    [Differentiable(Hessian = true)]
    public static double Rosenbrock(double x, double y) => 100 * Math.Pow(y - x * x, 2) + Math.Pow(1 - x, 2);

    [Differentiable]
    public static double Rosenbrock4(double x1, double x2, double x3, double x4)
    {
        double s = 0;
        s += 100 * (x2 - x1 * x1) * (x2 - x1 * x1) + (1 - x1) * (1 - x1);
        s += 100 * (x3 - x2 * x2) * (x3 - x2 * x2) + (1 - x2) * (1 - x2);
        s += 100 * (x4 - x3 * x3) * (x4 - x3 * x3) + (1 - x3) * (1 - x3);
        return s;
    }

    [Differentiable(Hessian = true)]
    public static double Himmelblau(double x, double y) => Math.Pow(x * x + y - 11, 2) + Math.Pow(x + y * y - 7, 2);

    [Differentiable]
    public static double Beale(double x, double y)
        => Math.Pow(1.5 - x + x * y, 2) + Math.Pow(2.25 - x + x * y * y, 2) + Math.Pow(2.625 - x + x * y * y * y, 2);

    [Differentiable]
    public static double Booth(double x, double y) => Math.Pow(x + 2 * y - 7, 2) + Math.Pow(2 * x + y - 5, 2);

    [Differentiable]
    public static double Matyas(double x, double y) => 0.26 * (x * x + y * y) - 0.48 * x * y;

    [Differentiable]
    public static double GoldsteinPrice(double x, double y)
    {
        double a = 1 + Math.Pow(x + y + 1, 2) * (19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y);
        double b = 30 + Math.Pow(2 * x - 3 * y, 2) * (18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y);
        return a * b;
    }

    [Differentiable]
    public static double Ackley(double x, double y)
        => -20.0 * Math.Exp(-0.2 * Math.Sqrt(0.5 * (x * x + y * y)))
           - Math.Exp(0.5 * (Math.Cos(2 * Math.PI * x) + Math.Cos(2 * Math.PI * y))) + Math.E + 20;

    [Differentiable]
    public static double Rastrigin(double x, double y)
    {
        const double A = 10;
        double sum = 2 * A;
        sum += x * x - A * Math.Cos(2 * Math.PI * x);
        sum += y * y - A * Math.Cos(2 * Math.PI * y);
        return sum;
    }

    [Differentiable]
    public static double StyblinskiTang(double x, double y)
        => 0.5 * (Math.Pow(x, 4) - 16 * x * x + 5 * x + Math.Pow(y, 4) - 16 * y * y + 5 * y);

    [Differentiable]
    public static double McCormick(double x, double y) => Math.Sin(x + y) + Math.Pow(x - y, 2) - 1.5 * x + 2.5 * y + 1;

    [Differentiable]
    public static double ThreeHumpCamel(double x, double y) => 2 * x * x - 1.05 * Math.Pow(x, 4) + Math.Pow(x, 6) / 6 + x * y + y * y;

    [Differentiable]
    public static double Easom(double x, double y)
        => -Math.Cos(x) * Math.Cos(y) * Math.Exp(-(Math.Pow(x - Math.PI, 2) + Math.Pow(y - Math.PI, 2)));

    [Differentiable]
    public static double Levi13(double x, double y)
        => Math.Pow(Math.Sin(3 * Math.PI * x), 2) + Math.Pow(x - 1, 2) * (1 + Math.Pow(Math.Sin(3 * Math.PI * y), 2))
           + Math.Pow(y - 1, 2) * (1 + Math.Pow(Math.Sin(2 * Math.PI * y), 2));

    [Differentiable]
    public static double Bukin6(double x, double y) => 100 * Math.Sqrt(Math.Abs(y - 0.01 * x * x)) + 0.01 * Math.Abs(x + 10);

    [Differentiable]
    public static double Eggholder(double x, double y)
        => -(y + 47) * Math.Sin(Math.Sqrt(Math.Abs(x / 2 + (y + 47)))) - x * Math.Sin(Math.Sqrt(Math.Abs(x - (y + 47))));

    [Differentiable]
    public static double SchafferN2(double x, double y)
    {
        double num = Math.Pow(Math.Sin(x * x - y * y), 2) - 0.5;
        double den = Math.Pow(1 + 0.001 * (x * x + y * y), 2);
        return 0.5 + num / den;
    }

    [Differentiable]
    public static double Sphere(double a, double b, double c) => a * a + b * b + c * c;

    [Differentiable]
    public static double Trid(double x1, double x2, double x3)
    {
        double s1 = (x1 - 1) * (x1 - 1) + (x2 - 1) * (x2 - 1) + (x3 - 1) * (x3 - 1);
        double s2 = x2 * x1 + x3 * x2;
        return s1 - s2;
    }

    // Loop with a compile-time trip count (unrolled), as in Clad's test functions.
    [Differentiable]
    public static double Powers(double x)
    {
        double result = 1;
        for (int i = 0; i < 5; i++)
        {
            result *= x;
        }

        return result;
    }

    // Piecewise (Clad-style branches): Huber loss on a residual.
    [Differentiable]
    public static double Huber(double prediction, double target, double delta = 1.0)
    {
        double r = prediction - target;
        if (Math.Abs(r) <= delta)
        {
            return 0.5 * r * r;
        }

        return delta * (Math.Abs(r) - 0.5 * delta);
    }

    // Gaussian log-likelihood of one observation (mean and log standard deviation).
    [Differentiable]
    public static double GaussianNll(double x, [Wrt] double mu, [Wrt] double logSigma)
    {
        double sigma = Math.Exp(logSigma);
        double z = (x - mu) / sigma;
        return 0.5 * z * z + logSigma + 0.5 * Math.Log(2 * Math.PI);
    }

    // Logistic-regression binary cross-entropy with a hand-written sigmoid.
    [Differentiable]
    public static double LogisticBce(double x1, double x2, double y, [Wrt] double w1, [Wrt] double w2, [Wrt] double b)
    {
        double z = w1 * x1 + w2 * x2 + b;
        double p = 1.0 / (1.0 + Math.Exp(-z));
        return -(y * Math.Log(p) + (1 - y) * Math.Log(1 - p));
    }
}

public class OptimizationTestFunctionTests
{
    public static IEnumerable<object[]> Cases() => new[]
    {
        Case(nameof(Functions.Rosenbrock), Functions.Rosenbrock, a => Functions.RosenbrockGradient(a[0], a[1], a.AsSpan(2)), 2, -2, 2),
        Case(nameof(Functions.Rosenbrock4), a => Functions.Rosenbrock4(a[0], a[1], a[2], a[3]), a => Functions.Rosenbrock4Gradient(a[0], a[1], a[2], a[3], a.AsSpan(4)), 4, -2, 2),
        Case(nameof(Functions.Himmelblau), Functions.Himmelblau, a => Functions.HimmelblauGradient(a[0], a[1], a.AsSpan(2)), 2, -5, 5),
        Case(nameof(Functions.Beale), Functions.Beale, a => Functions.BealeGradient(a[0], a[1], a.AsSpan(2)), 2, -4.5, 4.5),
        Case(nameof(Functions.Booth), Functions.Booth, a => Functions.BoothGradient(a[0], a[1], a.AsSpan(2)), 2, -10, 10),
        Case(nameof(Functions.Matyas), Functions.Matyas, a => Functions.MatyasGradient(a[0], a[1], a.AsSpan(2)), 2, -10, 10),
        Case(nameof(Functions.GoldsteinPrice), Functions.GoldsteinPrice, a => Functions.GoldsteinPriceGradient(a[0], a[1], a.AsSpan(2)), 2, -2, 2),
        Case(nameof(Functions.Ackley), Functions.Ackley, a => Functions.AckleyGradient(a[0], a[1], a.AsSpan(2)), 2, -5, 5),
        Case(nameof(Functions.Rastrigin), Functions.Rastrigin, a => Functions.RastriginGradient(a[0], a[1], a.AsSpan(2)), 2, -5.12, 5.12),
        Case(nameof(Functions.StyblinskiTang), Functions.StyblinskiTang, a => Functions.StyblinskiTangGradient(a[0], a[1], a.AsSpan(2)), 2, -5, 5),
        Case(nameof(Functions.McCormick), Functions.McCormick, a => Functions.McCormickGradient(a[0], a[1], a.AsSpan(2)), 2, -1.5, 4),
        Case(nameof(Functions.ThreeHumpCamel), Functions.ThreeHumpCamel, a => Functions.ThreeHumpCamelGradient(a[0], a[1], a.AsSpan(2)), 2, -5, 5),
        Case(nameof(Functions.Easom), Functions.Easom, a => Functions.EasomGradient(a[0], a[1], a.AsSpan(2)), 2, 1, 5),
        Case(nameof(Functions.Levi13), Functions.Levi13, a => Functions.Levi13Gradient(a[0], a[1], a.AsSpan(2)), 2, -10, 10),
        Case(nameof(Functions.Bukin6), Functions.Bukin6, a => Functions.Bukin6Gradient(a[0], a[1], a.AsSpan(2)), 2, -15, 3),
        Case(nameof(Functions.Eggholder), Functions.Eggholder, a => Functions.EggholderGradient(a[0], a[1], a.AsSpan(2)), 2, -512, 512),
        Case(nameof(Functions.SchafferN2), Functions.SchafferN2, a => Functions.SchafferN2Gradient(a[0], a[1], a.AsSpan(2)), 2, -10, 10),
        Case(nameof(Functions.Sphere), a => Functions.Sphere(a[0], a[1], a[2]), a => Functions.SphereGradient(a[0], a[1], a[2], a.AsSpan(3)), 3, -5, 5),
        Case(nameof(Functions.Trid), a => Functions.Trid(a[0], a[1], a[2]), a => Functions.TridGradient(a[0], a[1], a[2], a.AsSpan(3)), 3, -9, 9),
        Case(nameof(Functions.Powers), a => Functions.Powers(a[0]), a => Functions.PowersGradient(a[0], a.AsSpan(1)), 1, -2, 2),
        Case(nameof(Functions.Huber), a => Functions.Huber(a[0], a[1], a[2]), a => Functions.HuberGradient(a[0], a[1], a[2], a.AsSpan(3)), 3, 0.2, 3),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_gradient_matches_Richardson_finite_differences(string name, Func<double[], double> f, Func<double[], double> gradient, int n, double lo, double hi)
    {
        // A stable seed (string.GetHashCode is randomised per process, which made the points differ run to run).
        var rng = new Random(name.Aggregate(17, (h, c) => unchecked((h * 31) + c)) & 0x7fffffff);
        int checkedPoints = 0;
        for (int attempt = 0; attempt < 200 && checkedPoints < 25; attempt++)
        {
            double[] x = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = lo + (hi - lo) * rng.NextDouble();
            }

            // Skip points within a step of a kink (Abs, branches): finite differences are meaningless there.
            double[] fd = Oracle.Gradient(f, x);
            double[] coarse = Oracle.Gradient(f, x, baseStep: 1.0 / 64);
            bool smooth = true;
            for (int i = 0; i < n; i++)
            {
                smooth &= Math.Abs(fd[i] - coarse[i]) <= 1e-5 * (1 + Math.Abs(fd[i]));
            }

            if (!smooth)
            {
                continue;
            }

            double[] buffer = new double[2 * n];
            Array.Copy(x, buffer, n);
            double value = gradient(buffer);
            double[] g = buffer.AsSpan(n).ToArray();
            Oracle.AssertClose(f(x), value, 1e-13, 1e-13, "value", name + " at " + string.Join(", ", x));
            Oracle.AssertClose(fd, g, 1e-6, 1e-6, null, name + " at " + string.Join(", ", x));
            checkedPoints++;
        }

        Assert.True(checkedPoints >= 10, $"only {checkedPoints} smooth points checked for {name}");
    }

    [Fact]
    public void Rosenbrock_Hessian_matches_the_hand_derived_one()
    {
        double[] g = new double[2];
        double[] h = new double[4];
        foreach ((double x, double y) in new[] { (-1.2, 1.0), (1.0, 1.0), (0.3, -0.7) })
        {
            Functions.RosenbrockHessian(x, y, g, h);
            Oracle.AssertClose(new[] { 1200 * x * x - 400 * y + 2, -400 * x, -400 * x, 200.0 }, h, 1e-12, 1e-9);
        }
    }

    [Fact]
    public void Newton_finds_all_four_Himmelblau_minima()
    {
        var minima = new List<(double, double)>();
        foreach ((double x0, double y0) in new[] { (3.5, 2.5), (-3.0, 3.0), (-3.5, -3.5), (3.5, -2.0) })
        {
            double[] p = { x0, y0 };
            var result = Newton.Minimize(new Functions.HimmelblauObjective(), p);
            Assert.True(result.Converged, result.StopReason.ToString());
            Assert.True(Functions.Himmelblau(p[0], p[1]) < 1e-12, $"Himmelblau({p[0]}, {p[1]}) = {Functions.Himmelblau(p[0], p[1])}");
            minima.Add((Math.Round(p[0], 4), Math.Round(p[1], 4)));
        }

        Assert.Equal(4, new HashSet<(double, double)>(minima).Count);
    }

    [Fact]
    public void Bce_with_a_hand_written_sigmoid_stays_finite_at_extreme_logits()
    {
        foreach (double z in new[] { -800.0, -50, 50, 800 })
        {
            // w1 = z with x1 = 1: the logit is z.
            var p = Functions.LogisticBceGradient(1, 0, 1, z, 0, 0);
            double exactLoss = z > 0 ? Log1pSmall(Math.Exp(-z)) : -z + Log1pSmall(Math.Exp(z)); // softplus(−z)
            double exactGrad = -1.0 / (1 + Math.Exp(z)); // σ(z) − 1
            Assert.True(double.IsFinite(p.Value) && double.IsFinite(p.w1), $"z = {z}: {p}");
            Oracle.AssertClose(exactLoss, p.Value, 1e-12, 1e-300, "loss", "z = " + z);
            Oracle.AssertClose(exactGrad, p.w1, 1e-12, 1e-300, "∂/∂w1", "z = " + z);
        }
    }

    // log(1 + u) for the test's oracle: the two-term series where the naive form would round to 0.
    private static double Log1pSmall(double u) => u < 1e-8 ? u - (u * u / 2) : Math.Log(1 + u);

    private static object[] Case(string name, Func<double[], double> f, Func<double[], double> g, int n, double lo, double hi)
        => new object[] { name, f, g, n, lo, hi };

    private static object[] Case(string name, Func<double, double, double> f, Func<double[], double> g, int n, double lo, double hi)
        => Case(name, a => f(a[0], a[1]), g, n, lo, hi);
}
