using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Emit;

/// <summary>
/// Fused loops: a loop over the data whose iterations are independent and only add to a sum, <c>for (i …) s += f(i)</c>,
/// runs each iteration's adjoint right after the iteration, in the forward sweep, as a hand-written gradient of a sum
/// does (and as JAX's <c>vmap</c> of a per-sample gradient does): the tape holds one iteration at a time, so it stays
/// in cache, and the reverse sweep has nothing left to do for the loop. The adjoint of the sum is a seed known before
/// the loop (∂result/∂s, −1 for <c>return −s</c>), because nothing after the loop reads s but the result.
/// </summary>
/// <remarks>
/// Only a loop at the top of the method that counts by a constant step, where the result provably cannot change:
/// <list type="bullet">
/// <item>Accumulators: every real variable the loop assigns that is read after it is a sum, <c>s = s ± e</c>, read
/// nowhere else in the loop, neither read nor assigned by a statement after the loop, with a seed ∂result/∂s that
/// reads nothing the loop or a later statement changes. No other variable the loop assigns is read after it before
/// being assigned again, and no array it writes is read after it.</item>
/// <item>No iteration reads what an earlier one left: every variable the loop assigns (but its counter and the sums)
/// is assigned in the iteration before it is read, and every array it writes is overwritten whole (an inner loop
/// <c>for (j = 0; j &lt; a.Length; j++) a[j] = …</c>, or cleared) before it is read. So an iteration's adjoint needs only
/// what the iteration itself computed, and adjoints never flow from one iteration into another.</item>
/// <item>What the loop only reads is assigned by no later statement, so no adjoint the later statements' reverse
/// blocks zero can hold the loop's contributions; and no earlier statement reads what the loop assigns, so the
/// earlier statements' reverse blocks do not need the values the loop's own reverse would have restored.</item>
/// </list>
/// </remarks>
internal sealed partial class ProgramEmitter
{
    /// <summary>Fused loops (see the class remarks) and each one's sums with their seeds.</summary>
    private readonly Dictionary<LoopStmt, List<(IrVar Sum, Node Seed)>> _fused = new();

    /// <summary>Finds the fused loops among the method's top-level statements (<paramref name="also"/>: another value computed with the result).</summary>
    private void FindFusedLoops(Node? also)
    {
        for (int k = 0; k < _p.Body.Count; k++)
        {
            if (_p.Body[k] is LoopStmt l && FusedSums(l, k, also) is { } sums)
            {
                _fused[l] = sums;
            }
        }
    }

    /// <summary>The sums of top-level loop <paramref name="l"/> (statement <paramref name="at"/>) with their seeds when it can be fused (see the class remarks); null when not.</summary>
    private List<(IrVar Sum, Node Seed)>? FusedSums(LoopStmt l, int at, Node? also)
    {
        if (!RunsOnCounter(l, out CountedLoop? counted))
        {
            return null;
        }

        int counter = counted!.Counter.Id;
        List<Stmt> inside = IrProgram.Walk(l.Body).ToList();
        List<Stmt> before = IrProgram.Walk(_p.Body.Take(at)).ToList();
        List<Stmt> after = IrProgram.Walk(_p.Body.Skip(at + 1)).ToList();
        HashSet<int> assigned = IrProgram.AssignedVars(l.Body);
        HashSet<int> written = IrProgram.WrittenArrays(l.Body);
        HashSet<int> assignedAfter = IrProgram.AssignedVars(_p.Body.Skip(at + 1));
        HashSet<int> writtenAfter = IrProgram.WrittenArrays(_p.Body.Skip(at + 1));

        // Read after the loop before being assigned again: the state the loop leaves that matters.
        (HashSet<int> liveVars, HashSet<int> liveArrays) = LiveAfter(at, also);
        if (written.Overlaps(liveArrays))
        {
            return null;
        }

        var sums = new List<(IrVar Sum, Node Seed)>();
        var sumIds = new HashSet<int>();
        foreach (int v in assigned.Where(liveVars.Contains).OrderBy(v => v))
        {
            if (v == counter)
            {
                continue;
            }

            IrVar sum = _p.Vars[v];
            bool restored = inside.OfType<BlockStmt>().Any(b => _plan.SavedVars.TryGetValue(b, out HashSet<int>? saved) && saved.Contains(v));
            bool usedAfter = after.Any(s => Reads(s, v) || (s is BlockStmt b && b.Assigns.Exists(a => a.Var.Id == v)));
            if (sum.Type != VarType.Double || !IsSum(v, inside) || restored || usedAfter)
            {
                return null; // not a sum, or one whose adjoint more than the result's seed reaches
            }

            Node seed = _g.Zero;
            int leaf = _plan.Result.Leaves.FindIndex(n => n.Op == Op.Var && n.Index == v);
            if (leaf >= 0)
            {
                seed = _plan.Result.Sweep.Gradient[leaf];
            }

            (HashSet<int> seedVars, HashSet<int> seedArrays) = IrProgram.StateRead(new[] { seed });
            if (seedVars.Overlaps(assigned) || seedVars.Overlaps(assignedAfter) || seedArrays.Overlaps(written) || seedArrays.Overlaps(writtenAfter))
            {
                return null;
            }

            sumIds.Add(v);
            if (_plan.ActiveVars.Contains(v))
            {
                sums.Add((sum, seed));
            }
        }

        // What the loop only reads is not changed after it; what it changes is not read before it.
        (HashSet<int> readVars, HashSet<int> readArrays) = IrProgram.StateRead(inside.SelectMany(s => s.Nodes).Append(l.Condition));
        (HashSet<int> readBeforeVars, HashSet<int> readBeforeArrays) = IrProgram.StateRead(before.SelectMany(s => s.Nodes));
        var carried = new HashSet<int>(assigned.Where(v => !sumIds.Contains(v) && v != counter));
        if (readVars.Where(v => !assigned.Contains(v)).Any(assignedAfter.Contains)
            || readArrays.Where(a => !written.Contains(a)).Any(writtenAfter.Contains)
            || readBeforeVars.Overlaps(carried) || readBeforeVars.Contains(counter) || readBeforeArrays.Overlaps(written))
        {
            return null;
        }

        // No iteration reads what an earlier one left (see the remarks).
        return ReadsOwnWrites(l.Body, carried, written, new HashSet<int>(), new HashSet<int>(), at) && !IrProgram.StateRead(new[] { l.Condition }).Vars.Overlaps(carried)
            ? sums
            : null;
    }

    private static bool Reads(Stmt s, int v) => IrProgram.StateRead(s.Nodes).Vars.Contains(v);

    /// <summary>
    /// The variables and arrays read after top-level statement <paramref name="at"/> before being assigned again (an
    /// array counts whenever it is read): top-level blocks assign for sure, a branch or loop may not.
    /// </summary>
    private (HashSet<int> Vars, HashSet<int> Arrays) LiveAfter(int at, Node? also)
    {
        var live = new HashSet<int>();
        var arrays = new HashSet<int>();
        var killed = new HashSet<int>();
        void Read(IEnumerable<Node> roots)
        {
            (HashSet<int> vars, HashSet<int> read) = IrProgram.StateRead(roots);
            live.UnionWith(vars.Where(v => !killed.Contains(v)));
            arrays.UnionWith(read);
        }

        foreach (Stmt s in _p.Body.Skip(at + 1))
        {
            if (s is BlockStmt b)
            {
                Read(b.Nodes);
                killed.UnionWith(b.Assigns.Select(a => a.Var.Id));
            }
            else
            {
                Read(IrProgram.Walk(new[] { s }).SelectMany(x => x.Nodes));
            }
        }

        Read(also is null ? new[] { _p.Result } : new[] { _p.Result, also });
        return (live, arrays);
    }

    /// <summary>
    /// Whether every assignment of <paramref name="v"/> in the loop is <c>v = v + e</c> or <c>v = v − e</c> (e not
    /// reading v) and nothing else in the loop reads v.
    /// </summary>
    private static bool IsSum(int v, List<Stmt> inside)
    {
        foreach (Stmt s in inside)
        {
            if (s is not BlockStmt b)
            {
                if (Reads(s, v))
                {
                    return false;
                }

                continue;
            }

            var others = new List<Node>();
            foreach ((IrVar x, Node value) in b.Assigns)
            {
                if (x.Id != v)
                {
                    others.Add(value);
                    continue;
                }

                // v + e, e + v or v − e: v's adjoint passes through unchanged (e may not read v: checked with the others).
                Node? term = value.Op == Op.Add && IsVar(value.A, v) ? value.B
                    : value.Op == Op.Add && IsVar(value.B, v) ? value.A
                    : value.Op == Op.Sub && IsVar(value.A, v) ? value.B
                    : null;
                if (term is null)
                {
                    return false;
                }

                others.Add(term);
            }

            if (b.Alloc is { } alloc)
            {
                others.Add(alloc.Length);
            }

            if (b.Store is { } st)
            {
                others.Add(st.Index);
                others.Add(st.Value);
            }

            if (IrProgram.StateRead(others).Vars.Contains(v))
            {
                return false;
            }
        }

        return true;

        static bool IsVar(Node n, int id) => n.Op == Op.Var && n.Index == id;
    }

    /// <summary>
    /// Whether, in every iteration of the top-level loop <paramref name="at"/>, each variable of
    /// <paramref name="carried"/> and each array of <paramref name="arrays"/> is read only after the iteration has
    /// assigned it (an array: overwritten whole). <paramref name="vars"/> and <paramref name="whole"/> hold what is
    /// assigned so far, and grow with what <paramref name="stmts"/> assign for sure.
    /// </summary>
    private bool ReadsOwnWrites(List<Stmt> stmts, HashSet<int> carried, HashSet<int> arrays, HashSet<int> vars, HashSet<int> whole, int at)
    {
        bool Fresh(IEnumerable<Node> roots)
        {
            (HashSet<int> readVars, HashSet<int> readArrays) = IrProgram.StateRead(roots);
            return readVars.All(v => !carried.Contains(v) || vars.Contains(v)) && readArrays.All(a => !arrays.Contains(a) || whole.Contains(a));
        }

        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case BlockStmt b:
                    if (!Fresh(b.Nodes))
                    {
                        return false;
                    }

                    vars.UnionWith(b.Assigns.Select(a => a.Var.Id));
                    if (b.Clear is { } cleared)
                    {
                        whole.Add(cleared.Id);
                    }

                    if (b.Alloc is { } alloc)
                    {
                        whole.Add(alloc.Array.Id);
                    }

                    break;
                case IfStmt i:
                {
                    if (!Fresh(new[] { i.Condition }))
                    {
                        return false;
                    }

                    var thenVars = new HashSet<int>(vars);
                    var thenWhole = new HashSet<int>(whole);
                    var elseVars = new HashSet<int>(vars);
                    var elseWhole = new HashSet<int>(whole);
                    if (!ReadsOwnWrites(i.Then, carried, arrays, thenVars, thenWhole, at) || !ReadsOwnWrites(i.Else, carried, arrays, elseVars, elseWhole, at))
                    {
                        return false;
                    }

                    thenVars.IntersectWith(elseVars);
                    thenWhole.IntersectWith(elseWhole);
                    vars.UnionWith(thenVars);
                    whole.UnionWith(thenWhole);
                    break;
                }

                case LoopStmt inner:
                    // The first trip reads what was there before the loop; later trips what earlier trips assigned.
                    if (!Fresh(new[] { inner.Condition }) || !ReadsOwnWrites(inner.Body, carried, arrays, new HashSet<int>(vars), new HashSet<int>(whole), at))
                    {
                        return false;
                    }

                    if (Fills(inner, at) is int filled)
                    {
                        whole.Add(filled);
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// The array a counted loop overwrites whole, <c>for (j = 0; j &lt; n; j++) { … a[j] = …; … }</c> with a store
    /// in a top-level block of its body and <c>a</c> allocated once, before the top-level loop <paramref name="at"/>,
    /// with length n (the same node, over variables that do not change from the allocation to the loop's end).
    /// </summary>
    private int? Fills(LoopStmt loop, int at)
    {
        if (!_plan.Counted.TryGetValue(loop, out CountedLoop? counted) || counted.Trips is not { } trips || counted.Step != 1
            || counted.Init.Op != Op.IConst || counted.Init.Value != 0)
        {
            return null;
        }

        Node length = trips.Op == Op.Select ? trips.B : trips;
        foreach (Stmt s in loop.Body)
        {
            if (s is not BlockStmt { Store: { } st } || st.Index.Op != Op.Var || st.Index.Index != counted.Counter.Id)
            {
                continue;
            }

            int allocatedAt = -1;
            for (int k = 0; k < _p.Body.Count; k++)
            {
                foreach (Stmt x in IrProgram.Walk(new[] { _p.Body[k] }))
                {
                    if (x is BlockStmt { Alloc: { } alloc } && alloc.Array.Id == st.Array.Id)
                    {
                        if (allocatedAt >= 0 || x != _p.Body[k] || k >= at || Defined(alloc.Length, at) != Defined(length, at))
                        {
                            return null; // allocated twice, inside a branch or loop, after the loop, or with another length
                        }

                        allocatedAt = k;
                    }
                }
            }

            if (allocatedAt < 0)
            {
                return null;
            }

            HashSet<int> lengthVars = IrProgram.StateRead(new[] { Defined(length, at) }).Vars;
            bool steady = IrProgram.Walk(_p.Body.Skip(allocatedAt).Take(at - allocatedAt + 1)).OfType<BlockStmt>()
                .All(b => !b.Assigns.Exists(a => lengthVars.Contains(a.Var.Id)));
            return steady ? st.Array.Id : null;
        }

        return null;
    }

    /// <summary>
    /// <paramref name="n"/>, or for a variable assigned once in the method, in a top-level block before top-level
    /// statement <paramref name="before"/>, the value assigned (<c>k</c> for <c>int k = a.Length</c> is <c>a.Length</c>).
    /// </summary>
    private Node Defined(Node n, int before) =>
        n.Op == Op.Var && _p.Vars[n.Index].ParamIndex < 0 && Assignments(n.Index, before).Only is { } value ? value : n;

    /// <summary>
    /// How many times the method assigns variable <paramref name="v"/>, and when that is once, in a top-level block
    /// before top-level statement <paramref name="before"/>, the value assigned (else null).
    /// </summary>
    private (int Count, Node? Only) Assignments(int v, int before)
    {
        Node? value = null;
        int count = 0;
        foreach (BlockStmt b in IrProgram.Walk(_p.Body).OfType<BlockStmt>())
        {
            foreach ((IrVar x, Node assigned) in b.Assigns)
            {
                if (x.Id == v)
                {
                    count++;
                    int k = _p.Body.IndexOf(b);
                    value = k >= 0 && k < before ? assigned : null;
                }
            }
        }

        return (count, count == 1 ? value : null);
    }

    /// <summary>
    /// A fused loop (see the class remarks): the sums' adjoints take their seeds, then each iteration runs forwards
    /// and at once backwards (the reverse body steps the counter back; it is stepped on again after).
    /// </summary>
    private void FusedLoop(SourceWriter w, LoopStmt l, List<(IrVar Sum, Node Seed)> sums)
    {
        _plan.Counted.TryGetValue(l, out CountedLoop? counted);
        string names = sums.Count == 0 ? "a sum" : string.Join(", ", sums.Select(s => VarName(s.Sum.Id)));
        w.Line("// The iterations are independent and only add to " + names + ": each iteration's adjoint runs right after it,");
        w.Line("// so the tape holds one iteration at a time.");
        foreach ((IrVar sum, Node seed) in sums)
        {
            string value = NewBody().Inline(w, seed);
            w.Line(VarName(_plan.AdjointBase + sum.Id) + " = " + value + "; // ∂" + _method + "/∂" + sum.Name + ": nothing after the loop reads " + sum.Name + " but the result");
        }

        OpenForwardLoop(w, l);
        Forward(w, l.Body, inLoop: true);
        w.Line();
        w.Line("// The iteration's adjoint: the statements above in reverse order.");
        Reverse(w, l.Body, inLoop: true);
        long step = counted!.Step;
        w.Line(VarName(counted.Counter.Id) + (step >= 0 ? " += " : " -= ") + System.Math.Abs(step).ToString(CultureInfo.InvariantCulture) + "; // on to the next iteration");
        w.Close();
        CloseViews();
        foreach ((IrVar sum, Node _) in sums)
        {
            w.Line(VarName(_plan.AdjointBase + sum.Id) + " = " + Zero(VarType.Double) + "; // the reverse sweep adds ∂" + _method + "/∂" + sum.Name + " again, for what comes before the loop");
        }
    }
}
