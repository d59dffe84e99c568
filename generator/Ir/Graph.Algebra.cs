using System;

namespace SymGrad.Generator.Ir;

/// <summary>Algebra: the arithmetic, function-call and branch constructors with their identities (x·1, x + 0, −(−x), …)
/// and constant folding. The numerical-stability rewrites they try are in Graph.Stability.cs, the branch masks in
/// Graph.Masking.cs.</summary>
internal sealed partial class Graph
{
    // ---------------------------------------------------------------- arithmetic

    public Node Neg(Node a)
    {
        a = D(a);
        if (a.IsConst)
        {
            return Const(-a.Value);
        }

        if (a.Op == Op.Neg)
        {
            return a.A;
        }

        if (a.Op == Op.Sub)
        {
            return Sub(a.B, a.A);
        }

        // −(c·x) = (−c)·x, the same bits (negation is exact) and one operation fewer. Mul puts the constant first.
        if (a.Op == Op.Mul && a.A.IsConst)
        {
            return Mul(Const(-a.A.Value), a.B);
        }

        // −(c ? p : 0) = c ? −p : 0: keeps a branch mask visible to the products that follow (else −1·mask·∞ = NaN).
        if (HasZeroArm(a))
        {
            return Select(a.A, Neg(a.B), Neg(a.C));
        }

        return Intern(Op.Neg, Fn.None, 0, 0, new[] { a });
    }

    /// <summary>c·x with a constant c &lt; 0 (Mul puts the constant first).</summary>
    private static bool IsNegativeScaled(Node n) => n.Op == Op.Mul && n.A.IsConst && n.A.Value < 0;

    public Node Add(Node a, Node b)
    {
        a = D(a);
        b = D(b);
        if (a.IsConst && b.IsConst)
        {
            return Const(a.Value + b.Value);
        }

        if (a.IsConstValue(0))
        {
            return b;
        }

        if (b.IsConstValue(0))
        {
            return a;
        }

        if (b.Op == Op.Neg)
        {
            return Sub(a, b.A);
        }

        if (a.Op == Op.Neg)
        {
            return Sub(b, a.A);
        }

        if (b.IsConst && b.Value < 0)
        {
            return Sub(a, Const(-b.Value));
        }

        // a + (−c)·x = a − c·x and (−c)·x + b = b − c·x: the same bits, and c·x may already be a node.
        if (IsNegativeScaled(b))
        {
            return Sub(a, Mul(Const(-b.A.Value), b.B));
        }

        if (IsNegativeScaled(a))
        {
            return Sub(b, Mul(Const(-a.A.Value), a.B));
        }

        if (a == b)
        {
            return Mul(Const(2.0), a);
        }

        // Masked adjoints from both arms of one branch: (c ? p : 0) + (c ? 0 : q) = c ? p : q.
        if (a.Op == Op.Select && b.Op == Op.Select && a.A == b.A)
        {
            return Select(a.A, Add(a.B, b.B), Add(a.C, b.C));
        }

        return InternCommutative(Op.Add, a, b);
    }

    public Node Sub(Node a, Node b)
    {
        a = D(a);
        b = D(b);
        if (a.IsConst && b.IsConst)
        {
            return Const(a.Value - b.Value);
        }

        if (b.IsConstValue(0))
        {
            return a;
        }

        if (a.IsConstValue(0))
        {
            return Neg(b);
        }

        if (a == b)
        {
            return Zero;
        }

        if (b.Op == Op.Neg)
        {
            return Add(a, b.A);
        }

        if (b.IsConst && b.Value < 0)
        {
            return Add(a, Const(-b.Value));
        }

        if (IsNegativeScaled(b))
        {
            return Add(a, Mul(Const(-b.A.Value), b.B));
        }

        if (StableDifference(a, b) is Node stable)
        {
            return stable;
        }

        return Intern(Op.Sub, Fn.None, 0, 0, new[] { a, b });
    }

    public Node Mul(Node a, Node b)
    {
        a = D(a);
        b = D(b);
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        if (a.IsConst && b.IsConst)
        {
            return Const(a.Value * b.Value);
        }

        // Constants go first: 2·x reads better than x·2.
        if (b.IsConst && !a.IsConst)
        {
            (a, b) = (b, a);
        }

        if (a.IsConstValue(0))
        {
            return Zero;
        }

        if (a.IsConstValue(1))
        {
            return b;
        }

        if (a.IsConstValue(-1))
        {
            return Neg(b);
        }

        if (a.Op == Op.Neg && b.Op == Op.Neg)
        {
            return Mul(a.A, b.A);
        }

        if (a.IsConst && b.Op == Op.Mul && b.A.IsConst)
        {
            return Mul(Const(a.Value * b.A.Value), b.B);
        }

        // c·(−x) = (−c)·x: the same bits, one operation fewer.
        if (a.IsConst && b.Op == Op.Neg)
        {
            return Mul(Const(-a.Value), b.A);
        }

        if (StableProduct(a, b) is Node stable)
        {
            return stable;
        }

        return MaskedProduct(a, b) ?? InternCommutative(Op.Mul, a, b);
    }

    public Node Div(Node a, Node b)
    {
        a = D(a);
        b = D(b);
        if (a.IsConst && b.IsConst)
        {
            return Const(a.Value / b.Value);
        }

        if (b.IsConstValue(1))
        {
            return a;
        }

        if (b.IsConstValue(-1))
        {
            return Neg(a);
        }

        if (a.IsConstValue(0))
        {
            return Zero;
        }

        if (a.Op == Op.Neg && b.Op == Op.Neg)
        {
            return Div(a.A, b.A);
        }

        if (a.Op == Op.Neg)
        {
            return Neg(Div(a.A, b));
        }

        if (a == b)
        {
            return One;
        }

        return StableQuotient(a, b) ?? Intern(Op.Div, Fn.None, 0, 0, new[] { a, b });
    }

    // ---------------------------------------------------------------- functions

    public Node Call(Fn fn, params Node[] args)
    {
        for (int k = 0; k < args.Length; k++)
        {
            args[k] = D(args[k]);
        }

        bool allConst = true;
        foreach (Node arg in args)
        {
            allConst &= arg.IsConst;
        }

        if (allConst && Folds(fn))
        {
            double[] values = new double[args.Length];
            for (int i = 0; i < args.Length; i++)
            {
                values[i] = args[i].Value;
            }

            return Const(Functions.FunctionTable.Fold(fn, values));
        }

        Node x = args[0];
        if (StableCall(fn, args) is Node stable)
        {
            return stable;
        }

        switch (fn)
        {
            case Fn.Sqrt:
                // √(x·x) → |x|.
                if (x.Op == Op.Mul && x.A == x.B)
                {
                    return Call(Fn.Abs, x.A);
                }

                break;

            case Fn.Exp:
                if (x.Op == Op.Call && x.Fn == Fn.Log)
                {
                    // e^(log x) is x only for x > 0; keep it (log of a negative is NaN).
                    break;
                }

                break;

            case Fn.Abs:
                if (x.Op == Op.Neg)
                {
                    return Call(Fn.Abs, x.A);
                }

                if (x.Op == Op.Call && x.Fn == Fn.Abs)
                {
                    return x;
                }

                break;

            case Fn.Pow:
                return PowCore(args[0], args[1]);

            case Fn.Max:
            case Fn.Min:
                // max(x, x) = min(x, x) = x, NaN included; its derivative rule would compare x with itself.
                if (args[0] == args[1])
                {
                    return x;
                }

                break;
        }

        return Intern(Op.Call, fn, 0, 0, args);
    }

    private Node PowCore(Node a, Node b)
    {
        if (b.IsConst)
        {
            double e = b.Value;
            if (e == 0)
            {
                return One;
            }

            if (e == 1)
            {
                return a;
            }

            if (e == 0.5)
            {
                return Call(Fn.Sqrt, a);
            }

            if (e == Math.Floor(e) && Math.Abs(e) <= 4)
            {
                // Small integer exponents as products: exact, and x^2 has no log in its derivative.
                Node p = a;
                for (int i = 1; i < (int)Math.Abs(e); i++)
                {
                    p = Mul(p, a);
                }

                return e > 0 ? p : Div(One, p);
            }
        }

        return Intern(Op.Call, Fn.Pow, 0, 0, new[] { a, b });
    }

    // ---------------------------------------------------------------- branches and conditions

    public Node Select(Node c, Node a, Node b)
    {
        if ((a.IsInt || b.IsInt) && IsIntLike(a) && IsIntLike(b))
        {
            // An int choice (an index, a count): both sides int.
            a = I(a);
            b = I(b);
        }
        else
        {
            a = D(a);
            b = D(b);
        }

        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        if (c.Op == Op.True)
        {
            return a;
        }

        if (c.Op == Op.False)
        {
            return b;
        }

        if (a == b)
        {
            return a;
        }

        if (c.Op == Op.Not)
        {
            return Select(c.A, b, a);
        }

        // Nested selects on the same condition collapse.
        if (a.Op == Op.Select && a.A == c)
        {
            return Select(c, a.B, b);
        }

        if (b.Op == Op.Select && b.A == c)
        {
            return Select(c, a, b.C);
        }

        return Intern(Op.Select, Fn.None, 0, 0, new[] { c, a, b });
    }

    public Node Compare(Op op, Node a, Node b)
    {
        if (a.IsInt && IsIntLike(b))
        {
            b = I(b);
        }
        else if (b.IsInt && IsIntLike(a))
        {
            a = I(a);
        }
        else if (a.IsInt != b.IsInt)
        {
            a = D(a);
            b = D(b);
        }

        if (a.Op == Op.IConst && b.Op == Op.IConst)
        {
            return Bool(op switch { Op.Less => a.Value < b.Value, Op.LessEq => a.Value <= b.Value, Op.Greater => a.Value > b.Value, Op.GreaterEq => a.Value >= b.Value, Op.Eq => a.Value == b.Value, _ => a.Value != b.Value });
        }

        if (a.IsConst && b.IsConst)
        {
            bool r = op switch
            {
                Op.Less => a.Value < b.Value,
                Op.LessEq => a.Value <= b.Value,
                Op.Greater => a.Value > b.Value,
                Op.GreaterEq => a.Value >= b.Value,
                Op.Eq => a.Value == b.Value,
                _ => a.Value != b.Value,
            };
            return Bool(r);
        }

        // x < x and x > x are false for every x, NaN included (C# would also warn about them: CS1718).
        if (a == b && op is Op.Less or Op.Greater)
        {
            return Bool(false);
        }

        if (a.IsBool || b.IsBool)
        {
            // bool == bool
            if (op == Op.Eq)
            {
                return Or(And(a, b), And(Not(a), Not(b)));
            }

            return Or(And(a, Not(b)), And(Not(a), b));
        }

        return Intern(op, Fn.None, 0, 0, new[] { a, b });
    }

    public Node And(Node a, Node b)
    {
        if (a.Op == Op.False || b.Op == Op.False)
        {
            return Bool(false);
        }

        if (a.Op == Op.True)
        {
            return b;
        }

        if (b.Op == Op.True || a == b)
        {
            return a;
        }

        return Intern(Op.And, Fn.None, 0, 0, new[] { a, b });
    }

    public Node Or(Node a, Node b)
    {
        if (a.Op == Op.True || b.Op == Op.True)
        {
            return Bool(true);
        }

        if (a.Op == Op.False)
        {
            return b;
        }

        if (b.Op == Op.False || a == b)
        {
            return a;
        }

        if ((a.Op == Op.Not && a.A == b) || (b.Op == Op.Not && b.A == a))
        {
            return Bool(true);
        }

        return Intern(Op.Or, Fn.None, 0, 0, new[] { a, b });
    }

    public Node Not(Node a)
    {
        switch (a.Op)
        {
            case Op.True: return Bool(false);
            case Op.False: return Bool(true);
            case Op.Not: return a.A;
        }

        return Intern(Op.Not, Fn.None, 0, 0, new[] { a });
    }
}
