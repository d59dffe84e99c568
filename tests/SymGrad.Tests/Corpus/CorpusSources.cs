namespace SymGrad.Tests.Corpus;

/// <summary>
/// The hand-written corpus: C# source text compiled in memory with the generator (one compilation per group, many
/// methods each). Every supported construct appears at least once; <see cref="CorpusCatalog"/> says where each
/// method is smooth (regions away from kinks, branch boundaries and domain edges) so it can be checked numerically.
/// </summary>
public static class CorpusSources
{
    /// <summary>Every Math function with a derivative rule, plus Math constants.</summary>
    public const string Elementary = """
        using System;
        using SymGrad;

        namespace Corpus.Elementary
        {
            public static partial class Fns
            {
                [Differentiable] public static double Exp(double x, double y) => Math.Exp(0.5 * x) * y;
                [Differentiable] public static double Log(double x, double y) => Math.Log(x * y) + x;
                [Differentiable] public static double LogBase(double x, double b) => Math.Log(x, b);
                [Differentiable] public static double Log10(double x, double y) => Math.Log10(x) * y;
                [Differentiable] public static double Log2(double x, double y) => Math.Log2(x + y * y);
                [Differentiable] public static double Sqrt(double x, double y) => Math.Sqrt(x * x + y);
                [Differentiable] public static double Cbrt(double x, double y) => Math.Cbrt(x) * y;
                [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
                [Differentiable] public static double PowConstantExponents(double x, double y)
                    => Math.Pow(x, 3) - Math.Pow(y, -2) + Math.Pow(x * y, 0.5) + Math.Pow(y, 2.5) + Math.Pow(x, 7) + Math.Pow(y, 0) + Math.Pow(x, 1);
                [Differentiable] public static double PowConstantBase(double x) => Math.Pow(2.0, x) + Math.Pow(Math.E, -x);
                [Differentiable] public static double Sin(double x, double y) => Math.Sin(x * y);
                [Differentiable] public static double Cos(double x, double y) => Math.Cos(x - 2 * y);
                [Differentiable] public static double Tan(double x, double y) => Math.Tan(x) * y;
                [Differentiable] public static double Asin(double x) => Math.Asin(0.5 * x);
                [Differentiable] public static double Acos(double x, double y) => Math.Acos(x) * y;
                [Differentiable] public static double Atan(double x, double y) => Math.Atan(x / y);
                [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
                [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
                [Differentiable] public static double Cosh(double x, double y) => Math.Cosh(x * y);
                [Differentiable] public static double Tanh(double x, double y) => Math.Tanh(x + y);
                [Differentiable] public static double Asinh(double x) => Math.Asinh(x);
                [Differentiable] public static double Acosh(double x) => Math.Acosh(x);
                [Differentiable] public static double Atanh(double x) => Math.Atanh(x);
                [Differentiable] public static double Abs(double x, double y) => Math.Abs(x - y) * x;
                [Differentiable] public static double Max(double x, double y) => Math.Max(x, y * y);
                [Differentiable] public static double Min(double x, double y) => Math.Min(x * y, x + y);
                [Differentiable] public static double Clamp(double x, double lo, double hi) => Math.Clamp(x, lo, hi) * x;
                [Differentiable] public static double Sign(double x, double y) => Math.Sign(x) * y * y + x;
                [Differentiable] public static double Floor(double x, double y) => Math.Floor(x) * y + x * y;
                [Differentiable] public static double Ceiling(double x, double y) => Math.Ceiling(x) * y - x;
                [Differentiable] public static double Round(double x, double y) => Math.Round(x * y) + x * y * y;
                [Differentiable] public static double Truncate(double x) => Math.Truncate(x) * x;
                [Differentiable] public static double Fma(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z) * z;
                [Differentiable] public static double MathConstants(double x) => Math.PI * x * x + Math.E * x + Math.Tau;
            }
        }
        """;

    /// <summary>Every SymMath function.</summary>
    public const string Activations = """
        using SymGrad;

        namespace Corpus.Activations
        {
            public static partial class Act
            {
                [Differentiable] public static double Sigmoid(double x, [Wrt] double w, [Wrt] double b) => SymMath.Sigmoid(w * x + b);
                [Differentiable] public static double SigmoidDerivative(double x, double y) => SymMath.SigmoidDerivative(x * y);
                [Differentiable] public static double Softplus(double x, double y) => SymMath.Softplus(x - y) * y;
                [Differentiable] public static double LogSigmoid(double x) => SymMath.LogSigmoid(3 * x);
                [Differentiable] public static double Relu(double x, double y) => SymMath.Relu(x - y) * y + x;
                [Differentiable] public static double LeakyRelu(double x, double slope) => SymMath.LeakyRelu(x, slope) * x;
                [Differentiable] public static double Tanh(double x, double y) => SymMath.Tanh(x * y);
                [Differentiable] public static double TanhDerivative(double x) => SymMath.TanhDerivative(x);
                [Differentiable] public static double Square(double x, double y) => SymMath.Square(x - y) + SymMath.Square(x) * y;
                [Differentiable] public static double Silu(double x) => SymMath.Silu(x);
                [Differentiable] public static double Softsign(double x, double y) => SymMath.Softsign(x * y);
                [Differentiable] public static double Log1p(double x, double y) => SymMath.Log1p(x * y);
                [Differentiable] public static double Expm1(double x) => SymMath.Expm1(x) * x;
                [Differentiable] public static double LogSumExp(double a, double b) => SymMath.LogSumExp(a, 2 * b);
                [Differentiable] public static double Logit(double p) => SymMath.Logit(p);
                [Differentiable] public static double Hypot(double a, double b) => SymMath.Hypot(a, b);
            }
        }
        """;

    /// <summary>Statements, locals, branches, early returns, operators, constants and the stability rewrites.</summary>
    public const string Flow = """
        using System;
        using SymGrad;

        namespace Corpus.Flow
        {
            public static partial class Stmt
            {
                private const double Scale = 2.5;
                private const int Three = 3;
                public const double Half = 1.0 / 2;

                [Differentiable]
                public static double Poly(double x, double y) => 3 * x * x * y - 2 * y + 7;

                [Differentiable]
                public static double Locals(double x, double y)
                {
                    var a = x * y;
                    double b = a + x, c = b * b;
                    return a * b + c;
                }

                [Differentiable]
                public static double Reassign(double x, double y)
                {
                    double t = x;
                    t = t * y;
                    t = t + x;
                    t = Math.Sin(t);
                    return t * x;
                }

                [Differentiable]
                public static double CompoundAssign(double x, double y)
                {
                    double t = x;
                    t += y;
                    t *= x;
                    t -= y * y;
                    t /= 1 + x * x;
                    return t;
                }

                [Differentiable]
                public static double IncrementDecrement(double x, double y)
                {
                    double t = x * y;
                    t++;
                    ++t;
                    t--;
                    --t;
                    t++;
                    return t * t;
                }

                [Differentiable]
                public static double AssignParameters(double x, double y)
                {
                    x = x * y;
                    y += x;
                    x++;
                    return x * y;
                }

                [Differentiable]
                public static double BoolLocal(double x, double y)
                {
                    bool bigger = x > y;
                    return bigger ? x * x * y : y * y * x;
                }

                [Differentiable]
                public static double BoolLocalsCombined(double x, double y)
                {
                    bool a = x > 0;
                    bool b = y > 0;
                    bool both = a && b;
                    bool neither = !a && !b;
                    if (both)
                    {
                        return x * y;
                    }

                    if (neither)
                    {
                        return x * x * y;
                    }

                    return x + y * y;
                }

                [Differentiable]
                public static double Ternary(double x, double y) => x > y ? Math.Exp(x - y) : Math.Exp(y - x) * x;

                [Differentiable]
                public static double NestedTernary(double x) => x < -1 ? -x * x : x < 1 ? x * x * x : Math.Sqrt(x) + 1;

                [Differentiable]
                public static double IfElse(double x, double y)
                {
                    double r;
                    if (x > y)
                    {
                        r = x * y;
                    }
                    else
                    {
                        r = x - y;
                    }

                    return r * r;
                }

                [Differentiable]
                public static double IfElseIfElse(double x)
                {
                    double r;
                    if (x < -1)
                        r = -x;
                    else if (x < 1)
                        r = x * x;
                    else
                        r = 2 * x - 1;
                    return r * Math.Exp(0.1 * x);
                }

                [Differentiable]
                public static double IfWithoutElse(double x, double y)
                {
                    double r = x;
                    if (y > 0)
                    {
                        r *= y;
                    }

                    return r + y;
                }

                [Differentiable]
                public static double EarlyReturn(double x, double y)
                {
                    if (x < 0)
                    {
                        return -x * y;
                    }

                    return x * y * y;
                }

                [Differentiable]
                public static double MultipleEarlyReturns(double x)
                {
                    if (x < -1)
                    {
                        return Math.Exp(x);
                    }

                    if (x < 1)
                    {
                        double s = x * x;
                        return s + 0.5;
                    }

                    return Math.Log(x) + 1.5;
                }

                [Differentiable]
                public static double EarlyReturnInNestedBranch(double x, double y)
                {
                    double r = x * y;
                    if (x > 0)
                    {
                        r += x;
                    }
                    else
                    {
                        if (y > 0)
                        {
                            return r * r;
                        }

                        r -= y;
                    }

                    return r * x;
                }

                [Differentiable]
                public static double BothBranchesReturn(double x, double y)
                {
                    double a = x + y;
                    if (a > 1)
                    {
                        return a * a;
                    }
                    else
                    {
                        return Math.Exp(a) * y;
                    }
                }

                [Differentiable]
                public static double Comparisons(double x, double y)
                {
                    double r = 0;
                    if (x < y) r += x;
                    if (x <= y) r += y * 2;
                    if (x > y) r += x * x;
                    if (x >= y) r += y * y;
                    if (x != y) r += x * y;
                    if (x == y) r += 1000;
                    return r;
                }

                [Differentiable]
                public static double EqualityOnData([Wrt] double x, double mode)
                {
                    if (mode == 1.0)
                    {
                        return x * x;
                    }

                    if (mode != 2.0)
                    {
                        return x * x * x;
                    }

                    return Math.Sin(x);
                }

                [Differentiable]
                public static double LogicalOperators(double x, double y)
                {
                    if (x > 0 && y > 0)
                    {
                        return x * y;
                    }

                    if (x < 0 || y < 0)
                    {
                        if (!(x < 0))
                        {
                            return x + y * y;
                        }

                        return x * x - y;
                    }

                    return 0;
                }

                [Differentiable]
                public static double UnaryOperators(double x, double y) => -x * +y - -(x * x) + -(-y);

                [Differentiable]
                public static double ConstFields(double x) => Scale * x * x + Three * x + Half;

                [Differentiable]
                public static double ConstLocals(double x)
                {
                    const double k = 0.25;
                    const int n = 4;
                    return k * Math.Pow(x, n) + n * x;
                }

                // C# integer arithmetic: 1 / 2 == 0, 3 / 2 == 1, 7 % 4 == 3; (double)1 / 4 == 0.25.
                [Differentiable]
                public static double IntegerConstants(double x, double y)
                {
                    double t = 2 + 3 * 4;
                    return (1 / 2) * x + 3 / 2 * y + 1.0 / 2 * x * y + 7 % 4 * x + t * y + (double)1 / 4 * x * x;
                }

                [Differentiable]
                public static double DeepExpression(double x, double y)
                    => (((((x + 1) * (y - 2) + x * x) / (1 + y * y) - Math.Sin(x * (y + 0.5))) * (x - y)
                        + Math.Exp(-(x * x)) * ((y + x) * (y - x) + 3)) / (2 + Math.Cos(x + y))
                        + Math.Sqrt(1 + (x * y) * (x * y)) * Math.Atan(x - (y - (x - (y - 0.5)))));

                [Differentiable]
                public static double ManyParameters(double a, double b, double c, double d, double e, double f)
                    => a * b + c * d * e - f / (1 + a * a) + Math.Exp(b * c - d) + Math.Log(1 + e * e) * f;

                [Differentiable]
                public static double HandWrittenSigmoid(double x, [Wrt] double w, [Wrt] double b)
                {
                    double z = w * x + b;
                    return 1 / (1 + Math.Exp(-z));
                }

                [Differentiable]
                public static double BinaryCrossEntropy(double x, double y, [Wrt] double w, [Wrt] double b)
                {
                    double p = 1 / (1 + Math.Exp(-(w * x + b)));
                    return -(y * Math.Log(p) + (1 - y) * Math.Log(1 - p));
                }

                [Differentiable]
                public static double StabilityRewrites(double x, double y)
                    => Math.Log(Math.Exp(x) + Math.Exp(y)) + Math.Log(1 + Math.Exp(x - y)) + Math.Log(1 + x * x)
                        + (Math.Exp(0.5 * y) - 1) / y + Math.Exp(x) / (1 + Math.Exp(x)) + Math.Log(Math.Exp(x * y));

                [Differentiable]
                public static double OneMinusSquashes(double z)
                    => (1 - SymMath.Sigmoid(z)) * z + (1 - Math.Tanh(z) * Math.Tanh(z)) + SymMath.Sigmoid(z) * SymMath.Sigmoid(-z);

                [Differentiable]
                public static double Casts(double x) => (double)x * (double)(x + 1) + (double)2;

                [Differentiable]
                public static double NestedBlocks(double x)
                {
                    double a = x * 2;
                    {
                        a += 1;
                        {
                            double b = a * x;
                            return ((b)) * (x);
                        }
                    }
                }

                [Differentiable]
                public static double DeadCode(double x)
                {
                    double unusedLog = Math.Log(x);
                    return x * x;
                }

                // The branch not taken has an infinite or NaN derivative (√x at x < 0): it must not leak in as 0·∞.
                [Differentiable]
                public static double BranchNotTakenIsNaN(double x) => x > 0 ? Math.Sqrt(x) + Math.Log(x) : x * x;

                // ∂/∂sin = cos and ∂/∂cos = sin: forward values that are each other's adjoints (once a stack overflow).
                [Differentiable]
                public static double ProductOfForwardValues(double x) => Math.Sin(x) * Math.Cos(x);

                [Differentiable]
                public static double SharedSubexpressions(double x, double y)
                {
                    double s = Math.Sin(x * y);
                    double u = Math.Sin(x * y) * s + Math.Sin(y * x);
                    return u * s + s;
                }

                [Differentiable]
                public static double SelectThenArithmetic(double x, double y)
                {
                    double a = x;
                    if (y > 0)
                    {
                        a = a * y;
                    }
                    else
                    {
                        a = a / y;
                    }

                    double b = a * a + x;
                    if (b > 2)
                    {
                        b = Math.Log(b);
                    }

                    return a * b;
                }
            }
        }
        """;

    /// <summary>Calls: inlining within a type, across types and namespaces, nested, optional and named arguments.</summary>
    public const string Calls = """
        using System;
        using SymGrad;
        using Corpus.Helpers;

        namespace Corpus.Helpers
        {
            public static class MathHelpers
            {
                public const double Bias = 0.125;

                public static double Poly(double x) => x * x + Bias * x;

                internal static double Smooth(double x, double y = 2.0, double z = -0.5) => x * y + Math.Sin(z * x);

                public static double Branchy(double x)
                {
                    if (x > 1)
                    {
                        return Math.Log(x);
                    }

                    return x - 1;
                }

                public static double Level3(double x) => Math.Exp(-x * x);

                public static double Level2(double x, double y) => Level3(x) * y + Level3(y);

                public static double Level1(double x, double y) => Level2(x, y) + Level2(y, x) * Poly(x);

                public static double IntDefault(double x, double k = 2) => x * k;

                public static double WithLocals(double v)
                {
                    double t = v * v;
                    t += 1;
                    return t;
                }
            }

            public struct Vec
            {
                public static double Dot(double a, double b) => a * b + 1;
            }
        }

        namespace Corpus.Calls
        {
            public static partial class Callers
            {
                private const double Gain = 1.5;

                private static double Square(double v) => v * v;

                private static double Scaled(double v) => Gain * v;

                [Differentiable] public static double SameType(double x, double y) => Square(x) + Square(x * y) + Scaled(y);

                [Differentiable] public static double CrossType(double x) => MathHelpers.Poly(x) * Math.Cos(x);

                [Differentiable] public static double Nested(double x, double y) => MathHelpers.Level1(x, y);

                [Differentiable] public static double OptionalArguments(double x) => MathHelpers.Smooth(x) + MathHelpers.Smooth(x, 3.0);

                [Differentiable] public static double NamedArguments(double x, double y) => MathHelpers.Smooth(z: y, x: x) + MathHelpers.Smooth(y: x, x: y);

                [Differentiable] public static double CalleeWithBranches(double x) => MathHelpers.Branchy(x) * x;

                [Differentiable] public static double IntegerArguments(double x) => MathHelpers.IntDefault(x) + MathHelpers.IntDefault(x, 3) + Square(2) * x;

                [Differentiable] public static double CallsDifferentiable([Wrt] double w, double x) => Inner(w * x) + Inner(w);

                [Differentiable] public static double Inner(double v) => Math.Tanh(v) * v;

                [Differentiable]
                public static double CalleeLocalsDoNotClash(double x)
                {
                    double t = x * 2;
                    return MathHelpers.WithLocals(t) + t;
                }

                [Differentiable] public static double StructCallee(double x) => Vec.Dot(x, x + 1) * Corpus.Helpers.Vec.Dot(x, 2);

                [Differentiable] public static double SameCalleeTwice(double x) => Square(Math.Sin(x)) * Square(x) + Square(Math.Sin(x));
            }

            public partial struct PartialStruct
            {
                [Differentiable] public static double Energy(double x, double v) => 0.5 * v * v + (1 - Math.Cos(x));
            }

            public partial class Outer
            {
                public static partial class InnerType
                {
                    [Differentiable] internal static double NestedMethod(double x, double y) => x * Math.Exp(y);
                }
            }

            internal static partial class InternalType
            {
                [Differentiable] internal static double Cube(double x) => x * x * x;
            }

            public partial record Rec
            {
                [Differentiable] public static double Kinetic(double m, double v) => 0.5 * m * v * v;
            }
        }

        public static partial class GlobalNamespaceType
        {
            [Differentiable] public static double Smooth(double x) => Math.Sqrt(1 + x * x);
        }
        """;

    /// <summary>Methods with <c>Hessian = true</c>.</summary>
    public const string Second = """
        using System;
        using SymGrad;

        namespace Corpus.Second
        {
            public static partial class Hess
            {
                [Differentiable(Hessian = true)]
                public static double Quadratic(double x, double y) => 3 * x * x + 2 * x * y + y * y;

                [Differentiable(Hessian = true)]
                public static double Poly(double x, double y) => x * x * y + Math.Sin(x * y);

                [Differentiable(Hessian = true)]
                public static double Logistic(double x, double y, [Wrt] double w, [Wrt] double b) => SymMath.Softplus(w * x + b) - y * (w * x + b);

                [Differentiable(Hessian = true)]
                public static double Branchy(double x, double y)
                {
                    if (x > y)
                    {
                        return x * x * y;
                    }

                    return Math.Exp(x) * y;
                }

                [Differentiable(Hessian = true)]
                public static double Three(double a, double b, double c) => Math.Exp(a * b) / (1 + c * c) + Math.Pow(a, 3) * c + Math.Pow(a, b);

                [Differentiable(Hessian = true)]
                public static double WithCallee(double x, double y)
                {
                    double r = Radius(x, y);
                    return r * Math.Atan(x) + Math.Log(r);
                }

                private static double Radius(double x, double y) => Math.Sqrt(x * x + y * y + 1);

                [Differentiable(Hessian = true)]
                public static double TinyNetLoss(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
                {
                    double a2 = SymMath.Sigmoid(w2 * x + b2);
                    double a3 = SymMath.Sigmoid(w3 * a2 + b3);
                    return (y - a3) * (y - a3);
                }

                [Differentiable(Hessian = true)]
                public static double Activations(double x, double y)
                    => SymMath.Tanh(x * y) + SymMath.Sigmoid(x - y) + SymMath.LogSumExp(x, y) + SymMath.Hypot(x, y) + SymMath.Softplus(y) * x;

                [Differentiable(Hessian = true)]
                public static double Trig(double x, double y)
                    => Math.Tan(x) * Math.Atan2(y, x) + Math.Asinh(x * y) + Math.Acos(0.3 * y) + Math.Cbrt(x + 2) * Math.Log10(y);
            }
        }
        """;
}
