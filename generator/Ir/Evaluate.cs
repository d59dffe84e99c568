using System;

namespace SymGrad.Generator.Ir;

internal sealed partial class Graph
{
    /// <summary>Evaluates a built-in function on constants (constant folding); mirrors SymGrad.SymMath.</summary>
    public static double Evaluate(Fn fn, double[] a)
    {
        double x = a[0];
        return fn switch
        {
            Fn.Exp => Math.Exp(x),
            Fn.Log => Math.Log(x),
            Fn.Log10 => Math.Log10(x),
            Fn.Log2 => Math.Log(x) / Math.Log(2.0),
            Fn.Sqrt => Math.Sqrt(x),
            Fn.Cbrt => Cbrt(x),
            Fn.Pow => Math.Pow(x, a[1]),
            Fn.Sin => Math.Sin(x),
            Fn.Cos => Math.Cos(x),
            Fn.Tan => Math.Tan(x),
            Fn.Asin => Math.Asin(x),
            Fn.Acos => Math.Acos(x),
            Fn.Atan => Math.Atan(x),
            Fn.Atan2 => Math.Atan2(x, a[1]),
            Fn.Sinh => Math.Sinh(x),
            Fn.Cosh => Math.Cosh(x),
            Fn.Tanh or Fn.Asinh or Fn.Acosh or Fn.Atanh => EvaluateHyperbolic(fn, x),
            Fn.Abs => Math.Abs(x),
            Fn.Max => Math.Max(x, a[1]),
            Fn.Min => Math.Min(x, a[1]),
            Fn.Clamp => Math.Min(Math.Max(x, a[1]), a[2]),
            Fn.Sign => x > 0 ? 1 : x < 0 ? -1 : 0,
            Fn.Floor => Math.Floor(x),
            Fn.Ceiling => Math.Ceiling(x),
            Fn.Round => Math.Round(x),
            Fn.Truncate => Math.Truncate(x),
            Fn.Sigmoid => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x)),
            Fn.SigmoidDerivative => SigmoidDerivative(x),
            Fn.Softplus => Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x))),
            Fn.LogSigmoid => -(Math.Max(-x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)))),
            Fn.Relu => x > 0 ? x : 0.0,
            Fn.LeakyRelu => x > 0 ? x : a[1] * x,
            Fn.TanhDerivative => TanhDerivative(x),
            Fn.Log1p => Log1p(x),
            Fn.Expm1 => Expm1(x),
            Fn.LogSumExp => LogSumExp(x, a[1]),
            Fn.Logit => Math.Log(x) - Log1p(-x),
            Fn.Hypot => Hypot(x, a[1]),
            _ => throw new InvalidOperationException("no evaluation rule for " + fn),
        };
    }

    // The inverse hyperbolic functions and cbrt are not in netstandard2.0's Math; these keep full precision where
    // the textbook formulas lose it (log(x + √(x² + 1)) is 8e-8 off at 1e-10 and overflows at 1e200).
    private static double EvaluateHyperbolic(Fn fn, double x) => fn switch
    {
        Fn.Tanh => Math.Tanh(x),
        Fn.Asinh => Asinh(x),
        Fn.Acosh => Acosh(x),
        _ => Atanh(x),
    };

    private static readonly double Ln2 = Math.Log(2.0);

    private static double Asinh(double x)
    {
        double a = Math.Abs(x);
        double r = a > 1e8 ? Math.Log(a) + Ln2 : Log1p(a + (a * a / (1 + Math.Sqrt(1 + (a * a)))));
        return x < 0 ? -r : x == 0 ? x : r;
    }

    private static double Acosh(double x) =>
        x < 1 ? double.NaN : x > 1e8 ? Math.Log(x) + Ln2 : Log1p((x - 1) + Math.Sqrt((x - 1) * (x + 1)));

    private static double Atanh(double x)
    {
        double a = Math.Abs(x);
        double r = a > 1 ? double.NaN : 0.5 * Log1p(2 * a / (1 - a));
        return x < 0 ? -r : x == 0 ? x : r;
    }

    private static double Cbrt(double x)
    {
        double a = Math.Abs(x);
        double r = Math.Pow(a, 1.0 / 3.0);
        if (r > 0 && !double.IsInfinity(r))
        {
            r -= ((r * r * r) - a) / (3 * r * r); // one Newton step: Pow(a, 1/3) is off by up to ~1e-14
        }

        return x < 0 ? -r : x == 0 ? x : r;
    }

    // The SymMath functions below are copies of the runtime's (SymGrad.SymMath), so a folded constant equals what
    // the generated code would compute.
    private static double Expm1(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1.0;
        }

        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    private static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        return Math.Max(a, b) + Log1p(Math.Exp(-Math.Abs(a - b)));
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a);
        double y = Math.Abs(b);
        double m = Math.Max(x, y);
        if (m == 0.0 || double.IsInfinity(m))
        {
            return m;
        }

        double r = Math.Min(x, y) / m;
        return m * Math.Sqrt(1.0 + (r * r));
    }

    private static double SigmoidDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        return e / ((1 + e) * (1 + e));
    }

    private static double TanhDerivative(double x)
    {
        double e = Math.Exp(-2 * Math.Abs(x));
        return 4 * e / ((1 + e) * (1 + e));
    }

    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (double.IsPositiveInfinity(u))
        {
            return u;
        }

        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
