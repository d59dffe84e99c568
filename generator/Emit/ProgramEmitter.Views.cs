using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Emit;

/// <summary>
/// Row views: an innermost counted loop <c>for (j = 0; j &lt; n; j++)</c> that reads <c>a[b + j]</c> (b the same every
/// iteration: a row of a weight matrix, a point of a data set) reads it through <c>a_row = a.Slice(b, n)</c> as
/// <c>a_row[j]</c>, and its reverse loop accumulates <c>da[b + j]</c> into <c>da_row[j]</c>. That is what a
/// speed-minded engineer writes by hand: the offset is added once per loop instead of once per element, and the
/// forward loop runs on <c>j &lt; a_row.Length</c>, so the JIT drops that view's bounds checks.
/// </summary>
/// <remarks>
/// Only where the result cannot change: the loop counts up from 0 by 1 with a trip count from its bounds and has
/// no loop inside; the element is read in a top-level block at or before the one that steps the counter (so every
/// iteration reads it, with the iteration's own counter), outside the arms of a <c>?:</c>; b reads nothing the loop
/// writes. Every element the view spans is then one the loop reads anyway (a bad offset throws before the loop
/// rather than inside it), and a loop that runs no trips slices nothing. The reverse views are made only for
/// elements whose adjoint the reverse loop accumulates or that its adjoints read, so the reverse sweep reads (and
/// restores) their offsets anyway.
/// </remarks>
internal sealed partial class ProgramEmitter
{
    /// <summary>The element reads and adjoint accumulations the current innermost loop's views serve.</summary>
    private readonly Dictionary<Node, (string View, Node Counter)> _viewReads = new();

    private readonly Dictionary<Node, (string View, Node Counter)> _viewAdjoints = new();

    /// <summary>The top-level blocks of the loop whose body is being written that may use its views.</summary>
    private readonly HashSet<BlockStmt> _viewBlocks = new();

    /// <summary>
    /// Declares the forward views of <paramref name="l"/> before it and returns the loop's condition on the first
    /// one's length (<c>j &lt; w_row.Length</c>), or null when the loop gets none.
    /// </summary>
    private string? OpenForwardViews(SourceWriter w, LoopStmt l)
    {
        if (ViewBlocks(l, out CountedLoop? counted) is not { } blocks)
        {
            return null;
        }

        var loads = new List<Node>();
        var seen = new HashSet<Node>();
        foreach (BlockStmt b in blocks)
        {
            foreach ((IrVar _, Node value) in b.Assigns)
            {
                UnconditionalLoads(value, loads, seen);
            }

            if (b.Store is { } st)
            {
                UnconditionalLoads(st.Index, loads, seen);
                UnconditionalLoads(st.Value, loads, seen);
            }
        }

        string? first = DeclareViews(w, l, counted!, loads, adjoint: false, _viewReads);
        if (first is null)
        {
            return null;
        }

        _viewBlocks.UnionWith(blocks);
        return VarName(counted!.Counter.Id) + " < " + first + ".Length";
    }

    /// <summary>
    /// Declares the reverse views of <paramref name="l"/> (its reverse loop runs on its counter) before the reverse
    /// loop; returns the first one's name (its length is the trip count), or null when there are none.
    /// </summary>
    private string? OpenReverseViews(SourceWriter w, LoopStmt l)
    {
        if (ViewBlocks(l, out CountedLoop? counted) is not { } blocks)
        {
            return null;
        }

        // Elements whose adjoint a block accumulates, and the elements its adjoints read.
        var accumulated = new List<Node>();
        var read = new List<Node>();
        var seen = new HashSet<Node>();
        foreach (BlockPlan plan in blocks.Select(b => _plan.Blocks[b]))
        {
            seen.UnionWith(plan.SavedValues); // taken from the tape, not computed: what they read is not read
        }

        foreach (BlockStmt b in blocks)
        {
            BlockPlan plan = _plan.Blocks[b];
            for (int i = 0; i < plan.Leaves.Count; i++)
            {
                Node adjoint = plan.Sweep.Gradient[i];
                if (adjoint.IsConstValue(0))
                {
                    continue;
                }

                if (plan.Leaves[i].Op == Op.Load && Guarded(adjoint).Condition is null)
                {
                    accumulated.Add(plan.Leaves[i]);
                }

                UnconditionalLoads(adjoint, read, seen);
            }
        }

        string? first = DeclareViews(w, l, counted!, accumulated, adjoint: true, _viewAdjoints);

        string? firstRead = DeclareViews(w, l, counted!, read, adjoint: false, _viewReads);
        first ??= firstRead;

        if (_viewAdjoints.Count > 0 || _viewReads.Count > 0)
        {
            _viewBlocks.UnionWith(blocks);
        }

        return first;
    }

    /// <summary>
    /// Declares a view for each run of <paramref name="loads"/> (see <see cref="Runs"/>) and maps each element read to
    /// its view and the counter that indexes it; returns the first view's name, or null when there is none.
    /// </summary>
    private string? DeclareViews(SourceWriter w, LoopStmt l, CountedLoop counted, List<Node> loads, bool adjoint, Dictionary<Node, (string View, Node Counter)> into)
    {
        string? first = null;
        foreach (var run in Runs(l, counted, loads))
        {
            string view = DeclareView(w, run.Key.Array, run.Key.Offset, counted, adjoint);
            first ??= view;
            foreach (Node load in run.Value)
            {
                into[load] = (view, CounterNode(load.A, counted.Counter.Id)!);
            }
        }

        return first;
    }

    /// <summary>Ends the views of the loop whose body was just written.</summary>
    private void CloseViews()
    {
        _viewReads.Clear();
        _viewAdjoints.Clear();
        _viewBlocks.Clear();
    }

    /// <summary>Lets a block's body read its loop's views.</summary>
    private void UseViews(BodyEmitter body, BlockStmt? b)
    {
        if (b is not null && _viewBlocks.Contains(b) && _viewReads.Count > 0)
        {
            body.Views = new Dictionary<Node, (string, Node)>(_viewReads);
        }
    }

    /// <summary>The adjoint view and index an accumulation into <paramref name="load"/>'s adjoint goes to, in block <paramref name="b"/>.</summary>
    private bool AdjointView(BlockStmt? b, Node load, out (string View, Node Counter) view)
    {
        view = default;
        return b is not null && _viewBlocks.Contains(b) && _viewAdjoints.TryGetValue(load, out view);
    }

    /// <summary>
    /// The blocks of an innermost loop counting up from 0 by 1 with a trip count from its bounds, up to the one
    /// that steps its counter; null for any other loop.
    /// </summary>
    private List<BlockStmt>? ViewBlocks(LoopStmt l, out CountedLoop? counted)
    {
        if (!_plan.Counted.TryGetValue(l, out counted) || counted.Trips is null || counted.Step != 1
            || counted.Init.Op != Op.IConst || counted.Init.Value != 0 || IrProgram.Walk(l.Body).Any(s => s is LoopStmt))
        {
            return null;
        }

        int j = counted.Counter.Id;
        var blocks = new List<BlockStmt>();
        foreach (Stmt s in l.Body)
        {
            if (s is BlockStmt b)
            {
                blocks.Add(b);
                if (b.Assigns.Exists(a => a.Var.Id == j))
                {
                    return blocks;
                }
            }
        }

        return null;
    }

    /// <summary>The element reads of <paramref name="loads"/> a view can serve, by array and offset (in first-read order).</summary>
    private List<KeyValuePair<(int Array, Node Offset), List<Node>>> Runs(LoopStmt l, CountedLoop counted, List<Node> loads)
    {
        HashSet<int> assigned = IrProgram.AssignedVars(l.Body);
        HashSet<int> written = IrProgram.WrittenArrays(l.Body);
        var runs = new List<KeyValuePair<(int Array, Node Offset), List<Node>>>();
        foreach (Node load in loads)
        {
            if (load.Index >= _p.Arrays.Count || _p.Arrays[load.Index] is not { Shape: ArrayShape.Vector, ElementType: VarType.Double }
                || Offset(load.A, counted.Counter.Id) is not { } offset || !Invariant(offset, assigned, written))
            {
                continue;
            }

            int at = runs.FindIndex(r => r.Key.Array == load.Index && r.Key.Offset == offset);
            if (at < 0)
            {
                runs.Add(new KeyValuePair<(int, Node), List<Node>>((load.Index, offset), new List<Node> { load }));
            }
            else
            {
                runs[at].Value.Add(load);
            }
        }

        return runs;
    }

    /// <summary><c>b</c> when <paramref name="index"/> is <c>b + j</c> (terms in any order) with b not reading j; null otherwise.</summary>
    private Node? Offset(Node index, int j)
    {
        if (index.Op != Op.IAdd)
        {
            return null;
        }

        if (IsCounter(index.B, j) && !ReadsVar(index.A, j))
        {
            return index.A;
        }

        if (IsCounter(index.A, j) && !ReadsVar(index.B, j))
        {
            return index.B;
        }

        if (!ReadsVar(index.A, j) && Offset(index.B, j) is { } inner)
        {
            return _g.IntOp(Op.IAdd, index.A, inner);
        }

        if (!ReadsVar(index.B, j) && Offset(index.A, j) is { } inner2)
        {
            return _g.IntOp(Op.IAdd, inner2, index.B);
        }

        return null;
    }

    /// <summary>The counter's own node inside an index <c>b + j</c>.</summary>
    private static Node? CounterNode(Node index, int j)
    {
        if (IsCounter(index, j))
        {
            return index;
        }

        foreach (Node a in index.Args)
        {
            if (a.Op is Op.IAdd or Op.Var && CounterNode(a, j) is { } c)
            {
                return c;
            }
        }

        return null;
    }

    private static bool IsCounter(Node n, int j) => n.Op == Op.Var && n.Index == j;

    private static bool ReadsVar(Node n, int j) => IsCounter(n, j) || n.Args.Any(a => ReadsVar(a, j));

    /// <summary>Whether <paramref name="n"/> reads no variable and no array the loop writes.</summary>
    private static bool Invariant(Node n, HashSet<int> assigned, HashSet<int> written)
    {
        if ((n.Op == Op.Var && assigned.Contains(n.Index)) || (n.Op is Op.Load or Op.Length && written.Contains(n.Index)))
        {
            return false;
        }

        return n.Args.All(a => Invariant(a, assigned, written));
    }

    /// <summary>The element reads of <paramref name="n"/> that run whenever it is computed (not inside a <c>?:</c> arm or a short-circuited operand).</summary>
    private static void UnconditionalLoads(Node n, List<Node> loads, HashSet<Node> seen)
    {
        if (!seen.Add(n))
        {
            return;
        }

        if (n.Op == Op.Load)
        {
            loads.Add(n);
        }

        // (Node.EagerArgs, except that a zero-safe product's second factor counts as conditional here: a view must
        // span only elements the loop itself reads.)
        int evaluated = n.Op == Op.SafeMul ? 1 : n.EagerArgs;
        for (int i = 0; i < evaluated; i++)
        {
            UnconditionalLoads(n.Args[i], loads, seen);
        }
    }

    /// <summary>
    /// <c>ReadOnlySpan&lt;double&gt; w_row = w.Slice(b, n);</c> (a data or weight parameter is cast to a span first; an
    /// adjoint view is a <c>Span</c>) for a constant trip count; <c>Tape.Row(w, b, n)</c>, the same without a branch
    /// but empty when n ≤ 0 whatever b, for a trip count known at run time.
    /// </summary>
    private string DeclareView(SourceWriter w, int array, Node offset, CountedLoop counted, bool adjoint)
    {
        IrArray a = _p.Arrays[array];
        string source = adjoint ? ArrayName(_plan.AdjointArrayBase + array) : ArrayName(array);
        string name = Unique(source + "_row");
        var body = NewBody();
        Node trips = counted.Trips!;
        Node length = trips.Op == Op.Select ? trips.B : trips;
        string start = Int(body.Inline(w, offset), offset);
        string count = Int(body.Inline(w, length), length);
        string span = adjoint ? "global::System.Span<" + Real + ">" : "global::System.ReadOnlySpan<" + Real + ">";
        bool positive = length.Op == Op.IConst && length.Value > 0;
        w.Line(span + " " + name + " = " + (positive
            ? (!adjoint && a.Kind == ArrayKind.Parameter ? "((" + span + ")" + source + ")" : source) + ".Slice(" + start + ", " + count + ")"
            : "global::SymGrad.Tape.Row(" + source + ", " + start + ", " + count + ")") + ";");
        return name;

        // (A long parameter in an expression makes it long: as an offset or a count of elements the loop reads, it fits an int.)
        string Int(string e, Node n) => ReadsParameterVariable(n) ? "(int)" + Parenthesized(e) : e;
    }
}
