using System.Collections.Generic;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Emit;

/// <summary>
/// Recomputed fills (Tapenade's recompute-instead-of-store): a loop that fills a buffer at the top of an outer
/// loop's body, <c>for (j = 0; j &lt; d; j++) xc[j] = x[i·d + j] − μ[c·d + j]</c>, from values that do not change
/// while the outer loop runs, is run again in the reverse sweep, just before the first reverse block that reads the
/// buffer (after that block's own restores, when it is a block), instead of saving every element it overwrites on
/// the tape and restoring it after. The reverse iteration
/// then finds the buffer as its forward iteration left it, at the cost of the fill's arithmetic (a subtraction per
/// element for the GMM's centred point) instead of a push, a pop and a store.
/// </summary>
/// <remarks>
/// Only where that gives the same values: the fill is a counted loop at the top level of the outer loop's body whose
/// blocks store only that buffer, at the counter, and assign only the counter; nothing else in the method writes the
/// buffer, and only statements after the fill in the same body read it; the fill reads parameter arrays, its counter,
/// variables that never change (a parameter never assigned, or a variable assigned once, before the loop), and the
/// counters of the loops around it, which run their reverse on the counter; and the statements between the fill and
/// the last reader assign none of them.
/// </remarks>
internal sealed partial class ProgramEmitter
{
    /// <summary>The fill to run again before the reverse block of a statement (see the class remarks).</summary>
    private readonly Dictionary<Stmt, LoopStmt> _recomputeBefore = new();

    /// <summary>Finds the recomputed fills and takes their stores off the tape.</summary>
    private void FindRecomputedFills()
    {
        for (int k = 0; k < _p.Body.Count; k++)
        {
            Visit(new List<Stmt> { _p.Body[k] }, new List<LoopStmt>(), k);
        }

        void Visit(List<Stmt> stmts, List<LoopStmt> around, int top)
        {
            foreach (Stmt s in stmts)
            {
                switch (s)
                {
                    case LoopStmt l:
                        if (around.Count > 0 && RecomputedFill(l, around, top) is { } plan)
                        {
                            _recomputeBefore[plan.Before] = l;
                            _plan.SavedStores.Remove(plan.Store);
                        }

                        Visit(l.Body, around.Append(l).ToList(), top);
                        break;
                    case IfStmt i:
                        Visit(i.Then, around, top);
                        Visit(i.Else, around, top);
                        break;
                }
            }
        }
    }

    /// <summary>The fill's store block and the statement before whose reverse block it runs again; null when <paramref name="fill"/> is not a recomputed fill.</summary>
    private (BlockStmt Store, Stmt Before)? RecomputedFill(LoopStmt fill, List<LoopStmt> around, int top)
    {
        LoopStmt outer = around[around.Count - 1];
        int at = outer.Body.IndexOf(fill);
        if (at < 0 || !_plan.Counted.TryGetValue(fill, out CountedLoop? counted) || counted.Trips is null
            || fill.Body.Exists(s => s is not BlockStmt) || around.Exists(a => !RunsOnCounter(a, out _)))
        {
            return null;
        }

        int counter = counted.Counter.Id;
        var blocks = fill.Body.Cast<BlockStmt>().ToList();
        var stores = blocks.Where(b => b.Store is not null).ToList();
        if (stores.Count != 1 || blocks.Exists(b => b.Clear is not null || b.Alloc is not null || b.Assigns.Exists(a => a.Var.Id != counter)))
        {
            return null;
        }

        BlockStmt store = stores[0];
        (IrArray array, Node index, _) = store.Store!.Value;
        if (!_plan.SavedStores.Contains(store) || index.Op != Op.Var || index.Index != counter)
        {
            return null;
        }

        // Nothing else writes the buffer; only statements after the fill in the same body read it.
        List<BlockStmt> all = IrProgram.Walk(_p.Body).OfType<BlockStmt>().ToList();
        if (all.Exists(b => b != store && (b.Store?.Array.Id == array.Id || b.Clear?.Id == array.Id)))
        {
            return null;
        }

        var readers = new HashSet<Stmt>(IrProgram.Walk(_p.Body).Where(s => IrProgram.StateRead(s.Nodes).Arrays.Contains(array.Id)));
        Stmt? last = null;
        for (int k = 0; k < outer.Body.Count; k++)
        {
            bool reads = IrProgram.Walk(new[] { outer.Body[k] }).Any(readers.Contains);
            if (reads && k <= at)
            {
                return null;
            }

            if (reads)
            {
                last = outer.Body[k];
            }
        }

        int inside = IrProgram.Walk(outer.Body.Skip(at + 1)).Count(readers.Contains);
        if (last is null || inside != readers.Count)
        {
            return null; // no reader, or one outside the outer loop's body
        }

        // What the fill reads does not change between the fill and its last reader, nor while the reverse sweep runs.
        (HashSet<int> vars, HashSet<int> arrays) = IrProgram.StateRead(fill.Body.SelectMany(s => s.Nodes).Append(fill.Condition).Append(counted.Init));
        var counters = new HashSet<int>(around.Select(a => _plan.Counted[a].Counter.Id));
        // A last reader that is a block runs the fill again after its own restores (a counter it steps is back to the
        // iteration's value); a branch or loop runs it before.
        int lastAt = outer.Body.IndexOf(last);
        IEnumerable<Stmt> changing = outer.Body.Skip(at + 1).Take(lastAt - at - 1).Concat(last is BlockStmt ? Enumerable.Empty<Stmt>() : new[] { last });
        HashSet<int> between = IrProgram.AssignedVars(changing);
        if (arrays.Any(a => _p.Arrays[a].Kind != ArrayKind.Parameter) || vars.Overlaps(between)
            || vars.Any(v => v != counter && !counters.Contains(v) && !Steady(v, top)))
        {
            return null;
        }

        return (store, last);
    }

    /// <summary>Whether variable <paramref name="v"/> never changes after top-level statement <paramref name="top"/> starts: a parameter never assigned, or a variable assigned once, in a top-level block before it.</summary>
    private bool Steady(int v, int top) => Assignments(v, top) switch
    {
        (0, _) => _p.Vars[v].ParamIndex >= 0,
        (_, { }) => true,
        _ => false,
    };

    /// <summary>Runs a recomputed fill again (its counter from the start, nothing saved): the buffer as this iteration filled it.</summary>
    private void Recompute(SourceWriter w, LoopStmt fill)
    {
        CountedLoop counted = _plan.Counted[fill];
        IrArray array = fill.Body.OfType<BlockStmt>().First(b => b.Store is not null).Store!.Value.Array;
        w.Line("// " + ArrayName(array.Id) + " as this iteration filled it: computed again rather than saved on the tape.");
        w.Line(VarName(counted.Counter.Id) + " = " + NewBody().Inline(w, counted.Init) + ";");
        bool primalOnly = _primalOnly;
        _primalOnly = true;
        Forward(w, new List<Stmt> { fill }, inLoop: true);
        _primalOnly = primalOnly;
    }
}
