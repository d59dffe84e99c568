using System;
using System.Collections.Generic;
using System.Text;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Functions;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Emit;

/// <summary>A value the emitted body must produce: assigned to <see cref="Target"/> (or returned when it is null).</summary>
internal sealed record Output(string? Target, Node Node, Func<string>? Comment)
{
    /// <summary>Program mode: the element index when <see cref="Target"/> is an array.</summary>
    public Node? Index { get; init; }

    /// <summary>The assignment operator: <c>=</c> or <c>+=</c>.</summary>
    public string Operator { get; init; } = "=";

    /// <summary>Program mode: a condition the assignment runs under (<c>if (c) { da[i] += g; }</c>); its value and index are computed only then.</summary>
    public Node? Condition { get; init; }
}

/// <summary>
/// Emits straight-line C# for a set of DAG outputs: each node needed by the outputs is computed once,
/// in topological order. A node gets a named local when it is used more than once, carries a user's
/// variable name, or is an adjoint used more than once; other nodes are written inline. Adjoint locals
/// are named <c>dM_dx</c> and carry the chain-rule formula that defines them as a comment.
/// </summary>
internal sealed class BodyEmitter
{
    private readonly Graph _g;
    private readonly string _method;
    private readonly Func<int, string> _param;
    private readonly Dictionary<Node, Node> _adjointOf = new();
    private readonly Dictionary<Node, List<Contribution>> _terms = new();
    private readonly Dictionary<Node, string> _names = new();
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly HashSet<Node> _materialized = new();

    // σ(z) → σ′(z) and tanh(x) → tanh′(x) pairs emitted as one call sharing one exponential.
    private readonly Dictionary<Node, Node> _fusedDerivative = new();
    private readonly Dictionary<Node, Node> _fusedPrimal = new();
    private int _temp;

    public BodyEmitter(Graph g, string method, Func<int, string> param, IEnumerable<string> reserved)
    {
        _g = g;
        _method = method;
        _param = param;
        foreach (string r in reserved)
        {
            _used.Add(r);
        }
    }

    /// <summary>Program mode: one emitter per block, sharing the method's set of used names.</summary>
    public BodyEmitter(Graph g, string method, Func<int, string> param, HashSet<string> used, Func<int, string> variable, Func<int, string> array)
    {
        _g = g;
        _method = method;
        _param = param;
        _used = used;
        _variable = variable;
        _array = array;
        Headings = false;
    }

    private readonly Func<int, string>? _variable;
    private readonly Func<int, string>? _array;
    private readonly HashSet<Node> _forced = new();

    /// <summary>
    /// Batched kernels: the name of the <c>ILanes</c> type parameter (e.g. <c>V</c>) every double and every condition
    /// has, or null for scalar code. Operators stay operators; constants, comparisons, selects and calls become
    /// <c>V.Create</c> and <c>global::SymGrad.Lanes</c> calls, which compute the scalar function lane by lane.
    /// </summary>
    public string? Lanes { get; init; }

    private const string LanesClass = "global::SymGrad.Lanes.";

    /// <summary>
    /// The real type of the code (scalar code only: batched kernels are double): double; float (float locals,
    /// f-suffixed literals, MathF and SymMathF); or a generic method's T (SymMath&lt;T&gt;, T.CreateTruncating constants).
    /// </summary>
    public RealType RealType { get; init; } = RealType.Double;

    private bool Float => RealType.IsFloat;

    private string Real => RealType.Name;

    /// <summary>The shape of program array <c>id</c> (a matrix or jagged data parameter is read with two indices); null: vectors only.</summary>
    public Func<int, ArrayShape>? Shape { get; init; }

    /// <summary><c>a[i]</c>, <c>X[i, j]</c> (a matrix) or <c>X[i][j]</c> (a jagged array), the indices printed by <paramref name="index"/>.</summary>
    private string ElementText(Node load, Func<Node, string> index)
    {
        string name = _array!(load.Index);
        if (load.Args.Length == 1)
        {
            return name + "[" + index(load.A) + "]";
        }

        return Shape?.Invoke(load.Index) == ArrayShape.Matrix
            ? name + "[" + index(load.A) + ", " + index(load.B) + "]"
            : name + "[" + index(load.A) + "][" + index(load.B) + "]";
    }

    /// <summary>
    /// Element reads served by a loop's row view (see <c>ProgramEmitter.Views</c>): printed <c>view[j]</c>, so the
    /// element's own index is neither computed nor printed.
    /// </summary>
    public IReadOnlyDictionary<Node, (string View, Node Index)>? Views { get; set; }

    /// <summary>What a matrix's dimensions are read from (the parameter itself, when its elements go through a flat view); null: the array's name.</summary>
    public Func<int, string>? DimensionOwner { get; init; }

    /// <summary><c>a.Length</c>, <c>X.GetLength(d)</c> (a matrix's dimension d) or <c>X[i].Length</c> (a jagged array's row).</summary>
    private string LengthText(Node length, Func<Node, string> index)
    {
        string name = _array!(length.Index);
        return length.Args.Length == 1 ? name + "[" + index(length.A) + "].Length"
            : length.Value < 0 ? (DimensionOwner?.Invoke(length.Index) ?? name) + ".Length"
            : length.Value > 0 ? (DimensionOwner?.Invoke(length.Index) ?? name) + ".GetLength(" + ((int)length.Value - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")"
            : name + ".Length";
    }

    /// <summary>Whether to write "Forward pass" / "Reverse pass" headings before the locals.</summary>
    public bool Headings { get; set; } = true;

    /// <summary>Makes <paramref name="n"/> a local computed before every output (its value is read before an output overwrites it).</summary>
    public void ForceLocal(Node n) => _forced.Add(n);

    private readonly List<Node> _extraRoots = new();
    private readonly HashSet<Node> _given = new();

    /// <summary>Computes <paramref name="n"/> as a named local even if no output needs it (its value goes on the tape).</summary>
    public void AlsoCompute(Node n)
    {
        _extraRoots.Add(n);
        _forced.Add(n);
    }

    /// <summary>The locals this body declared (not the values it was given), by node.</summary>
    public IEnumerable<KeyValuePair<Node, string>> EmittedLocals()
    {
        foreach (KeyValuePair<Node, string> name in _names)
        {
            if (_materialized.Contains(name.Key) && _emitted.Contains(name.Key) && !_given.Contains(name.Key))
            {
                yield return name;
            }
        }
    }

    /// <summary>The local holding <paramref name="n"/>, after <see cref="EmitLocals"/> made it one.</summary>
    public string LocalName(Node n) => NameOf(n);

    /// <summary><paramref name="n"/>'s value is already in the local <paramref name="name"/> (taken from the tape): not computed here.</summary>
    public void Given(Node n, string name)
    {
        _given.Add(n);
        _names[n] = name;
        _materialized.Add(n);
        _emitted.Add(n);
    }

    /// <summary>Id of the first node created by differentiation (a "reverse pass" heading goes there).</summary>
    public int ReverseStart { get; set; } = int.MaxValue;

    public void AddSweep(ReverseSweep sweep)
    {
        var primals = new List<Node>(sweep.Adjoints.Keys);
        primals.Sort((a, b) => b.Id.CompareTo(a.Id));
        foreach (Node p in primals)
        {
            Node adj = sweep.Adjoints[p];

            // Only nodes the reverse pass created are named as adjoints. A forward value that is also an adjoint
            // (in f = a·b, ∂f/∂a is b and ∂f/∂b is a) keeps its forward name; naming it after its primal could
            // cycle (a named after b named after a) and overflow the stack.
            if (adj.Id >= ReverseStart && !_adjointOf.ContainsKey(adj) && adj.Op is not (Op.Const or Op.Param))
            {
                _adjointOf[adj] = p;
                if (sweep.Terms.TryGetValue(p, out List<Contribution>? t))
                {
                    _terms[adj] = t;
                }
            }
        }
    }

    public void Emit(SourceWriter w, IReadOnlyList<Output> outputs)
    {
        EmitLocals(w, outputs);
        EmitOutputs(w, outputs);
    }

    /// <summary>Writes the locals <paramref name="n"/> needs and returns its expression (program mode: a condition, a length).</summary>
    public string Inline(SourceWriter w, Node n)
    {
        EmitLocals(w, new[] { new Output(null, n, null) });
        return Print(n, 0);
    }

    /// <summary>Makes <paramref name="value"/> a local when it reads a variable named in <paramref name="targets"/>.</summary>
    public void ForceLocalIfReads(Node value, HashSet<string> targets)
    {
        if (_variable is not null && ReadsWhere(value, n => n.Op == Op.Var && targets.Contains(_variable(n.Index)), new HashSet<Node>()))
        {
            _forced.Add(value);
        }
    }

    /// <summary>Whether <paramref name="n"/> depends on <paramref name="target"/>.</summary>
    public bool Reads(Node n, Node target) => ReadsWhere(n, m => m == target, new HashSet<Node>());

    private static bool ReadsWhere(Node n, Func<Node, bool> test, HashSet<Node> seen)
    {
        if (!seen.Add(n))
        {
            return false;
        }

        if (test(n))
        {
            return true;
        }

        foreach (Node a in n.Args)
        {
            if (ReadsWhere(a, test, seen))
            {
                return true;
            }
        }

        return false;
    }

    private readonly HashSet<Node> _emitted = new();

    public void EmitLocals(SourceWriter w, IReadOnlyList<Output> outputs)
    {
        // 1. What the outputs need, and how often each node is used.
        var uses = new Dictionary<Node, int>();
        var seen = new HashSet<Node>();
        var order = new List<Node>();
        var stack = new Stack<Node>();
        foreach (Output o in outputs)
        {
            Count(uses, o.Node);
            stack.Push(o.Node);
            if (o.Index is not null)
            {
                Count(uses, o.Index);
                stack.Push(o.Index);
            }

            if (o.Condition is not null)
            {
                Count(uses, o.Condition);
                stack.Push(o.Condition);
            }
        }

        foreach (Node extra in _extraRoots)
        {
            stack.Push(extra);
        }

        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (!seen.Add(n) || _given.Contains(n))
            {
                continue;
            }

            order.Add(n);
            if (Views is not null && Views.TryGetValue(n, out (string View, Node Index) view))
            {
                Count(uses, view.Index);
                stack.Push(view.Index);
                continue;
            }

            for (int i = 0; i < n.Args.Length; i++)
            {
                Node arg = n.Args[i];
                Count(uses, arg);
                if (n.Op == Op.SafeMul && i == 0 && Lanes is null)
                {
                    Count(uses, arg); // printed twice: (a == 0 ? 0 : a * b)
                }

                for (int extra = n.Op == Op.Call && Lanes is null ? FunctionTable.Of(n).CSharpUses(i) : 1; extra > 1; extra--)
                {
                    Count(uses, arg); // printed more than once (sign: three times)
                }

                stack.Push(arg);
            }
        }

        order.Sort((a, b) => a.Id.CompareTo(b.Id));

        // 1b. What is computed whatever the conditions. A value that only an arm of a ?: needs (or a short-circuited
        //     operand, or a guarded output) may still become a local computed before it, as any shared value does,
        //     and its value is discarded when the arm is not taken; but an element it reads may not exist then
        //     (i + 1 < n ? x[i + 1] * x[i + 1] : 0), or an integer it divides by may be 0. Such a local reads the element
        //     with Tape.ElementOrDefault (default out of range) and divides with Tape.QuotientOrZero (see Guarding).
        //     Vector lanes compute every arm anyway.
        _always = Lanes is null ? Unconditional(outputs) : null;

        // 2. Which nodes become locals.
        foreach (Node n in order)
        {
            if (_forced.Contains(n))
            {
                _materialized.Add(n);
                continue;
            }

            if (n.Op is Op.Const or Op.Param or Op.True or Op.False or Op.Extern or Op.Var or Op.Length or Op.IConst)
            {
                continue;
            }

            bool multi = uses.TryGetValue(n, out int c) && c > 1;
            if (multi || (n.Name is not null && !n.IsBool && n.Id < ReverseStart && n.Op != Op.Load))
            {
                _materialized.Add(n);
            }
        }

        // 2b. σ and σ′ (tanh and tanh′) of one argument: one call returns both, from one exponential.
        var byArgument = new Dictionary<(Fn, Node), Node>();
        foreach (Node n in order)
        {
            if (n.Op == Op.Call && FunctionTable.Of(n).Fused is not null)
            {
                byArgument[(n.Fn, n.A)] = n;
            }
        }

        foreach (Node n in order)
        {
            if (n.Op == Op.Call && FunctionTable.FusedPrimalOf(n.Fn) is Fn primalFn
                && byArgument.TryGetValue((primalFn, n.A), out Node? primalCall)
                && primalCall.Id < n.Id && !_emitted.Contains(primalCall) && !_emitted.Contains(n))
            {
                _fusedDerivative[primalCall] = n;
                _fusedPrimal[n] = primalCall;
                _materialized.Add(primalCall);
                _materialized.Add(n);
            }
        }

        // 3. Locals in topological order, with section headings and chain-rule comments.
        bool forwardHeading = false;
        bool reverseHeading = false;
        foreach (Node n in order)
        {
            if (!_materialized.Contains(n) || _fusedPrimal.ContainsKey(n) || !_emitted.Add(n))
            {
                continue;
            }

            if (!Headings)
            {
            }
            else if (n.Id >= ReverseStart && !reverseHeading)
            {
                if (forwardHeading)
                {
                    w.Line();
                }

                w.Line("// Reverse pass: adjoints ∂" + _method + "/∂v, each computed once, in reverse topological order.");
                reverseHeading = true;
            }
            else if (n.Id < ReverseStart && !forwardHeading)
            {
                w.Line("// Forward pass: every intermediate value computed once.");
                forwardHeading = true;
            }

            string name = NameOf(n);
            _guardedElements = _always is not null && !_always.Contains(n);
            string expr = _fusedDerivative.TryGetValue(n, out Node? derivative)
                ? FusedCall(n, derivative)
                : Expr(n, out _);
            _guardedElements = false;
            if (_adjointOf.TryGetValue(n, out Node? primal))
            {
                w.Line("// " + AdjointFormula(n, primal));
            }

            string type = Lanes ?? (n.IsBool ? "bool" : n.IsInt ? "int" : Real);
            if (DeclareAtTop is not null && DeclareAtTop(n, type, name))
            {
                w.Line(name + " = " + expr + ";");
            }
            else
            {
                w.Line(type + " " + name + " = " + expr + ";");
            }
        }

        if (forwardHeading || reverseHeading)
        {
            w.Line();
        }
    }

    public void EmitOutputs(SourceWriter w, IReadOnlyList<Output> outputs)
    {
        foreach (Output o in outputs)
        {
            if (o.Condition is not null)
            {
                w.Open("if (" + Print(o.Condition, 0) + ")");
            }

            string expr = Print(o.Node, 0);
            string comment = o.Comment is null ? string.Empty : " // " + o.Comment();
            string target = o.Index is null ? o.Target! : o.Target + "[" + Print(o.Index, 0) + "]";
            w.Line(o.Target is null ? "return " + expr + ";" + comment : target + " " + o.Operator + " " + expr + ";" + comment);
            if (o.Condition is not null)
            {
                w.Close();
            }
        }
    }

    /// <summary>
    /// When set, a local for which this callback (node, type, name) returns true is declared by it at the top of the
    /// method and only assigned here: a block inside a branch keeps the values its reverse block reads in scope.
    /// </summary>
    public Func<Node, string, string, bool>? DeclareAtTop { get; set; }

    /// <summary>What the outputs compute whatever their conditions (null for vector lanes, which compute every arm).</summary>
    private HashSet<Node>? _always;

    /// <summary>Whether a local being written reads elements that may not exist (it is computed for an arm that may not be taken).</summary>
    private bool _guardedElements;

    /// <summary>
    /// Whether <paramref name="n"/>, an element read or integer division that may throw, is written into a local that
    /// an arm of a <c>?:</c> needs and that is computed before it (see EmitLocals): then it is the runtime's total
    /// version, which gives 0 where C# would throw (its value is discarded when the arm is not taken).
    /// </summary>
    private bool Guarding(Node n) => _guardedElements && n.MayThrow && !_always!.Contains(n);

    /// <summary><c>global::SymGrad.Tape.Name(array, args…)</c>.</summary>
    private string Support(string name, Node[] args, string? array)
    {
        var parts = new List<string>();
        if (array is not null)
        {
            parts.Add(array);
        }

        foreach (Node a in args)
        {
            parts.Add(Print(a, 0));
        }

        return "global::SymGrad.Tape." + name + "(" + string.Join(", ", parts) + ")";
    }

    /// <summary>The nodes the outputs compute whatever their conditions (a guarded output's value and index only under its condition).</summary>
    private HashSet<Node> Unconditional(IReadOnlyList<Output> outputs)
    {
        var roots = new List<Node>(_extraRoots);
        roots.AddRange(_forced);
        foreach (Output o in outputs)
        {
            roots.Add(o.Condition ?? o.Node);
            if (o.Condition is null && o.Index is not null)
            {
                roots.Add(o.Index);
            }
        }

        return Node.Eager(roots, _given.Contains);
    }


    /// <summary>The chain-rule formula of a gradient output, e.g. "∂Loss/∂w3 = ∂Loss/∂z3 · a2".</summary>
    public string GradientComment(string parameter, ReverseSweep sweep, Node paramNode)
    {
        string head = "∂" + _method + "/∂" + parameter;
        if (!sweep.Terms.TryGetValue(paramNode, out List<Contribution>? terms))
        {
            return head + " = 0";
        }

        return head + " = " + Terms(terms);
    }

    private static void Count(Dictionary<Node, int> uses, Node n) => uses[n] = uses.TryGetValue(n, out int c) ? c + 1 : 1;

    private string AdjointFormula(Node adj, Node primal)
    {
        string head = "∂" + _method + "/∂" + Label(primal);
        return _terms.TryGetValue(adj, out List<Contribution>? terms) ? head + " = " + Terms(terms, adj) : head;
    }

    /// <summary>The chain-rule sum; <paramref name="defining"/> (the local being defined) is spelled out, not named.</summary>
    private const int MaxFormulaLength = 300;

    private string Terms(List<Contribution> terms, Node? defining = null)
    {
        // σ′(t2) can be both the partial and, times an adjoint of 1, the adjoint itself: naming it would print
        // "dF_dt2 = ∂F/∂(σ(t2)) · dF_dt2".
        Func<Node, string?> name = n => n == defining ? null : MathName(n);
        var sb = new StringBuilder();
        int written = 0;
        foreach (Contribution t in terms)
        {
            if (sb.Length > MaxFormulaLength)
            {
                // A long sum stays readable: the first terms, then how many more.
                sb.Append(" + … (").Append((terms.Count - written).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" more terms)");
                break;
            }

            written++;
            if (sb.Length > 0)
            {
                sb.Append(" + ");
            }

            sb.Append("∂").Append(_method).Append("/∂").Append(Label(t.Parent));
            if (!t.Partial.IsConstValue(1))
            {
                sb.Append(" · ").Append(MathText.Print(t.Partial, name, 2));
            }
        }

        return sb.ToString();
    }

    /// <summary>A node in a formula head: its name, or its own formula in parentheses.</summary>
    private string Label(Node n) => MathName(n) ?? "(" + MathText.Print(n, MathName, 2) + ")";

    /// <summary>Name of a node in formulas: its local or parameter name, or its formula in parentheses.</summary>
    private string? MathName(Node n)
    {
        if (Float && n.Op == Op.Const && !double.IsNaN(n.Value) && !double.IsInfinity(n.Value))
        {
            // A float constant in the formulas: 0.1, not the double 0.10000000149011612 that holds it.
            string f = ((float)n.Value).ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace('-', '−');
            return n.Value < 0 ? "(" + f + ")" : f;
        }

        if (n.Op == Op.Param)
        {
            return _param(n.Index);
        }

        if (n.Op == Op.Var && _variable is not null)
        {
            return _variable(n.Index);
        }

        if (n.Op == Op.Length && _array is not null)
        {
            return LengthText(n, a => MathText.Print(a, MathName, 0));
        }

        if (n.Op == Op.Load && _array is not null && !_materialized.Contains(n))
        {
            return ElementText(n, a => MathText.Print(a, MathName, 0));
        }

        if (_fusedPrimal.ContainsKey(n))
        {
            // Formulas say σ′(z3), not the local's name.
            return MathText.Print(n, m => m == n ? null : MathName(m), 2);
        }

        if (_names.TryGetValue(n, out string? name))
        {
            return name;
        }

        if (n.Name is not null && _materialized.Contains(n))
        {
            return NameOf(n);
        }

        return null;
    }

    private string NameOf(Node n)
    {
        if (_names.TryGetValue(n, out string? existing))
        {
            return existing;
        }

        string baseName;
        if (_adjointOf.TryGetValue(n, out Node? primal))
        {
            string of = primal.Op == Op.Param ? _param(primal.Index) : (_materialized.Contains(primal) ? NameOf(primal) : Temp(primal));
            baseName = "d" + _method + "_d" + of.TrimStart('@');
        }
        else if (_fusedPrimal.TryGetValue(n, out Node? fusedWith))
        {
            // σ′(z2) beside a2 = σ(z2) reads da2_dz2.
            string of = NameOf(fusedWith).TrimStart('@');
            string? arg = n.A.Op == Op.Param ? _param(n.A.Index) : _materialized.Contains(n.A) ? NameOf(n.A) : null;
            baseName = arg is null ? "d" + of : "d" + of + "_d" + arg.TrimStart('@');
        }
        else if (n.Name is not null && n.Id < ReverseStart)
        {
            baseName = n.Name;
        }
        else
        {
            baseName = Temp(n);
        }

        string name = Unique(baseName);
        _names[n] = name;
        return name;
    }

    private string Temp(Node n)
    {
        string prefix = n.IsBool ? "c" : n.Op == Op.Call ? CallPrefix(n) : "t";
        return prefix + (_temp++).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string CallPrefix(Node call) => FunctionTable.Of(call).LocalPrefix ?? call.Fn.ToString().ToLowerInvariant();

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_used.Add(candidate.TrimStart('@')); i++)
        {
            candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return CSharp.Identifier(candidate);
    }

    // ------------------------------------------------------------------ C# expressions

    private const int PrecConditional = 0;
    private const int PrecOr = 1;
    private const int PrecAnd = 2;
    private const int PrecEquality = 3;
    private const int PrecRelational = 4;
    private const int PrecAdditive = 5;
    private const int PrecMultiplicative = 6;
    private const int PrecUnary = 7;
    private const int PrecPrimary = 8;

    private string Print(Node n, int minPrec)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        if (n.Op == Op.Param)
        {
            return _param(n.Index);
        }

        if (_materialized.Contains(n))
        {
            return NameOf(n);
        }

        if (n.Op == Op.Var && _variable is not null)
        {
            return _variable(n.Index);
        }

        string s = Expr(n, out int prec);
        return prec < minPrec ? "(" + s + ")" : s;
    }

    /// <summary>σ(z) and σ′(z) (tanh and tanh′) from one call: <c>Sigmoid(z, out double dσ)</c>.</summary>
    private string FusedCall(Node primal, Node derivative)
    {
        string method = Lanes is null ? FunctionTable.Get(primal.Fn).Fused!.Value.Method : LanesClass + primal.Fn;
        if (Lanes is null)
        {
            method = RealType.Functions(method);
        }

        if (DeclareAtTop is not null && DeclareAtTop(derivative, Real, NameOf(derivative)))
        {
            return method + "(" + Print(primal.A, PrecConditional + 1) + ", out " + NameOf(derivative) + ")";
        }

        return method + "(" + Print(primal.A, PrecConditional + 1) + ", out " + (Lanes ?? Real) + " " + NameOf(derivative) + ")";
    }

    private string Expr(Node n, out int prec)
    {
        if (Lanes is not null && LanesExpr(n, out prec) is string lanes)
        {
            return lanes;
        }

        switch (n.Op)
        {
            case Op.Const:
                prec = RealType.LiteralIsUnary(n.Value) ? PrecUnary : PrecPrimary;
                return RealType.Literal(n.Value);
            case Op.Param:
                prec = PrecPrimary;
                return _param(n.Index);
            case Op.True:
                prec = PrecPrimary;
                return "true";
            case Op.Extern:
                prec = PrecPrimary;
                return _g.Externs[n.Index];
            case Op.False:
                prec = PrecPrimary;
                return "false";
            case Op.Neg:
                prec = PrecUnary;
                return "-" + Print(n.A, PrecUnary);
            case Op.Not:
                prec = PrecUnary;
                return "!" + Print(n.A, PrecUnary);
            case Op.Add: return Binary(n, " + ", PrecAdditive, out prec);
            case Op.Sub: return Binary(n, " - ", PrecAdditive, out prec);
            case Op.Mul: return Binary(n, " * ", PrecMultiplicative, out prec);
            case Op.Div: return Binary(n, " / ", PrecMultiplicative, out prec);
            case Op.SafeMul:
            {
                prec = PrecConditional;
                string a = Print(n.A, PrecEquality + 1);
                string zero = RealType.Literal(0.0);
                return a + " == " + zero + " ? " + zero + " : " + Print(n.A, PrecMultiplicative) + " * " + Print(n.B, PrecMultiplicative + 1);
            }

            case Op.Select:
                prec = PrecConditional;
                return Print(n.A, PrecOr) + " ? " + Print(n.B, PrecConditional + 1) + " : " + Print(n.C, PrecConditional + 1);
            case Op.Less or Op.LessEq or Op.Greater or Op.GreaterEq or Op.Eq or Op.NotEq when n.A == n.B:
                return SelfComparison(n, out prec);
            case Op.Less: return Binary(n, " < ", PrecRelational, out prec);
            case Op.LessEq: return Binary(n, " <= ", PrecRelational, out prec);
            case Op.Greater: return Binary(n, " > ", PrecRelational, out prec);
            case Op.GreaterEq: return Binary(n, " >= ", PrecRelational, out prec);
            case Op.Eq: return Binary(n, " == ", PrecEquality, out prec);
            case Op.NotEq: return Binary(n, " != ", PrecEquality, out prec);
            case Op.And: return Binary(n, " && ", PrecAnd, out prec);
            case Op.Or: return Binary(n, " || ", PrecOr, out prec);
            case Op.Call:
                return CallText(n, out prec);
            case Op.Var:
                prec = PrecPrimary;
                return _variable!(n.Index);
            case Op.Load:
                prec = PrecPrimary;
                if (Views is not null && Views.TryGetValue(n, out (string View, Node Index) view))
                {
                    return view.View + "[" + Print(view.Index, 0) + "]";
                }

                // In a local that an arm of a ?: needs, computed whether or not the arm is taken (see EmitLocals).
                return Guarding(n)
                    ? Support("ElementOrDefault", n.Args, _array!(n.Index))
                    : ElementText(n, a => Print(a, 0));
            case Op.Length:
                prec = PrecPrimary;
                return Guarding(n) ? Support("LengthOrZero", new[] { n.A }, _array!(n.Index)) : LengthText(n, a => Print(a, 0));
            case Op.IConst:
                prec = n.Value < 0 ? PrecUnary : PrecPrimary;
                return ((long)n.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
            case Op.INeg:
                prec = PrecUnary;
                return "-" + Print(n.A, PrecUnary);
            case Op.IAdd: return Binary(n, " + ", PrecAdditive, out prec);
            case Op.ISub: return Binary(n, " - ", PrecAdditive, out prec);
            case Op.IMul: return Binary(n, " * ", PrecMultiplicative, out prec);
            case Op.IDiv when Guarding(n):
                prec = PrecPrimary;
                return Support("QuotientOrZero", n.Args, null);
            case Op.IRem when Guarding(n):
                prec = PrecPrimary;
                return Support("RemainderOrZero", n.Args, null);
            case Op.IDiv: return Binary(n, " / ", PrecMultiplicative, out prec);
            case Op.IRem: return Binary(n, " % ", PrecMultiplicative, out prec);
            case Op.ToDouble:
                prec = RealType.FromIntIsCall ? PrecPrimary : PrecUnary;
                return RealType.FromInt(Print(n.A, RealType.FromIntIsCall ? PrecConditional + 1 : PrecUnary));
            case Op.ToInt:
                prec = RealType.IsGeneric ? PrecPrimary : PrecUnary;
                return RealType.IsGeneric ? "int.CreateTruncating(" + Print(n.A, PrecConditional + 1) + ")" : "(int)" + Print(n.A, PrecUnary);
            default:
                throw new InvalidOperationException("cannot print " + n.Op);
        }
    }

    /// <summary>The batched form of what is not an operator on lanes: constants, comparisons, selects, calls.</summary>
    private string? LanesExpr(Node n, out int prec)
    {
        prec = PrecPrimary;
        string Call(string method, params Node[] args)
        {
            var printed = new string[args.Length];
            for (int i = 0; i < args.Length; i++)
            {
                printed[i] = Print(args[i], PrecConditional + 1);
            }

            return LanesClass + method + "(" + string.Join(", ", printed) + ")";
        }

        switch (n.Op)
        {
            case Op.Const:
                return Lanes + ".Create(" + CSharp.Literal(n.Value) + ")";
            case Op.Extern:
                return Lanes + ".Create(" + _g.Externs[n.Index] + ")";
            case Op.True or Op.False:
                return LanesClass + "Mask<" + Lanes + ">(" + (n.Op == Op.True ? "true" : "false") + ")";
            case Op.Not: return Call("Not", n.A);
            case Op.And: return Call("And", n.A, n.B);
            case Op.Or: return Call("Or", n.A, n.B);
            case Op.SafeMul: return Call("SafeMultiply", n.A, n.B);
            case Op.Select: return Call("Select", n.A, n.B, n.C);
            case Op.Less or Op.Greater when n.A == n.B:
                return LanesClass + "Mask<" + Lanes + ">(false)"; // x < x is false, NaN or not
            case Op.NotEq when n.A == n.B:
                return Call("IsNaN", n.A);
            case Op.Eq or Op.LessEq or Op.GreaterEq when n.A == n.B:
                return LanesClass + "Not(" + Call("IsNaN", n.A) + ")";
            case Op.Less: return Call("Less", n.A, n.B);
            case Op.LessEq: return Call("LessOrEqual", n.A, n.B);
            case Op.Greater: return Call("Greater", n.A, n.B);
            case Op.GreaterEq: return Call("GreaterOrEqual", n.A, n.B);
            case Op.Eq: return Call("Equal", n.A, n.B);
            case Op.NotEq: return Call("NotEqual", n.A, n.B);
            case Op.Call when n.Fn == Fn.Custom:
            {
                // A user's function (custom derivative rule): called lane by lane, as the scalar code calls it.
                string[] lambdaArgs = new string[n.Args.Length];
                for (int i = 0; i < lambdaArgs.Length; i++)
                {
                    lambdaArgs[i] = "__lane" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                string body = FunctionTable.Of(n).EmitCSharp(lambdaArgs);
                string lambda = "static (" + string.Join(", ", lambdaArgs) + ") => " + body;
                var printed = new string[n.Args.Length];
                for (int i = 0; i < printed.Length; i++)
                {
                    printed[i] = Print(n.Args[i], PrecConditional + 1);
                }

                return LanesClass + "Map(" + string.Join(", ", printed) + ", " + lambda + ")";
            }

            case Op.Call: return Call(n.Fn.ToString(), n.Args);
            case Op.Add or Op.Sub or Op.Mul or Op.Div or Op.Neg or Op.Param:
                return null;
            default:
                throw new InvalidOperationException("no batched form of " + n.Op);
        }
    }

    /// <summary>
    /// x op x, written without comparing a variable with itself (warning CS1718 in generated code): x &lt; x and x &gt; x
    /// are false, x != x is the NaN test, and x == x, x &lt;= x, x &gt;= x are its negation.
    /// </summary>
    private string SelfComparison(Node n, out int prec)
    {
        if (n.Op is Op.Less or Op.Greater)
        {
            prec = PrecPrimary;
            return "false";
        }

        // (An integer operand, double.IsNaN(i) in the method, is a T first in a generic method.)
        string operand = RealType.IsGeneric && n.A.IsInt ? Real + ".CreateTruncating(" + Print(n.A, 0) + ")" : Print(n.A, PrecConditional + 1);
        string test = (RealType.IsGeneric ? Real + ".IsNaN(" : "global::System.Double.IsNaN(") + operand + ")";
        prec = n.Op == Op.NotEq ? PrecPrimary : PrecUnary;
        return n.Op == Op.NotEq ? test : "!" + test;
    }

    private string Binary(Node n, string op, int p, out int prec)
    {
        prec = p;
        return Print(n.A, p) + op + Print(n.B, p + 1);
    }

    /// <summary>A built-in function call, as its <see cref="FunctionTable"/> entry emits it.</summary>
    private string CallText(Node n, out int prec)
    {
        FunctionEntry f = FunctionTable.Of(n);
        // A call's arguments are printed as arguments; a conditional's (sign) as comparison operands.
        int argumentPrec = f.CSharpIsConditional ? PrecRelational + 1 : PrecConditional + 1;
        prec = f.CSharpIsConditional ? PrecConditional : PrecPrimary;
        var args = new string[n.Args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Print(n.Args[i], argumentPrec);
        }

        return f.EmitCSharp(args, RealType);
    }
}
