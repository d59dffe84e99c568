using System.Collections.Generic;
using System.Linq;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Ir;

/// <summary>
/// The structured IR of a method with run-time loops, branches on run-time values or arrays ("program mode").
/// Straight-line code stays what it always was — a hash-consed expression DAG, simplified and shared as it is
/// built — but it is cut into <see cref="BlockStmt"/>s whose DAG leaves are the program's state at the start of the
/// block (<see cref="Op.Var"/>, <see cref="Op.Load"/>). Control flow is kept as regions (<see cref="LoopStmt"/>,
/// <see cref="IfStmt"/>), so reverse mode can mirror it: a loop runs backwards, a branch takes the side that ran.
/// A method without such control flow is a program with no statements and a result DAG over its parameters.
/// </summary>
internal sealed class IrProgram
{
    public List<IrVar> Vars { get; } = new();

    public List<IrArray> Arrays { get; } = new();

    public List<Stmt> Body { get; } = new();

    /// <summary>The method's value, a DAG over the state after <see cref="Body"/>.</summary>
    public Node Result { get; set; } = null!;

    public IrVar AddVar(string name, VarType type, int paramIndex = -1)
    {
        var v = new IrVar(Vars.Count, name, type, paramIndex);
        Vars.Add(v);
        return v;
    }

    public IrArray AddArray(string name, VarType elementType, ArrayKind kind, int paramIndex = -1, ArrayShape shape = ArrayShape.Vector, string? elementTypeName = null, string? source = null)
    {
        var a = new IrArray(Arrays.Count, name, elementType, kind, paramIndex) { Shape = shape, ElementTypeName = elementTypeName, Source = source };
        Arrays.Add(a);
        return a;
    }

    /// <summary>
    /// Removes assignments to variables that nothing reads (a jump flag no statement tests, a value every path
    /// overwrites unread), then the blocks and branches left empty. Loops stay: their trip count is observable.
    /// </summary>
    public void RemoveDeadAssignments()
    {
        // A branch left empty no longer reads its condition's variables: repeat until nothing changes.
        while (RemoveDeadAssignmentsOnce())
        {
        }
    }

    private bool RemoveDeadAssignmentsOnce()
    {
        var values = new Dictionary<int, List<Node>>();
        var roots = new List<Node> { Result };
        foreach (Stmt s in Walk(Body))
        {
            switch (s)
            {
                case BlockStmt b:
                    foreach ((IrVar v, Node value) in b.Assigns)
                    {
                        if (!values.TryGetValue(v.Id, out List<Node>? list))
                        {
                            values[v.Id] = list = new List<Node>();
                        }

                        list.Add(value);
                    }

                    if (b.Store is { } st)
                    {
                        roots.Add(st.Index);
                        roots.Add(st.Value);
                    }

                    if (b.Alloc is { } alloc)
                    {
                        roots.Add(alloc.Length);
                    }

                    break;
                default:
                    roots.AddRange(s.Nodes);
                    break;
            }
        }

        // A variable is live when a live node reads it; then the values assigned to it are live too.
        var live = new HashSet<int>();
        Node.Visit(roots, n => n.Op == Op.Var && live.Add(n.Index) && values.TryGetValue(n.Index, out List<Node>? assigned) ? assigned : n.Args);

        return Prune(Body, live);
    }

    private static bool Prune(List<Stmt> stmts, HashSet<int> live)
    {
        bool changed = false;
        for (int k = stmts.Count - 1; k >= 0; k--)
        {
            switch (stmts[k])
            {
                case BlockStmt b:
                    changed |= b.Assigns.RemoveAll(a => !live.Contains(a.Var.Id)) > 0;
                    if (b.IsEmpty)
                    {
                        stmts.RemoveAt(k);
                    }

                    break;
                case LoopStmt l:
                    changed |= Prune(l.Body, live);
                    break;
                case IfStmt i:
                    changed |= Prune(i.Then, live);
                    changed |= Prune(i.Else, live);
                    if (i.Then.Count == 0 && i.Else.Count == 0)
                    {
                        stmts.RemoveAt(k);
                        changed = true;
                    }

                    break;
            }
        }

        return changed;
    }

    /// <summary>Every statement, depth first, in source order.</summary>
    public static IEnumerable<Stmt> Walk(IEnumerable<Stmt> stmts)
    {
        foreach (Stmt s in stmts)
        {
            yield return s;
            switch (s)
            {
                case LoopStmt l:
                    foreach (Stmt c in Walk(l.Body))
                    {
                        yield return c;
                    }

                    break;
                case IfStmt i:
                    foreach (Stmt c in Walk(i.Then).Concat(Walk(i.Else)))
                    {
                        yield return c;
                    }

                    break;
            }
        }
    }

    /// <summary>The variables the blocks among and under <paramref name="stmts"/> assign.</summary>
    public static HashSet<int> AssignedVars(IEnumerable<Stmt> stmts) =>
        new(Walk(stmts).OfType<BlockStmt>().SelectMany(b => b.Assigns.Select(a => a.Var.Id)));

    /// <summary>The arrays the blocks among and under <paramref name="stmts"/> write (see <see cref="BlockStmt.WrittenArrays"/>).</summary>
    public static HashSet<int> WrittenArrays(IEnumerable<Stmt> stmts) =>
        new(Walk(stmts).OfType<BlockStmt>().SelectMany(b => b.WrittenArrays));

    /// <summary>The variables and arrays whose contents <paramref name="roots"/> read (<c>Var</c> and <c>Load</c> nodes; a length is not contents).</summary>
    public static (HashSet<int> Vars, HashSet<int> Arrays) StateRead(IEnumerable<Node> roots)
    {
        var vars = new HashSet<int>();
        var arrays = new HashSet<int>();
        Node.Visit(roots, n =>
        {
            if (n.Op == Op.Var)
            {
                vars.Add(n.Index);
            }
            else if (n.Op == Op.Load)
            {
                arrays.Add(n.Index);
            }

            return n.Args;
        });
        return (vars, arrays);
    }

    // ------------------------------------------------------------------ equatable form for the pipeline

    public ProgramModel Export(Graph g)
    {
        var roots = new List<Node> { Result };
        foreach (Stmt s in Walk(Body))
        {
            roots.AddRange(s.Nodes);
        }

        EquatableArray<NodeRecord> nodes = g.Export(roots, out Dictionary<int, int> map);
        int N(Node? n) => n is null ? -1 : map[n.Id];
        var records = new List<StmtRecord>();
        void Write(List<Stmt> list)
        {
            foreach (Stmt s in list)
            {
                switch (s)
                {
                    case BlockStmt b:
                        foreach ((IrVar v, Node value) in b.Assigns)
                        {
                            records.Add(new StmtRecord(StmtKind.Assign, v.Id, N(value), -1));
                        }

                        if (b.Alloc is not null)
                        {
                            records.Add(new StmtRecord(StmtKind.Alloc, b.Alloc.Value.Array.Id, N(b.Alloc.Value.Length), -1));
                        }

                        if (b.Clear is not null)
                        {
                            records.Add(new StmtRecord(StmtKind.Clear, b.Clear.Id, -1, -1));
                        }

                        if (b.Store is not null)
                        {
                            records.Add(new StmtRecord(StmtKind.Store, b.Store.Value.Array.Id, N(b.Store.Value.Index), N(b.Store.Value.Value)));
                        }

                        records.Add(new StmtRecord(StmtKind.BlockEnd, -1, -1, -1));
                        break;
                    case LoopStmt l:
                        records.Add(new StmtRecord(StmtKind.LoopBegin, -1, N(l.Condition), -1));
                        Write(l.Body);
                        records.Add(new StmtRecord(StmtKind.LoopEnd, -1, -1, -1));
                        break;
                    case IfStmt i:
                        records.Add(new StmtRecord(StmtKind.IfBegin, -1, N(i.Condition), -1));
                        Write(i.Then);
                        records.Add(new StmtRecord(StmtKind.Else, -1, -1, -1));
                        Write(i.Else);
                        records.Add(new StmtRecord(StmtKind.IfEnd, -1, -1, -1));
                        break;
                }
            }
        }

        Write(Body);
        return new ProgramModel(
            nodes,
            Vars.Select(v => new VarRecord(v.Name, v.Type, v.ParamIndex)).ToEquatableArray(),
            Arrays.Select(a => new ArrayRecord(a.Name, a.ElementType, a.Kind, a.ParamIndex) { Shape = a.Shape, ElementTypeName = a.ElementTypeName, Source = a.Source }).ToEquatableArray(),
            records.ToEquatableArray(),
            N(Result));
    }

    public static IrProgram Import(ProgramModel m, ExternTable externs, out Graph g, RealKind real = RealKind.Double)
    {
        g = Graph.Import(m.Nodes, externs, out Node[] nodes, real);
        var p = new IrProgram();
        foreach (VarRecord v in m.Vars)
        {
            p.AddVar(v.Name, v.Type, v.ParamIndex);
        }

        foreach (ArrayRecord a in m.Arrays)
        {
            p.AddArray(a.Name, a.ElementType, a.Kind, a.ParamIndex, a.Shape, a.ElementTypeName, a.Source);
        }

        var stack = new Stack<List<Stmt>>();
        var ifs = new Stack<IfStmt>();
        stack.Push(p.Body);
        BlockStmt? block = null;
        BlockStmt Block() => block ??= new BlockStmt();
        foreach (StmtRecord r in m.Statements)
        {
            switch (r.Kind)
            {
                case StmtKind.Assign:
                    Block().Assigns.Add((p.Vars[r.Target], nodes[r.A]));
                    break;
                case StmtKind.Alloc:
                    Block().Alloc = (p.Arrays[r.Target], nodes[r.A]);
                    break;
                case StmtKind.Clear:
                    Block().Clear = p.Arrays[r.Target];
                    break;
                case StmtKind.Store:
                    Block().Store = (p.Arrays[r.Target], nodes[r.A], nodes[r.B]);
                    break;
                case StmtKind.BlockEnd:
                    stack.Peek().Add(Block());
                    block = null;
                    break;
                case StmtKind.LoopBegin:
                {
                    var loop = new LoopStmt(nodes[r.A]);
                    stack.Peek().Add(loop);
                    stack.Push(loop.Body);
                    break;
                }

                case StmtKind.LoopEnd:
                    stack.Pop();
                    break;
                case StmtKind.IfBegin:
                {
                    var branch = new IfStmt(nodes[r.A]);
                    stack.Peek().Add(branch);
                    ifs.Push(branch);
                    stack.Push(branch.Then);
                    break;
                }

                case StmtKind.Else:
                    stack.Pop();
                    stack.Push(ifs.Peek().Else);
                    break;
                case StmtKind.IfEnd:
                    stack.Pop();
                    ifs.Pop();
                    break;
            }
        }

        p.Result = nodes[m.Result];
        return p;
    }
}

/// <summary>A mutable variable of the program (a local, a parameter that is assigned, a control flag).</summary>
internal sealed class IrVar
{
    public IrVar(int id, string name, VarType type, int paramIndex)
    {
        Id = id;
        Name = name;
        Type = type;
        ParamIndex = paramIndex;
    }

    public int Id { get; }

    public string Name { get; }

    public VarType Type { get; }

    /// <summary>The method parameter this variable starts as, or −1 for a local.</summary>
    public int ParamIndex { get; }

    public override string ToString() => Name;
}

internal enum ArrayKind : byte
{
    /// <summary>A <c>double[]</c>, <c>int[]</c>, <c>ReadOnlySpan</c> or <c>Span</c> parameter: read only.</summary>
    Parameter,

    /// <summary>A local <c>new T[n]</c>.</summary>
    Heap,

    /// <summary>A local <c>stackalloc T[n]</c>.</summary>
    Stack,
}

/// <summary>An array of the program: a parameter (read only) or a local buffer.</summary>
internal sealed class IrArray
{
    public IrArray(int id, string name, VarType elementType, ArrayKind kind, int paramIndex)
    {
        Id = id;
        Name = name;
        ElementType = elementType;
        Kind = kind;
        ParamIndex = paramIndex;
    }

    public int Id { get; }

    public string Name { get; }

    public VarType ElementType { get; }

    public ArrayKind Kind { get; }

    public int ParamIndex { get; }

    /// <summary>A vector, or a data parameter that is a matrix (<c>double[,]</c>) or a jagged array (<c>double[][]</c>).</summary>
    public ArrayShape Shape { get; init; }

    /// <summary>For <see cref="ArrayShape.StructArray"/>: the struct's type in generated code, fully qualified.</summary>
    public string? ElementTypeName { get; init; }

    /// <summary>
    /// For a data array kept in a static field or property (<c>static readonly double[] Y = { … }</c>, a data table):
    /// the member, fully qualified, read once when the generated code starts. Such an array is a
    /// <see cref="ArrayKind.Parameter"/> of no method parameter (<see cref="ParamIndex"/> −1): read only, never differentiated.
    /// </summary>
    public string? Source { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// The shape of a program array. A matrix or jagged data parameter is read with two indices (an <see cref="Op.Load"/>
/// with two arguments, printed <c>X[i, j]</c> or <c>X[i][j]</c>) and measured with <see cref="Op.Length"/> variants
/// (<c>X.GetLength(0)</c>, <c>X[i].Length</c>); it is never differentiated or written.
/// </summary>
internal enum ArrayShape : byte
{
    Vector,
    Matrix,
    Jagged,

    /// <summary>
    /// A data array or span of structs of doubles (<c>Vec3[] points</c>), read through a flat view of their fields
    /// (<c>points_flat[i * 3 + 1]</c> is <c>points[i].Y</c>); its length is the struct count.
    /// </summary>
    StructArray,

    /// <summary>
    /// A differentiated matrix parameter (<c>[Wrt] double[,] W</c>), read through a flat row-major view of its elements
    /// (<c>W_flat[i * W.GetLength(1) + j]</c>), so that it is a vector to everything else (its gradient slots, its tangent).
    /// </summary>
    FlatMatrix,
}

internal abstract class Stmt
{
    /// <summary>The DAG roots this statement uses.</summary>
    public abstract IEnumerable<Node> Nodes { get; }
}

/// <summary>
/// Straight-line code: every value is a DAG over the state at the start of the block; at its end the variables take
/// their new values (all at once), then an array is allocated, cleared, or one element stored.
/// </summary>
internal sealed class BlockStmt : Stmt
{
    public List<(IrVar Var, Node Value)> Assigns { get; } = new();

    public (IrArray Array, Node Length)? Alloc { get; set; }

    /// <summary>Every element of the array set to 0 (a local array declared again inside a loop).</summary>
    public IrArray? Clear { get; set; }

    public (IrArray Array, Node Index, Node Value)? Store { get; set; }

    public bool IsEmpty => Assigns.Count == 0 && Alloc is null && Clear is null && Store is null;

    /// <summary>The arrays the block writes: an element stored, the whole array cleared or allocated.</summary>
    public IEnumerable<int> WrittenArrays
    {
        get
        {
            if (Store is { } st)
            {
                yield return st.Array.Id;
            }

            if (Clear is { } cleared)
            {
                yield return cleared.Id;
            }

            if (Alloc is { } alloc)
            {
                yield return alloc.Array.Id;
            }
        }
    }

    public override IEnumerable<Node> Nodes
    {
        get
        {
            foreach ((IrVar _, Node value) in Assigns)
            {
                yield return value;
            }

            if (Alloc is not null)
            {
                yield return Alloc.Value.Length;
            }

            if (Store is not null)
            {
                yield return Store.Value.Index;
                yield return Store.Value.Value;
            }
        }
    }
}

/// <summary><c>while (Condition) { Body }</c>: the condition is read from the state at the start of each iteration.</summary>
internal sealed class LoopStmt : Stmt
{
    public LoopStmt(Node condition) => Condition = condition;

    public Node Condition { get; }

    public List<Stmt> Body { get; } = new();

    public override IEnumerable<Node> Nodes { get { yield return Condition; } }
}

/// <summary><c>if (Condition) { Then } else { Else }</c>.</summary>
internal sealed class IfStmt : Stmt
{
    public IfStmt(Node condition) => Condition = condition;

    public Node Condition { get; }

    public List<Stmt> Then { get; } = new();

    public List<Stmt> Else { get; } = new();

    public override IEnumerable<Node> Nodes { get { yield return Condition; } }
}

internal enum StmtKind : byte
{
    Assign,
    Alloc,
    Clear,
    Store,
    BlockEnd,
    LoopBegin,
    LoopEnd,
    IfBegin,
    Else,
    IfEnd,
}

internal sealed record VarRecord(string Name, VarType Type, int ParamIndex);

internal sealed record ArrayRecord(string Name, VarType ElementType, ArrayKind Kind, int ParamIndex)
{
    public ArrayShape Shape { get; init; }

    public string? ElementTypeName { get; init; }

    public string? Source { get; init; }
}

internal sealed record StmtRecord(StmtKind Kind, int Target, int A, int B);

/// <summary>An <see cref="IrProgram"/> as plain equatable data for the incremental pipeline.</summary>
internal sealed record ProgramModel(
    EquatableArray<NodeRecord> Nodes,
    EquatableArray<VarRecord> Vars,
    EquatableArray<ArrayRecord> Arrays,
    EquatableArray<StmtRecord> Statements,
    int Result);
