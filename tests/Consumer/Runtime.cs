using System;
using System.Linq;
using SymGrad;

namespace Consumer;

/// <summary>What a user does next with the package: a Hessian, Newton's method, and training a generated objective.</summary>
public static partial class Objectives
{
    [Differentiable(Hessian = true)]
    public static double Rosenbrock(double x, double y) => 100 * Math.Pow(y - x * x, 2) + Math.Pow(1 - x, 2);

    [Differentiable]
    public static double Squared(double x, double y, [Wrt] double a, [Wrt] double b)
    {
        double r = a * x + b - y;
        return r * r;
    }

    /// <summary>Runs the checks; returns the number of failures and prints one line each.</summary>
    public static int Check()
    {
        int failures = 0;

        // Hand-derived Hessian of Rosenbrock at (−1.2, 1).
        double[] g = new double[2];
        double[] h = new double[4];
        RosenbrockHessian(-1.2, 1.0, g, h);
        double[] expected = { 1200 * 1.44 - 400 + 2, 480, 480, 200 };
        bool hessianOk = h.Zip(expected, (a, e) => Math.Abs(a - e) <= 1e-9 * Math.Abs(e)).All(ok => ok);
        Console.WriteLine("Rosenbrock Hessian: " + (hessianOk ? "ok" : "MISMATCH " + string.Join(", ", h)));
        failures += hessianOk ? 0 : 1;

        // Newton's method on the generated Hessian reaches the minimum (1, 1).
        double[] p = { -1.2, 1.0 };
        var newton = Newton.Minimize(new RosenbrockObjective(), p);
        bool newtonOk = newton.Converged && Math.Abs(p[0] - 1) < 1e-6 && Math.Abs(p[1] - 1) < 1e-6;
        Console.WriteLine($"Newton on Rosenbrock: {newton.Iterations} iterations to ({p[0]}, {p[1]}) " + (newtonOk ? "ok" : "FAILED"));
        failures += newtonOk ? 0 : 1;

        // Training a generated objective reaches the least-squares line y = 2x − 1.
        var data = Enumerable.Range(0, 20).Select(i => new SquaredSample(i / 10.0, 2 * (i / 10.0) - 1)).ToArray();
        double[] w = { 0, 0 };
        var fit = Trainer.Fit(new SquaredObjective(), data, w, new TrainingOptions(new Adam(0.05)) { MaxEpochs = 2000, BatchSize = data.Length });
        bool fitOk = Math.Abs(w[0] - 2) < 1e-3 && Math.Abs(w[1] + 1) < 1e-3;
        Console.WriteLine($"Adam fit: a = {w[0]}, b = {w[1]} after {fit.Epochs} epochs " + (fitOk ? "ok" : "FAILED"));
        failures += fitOk ? 0 : 1;

        // The runtime's gradient check agrees with the generated gradient.
        var check = GradientCheck.Check(new RosenbrockObjective(), new[] { 0.3, -0.7 });
        Console.WriteLine("gradient check: " + (check.Passed ? "ok" : "FAILED " + check));
        failures += check.Passed ? 0 : 1;
        return failures;
    }
}
