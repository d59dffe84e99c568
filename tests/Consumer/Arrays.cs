using System;
using System.Linq;
using SymGrad;

namespace Consumer;

/// <summary>The models users write first, through the package: a loss over a weight vector and a data set.</summary>
public static partial class Arrays
{
    /// <summary>Logistic regression's mean log-loss over a data set: weights in one span, features row-major, 0/1 labels.</summary>
    [Differentiable(Hessian = true)]
    public static double LogLoss([Wrt] ReadOnlySpan<double> w, double[] features, int[] labels)
    {
        int d = w.Length - 1;
        double total = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            double z = w[d];
            for (int k = 0; k < d; k++)
            {
                z += w[k] * features[(n * d) + k];
            }

            double p = SymMath.Sigmoid(z);
            total -= labels[n] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        return total / labels.Length;
    }

    /// <summary>
    /// A smoothness penalty over a signal, each sample against the next only where there is one (the element read
    /// in the arm of a ?: that is taken), plus a root of the sum used only where it is positive.
    /// </summary>
    [Differentiable]
    public static double Smooth(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += i + 1 < x.Length ? (x[i + 1] - x[i]) * (x[i + 1] - x[i]) : 0.5 * x[i] * x[i];
        }

        double root = Math.Sqrt(s);
        double result = s;
        if (s > 0)
        {
            result += root;
        }

        return result;
    }

    /// <summary>Runs the checks; returns the number of failures and prints one line each.</summary>
    public static int Check()
    {
        int failures = 0;

        // Hand-derived: ∂s/∂x_i = 2(x_i − x_{i+1}) + 2(x_i − x_{i−1}) where those exist, + x_i for the last; the result
        // is s + √s for s > 0, so ∂/∂x = (1 + 1/(2√s))·∂s/∂x; at x = 0 it is s alone, gradient 0 (not 0·∞ = NaN).
        foreach (double[] signal in new[] { new[] { 0.4, -0.1, 0.3, 0.9 }, new double[4] })
        {
            int m = signal.Length;
            double sum = 0.5 * signal[m - 1] * signal[m - 1];
            for (int i = 0; i + 1 < m; i++)
            {
                sum += (signal[i + 1] - signal[i]) * (signal[i + 1] - signal[i]);
            }

            double scale = sum > 0 ? 1 + (0.5 / Math.Sqrt(sum)) : 1;
            double[] smoothExpected = new double[m];
            for (int i = 0; i < m; i++)
            {
                double ds = (i + 1 < m ? 2 * (signal[i] - signal[i + 1]) : signal[i]) + (i > 0 ? 2 * (signal[i] - signal[i - 1]) : 0);
                smoothExpected[i] = scale * ds;
            }

            double[] sg = new double[m];
            SmoothGradient(signal, sg);
            bool smoothOk = sg.Zip(smoothExpected, (got, want) => Math.Abs(got - want) <= 1e-12 * Math.Max(1, Math.Abs(want))).All(close => close);
            Console.WriteLine($"guarded neighbour read at s = {sum:G3}: " + (smoothOk ? "ok" : "MISMATCH " + string.Join(", ", sg)));
            failures += smoothOk ? 0 : 1;
        }

        var rng = new Random(3);
        const int d = 3, count = 40;
        double[] features = Enumerable.Range(0, count * d).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        int[] labels = Enumerable.Range(0, count).Select(n => features[n * d] - 0.5 * features[(n * d) + 1] + 0.2 > 0 ? 1 : 0).ToArray();
        double[] w = { 0.3, -0.2, 0.1, 0.05 };

        // Hand-derived: ∂L/∂w_k = (1/N) Σ (σ(z_n) − y_n)·x_nk, the bias with x = 1; H = (1/N) Σ σ′(z_n)·x_n x_nᵀ.
        var expected = new double[d + 1];
        var expectedH = new double[(d + 1) * (d + 1)];
        for (int n = 0; n < count; n++)
        {
            double[] x = Enumerable.Range(0, d).Select(k => features[(n * d) + k]).Append(1.0).ToArray();
            double z = w.Zip(x, (a, b) => a * b).Sum();
            double r = SymMath.Sigmoid(z) - labels[n];
            for (int i = 0; i <= d; i++)
            {
                expected[i] += r * x[i] / count;
                for (int j = 0; j <= d; j++)
                {
                    expectedH[(i * (d + 1)) + j] += SymMath.SigmoidDerivative(z) * x[i] * x[j] / count;
                }
            }
        }

        var g = new double[d + 1];
        var h = new double[(d + 1) * (d + 1)];
        LogLossGradient(w, features, labels, g);
        bool gradientOk = g.Zip(expected, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e))).All(ok => ok);
        Console.WriteLine("array model gradient: " + (gradientOk ? "ok" : "MISMATCH " + string.Join(", ", g)));
        failures += gradientOk ? 0 : 1;

        LogLossHessian(w, features, labels, g, h);
        bool hessianOk = h.Zip(expectedH, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e))).All(ok => ok);
        Console.WriteLine("array model Hessian: " + (hessianOk ? "ok" : "MISMATCH " + string.Join(", ", h)));
        failures += hessianOk ? 0 : 1;

        // Training through the generated objective over the flat weight vector (the data set is one sample).
        var sample = new LogLossSample(features, labels);
        var fit = Lbfgs.Minimize(new LogLossObjective(wLength: d + 1), new[] { sample }, w);
        var check = GradientCheck.Check(new LogLossObjective(wLength: d + 1), sample, w);
        bool fitOk = fit.FinalLoss < 0.2 && check.Passed;
        Console.WriteLine($"array model L-BFGS: loss {fit.FinalLoss:G4}, gradient check {(check.Passed ? "passed" : "FAILED")} " + (fitOk ? "ok" : "FAILED"));
        failures += fitOk ? 0 : 1;
        return failures;
    }
}
