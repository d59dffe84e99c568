using System.Collections.Generic;
using System;

namespace SymGrad.Generator.Ir;

/// <summary>Node kinds of the expression DAG.</summary>
internal enum Op : byte
{
    Const,
    Param,
    Neg,
    Add,
    Sub,
    Mul,
    Div,

    /// <summary>a·b, except that a zero <c>a</c> gives 0 even when b is ±∞ or NaN. Used for adjoints that a
    /// branch masks to zero, so a derivative from the branch not taken can never leak in as 0·∞ = NaN.</summary>
    SafeMul,
    Call,

    /// <summary>c ? a : b — the φ-node of a branch.</summary>
    Select,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Eq,
    NotEq,
    And,
    Or,
    Not,
    True,
    False,

    /// <summary>A value read at run time that does not depend on the parameters (a static field or property); derivative 0.</summary>
    Extern,

    // ---- program mode (see Ir/Program.cs): state read at the start of a block, integers, arrays

    /// <summary>The value of program variable <see cref="Node.Index"/> at the start of the enclosing block;
    /// <see cref="Node.Value"/> holds its <see cref="VarType"/>.</summary>
    Var,

    /// <summary>Element A (an int) of array <see cref="Node.Index"/> as it is at the start of the enclosing block.</summary>
    Load,

    /// <summary>The length of array <see cref="Node.Index"/> (an int).</summary>
    Length,

    /// <summary>An integer constant (<see cref="Node.Value"/>).</summary>
    IConst,
    INeg,
    IAdd,
    ISub,
    IMul,

    /// <summary>Integer division, truncating as in C#.</summary>
    IDiv,
    IRem,

    /// <summary>An int used as a double (derivative 0: integers are never differentiated).</summary>
    ToDouble,

    /// <summary><c>(int)x</c> of a real: C#'s conversion, truncating toward zero; an int, so never differentiated.</summary>
    ToInt,
}

/// <summary>
/// The real type a method computes in: <c>double</c>; <c>float</c> (a float method: constants are rounded to float);
/// or a generic method's type parameter (constants are folded in double and rounded once to T by the generated
/// <c>T.CreateTruncating</c>; functions of constants are not folded, since T's own function computes them).
/// </summary>
internal enum RealKind : byte
{
    Double,
    Float,
    Generic,
}

/// <summary>The type of a program variable or array element.</summary>
internal enum VarType : byte
{
    Double,
    Int,
    Bool,
}

/// <summary>Built-in functions with derivative rules (see <c>Differentiation.Rules</c>).</summary>
internal enum Fn : byte
{
    None,
    Exp,
    Log,
    Log10,
    Log2,
    Sqrt,
    Cbrt,
    Pow,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Abs,
    Max,
    Min,
    Clamp,
    Sign,
    Floor,
    Ceiling,
    Round,
    Truncate,
    Sigmoid,
    SigmoidDerivative,
    Softplus,
    LogSigmoid,
    Relu,
    LeakyRelu,
    TanhDerivative,
    Log1p,
    Expm1,
    LogSumExp,
    Logit,
    Hypot,

    /// <summary>C#'s <c>a % b</c> on reals (truncated remainder): ∂/∂a = 1, ∂/∂b = −trunc(a/b).</summary>
    Remainder,

    /// <summary>
    /// A function called as is, with derivative rules declared by the user (<c>[DerivativeOf]</c>): the call node's
    /// <see cref="Node.Index"/> is the function's position in the graph's <see cref="Graph.Customs"/> table.
    /// </summary>
    Custom,
}

/// <summary>
/// A single-assignment node of the expression DAG. Nodes are hash-consed by <see cref="Graph"/>, so
/// structurally equal subexpressions are one node (common-subexpression elimination by construction),
/// and every argument has a smaller <see cref="Id"/> than its user (ids are a topological order).
/// </summary>
internal sealed class Node
{
    public Node(int id, Op op, Fn fn, double value, int index, Node[] args)
    {
        Id = id;
        Op = op;
        Fn = fn;
        Value = value;
        Index = index;
        Args = args;
    }

    public int Id { get; }

    public Op Op { get; }

    public Fn Fn { get; }

    /// <summary>The value of a <see cref="Op.Const"/>.</summary>
    public double Value { get; }

    /// <summary>The position of a <see cref="Op.Param"/>.</summary>
    public int Index { get; }

    public Node[] Args { get; }

    /// <summary>A readable name for the emitted local (from the user's variable), if any.</summary>
    public string? Name { get; set; }

    /// <summary>The entry of a <see cref="Fn.Custom"/> call (built-in calls use <c>FunctionTable.Get(Fn)</c>).</summary>
    public Functions.FunctionEntry? Function { get; set; }

    public bool IsConst => Op == Op.Const;

    public bool IsConstValue(double v) => Op == Op.Const && Value.Equals(v);

    public bool IsBool => Op is Op.Less or Op.LessEq or Op.Greater or Op.GreaterEq or Op.Eq or Op.NotEq
        or Op.And or Op.Or or Op.Not or Op.True or Op.False
        || (Op is Op.Var or Op.Load && Value == (double)VarType.Bool);

    /// <summary>An integer value (loop counters, indices, lengths, int parameters): never differentiated.</summary>
    public bool IsInt => Op is Op.IConst or Op.INeg or Op.IAdd or Op.ISub or Op.IMul or Op.IDiv or Op.IRem or Op.Length or Op.ToInt
        || (Op == Op.Select && Args[1].IsInt)
        || (Op is Op.Var or Op.Load && Value == (double)VarType.Int);

    /// <summary>A value that is neither bool nor int: the only kind that carries a derivative.</summary>
    public bool IsReal => !IsBool && !IsInt;

    /// <summary>
    /// Visits every node reachable from <paramref name="roots"/> once, depth first: <paramref name="visit"/> returns the
    /// nodes to go on to from a node (its arguments, or more), or null to stop there.
    /// </summary>
    public static void Visit(IEnumerable<Node> roots, Func<Node, IEnumerable<Node>?> visit)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(roots);
        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (!seen.Add(n) || visit(n) is not { } next)
            {
                continue;
            }

            foreach (Node m in next)
            {
                stack.Push(m);
            }
        }
    }

    /// <summary>
    /// How many leading arguments may be computed whenever the node is: all of them, except that a <c>?:</c> computes
    /// only its condition for sure, and <c>&amp;&amp;</c> and <c>||</c> only their first operand (<c>i &lt; n &amp;&amp; x[i] &gt; 0</c>).
    /// (A zero-safe product's second factor counts as computed: it is a partial derivative of an operation whose
    /// operands the method read wherever the product is computed, and the product still masks its value.)
    /// </summary>
    public int EagerArgs => Op is Op.Select or Op.And or Op.Or ? 1 : Args.Length;

    /// <summary>Whether computing the node can throw: an element read (its index may be out of range) or an integer division (by zero).</summary>
    public bool MayThrow => Op is Op.Load or Op.IDiv or Op.IRem || (Op == Op.Length && Args.Length > 0);

    /// <summary>
    /// The nodes computed whenever <paramref name="roots"/> are, whatever the conditions (see <see cref="EagerArgs"/>);
    /// <paramref name="opaque"/> nodes (values already at hand) are included but not looked into.
    /// </summary>
    public static HashSet<Node> Eager(IEnumerable<Node> roots, Func<Node, bool>? opaque = null)
    {
        var eager = new HashSet<Node>();
        var stack = new Stack<Node>(roots);
        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (!eager.Add(n) || (opaque is not null && opaque(n)))
            {
                continue;
            }

            for (int i = 0; i < n.EagerArgs; i++)
            {
                stack.Push(n.Args[i]);
            }
        }

        return eager;
    }

    public Node A => Args[0];

    public Node B => Args[1];

    public Node C => Args[2];

    public override string ToString() => $"#{Id} {Op}{(Fn == Fn.None ? "" : " " + Fn)}{(Op == Op.Const ? " " + Value : "")}";
}

/// <summary>A node as plain, equatable data for the incremental pipeline (arguments by id).</summary>
internal sealed record NodeRecord(Op Op, Fn Fn, double Value, int Index, int A, int B, int C, string? Name)
{
    /// <summary>The arguments after the third (only a <see cref="Fn.Custom"/> call has more than three).</summary>
    public Model.EquatableArray<int> Rest { get; init; } = Model.EquatableArray<int>.Empty;

    /// <summary>How many arguments the node has.</summary>
    public int Arity => C >= 0 ? 3 + Rest.Count : B >= 0 ? 2 : A >= 0 ? 1 : 0;

    /// <summary>The id of argument <paramref name="i"/>.</summary>
    public int Arg(int i) => i switch { 0 => A, 1 => B, 2 => C, _ => Rest[i - 3] };
}

internal readonly struct NodeKey : IEquatable<NodeKey>
{
    private readonly Op _op;
    private readonly Fn _fn;
    private readonly long _bits;
    private readonly int _index;
    private readonly int _a;
    private readonly int _b;
    private readonly int _c;
    private readonly int[]? _rest;

    public NodeKey(Op op, Fn fn, double value, int index, int a, int b, int c, int[]? rest = null)
    {
        _rest = rest;
        _op = op;
        _fn = fn;
        _bits = BitConverter.DoubleToInt64Bits(value);
        _index = index;
        _a = a;
        _b = b;
        _c = c;
    }

    public bool Equals(NodeKey o) => _op == o._op && _fn == o._fn && _bits == o._bits && _index == o._index && _a == o._a && _b == o._b && _c == o._c
        && (_rest is null ? o._rest is null : o._rest is not null && System.Linq.Enumerable.SequenceEqual(_rest, o._rest));

    public override bool Equals(object? obj) => obj is NodeKey k && Equals(k);

    public override int GetHashCode()
    {
        unchecked
        {
            int h = ((int)_op * 397) ^ (int)_fn;
            h = (h * 397) ^ _bits.GetHashCode();
            h = (h * 397) ^ _index;
            h = (h * 397) ^ _a;
            h = (h * 397) ^ _b;
            h = (h * 397) ^ _c;
            foreach (int r in _rest ?? Array.Empty<int>())
            {
                h = (h * 397) ^ r;
            }

            return h;
        }
    }
}
