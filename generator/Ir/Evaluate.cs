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
            Fn.Cbrt => x < 0 ? -Math.Pow(-x, 1.0 / 3.0) : Math.Pow(x, 1.0 / 3.0),
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
            Fn.Expm1 => Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1.0,
            Fn.LogSumExp => Math.Max(x, a[1]) + Log1p(Math.Exp(-Math.Abs(x - a[1]))),
            Fn.Logit => Math.Log(x) - Log1p(-x),
            Fn.Hypot => Math.Sqrt((x * x) + (a[1] * a[1])),
            _ => throw new InvalidOperationException("no evaluation rule for " + fn),
        };
    }

    private static double EvaluateHyperbolic(Fn fn, double x) => fn switch
    {
        Fn.Tanh => Math.Tanh(x),
        Fn.Asinh => Math.Log(x + Math.Sqrt((x * x) + 1)),
        Fn.Acosh => Math.Log(x + Math.Sqrt((x * x) - 1)),
        _ => 0.5 * Math.Log((1 + x) / (1 - x)),
    };

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
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
