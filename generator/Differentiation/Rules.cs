using System;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>
/// The derivative-rule registry: ∂n/∂(argument i) for every node kind, written once and used by every
/// mode (reverse for gradients, reverse-over-reverse for Hessians, forward for Hessian-vector products).
/// Subgradients at kinks: |x|′(0) = 0, max/min split 1/2–1/2 at ties, relu′(0) = 0, clamp′ = 1 on the closed
/// interval. Step functions (floor, round, sign, …) have derivative 0.
/// </summary>
internal static class Rules
{
    /// <summary>∂n/∂n.Args[i], or null when argument i is not differentiable (a condition, an index) or n has no derivative (a comparison).</summary>
    public static Node? Partial(Graph g, Node n, int i)
    {
        Node x = n.Args[i];
        if (!x.IsReal || !n.IsReal || n.Op is Op.Load or Op.ToDouble)
        {
            return null;
        }

        switch (n.Op)
        {
            case Op.Neg: return g.Const(-1);
            case Op.Add: return g.One;
            case Op.Sub: return i == 0 ? g.One : g.Const(-1);
            case Op.Mul: return i == 0 ? n.B : n.A;
            case Op.SafeMul: return i == 0 ? n.B : n.A;
            case Op.Div:
                // ∂(a/b)/∂a = 1/b;  ∂(a/b)/∂b = −(a/b)/b
                return i == 0 ? g.Div(g.One, n.B) : g.Neg(g.Div(n, n.B));
            case Op.Select:
                return i == 1 ? g.Select(n.A, g.One, g.Zero) : g.Select(n.A, g.Zero, g.One);
            case Op.Call:
                return CallPartial(g, n, i);
            default:
                throw new InvalidOperationException("no derivative rule for " + n.Op);
        }
    }

    private static Node CallPartial(Graph g, Node n, int i)
    {
        Node x = n.A;
        switch (n.Fn)
        {
            case Fn.Exp: return n;
            case Fn.Log: return g.Div(g.One, x);
            case Fn.Log10: return g.Div(g.One, g.Mul(g.Const(Math.Log(10.0)), x));
            case Fn.Log2: return g.Div(g.One, g.Mul(g.Const(Math.Log(2.0)), x));
            case Fn.Sqrt: return g.Div(g.Const(0.5), n);
            case Fn.Cbrt: return g.Div(g.One, g.Mul(g.Const(3.0), g.Mul(n, n)));
            case Fn.Pow:
                if (i == 0)
                {
                    // ∂(a^b)/∂a = b·a^(b−1), taken as 0 at b = 0 (a^0 is constant 1, also at a = 0 where 0·0^(−1) is NaN).
                    return g.Select(g.Compare(Op.Eq, n.B, g.Zero), g.Zero, g.Mul(n.B, g.Call(Fn.Pow, x, g.Sub(n.B, g.One))));
                }

                // ∂(a^b)/∂b = a^b·ln a, taken as 0 at a = 0 (where a^b is constant 0 for b > 0).
                return g.Select(g.Compare(Op.Eq, x, g.Zero), g.Zero, g.Mul(n, g.Call(Fn.Log, x)));
            case Fn.Sin: return g.Call(Fn.Cos, x);
            case Fn.Cos: return g.Neg(g.Call(Fn.Sin, x));
            case Fn.Tan: return g.Add(g.One, g.Mul(n, n));
            case Fn.Asin: return g.Div(g.One, g.Call(Fn.Sqrt, g.Sub(g.One, g.Mul(x, x))));
            case Fn.Acos: return g.Neg(g.Div(g.One, g.Call(Fn.Sqrt, g.Sub(g.One, g.Mul(x, x)))));
            case Fn.Atan: return g.Div(g.One, g.Add(g.One, g.Mul(x, x)));
            case Fn.Atan2:
            {
                // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
                Node r2 = g.Add(g.Mul(n.B, n.B), g.Mul(n.A, n.A));
                return i == 0 ? g.Div(n.B, r2) : g.Neg(g.Div(n.A, r2));
            }

            case Fn.Sinh: return g.Call(Fn.Cosh, x);
            case Fn.Cosh: return g.Call(Fn.Sinh, x);
            case Fn.Tanh: return g.Call(Fn.TanhDerivative, x);
            case Fn.Asinh: return g.Div(g.One, g.Call(Fn.Sqrt, g.Add(g.Mul(x, x), g.One)));
            case Fn.Acosh: return g.Div(g.One, g.Call(Fn.Sqrt, g.Sub(g.Mul(x, x), g.One)));
            case Fn.Atanh: return g.Div(g.One, g.Sub(g.One, g.Mul(x, x)));
            case Fn.Abs:
                // sign(x), with the subgradient 0 at x = 0
                return g.Select(g.Compare(Op.Greater, x, g.Zero), g.One, g.Select(g.Compare(Op.Less, x, g.Zero), g.Const(-1), g.Zero));
            case Fn.Max:
            case Fn.Min:
            {
                Node self = n.Args[i];
                Node other = n.Args[1 - i];
                Op wins = n.Fn == Fn.Max ? Op.Greater : Op.Less;
                return g.Select(g.Compare(wins, self, other), g.One, g.Select(g.Compare(Op.Eq, self, other), g.Const(0.5), g.Zero));
            }

            case Fn.Clamp:
            {
                Node v = n.A;
                Node lo = n.B;
                Node hi = n.C;
                return i switch
                {
                    0 => g.Select(g.Compare(Op.Less, v, lo), g.Zero, g.Select(g.Compare(Op.Greater, v, hi), g.Zero, g.One)),
                    1 => g.Select(g.Compare(Op.Less, v, lo), g.One, g.Zero),
                    _ => g.Select(g.Compare(Op.Greater, v, hi), g.One, g.Zero),
                };
            }

            case Fn.Sign:
            case Fn.Floor:
            case Fn.Ceiling:
            case Fn.Round:
            case Fn.Truncate:
                return g.Zero;
            case Fn.Sigmoid: return g.Call(Fn.SigmoidDerivative, x);
            case Fn.SigmoidDerivative:
                // σ″(z) = σ′(z)·(1 − 2σ(z)) = σ′(z)·(σ(−z) − σ(z))
                return g.Mul(n, g.Sub(g.Call(Fn.Sigmoid, g.Neg(x)), g.Call(Fn.Sigmoid, x)));
            case Fn.Softplus: return g.Call(Fn.Sigmoid, x);
            case Fn.LogSigmoid: return g.Call(Fn.Sigmoid, g.Neg(x));
            case Fn.Relu: return g.Select(g.Compare(Op.Greater, x, g.Zero), g.One, g.Zero);
            case Fn.LeakyRelu:
                return i == 0
                    ? g.Select(g.Compare(Op.Greater, x, g.Zero), g.One, n.B)
                    : g.Select(g.Compare(Op.Greater, x, g.Zero), g.Zero, x);
            case Fn.TanhDerivative:
                // (sech² x)′ = −2·tanh x·sech² x
                return g.Mul(g.Const(-2.0), g.Mul(g.Call(Fn.Tanh, x), n));
            case Fn.Log1p: return g.Div(g.One, g.Add(g.One, x));
            case Fn.Expm1: return g.Call(Fn.Exp, x);
            case Fn.LogSumExp:
                // ∂/∂a log(e^a + e^b) = σ(a − b)
                return i == 0 ? g.Call(Fn.Sigmoid, g.Sub(n.A, n.B)) : g.Call(Fn.Sigmoid, g.Sub(n.B, n.A));
            case Fn.Logit: return g.Div(g.One, g.Mul(x, g.Sub(g.One, x)));
            case Fn.Hypot: return g.Div(n.Args[i], n);
            default:
                throw new InvalidOperationException("no derivative rule for " + n.Fn);
        }
    }
}
