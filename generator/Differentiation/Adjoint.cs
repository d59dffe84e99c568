using System;
using System.Collections.Generic;
using System.Linq;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>
/// Plans reverse mode over a structured program (Tapenade's and Clad's model): which variables and arrays carry
/// adjoints (activity), each block's local reverse sweep, and which overwritten values the reverse sweep needs
/// back (to-be-recorded analysis: a value is saved only when a reverse block that runs before its next
/// definition reads it; an int counter stepped by a constant is restored by stepping back, not saved).
/// </summary>
internal sealed class AdjointPlan
{
    private readonly Graph _g;
    private readonly IrProgram _p;
    private readonly HashSet<int> _wrtParams;

    public AdjointPlan(Graph g, IrProgram p, IEnumerable<int> wrtScalarParams, IEnumerable<int> wrtArrays)
        : this(g, p, wrtScalarParams, wrtArrays, activityOnly: false)
    {
    }

    private AdjointPlan(Graph g, IrProgram p, IEnumerable<int> wrtScalarParams, IEnumerable<int> wrtArrays, bool activityOnly)
    {
        _g = g;
        _p = p;
        _wrtParams = new HashSet<int>(wrtScalarParams);
        foreach (int a in wrtArrays)
        {
            ActiveArrays.Add(a);
        }

        ComputeActivity();
        Result = null!;
        if (activityOnly)
        {
            return;
        }

        foreach (BlockStmt b in IrProgram.Walk(p.Body).OfType<BlockStmt>())
        {
            Blocks[b] = PlanBlock(b);
        }

        Result = PlanResult();
        FindCountedLoops(p.Body);
        ToBeRecorded();
    }

    /// <summary>
    /// Activity alone (no reverse plans): the variables and arrays whose values depend on the differentiated parameters.
    /// </summary>
    public static (HashSet<int> Vars, HashSet<int> Arrays) Varied(Graph g, IrProgram p, IEnumerable<int> wrtScalarParams, IEnumerable<int> wrtArrays)
    {
        var plan = new AdjointPlan(g, p, wrtScalarParams, wrtArrays, activityOnly: true);
        return (plan.ActiveVars, plan.ActiveArrays);
    }

    public HashSet<int> ActiveVars { get; } = new();

    public HashSet<int> ActiveArrays { get; } = new();

    public Dictionary<BlockStmt, BlockPlan> Blocks { get; } = new();

    public BlockPlan Result { get; }

    /// <summary>Variables a block overwrites whose old value the reverse sweep needs back.</summary>
    public Dictionary<BlockStmt, HashSet<int>> SavedVars { get; } = new();

    /// <summary>Blocks whose store (or clear) must save the old element(s).</summary>
    public HashSet<BlockStmt> SavedStores { get; } = new();

    /// <summary>
    /// Counted loops (<c>for (j = e; j &lt; n; j++)</c>): the reverse sweep sets the counter to its exit value
    /// e + trips·step itself instead of saving it, and when the bound does not change in the loop, computes the trip
    /// count too instead of recording it.
    /// </summary>
    public Dictionary<LoopStmt, CountedLoop> Counted { get; } = new();

    /// <summary>Branches whose condition is recomputed in the reverse sweep (else it is saved).</summary>
    public HashSet<IfStmt> RecomputedConditions { get; } = new();

    /// <summary>The node of a variable's adjoint, d(result)/d(v) at the current point of the reverse sweep.</summary>
    public Node AdjointVar(IrVar v) => _g.Var(AdjointBase + v.Id, VarType.Double, "d" + v.Name);

    /// <summary>Adjoint variables are numbered after the program's own.</summary>
    public int AdjointBase => 1_000_000;

    public int AdjointArrayBase => 1_000_000;

    public bool IsActiveLeaf(Node n) => n.Op switch
    {
        Op.Param => _wrtParams.Contains(n.Index),
        Op.Var => n.Index < AdjointBase && ActiveVars.Contains(n.Index) && n.IsReal,
        Op.Load => n.IsReal && n.Index < AdjointArrayBase && ActiveArrays.Contains(n.Index),
        _ => false,
    };

    private bool DependsOnActive(Node n, Dictionary<Node, bool> memo)
    {
        if (memo.TryGetValue(n, out bool known))
        {
            return known;
        }

        bool result = IsActiveLeaf(n) || (n.Op != Op.Load && n.Args.Any(a => a.IsReal && DependsOnActive(a, memo)));
        memo[n] = result;
        return result;
    }

    private void ComputeActivity()
    {
        ComputeVaried();

        // Useful (Tapenade's term): what the result depends on through differentiable positions — not through
        // conditions or indices. Only a variable that is both varied and useful carries a nonzero adjoint.
        var usefulVars = new HashSet<int>();
        var usefulArrays = new HashSet<int>();
        var seen = new HashSet<Node>();
        void Collect(Node n)
        {
            if (!seen.Add(n) || !n.IsReal)
            {
                return;
            }

            switch (n.Op)
            {
                case Op.Var:
                    usefulVars.Add(n.Index);
                    return;
                case Op.Load:
                    usefulArrays.Add(n.Index);
                    return;
            }

            for (int i = 0; i < n.Args.Length; i++)
            {
                // Through a piecewise-constant function (floor, sign, …) no derivative flows.
                if (n.Op != Op.Call || Rules.Partial(_g, n, i) is not { } partial || !partial.IsConstValue(0))
                {
                    Collect(n.Args[i]);
                }
            }
        }

        Collect(_p.Result);
        int before;
        do
        {
            before = usefulVars.Count + usefulArrays.Count;
            foreach (BlockStmt b in IrProgram.Walk(_p.Body).OfType<BlockStmt>())
            {
                foreach ((IrVar v, Node value) in b.Assigns)
                {
                    if (usefulVars.Contains(v.Id))
                    {
                        Collect(value);
                    }
                }

                if (b.Store is { } st && usefulArrays.Contains(st.Array.Id))
                {
                    Collect(st.Value);
                }
            }
        }
        while (usefulVars.Count + usefulArrays.Count != before);

        ActiveVars.IntersectWith(usefulVars);
        ActiveArrays.RemoveWhere(a => _p.Arrays[a].Kind != ArrayKind.Parameter && !usefulArrays.Contains(a));
    }

    private void ComputeVaried()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            var memo = new Dictionary<Node, bool>();
            foreach (BlockStmt b in IrProgram.Walk(_p.Body).OfType<BlockStmt>())
            {
                foreach ((IrVar v, Node value) in b.Assigns)
                {
                    if (v.Type == VarType.Double && !ActiveVars.Contains(v.Id) && DependsOnActive(value, memo))
                    {
                        ActiveVars.Add(v.Id);
                        changed = true;
                        memo.Clear();
                    }
                }

                if (b.Store is { } s && s.Array.ElementType == VarType.Double && !ActiveArrays.Contains(s.Array.Id) && DependsOnActive(s.Value, memo))
                {
                    ActiveArrays.Add(s.Array.Id);
                    changed = true;
                    memo.Clear();
                }
            }
        }
    }

    /// <summary>The local reverse sweep of one block: seeds are the adjoints of what it assigns and stores.</summary>
    private BlockPlan PlanBlock(BlockStmt b)
    {
        var seeds = new List<(Node Output, Node Seed)>();
        foreach ((IrVar v, Node value) in b.Assigns)
        {
            if (ActiveVars.Contains(v.Id))
            {
                seeds.Add((value, AdjointVar(v)));
            }
        }

        Node? storeSeed = null;
        if (b.Store is { } s && ActiveArrays.Contains(s.Array.Id))
        {
            storeSeed = _g.Load(AdjointArrayBase + s.Array.Id, VarType.Double, s.Index);
            seeds.Add((s.Value, storeSeed));
        }

        return Plan(seeds, storeSeed);
    }

    private BlockPlan PlanResult() => Plan(new List<(Node, Node)> { (_p.Result, _g.One) }, null);

    private BlockPlan Plan(List<(Node Output, Node Seed)> seeds, Node? storeSeed)
    {
        var leaves = new List<Node>();
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(seeds.Select(s => s.Output));
        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (!seen.Add(n))
            {
                continue;
            }

            if (IsActiveLeaf(n))
            {
                leaves.Add(n);
            }

            foreach (Node a in n.Args)
            {
                stack.Push(a);
            }
        }

        leaves.Sort((x, y) => x.Id.CompareTo(y.Id));
        int start = _g.Count;
        ReverseSweep sweep = Reverse.Differentiate(_g, seeds, leaves);
        var plan = new BlockPlan(sweep, leaves, storeSeed, start);
        // Inside a loop they go on the tape, outside it into locals: the emitter decides. A value that only an arm of a
        // ?: computes from an element read (or an integer division) is computed again by the reverse block instead: the
        // forward sweep would compute it when the arm is not taken, where the index may be out of range.
        HashSet<Node> eager = Node.Eager(seeds.Select(s => s.Output));
        plan.SavedValues.AddRange(ExpensiveValues(sweep.Gradient).Where(n => !ReadsBeyond(n, eager)));

        // What the reverse block reads from the primal state: variables and arrays behind its adjoint nodes (a value
        // the tape gives back reads nothing).
        foreach (Node adj in sweep.Gradient)
        {
            CollectReads(adj, plan, new HashSet<Node>(plan.SavedValues));
        }

        foreach (Node leaf in leaves)
        {
            if (leaf.Op == Op.Load)
            {
                CollectReads(leaf.A, plan, new HashSet<Node>());
            }
        }

        if (storeSeed is not null)
        {
            CollectReads(storeSeed.A, plan, new HashSet<Node>());
        }

        return plan;
    }

    /// <summary>
    /// The transcendental values (exp, tanh, σ′, …) of the forward state that a reverse block needs: the forward sweep
    /// keeps them (on the tape inside a loop: a push and a pop cost less than an exponential), outermost first.
    /// </summary>
    private List<Node> ExpensiveValues(IEnumerable<Node> roots)
    {
        var primal = new Dictionary<Node, bool>();
        bool IsPrimal(Node n)
        {
            if (primal.TryGetValue(n, out bool known))
            {
                return known;
            }

            bool result = !(n.Op == Op.Var && n.Index >= AdjointBase) && !(n.Op == Op.Load && n.Index >= AdjointArrayBase) && n.Args.All(IsPrimal);
            primal[n] = result;
            return result;
        }

        var found = new List<Node>();
        Node.Visit(roots, n =>
        {
            // Piecewise-linear and step functions (a kink or no derivative) are cheaper to compute again than to keep.
            if (n.Op == Op.Call && n.IsReal && Functions.FunctionTable.Of(n) is { Kink: null, NonDifferentiable: false } && IsPrimal(n))
            {
                found.Add(n);
                return null;
            }

            return n.Args;
        });

        found.Sort((a, b) => a.Id.CompareTo(b.Id));
        return found;
    }

    /// <summary>Whether <paramref name="n"/> reads an element (or divides integers) that the block does not compute whatever its conditions.</summary>
    private static bool ReadsBeyond(Node n, HashSet<Node> eager)
    {
        bool found = false;
        Node.Visit(new[] { n }, m =>
        {
            found |= m.MayThrow && !eager.Contains(m);
            return found ? null : m.Args;
        });
        return found;
    }

    private void CollectReads(Node n, BlockPlan plan, HashSet<Node> seen)
    {
        if (!seen.Add(n))
        {
            return;
        }

        if (n.Op == Op.Var && n.Index < AdjointBase)
        {
            plan.ReadsVars.Add(n.Index);
        }

        if (n.Op == Op.Load && n.Index < AdjointArrayBase)
        {
            plan.ReadsArrays.Add(n.Index);
        }

        foreach (Node a in n.Args)
        {
            CollectReads(a, plan, seen);
        }
    }

    // ------------------------------------------------------------------ counted loops

    private void FindCountedLoops(List<Stmt> stmts)
    {
        for (int k = 0; k < stmts.Count; k++)
        {
            switch (stmts[k])
            {
                case IfStmt i:
                    FindCountedLoops(i.Then);
                    FindCountedLoops(i.Else);
                    break;
                case LoopStmt l:
                    FindCountedLoops(l.Body);
                    if (k > 0 && stmts[k - 1] is BlockStmt init && Counting(l, init) is CountedLoop c)
                    {
                        Counted[l] = c;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The loop's counter when it is set just before the loop (j := e, e unchanged until the loop ends), stepped by a
    /// constant once per iteration at the top level of the body and assigned nowhere else in it; null otherwise.
    /// </summary>
    private CountedLoop? Counting(LoopStmt l, BlockStmt init)
    {
        Node cond = l.Condition;
        if (cond.Op is not (Op.Less or Op.LessEq or Op.Greater or Op.GreaterEq) || cond.A.Op != Op.Var || !cond.A.IsInt)
        {
            return null;
        }

        int j = cond.A.Index;
        HashSet<int> assignedInLoop = IrProgram.AssignedVars(l.Body);
        var steps = l.Body.OfType<BlockStmt>().SelectMany(b => b.Assigns).Where(a => a.Var.Id == j).ToList();
        int assignments = IrProgram.Walk(l.Body).OfType<BlockStmt>().SelectMany(b => b.Assigns).Count(a => a.Var.Id == j);
        if (steps.Count != 1 || assignments != 1 || Step(steps[0].Var, steps[0].Value) is not long step || step == 0)
        {
            return null;
        }

        int at = init.Assigns.FindIndex(a => a.Var.Id == j);
        if (at < 0)
        {
            return null;
        }

        Node e = init.Assigns[at].Value;
        var assignedInInit = new HashSet<int>(init.Assigns.Select(a => a.Var.Id));
        if (!Stable(e, assignedInInit) || !Stable(e, assignedInLoop))
        {
            return null;
        }

        Node? trips = null;
        Node bound = cond.B;
        bool up = cond.Op is Op.Less or Op.LessEq;
        if (Math.Abs(step) == 1 && up == (step > 0) && Stable(bound, assignedInLoop) && !ReadsLocalArrays(bound))
        {
            // j < n from e: max(0, n − e); j ≤ n: max(0, n − e + 1); downwards the same with the roles swapped.
            Node hi = up ? bound : e;
            Node lo = up ? e : bound;
            Node span = cond.Op is Op.LessEq or Op.GreaterEq ? _g.IntOp(Op.IAdd, _g.IntOp(Op.ISub, hi, lo), _g.IConst(1)) : _g.IntOp(Op.ISub, hi, lo);
            trips = _g.Select(_g.Compare(Op.Greater, span, _g.IConst(0)), span, _g.IConst(0));
        }

        return new CountedLoop(_p.Vars[j], e, step, trips);
    }

    private static bool Stable(Node n, HashSet<int> assigned) => !Reads(n).Any(r => r >= 0 && assigned.Contains(r));

    private bool ReadsLocalArrays(Node n) => Reads(n).Any(r => r < 0 && _p.Arrays[-1 - r].Kind != ArrayKind.Parameter);

    // ------------------------------------------------------------------ to-be-recorded analysis

    /// <summary>An int variable stepped by a constant (i = i ± c): the reverse sweep steps it back instead of saving it.</summary>
    public static long? Step(IrVar v, Node value)
    {
        if (v.Type != VarType.Int || value.Op is not (Op.IAdd or Op.ISub) || value.A.Op != Op.Var || value.A.Index != v.Id || value.B.Op != Op.IConst)
        {
            return null;
        }

        return value.Op == Op.IAdd ? (long)value.B.Value : -(long)value.B.Value;
    }

    private void ToBeRecorded()
    {
        // Forward dataflow over the program: "read" holds the variables (ids) and arrays (−1 − id) whose current
        // value some reverse block that already ran (in forward order) reads. Overwriting such a value needs a save.
        foreach (IfStmt i in IrProgram.Walk(_p.Body).OfType<IfStmt>())
        {
            HashSet<int> assigned = IrProgram.AssignedVars(i.Then.Concat(i.Else));
            var stored = new HashSet<int>(IrProgram.Walk(i.Then.Concat(i.Else)).OfType<BlockStmt>().Where(b => b.Store is not null || b.Clear is not null).Select(b => b.Store?.Array.Id ?? b.Clear!.Id));
            if (!Reads(i.Condition).Any(r => r >= 0 ? assigned.Contains(r) : stored.Contains(-1 - r)))
            {
                RecomputedConditions.Add(i);
            }
        }

        Flow(_p.Body, new HashSet<int>());
    }

    /// <summary>The variables (ids) and arrays (−1 − id) whose contents <paramref name="n"/> reads: one set for the flow's "read".</summary>
    private static IEnumerable<int> Reads(Node n)
    {
        (HashSet<int> vars, HashSet<int> arrays) = IrProgram.StateRead(new[] { n });
        return vars.Concat(arrays.Select(a => -1 - a));
    }

    private HashSet<int> Flow(List<Stmt> stmts, HashSet<int> read)
    {
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case BlockStmt b:
                {
                    BlockPlan plan = Blocks[b];
                    read.UnionWith(plan.ReadsVars);
                    read.UnionWith(plan.ReadsArrays.Select(a => -1 - a));
                    if (!SavedVars.TryGetValue(b, out HashSet<int>? saved))
                    {
                        saved = new HashSet<int>();
                        SavedVars[b] = saved;
                    }

                    if (b.Store is { } store && read.Contains(-1 - store.Array.Id))
                    {
                        // The old element is saved (below), and writing it back reads the index as it was before the
                        // block: an int buffer's store (a permutation) has no adjoint that reads it otherwise.
                        read.UnionWith(Reads(store.Index));
                    }

                    foreach ((IrVar v, Node value) in b.Assigns)
                    {
                        if (read.Contains(v.Id))
                        {
                            saved.Add(v.Id);
                        }

                        read.Remove(v.Id);
                        if (Step(v, value) is not null)
                        {
                            // Stepping back in the reverse sweep reads the value this block made.
                            read.Add(v.Id);
                        }
                    }

                    int? written = b.Store?.Array.Id ?? b.Clear?.Id;
                    if (written is int a && read.Contains(-1 - a))
                    {
                        SavedStores.Add(b);
                    }

                    break;
                }

                case IfStmt i:
                {
                    if (RecomputedConditions.Contains(i))
                    {
                        read.UnionWith(Reads(i.Condition));
                    }

                    HashSet<int> t = Flow(i.Then, new HashSet<int>(read));
                    HashSet<int> e = Flow(i.Else, new HashSet<int>(read));
                    read = new HashSet<int>(t);
                    read.UnionWith(e);
                    break;
                }

                case LoopStmt l:
                {
                    var entry = new HashSet<int>(read);
                    while (true)
                    {
                        HashSet<int> exit = Flow(l.Body, new HashSet<int>(entry));
                        var next = new HashSet<int>(read);
                        next.UnionWith(exit);
                        if (next.SetEquals(entry))
                        {
                            break;
                        }

                        entry = next;
                    }

                    read = entry;
                    if (Counted.TryGetValue(l, out CountedLoop? counted))
                    {
                        // The reverse sweep sets the counter (and the trip count) from what it reads here.
                        read.Remove(counted.Counter.Id);
                        read.UnionWith(Reads(counted.Init));
                        if (counted.Trips is not null)
                        {
                            read.UnionWith(Reads(counted.Trips));
                        }
                    }

                    break;
                }
            }
        }

        return read;
    }
}

/// <summary>One block's reverse sweep: adjoints of its active leaves, and what it reads from the primal state.</summary>
internal sealed class BlockPlan
{
    public BlockPlan(ReverseSweep sweep, List<Node> leaves, Node? storeSeed, int reverseStart)
    {
        Sweep = sweep;
        Leaves = leaves;
        StoreSeed = storeSeed;
        ReverseStart = reverseStart;
    }

    public ReverseSweep Sweep { get; }

    /// <summary>The active leaves (parameters, variables, array elements) in id order; Sweep.Gradient lines up with it.</summary>
    public List<Node> Leaves { get; }

    public Node? StoreSeed { get; }

    public int ReverseStart { get; }

    public HashSet<int> ReadsVars { get; } = new();

    /// <summary>Forward values the reverse block reuses (from the tape inside a loop, from locals outside) instead of computing them again.</summary>
    public List<Node> SavedValues { get; } = new();

    public HashSet<int> ReadsArrays { get; } = new();
}

/// <summary>A loop whose counter is <see cref="Init"/> + k·<see cref="Step"/> after k iterations.</summary>
/// <param name="Counter">The int variable the condition tests.</param>
/// <param name="Init">Its value when the loop starts (a node over state that does not change until the loop ends).</param>
/// <param name="Step">What each iteration adds.</param>
/// <param name="Trips">The trip count as a node over the state at loop exit, or null when only the run knows it.</param>
internal sealed record CountedLoop(IrVar Counter, Node Init, long Step, Node? Trips);
