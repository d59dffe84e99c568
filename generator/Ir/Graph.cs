using System;
using System.Collections.Generic;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Ir;

/// <summary>
/// Builds the expression DAG. Every constructor method simplifies locally before hash-consing:
/// constant folding, algebraic identities (x·1, x·0, x+0, 0−x, −(−x), …) and the numerical-stability
/// rewrites listed in the README (log σ → log-sigmoid, 1 − σ(z) → σ(−z), log(1 + x) → log1p, …).
/// Structurally equal nodes are shared, which is common-subexpression elimination by construction.
/// This file holds the leaves, interning and import/export; the constructors are in Graph.Algebra.cs, the
/// stability rewrites in Graph.Stability.cs, the branch masks (SafeMul) in Graph.Masking.cs and the program-mode
/// nodes in Graph.Program.cs.
/// </summary>
internal sealed partial class Graph
{
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<NodeKey, Node> _table = new();
    private readonly List<string> _externs;
    private readonly List<Model.CustomFunction> _customs;

    public Graph()
        : this(new List<string>(), new List<Model.CustomFunction>())
    {
    }

    private Graph(List<string> externs, List<Model.CustomFunction> customs)
    {
        _externs = externs;
        _customs = customs;
    }

    /// <summary>
    /// A new, empty graph sharing this one's tables of externs and custom functions, so that indices into them mean the
    /// same in both (a custom rule's body is lowered into one and exported as a template).
    /// </summary>
    public Graph Sibling() => new(_externs, _customs) { Real = Real };

    /// <summary>
    /// A float method's graph: every constant is rounded to float when it is made, so a folded sum, product or quotient
    /// of float constants is the float operation's result (a double result of two floats, rounded once more to float, is
    /// the correctly rounded float result), and calls of constants fold only where the result is exact in float
    /// (<see cref="FoldsInFloat"/>): the generated MathF code computes the others at run time.
    /// </summary>
    public bool IsFloat => Real == RealKind.Float;

    /// <summary>The real type: <see cref="IsFloat"/>, or a generic method's (whose functions of constants are not folded).</summary>
    public RealKind Real { get; set; }

    /// <summary>Whether a call of <paramref name="fn"/> on constants is folded here.</summary>
    private bool Folds(Fn fn) => Real == RealKind.Double || FoldsInFloat(fn);

    /// <summary>Functions whose folded value is the float function's (exact, or correctly rounded like √).</summary>
    private static bool FoldsInFloat(Fn fn) => fn is Fn.Abs or Fn.Max or Fn.Min or Fn.Clamp or Fn.Sign or Fn.Floor or Fn.Ceiling
        or Fn.Round or Fn.Truncate or Fn.Relu or Fn.LeakyRelu or Fn.Sqrt;

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

        if (IsFloat)
        {
            value = (float)value;
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
        int[]? rest = null;
        if (args.Length > 3)
        {
            rest = new int[args.Length - 3];
            for (int i = 3; i < args.Length; i++)
            {
                rest[i - 3] = args[i].Id;
            }
        }

        var key = new NodeKey(
            op,
            fn,
            value,
            index,
            args.Length > 0 ? args[0].Id : -1,
            args.Length > 1 ? args[1].Id : -1,
            args.Length > 2 ? args[2].Id : -1,
            rest);
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
            var record = new NodeRecord(n.Op, n.Fn, n.Value, n.Index, Arg(0), Arg(1), Arg(2), n.Name);
            if (n.Args.Length > 3)
            {
                var rest = new int[n.Args.Length - 3];
                for (int i = 3; i < n.Args.Length; i++)
                {
                    rest[i - 3] = ids[n.Args[i].Id];
                }

                record = record with { Rest = new Model.EquatableArray<int>(rest) };
            }

            records.Add(record);
        }

        return new Model.EquatableArray<NodeRecord>(records.ToArray());
    }

    /// <summary>The tables the exported nodes index: extern values and custom functions.</summary>
    public Model.ExternTable ExportExterns() => new(_externs.ToEquatableArray(), _customs.ToEquatableArray());

    public static Graph Import(Model.EquatableArray<NodeRecord> records, Model.ExternTable externs, out Node[] nodes, RealKind real = RealKind.Double)
    {
        var g = new Graph { Real = real };
        g._externs.AddRange(externs.Values);
        g._customs.AddRange(externs.Functions);
        nodes = new Node[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            NodeRecord r = records[i];
            var args = new Node[r.Arity];
            for (int k = 0; k < args.Length; k++)
            {
                args[k] = nodes[r.Arg(k)];
            }

            Node n = g.Intern(r.Op, r.Fn, r.Value, r.Index, args);
            n.Name ??= r.Name;
            if (r.Fn == Fn.Custom)
            {
                n.Function ??= g.CustomEntry(r.Index);
            }

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
