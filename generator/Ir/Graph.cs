using System;
using System.Collections.Generic;

namespace SymGrad.Generator.Ir;

/// <summary>
/// Builds the expression DAG. Every constructor method simplifies locally before hash-consing:
/// constant folding, algebraic identities (x·1, x·0, x+0, 0−x, −(−x), …) and the numerical-stability
/// rewrites listed in the README (log σ → log-sigmoid, 1 − σ(z) → σ(−z), log(1 + x) → log1p, …).
/// Structurally equal nodes are shared, which is common-subexpression elimination by construction.
/// </summary>
internal sealed partial class Graph
{
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<NodeKey, Node> _table = new();
    private readonly List<string> _externs = new();

    /// <summary>C# expressions of the <see cref="Op.Extern"/> values, by index.</summary>
    public IReadOnlyList<string> Externs => _externs;

    /// <summary>Upper bound on nodes, so that a pathological input cannot exhaust memory in the IDE.</summary>
    public const int MaxNodes = 200_000;

    public IReadOnlyList<Node> Nodes => _nodes;

    public int Count => _nodes.Count;

    public Node Zero => Const(0.0);

    public Node One => Const(1.0);

    // ---------------------------------------------------------------- leaves

    public Node Const(double value)
    {
        // −0.0 and 0.0 are one constant: the emitted code never depends on the sign of a zero literal.
        if (value == 0.0)
        {
            value = 0.0;
        }

        return Intern(Op.Const, Fn.None, value, 0, Array.Empty<Node>());
    }

    public Node Param(int index) => Intern(Op.Param, Fn.None, 0, index, Array.Empty<Node>());

    /// <summary>A run-time value that is constant with respect to every parameter, e.g. a static readonly field.</summary>
    public Node Extern(string expression, string displayName)
    {
        int index = _externs.IndexOf(expression);
        if (index < 0)
        {
            index = _externs.Count;
            _externs.Add(expression);
        }

        Node n = Intern(Op.Extern, Fn.None, 0, index, Array.Empty<Node>());
        n.Name ??= displayName;
        return n;
    }

    public Node Bool(bool value) => Intern(value ? Op.True : Op.False, Fn.None, 0, 0, Array.Empty<Node>());

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

        // −(c ? p : 0) = c ? −p : 0: keeps a branch mask visible to the products that follow (else −1·mask·∞ = NaN).
        if (HasZeroArm(a))
        {
            return Select(a.A, Neg(a.B), Neg(a.C));
        }

        return Intern(Op.Neg, Fn.None, 0, 0, new[] { a });
    }

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

        if (a.IsConstValue(1))
        {
            // 1 − σ(z) = σ(−z): exact, and does not cancel to 0 when σ(z) rounds to 1.
            if (b.Op == Op.Call && b.Fn == Fn.Sigmoid)
            {
                return Call(Fn.Sigmoid, Neg(b.A));
            }

            // 1 − tanh²(x) = sech²(x), computed without cancellation.
            if (b.Op == Op.Mul && b.A == b.B && b.A.Op == Op.Call && b.A.Fn == Fn.Tanh)
            {
                return Call(Fn.TanhDerivative, b.A.A);
            }
        }

        // e^x − 1 → expm1(x), accurate for small x.
        if (b.IsConstValue(1) && a.Op == Op.Call && a.Fn == Fn.Exp)
        {
            return Call(Fn.Expm1, a.A);
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

        // σ(z)·σ(−z) = σ′(z), evaluated from one exponential without underflow to 0.
        if (a.Op == Op.Call && b.Op == Op.Call && a.Fn == Fn.Sigmoid && b.Fn == Fn.Sigmoid)
        {
            if (b.A == Neg(a.A))
            {
                return Call(Fn.SigmoidDerivative, a.A);
            }

            if (a.A == Neg(b.A))
            {
                return Call(Fn.SigmoidDerivative, b.A);
            }
        }

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

        return InternCommutative(Op.Mul, a, b);
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

        if (a.IsConstValue(1))
        {
            // 1 / (1 + e^(−z)) → σ(z): the user's hand-written sigmoid gets the stable σ and σ′.
            if (b.Op == Op.Add && b.A.IsConstValue(1) && b.B.Op == Op.Call && b.B.Fn == Fn.Exp)
            {
                return Call(Fn.Sigmoid, Neg(b.B.A));
            }

            if (b.Op == Op.Add && b.B.IsConstValue(1) && b.A.Op == Op.Call && b.A.Fn == Fn.Exp)
            {
                return Call(Fn.Sigmoid, Neg(b.A.A));
            }
        }

        // e^z / (1 + e^z) → σ(z).
        if (a.Op == Op.Call && a.Fn == Fn.Exp && b.Op == Op.Add
            && ((b.A.IsConstValue(1) && b.B == a) || (b.B.IsConstValue(1) && b.A == a)))
        {
            return Call(Fn.Sigmoid, a.A);
        }

        return Intern(Op.Div, Fn.None, 0, 0, new[] { a, b });
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

        if (allConst)
        {
            double[] values = new double[args.Length];
            for (int i = 0; i < args.Length; i++)
            {
                values[i] = args[i].Value;
            }

            return Const(Evaluate(fn, values));
        }

        Node x = args[0];
        switch (fn)
        {
            case Fn.Log:
                // log(σ(z)) → log σ(z), finite for every z (log(σ(−800)) would be log 0 = −∞).
                if (x.Op == Op.Call && x.Fn == Fn.Sigmoid)
                {
                    return Call(Fn.LogSigmoid, x.A);
                }

                // log(e^z) → z.
                if (x.Op == Op.Call && x.Fn == Fn.Exp)
                {
                    return x.A;
                }

                // log(1 + x) → log1p(x).
                if (x.Op == Op.Add && x.A.IsConstValue(1))
                {
                    return Call(Fn.Log1p, x.B);
                }

                if (x.Op == Op.Add && x.B.IsConstValue(1))
                {
                    return Call(Fn.Log1p, x.A);
                }

                // log(1 − x) → log1p(−x).
                if (x.Op == Op.Sub && x.A.IsConstValue(1))
                {
                    return Call(Fn.Log1p, Neg(x.B));
                }

                // log(e^a + e^b) → logsumexp(a, b), shifted by the maximum.
                if (x.Op == Op.Add && x.A.Op == Op.Call && x.A.Fn == Fn.Exp && x.B.Op == Op.Call && x.B.Fn == Fn.Exp)
                {
                    return Call(Fn.LogSumExp, x.A.A, x.B.A);
                }

                break;

            case Fn.Log1p:
                // log(1 + e^z) → softplus(z).
                if (x.Op == Op.Call && x.Fn == Fn.Exp)
                {
                    return Call(Fn.Softplus, x.A);
                }

                break;

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

    private Node InternCommutative(Op op, Node a, Node b)
    {
        // Keep the user's operand order, but share a·b with an existing b·a.
        if (_table.TryGetValue(new NodeKey(op, Fn.None, 0, 0, b.Id, a.Id, -1), out Node? swapped))
        {
            return swapped;
        }

        return Intern(op, Fn.None, 0, 0, new[] { a, b });
    }

    private Node Intern(Op op, Fn fn, double value, int index, Node[] args)
    {
        var key = new NodeKey(
            op,
            fn,
            value,
            index,
            args.Length > 0 ? args[0].Id : -1,
            args.Length > 1 ? args[1].Id : -1,
            args.Length > 2 ? args[2].Id : -1);
        if (_table.TryGetValue(key, out Node? existing))
        {
            return existing;
        }

        if (_nodes.Count >= MaxNodes)
        {
            throw new ModelTooLargeException(MaxNodes);
        }

        var node = new Node(_nodes.Count, op, fn, value, index, args);
        _nodes.Add(node);
        _table.Add(key, node);
        return node;
    }

    // ---------------------------------------------------------------- import / export

    public Model.EquatableArray<NodeRecord> Export(Node root, out int rootIndex)
    {
        Model.EquatableArray<NodeRecord> records = Export(new[] { root }, out Dictionary<int, int> map);
        rootIndex = map[root.Id];
        return records;
    }

    /// <summary>Exports what the roots need, renumbered densely in topological (id) order; <paramref name="map"/> maps old ids to new.</summary>
    public Model.EquatableArray<NodeRecord> Export(IEnumerable<Node> roots, out Dictionary<int, int> map)
    {
        var reachable = new SortedSet<int>();
        var stack = new Stack<Node>();
        foreach (Node root in roots)
        {
            stack.Push(root);
        }

        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (reachable.Add(n.Id))
            {
                foreach (Node arg in n.Args)
                {
                    stack.Push(arg);
                }
            }
        }

        var ids = new Dictionary<int, int>();
        map = ids;
        var records = new List<NodeRecord>();
        foreach (int id in reachable)
        {
            Node n = _nodes[id];
            int Arg(int i) => n.Args.Length > i ? ids[n.Args[i].Id] : -1;
            ids[id] = records.Count;
            records.Add(new NodeRecord(n.Op, n.Fn, n.Value, n.Index, Arg(0), Arg(1), Arg(2), n.Name));
        }

        return new Model.EquatableArray<NodeRecord>(records.ToArray());
    }

    public static Graph Import(Model.EquatableArray<NodeRecord> records, Model.EquatableArray<string> externs, out Node[] nodes)
    {
        var g = new Graph();
        g._externs.AddRange(externs);
        nodes = new Node[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            NodeRecord r = records[i];
            int arity = r.C >= 0 ? 3 : r.B >= 0 ? 2 : r.A >= 0 ? 1 : 0;
            var args = new Node[arity];
            for (int k = 0; k < arity; k++)
            {
                args[k] = nodes[k == 0 ? r.A : k == 1 ? r.B : r.C];
            }

            Node n = g.Intern(r.Op, r.Fn, r.Value, r.Index, args);
            n.Name ??= r.Name;
            nodes[i] = n;
        }

        return g;
    }
}

/// <summary>Thrown when a method expands to more than <see cref="Graph.MaxNodes"/> nodes.</summary>
internal sealed class ModelTooLargeException : Exception
{
    /// <summary>The SG0013 reason when an expression nests too deeply for the generator's recursive passes.</summary>
    public const string TooDeep = "its expressions nest too deeply for the generator; split them into locals";

    public ModelTooLargeException(int limit)
        : base($"the expanded expression graph exceeds {limit} nodes")
    {
    }
}
