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
    /// <summary>
    /// ∂n/∂n.Args[i], or null when argument i is not differentiable (a condition, an index), n has no derivative (a
    /// comparison) or n is a custom function without a rule for argument i.
    /// </summary>
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
            case Op.Call when n.Fn == Fn.Custom:
                // A user's rule ([DerivativeOf]), instantiated at the call's arguments; null when none gives this partial
                // (the lowerer has reported the call if the partial is needed).
                return g.CustomPartial(n, i);
            case Op.Call:
                return FunctionTable.Get(n.Fn).Partial(g, n, i);
            default:
                throw new InvalidOperationException("no derivative rule for " + n.Op);
        }
    }

    /// <summary>
    /// <see cref="Partial"/> for an argument the derivative depends on: a custom function without a rule for it is an
    /// error here (the lowerer reports such calls, so this is a bug, never a silently zero derivative).
    /// </summary>
    public static Node? Needed(Graph g, Node n, int i)
    {
        Node? partial = Partial(g, n, i);
        if (partial is null && n.Op == Op.Call && n.Fn == Fn.Custom)
        {
            throw new InvalidOperationException("no derivative rule for argument " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " of " + g.Customs[n.Index].Name);
        }

        return partial;
    }
}
