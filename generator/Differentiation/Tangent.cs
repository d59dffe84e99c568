using System.Collections.Generic;
using System.Linq;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>
/// The tangent-linear program of a structured program (Tapenade's "d" mode): every variable and array that depends on
/// the differentiated parameters gets a tangent twin (<c>x_dot</c>), every block also assigns the tangents of what it
/// assigns, and the result is the directional derivative ∇f·v. Loops and branches are the primal's, unchanged.
/// Reverse mode applied to it gives second order exactly: the adjoint of a parameter is (H·v)ᵢ and the adjoint of a
/// parameter's tangent is ∂f/∂pᵢ (since ∇f·v is linear in v), both from one forward and one reverse sweep.
/// </summary>
internal sealed class TangentProgram
{
    private readonly Graph _g;
    private readonly Dictionary<int, IrVar> _varTangent = new();
    private readonly Dictionary<int, IrArray> _arrayTangent = new();
    private readonly Dictionary<int, int> _paramTangent;

    /// <param name="g">The graph the program's nodes live in; tangent nodes are added to it.</param>
    /// <param name="p">The program.</param>
    /// <param name="wrtScalarParams">Differentiated scalar parameters and the (virtual) parameter index of each one's tangent.</param>
    /// <param name="wrtArrays">Differentiated array parameters and the (virtual) parameter index of each one's tangent array.</param>
    public TangentProgram(Graph g, IrProgram p, IReadOnlyDictionary<int, int> wrtScalarParams, IReadOnlyDictionary<int, int> wrtArrays)
    {
        _g = g;
        _paramTangent = wrtScalarParams.ToDictionary(kv => kv.Key, kv => kv.Value);
        (HashSet<int> vars, HashSet<int> arrays) = AdjointPlan.Varied(g, p, wrtScalarParams.Keys, wrtArrays.Keys);

        Program = new IrProgram();
        foreach (IrVar v in p.Vars)
        {
            Program.Vars.Add(v);
        }

        foreach (IrArray a in p.Arrays)
        {
            Program.Arrays.Add(a);
        }

        foreach (IrVar v in p.Vars.Where(v => v.Type == VarType.Double && vars.Contains(v.Id)))
        {
            _varTangent[v.Id] = Program.AddVar(v.Name + "_dot", VarType.Double);
        }

        foreach (IrArray a in p.Arrays.Where(a => a.ElementType == VarType.Double && arrays.Contains(a.Id)))
        {
            int paramIndex = a.Kind == ArrayKind.Parameter && wrtArrays.TryGetValue(a.Id, out int virtualIndex) ? virtualIndex : -1;
            // A local buffer's tangent is ours, not the user's allocation: a buffer the tape lends (Stack kind).
            _arrayTangent[a.Id] = Program.AddArray(a.Name + "_dot", VarType.Double, a.Kind == ArrayKind.Parameter ? a.Kind : ArrayKind.Stack, paramIndex);
        }

        Program.Body.AddRange(Transform(p.Body));
        Value = p.Result;
        Program.Result = Tangents(new[] { p.Result })[0];
    }

    /// <summary>The tangent-linear program; its result is ∇f·v.</summary>
    public IrProgram Program { get; }

    /// <summary>f itself, a node over the same final state.</summary>
    public Node Value { get; }

    /// <summary>The tangent twin of an array parameter that is differentiated.</summary>
    public IrArray ArrayTangent(IrArray a) => _arrayTangent[a.Id];

    private List<Stmt> Transform(List<Stmt> stmts)
    {
        var result = new List<Stmt>();
        foreach (Stmt s in stmts)
        {
            switch (s)
            {
                case BlockStmt b:
                    TransformBlock(b, result);
                    break;
                case LoopStmt l:
                {
                    var loop = new LoopStmt(l.Condition);
                    loop.Body.AddRange(Transform(l.Body));
                    result.Add(loop);
                    break;
                }

                case IfStmt i:
                {
                    var branch = new IfStmt(i.Condition);
                    branch.Then.AddRange(Transform(i.Then));
                    branch.Else.AddRange(Transform(i.Else));
                    result.Add(branch);
                    break;
                }
            }
        }

        return result;
    }

    private void TransformBlock(BlockStmt b, List<Stmt> result)
    {
        // The block's parallel semantics carry over: tangent values read the state at block entry like the primal ones.
        var block = new BlockStmt { Alloc = b.Alloc, Clear = b.Clear, Store = b.Store };
        var outputs = b.Assigns.Select(a => a.Value).ToList();
        if (b.Store is { } st && _arrayTangent.ContainsKey(st.Array.Id))
        {
            outputs.Add(st.Value);
        }

        Node[] tangents = Tangents(outputs);
        for (int k = 0; k < b.Assigns.Count; k++)
        {
            block.Assigns.Add(b.Assigns[k]);
        }

        for (int k = 0; k < b.Assigns.Count; k++)
        {
            if (_varTangent.TryGetValue(b.Assigns[k].Var.Id, out IrVar? t))
            {
                block.Assigns.Add((t, tangents[k]));
            }
        }

        var after = new List<Stmt>();
        if (b.Store is { } store && _arrayTangent.TryGetValue(store.Array.Id, out IrArray? storeTangent))
        {
            Node value = tangents[b.Assigns.Count];
            if (b.Assigns.Count == 0)
            {
                // Nothing else changes in the block: the tangent element is stored first, from the same entry state.
                result.Add(new BlockStmt { Store = (storeTangent, store.Index, value) });
            }
            else
            {
                // The block also reassigns variables the index or value may read: both are carried over in temporaries.
                IrVar tv = Program.AddVar(store.Array.Name + "_dot_value", VarType.Double);
                block.Assigns.Add((tv, value));
                Node index = store.Index;
                if (index.Op != Op.IConst)
                {
                    IrVar ti = Program.AddVar(store.Array.Name + "_index", VarType.Int);
                    block.Assigns.Add((ti, index));
                    index = _g.Var(ti.Id, VarType.Int, ti.Name);
                }

                after.Add(new BlockStmt { Store = (storeTangent, index, _g.Var(tv.Id, VarType.Double, tv.Name)) });
            }
        }

        if (b.Alloc is { } alloc && _arrayTangent.TryGetValue(alloc.Array.Id, out IrArray? allocTangent))
        {
            after.Add(new BlockStmt { Alloc = (allocTangent, _g.Length(alloc.Array.Id)) });
        }

        if (b.Clear is { } clear && _arrayTangent.TryGetValue(clear.Id, out IrArray? clearTangent))
        {
            after.Add(new BlockStmt { Clear = clearTangent });
        }

        result.Add(block);
        result.AddRange(after);
    }

    /// <summary>Directional derivatives of <paramref name="outputs"/> given the tangents of the state at block entry.</summary>
    private Node[] Tangents(IReadOnlyList<Node> outputs)
    {
        var leaves = new List<Node>();
        var directions = new List<Node>();
        Node.Visit(outputs, n =>
        {
            switch (n.Op)
            {
                case Op.Param when _paramTangent.TryGetValue(n.Index, out int tangent):
                    leaves.Add(n);
                    directions.Add(_g.Param(tangent));
                    return null;
                case Op.Var when n.IsReal && _varTangent.TryGetValue(n.Index, out IrVar? v):
                    leaves.Add(n);
                    directions.Add(_g.Var(v.Id, VarType.Double, v.Name));
                    return null;
                case Op.Load when n.IsReal && _arrayTangent.TryGetValue(n.Index, out IrArray? a):
                    leaves.Add(n);
                    directions.Add(_g.Load(a.Id, VarType.Double, n.A));
                    return null;
                default:
                    return n.Args;
            }
        });

        return Forward.Tangents(_g, outputs, leaves, directions, zeroSafe: true);
    }
}
