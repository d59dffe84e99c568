using System;

namespace SymGrad.Generator.Ir;

/// <summary>NaN-masking: adjoints a branch masks to zero stay exactly 0 whatever they are multiplied by
/// (<see cref="Op.SafeMul"/>, masked selects distributed over products).</summary>
internal sealed partial class Graph
{
    /// <summary>A product with a branch-masked factor, distributed so the masked arm stays 0, or null.</summary>
    private Node? MaskedProduct(Node a, Node b)
    {
        // A branch-masked factor: (c ? p : 0)·q = c ? p·q : 0, so q from the other branch is never used (the zero
        // arm stays 0 even when q is a constant ±∞ or NaN, e.g. ∂(y/0)/∂y = ∞ from a branch not taken).
        if (IsMasked(a))
        {
            return Select(a.A, MaskedMul(a.B, b), MaskedMul(a.C, b));
        }

        if (IsMasked(b))
        {
            return Select(b.A, b.B.IsConstValue(0) ? Zero : Mul(a, b.B), b.C.IsConstValue(0) ? Zero : Mul(a, b.C));
        }

        // A factor masked deeper down (the max/min partial [a > b ? 1 : [a = b ? ½ : 0]]) times a value that is not a
        // branch itself: distribute as well, or ∂√(max(x, 0))/∂x would be ∞·0 = NaN for x < 0. Only a non-select
        // factor is distributed, so a chain of max/min grows linearly, not exponentially.
        if (HasZeroArm(b) && a.Op != Op.Select)
        {
            return Distribute(b, a, otherFirst: true);
        }

        if (HasZeroArm(a) && b.Op != Op.Select)
        {
            return Distribute(a, b, otherFirst: false);
        }

        return null;
    }

    private Node Distribute(Node select, Node other, bool otherFirst)
    {
        Node Arm(Node arm) => arm.IsConstValue(0) ? Zero
            : HasZeroArm(arm) ? Distribute(arm, other, otherFirst)
            : otherFirst ? Mul(other, arm) : Mul(arm, other);
        return Select(select.A, Arm(select.B), Arm(select.C));
    }

    /// <summary>A select with a zero arm at any depth: a value some branch masks to zero.</summary>
    private static bool HasZeroArm(Node n) => n.Op == Op.Select && (n.B.IsConstValue(0) || n.C.IsConstValue(0) || HasZeroArm(n.B) || HasZeroArm(n.C));

    /// <summary>One arm of a masked select times <paramref name="q"/>: 0 when the arm is 0, whatever q is.</summary>
    private Node MaskedMul(Node arm, Node q) => arm.IsConstValue(0) ? Zero : Mul(arm, q);

    /// <summary>A select with a zero arm: a value (typically an adjoint) that a branch masks to zero.</summary>
    private static bool IsMasked(Node n) => n.Op == Op.Select && (n.B.IsConstValue(0) || n.C.IsConstValue(0));

    /// <summary>a·b with 0·anything = 0 (see <see cref="Op.SafeMul"/>).</summary>
    public Node SafeMul(Node a, Node b)
    {
        a = D(a);
        b = D(b);
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        if (a.IsConstValue(0))
        {
            return Zero;
        }

        // A finite constant or a parameter cannot turn a masked 0 into NaN; a constant ±∞ (∂(y/0)/∂y) can.
        if (a.IsConst || (b.IsConst && !double.IsInfinity(b.Value) && !double.IsNaN(b.Value)) || b.Op == Op.Param)
        {
            return Mul(a, b);
        }

        if (a.Op == Op.Select)
        {
            return Select(a.A, SafeMul(a.B, b), SafeMul(a.C, b));
        }

        if (a.Op == Op.Neg)
        {
            return Neg(SafeMul(a.A, b));
        }

        // b is masked too (a max/min/abs partial that is 0 on a whole region): it is the one to guard with, since
        // a (an adjoint) may be ±∞ exactly where b is 0.
        if (HasZeroArm(b))
        {
            return Intern(Op.SafeMul, Fn.None, 0, 0, new[] { b, a });
        }

        return Intern(Op.SafeMul, Fn.None, 0, 0, new[] { a, b });
    }
}
