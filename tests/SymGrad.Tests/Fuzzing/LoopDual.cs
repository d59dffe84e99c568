using System;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// A second-order forward-mode number: a value, its gradient and (when <see cref="DualSpace.Order"/> is 2) its full
/// Hessian with respect to N independent variables. A null gradient or Hessian is zero (constants and data stay
/// cheap). The value of every operation is computed exactly as C# computes it (same operation, same order), so the
/// interpreter's value is bit-identical to the compiled method; the derivatives come from the rules below, written
/// independently of the generator.
/// </summary>
public sealed class Dual
{
    public Dual(double v, double[]? g = null, double[]? h = null)
    {
        V = v;
        G = g;
        H = h;
    }

    public double V { get; }

    public double[]? G { get; }

    public double[]? H { get; }

    public override string ToString() => V.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Creates and combines <see cref="Dual"/> numbers over N variables, optionally perturbing every rounded result by a few ulps.</summary>
public sealed class DualSpace
{
    private readonly Random? _noise;
    private readonly double _noiseScale;

    public DualSpace(int n, int order, Random? noise = null, double noiseScale = 4 * 2.220446049250313E-16)
    {
        N = n;
        Order = order;
        _noise = noise;
        _noiseScale = noiseScale;
    }

    public int N { get; }

    /// <summary>0: values only; 1: gradients; 2: gradients and Hessians.</summary>
    public int Order { get; }

    /// <summary>Some value or derivative computed so far was ±∞ or NaN.</summary>
    public bool NonFinite { get; set; }

    public Dual Const(double v) => new(v);

    /// <summary>Independent variable number <paramref name="index"/> (a unit gradient).</summary>
    public Dual Variable(double v, int index)
    {
        if (Order == 0)
        {
            return new Dual(v);
        }

        var g = new double[N];
        g[index] = 1;
        return new Dual(v, g);
    }

    private double Perturb(double v)
    {
        if (_noise is null || v == 0 || !double.IsFinite(v))
        {
            return v;
        }

        return v * (1 + (((_noise.NextDouble() * 2) - 1) * _noiseScale));
    }

    /// <summary>The result of a rounded operation: checked for finiteness and, in noise mode, perturbed.</summary>
    private Dual Result(double v, double[]? g, double[]? h)
    {
        NonFinite |= !double.IsFinite(v);
        if (g is not null)
        {
            for (int i = 0; i < g.Length; i++)
            {
                NonFinite |= !double.IsFinite(g[i]);
                g[i] = Perturb(g[i]);
            }
        }

        if (h is not null)
        {
            for (int i = 0; i < h.Length; i++)
            {
                NonFinite |= !double.IsFinite(h[i]);
                h[i] = Perturb(h[i]);
            }
        }

        return new Dual(Perturb(v), g, h);
    }

    public Dual Neg(Dual a) => new(-a.V, Scaled(a.G, -1), Scaled(a.H, -1));

    public Dual Add(Dual a, Dual b) => Result(a.V + b.V, Sum(a.G, 1, b.G, 1), Sum(a.H, 1, b.H, 1));

    public Dual Sub(Dual a, Dual b) => Result(a.V - b.V, Sum(a.G, 1, b.G, -1), Sum(a.H, 1, b.H, -1));

    public Dual Mul(Dual a, Dual b)
    {
        double[]? g = Sum(a.G, b.V, b.G, a.V);
        double[]? h = null;
        if (Order >= 2)
        {
            h = Sum(a.H, b.V, b.H, a.V);
            if (a.G is not null && b.G is not null)
            {
                h ??= new double[N * N];
                Outer(h, a.G, b.G, 1);
                Outer(h, b.G, a.G, 1);
            }
        }

        return Result(a.V * b.V, g, h);
    }

    public Dual Div(Dual a, Dual b)
    {
        double q = a.V / b.V;
        if (a.G is null && b.G is null)
        {
            return Result(q, null, null);
        }

        double inv = 1 / b.V;
        double[] d1 = { inv, -q * inv };
        double[,] d2 = { { 0, -inv * inv }, { -inv * inv, 2 * q * inv * inv } };
        return Apply(q, new[] { a, b }, d1, d2);
    }

    /// <summary>
    /// f(args) by the chain rule: value <paramref name="value"/>, ∂f/∂argᵢ = <paramref name="d1"/>[i],
    /// ∂²f/∂argᵢ∂argⱼ = <paramref name="d2"/>[i, j]. Terms of arguments without derivatives are skipped, so an infinite
    /// or NaN partial of a constant argument does not poison the result.
    /// </summary>
    public Dual Apply(double value, Dual[] args, double[] d1, double[,]? d2)
    {
        if (Order == 0 || Array.TrueForAll(args, a => a.G is null && a.H is null))
        {
            return Result(value, null, null);
        }

        if (_noise is not null)
        {
            // Rounded partials: terms that cancel exactly (hypot(x, x)″) then show their rounding sensitivity too.
            d1 = Array.ConvertAll(d1, Perturb);
            if (d2 is not null)
            {
                var p = new double[d2.GetLength(0), d2.GetLength(1)];
                for (int i = 0; i < p.GetLength(0); i++)
                {
                    for (int j = 0; j < p.GetLength(1); j++)
                    {
                        p[i, j] = Perturb(d2[i, j]);
                    }
                }

                d2 = p;
            }
        }

        var g = new double[N];
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].G is { } ag && d1[i] != 0)
            {
                for (int k = 0; k < N; k++)
                {
                    g[k] += d1[i] * ag[k];
                }
            }
        }

        double[]? h = null;
        if (Order >= 2)
        {
            h = new double[N * N];
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i].H is { } ah && d1[i] != 0)
                {
                    for (int k = 0; k < h.Length; k++)
                    {
                        h[k] += d1[i] * ah[k];
                    }
                }

                if (d2 is null || args[i].G is not { } gi)
                {
                    continue;
                }

                for (int j = 0; j < args.Length; j++)
                {
                    if (args[j].G is { } gj && d2[i, j] != 0)
                    {
                        Outer(h, gi, gj, d2[i, j]);
                    }
                }
            }
        }

        return Result(value, g, h);
    }

    private void Outer(double[] h, double[] a, double[] b, double scale)
    {
        for (int i = 0; i < N; i++)
        {
            if (a[i] == 0)
            {
                continue;
            }

            double ai = a[i] * scale;
            for (int j = 0; j < N; j++)
            {
                h[(i * N) + j] += ai * b[j];
            }
        }
    }

    private static double[]? Scaled(double[]? a, double s)
    {
        if (a is null)
        {
            return null;
        }

        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            r[i] = a[i] * s;
        }

        return r;
    }

    private static double[]? Sum(double[]? a, double sa, double[]? b, double sb)
    {
        if (a is null && b is null)
        {
            return null;
        }

        var r = new double[(a ?? b)!.Length];
        if (a is not null)
        {
            for (int i = 0; i < r.Length; i++)
            {
                r[i] += sa * a[i];
            }
        }

        if (b is not null)
        {
            for (int i = 0; i < r.Length; i++)
            {
                r[i] += sb * b[i];
            }
        }

        return r;
    }
}

/// <summary>
/// First and second partial derivatives of every function in <see cref="FuzzFunctions.All"/>, in forms that stay
/// accurate where the textbook ones cancel (tanh′ = sech², σ′ = e^−|z|/(1 + e^−|z|)², 1 − 2σ = −tanh(z/2)). At kinks
/// the subgradients SymGrad documents: |x|′(0) = 0, relu′(0) = 0, Max/Min give ½ to each argument at a tie, Clamp′ = 1
/// on the closed interval.
/// </summary>
public static class DualRules
{
    public static Dual Call(DualSpace s, FuzzFunction fn, Dual[] args)
    {
        double[] a = Array.ConvertAll(args, d => d.V);
        double value = fn.Evaluate(a);
        if (s.Order == 0 || Array.TrueForAll(args, d => d.G is null && d.H is null))
        {
            return s.Apply(value, args, new double[args.Length], null);
        }

        var d1 = new double[args.Length];
        var d2 = new double[args.Length, args.Length];
        double x = a[0];
        switch (fn.CSharpName, fn.Arity)
        {
            case ("Math.Exp", 1):
                d1[0] = value;
                d2[0, 0] = value;
                break;
            case ("Math.Log", 1):
                d1[0] = 1 / x;
                d2[0, 0] = -1 / (x * x);
                break;
            case ("Math.Log", 2):
            {
                double lb = Math.Log(a[1]);
                double la = Math.Log(x);
                double b = a[1];
                d1[0] = 1 / (x * lb);
                d1[1] = -la / (b * lb * lb);
                d2[0, 0] = -1 / (x * x * lb);
                d2[0, 1] = d2[1, 0] = -1 / (x * b * lb * lb);
                d2[1, 1] = la * (lb + 2) / (b * b * lb * lb * lb);
                break;
            }

            case ("Math.Log10", 1):
                d1[0] = 1 / (x * Math.Log(10));
                d2[0, 0] = -1 / (x * x * Math.Log(10));
                break;
            case ("Math.Log2", 1):
                d1[0] = 1 / (x * Math.Log(2));
                d2[0, 0] = -1 / (x * x * Math.Log(2));
                break;
            case ("Math.Sqrt", 1):
                d1[0] = 0.5 / value;
                d2[0, 0] = -0.25 / (x * value);
                break;
            case ("Math.Cbrt", 1):
                d1[0] = 1 / (3 * value * value);
                d2[0, 0] = -2 / (9 * value * value * value * value * value);
                break;
            case ("Math.Pow", 2):
            {
                double b = a[1];
                d1[0] = b * Math.Pow(x, b - 1);
                d2[0, 0] = b * (b - 1) * Math.Pow(x, b - 2);
                if (args[1].G is not null || args[1].H is not null)
                {
                    double lx = Math.Log(x);
                    d1[1] = value * lx;
                    d2[1, 1] = value * lx * lx;
                    d2[0, 1] = d2[1, 0] = Math.Pow(x, b - 1) * (1 + (b * lx));
                }

                break;
            }

            case ("Math.Sin", 1):
                d1[0] = Math.Cos(x);
                d2[0, 0] = -value;
                break;
            case ("Math.Cos", 1):
                d1[0] = -Math.Sin(x);
                d2[0, 0] = -value;
                break;
            case ("Math.Tan", 1):
            {
                double c = Math.Cos(x);
                double sec2 = 1 / (c * c);
                d1[0] = sec2;
                d2[0, 0] = 2 * value * sec2;
                break;
            }

            case ("Math.Asin", 1):
            {
                double q = (1 - x) * (1 + x);
                d1[0] = 1 / Math.Sqrt(q);
                d2[0, 0] = x / (q * Math.Sqrt(q));
                break;
            }

            case ("Math.Acos", 1):
            {
                double q = (1 - x) * (1 + x);
                d1[0] = -1 / Math.Sqrt(q);
                d2[0, 0] = -x / (q * Math.Sqrt(q));
                break;
            }

            case ("Math.Atan", 1):
            {
                double q = 1 + (x * x);
                d1[0] = 1 / q;
                d2[0, 0] = -2 * x / (q * q);
                break;
            }

            case ("Math.Atan2", 2):
            {
                // atan2(y, x) with y = a[0], x = a[1].
                double y = a[0];
                double xx = a[1];
                double r2 = (xx * xx) + (y * y);
                d1[0] = xx / r2;
                d1[1] = -y / r2;
                d2[0, 0] = -2 * xx * y / (r2 * r2);
                d2[1, 1] = 2 * xx * y / (r2 * r2);
                d2[0, 1] = d2[1, 0] = ((y * y) - (xx * xx)) / (r2 * r2);
                break;
            }

            case ("Math.Sinh", 1):
                d1[0] = Math.Cosh(x);
                d2[0, 0] = value;
                break;
            case ("Math.Cosh", 1):
                d1[0] = Math.Sinh(x);
                d2[0, 0] = value;
                break;
            case ("Math.Tanh", 1) or ("SymMath.Tanh", 1):
            {
                double c = Math.Cosh(x);
                double sech2 = 1 / (c * c);
                d1[0] = sech2;
                d2[0, 0] = -2 * value * sech2;
                break;
            }

            case ("Math.Asinh", 1):
            {
                double q = 1 + (x * x);
                d1[0] = 1 / Math.Sqrt(q);
                d2[0, 0] = -x / (q * Math.Sqrt(q));
                break;
            }

            case ("Math.Acosh", 1):
            {
                double q = (x - 1) * (x + 1);
                d1[0] = 1 / Math.Sqrt(q);
                d2[0, 0] = -x / (q * Math.Sqrt(q));
                break;
            }

            case ("Math.Atanh", 1):
            {
                double q = (1 - x) * (1 + x);
                d1[0] = 1 / q;
                d2[0, 0] = 2 * x / (q * q);
                break;
            }

            case ("Math.FusedMultiplyAdd", 3):
                d1[0] = a[1];
                d1[1] = a[0];
                d1[2] = 1;
                d2[0, 1] = d2[1, 0] = 1;
                break;
            case ("Math.Abs", 1):
                d1[0] = x > 0 ? 1 : x < 0 ? -1 : 0;
                break;
            case ("Math.Max", 2):
                d1[0] = x > a[1] ? 1 : x < a[1] ? 0 : 0.5;
                d1[1] = 1 - d1[0];
                break;
            case ("Math.Min", 2):
                d1[0] = x < a[1] ? 1 : x > a[1] ? 0 : 0.5;
                d1[1] = 1 - d1[0];
                break;
            case ("Math.Clamp", 3):
                if (x < a[1])
                {
                    d1[1] = 1;
                }
                else if (x > a[2])
                {
                    d1[2] = 1;
                }
                else
                {
                    d1[0] = 1;
                }

                break;
            case ("Math.Sign", 1) or ("Math.Floor", 1) or ("Math.Ceiling", 1) or ("Math.Round", 1) or ("Math.Truncate", 1):
                break;
            case ("SymMath.Sigmoid", 1):
            {
                double sp = SigmoidPrime(x);
                d1[0] = sp;
                d2[0, 0] = -sp * Math.Tanh(x / 2);
                break;
            }

            case ("SymMath.SigmoidDerivative", 1):
            {
                double sp = SigmoidPrime(x);
                double t = Math.Tanh(x / 2);
                double c = Math.Cosh(x / 2);
                d1[0] = -sp * t;
                d2[0, 0] = (sp * t * t) - (0.5 * sp / (c * c));
                break;
            }

            case ("SymMath.Softplus", 1):
                d1[0] = SymMath.Sigmoid(x);
                d2[0, 0] = SigmoidPrime(x);
                break;
            case ("SymMath.LogSigmoid", 1):
                d1[0] = SymMath.Sigmoid(-x);
                d2[0, 0] = -SigmoidPrime(x);
                break;
            case ("SymMath.Relu", 1):
                d1[0] = x > 0 ? 1 : 0;
                break;
            case ("SymMath.LeakyRelu", 2):
                if (x > 0)
                {
                    d1[0] = 1;
                }
                else
                {
                    d1[0] = a[1];
                    d1[1] = x;
                    d2[0, 1] = d2[1, 0] = 1;
                }

                break;
            case ("SymMath.TanhDerivative", 1):
            {
                double c = Math.Cosh(x);
                double sech2 = 1 / (c * c);
                double t = Math.Tanh(x);
                d1[0] = -2 * t * sech2;
                d2[0, 0] = (4 * t * t * sech2) - (2 * sech2 * sech2);
                break;
            }

            case ("SymMath.Square", 1):
                d1[0] = 2 * x;
                d2[0, 0] = 2;
                break;
            case ("SymMath.Silu", 1):
            {
                double sg = SymMath.Sigmoid(x);
                double sp = SigmoidPrime(x);
                double spp = -sp * Math.Tanh(x / 2);
                d1[0] = sg + (x * sp);
                d2[0, 0] = (2 * sp) + (x * spp);
                break;
            }

            case ("SymMath.Softsign", 1):
            {
                double q = 1 + Math.Abs(x);
                d1[0] = 1 / (q * q);
                d2[0, 0] = -2 * Math.Sign(x) / (q * q * q);
                break;
            }

            case ("SymMath.Log1p", 1):
                d1[0] = 1 / (1 + x);
                d2[0, 0] = -1 / ((1 + x) * (1 + x));
                break;
            case ("SymMath.Expm1", 1):
                d1[0] = Math.Exp(x);
                d2[0, 0] = d1[0];
                break;
            case ("SymMath.LogSumExp", 2):
            {
                double sp = SigmoidPrime(x - a[1]);
                d1[0] = SymMath.Sigmoid(x - a[1]);
                d1[1] = SymMath.Sigmoid(a[1] - x);
                d2[0, 0] = sp;
                d2[1, 1] = sp;
                d2[0, 1] = d2[1, 0] = -sp;
                break;
            }

            case ("SymMath.Logit", 1):
            {
                double q = x * (1 - x);
                d1[0] = 1 / q;
                d2[0, 0] = ((2 * x) - 1) / (q * q);
                break;
            }

            case ("SymMath.Hypot", 2):
            {
                double r = value;
                double r3 = r * r * r;
                d1[0] = x / r;
                d1[1] = a[1] / r;
                d2[0, 0] = a[1] * a[1] / r3;
                d2[1, 1] = x * x / r3;
                d2[0, 1] = d2[1, 0] = -x * a[1] / r3;
                break;
            }

            default:
                throw new InvalidOperationException("no derivative rule for " + fn.CSharpName + "/" + fn.Arity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return s.Apply(value, args, d1, d2);
    }

    /// <summary>σ′(z) = e^−|z| / (1 + e^−|z|)², accurate for every z.</summary>
    public static double SigmoidPrime(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return e / ((1 + e) * (1 + e));
    }
}
