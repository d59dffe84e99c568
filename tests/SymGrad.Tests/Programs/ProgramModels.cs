using System;
using SymGrad;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Program-mode models, one per construct, written the way a user writes them. They are compiled into this test
/// assembly through the generator, so each <c>MGradient</c> here is the generated code; the tests compare it with
/// Richardson differences of <c>M</c> itself (<see cref="ProgramGradientTests"/>).
/// </summary>
public static partial class ProgramModels
{
    // ---------------------------------------------------------------- loops

    /// <summary>A for loop whose bound is a data parameter (n ≤ x.Length: later elements get a zero gradient).</summary>
    [Differentiable]
    public static double ForBound(double[] x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += x[i] * Math.Sin(x[i] + i);
        }

        return s;
    }

    /// <summary>A while loop carrying a nonlinear recurrence (each step's adjoint needs the state of that step).</summary>
    [Differentiable]
    public static double WhileRecurrence(double[] x)
    {
        double s = 0.5;
        int i = 0;
        while (i < x.Length)
        {
            s = (1.5 * Math.Sin(s)) + (x[i] * Math.Cos(x[i]));
            i++;
        }

        return s;
    }

    /// <summary>A do-while loop: the body runs at least once (n = 0 gives one step); indices wrap with %.</summary>
    [Differentiable]
    public static double DoWhile(double[] x, int n)
    {
        double p = 1;
        int i = 0;
        do
        {
            double v = x[i % x.Length];
            p *= 1 + (0.25 * v * v);
            i++;
        }
        while (i < n);

        return Math.Log(p) + p;
    }

    /// <summary>foreach over an array parameter: a sum and a product.</summary>
    [Differentiable]
    public static double ForeachArray(double[] x)
    {
        double s = 0;
        double prod = 1;
        foreach (double v in x)
        {
            s += (v * v * v) - v;
            prod *= Math.Cos(v);
        }

        return s + prod;
    }

    /// <summary>foreach over a span parameter, with a value carried to the next iteration.</summary>
    [Differentiable]
    public static double ForeachSpan(ReadOnlySpan<double> x)
    {
        double s = 0;
        double previous = 1;
        foreach (double v in x)
        {
            s += previous * v;
            previous = Math.Sin(v);
        }

        return s;
    }

    /// <summary>A writable span parameter (only read): differentiated like an array.</summary>
    [Differentiable]
    public static double SpanParameter(Span<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Exp(0.5 * x[i]) * (i + 1);
        }

        return Math.Log(s);
    }

    /// <summary>Nested loops over a row-major matrix, and a triangular inner loop whose bound is the outer counter.</summary>
    [Differentiable]
    public static double NestedLoops(double[] a, int rows, int cols)
    {
        double s = 0;
        for (int i = 0; i < rows; i++)
        {
            double r = 0;
            for (int j = 0; j < cols; j++)
            {
                r += a[(i * cols) + j] * (j + 1);
            }

            s += r * r * (i + 1);
        }

        double t = 0;
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                t += a[i] * a[j];
            }
        }

        return Math.Sqrt(s) + (0.1 * t);
    }

    /// <summary>break when a running sum of the weights' squares exceeds a data threshold.</summary>
    [Differentiable]
    public static double BreakAtThreshold([Wrt] double[] x, double limit)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * x[i];
            if (s > limit)
            {
                break;
            }
        }

        return s * s;
    }

    /// <summary>while (true) left by break on an int counter: a fixed number of damped steps.</summary>
    [Differentiable]
    public static double WhileTrueBreak(double a, double b, int n)
    {
        double x = 1;
        int k = 0;
        while (true)
        {
            x = x - (0.3 * ((x * x * a) - b));
            k++;
            if (k >= n)
            {
                break;
            }
        }

        return x;
    }

    /// <summary>continue on an int condition and on a value condition.</summary>
    [Differentiable]
    public static double ContinueSkips(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (i % 3 == 1)
            {
                continue;
            }

            if (x[i] < 0)
            {
                continue;
            }

            s += Math.Sqrt(x[i] + 1) * x[i];
        }

        return s;
    }

    /// <summary>return from inside a loop: the first element above the limit ends the method.</summary>
    [Differentiable]
    public static double ReturnInLoop([Wrt] double[] x, double limit)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > limit)
            {
                return (s * x[i]) + i;
            }

            s += Math.Exp(-x[i]);
        }

        return s;
    }

    /// <summary>return from the inner of two nested loops.</summary>
    [Differentiable]
    public static double ReturnInNestedLoop([Wrt] double[] a, int rows, int cols, double limit)
    {
        double s = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double v = a[(i * cols) + j];
                s += v * v;
                if (s > limit)
                {
                    return s * v;
                }
            }

            s *= 0.5;
        }

        return -s;
    }

    /// <summary>if / else if / else inside a loop, assigning the carried value differently in each branch.</summary>
    [Differentiable]
    public static double IfElseInLoop(double[] x)
    {
        double s = 0.25;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (v > 0)
            {
                s += v * v;
            }
            else if (v > -1)
            {
                s -= Math.Sin(v) * s;
            }
            else
            {
                s = (s * 0.5) + v;
            }
        }

        return s;
    }

    /// <summary>A switch statement on an int computed from the counter and a data parameter.</summary>
    [Differentiable]
    public static double SwitchOnInt(double[] x, int mode)
    {
        double s = 0.5;
        for (int i = 0; i < x.Length; i++)
        {
            switch ((i + mode) % 4)
            {
                case 0:
                    s += x[i];
                    break;
                case 1:
                    s += x[i] * x[i];
                    break;
                case 2:
                    s *= Math.Cos(x[i]);
                    break;
                default:
                    s += Math.Exp(x[i]) * s;
                    break;
            }
        }

        return s;
    }

    /// <summary>int locals and index arithmetic: vᵀ A v with A row-major d×d, plus an anti-diagonal term.</summary>
    [Differentiable]
    public static double QuadraticForm(double[] a, double[] v)
    {
        int d = v.Length;
        double s = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                s += v[i] * a[(i * d) + j] * v[j];
            }
        }

        int last = d - 1;
        for (int i = 0; i < d; i++)
        {
            int k = (last - i) * d;
            s += a[k + i] * a[k + i];
        }

        return s;
    }

    /// <summary>.Length in loop bounds and index arithmetic (x[n − 1 − i]).</summary>
    [Differentiable]
    public static double LengthArithmetic(double[] x)
    {
        int n = x.Length;
        double s = 0;
        for (int i = 0; i < n / 2; i++)
        {
            s += x[i] * x[n - 1 - i];
        }

        return s + x[n - 1];
    }

    // ---------------------------------------------------------------- local buffers and helpers

    /// <summary>A one-hidden-layer network: a local buffer written (accumulated) and read in nested loops.</summary>
    [Differentiable]
    public static double HiddenLayer([Wrt] double[] w, ReadOnlySpan<double> x, int hidden)
    {
        int inputs = x.Length;
        int stride = inputs + 1;
        var h = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            h[j] = w[(j * stride) + inputs];
            for (int i = 0; i < inputs; i++)
            {
                h[j] += w[(j * stride) + i] * x[i];
            }

            h[j] = Math.Tanh(h[j]);
        }

        int o = hidden * stride;
        double y = w[o + hidden];
        for (int j = 0; j < hidden; j++)
        {
            y += w[o + j] * h[j];
        }

        return y * y;
    }

    /// <summary>A buffer declared inside a loop (one per sample); w = (centre, scales), each of the points' dimension.</summary>
    [Differentiable]
    public static double BufferInLoop([Wrt] double[] w, ReadOnlySpan<double> xs)
    {
        int dim = w.Length / 2;
        int n = xs.Length / dim;
        double total = 0;
        for (int s = 0; s < n; s++)
        {
            var r = new double[w.Length / 2];
            for (int j = 0; j < dim; j++)
            {
                r[j] = xs[(s * dim) + j] - w[j];
            }

            double q = 0;
            for (int j = 0; j < dim; j++)
            {
                q += r[j] * r[j] * w[dim + j];
            }

            total += Math.Log(1 + q);
        }

        return total;
    }

    private static double Dot(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < u.Length; i++)
        {
            s += u[i] * v[i];
        }

        return s;
    }

    /// <summary>A helper with source taking spans, called as Dot(u, v) and with one array twice, Dot(u, u).</summary>
    [Differentiable]
    public static double Cosine(double[] u, double[] v) => Dot(u, v) / Math.Sqrt(Dot(u, u) * Dot(v, v));

    /// <summary>The helper called once, with one array for both of its spans: ‖u‖·u₀.</summary>
    [Differentiable]
    public static double NormTimesFirst(double[] u) => Math.Sqrt(Dot(u, u)) * u[0];

    /// <summary>Two array parameters that the test passes the same array to.</summary>
    [Differentiable]
    public static double TwoArrays(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i] * b[i];
            s += Math.Sin(a[i] - (2 * b[i]));
        }

        return s;
    }

    /// <summary>Math.Max / Math.Min reductions over an array.</summary>
    [Differentiable]
    public static double MaxMinRange(double[] x)
    {
        double hi = x[0];
        double lo = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            hi = Math.Max(hi, x[i]);
            lo = Math.Min(lo, x[i]);
        }

        return hi - lo + (0.1 * hi * lo);
    }

    // ---------------------------------------------------------------- data parameters and layouts

    /// <summary>Every kind of data parameter: int, long, bool, int[] and ReadOnlySpan&lt;int&gt;.</summary>
    [Differentiable]
    public static double DataParameters(double[] w, int offset, long count, bool squared, int[] index, ReadOnlySpan<int> sign)
    {
        double s = 0;
        for (int k = 0; k < count; k++)
        {
            double v = w[(index[k] + offset) % w.Length] * sign[k];
            if (squared)
            {
                s += v * v;
            }
            else
            {
                s += v;
            }
        }

        return s;
    }

    /// <summary>[Wrt] on a subset: an array and a scalar differentiated; a double array, a span and a scalar are data.</summary>
    [Differentiable]
    public static double WrtSubset([Wrt] double[] w, double[] x, ReadOnlySpan<double> y, [Wrt] double b, double scale)
    {
        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double e = (scale * w[i % w.Length] * x[i]) + b - y[i];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>Scalars between arrays: the gradient's layout is a, x…, b, y…, c.</summary>
    [Differentiable]
    public static double MixedLayout(double a, double[] x, double b, ReadOnlySpan<double> y, double c)
    {
        double s = a * b;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i] * (a + (i * c));
        }

        for (int i = 0; i < y.Length; i++)
        {
            s += y[i] * y[i] * b;
        }

        return s + (c * c * c);
    }

    /// <summary>A polynomial Σ c_i aⁱ for i &lt; n, plus a: n = 0 and n = 1 give 0 and 1 iterations.</summary>
    [Differentiable]
    public static double PowerSeries(double a, double[] c, int n)
    {
        double s = 0;
        double p = 1;
        for (int i = 0; i < n; i++)
        {
            s += c[i] * p;
            p *= a;
        }

        return s + a;
    }

    /// <summary>Explicit Euler for x′ = −kx over [0, 1]: exactly x0·(1 − k/n)ⁿ, a long loop when n = 10⁵.</summary>
    [Differentiable]
    public static double LongDecay(double k, double x0, int steps)
    {
        double x = x0;
        double h = 1.0 / steps;
        for (int i = 0; i < steps; i++)
        {
            x += h * (-k * x);
        }

        return x;
    }

    /// <summary>A long nonlinear recurrence over parameters in an array (the tape holds every step's state).</summary>
    [Differentiable]
    public static double LongNonlinear(double[] p, int steps)
    {
        double x = 0.5;
        double h = 1.0 / steps;
        for (int i = 0; i < steps; i++)
        {
            x += h * ((p[0] * Math.Sin(x)) - (p[1] * x * x) + p[2]);
        }

        return x * x;
    }

    // ---------------------------------------------------------------- more control flow

    /// <summary>break inside a switch inside a loop leaves the switch, not the loop.</summary>
    [Differentiable]
    public static double BreakInSwitch(double[] x, int mode)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            switch ((i + mode) % 3)
            {
                case 0:
                    s += x[i];
                    break;
                case 1:
                    s *= Math.Cos(x[i]);
                    break;
                default:
                    s += x[i] * x[i];
                    break;
            }

            s += 0.1 * x[i];
        }

        return s;
    }

    /// <summary>continue in a while loop whose counter is stepped before the continue.</summary>
    [Differentiable]
    public static double ContinueInWhile(double[] x)
    {
        double s = 0;
        int i = 0;
        while (i < x.Length)
        {
            double v = x[i];
            i++;
            if (v < 0)
            {
                continue;
            }

            s += (Math.Exp(v) * s) + v;
        }

        return s;
    }

    /// <summary>continue in a do-while jumps to the condition.</summary>
    [Differentiable]
    public static double ContinueInDo(double[] x)
    {
        double s = 1;
        int i = 0;
        do
        {
            double v = x[i];
            i++;
            if (i % 2 == 0)
            {
                continue;
            }

            s = (s * v) + Math.Sin(s);
        }
        while (i < x.Length);

        return s;
    }

    /// <summary>break in the inner loop only: the outer loop goes on.</summary>
    [Differentiable]
    public static double InnerBreak([Wrt] double[] x, double limit)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = 0;
            for (int j = i; j < x.Length; j++)
            {
                r += x[j] * x[j];
                if (r > limit)
                {
                    break;
                }
            }

            s += r * x[i];
        }

        return s;
    }

    /// <summary>Three nested loops with break in the innermost and continue in the middle one.</summary>
    [Differentiable]
    public static double TripleNested(double[] x, int repeats)
    {
        double s = 0;
        for (int i = 0; i < repeats; i++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                double r = 0;
                for (int k = j; k < x.Length; k++)
                {
                    r += x[k] * x[j];
                    if (r > 2)
                    {
                        break;
                    }
                }

                if (r < -1)
                {
                    continue;
                }

                s = (s * 0.9) + Math.Tanh(r);
            }
        }

        return s;
    }

    private static double FirstAbove(ReadOnlySpan<double> x, double limit)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > limit)
            {
                return x[i] * i;
            }
        }

        return x[0];
    }

    /// <summary>A helper that returns from inside its loop.</summary>
    [Differentiable]
    public static double HelperReturnsInLoop([Wrt] double[] x, double limit) => FirstAbove(x, limit) + x[1];

    /// <summary>return inside a switch section inside a loop.</summary>
    [Differentiable]
    public static double ReturnInSwitch(double[] x, int stop)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            switch (i - stop)
            {
                case 0:
                    return s * x[i];
                default:
                    s += x[i] * x[i];
                    break;
            }
        }

        return s;
    }

    /// <summary>A loop counting down from Length − 1, and one stepping by 2.</summary>
    [Differentiable]
    public static double DownwardAndStride(double[] x)
    {
        double s = 0;
        for (int i = x.Length - 1; i >= 0; i--)
        {
            s = (s * 0.5) + (x[i] * x[i]);
        }

        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            s += x[i] * x[i + 1];
        }

        return s;
    }

    /// <summary>A bool local carried across iterations.</summary>
    [Differentiable]
    public static double FoundFlag([Wrt] double[] x, double limit)
    {
        bool found = false;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!found && x[i] > limit)
            {
                found = true;
                s += 10 * x[i];
            }
            else
            {
                s += x[i] * x[i];
            }
        }

        return found ? s : -s;
    }

    /// <summary>An arg-max kept in an int local and an int buffer, then used as an index.</summary>
    [Differentiable]
    public static double ArgMax(double[] x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }

        var index = new int[1];
        index[0] = best;
        return x[index[0]] * x[0];
    }

    /// <summary>A while loop whose trip count depends on the differentiated values (a data cap).</summary>
    [Differentiable]
    public static double WhileOnValue([Wrt] double[] p, double limit)
    {
        double s = p[0];
        int n = 0;
        while (s < limit && n < 100)
        {
            s = (s * (1 + p[1])) + 0.1;
            n++;
        }

        return s;
    }

    /// <summary>An int state updated nonlinearly (k = (5k + 3) mod n) and used as an index.</summary>
    [Differentiable]
    public static double IntState(double[] x, int n)
    {
        int k = 0;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            k = ((k * 5) + 3) % x.Length;
            s = Math.Sin(s) + (x[k] * x[(k + 1) % x.Length]);
        }

        return s;
    }

    /// <summary>C# integer semantics: % of a negative number, / truncating toward 0, a long accumulator, casts.</summary>
    [Differentiable]
    public static double IntegerSemantics(double[] x)
    {
        long acc = 0;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            int j = (i - 3) % x.Length;
            if (j < 0)
            {
                j += x.Length;
            }

            int q = (i - 5) / 2;
            acc += i * 3L;
            s += (x[j] * (q + 0.5)) + (x[(int)(acc % x.Length)] * ((double)i / x.Length));
        }

        return s;
    }

    // ---------------------------------------------------------------- more buffers and calls

    /// <summary>Compound assignments and ++ on buffer elements.</summary>
    [Differentiable]
    public static double BufferCompoundAssignments(double[] x)
    {
        var b = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            b[i] = 1;
            b[i] *= x[i];
            b[i] += 2;
            b[i]++;
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            b[i] /= 2;
            s += b[i] * b[i];
        }

        return s;
    }

    /// <summary>Buffer elements overwritten many times with nonlinear values (each old value is needed back).</summary>
    [Differentiable]
    public static double BufferOverwrites(double[] x)
    {
        var b = new double[2];
        for (int i = 0; i < x.Length; i++)
        {
            b[i % 2] = Math.Sin(b[i % 2] + x[i]) * x[i];
        }

        return b[0] * b[1];
    }

    /// <summary>Buffer stores under branches, including into the previous element.</summary>
    [Differentiable]
    public static double BufferStoresInBranches(double[] x)
    {
        var b = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0)
            {
                b[i] = x[i] * x[i];
            }
            else
            {
                b[i] = Math.Exp(x[i]);
            }

            if (i > 0 && x[i] < x[i - 1])
            {
                b[i - 1] *= x[i];
            }
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += b[i] * (i + 1);
        }

        return s;
    }

    /// <summary>foreach over a local buffer.</summary>
    [Differentiable]
    public static double ForeachBuffer(double[] x)
    {
        var b = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            b[i] = Math.Sin(x[i]);
        }

        double s = 0;
        foreach (double v in b)
        {
            s += v * v * v;
        }

        return s;
    }

    /// <summary>foreach over an int[] data parameter used as indices.</summary>
    [Differentiable]
    public static double ForeachIntArray(double[] x, int[] index)
    {
        double s = 0;
        foreach (int k in index)
        {
            s += x[k] * x[(k + 1) % x.Length];
        }

        return s;
    }

    /// <summary>A one-dimensional "valid" cross-correlation: a buffer accumulated in nested loops over two arrays.</summary>
    [Differentiable]
    public static double CrossCorrelation(double[] kernel, double[] x)
    {
        int m = x.Length - kernel.Length + 1;
        var y = new double[m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < kernel.Length; j++)
            {
                y[i] += kernel[j] * x[i + j];
            }
        }

        double s = 0;
        for (int i = 0; i < m; i++)
        {
            s += Math.Tanh(y[i]);
        }

        return s;
    }

    /// <summary>A fixed-length local array (unrolled inner loop) inside a run-time loop.</summary>
    [Differentiable]
    public static double FixedArrayInRunTimeLoop(double[] x)
    {
        double s = 0;
        for (int i = 0; i + 2 < x.Length; i++)
        {
            double[] v = new double[3];
            for (int j = 0; j < 3; j++)
            {
                v[j] = x[i + j] * (j + 1);
            }

            s += (v[0] * v[1]) - v[2] + (s * 0.1);
        }

        return s;
    }

    /// <summary>Another [Differentiable] method with an array parameter, called from this one.</summary>
    [Differentiable]
    public static double SumOfExp(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Exp(x[i]);
        }

        return s;
    }

    /// <summary>Calls <see cref="SumOfExp"/>.</summary>
    [Differentiable]
    public static double LogOfSumOfExp(double[] x) => Math.Log(SumOfExp(x));

    /// <summary>A local function reading the array parameter.</summary>
    [Differentiable]
    public static double LocalFunction(double[] x)
    {
        double Square(int i) => x[i] * x[i];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Square(i) * x[0];
        }

        return s;
    }

    /// <summary>An early return before the loop (an empty array), and Max inside a recurrence.</summary>
    [Differentiable]
    public static double EarlyReturnBeforeLoop(double[] x)
    {
        if (x.Length == 0)
        {
            return 0;
        }

        double s = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            s = Math.Max(s, x[i]) + (0.1 * x[i] * s);
        }

        return s;
    }

    /// <summary>Abs, ReLU and Pow with a data exponent in loops.</summary>
    [Differentiable]
    public static double NormsAndPowers([Wrt] double[] x, double p)
    {
        double s = 0;
        double t = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Pow(Math.Abs(x[i]), p);
            t += Math.Abs(x[i]) + (SymMath.Relu(x[i] - 0.3) * t);
        }

        return Math.Pow(s, 1.0 / p) + t;
    }

    // ---------------------------------------------------------------- user patterns

    /// <summary>Newton's iteration for √a, left by break once the step is below 1e-12 (derivative → 1/(2√a)).</summary>
    [Differentiable]
    public static double NewtonSqrt(double a, int maxIterations)
    {
        double x = a;
        for (int i = 0; i < maxIterations; i++)
        {
            double dx = ((x * x) - a) / (2 * x);
            x -= dx;
            if (Math.Abs(dx) < 1e-12)
            {
                break;
            }
        }

        return x;
    }

    /// <summary>[Wrt] on a ReadOnlySpan parameter, with a double[] of data.</summary>
    [Differentiable]
    public static double WrtOnSpan(double[] data, [Wrt] ReadOnlySpan<double> w)
    {
        double s = 0;
        for (int i = 0; i < data.Length; i++)
        {
            s += Math.Exp(w[i] * data[i]);
        }

        return s;
    }

    private static double Square(ReadOnlySpan<double> a, int i) => a[i] * a[i];

    private static double SumOfSquares(ReadOnlySpan<double> a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += Square(a, i);
        }

        return s;
    }

    /// <summary>A helper with a loop calling another helper with the same span.</summary>
    [Differentiable]
    public static double NestedHelpers(double[] x) => Math.Log(1 + SumOfSquares(x));

    /// <summary>Straight-line code over an array parameter (no loop), with a computed last index.</summary>
    [Differentiable]
    public static double StraightLineArray(double[] x) => (x[0] * x[1]) + Math.Sin(x[x.Length - 1]);

    /// <summary>SymMath functions in a recurrence: a running log-sum-exp with a softplus term.</summary>
    [Differentiable]
    public static double RunningLogSumExp(double[] x)
    {
        double s = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            s = SymMath.LogSumExp(s, x[i]) + (SymMath.Softplus(x[i]) * 0.1);
        }

        return s;
    }

    // ---------------------------------------------------------------- counters

    /// <summary>The for counter also stepped in the body (skip the element after a negative one).</summary>
    [Differentiable]
    public static double CounterSteppedInBody(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s = (s * Math.Cos(x[i])) + x[i];
            if (x[i] < 0)
            {
                i++;
            }
        }

        return s;
    }

    /// <summary>A for loop stepping by a data parameter.</summary>
    [Differentiable]
    public static double DataStep(double[] x, int step)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i += step)
        {
            s = Math.Sin(s) + (x[i] * s) + x[i];
        }

        return s;
    }

    /// <summary>The counter read after a loop left by break.</summary>
    [Differentiable]
    public static double CounterAfterBreak([Wrt] double[] x, double limit)
    {
        double s = 0;
        int i;
        for (i = 0; i < x.Length; i++)
        {
            s += x[i] * x[i];
            if (s > limit)
            {
                break;
            }
        }

        int k = i;
        if (k == x.Length)
        {
            k = 0;
        }

        return (s * x[k]) + i;
    }

    /// <summary>An inner while counter started from the outer counter and read after the inner loop.</summary>
    [Differentiable]
    public static double InnerCounterAfterLoop(double[] x)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            int j = i;
            while (j < x.Length && x[j] > -1)
            {
                s = (s * 0.9) + Math.Exp(-x[j] * x[j]);
                j++;
            }

            if (j < x.Length)
            {
                s += x[j] * s;
            }
        }

        return s;
    }

    /// <summary>Two counters moving toward each other, one of them chosen by a comparison of the values.</summary>
    [Differentiable]
    public static double TwoCounters(double[] x)
    {
        int lo = 0;
        int hi = x.Length - 1;
        double s = 0;
        while (lo < hi)
        {
            s = (s * x[lo]) + Math.Sin((x[hi] * s) + 1);
            if (x[lo] > x[hi])
            {
                lo++;
            }
            else
            {
                hi--;
            }
        }

        return s;
    }
}
