using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Emit;

/// <summary>
/// Writes the gradient of a structured program as a forward sweep that runs the method's own loops and branches
/// (saving what the reverse sweep needs: locals at the top level, the tape inside loops) and a reverse sweep that runs
/// them backwards: loops count down over the recorded trip count, branches take the side that ran.
/// </summary>
internal sealed partial class ProgramEmitter
{
    private readonly Graph _g;
    private readonly IrProgram _p;
    private readonly AdjointPlan _plan;
    private readonly string _method;
    private readonly Func<int, string> _param;
    private readonly HashSet<string> _used;
    private readonly Dictionary<int, string> _varNames = new();
    private readonly Dictionary<int, string> _arrayNames = new();
    private readonly Dictionary<int, string> _adjointArrayNames = new();
    private readonly Dictionary<int, string> _paramAdjoints = new();
    private readonly List<string> _slotDeclarations = new();
    private bool _usesTape;

    /// <summary>The tape local's name (<c>tape</c> unless a parameter has that name).</summary>
    private readonly string _tape;
    private int _slot;

    /// <param name="g">The graph of the program's nodes.</param>
    /// <param name="p">The program.</param>
    /// <param name="plan">Its reverse-mode plan.</param>
    /// <param name="method">The differentiated function's name, for adjoint names (dM_dx).</param>
    /// <param name="scalarWrt">Differentiated scalar parameters (index, name): each gets an adjoint local.</param>
    /// <param name="param">A parameter's name in the emitted code.</param>
    /// <param name="used">Names already taken in the emitted method; the emitter adds its own.</param>
    public ProgramEmitter(Graph g, IrProgram p, AdjointPlan plan, string method, IEnumerable<(int Index, string Name)> scalarWrt, Func<int, string> param, HashSet<string> used)
    {
        _g = g;
        _p = p;
        _plan = plan;
        _method = method;
        _param = param;
        _used = used;
        _tape = Unique("tape");
        foreach (IrVar v in p.Vars)
        {
            _varNames[v.Id] = v.ParamIndex >= 0 ? param(v.ParamIndex) : Unique(v.Name);
            if (plan.ActiveVars.Contains(v.Id))
            {
                _varNames[plan.AdjointBase + v.Id] = Unique("d" + method + "_d" + v.Name);
            }
        }

        foreach (IrArray a in p.Arrays)
        {
            _arrayNames[a.Id] = a.ParamIndex < 0 ? Unique(a.Name) : a.Shape is ArrayShape.FlatMatrix or ArrayShape.StructArray ? Unique(param(a.ParamIndex) + "_flat") : param(a.ParamIndex);
            if (plan.ActiveArrays.Contains(a.Id))
            {
                _arrayNames[plan.AdjointArrayBase + a.Id] = Unique("d" + method + "_d" + a.Name);
            }
        }

        foreach ((int index, string name) in scalarWrt)
        {
            _paramAdjoints[index] = Unique("d" + method + "_d" + name);
        }
    }

    public string AdjointArray(IrArray a) => _arrayNames[_plan.AdjointArrayBase + a.Id];

    public string ParamAdjoint(int param) => _paramAdjoints[param];

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_used.Add(candidate); i++)
        {
            candidate = name + "_" + i.ToString(CultureInfo.InvariantCulture);
        }

        return CSharp.Identifier(candidate);
    }

    private string VarName(int id) => _varNames[id];

    private string ArrayName(int id) => _arrayNames[id];

    private BodyEmitter NewBody(int reverseStart = int.MaxValue) => new(_g, _method, _param, _used, VarName, ArrayName) { ReverseStart = reverseStart, RealType = RealType, Shape = id => id < _p.Arrays.Count ? _p.Arrays[id].Shape : ArrayShape.Vector, DimensionOwner = DimensionOwner };

    /// <summary>What a dimension of array <paramref name="id"/> is read from: the matrix parameter itself for a flat view.</summary>
    private string DimensionOwner(int id) => id < _p.Arrays.Count && _p.Arrays[id] is { Shape: ArrayShape.FlatMatrix or ArrayShape.StructArray, ParamIndex: >= 0 } a ? _param(a.ParamIndex) : ArrayName(id);

    /// <summary>
    /// The real type: a float method's real values, buffers and adjoints are float, a generic method's T (the tape
    /// holds them as doubles, exactly for float and Half; a generic method's buffers are lent, never stackalloc'd, since
    /// T need not be unmanaged).
    /// </summary>
    public RealType RealType { get; init; } = RealType.Double;

    private bool IsFloat => RealType.IsFloat;

    private string Real => RealType.Name;

    /// <summary>A real value from the tape: <c>tape.Pop()</c>, cast to float in a float method.</summary>
    private string PopReal => RealType.IsGeneric ? _tape + ".PopReal<" + Real + ">()" : (IsFloat ? "(float)" : string.Empty) + _tape + ".Pop()";

    /// <summary>Pushes a real value on the tape.</summary>
    private string PushReal(string value) => _tape + (RealType.IsGeneric ? ".PushReal(" : ".Push(") + value + ");";

    /// <summary>Pushes every element of an array on the tape.</summary>
    private string PushAll(IrArray a) => _tape + (RealType.IsGeneric && a.ElementType == VarType.Double ? ".PushAllReal<" + Real + ">(" : ".PushAll(") + ArrayName(a.Id) + ");";

    /// <summary>Pops every element of an array pushed by <see cref="PushAll"/>.</summary>
    private string PopAll(IrArray a) => _tape + (RealType.IsGeneric && a.ElementType == VarType.Double ? ".PopAllReal(" : ".PopAll(") + ArrayName(a.Id) + ");";

    /// <summary>The tape's zeroed scratch buffer of real elements.</summary>
    private string TapeBuffer => _tape + (RealType.IsGeneric ? ".RealBuffer<" + Real + ">(" : IsFloat ? ".FloatBuffer(" : ".Buffer(");

    private string TypeOf(VarType t) => t switch { VarType.Int => "int", VarType.Bool => "bool", _ => Real };

    private string Zero(VarType t) => t switch { VarType.Int => "0", VarType.Bool => "false", _ => RealType.Literal(0.0) };

    /// <summary>
    /// The method's value alone, as the gradient computes it (same rewrites, same loops and branches), ending in
    /// <c>return</c>; nothing is saved. Use with a plan that differentiates nothing.
    /// </summary>
    public void EmitPrimal(SourceWriter w)
    {
        _primalOnly = true;
        var body = new SourceWriter();
        body.Indent(w.Depth);
        Forward(body, _p.Body, inLoop: false);
        NewBody().Emit(body, new[] { new Output(null, _p.Result, null) });
        Declare(w);
        if (_usesTape)
        {
            w.Line("using global::SymGrad.Tape " + _tape + " = global::SymGrad.Tape.Rent(); // lends the stackalloc buffers");
        }

        w.Append(body);
    }

    private bool _primalOnly;

    /// <summary>Declarations, forward sweep, reverse sweep; the caller writes the gradient outputs and the return after.</summary>
    /// <param name="w">Where the method body goes.</param>
    /// <param name="valueName">The local that receives the program's result (null: not needed, the reverse sweep recomputes what it reads).</param>
    /// <param name="also">Another value over the final state, computed with the result (the tangent program's f).</param>
    public void Emit(SourceWriter w, string? valueName, (string Name, Node Value)? also = null)
    {
        // Declarations: every program variable at the top (the reverse sweep reads them after the loops).
        FindRecomputedFills();
        FindFusedLoops(also?.Value);
        var body = new SourceWriter();
        body.Indent(w.Depth);
        Forward(body, _p.Body, inLoop: false);
        var result = NewBody();
        foreach (Node n in _plan.Result.SavedValues)
        {
            result.AlsoCompute(n);
        }

        var results = new List<Output>();
        if (valueName is not null)
        {
            results.Add(new Output(Real + " " + valueName, _p.Result, null));
        }
        else if (Differentiation.Reverse.Reachable(_p.Result).Any(n => n.Op == Op.Var))
        {
            // Not needed itself (the reverse sweep recomputes what it reads), but its variables are read here.
            results.Add(new Output("_", _p.Result, null));
        }

        if (also is { } extra)
        {
            results.Add(new Output(Real + " " + extra.Name, extra.Value, null));
        }

        result.Emit(body, results);

        var reverse = new SourceWriter();
        reverse.Indent(w.Depth);
        reverse.Line("// Reverse sweep: adjoints ∂" + _method + "/∂v, the statements above in reverse order.");
        // The result's reverse block reads the values the forward sweep named (see _forwardLocals) and kept.
        Dictionary<Node, string> kept = _plan.Result.SavedValues.ToDictionary(n => n, n => result.LocalName(n));
        foreach (KeyValuePair<Node, string> local in result.EmittedLocals().Where(l => Reused(l.Key)))
        {
            if (!kept.ContainsKey(local.Key))
            {
                kept[local.Key] = local.Value;
            }
        }

        ReverseBlock(reverse, _plan.Result, null, kept);
        Reverse(reverse, _p.Body, inLoop: false);

        Declare(w);
        if (_usesTape)
        {
            w.Line("using global::SymGrad.Tape " + _tape + " = global::SymGrad.Tape.Rent();");
        }

        w.Line();
        w.Line("// Forward sweep: the method itself, saving what the reverse sweep needs.");
        w.Append(body);
        w.Line();
        w.Append(reverse);
    }

    /// <summary>Every variable and local buffer at the top (the reverse sweep reads them after the loops), and the save slots.</summary>
    private void Declare(SourceWriter w)
    {
        // Variables the program assigns or reads (others, e.g. a flag no path sets, are not declared).
        HashSet<int> mentioned = IrProgram.AssignedVars(_p.Body);
        foreach (Node n in Differentiation.Reverse.Reachable(IrProgram.Walk(_p.Body).SelectMany(s => s.Nodes).Append(_p.Result)))
        {
            if (n.Op == Op.Var)
            {
                mentioned.Add(n.Index);
            }
        }

        foreach (IrVar v in _p.Vars.Where(v => v.ParamIndex < 0 && mentioned.Contains(v.Id)))
        {
            w.Line(TypeOf(v.Type) + " " + VarName(v.Id) + " = " + Zero(v.Type) + ";");
        }

        foreach (IrVar v in _p.Vars.Where(v => _plan.ActiveVars.Contains(v.Id)))
        {
            w.Line(Real + " " + VarName(_plan.AdjointBase + v.Id) + " = " + Zero(VarType.Double) + ";");
        }

        foreach (IrArray a in _p.Arrays.Where(a => a.Source is not null))
        {
            // A data table kept in a static field or property, read once here.
            w.Line("global::System.ReadOnlySpan<" + (a.ElementType == VarType.Int ? "int" : Real) + "> " + ArrayName(a.Id) + " = " + a.Source + ";");
        }

        foreach (IrArray a in _p.Arrays.Where(a => a.Shape == ArrayShape.FlatMatrix && a.ParamIndex >= 0))
        {
            // A differentiated matrix is read through a flat, row-major view of its elements (no copy).
            w.Line("global::System.ReadOnlySpan<" + Real + "> " + ArrayName(a.Id) + " = global::SymGrad.Tape.Flat(" + _param(a.ParamIndex) + ");");
        }

        foreach (IrArray a in _p.Arrays.Where(a => a.Shape == ArrayShape.StructArray && a.ParamIndex >= 0))
        {
            // An array of structs of doubles is read through a flat view of their fields (no copy).
            w.Line("global::System.ReadOnlySpan<" + Real + "> " + ArrayName(a.Id) + " = global::System.Runtime.InteropServices.MemoryMarshal.Cast<" + a.ElementTypeName + ", " + Real
                + ">((global::System.ReadOnlySpan<" + a.ElementTypeName + ">)" + _param(a.ParamIndex) + ");");
        }

        foreach (IrArray a in _p.Arrays.Where(a => a.Kind != ArrayKind.Parameter))
        {
            string type = a.ElementType == VarType.Int ? "int" : Real;
            long? size = StackSize(a);
            string init = size is long n ? "stackalloc " + Real + "[" + n.ToString(CultureInfo.InvariantCulture) + "]" : "default";
            w.Line(OnTape(a)
                ? "global::System.Span<" + Real + "> " + ArrayName(a.Id) + " = " + init + ";"
                : type + "[] " + ArrayName(a.Id) + " = global::System.Array.Empty<" + type + ">();");
            if (_plan.ActiveArrays.Contains(a.Id))
            {
                w.Line("global::System.Span<" + Real + "> " + AdjointArray(a) + " = " + init + ";");
            }
        }

        foreach (string slot in _slotDeclarations)
        {
            w.Line(slot);
        }
    }

    private bool ReadsParameterVariable(Node n) => (n.Op == Op.Var && _p.Vars[n.Index].ParamIndex >= 0) || n.Args.Any(ReadsParameterVariable);

    /// <summary>
    /// Whether a local buffer lives in a span the tape lends: every double buffer (the method's own, whether
    /// <c>new double[n]</c> or <c>stackalloc</c>, never escapes it), so a steady-state gradient allocates nothing.
    /// </summary>
    private static bool OnTape(IrArray a) => a.Kind != ArrayKind.Parameter && a.ElementType == VarType.Double;

    /// <summary>
    /// The length of a double buffer allocated once with a small constant length: it (and its adjoint) is a
    /// <c>stackalloc</c> at the top of the generated method, zeroed, and its allocation statement writes nothing.
    /// (Every allocation runs at most once per call: a buffer declared in a loop is allocated before the loop.)
    /// </summary>
    private long? StackSize(IrArray a)
    {
        if (_stackSizes.TryGetValue(a.Id, out long? known))
        {
            return known;
        }

        var allocs = IrProgram.Walk(_p.Body).OfType<BlockStmt>().Where(b => b.Alloc?.Array == a).Select(b => b.Alloc!.Value.Length).ToList();
        long? size = !RealType.IsGeneric && OnTape(a) && allocs.Count == 1 && allocs[0].Op == Op.IConst && allocs[0].Value is >= 0 and <= MaxStackLength ? (long)allocs[0].Value : null;
        _stackSizes[a.Id] = size;
        return size;
    }

    private const int MaxStackLength = 256;

    private readonly Dictionary<(BlockStmt, Node), string> _valueSlots = new();

    private static string ValueName(Node n) => Functions.FunctionTable.Of(n).LocalPrefix ?? n.Fn.ToString().ToLowerInvariant();
    private readonly Dictionary<int, long?> _stackSizes = new();

    /// <summary>A local declared at the top of the method (a save slot, a trip count, a branch taken) and its name.</summary>
    private string Slot(string name, VarType type)
    {
        string n = Unique(name + "_" + (_slot++).ToString(CultureInfo.InvariantCulture));
        _slotDeclarations.Add(TypeOf(type) + " " + n + " = " + Zero(type) + ";");
        return n;
    }

    // ------------------------------------------------------------------ forward sweep

    private void Forward(SourceWriter w, List<Stmt> stmts, bool inLoop)
    {
        _forwardDepth++;
        ForwardStatements(w, stmts, inLoop);
        _forwardDepth--;
    }

    /// <summary>1 while the method's own statements are written, more inside a branch or loop.</summary>
    private int _forwardDepth;

    /// <summary>
    /// The locals a block outside every loop computed in the forward sweep, by node: its reverse block reads them
    /// instead of computing the values again (the block runs at most once, and its reverse block only if it ran, so
    /// each is the value the reverse block needs). Inside a branch they are declared at the top of the method.
    /// </summary>
    private readonly Dictionary<BlockStmt, List<KeyValuePair<Node, string>>> _forwardLocals = new();

    /// <summary>
    /// Whether a reverse block reads a forward local of <paramref name="n"/> (see <see cref="_forwardLocals"/>) rather
    /// than computing it again: a value with the method's own name, which its formulas then name, or a function call,
    /// which costs most to compute again (a temporary such as x·x is cheaper to recompute than to name).
    /// </summary>
    private static bool Reused(Node n) => n.Name is not null || n.Op == Op.Call;

    private void ForwardStatements(SourceWriter w, List<Stmt> stmts, bool inLoop)
    {
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case BlockStmt b:
                    ForwardBlock(w, b, inLoop);
                    break;
                case IfStmt i:
                {
                    var cond = NewBody();
                    string c = cond.Inline(w, i.Condition);
                    bool record = !_primalOnly && !_plan.RecomputedConditions.Contains(i);
                    if (record)
                    {
                        // Which side ran is recorded after the branch (last pushed, first popped).
                        string slot = Slot("taken", VarType.Bool);
                        _conditionSlotNames[i] = slot;
                        w.Line(slot + " = " + c + ";");
                        c = slot;
                    }

                    w.Open("if (" + c + ")");
                    Forward(w, i.Then, inLoop);
                    w.Close();
                    if (i.Else.Count > 0)
                    {
                        w.Open("else");
                        Forward(w, i.Else, inLoop);
                        w.Close();
                    }

                    if (record && inLoop)
                    {
                        _usesTape = true;
                        Pushed(w, _tape + ".Push(" + c + " ? 1.0 : 0.0);");
                    }

                    break;
                }

                case LoopStmt l when _fused.TryGetValue(l, out List<(IrVar Sum, Node Seed)>? sums):
                    _usesTape = true;
                    FusedLoop(w, l, sums);
                    break;

                case LoopStmt l when _primalOnly:
                    OpenForwardLoop(w, l);
                    Forward(w, l.Body, inLoop: true);
                    w.Close();
                    CloseViews();
                    break;

                case LoopStmt l:
                {
                    string? counter = RunsOnCounter(l, out _) ? null : Slot("trips", VarType.Int);
                    _counterNames[l] = counter;

                    // A counted loop's trip count is computed again in the reverse sweep: nothing to count or record.
                    bool known = _plan.Counted.TryGetValue(l, out CountedLoop? counted) && counted.Trips is not null;
                    if (inLoop && !known)
                    {
                        w.Line(counter! + " = 0;");
                    }

                    var loop = new SourceWriter();
                    loop.Indent(w.Depth);
                    int pushes = _pushDepths.Count;
                    OpenForwardLoop(loop, l);
                    Forward(loop, l.Body, inLoop: true);
                    if (!known)
                    {
                        loop.Line(counter! + "++;");
                    }

                    loop.Close();
                    CloseViews();
                    ReserveTape(w, loop, known ? counted : null, pushes);
                    w.Append(loop);
                    if (inLoop && !known)
                    {
                        _usesTape = true;
                        Pushed(w, _tape + ".Push(" + counter! + ");");
                    }

                    break;
                }
            }
        }
    }

    /// <summary>
    /// The forward depth (see <see cref="_forwardDepth"/>) of every push written so far; −1 for a push of a run-time
    /// number of values (a whole array).
    /// </summary>
    private readonly List<int> _pushDepths = new();

    /// <summary>Writes a push (<paramref name="line"/>) and records its depth (see <see cref="ReserveTape"/>).</summary>
    private void Pushed(SourceWriter w, string line, bool perTrip = true)
    {
        _pushDepths.Add(perTrip ? _forwardDepth : -1);
        w.Line(line);
    }

    /// <summary>
    /// When every push a counted loop writes (those since <paramref name="mark"/>) is one value at the level of its
    /// body, so the loop pushes the same number of values every trip: reserves room for all of them before the loop
    /// (<c>tape.Reserve(trips, perTrip)</c>) and makes them <c>PushReserved</c>, which skips the capacity check of
    /// <c>Push</c> (an array store, still bounds-checked). A check and a call to grow in every push keep registers
    /// spilled around the hot loop (measured: the GMM objective's gradient 3.4× → 3.1× the function).
    /// </summary>
    private void ReserveTape(SourceWriter w, SourceWriter loop, CountedLoop? counted, int mark)
    {
        int perTrip = _pushDepths.Count - mark;
        int body = _forwardDepth + 1;
        bool fixedCount = true;
        for (int i = mark; i < _pushDepths.Count; i++)
        {
            fixedCount &= _pushDepths[i] == body;
        }

        if (counted?.Trips is not { } trips || perTrip == 0 || !fixedCount || RealType.IsGeneric)
        {
            return;
        }

        Node length = trips.Op == Op.Select ? trips.B : trips; // (Reserve takes a negative count as 0)
        string count = WithoutOuterParentheses(NewBody().Inline(w, length));
        w.Line(_tape + ".Reserve(" + count + ", " + perTrip.ToString(CultureInfo.InvariantCulture)
            + "); // room for the loop's pushes, " + perTrip.ToString(CultureInfo.InvariantCulture) + " per trip");
        loop.Replace(_tape + ".Push(", _tape + ".PushReserved(");
    }

    /// <summary>
    /// An element's adjoint that is 0 unless conditions hold (the element is read only in arms of <c>?:</c>): the
    /// conditions, and the adjoint to accumulate when they hold (an outer <c>c ? g : 0</c> is just g); (null, the
    /// adjoint) when it may be nonzero whatever the conditions.
    /// </summary>
    private (Node? Condition, Node Adjoint) Guarded(Node adjoint)
    {
        Node? condition = null;
        while (adjoint.Op == Op.Select && adjoint.B.IsConstValue(0) != adjoint.C.IsConstValue(0))
        {
            condition = Both(condition, adjoint.C.IsConstValue(0) ? adjoint.A : _g.Not(adjoint.A));
            adjoint = adjoint.C.IsConstValue(0) ? adjoint.B : adjoint.C;
        }

        return (Both(condition, ZeroUnless(adjoint, 0)), adjoint);
    }

    /// <summary>A condition without which <paramref name="n"/> is 0 (a sum of guarded terms, a product with a guarded factor); null: none found.</summary>
    private Node? ZeroUnless(Node n, int depth)
    {
        if (depth > 64)
        {
            return null;
        }

        switch (n.Op)
        {
            case Op.Select when n.C.IsConstValue(0):
                return Both(n.A, ZeroUnless(n.B, depth + 1));
            case Op.Select when n.B.IsConstValue(0):
                return Both(_g.Not(n.A), ZeroUnless(n.C, depth + 1));
            case Op.Add or Op.Sub:
                return ZeroUnless(n.A, depth + 1) is { } a && ZeroUnless(n.B, depth + 1) is { } b ? _g.Or(a, b) : null;
            case Op.Neg or Op.Div:
                return ZeroUnless(n.A, depth + 1);
            case Op.Mul or Op.SafeMul:
                return ZeroUnless(n.A, depth + 1) is { } left ? Both(left, ZeroUnless(n.B, depth + 1)) : ZeroUnless(n.B, depth + 1);
            default:
                return null;
        }
    }

    private Node? Both(Node? a, Node? b) => a is null ? b : b is null ? a : _g.And(a, b);

    /// <summary>A forward loop's head: on its first row view's length when it has views (see ProgramEmitter.Views), else its condition.</summary>
    private void OpenForwardLoop(SourceWriter w, LoopStmt l)
    {
        if (OpenForwardViews(w, l) is { } condition)
        {
            w.Open("while (" + condition + ")");
        }
        else
        {
            OpenLoop(w, l.Condition);
        }
    }

    /// <summary>
    /// <c>while (condition)</c>; when the condition needs locals of its own (a value also named in the body, such as
    /// <c>i + 1</c> in <c>for (…; i + 1 &lt; n; i++)</c>), they are computed inside the loop, every iteration:
    /// <c>while (true) { locals; if (!(condition)) break; …</c>. (Computed before the loop, they would be computed once.)
    /// </summary>
    private void OpenLoop(SourceWriter w, Node condition)
    {
        var head = new SourceWriter();
        head.Indent(w.Depth + 1);
        string c = NewBody().Inline(head, condition);
        if (head.IsEmpty)
        {
            w.Open("while (" + c + ")");
            return;
        }

        w.Open("while (true)");
        w.Append(head);
        w.Open("if (!(" + c + "))");
        w.Line("break;");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// A counted loop whose trip count follows from its bounds and whose reverse body steps the counter back (the
    /// block that steps it saves it): the reverse loop runs on the counter, <c>while (j &gt; start)</c>.
    /// </summary>
    private bool RunsOnCounter(LoopStmt l, out CountedLoop? counted)
    {
        if (_primalOnly || !_plan.Counted.TryGetValue(l, out counted) || counted.Trips is null)
        {
            counted = null;
            return false;
        }

        int j = counted.Counter.Id;
        foreach (Stmt s in l.Body)
        {
            if (s is BlockStmt b && b.Assigns.Exists(a => a.Var.Id == j))
            {
                return _plan.SavedVars.TryGetValue(b, out HashSet<int>? saved) && saved.Contains(j);
            }
        }

        return false;
    }

    /// <summary>
    /// A counted loop's start as the reverse loop's head reads it: a name or a number, or else a local computed once
    /// (the head reads it every trip).
    /// </summary>
    private string StartOf(SourceWriter w, CountedLoop counted)
    {
        string start = NewBody().Inline(w, counted.Init);
        if (Parenthesized(start) == start)
        {
            return start;
        }

        string first = Unique("start");
        w.Line("int " + first + " = " + (ReadsParameterVariable(counted.Init) ? "(int)(" + start + ")" : start) + ";");
        return first;
    }

    /// <summary>The counter of the reverse loop being written when it runs forwards (see <see cref="IndependentIterations"/>); −1 otherwise.</summary>
    private int _upwardCounter = -1;

    /// <summary>
    /// Whether the reverse loop of <paramref name="l"/> may run forwards (Tapenade's independent-iterations loop): it
    /// counts up by 1; its body is blocks only, the counter's step last; and every block only adds to adjoints, from
    /// values that no iteration changes: nothing taped or restored but the counter, no store, no adjoint of a variable
    /// the block assigns overwritten, and no adjoint that the loop adds to read by it. The iterations then commute
    /// (up to the order of floating-point additions into one adjoint).
    /// </summary>
    private bool IndependentIterations(LoopStmt l, CountedLoop counted)
    {
        int j = counted.Counter.Id;
        if (counted.Step != 1 || l.Body.Count == 0 || l.Body.Exists(s => s is not BlockStmt)
            || !((BlockStmt)l.Body[l.Body.Count - 1]).Assigns.Exists(a => a.Var.Id == j))
        {
            return false;
        }

        var added = new HashSet<int>();
        var adjoints = new List<Node>();
        foreach (BlockStmt b in l.Body.Cast<BlockStmt>())
        {
            BlockPlan plan = _plan.Blocks[b];
            if (b.Store is not null || b.Clear is not null || b.Alloc is not null || _plan.SavedStores.Contains(b) || plan.SavedValues.Count > 0
                || (_plan.SavedVars.TryGetValue(b, out HashSet<int>? saved) && saved.Any(v => v != j)))
            {
                return false;
            }

            var assigned = new HashSet<int>(b.Assigns.Where(a => _plan.ActiveVars.Contains(a.Var.Id)).Select(a => a.Var.Id));
            foreach (int v in assigned)
            {
                int at = plan.Leaves.FindIndex(leaf => leaf.Op == Op.Var && leaf.Index == v);
                if (at < 0 || plan.Sweep.Gradient[at] != _plan.AdjointVar(_p.Vars[v]))
                {
                    return false; // the block overwrites the variable's adjoint
                }
            }

            for (int i = 0; i < plan.Leaves.Count; i++)
            {
                Node leaf = plan.Leaves[i];
                if (plan.Sweep.Gradient[i].IsConstValue(0) || (leaf.Op == Op.Var && assigned.Contains(leaf.Index)))
                {
                    continue;
                }

                if (leaf.Op == Op.Var)
                {
                    added.Add(_plan.AdjointBase + leaf.Index);
                }

                adjoints.Add(plan.Sweep.Gradient[i]);
            }
        }

        var reads = new HashSet<int>();
        Node.Visit(adjoints, n =>
        {
            if (n.Op == Op.Var)
            {
                reads.Add(n.Index);
            }

            return n.Args;
        });
        return !reads.Overlaps(added);
    }

    /// <summary>An emitted expression in parentheses unless it is a name or a number.</summary>
    private static string Parenthesized(string e)
    {
        foreach (char ch in e)
        {
            if (!(char.IsLetterOrDigit(ch) || ch is '_' or '.'))
            {
                return "(" + e + ")";
            }
        }

        return e;
    }

    /// <summary><paramref name="e"/> without a pair of parentheses around all of it (<c>((int)n)</c> → <c>(int)n</c>).</summary>
    private static string WithoutOuterParentheses(string e)
    {
        if (e.Length < 2 || e[0] != '(' || e[e.Length - 1] != ')')
        {
            return e;
        }

        int depth = 0;
        for (int i = 0; i < e.Length - 1; i++)
        {
            depth += e[i] == '(' ? 1 : e[i] == ')' ? -1 : 0;
            if (depth == 0)
            {
                return e; // the first parenthesis closes before the end: (a) + (b)
            }
        }

        return e.Substring(1, e.Length - 2);
    }

    private readonly Dictionary<IfStmt, string> _conditionSlotNames = new();
    private readonly Dictionary<Stmt, string?> _counterNames = new();

    private void ForwardBlock(SourceWriter w, BlockStmt b, bool inLoop)
    {
        // Save what this block overwrites and the reverse sweep needs (an int stepped by a constant is stepped back instead).
        HashSet<int> saved = !_primalOnly && _plan.SavedVars.TryGetValue(b, out HashSet<int>? s) ? s : new HashSet<int>();
        bool saveStore = !_primalOnly && _plan.SavedStores.Contains(b);
        foreach ((IrVar v, Node value) in b.Assigns)
        {
            if (!saved.Contains(v.Id) || AdjointPlan.Step(v, value) is not null)
            {
                continue;
            }

            if (inLoop)
            {
                _usesTape = true;
                Pushed(w, v.Type == VarType.Double ? PushReal(VarName(v.Id)) : _tape + ".Push(" + (v.Type == VarType.Bool ? VarName(v.Id) + " ? 1.0 : 0.0" : VarName(v.Id)) + ");");
            }
            else
            {
                string slot = Slot(VarName(v.Id) + "_saved", v.Type);
                _saveSlotNames[(b, v.Id)] = slot;
                w.Line(slot + " = " + VarName(v.Id) + ";");
            }
        }

        var body = NewBody();
        UseViews(body, b);
        bool reused = !_primalOnly && !inLoop;
        HashSet<Node>? hoisted = null;
        if (reused && _forwardDepth > 1)
        {
            hoisted = new HashSet<Node>();
            // Inside a branch: the values the reverse block reads are declared at the top, so it can read them there.
            // (A value the block keeps for its reverse block anyway, in a slot at the top, is not declared twice.)
            var read = new HashSet<Node>(Differentiation.Reverse.Reachable(_plan.Blocks[b].Sweep.Gradient));
            read.ExceptWith(_plan.Blocks[b].SavedValues);
            body.DeclareAtTop = (node, type, name) =>
            {
                if (!Reused(node) || !read.Contains(node))
                {
                    return false;
                }

                _slotDeclarations.Add(type + " " + name + " = " + (type == "bool" ? "false" : type == "int" ? "0" : Zero(VarType.Double)) + ";");
                hoisted.Add(node);
                return true;
            };
        }

        var outputs = new List<Output>();
        if (saveStore)
        {
            _usesTape = true;
            if (b.Store is { } st)
            {
                // The old element goes on the tape (a store inside a loop overwrites what an earlier iteration needs).
                outputs.Add(new Output(null, st.Index, null));
            }
        }

        // Parallel semantics: everything the block writes reads the state before it, so a value (or the store's index)
        // that reads a variable the block assigns is computed as a local before any output is written.
        var assigned = new HashSet<string>(b.Assigns.Select(a => VarName(a.Var.Id)));
        foreach ((IrVar v, Node value) in b.Assigns)
        {
            outputs.Add(new Output(VarName(v.Id), value, null));
            if (b.Assigns.Count > 1)
            {
                body.ForceLocalIfReads(value, assigned);
            }
        }

        if (b.Store is { } store)
        {
            outputs.RemoveAll(o => o.Target is null);
            if (saveStore)
            {
                body.ForceLocal(store.Index);
            }

            outputs.Add(new Output(ArrayName(store.Array.Id), store.Value, null) { Index = store.Index });
            body.ForceLocalIfReads(store.Value, assigned);
            body.ForceLocalIfReads(store.Index, assigned);
        }

        if (b.Alloc is { } alloc && StackSize(alloc.Array) is null)
        {
            string type = alloc.Array.ElementType == VarType.Int ? "int" : Real;
            string length = body.Inline(w, alloc.Length);
            if (OnTape(alloc.Array))
            {
                _usesTape = true;
                w.Line(ArrayName(alloc.Array.Id) + " = " + TapeBuffer + length + ");");
            }
            else
            {
                w.Line(ArrayName(alloc.Array.Id) + " = new " + type + "[" + length + "];");
            }

            if (_plan.ActiveArrays.Contains(alloc.Array.Id))
            {
                _usesTape = true;
                w.Line(AdjointArray(alloc.Array) + " = " + TapeBuffer + length + ");");
            }
        }

        if (b.Clear is { } clear && saveStore)
        {
            Pushed(w, PushAll(clear), perTrip: false);
        }

        // Transcendental values the reverse block needs are kept: on the tape after the overwritten element inside a
        // loop, in locals declared at the top outside one.
        List<Node> values = !_primalOnly && _plan.Blocks.TryGetValue(b, out BlockPlan? bp) ? bp.SavedValues : new List<Node>();
        foreach (Node n in values)
        {
            body.AlsoCompute(n);
        }

        if ((b.Store is not null && saveStore) || values.Count > 0)
        {
            body.EmitLocals(w, outputs);
            if (b.Store is { } st2 && saveStore)
            {
                string element = ArrayName(st2.Array.Id) + "[" + body.Inline(w, st2.Index) + "]";
                Pushed(w, st2.Array.ElementType == VarType.Double ? PushReal(element) : _tape + ".Push(" + element + ");");
            }

            foreach (Node n in values)
            {
                if (inLoop)
                {
                    _usesTape = true;
                    Pushed(w, PushReal(body.LocalName(n)));
                }
                else
                {
                    string slot = Slot(ValueName(n) + "_kept", VarType.Double);
                    _valueSlots[(b, n)] = slot;
                    w.Line(slot + " = " + body.LocalName(n) + ";");
                }
            }

            body.EmitOutputs(w, outputs);
        }
        else if (outputs.Count > 0)
        {
            body.Emit(w, outputs);
        }

        if (b.Clear is { } cleared)
        {
            w.Line(OnTape(cleared)
                ? ArrayName(cleared.Id) + ".Clear();"
                : "global::System.Array.Clear(" + ArrayName(cleared.Id) + ", 0, " + ArrayName(cleared.Id) + ".Length);");
        }

        if (reused)
        {
            // (Inside a branch, only those declared at the top are in the reverse block's scope.)
            _forwardLocals[b] = body.EmittedLocals().Where(l => hoisted?.Contains(l.Key) ?? Reused(l.Key)).ToList();
        }
    }

    private readonly Dictionary<(BlockStmt, int), string> _saveSlotNames = new();

    // ------------------------------------------------------------------ reverse sweep

    private void Reverse(SourceWriter w, List<Stmt> stmts, bool inLoop)
    {
        for (int k = stmts.Count - 1; k >= 0; k--)
        {
            if (stmts[k] is not BlockStmt && _recomputeBefore.TryGetValue(stmts[k], out LoopStmt? fill))
            {
                Recompute(w, fill);
            }

            switch (stmts[k])
            {
                case BlockStmt b:
                    ReverseStmt(w, b, inLoop);
                    break;
                case IfStmt i:
                {
                    string c;
                    if (_plan.RecomputedConditions.Contains(i))
                    {
                        c = NewBody().Inline(w, i.Condition);
                    }
                    else if (inLoop)
                    {
                        c = _tape + ".Pop() != 0.0";
                    }
                    else
                    {
                        c = _conditionSlotNames[i];
                    }

                    var then = new SourceWriter();
                    then.Indent(w.Depth + 1);
                    Reverse(then, i.Then, inLoop);
                    var otherwise = new SourceWriter();
                    otherwise.Indent(w.Depth + 1);
                    Reverse(otherwise, i.Else, inLoop);
                    if (then.IsEmpty && otherwise.IsEmpty)
                    {
                        if (c.StartsWith(_tape + ".", StringComparison.Ordinal))
                        {
                            w.Line(_tape + ".Pop(); // neither side has adjoint work");
                        }

                        break;
                    }

                    w.Open("if (" + c + ")");
                    w.Append(then);
                    w.Close();
                    if (!otherwise.IsEmpty)
                    {
                        w.Open("else");
                        w.Append(otherwise);
                        w.Close();
                    }

                    break;
                }

                case LoopStmt l when _fused.ContainsKey(l):
                    break; // its adjoint ran in the forward sweep, iteration by iteration

                case LoopStmt l when RunsOnCounter(l, out CountedLoop? counted):
                {
                    // The counter itself runs the reverse loop: it starts where the forward loop left it and the body
                    // steps it back once per trip, so the loop ends where the forward one started. (A separate trip
                    // counter would be a second induction variable, which keeps the JIT's bounds checks in.)
                    string counterName = VarName(counted!.Counter.Id);
                    if (IndependentIterations(l, counted))
                    {
                        // Each iteration only adds to adjoints, from values no iteration changes: the order does not
                        // matter, and counting up lets the JIT drop the views' bounds checks.
                        // (Its own condition: the bound reads nothing the loop writes.)
                        string first = StartOf(w, counted);
                        string? view = OpenReverseViews(w, l);
                        string condition = view is not null ? counterName + " < " + view + ".Length" : NewBody().Inline(w, l.Condition);
                        w.Line("// The iterations are independent (each adds to adjoints only): the reverse loop runs forwards.");
                        w.Open("for (" + counterName + " = " + first + "; " + condition + "; " + counterName + "++)");
                        _upwardCounter = counted.Counter.Id;
                        Reverse(w, l.Body, inLoop: true);
                        _upwardCounter = -1;
                        w.Close();
                        CloseViews();
                        break;
                    }

                    bool wide = ReadsParameterVariable(counted.Trips!);
                    string count = NewBody().Inline(w, counted.Trips!);
                    string start = StartOf(w, counted);
                    string steps = Math.Abs(counted.Step) == 1 ? count : Parenthesized(count) + " * " + Math.Abs(counted.Step).ToString(CultureInfo.InvariantCulture);
                    string end = start == "0" && counted.Step > 0 ? steps : start == "0" ? "-" + Parenthesized(steps) : start + (counted.Step < 0 ? " - " : " + ") + Parenthesized(steps);
                    w.Line(counterName + " = " + (wide ? "(int)" + Parenthesized(end) : end) + "; // where the loop ended: its start plus the trips (from the loop's bounds) times its step");
                    OpenReverseViews(w, l);
                    w.Open("while (" + counterName + (counted.Step > 0 ? " > " : " < ") + start + ")");
                    Reverse(w, l.Body, inLoop: true);
                    w.Close();
                    CloseViews();
                    break;
                }

                case LoopStmt l:
                {
                    string counter = _counterNames[l]!;
                    _plan.Counted.TryGetValue(l, out CountedLoop? counted);
                    if (counted?.Trips is { } trips)
                    {
                        // (A long parameter in the bound makes the expression long: the count itself fits an int, as the loop ran.)
                        bool wide = ReadsParameterVariable(trips);
                        string count = NewBody().Inline(w, trips);
                        w.Line(counter + " = " + (wide ? "(int)(" + count + ")" : count) + "; // the trip count, from the loop's bounds");
                    }
                    else if (inLoop)
                    {
                        w.Line(counter + " = (int)" + _tape + ".Pop();");
                    }

                    if (counted is not null)
                    {
                        // The counter's value when the loop ended: its start plus one step per trip.
                        string start = NewBody().Inline(w, counted.Init);
                        string steps = counted.Step == 1 ? counter : counter + " * " + Math.Abs(counted.Step).ToString(CultureInfo.InvariantCulture);
                        w.Line(VarName(counted.Counter.Id) + " = " + (start == "0" ? (counted.Step < 0 ? "-" + steps : steps) : start + (counted.Step < 0 ? " - " : " + ") + steps) + ";");
                    }

                    w.Open("for (; " + counter + " > 0; " + counter + "--)");
                    Reverse(w, l.Body, inLoop: true);
                    w.Close();
                    break;
                }
            }
        }
    }

    private void ReverseStmt(SourceWriter w, BlockStmt b, bool inLoop)
    {
        // 1. Back to the state before the block, taking from the tape in the reverse of the order the forward sweep
        //    pushed: the array elements it overwrote (pushed last) first, then the saved variables, last to first.
        var given = new Dictionary<Node, string>();
        List<Node> values = _plan.Blocks[b].SavedValues;
        for (int k = values.Count - 1; k >= 0; k--)
        {
            Node n = values[k];
            if (inLoop)
            {
                string name = Unique(ValueName(n));
                w.Line(Real + " " + name + " = " + PopReal + ";");
                given[n] = name;
            }
            else
            {
                given[n] = _valueSlots[(b, n)];
            }
        }

        if (!inLoop && _forwardLocals.TryGetValue(b, out List<KeyValuePair<Node, string>>? locals))
        {
            foreach (KeyValuePair<Node, string> local in locals)
            {
                if (!given.ContainsKey(local.Key))
                {
                    given[local.Key] = local.Value;
                }
            }
        }

        string? oldElement = null;
        if (b.Clear is { } clearedFirst && _plan.SavedStores.Contains(b))
        {
            w.Line(PopAll(clearedFirst));
        }

        if (b.Store is { } overwrittenStore && _plan.SavedStores.Contains(b))
        {
            // The element's index reads the state before the block: it is written back once the variables are. An int
            // buffer's element (a permutation, a mask) went onto the tape as a double and comes back as an int.
            oldElement = Unique("overwritten");
            w.Line(overwrittenStore.Array.ElementType == VarType.Int
                ? "int " + oldElement + " = (int)" + _tape + ".Pop();"
                : Real + " " + oldElement + " = " + PopReal + ";");
        }

        HashSet<int> saved = _plan.SavedVars.TryGetValue(b, out HashSet<int>? s) ? s : new HashSet<int>();
        for (int k = b.Assigns.Count - 1; k >= 0; k--)
        {
            (IrVar v, Node value) = b.Assigns[k];
            if (!saved.Contains(v.Id))
            {
                continue;
            }

            if (AdjointPlan.Step(v, value) is long step)
            {
                if (v.Id == _upwardCounter)
                {
                    continue; // the reverse loop runs forwards, stepping the counter itself
                }

                w.Line(VarName(v.Id) + (step >= 0 ? " -= " : " += ") + Math.Abs(step).ToString(CultureInfo.InvariantCulture) + ";");
            }
            else if (inLoop)
            {
                w.Line(VarName(v.Id) + " = " + (v.Type == VarType.Int ? "(int)" + _tape + ".Pop()" : v.Type == VarType.Bool ? _tape + ".Pop() != 0.0" : PopReal) + ";");
            }
            else
            {
                w.Line(VarName(v.Id) + " = " + _saveSlotNames[(b, v.Id)] + ";");
            }
        }

        if (b.Clear is { } cleared && _plan.ActiveArrays.Contains(cleared.Id))
        {
            w.Line(AdjointArray(cleared) + ".Clear();");
        }

        if (b.Store is { } st && oldElement is not null)
        {
            var index = NewBody();
            w.Line(ArrayName(st.Array.Id) + "[" + index.Inline(w, st.Index) + "] = " + oldElement + ";");
        }

        // A buffer this block reads, filled again rather than restored (ProgramEmitter.Recompute), now that the
        // variables the fill reads are back.
        if (_recomputeBefore.TryGetValue(b, out LoopStmt? fill))
        {
            Recompute(w, fill);
        }

        // 2. The block's adjoints.
        ReverseBlock(w, _plan.Blocks[b], b, given);
    }

    private void ReverseBlock(SourceWriter w, BlockPlan plan, BlockStmt? b, Dictionary<Node, string>? given = null)
    {
        var body = NewBody(plan.ReverseStart);
        foreach (KeyValuePair<Node, string> g in given ?? new Dictionary<Node, string>())
        {
            body.Given(g.Key, g.Value);
        }

        UseViews(body, b);
        body.AddSweep(plan.Sweep);
        var outputs = new List<Output>();
        var assigned = new HashSet<int>();
        var writes = new HashSet<string>();
        if (b is not null)
        {
            foreach ((IrVar v, Node _) in b.Assigns)
            {
                if (_plan.ActiveVars.Contains(v.Id))
                {
                    assigned.Add(v.Id);
                }
            }
        }

        for (int i = 0; i < plan.Leaves.Count; i++)
        {
            Node leaf = plan.Leaves[i];
            Node adj = plan.Sweep.Gradient[i];
            switch (leaf.Op)
            {
                case Op.Var when assigned.Contains(leaf.Index):
                    break; // written below, with the variables the block assigns
                case Op.Var:
                    if (!adj.IsConstValue(0))
                    {
                        outputs.Add(new Output(VarName(_plan.AdjointBase + leaf.Index), adj, null) { Operator = "+=" });
                    }

                    break;
                case Op.Param:
                    if (!adj.IsConstValue(0))
                    {
                        outputs.Add(new Output(_paramAdjoints[leaf.Index], adj, null) { Operator = "+=" });
                    }

                    break;
                case Op.Load:
                    if (!adj.IsConstValue(0))
                    {
                        // Into the loop's adjoint row view when it has one (da_row[j] for da[b + j]); only under the
                        // condition of the arm that read the element, if one did (its index may be out of range otherwise).
                        (Node? condition, Node guarded) = Guarded(adj);
                        outputs.Add(AdjointView(b, leaf, out (string View, Node Counter) view)
                            ? new Output(view.View, adj, null) { Index = view.Counter, Operator = "+=" }
                            : new Output(ArrayName(_plan.AdjointArrayBase + leaf.Index), guarded, null) { Index = leaf.A, Operator = "+=", Condition = condition });
                    }

                    break;
            }
        }

        // The adjoint of an overwritten variable is the adjoint of its old value: what the block's reads contribute.
        var final = new List<Output>();
        if (b?.Store is { } st && _plan.ActiveArrays.Contains(st.Array.Id))
        {
            body.ForceLocal(plan.StoreSeed!);
            final.Add(new Output(AdjointArray(st.Array), _g.Zero, null) { Index = st.Index });
        }

        foreach (int v in assigned)
        {
            int at = plan.Leaves.FindIndex(l => l.Op == Op.Var && l.Index == v);
            Node adj = at >= 0 ? plan.Sweep.Gradient[at] : _g.Zero;
            Node self = _plan.AdjointVar(_p.Vars[v]);
            if (adj != self)
            {
                final.Add(new Output(VarName(_plan.AdjointBase + v), adj, null));
                writes.Add(VarName(_plan.AdjointBase + v));
            }
        }

        // Seeds read after an adjoint they come from is overwritten are kept in locals first.
        var all = final.Where(o => o.Index is not null).Concat(outputs).Concat(final.Where(o => o.Index is null)).ToList();
        foreach (int v in assigned)
        {
            Node seed = _plan.AdjointVar(_p.Vars[v]);
            if (all.Any(o => o.Target != VarName(_plan.AdjointBase + v) && body.Reads(o.Node, seed)) && writes.Contains(VarName(_plan.AdjointBase + v)))
            {
                body.ForceLocal(seed);
            }
        }

        if (all.Count > 0)
        {
            body.Emit(w, all);
        }
    }
}
