using System;
using SymGrad.Generator.Functions;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>
/// The derivative rules: ∂n/∂(argument i) for every node kind, written once and used by every mode (reverse for
/// gradients, reverse-over-reverse for Hessians, forward for Hessian-vector products). The rules of the built-in
/// functions are in their <see cref="FunctionTable"/> entries.
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
                return FunctionTable.Get(n.Fn).Partial(g, n, i);
            default:
                throw new InvalidOperationException("no derivative rule for " + n.Op);
        }
    }
}
