using System;
using System.Collections.Generic;
using SymGrad.Generator.Functions;

namespace SymGrad.Generator.Ir;

/// <summary>
/// Runs a program symbolically with every integer known at compile time, producing one straight-line DAG: loops with
/// constant trip counts are unrolled, branches on integers are taken, branches on doubles become selects of both
/// sides (φ-nodes, as in the scalar DAG), local buffers of constant length become one value per element, and each
/// element of a differentiated array parameter that is read becomes a leaf of its own. The batched kernel of such a
/// method is then the scalar-mode kernel of that DAG: a small network written with loops over its layers (constant
/// sizes, weights in one vector) runs several samples per instruction. Anything that depends on a run-time integer
/// (an array's length, a loop bound or index from data, an early exit on a double) fails, and the method keeps the
/// scalar fallback.
/// </summary>
internal sealed class Unroller
{
    /// <summary>Most DAG nodes an unrolled method may have before the batched kernel is not worth its code size.</summary>
    public const int MaxNodes = 20_000;

    private const int MaxSteps = 200_000;

    private readonly IrProgram _p;
    private readonly Graph _source;
    private readonly Func<int, bool> _isData;
    private readonly Dictionary<(int Param, long Index), Node> _elementLeaves = new();
    private int _steps;

    private Unroller(IrProgram p, Graph source, Func<int, bool> isData)
    {
        _p = p;
        _source = source;
        _isData = isData;
        Target = source.Sibling();
    }

    /// <summary>The straight-line graph.</summary>
    public Graph Target { get; }

    /// <summary>The leaves of the DAG, as (parameter index, element index or −1 for a scalar) per leaf parameter index.</summary>
    public List<(int Param, long Element)> Leaves { get; } = new();

    /// <summary>The method's value as a DAG over the leaves.</summary>
    public Node Root { get; private set; } = null!;

    private sealed class UnrollFailed : Exception
    {
    }

    /// <summary>
    /// Unrolls <paramref name="p"/>; <paramref name="scalarParams"/> are the double scalar parameters in declaration order
    /// (each a leaf, numbered first); null when the program needs run-time integers or grows too large.
    /// </summary>
    public static Unroller? TryUnroll(IrProgram p, Graph source, IReadOnlyList<int> scalarParams, Func<int, bool> isData)
    {
        var u = new Unroller(p, source, isData);
        foreach (int i in scalarParams)
        {
            u.Leaves.Add((i, -1));
        }

        try
        {
            var state = new State(p);
            u.Run(p.Body, state);
            u.Root = u.Double(p.Result, state, new Dictionary<Node, object>());
            return u.Target.Count > MaxNodes ? null : u;
        }
        catch (Exception e) when (e is UnrollFailed or ModelTooLargeException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>The program's variables and local arrays during the run: doubles and symbolic conditions as nodes, ints as longs, known conditions as bools.</summary>
    private sealed class State
    {
        public State(IrProgram p)
        {
            Vars = new object?[p.Vars.Count];
            Arrays = new object?[]?[p.Arrays.Count];
        }

        private State(object?[] vars, object?[]?[] arrays)
        {
            Vars = vars;
            Arrays = arrays;
        }

        public object?[] Vars { get; }

        public object?[]?[] Arrays { get; }

        public State Clone()
        {
            var arrays = new object?[]?[Arrays.Length];
            for (int i = 0; i < arrays.Length; i++)
            {
                arrays[i] = (object?[]?)Arrays[i]?.Clone();
            }

            return new State((object?[])Vars.Clone(), arrays);
        }
    }

    private void Run(List<Stmt> body, State s)
    {
        foreach (Stmt stmt in body)
        {
            if (++_steps > MaxSteps || Target.Count > MaxNodes)
            {
                throw new UnrollFailed();
            }

            switch (stmt)
            {
                case BlockStmt b:
                    RunBlock(b, s);
                    break;
                case LoopStmt loop:
                    while (Condition(loop.Condition, s) is bool go ? go : throw new UnrollFailed())
                    {
                        Run(loop.Body, s);
                        if (++_steps > MaxSteps)
                        {
                            throw new UnrollFailed();
                        }
                    }

                    break;
                case IfStmt branch:
                    object c = Condition(branch.Condition, s);
                    if (c is bool taken)
                    {
                        Run(taken ? branch.Then : branch.Else, s);
                    }
                    else
                    {
                        // A condition on doubles: both sides run, and the state merges as selects (ints must agree).
                        State other = s.Clone();
                        Run(branch.Then, s);
                        Run(branch.Else, other);
                        Merge((Node)c, s, other);
                    }

                    break;
            }
        }
    }

    private void RunBlock(BlockStmt b, State s)
    {
        var memo = new Dictionary<Node, object>();
        var values = new List<(IrVar Var, object Value)>();
        foreach ((IrVar v, Node value) in b.Assigns)
        {
            values.Add((v, Eval(value, s, memo)));
        }

        (IrArray Array, long Index, object Value)? store = null;
        if (b.Store is { } st)
        {
            store = (st.Array, Int(st.Index, s, memo), Eval(st.Value, s, memo));
        }

        long? alloc = b.Alloc is { } a ? Int(a.Length, s, memo) : null;
        foreach ((IrVar v, object value) in values)
        {
            s.Vars[v.Id] = value;
        }

        if (b.Alloc is { } allocation)
        {
            if (alloc is not long n || n < 0 || n > 100_000)
            {
                throw new UnrollFailed();
            }

            s.Arrays[allocation.Array.Id] = NewArray(allocation.Array, (int)n);
        }

        if (b.Clear is IrArray cleared)
        {
            object?[] elements = s.Arrays[cleared.Id] ?? throw new UnrollFailed();
            s.Arrays[cleared.Id] = NewArray(cleared, elements.Length);
        }

        if (store is { } put)
        {
            object?[] elements = s.Arrays[put.Array.Id] ?? throw new UnrollFailed();
            elements[checked((int)put.Index)] = put.Value;
        }
    }

    private object?[] NewArray(IrArray a, int length)
    {
        var elements = new object?[length];
        for (int i = 0; i < length; i++)
        {
            elements[i] = Initial(a.ElementType);
        }

        return elements;
    }

    /// <summary>The value of a variable or element before anything is stored: 0, 0 or false.</summary>
    private object Initial(VarType type) => type switch { VarType.Int => 0L, VarType.Bool => false, _ => Target.Zero };

    private void Merge(Node condition, State then, State otherwise)
    {
        for (int i = 0; i < then.Vars.Length; i++)
        {
            // A variable not yet assigned on a side holds its type's default there (it is never read on that path).
            object initial = Initial(_p.Vars[i].Type);
            then.Vars[i] = MergeValue(condition, then.Vars[i] ?? initial, otherwise.Vars[i] ?? initial);
        }

        for (int a = 0; a < then.Arrays.Length; a++)
        {
            object?[]? x = then.Arrays[a];
            object?[]? y = otherwise.Arrays[a];
            if (x is null || y is null)
            {
                if (x != y)
                {
                    throw new UnrollFailed(); // allocated on one side only
                }

                continue;
            }

            if (x.Length != y.Length)
            {
                throw new UnrollFailed();
            }

            for (int k = 0; k < x.Length; k++)
            {
                x[k] = MergeValue(condition, x[k], y[k]);
            }
        }
    }

    private object? MergeValue(Node condition, object? x, object? y)
    {
        if (Equals(x, y))
        {
            return x;
        }

        bool IsCondition(object? v) => v is bool || v is Node { IsBool: true };
        Node AsCondition(object? v) => v is bool b ? Target.Bool(b) : (Node)v!;
        if (IsCondition(x) && IsCondition(y))
        {
            // (c ∧ x) ∨ (¬c ∧ y)
            return Target.Or(Target.And(condition, AsCondition(x)), Target.And(Target.Not(condition), AsCondition(y)));
        }

        return (x, y) switch
        {
            (Node a, Node b) => Target.Select(condition, a, b),
            _ => throw new UnrollFailed(), // an int that differs between the sides, or a value only one side set
        };
    }

    private object Condition(Node n, State s) => Eval(n, s, new Dictionary<Node, object>()) switch
    {
        bool b => b,
        Node node when node.Op == Op.True => true,
        Node node when node.Op == Op.False => false,
        Node node => node,
        _ => throw new UnrollFailed(),
    };

    private long Int(Node n, State s, Dictionary<Node, object> memo) => Eval(n, s, memo) is long v ? v : throw new UnrollFailed();

    private Node Double(Node n, State s, Dictionary<Node, object> memo) => Eval(n, s, memo) switch
    {
        Node node => node,
        long v => Target.Const(v),
        bool b => Target.Bool(b),
        _ => throw new UnrollFailed(),
    };

    /// <summary>A node of the program's graph, over the state at the start of the current block: a node, a long or a bool.</summary>
    private object Eval(Node n, State s, Dictionary<Node, object> memo)
    {
        if (memo.TryGetValue(n, out object? known))
        {
            return known;
        }

        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        object result = EvalCore(n, s, memo);
        memo[n] = result;
        return result;
    }

    private object EvalCore(Node n, State s, Dictionary<Node, object> memo)
    {
        switch (n.Op)
        {
            case Op.Const:
                return Target.Const(n.Value);
            case Op.Param:
                int leaf = Leaves.IndexOf((n.Index, -1));
                return leaf >= 0 ? Target.Param(leaf) : throw new UnrollFailed();
            case Op.Extern:
                return Target.Extern(_source.Externs[n.Index], n.Name ?? _source.Externs[n.Index]);
            case Op.True:
                return true;
            case Op.False:
                return false;
            case Op.Var:
                return s.Vars[n.Index] ?? Initial((VarType)(int)n.Value);
            case Op.IConst:
                return (long)n.Value;
            case Op.INeg:
                return -Int(n.A, s, memo);
            case Op.IAdd:
                return checked(Int(n.A, s, memo) + Int(n.B, s, memo));
            case Op.ISub:
                return checked(Int(n.A, s, memo) - Int(n.B, s, memo));
            case Op.IMul:
                return checked(Int(n.A, s, memo) * Int(n.B, s, memo));
            case Op.IDiv:
            {
                long d = Int(n.B, s, memo);
                return d == 0 ? throw new UnrollFailed() : Int(n.A, s, memo) / d;
            }

            case Op.IRem:
            {
                long d = Int(n.B, s, memo);
                return d == 0 ? throw new UnrollFailed() : Int(n.A, s, memo) % d;
            }

            case Op.ToDouble:
                return Target.Const(Int(n.A, s, memo));
            case Op.ToInt:
                return Double(n.A, s, memo) is { IsConst: true } folded && Math.Abs(folded.Value) < int.MaxValue ? (long)Math.Truncate(folded.Value) : throw new UnrollFailed();
            case Op.Length:
                return s.Arrays[n.Index] is object?[] local ? (long)local.Length : throw new UnrollFailed(); // a parameter's length is not known
            case Op.Load:
            {
                long index = Int(n.A, s, memo);
                IrArray array = _p.Arrays[n.Index];
                if (array.Kind == ArrayKind.Parameter)
                {
                    if (array.ElementType != VarType.Double || _isData(array.ParamIndex) || index < 0)
                    {
                        throw new UnrollFailed();
                    }

                    if (!_elementLeaves.TryGetValue((array.ParamIndex, index), out Node? element))
                    {
                        Leaves.Add((array.ParamIndex, index));
                        element = Target.Param(Leaves.Count - 1);
                        _elementLeaves[(array.ParamIndex, index)] = element;
                    }

                    return element;
                }

                object?[] elements = s.Arrays[n.Index] ?? throw new UnrollFailed();
                return elements[checked((int)index)] ?? throw new UnrollFailed();
            }

            case Op.Neg:
                return Target.Neg(Double(n.A, s, memo));
            case Op.Add:
                return Target.Add(Double(n.A, s, memo), Double(n.B, s, memo));
            case Op.Sub:
                return Target.Sub(Double(n.A, s, memo), Double(n.B, s, memo));
            case Op.Mul:
                return Target.Mul(Double(n.A, s, memo), Double(n.B, s, memo));
            case Op.Div:
                return Target.Div(Double(n.A, s, memo), Double(n.B, s, memo));
            case Op.SafeMul:
                return Target.SafeMul(Double(n.A, s, memo), Double(n.B, s, memo));
            case Op.Call:
            {
                var args = new Node[n.Args.Length];
                for (int i = 0; i < args.Length; i++)
                {
                    args[i] = Double(n.Args[i], s, memo);
                }

                return n.Fn == Fn.Custom ? Target.CustomCall(n.Index, args) : Target.Call(n.Fn, args);
            }

            case Op.Select:
            {
                object c = Eval(n.A, s, memo);
                if (c is bool known)
                {
                    return Eval(known ? n.B : n.C, s, memo);
                }

                object x = Eval(n.B, s, memo);
                object y = Eval(n.C, s, memo);
                return x is long || y is long ? throw new UnrollFailed() : MergeValue((Node)c, x, y)!;
            }

            case Op.Less or Op.LessEq or Op.Greater or Op.GreaterEq or Op.Eq or Op.NotEq:
            {
                object a = Eval(n.A, s, memo);
                object b = Eval(n.B, s, memo);
                if (a is long x && b is long y)
                {
                    return n.Op switch
                    {
                        Op.Less => x < y,
                        Op.LessEq => x <= y,
                        Op.Greater => x > y,
                        Op.GreaterEq => x >= y,
                        Op.Eq => x == y,
                        _ => x != y,
                    };
                }

                if (a is bool || b is bool)
                {
                    throw new UnrollFailed();
                }

                return Target.Compare(n.Op, AsNode(a), AsNode(b));
            }

            case Op.And or Op.Or:
            {
                object a = Eval(n.A, s, memo);
                if (a is bool ka && (n.Op == Op.And ? !ka : ka))
                {
                    return ka; // short-circuit: false && …, true || …
                }

                object b = Eval(n.B, s, memo);
                if (a is bool && b is bool kb)
                {
                    return kb;
                }

                if (a is bool)
                {
                    return b;
                }

                if (b is bool kb2)
                {
                    return n.Op == Op.And ? (kb2 ? a : false) : (kb2 ? true : a);
                }

                return n.Op == Op.And ? Target.And((Node)a, (Node)b) : Target.Or((Node)a, (Node)b);
            }

            case Op.Not:
            {
                object a = Eval(n.A, s, memo);
                return a is bool k ? !k : Target.Not((Node)a);
            }

            default:
                throw new UnrollFailed();
        }
    }

    private Node AsNode(object v) => v switch
    {
        Node node => node,
        long l => Target.Const(l),
        _ => throw new UnrollFailed(),
    };
}
