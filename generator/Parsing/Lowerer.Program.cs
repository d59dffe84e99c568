using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Parsing;

/// <summary>
/// Program mode: lowering to the structured IR (<see cref="IrProgram"/>) for methods with array or span parameters,
/// loops whose trip count is known only at run time, or branches around them. Straight-line code is still symbolic
/// execution into the DAG (an environment of nodes); the environment is written back to program variables
/// ("flushed") where control flow begins or ends, and after each array store.
/// </summary>
internal sealed partial class Lowerer
{
    private IrProgram? _program;
    private List<Stmt> _out = new();
    private readonly Dictionary<ISymbol, IrVar> _vars = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, ArrayView> _irArrays = new(SymbolEqualityComparer.Default);

    // Matrix (double[,]) and jagged (double[][]) data parameters: read with two indices, never as a whole.
    private readonly Dictionary<ISymbol, IrArray> _shaped = new(SymbolEqualityComparer.Default);

    // Data arrays and spans of structs of doubles (Vec3[] points): read through a flat view of their fields.
    private readonly Dictionary<ISymbol, (IrArray Array, INamedTypeSymbol Element)> _structArrays = new(SymbolEqualityComparer.Default);

    // Local matrices (new double[r, c]): row-major buffers in _irArrays, with their dimensions here.
    private readonly Dictionary<ISymbol, (Node Rows, Node Cols)> _matrixDims = new(SymbolEqualityComparer.Default);
    private readonly List<LoopContext> _loops = new();

    /// <summary>The arrays passed to the array and span parameters of the callee about to be inlined.</summary>
    private ArrayView?[]? _pendingArrayArgs;

    /// <summary>The matrices and jagged arrays passed to the callee about to be inlined, by parameter.</summary>
    private ShapedArgument?[]? _pendingShapedArgs;

    /// <summary>
    /// A matrix or jagged array passed to a helper: a data one (read with two indices), or a row-major buffer with its
    /// dimensions (a local matrix, a [Wrt] one).
    /// </summary>
    private sealed record ShapedArgument(IrArray? Shaped, ArrayView? Flat, (Node Rows, Node Cols)? Dims);

    private ShapedArgument? ShapedArgumentOf(ExpressionSyntax e, ArrayShape shape, Frame f)
    {
        if (ShapedOf(e, f) is IrArray whole)
        {
            return whole.Shape == shape ? new ShapedArgument(whole, null, null) : null;
        }

        return shape == ArrayShape.Matrix && f.Model.GetSymbolInfo(e, _ct).Symbol is ISymbol s && _matrixDims.TryGetValue(s, out var dims) && _irArrays.TryGetValue(s, out ArrayView? flat)
            ? new ShapedArgument(null, flat, dims)
            : null;
    }

    /// <summary>Where the outermost loop being lowered will be inserted: buffers declared inside loops are allocated there.</summary>
    private (List<Stmt> List, int Index)? _hoistPoint;

    public IrProgram? Program => _program;

    private sealed class LoopContext
    {
        public IrVar? Break { get; set; }

        public IrVar? Continue { get; set; }
    }

    /// <summary>Per function activation in program mode: the flags of an early return.</summary>
    private sealed class ReturnContext
    {
        public IrVar? Returned { get; set; }

        public IrVar? Value { get; set; }

        /// <summary>How many regions (if/loop) of this activation enclose the statement being lowered.</summary>
        public int Depth { get; set; }

        /// <summary>Where the activation's statements begin: its flags are initialised there.</summary>
        public (List<Stmt> List, int Index) Start { get; set; }

        /// <summary>What the activation returns: a double, or an int (a helper computing an index).</summary>
        public VarType ResultType { get; init; } = VarType.Double;
    }

    private readonly Stack<ReturnContext> _returns = new();

    /// <summary>Lowers the entry method in program mode; array and span parameters become read-only program arrays.</summary>
    public IrProgram? LowerProgram(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model)
    {
        _entry = method;
        _program = new IrProgram();
        _out = _program.Body;
        _models[syntax.SyntaxTree] = model;
        for (int k = 0; k < Fields.Length; k++)
        {
            if (ElementTypeOf(Fields[k].Type, Real) is VarType fieldElement)
            {
                _irArrays[Fields[k]] = Whole(_program.AddArray(Fields[k].Name, fieldElement, ArrayKind.Parameter, k));
            }
            else if (VarTypeOf(Fields[k].Type, Real) is VarType t && t != VarType.Double)
            {
                // An int, long or bool field the model reads (a size, a flag): a constant variable, as an int parameter is.
                IrVar v = _program.AddVar(Fields[k].Name, t, k);
                _constantParams.Add(v.Id);
                _fieldNodes[Fields[k]] = VarNode(v);
            }
            else
            {
                _fieldNodes[Fields[k]] = G.Param(k);
            }
        }

        var args = new Node[method.Parameters.Length];
        for (int ordinal = 0; ordinal < args.Length; ordinal++)
        {
            IParameterSymbol p = method.Parameters[ordinal];
            int i = Fields.Length + ordinal; // the lowered method's parameter index: the [Param] fields come first
            if (StructElementOf(p.Type, Real) is INamedTypeSymbol structElement)
            {
                IrArray flat = _program.AddArray(p.Name, VarType.Double, ArrayKind.Parameter, i, ArrayShape.StructArray, structElement.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                _structArrays[p] = (flat, structElement);
                args[ordinal] = G.Zero;
            }
            else if (ShapeOf(p.Type, Real) is (ArrayShape.Matrix, VarType.Double) && Differentiated.Contains(i))
            {
                // A differentiated matrix: a vector of its elements, row-major, with its dimensions.
                IrArray flat = _program.AddArray(p.Name, VarType.Double, ArrayKind.Parameter, i, ArrayShape.FlatMatrix);
                _irArrays[p] = Whole(flat);
                _matrixDims[p] = (G.Dimension(flat.Id, 0), G.Dimension(flat.Id, 1));
                args[ordinal] = G.Zero;
            }
            else if (ShapeOf(p.Type, Real) is (ArrayShape shape, VarType shapedElement))
            {
                _shaped[p] = _program.AddArray(p.Name, shapedElement, ArrayKind.Parameter, i, shape);
                args[ordinal] = G.Zero; // not read: element accesses go through the array
            }
            else if (ElementTypeOf(p.Type, Real) is VarType element)
            {
                _irArrays[p] = Whole(_program.AddArray(p.Name, element, ArrayKind.Parameter, i));
                args[ordinal] = G.Zero; // not read: element accesses go through the array
            }
            else if (VarTypeOf(p.Type, Real) is VarType t && t != VarType.Double)
            {
                IrVar v = _program.AddVar(p.Name, t, i);
                _vars[p] = v;
                args[ordinal] = VarNode(v);
                if (!IsAssigned(p, syntax, model))
                {
                    _constantParams.Add(v.Id);
                }
            }
            else if (IsAssigned(p, syntax, model))
            {
                // A double parameter the body reassigns is a variable that starts at the parameter's value, so a path
                // that does not reassign it (a branch not taken, a loop that does not run) reads the argument.
                IrVar v = _program.AddVar(p.Name, VarType.Double);
                _vars[p] = v;
                var init = new BlockStmt();
                init.Assigns.Add((v, G.Param(i)));
                _program.Body.Add(init);
                args[ordinal] = VarNode(v);
            }
            else
            {
                args[ordinal] = G.Param(i);
            }
        }

        Node? result = LowerBody(method, syntax, args);
        if (result is null)
        {
            return null;
        }

        _program.Result = result;
        _program.RemoveDeadAssignments();
        return _program;
    }

    /// <summary>
    /// Whether lowering the expressions of <paramref name="s"/> itself (not of the statements nested in it) may end
    /// blocks: a call of a method with source (it is inlined, with its own statements) or a slice (its bounds are kept).
    /// </summary>
    private bool MayEndBlocks(StatementSyntax s, Frame f)
        => MayEndBlocks(s switch
        {
            ExpressionStatementSyntax e => new[] { e.Expression },
            LocalDeclarationStatementSyntax d => d.Declaration.Variables.Select(v => v.Initializer?.Value).OfType<ExpressionSyntax>(),
            ReturnStatementSyntax r when r.Expression is not null => new[] { r.Expression },
            IfStatementSyntax i => new[] { i.Condition },
            SwitchStatementSyntax sw => new[] { sw.Expression },
            _ => Array.Empty<ExpressionSyntax>(),
        }, f);

    /// <summary>Whether lowering <paramref name="own"/> may end blocks (see the overload on a statement).</summary>
    private bool MayEndBlocks(IEnumerable<ExpressionSyntax> own, Frame f)
    {
        return own.SelectMany(e => e.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()).Any(inv =>
            f.Model.GetSymbolInfo(inv, _ct).Symbol is IMethodSymbol m
            && (m.DeclaringSyntaxReferences.Length > 0 || m.Name is "Slice" or "AsSpan" or "AsMemory"));
    }

    /// <summary>Whether the method's body assigns <paramref name="p"/> (=, a compound assignment, ++ or --).</summary>
    private bool IsAssigned(IParameterSymbol p, MethodDeclarationSyntax syntax, SemanticModel model)
    {
        foreach (SyntaxNode n in syntax.DescendantNodes())
        {
            ExpressionSyntax? target = n switch
            {
                AssignmentExpressionSyntax a => a.Left,
                PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression) => u.Operand,
                PostfixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.PostIncrementExpression) || u.IsKind(SyntaxKind.PostDecrementExpression) => u.Operand,
                _ => null,
            };
            if (target is IdentifierNameSyntax id && id.Identifier.ValueText == p.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id, _ct).Symbol, p))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The element type of a one-dimensional array, <c>Span&lt;E&gt;</c> or <c>ReadOnlySpan&lt;E&gt;</c>; null for anything else.</summary>
    private static ITypeSymbol? ElementOf(ITypeSymbol? t) => t switch
    {
        IArrayTypeSymbol { Rank: 1 } a => a.ElementType,
        INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } n
            when n.ContainingNamespace?.ToDisplayString() == "System" && n.Name is "Span" or "ReadOnlySpan" => n.TypeArguments[0],
        _ => null,
    };

    /// <summary>
    /// The element type of an array or span type this generator can index, or null; <paramref name="real"/>: the method's
    /// real type, whose arrays have real elements (a float method's float arrays, a generic method's T arrays; a double
    /// array is then null).
    /// </summary>
    public static VarType? ElementTypeOf(ITypeSymbol? t, RealKind real = RealKind.Double)
    {
        ITypeSymbol? element = ElementOf(t);
        return element is null ? null : VarTypeOf(element, real) is VarType v and not VarType.Bool && element.SpecialType != SpecialType.System_Int64 ? v : null;
    }

    /// <summary>
    /// A matrix (<c>double[,]</c>, <c>int[,]</c>) or jagged array (<c>double[][]</c>, <c>int[][]</c>) type of the real
    /// type or int, with its element type; null for anything else.
    /// </summary>
    public static (ArrayShape Shape, VarType Element)? ShapeOf(ITypeSymbol? t, RealKind real = RealKind.Double)
    {
        (ArrayShape, ITypeSymbol)? shaped = t switch
        {
            IArrayTypeSymbol { Rank: 2 } m => (ArrayShape.Matrix, m.ElementType),
            IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol { Rank: 1 } row } => (ArrayShape.Jagged, row.ElementType),
            _ => null,
        };
        if (shaped is not (ArrayShape shape, ITypeSymbol element) || element.SpecialType == SpecialType.System_Int64)
        {
            return null;
        }

        return VarTypeOf(element, real) is VarType v and not VarType.Bool ? (shape, v) : null;
    }

    /// <summary>Whether <paramref name="e"/> is a row <c>X[i]</c> of a jagged data parameter.</summary>
    private bool IsJaggedRow(ExpressionSyntax e, Frame f) => e is ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } access
        && access.ArgumentList.Arguments[0].Expression is not RangeExpressionSyntax
        && ShapedOf(access.Expression, f) is { Shape: ArrayShape.Jagged };

    /// <summary>
    /// A row <c>X[i]</c> (<see cref="IsJaggedRow"/>) used at once (an element read, its Length): a view whose row index
    /// is the expression itself, not a variable of its own; null when the index was reported.
    /// </summary>
    private ArrayView? JaggedRow(ExpressionSyntax e, Frame f, Env env)
    {
        var access = (ElementAccessExpressionSyntax)e;
        IrArray jagged = ShapedOf(access.Expression, f)!;
        return ShapedIndex(access.ArgumentList.Arguments[0].Expression, f, env) is Node r
            ? new ArrayView(jagged, G.IConst(0), G.RowLength(jagged.Id, r)) { Row = r }
            : null;
    }

    /// <summary>
    /// The struct of an array or span of structs whose instance fields are all of the real type (<c>Vec3[]</c>,
    /// <c>ReadOnlySpan&lt;Vec3&gt;</c>), declared in source; null for anything else.
    /// </summary>
    public static INamedTypeSymbol? StructElementOf(ITypeSymbol? t, RealKind real = RealKind.Double)
    {
        ITypeSymbol? element = ElementOf(t);
        if (element is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsGenericType: false, SpecialType: SpecialType.None, IsRefLikeType: false } s
            || s.DeclaringSyntaxReferences.Length == 0)
        {
            return null;
        }

        // Read through MemoryMarshal.Cast, so the fields must lie in declaration order: the default sequential layout.
        if (s.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.InteropServices.StructLayoutAttribute"
            && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is int kind && kind != 0))
        {
            return null;
        }

        // The same structs as the ones replaced by their fields (AggregateFields): all fields real, none initialised.
        IFieldSymbol[] fields = s.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToArray();
        bool initialised = fields.Any(f => (f.AssociatedSymbol ?? f).DeclaringSyntaxReferences.Select(r => r.GetSyntax())
            .Any(n => n is VariableDeclaratorSyntax { Initializer: not null } or PropertyDeclarationSyntax { Initializer: not null }));
        return fields.Length > 0 && fields.Length <= MaxAggregateFields && !initialised && fields.All(f => VarTypeOf(f.Type, real) == VarType.Double) ? s : null;
    }

    /// <summary><c>points[i]</c> of a data array of structs: its fields, read through the flat view; null when <paramref name="e"/> is not one.</summary>
    private Node[]? TryLowerStructElement(ExpressionSyntax e, Frame f, Env env)
    {
        if (_program is null || e is not ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } access
            || f.Model.GetSymbolInfo(access.Expression, _ct).Symbol is not ISymbol s || !_structArrays.TryGetValue(s, out var structArray))
        {
            return null;
        }

        if (ShapedIndex(access.ArgumentList.Arguments[0].Expression, f, env) is not Node index)
        {
            return AggregateFields(structArray.Element)!.Select(_ => G.Zero).ToArray();
        }

        return StructFields(structArray.Array, structArray.Element, index);
    }

    /// <summary>The fields of struct <paramref name="index"/> of a flat view: element index·k + j for field j of k.</summary>
    private Node[] StructFields(IrArray flat, INamedTypeSymbol element, Node index)
    {
        int k = AggregateFields(element)!.Length;
        Node start = G.IntOp(Op.IMul, index, G.IConst(k));
        return Enumerable.Range(0, k).Select(j => G.Load(flat.Id, VarType.Double, G.IntOp(Op.IAdd, start, G.IConst(j)))).ToArray();
    }

    /// <summary>The matrix or jagged data parameter <paramref name="e"/> names, if any.</summary>
    private IrArray? ShapedOf(ExpressionSyntax e, Frame f)
        => f.Model.GetSymbolInfo(e, _ct).Symbol is ISymbol s && _shaped.TryGetValue(s, out IrArray? a) ? a : null;

    /// <summary>An index of a matrix or a jagged array's row (an int expression).</summary>
    private Node? ShapedIndex(ExpressionSyntax e, Frame f, Env env) => IntExpression(e, "index", "an index is an int expression", f, env);

    /// <summary>
    /// The program variable type of a scalar type (<see cref="VarType.Double"/> is the real type: float in a float
    /// method, a type parameter in a generic one).
    /// </summary>
    public static VarType? VarTypeOf(ITypeSymbol? t, RealKind real = RealKind.Double) => t switch
    {
        ITypeParameterSymbol when real == RealKind.Generic => VarType.Double,
        null => null,
        _ => t.SpecialType switch
        {
            SpecialType.System_Double when real == RealKind.Double => VarType.Double,
            SpecialType.System_Single when real == RealKind.Float => VarType.Double,
            SpecialType.System_Int32 or SpecialType.System_Int64 => VarType.Int,
            SpecialType.System_Boolean => VarType.Bool,
            _ => null,
        },
    };

    private Node VarNode(IrVar v) => G.Var(v.Id, v.Type, v.Name);

    private ArrayView? IrArrayOf(ExpressionSyntax e, Frame f)
        => f.Model.GetSymbolInfo(e, _ct).Symbol is ISymbol s ? _irArrays.TryGetValue(s, out ArrayView? a) ? a : StaticDataArray(s, e) : null;

    /// <summary>
    /// A data table kept in a static field or property of an array or span type (<c>static readonly double[] Y = { … }</c>,
    /// <c>static ReadOnlySpan&lt;double&gt; T => [ … ]</c>): a read-only array of the program, read when the generated code
    /// starts, never differentiated (its elements are data, as a static double's value is). A mutable one (a field that is
    /// not readonly, a property with a setter) is SG0103, as for a static double.
    /// </summary>
    private ArrayView? StaticDataArray(ISymbol symbol, ExpressionSyntax at)
    {
        ITypeSymbol? type = symbol switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol { GetMethod: not null, IsIndexer: false } property => property.Type,
            _ => null,
        };
        if (_program is null || !symbol.IsStatic || symbol.ContainingType is null || ElementTypeOf(type, Real) is not VarType element
            || Fields.Contains(symbol, SymbolEqualityComparer.Default))
        {
            return null;
        }

        ReportIfMutableStatic(symbol, at);
        ReportIfUnreadable(symbol, at); // still bound below, so that this is the method's one error
        string source = symbol.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + symbol.Name;
        ArrayView view = Whole(_program.AddArray(symbol.Name, element, ArrayKind.Parameter, source: source));
        _irArrays[symbol] = view;
        return view;
    }

    private ArrayView Whole(IrArray a) => new(a, G.IConst(0), G.Length(a.Id));

    /// <summary>
    /// The elements an expression denotes, when it is an array or span by name, a slice (<c>a.Slice(s, n)</c>,
    /// <c>a.AsSpan(s, n)</c>) or a range (<c>a[s..e]</c>, <c>a[..e]</c>, <c>a[s..]</c>, <c>a[^k..]</c>); null when it is
    /// none of these. A slice's start and length are evaluated once, where it is taken.
    /// </summary>
    private ArrayView? ViewOf(ExpressionSyntax e, Frame f, Env env)
    {
        switch (e)
        {
            case ParenthesizedExpressionSyntax p:
                return ViewOf(p.Expression, f, env);
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Slice" or "AsSpan" or "AsMemory" } ma } inv
                when inv.ArgumentList.Arguments.Count <= 2 && inv.ArgumentList.Arguments.All(a => a.NameColon is null && a.RefKindKeyword.IsKind(SyntaxKind.None)):
            {
                if (ViewOf(ma.Expression, f, env) is not ArrayView parent)
                {
                    return null;
                }

                var args = inv.ArgumentList.Arguments;
                if (args.Count == 0)
                {
                    return parent;
                }

                Node? start = IntOperand(args[0].Expression, parent, f, env);
                Node? length = args.Count == 2 ? IntOperand(args[1].Expression, parent, f, env) : start is null ? null : G.IntOp(Op.ISub, parent.Length, start);
                return start is null || length is null ? null : Slice(parent, start, length, env);
            }

            case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } row when row.ArgumentList.Arguments[0].Expression is not RangeExpressionSyntax
                && ShapedOf(row.Expression, f) is { Shape: ArrayShape.Jagged } jagged:
            {
                // X[i] of a jagged array: its row i, read through (the row index is fixed where the row is taken).
                if (ShapedIndex(row.ArgumentList.Arguments[0].Expression, f, env) is not Node index)
                {
                    return null;
                }

                Node r = Stable(index, jagged.Name + "_row", env);
                return new ArrayView(jagged, G.IConst(0), G.RowLength(jagged.Id, r)) { Row = r };
            }

            case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } access when access.ArgumentList.Arguments[0].Expression is RangeExpressionSyntax range:
            {
                if (ViewOf(access.Expression, f, env) is not ArrayView parent)
                {
                    return null;
                }

                Node? start = range.LeftOperand is null ? G.IConst(0) : IntOperand(range.LeftOperand, parent, f, env);
                Node? end = range.RightOperand is null ? parent.Length : IntOperand(range.RightOperand, parent, f, env);
                return start is null || end is null ? null : Slice(parent, start, G.IntOp(Op.ISub, end, start), env);
            }

            default:
                return IrArrayOf(e, f);
        }
    }

    /// <summary>An int operand of a slice or range: <c>^k</c> counts from the end of <paramref name="parent"/>.</summary>
    private Node? IntOperand(ExpressionSyntax e, ArrayView parent, Frame f, Env env)
    {
        bool fromEnd = e is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression };
        ExpressionSyntax operand = fromEnd ? ((PrefixUnaryExpressionSyntax)e).Operand : e;
        Node n = Lower(operand, f, env);
        if (!Graph.IsIntLike(n))
        {
            Unsupported(operand, "slice bound", "a slice's start, length and a range's ends must be int");
            return null;
        }

        return fromEnd ? G.IntOp(Op.ISub, parent.Length, G.I(n)) : G.I(n);
    }

    private ArrayView Slice(ArrayView parent, Node start, Node length, Env env)
        => new(parent.Array, Stable(G.IntOp(Op.IAdd, parent.Offset, start), parent.Array.Name + "_start", env), Stable(length, parent.Array.Name + "_length", env))
        {
            Row = parent.Row,
        };

    /// <summary>
    /// <paramref name="n"/> where it does not change while the view is in use: a constant or a parameter's length as is,
    /// anything else copied into a variable now (the statements after may change what it reads).
    /// </summary>
    private Node Stable(Node n, string name, Env env)
    {
        if (n.Op == Op.IConst || (n.Op == Op.Length && _program!.Arrays[n.Index].Kind == ArrayKind.Parameter))
        {
            return n;
        }

        return Materialize(n, name, env);
    }

    /// <summary>
    /// <paramref name="n"/> written into a new program variable now (the block ends here), and that variable read
    /// instead: a value that must not change while what comes after updates the state it reads.
    /// </summary>
    private Node Materialize(Node n, string name, Env env)
    {
        IrVar t = _program!.AddVar(name, TypeOf(n));
        env.SetFlag(t, n);
        Flush(env);
        return VarNode(t);
    }

    private static VarType TypeOf(Node n) => n.IsBool ? VarType.Bool : n.IsInt ? VarType.Int : VarType.Double;

    // ------------------------------------------------------------------ flushing

    /// <summary>
    /// Ends the current block: every variable whose value changed is written back (all at once), then the optional
    /// array effect; afterwards the environment reads the variables again.
    /// </summary>
    private void Flush(Env env, Action<BlockStmt>? effect = null)
    {
        var block = new BlockStmt();
        foreach (ISymbol s in env.Symbols.ToList())
        {
            Node? n = env.Get(s);
            if (n is null || IsUntouchedParameter(s, n) || _irArrays.ContainsKey(s))
            {
                continue;
            }

            if (!_vars.TryGetValue(s, out IrVar? v))
            {
                VarType type = VarTypeOf((s as ILocalSymbol)?.Type ?? (s as IParameterSymbol)?.Type, Real) ?? VarType.Double;
                v = _program!.AddVar(s.Name, type);
                _vars[s] = v;
            }

            Node current = VarNode(v);
            if (n != current)
            {
                block.Assigns.Add((v, Convert(n, v.Type)));
                env.Set(s, current);
            }
        }

        foreach (KeyValuePair<IrVar, Node> flag in env.Flags.ToList())
        {
            IrVar v = flag.Key;
            Node n = flag.Value;
            Node current = VarNode(v);
            if (n != current)
            {
                block.Assigns.Add((v, Convert(n, v.Type)));
            }

            env.SetFlag(v, current);
        }

        effect?.Invoke(block);
        if (!block.IsEmpty)
        {
            _out.Add(block);
            _blocksWritten++;
        }
    }

    // Blocks written so far: an inlined struct member that wrote none returns values built from its caller's alone.
    private int _blocksWritten;

    private Node Convert(Node n, VarType type) => type switch
    {
        VarType.Int when Graph.IsIntLike(n) => G.I(n),
        VarType.Double => G.D(n),
        _ => n,
    };

    /// <summary>A node that stays valid across a flush: when it reads a variable the flush changes, it is kept in a temporary.</summary>
    private Node Stabilize(Node n, Env env, string name)
    {
        var changed = new HashSet<int>();
        foreach (ISymbol s in env.Symbols)
        {
            if (_vars.TryGetValue(s, out IrVar? v) && env.Get(s) is Node value && value != VarNode(v))
            {
                changed.Add(v.Id);
            }

            if (!_vars.ContainsKey(s) && env.Get(s) is Node fresh && !(s is IParameterSymbol && fresh.Op == Op.Param))
            {
                changed.Add(-1); // a variable that is about to be created cannot be read yet: nothing to do
            }
        }

        foreach (KeyValuePair<IrVar, Node> flag in env.Flags)
        {
            if (flag.Value != VarNode(flag.Key))
            {
                changed.Add(flag.Key.Id);
            }
        }

        if (!ReadsAny(n, changed, new HashSet<Node>()))
        {
            return n;
        }

        IrVar t = _program!.AddVar(name, TypeOf(n));
        env.SetFlag(t, n);
        return VarNode(t);
    }

    private static bool ReadsAny(Node n, HashSet<int> vars, HashSet<Node> seen)
    {
        if (!seen.Add(n))
        {
            return false;
        }

        if (n.Op == Op.Var && vars.Contains(n.Index))
        {
            return true;
        }

        foreach (Node a in n.Args)
        {
            if (ReadsAny(a, vars, seen))
            {
                return true;
            }
        }

        return false;
    }

    // ------------------------------------------------------------------ statements

    private Outcome LowerStatementsP(IReadOnlyList<StatementSyntax> statements, int start, Frame f, Env env)
    {
        ReturnContext rc = _returns.Peek();
        for (int k = start; k < statements.Count; k++)
        {
            _ct.ThrowIfCancellationRequested();
            StatementSyntax s = statements[k];
            Outcome o = LowerStatementP(s, f, env);
            if (o.AlwaysReturns || o.Jumped)
            {
                return o;
            }

            env = o.Env;
            if (k + 1 < statements.Count && MayJump(s))
            {
                // The rest runs only when nothing in s returned, broke or continued.
                Flush(env);
                Node go = NotJumped(env);
                if (go.Op == Op.False)
                {
                    return new Outcome(null, null, env);
                }

                if (go.Op == Op.True)
                {
                    continue;
                }

                var branch = new IfStmt(go);
                _out.Add(branch);
                List<Stmt> saved = _out;
                _out = branch.Then;
                rc.Depth++;
                Outcome rest = LowerStatementsP(statements, k + 1, f, env);
                RecordReturn(rest, rc);
                Flush(rest.Env);
                rc.Depth--;
                _out = saved;
                return new Outcome(null, null, rest.Env);
            }
        }

        return new Outcome(null, null, env);
    }

    /// <summary>A new bool flag, false from the start of the method (its initial assignment goes first).</summary>
    private IrVar NewFlag(string name, bool initial)
    {
        IrVar v = _program!.AddVar(name, VarType.Bool);
        var init = new BlockStmt();
        init.Assigns.Add((v, G.Bool(initial)));
        ReturnContext rc = _returns.Peek();
        rc.Start.List.Insert(rc.Start.Index, init);
        if (_hoistPoint is (List<Stmt> list, int index) && list == rc.Start.List && index >= rc.Start.Index)
        {
            _hoistPoint = (list, index + 1);
        }

        return v;
    }

    /// <summary>!(returned || broke || continued) for the flags that exist, read from the current state.</summary>
    private Node NotJumped(Env env)
    {
        Node jumped = G.Bool(false);
        if (_returns.Peek().Returned is IrVar r)
        {
            jumped = G.Or(jumped, env.GetFlag(r) ?? VarNode(r));
        }

        if (_loops.Count > 0)
        {
            LoopContext l = _loops[_loops.Count - 1];
            foreach (IrVar? flag in new[] { l.Break, l.Continue })
            {
                if (flag is not null)
                {
                    jumped = G.Or(jumped, env.GetFlag(flag) ?? VarNode(flag));
                }
            }
        }

        return G.Not(jumped);
    }

    /// <summary>Whether a statement may return, break or continue (so the statements after it may not run).</summary>
    private static bool MayJump(StatementSyntax s)
    {
        bool Inside(SyntaxNode n) => n is not (LocalFunctionStatementSyntax or LambdaExpressionSyntax or AnonymousMethodExpressionSyntax);
        bool Loop(SyntaxNode n) => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax;
        if (s.DescendantNodesAndSelf(Inside).Any(n => n is ReturnStatementSyntax))
        {
            return true;
        }

        // A break or continue jumps out of s unless a loop (or, for break, a switch) inside s catches it.
        return s.DescendantNodesAndSelf(n => Inside(n) && (n == s || !(Loop(n) || n is SwitchStatementSyntax)))
            .Any(n => n is BreakStatementSyntax or ContinueStatementSyntax);
    }

    /// <summary>A return that <paramref name="o"/> made unconditionally, recorded in the flags of an early return.</summary>
    private void RecordReturn(Outcome o, ReturnContext rc)
    {
        if (!o.AlwaysReturns)
        {
            return;
        }

        rc.Returned ??= NewFlag("returned", false);
        rc.Value ??= _program!.AddVar("result", rc.ResultType);
        o.Env.SetFlag(rc.Value, Convert(o.Value!, rc.ResultType));
        o.Env.SetFlag(rc.Returned, G.Bool(true));
    }

    private Outcome LowerStatementP(StatementSyntax s, Frame f, Env env)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (s is LocalDeclarationStatementSyntax { IsConst: false } declaration)
        {
            // Each declarator as the declaration of its own statement would be (int n = x.Length, m = n / 2; declares n,
            // then m; double[] a = new double[n], b = new double[n]; two buffers).
            foreach (VariableDeclaratorSyntax v in declaration.Declaration.Variables)
            {
                if (v.Initializer is not null && MayEndBlocks(new[] { v.Initializer.Value }, f))
                {
                    Flush(env);
                }

                LowerVariables(new[] { v }, f, env);
            }

            return new Outcome(null, null, env);
        }

        if (MayEndBlocks(s, f))
        {
            // A helper with statements (or a slice) ends blocks in the middle of this statement's expression: what was
            // lowered before it must not read values still pending in the environment, so they are written back first.
            Flush(env);
        }

        ReturnContext rc = _returns.Peek();
        switch (s)
        {
            case ReturnStatementSyntax ret:
            {
                if (ret.Expression is null && !f.Method.ReturnsVoid)
                {
                    Report(Diagnostics.UnsupportedStatement, ret, "return", "a value must be returned");
                    return new Outcome(G.Bool(true), G.Zero, env);
                }

                // A void helper's return; ends it like any return (its value, zero, is not used).
                Node value = ret.Expression is null ? G.Zero : ReturnValue(ret.Expression, f, env);
                var o = new Outcome(G.Bool(true), value, env);
                if (rc.Depth == 0)
                {
                    return o;
                }

                RecordReturn(o, rc);
                return new Outcome(null, null, env) { Jumped = true };
            }

            case BreakStatementSyntax when _loops.Count > 0 && _loops[_loops.Count - 1].Break is IrVar broke:
                env.SetFlag(broke, G.Bool(true));
                return new Outcome(null, null, env) { Jumped = true };
            case ContinueStatementSyntax when _loops.Count > 0 && _loops[_loops.Count - 1].Continue is IrVar continued:
                env.SetFlag(continued, G.Bool(true));
                return new Outcome(null, null, env) { Jumped = true };
            case BlockSyntax block:
                return LowerStatementsP(block.Statements, 0, f, env);
            case IfStatementSyntax ifs:
                return BranchP(
                    LowerCondition(ifs.Condition, f, env),
                    e => LowerStatementP(ifs.Statement, f, e),
                    ifs.Else is null ? null : e => LowerStatementP(ifs.Else.Statement, f, e),
                    env);
            case ForStatementSyntax loop:
            {
                if (loop.Declaration is not null)
                {
                    LowerVariables(loop.Declaration.Variables, f, env);
                }

                foreach (ExpressionSyntax init in loop.Initializers)
                {
                    LowerExpressionStatement(init, f, env);
                }

                return LowerLoopP(loop, loop.Condition, _ => LowerStatementP(loop.Statement, f, _), loop.Incrementors, f, env, doWhile: false);
            }

            case WhileStatementSyntax loop:
                return LowerLoopP(loop, loop.Condition, e => LowerStatementP(loop.Statement, f, e), Array.Empty<ExpressionSyntax>(), f, env, doWhile: false);
            case DoStatementSyntax loop:
                return LowerLoopP(loop, loop.Condition, e => LowerStatementP(loop.Statement, f, e), Array.Empty<ExpressionSyntax>(), f, env, doWhile: true);
            case ForEachStatementSyntax each:
                return LowerForEachP(each, f, env);
            case SwitchStatementSyntax sw:
                return LowerSwitchStatement(sw, f, env);
            case GotoStatementSyntax:
                Report(Diagnostics.UnsupportedStatement, s.GetFirstToken(), "goto", "use loops with break and continue instead");
                return new Outcome(null, null, env);
            case BreakStatementSyntax or ContinueStatementSyntax:
                Report(Diagnostics.UnsupportedStatement, s.GetFirstToken(), Describe(s), "break and continue are supported inside loops");
                return new Outcome(null, null, env);
            default:
                return LowerStatement(s, f, env, programMode: false);
        }
    }

    /// <summary>if/else as a region: each side is lowered into its own statements, and only the side that runs is computed.</summary>
    private Outcome BranchP(Node c, Func<Env, Outcome> whenTrue, Func<Env, Outcome>? whenFalse, Env env)
    {
        if (c.Op == Op.True)
        {
            return whenTrue(env);
        }

        if (c.Op == Op.False)
        {
            return whenFalse is null ? new Outcome(null, null, env) : whenFalse(env);
        }

        c = Stabilize(c, env, "taken");
        Flush(env);
        var branch = new IfStmt(c);
        _out.Add(branch);
        List<Stmt> saved = _out;
        ReturnContext rc = _returns.Peek();
        rc.Depth++;
        Outcome? then = null, otherwise = null;
        try
        {
            _out = branch.Then;
            Env t = env.Clone();
            then = Side(whenTrue(t), rc);
            _out = branch.Else;
            Env e = env.Clone();
            if (whenFalse is not null)
            {
                otherwise = Side(whenFalse(e), rc);
            }
        }
        finally
        {
            rc.Depth--;
            _out = saved;
        }

        // A local first assigned on both sides (double t; if (c) t = a; else t = b;) is assigned after the branch.
        if (then is not null && otherwise is not null)
        {
            foreach (ISymbol sym in then.Env.Symbols.Concat(otherwise.Env.Symbols).Distinct<ISymbol>(SymbolEqualityComparer.Default).ToList())
            {
                if (env.Get(sym) is null && _vars.TryGetValue(sym, out IrVar? v)
                    && (then.Jumped || then.AlwaysReturns || then.Env.Get(sym) is not null)
                    && (otherwise.Jumped || otherwise.AlwaysReturns || otherwise.Env.Get(sym) is not null))
                {
                    env.Set(sym, VarNode(v));
                }
            }
        }

        return new Outcome(null, null, env);

        Outcome Side(Outcome o, ReturnContext ctx)
        {
            RecordReturn(o, ctx);
            Flush(o.Env);
            return o;
        }
    }

    /// <summary>
    /// The break and continue statements of a loop body that belong to this loop: not inside a nested loop, local function
    /// or lambda, and a break not inside a switch (it leaves the switch); a continue inside a switch continues this loop,
    /// as in C#.
    /// </summary>
    private static List<SyntaxNode> LoopJumps(StatementSyntax body)
    {
        bool Own(SyntaxNode n, bool intoSwitches) => n == body
            || n is not (ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax or LocalFunctionStatementSyntax or LambdaExpressionSyntax)
                && (intoSwitches || n is not SwitchStatementSyntax);
        return body.DescendantNodesAndSelf(n => Own(n, intoSwitches: false))
            .Concat(body.DescendantNodes(n => Own(n, intoSwitches: true)).OfType<ContinueStatementSyntax>()
                .Where(c => c.Ancestors().TakeWhile(a => a != body).Any(a => a is SwitchStatementSyntax)))
            .ToList();
    }

    /// <summary>
    /// A loop as a region: <c>while (!broke &amp;&amp; cond) { body; if (!broke) increment; }</c>. Break, continue and
    /// return inside the body set flags, and the statements after them are guarded by the flags.
    /// </summary>
    private Outcome LowerLoopP(StatementSyntax syntax, ExpressionSyntax? condition, Func<Env, Outcome> body, IEnumerable<ExpressionSyntax> incrementors, Frame f, Env env, bool doWhile)
    {
        StatementSyntax bodySyntax = syntax switch
        {
            ForStatementSyntax fs => fs.Statement,
            WhileStatementSyntax ws => ws.Statement,
            DoStatementSyntax ds => ds.Statement,
            ForEachStatementSyntax fe => fe.Statement,
            _ => syntax,
        };
        var ctx = new LoopContext();
        var jumps = LoopJumps(bodySyntax);
        if (jumps.Any(n => n is BreakStatementSyntax))
        {
            ctx.Break = _program!.AddVar("broke", VarType.Bool);
            env.SetFlag(ctx.Break, G.Bool(false));
        }

        bool returns = bodySyntax.DescendantNodesAndSelf(n => n is not (LocalFunctionStatementSyntax or LambdaExpressionSyntax)).Any(n => n is ReturnStatementSyntax);
        ReturnContext rc = _returns.Peek();
        if (returns)
        {
            rc.Returned ??= NewFlag("returned", false);
            rc.Value ??= _program!.AddVar("result", rc.ResultType);
        }

        IrVar? first = null;
        if (doWhile)
        {
            first = _program!.AddVar("first", VarType.Bool);
            env.SetFlag(first, G.Bool(true));
            if (condition is not null)
            {
                // The condition runs after the body, which C# requires to assign what it reads (double prev; do { prev = x; … }
                // while (|x − prev| > ε)); at the loop's top, where `first` skips it, such a variable is still unassigned.
                foreach (IdentifierNameSyntax id in condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
                {
                    if (f.Model.GetSymbolInfo(id, _ct).Symbol is ILocalSymbol local && env.IsDeclared(local) && env.Get(local) is null
                        && VarTypeOf(local.Type, Real) is VarType type)
                    {
                        env.Set(local, type switch { VarType.Int => G.IConst(0), VarType.Bool => G.Bool(false), _ => G.Zero });
                    }
                }
            }
        }

        if (jumps.Any(n => n is ContinueStatementSyntax))
        {
            ctx.Continue = _program!.AddVar("continued", VarType.Bool);
        }

        Flush(env);
        bool outermost = _loops.Count == 0;
        if (outermost)
        {
            _hoistPoint = (_out, _out.Count);
        }

        Node go = G.Bool(true);
        if (returns)
        {
            go = G.Not(VarNode(rc.Returned!));
        }

        if (ctx.Break is not null)
        {
            go = G.And(go, G.Not(VarNode(ctx.Break)));
        }

        Node cond = condition is null ? G.Bool(true) : LowerCondition(condition, f, env);
        if (first is not null)
        {
            cond = G.Or(VarNode(first), cond);
        }

        var loop = new LoopStmt(G.And(go, cond));
        if (loop.Condition.Op == Op.False)
        {
            return new Outcome(null, null, env);
        }

        if (loop.Condition.Op == Op.True)
        {
            Report(Diagnostics.UnsupportedStatement, syntax.GetFirstToken(), "loop", "its condition is always true and nothing in it breaks out");
            return new Outcome(null, null, env);
        }

        _out.Add(loop);
        List<Stmt> saved = _out;
        _out = loop.Body;
        _loops.Add(ctx);
        rc.Depth++;
        try
        {
            if (first is not null)
            {
                env.SetFlag(first, G.Bool(false));
            }

            if (ctx.Continue is not null)
            {
                env.SetFlag(ctx.Continue, G.Bool(false));
            }

            Outcome o = body(env);
            RecordReturn(o, rc);

            env = o.Env;
            var incs = incrementors.ToList();
            if (incs.Count > 0)
            {
                if (ctx.Break is not null || returns)
                {
                    // An increment does not run after break or return.
                    Flush(env);
                    Node notOut = G.Bool(true);
                    if (returns)
                    {
                        notOut = G.Not(VarNode(rc.Returned!));
                    }

                    if (ctx.Break is not null)
                    {
                        notOut = G.And(notOut, G.Not(VarNode(ctx.Break)));
                    }

                    var guard = new IfStmt(notOut);
                    _out.Add(guard);
                    List<Stmt> inner = _out;
                    _out = guard.Then;
                    foreach (ExpressionSyntax inc in incs)
                    {
                        LowerExpressionStatement(inc, f, env);
                    }

                    Flush(env);
                    _out = inner;
                }
                else
                {
                    foreach (ExpressionSyntax inc in incs)
                    {
                        LowerExpressionStatement(inc, f, env);
                    }
                }
            }

            Flush(env);
        }
        finally
        {
            rc.Depth--;
            _loops.RemoveAt(_loops.Count - 1);
            _out = saved;
            if (outermost)
            {
                _hoistPoint = null;
            }
        }

        return new Outcome(null, null, env);
    }

    /// <summary><c>foreach (var v in a)</c> over an array or span: a counted loop over a hidden index.</summary>
    private Outcome LowerForEachP(ForEachStatementSyntax each, Frame f, Env env)
    {
        if (f.Model.GetSymbolInfo(each.Expression, _ct).Symbol is ISymbol collection && _structArrays.TryGetValue(collection, out var structs)
            && f.Model.GetDeclaredSymbol(each, _ct) is ILocalSymbol structVariable && IsAggregate(structVariable.Type))
        {
            // foreach (Vec3 p in points): each struct's fields, read through the flat view.
            IrVar structIndex = _program!.AddVar("k", VarType.Int);
            env.SetFlag(structIndex, G.IConst(0));
            Flush(env);
            var all = new ArrayView(structs.Array, G.IConst(0), G.StructCount(structs.Array.Id));
            return LowerLoopForEach(each, all, structVariable, structIndex, G.Compare(Op.Less, VarNode(structIndex), all.Length), f, env);
        }

        if (ShapedOf(each.Expression, f) is { Shape: ArrayShape.Jagged } jagged && f.Model.GetDeclaredSymbol(each, _ct) is ILocalSymbol rowVariable
            && ElementTypeOf(rowVariable.Type, Real) is not null)
        {
            // foreach (double[] row in X) over a jagged array's rows: each row a read-only view.
            IrVar rowIndex = _program!.AddVar("k", VarType.Int);
            env.SetFlag(rowIndex, G.IConst(0));
            Flush(env);
            var rows = new ArrayView(jagged, G.IConst(0), G.Length(jagged.Id));
            return LowerLoopForEach(each, rows, rowVariable, rowIndex, G.Compare(Op.Less, VarNode(rowIndex), rows.Length), f, env);
        }

        ArrayView? array = ViewOf(each.Expression, f, env);
        if (array is null || f.Model.GetDeclaredSymbol(each, _ct) is not ILocalSymbol variable || VarTypeOf(variable.Type, Real) is null)
        {
            Report(Diagnostics.UnsupportedStatement, each.GetFirstToken(), "foreach loop", ShapedOf(each.Expression, f) is not null
                ? "foreach goes over a jagged array's rows (foreach (double[] row in X)); loop over a matrix with indices: for (int i = 0; i < X.GetLength(0); i++) … X[i, j]"
                : "foreach is supported over array and span parameters and local arrays of double or int");
            return new Outcome(null, null, env);
        }

        IrVar index = _program!.AddVar("k", VarType.Int);
        env.SetFlag(index, G.IConst(0));
        Flush(env);
        Node k = VarNode(index);
        Node cond = G.Compare(Op.Less, k, array.Length);
        return LowerLoopForEach(each, array, variable, index, cond, f, env);
    }

    private Outcome LowerLoopForEach(ForEachStatementSyntax each, ArrayView array, ILocalSymbol variable, IrVar index, Node cond, Frame f, Env env)
    {
        // The same region as a for loop, with the element bound at the top of the body and the index stepped last.
        var ctx = new LoopContext();
        var jumps = LoopJumps(each.Statement);
        ReturnContext rc = _returns.Peek();
        bool returns = each.Statement.DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax);
        if (jumps.Any(n => n is BreakStatementSyntax))
        {
            ctx.Break = _program!.AddVar("broke", VarType.Bool);
            env.SetFlag(ctx.Break, G.Bool(false));
        }

        if (jumps.Any(n => n is ContinueStatementSyntax))
        {
            ctx.Continue = _program!.AddVar("continued", VarType.Bool);
        }

        if (returns)
        {
            rc.Returned ??= NewFlag("returned", false);
            rc.Value ??= _program!.AddVar("result", rc.ResultType);
        }

        Flush(env);
        bool outermost = _loops.Count == 0;
        if (outermost)
        {
            _hoistPoint = (_out, _out.Count);
        }

        Node go = cond;
        if (ctx.Break is not null)
        {
            go = G.And(G.Not(VarNode(ctx.Break)), go);
        }

        if (returns)
        {
            go = G.And(G.Not(VarNode(rc.Returned!)), go);
        }

        var loop = new LoopStmt(go);
        _out.Add(loop);
        List<Stmt> saved = _out;
        _out = loop.Body;
        _loops.Add(ctx);
        rc.Depth++;
        try
        {
            if (ctx.Continue is not null)
            {
                env.SetFlag(ctx.Continue, G.Bool(false));
            }

            if (array.Array.Shape == ArrayShape.StructArray && _structArrays.Values.FirstOrDefault(v => v.Array == array.Array) is { Element: INamedTypeSymbol element })
            {
                // The struct's fields, read when its variables are written (with the counter's old value, as they are
                // assigned together).
                SetAggregate(env, variable, StructFields(array.Array, element, VarNode(index)));
            }
            else if (array.Array.Shape == ArrayShape.Jagged && array.Row is null)
            {
                // The row's index is kept in a variable of its own, fixed for the body (the counter steps at its end).
                Node row = Materialize(VarNode(index), array.Array.Name + "_row", env);
                _irArrays[variable] = new ArrayView(array.Array, G.IConst(0), G.RowLength(array.Array.Id, row)) { Row = row };
            }
            else
            {
                env.Set(variable, array.Load(G, VarNode(index)));
            }

            env.SetFlag(index, G.IntOp(Op.IAdd, VarNode(index), G.IConst(1)));
            Outcome o = LowerStatementP(each.Statement, f, env);
            RecordReturn(o, rc);

            Flush(o.Env);
        }
        finally
        {
            rc.Depth--;
            _loops.RemoveAt(_loops.Count - 1);
            _out = saved;
            if (outermost)
            {
                _hoistPoint = null;
            }
        }

        return new Outcome(null, null, env);
    }

    // ------------------------------------------------------------------ arrays

    /// <summary>A local array or span of run-time length: <c>new double[n]</c>, <c>stackalloc double[n]</c>, <c>new[] { … }</c>.</summary>
    private void DeclareArray(ILocalSymbol local, VarType element, VariableDeclaratorSyntax v, Frame f, Env env)
    {
        ExpressionSyntax? init = v.Initializer?.Value;
        if (init is not null && init is not (ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax
            or ImplicitStackAllocArrayCreationExpressionSyntax or InitializerExpressionSyntax or CollectionExpressionSyntax) && ViewOf(init, f, env) is ArrayView alias)
        {
            // Another name for existing elements (a span over an array, a slice, a range): read through; writes must use
            // the buffer's own name.
            _irArrays[local] = alias with { SecondName = local.Name };
            return;
        }

        ArrayKind kind = init is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax ? ArrayKind.Stack : ArrayKind.Heap;
        Node? length = null;
        List<ExpressionSyntax>? elements = null;
        switch (init)
        {
            case ArrayCreationExpressionSyntax { Initializer: null } c when c.Type.RankSpecifiers.Count == 1 && c.Type.RankSpecifiers[0].Sizes.Count == 1:
                length = Lower(c.Type.RankSpecifiers[0].Sizes[0], f, env);
                break;
            case StackAllocArrayCreationExpressionSyntax { Initializer: null, Type: ArrayTypeSyntax t } when t.RankSpecifiers.Count == 1 && t.RankSpecifiers[0].Sizes.Count == 1:
                length = Lower(t.RankSpecifiers[0].Sizes[0], f, env);
                break;
            case ArrayCreationExpressionSyntax { Initializer: InitializerExpressionSyntax i }:
                elements = i.Expressions.ToList();
                break;
            case ImplicitArrayCreationExpressionSyntax i:
                elements = i.Initializer.Expressions.ToList();
                break;
            case InitializerExpressionSyntax i:
                elements = i.Expressions.ToList();
                break;
            case CollectionExpressionSyntax c when c.Elements.All(e => e is ExpressionElementSyntax):
                elements = c.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression).ToList();
                break;
            case StackAllocArrayCreationExpressionSyntax { Initializer: InitializerExpressionSyntax i }:
                elements = i.Expressions.ToList();
                break;
            case ImplicitStackAllocArrayCreationExpressionSyntax i:
                elements = i.Initializer.Expressions.ToList();
                break;
            case IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or null:
                Unsupported((SyntaxNode?)init ?? v, "array '" + local.Name + "'", init is null
                    ? "a local array needs its buffer where it is declared: new double[n] or stackalloc double[n]"
                    : init is InvocationExpressionSyntax
                        ? "a helper can return only double; make it a void helper that fills a Span<double> the caller allocates"
                        : "a local array must own its buffer (new double[n], stackalloc double[n] or new[] { … }), or be a second name for a parameter, a buffer, a slice or a range");
                _failedArrays.Add(local);
                return;
            default:
                Unsupported(init, "array value", "local arrays are supported as new double[n], stackalloc double[n], new[] { … } or [ … ]");
                _failedArrays.Add(local);
                return;
        }

        if (elements is not null)
        {
            length = G.IConst(elements.Count);
        }

        AllocateArray(local, element, kind, length, elements, v, f, env);
    }

    /// <summary>
    /// A local matrix, <c>new double[r, c]</c> or <c>{ { … }, { … } }</c>: a buffer of r·c elements, row-major, whose
    /// <c>a[i, j]</c> is element i·c + j (so the generated code reads and writes <c>a[i * c + j]</c>).
    /// </summary>
    private void DeclareMatrix(ILocalSymbol local, VarType element, VariableDeclaratorSyntax v, Frame f, Env env)
    {
        ExpressionSyntax? init = v.Initializer?.Value;
        Node? rows = null;
        Node? cols = null;
        List<ExpressionSyntax>? elements = null;
        InitializerExpressionSyntax? literal = init switch
        {
            ArrayCreationExpressionSyntax { Initializer: InitializerExpressionSyntax i } => i,
            ImplicitArrayCreationExpressionSyntax i => i.Initializer,
            InitializerExpressionSyntax i => i,
            _ => null,
        };
        if (init is ArrayCreationExpressionSyntax { Initializer: null } c && c.Type.RankSpecifiers.Count == 1 && c.Type.RankSpecifiers[0].Sizes.Count == 2)
        {
            rows = Lower(c.Type.RankSpecifiers[0].Sizes[0], f, env);
            cols = Lower(c.Type.RankSpecifiers[0].Sizes[1], f, env);
        }
        else if (literal is not null && literal.Expressions.Count > 0 && literal.Expressions.All(r => r is InitializerExpressionSyntax row && row.Expressions.Count == ((InitializerExpressionSyntax)literal.Expressions[0]).Expressions.Count))
        {
            rows = G.IConst(literal.Expressions.Count);
            cols = G.IConst(((InitializerExpressionSyntax)literal.Expressions[0]).Expressions.Count);
            elements = literal.Expressions.SelectMany(r => ((InitializerExpressionSyntax)r).Expressions).ToList();
        }

        if (rows is null || cols is null || !Graph.IsIntLike(rows) || !Graph.IsIntLike(cols))
        {
            Unsupported((SyntaxNode?)init ?? v, "matrix '" + local.Name + "'", "a local matrix is declared with its buffer: new double[rows, cols] (int sizes) or { { … }, { … } }");
            _failedArrays.Add(local);
            return;
        }

        Node r0 = Stable(G.I(rows), local.Name + "_rows", env);
        Node c0 = Stable(G.I(cols), local.Name + "_cols", env);
        _matrixDims[local] = (r0, c0);
        AllocateArray(local, element, ArrayKind.Heap, G.IntOp(Op.IMul, r0, c0), elements, v, f, env);
    }

    /// <summary>The row-major element index of <c>a[i, j]</c> of a local matrix, or null (reported) when the indices are not ints.</summary>
    private Node? MatrixElement(ISymbol matrix, SeparatedSyntaxList<ArgumentSyntax> args, Frame f, Env env)
    {
        Node? i = ShapedIndex(args[0].Expression, f, env);
        Node? j = ShapedIndex(args[1].Expression, f, env);
        return i is null || j is null ? null : G.IntOp(Op.IAdd, G.IntOp(Op.IMul, i, _matrixDims[matrix].Cols), j);
    }

    /// <summary>A local buffer of <paramref name="length"/> elements (or of <paramref name="elements"/>, stored in order).</summary>
    private void AllocateArray(ILocalSymbol local, VarType element, ArrayKind kind, Node? length, List<ExpressionSyntax>? elements, VariableDeclaratorSyntax v, Frame f, Env env)
    {
        if (length is null || !Graph.IsIntLike(length))
        {
            Unsupported(v, "array length", "the length must be an int");
            _failedArrays.Add(local);
            return;
        }

        length = G.I(length);
        IrArray array = _program!.AddArray(local.Name, element, kind);
        _irArrays[local] = Whole(array);
        if (_hoistPoint is (List<Stmt> list, int index) && _loops.Count > 0)
        {
            // Declared inside a loop: one buffer, allocated before the outermost loop, cleared where it is declared.
            if (ReadsNonParameterState(length))
            {
                Unsupported(v, "array '" + local.Name + "'", "a buffer declared inside a loop must have a length that does not change inside the loop (parameters, their lengths, constants); declare it before the loop");
                _failedArrays.Add(local);
                return;
            }

            var alloc = new BlockStmt { Alloc = (array, length) };
            list.Insert(index, alloc);
            _hoistPoint = (list, index + 1);
            Flush(env, b => b.Clear = array);
        }
        else
        {
            Flush(env, b => b.Alloc = (array, length));
        }

        if (elements is not null)
        {
            for (int i = 0; i < elements.Count; i++)
            {
                Node value = Lower(elements[i], f, env);
                int at = i;
                Flush(env, b => b.Store = (array, G.IConst(at), Convert(value, element)));
            }
        }
    }

    private IMethodSymbol? _entry;

    /// <summary>
    /// An entry-method parameter still holding its argument (read as the parameter itself, not a variable). A helper's
    /// parameter bound to an argument is not one: it is written back like any local.
    /// </summary>
    private bool IsUntouchedParameter(ISymbol s, Node n)
        => s is IParameterSymbol p && n.Op == Op.Param && n.Index == Fields.Length + p.Ordinal && !_vars.ContainsKey(s)
            && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, _entry);

    /// <summary>Int and bool parameters the method never assigns: their variables hold the argument throughout.</summary>
    private readonly HashSet<int> _constantParams = new();

    private bool ReadsNonParameterState(Node n)
    {
        if (n.Op == Op.Load || (n.Op == Op.Var && !_constantParams.Contains(n.Index)))
        {
            return true;
        }

        return n.Args.Any(ReadsNonParameterState);
    }

    /// <summary><c>a[i] = v</c>, <c>a[i] += v</c>, … and <c>a[i]++</c> on a local array: one store, at the end of a block.</summary>
    private bool TryStore(ExpressionSyntax target, Func<Node?, Node?> value, Frame f, Env env)
    {
        if (_program is null || target is not ElementAccessExpressionSyntax access || ViewOf(access.Expression, f, env) is not ArrayView view)
        {
            return false;
        }

        IrArray array = view.Array;
        if (!Writable(view, target))
        {
            return true;
        }

        Node? index;
        if (access.ArgumentList.Arguments.Count == 2 && f.Model.GetSymbolInfo(access.Expression, _ct).Symbol is ISymbol m && _matrixDims.ContainsKey(m))
        {
            index = MatrixElement(m, access.ArgumentList.Arguments, f, env); // a[i, j] of a local matrix
        }
        else if (access.ArgumentList.Arguments.Count != 1)
        {
            Unsupported(target, "array access", "one index is supported");
            return true;
        }
        else
        {
            index = ElementIndex(access.ArgumentList.Arguments[0].Expression, view, f, env);
        }

        if (index is null)
        {
            return true;
        }

        Node? v = value(G.Load(array.Id, array.ElementType, index));
        if (v is null)
        {
            return true;
        }

        Node stored = Convert(v, array.ElementType);
        Flush(env, b => b.Store = (array, index, stored));
        return true;
    }

    /// <summary>
    /// The bulk operations of spans and arrays, as statements: <c>src.CopyTo(dst)</c> (spans, arrays, and an array's
    /// <c>CopyTo(dst, index)</c>), <c>dst.Fill(v)</c>, <c>dst.Clear()</c>, <c>Array.Fill(dst, v)</c>, <c>Array.Clear(dst)</c>,
    /// <c>Array.Clear(dst, index, length)</c>, <c>Array.Copy(src, dst, length)</c> and
    /// <c>Array.Copy(src, srcIndex, dst, dstIndex, length)</c>: each a counted loop of element stores into a local buffer
    /// (a view of one: slices and ranges too), differentiated as that loop would be. False when the call is none of these.
    /// </summary>
    private bool TryLowerBulkCall(InvocationExpressionSyntax inv, Frame f, Env env)
    {
        if (_program is null || f.Model.GetSymbolInfo(inv, _ct).Symbol is not IMethodSymbol m)
        {
            return false;
        }

        string owner = (m.ReducedFrom ?? m).ContainingType.OriginalDefinition.ToDisplayString();
        bool onSpan = owner is "System.Span<T>" or "System.ReadOnlySpan<T>" or "System.MemoryExtensions" or "System.Array";
        var args = inv.ArgumentList.Arguments;
        if (!onSpan || args.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            return false;
        }

        // The span or array the method is called on (an instance method, or an extension method called as one).
        ExpressionSyntax? receiver = inv.Expression is MemberAccessExpressionSyntax access && (!m.IsStatic || m.ReducedFrom is not null) ? access.Expression : null;
        bool isStaticArray = owner == "System.Array" && m.IsStatic;
        switch (m.Name)
        {
            case "CopyTo" when receiver is not null && (args.Count == 1 || (args.Count == 2 && owner == "System.Array")):
                return BulkCopy(inv, receiver, null, args[0].Expression, args.Count == 2 ? args[1].Expression : null, null, f, env);
            case "Copy" when isStaticArray && args.Count == 3:
                return BulkCopy(inv, args[0].Expression, null, args[1].Expression, null, args[2].Expression, f, env);
            case "Copy" when isStaticArray && args.Count == 5:
                return BulkCopy(inv, args[0].Expression, args[1].Expression, args[2].Expression, args[3].Expression, args[4].Expression, f, env);
            case "Fill" when receiver is not null && !isStaticArray && args.Count == 1:
                return BulkFill(inv, receiver, null, null, args[0].Expression, f, env);
            case "Fill" when isStaticArray && args.Count == 2:
                return BulkFill(inv, args[0].Expression, null, null, args[1].Expression, f, env);
            case "Clear" when receiver is not null && !isStaticArray && args.Count == 0:
                return BulkFill(inv, receiver, null, null, null, f, env);
            case "Clear" when isStaticArray && args.Count is 1 or 3:
                return BulkFill(inv, args[0].Expression, args.Count == 3 ? args[1].Expression : null, args.Count == 3 ? args[2].Expression : null, null, f, env);
            default:
                return false;
        }
    }

    private bool BulkCopy(InvocationExpressionSyntax inv, ExpressionSyntax source, ExpressionSyntax? sourceIndex, ExpressionSyntax destination, ExpressionSyntax? destinationIndex, ExpressionSyntax? length, Frame f, Env env)
    {
        if (ViewOf(source, f, env) is not ArrayView from)
        {
            Unsupported(source, "copy from '" + source + "'", "a copy reads an array or span (a parameter, a local buffer, a slice of one)");
            return true;
        }

        if (BulkTarget(destination, f, env) is not ArrayView to)
        {
            return true;
        }

        if (from.Array == to.Array)
        {
            Unsupported(inv, "copy within one buffer", "the elements may overlap; copy through a second buffer, or write a loop in the order you mean");
            return true;
        }

        Node? start = sourceIndex is null ? G.IConst(0) : IntArgument(sourceIndex, f, env);
        Node? at = destinationIndex is null ? G.IConst(0) : IntArgument(destinationIndex, f, env);
        Node? count = length is null ? G.IntOp(Op.ISub, from.Length, start ?? G.IConst(0)) : IntArgument(length, f, env);
        if (start is null || at is null || count is null)
        {
            return true;
        }

        BulkLoop(count, k => from.Load(G, G.IntOp(Op.IAdd, start, k)), to, at, env);
        return true;
    }

    private bool BulkFill(InvocationExpressionSyntax inv, ExpressionSyntax destination, ExpressionSyntax? index, ExpressionSyntax? length, ExpressionSyntax? value, Frame f, Env env)
    {
        if (BulkTarget(destination, f, env) is not ArrayView to)
        {
            return true;
        }

        Node? at = index is null ? G.IConst(0) : IntArgument(index, f, env);
        Node? count = length is null ? to.Length : IntArgument(length, f, env);
        Node v = value is null ? G.Zero : Lower(value, f, env);
        if (at is null || count is null)
        {
            return true;
        }

        v = Stable(Convert(v, to.Array.ElementType), "fill", env);
        BulkLoop(count, _ => v, to, at, env);
        return true;
    }

    /// <summary>The buffer a bulk operation writes: a local one (or a view of one); null after an error.</summary>
    private ArrayView? BulkTarget(ExpressionSyntax destination, Frame f, Env env)
    {
        if (ViewOf(destination, f, env) is not ArrayView to)
        {
            Unsupported(destination, "write into '" + destination + "'", "a copy, fill or clear writes a local buffer (new double[n], stackalloc) or a slice of one");
            return null;
        }

        return Writable(to, destination) ? to : null;
    }

    /// <summary>
    /// Whether the elements of <paramref name="view"/> may be written here: not a parameter's (read only), not through a
    /// second name for a buffer. Reports at <paramref name="at"/> when not.
    /// </summary>
    private bool Writable(ArrayView view, SyntaxNode at)
    {
        IrArray array = view.Array;
        if (array.Kind == ArrayKind.Parameter)
        {
            Unsupported(at, "write into parameter '" + array.Name + "'", "parameters are read only in a [Differentiable] method; copy into a local buffer (new double[n]) and write there");
            return false;
        }

        if (view.SecondName is string second)
        {
            Unsupported(at, "write through '" + second + "'", "'" + second + "' is a second name for the elements of '" + array.Name + "'; write through '" + array.Name + "' itself (reading through a second name is fine)");
            return false;
        }

        return true;
    }

    private Node? IntArgument(ExpressionSyntax e, Frame f, Env env) => IntExpression(e, "index or length", "an index or a length must be an int", f, env);

    /// <summary>An int expression, lowered; null after reporting <paramref name="what"/> when it is not one.</summary>
    private Node? IntExpression(ExpressionSyntax e, string what, string why, Frame f, Env env)
    {
        Node n = Lower(e, f, env);
        if (!Graph.IsIntLike(n))
        {
            Unsupported(e, what, why);
            return null;
        }

        return G.I(n);
    }

    /// <summary>for (k = 0; k &lt; count; k++) to[at + k] = element(k): the loop a bulk operation stands for.</summary>
    private void BulkLoop(Node count, Func<Node, Node> element, ArrayView to, Node at, Env env)
    {
        count = Stable(count, "count", env);
        at = Stable(at, "at", env);
        IrVar index = _program!.AddVar("k", VarType.Int);
        env.SetFlag(index, G.IConst(0));
        Flush(env);
        var loop = new LoopStmt(G.Compare(Op.Less, VarNode(index), count));
        _out.Add(loop);
        List<Stmt> saved = _out;
        _out = loop.Body;
        try
        {
            Node k = VarNode(index);
            Node stored = Convert(element(k), to.Array.ElementType);
            Node target = G.IntOp(Op.IAdd, to.Offset, G.IntOp(Op.IAdd, at, k));
            env.SetFlag(index, G.IntOp(Op.IAdd, k, G.IConst(1)));
            Flush(env, b => b.Store = (to.Array, target, stored));
        }
        finally
        {
            _out = saved;
        }
    }

    /// <summary>An element read, <c>a[i]</c>, from an array or span parameter or a local array (null when not one).</summary>
    private Node? TryLoad(ElementAccessExpressionSyntax access, Frame f, Env env)
    {
        if (_program is not null && ShapedOf(access.Expression, f) is { Shape: ArrayShape.Matrix } matrix)
        {
            // X[i, j] of a matrix.
            if (access.ArgumentList.Arguments.Count != 2)
            {
                return Unsupported(access, "matrix access", "a matrix is read as X[i, j]");
            }

            Node? i = ShapedIndex(access.ArgumentList.Arguments[0].Expression, f, env);
            Node? j = ShapedIndex(access.ArgumentList.Arguments[1].Expression, f, env);
            return i is null || j is null ? G.Zero : G.Load2(matrix.Id, matrix.ElementType, i, j);
        }

        if (_program is not null && IsJaggedRow(access.Expression, f) && access.ArgumentList.Arguments.Count == 1
            && access.ArgumentList.Arguments[0].Expression is not RangeExpressionSyntax)
        {
            // X[i][j], read at once: the row index needs no variable of its own.
            if (JaggedRow(access.Expression, f, env) is not ArrayView jaggedRow)
            {
                return G.Zero;
            }

            Node? column = ElementIndex(access.ArgumentList.Arguments[0].Expression, jaggedRow, f, env);
            return column is null ? G.Zero : G.Load2(jaggedRow.Array.Id, jaggedRow.Array.ElementType, jaggedRow.Row!, column);
        }

        if (_program is null || ViewOf(access.Expression, f, env) is not ArrayView view)
        {
            return null;
        }

        if (access.ArgumentList.Arguments.Count == 2 && f.Model.GetSymbolInfo(access.Expression, _ct).Symbol is ISymbol m && _matrixDims.ContainsKey(m))
        {
            return MatrixElement(m, access.ArgumentList.Arguments, f, env) is Node flat ? G.Load(view.Array.Id, view.Array.ElementType, flat) : G.Zero;
        }

        if (access.ArgumentList.Arguments.Count != 1)
        {
            return Unsupported(access, "array access", "one index is supported");
        }

        ExpressionSyntax indexSyntax = access.ArgumentList.Arguments[0].Expression;
        if (indexSyntax is RangeExpressionSyntax)
        {
            return Unsupported(indexSyntax, "range", "a range is a span: pass it to a helper or declare it (ReadOnlySpan<double> r = a[s..e];), then index it");
        }

        return ElementIndex(indexSyntax, view, f, env) is not Node index ? G.Zero
            : view.Row is Node row ? G.Load2(view.Array.Id, view.Array.ElementType, row, index)
            : G.Load(view.Array.Id, view.Array.ElementType, index);
    }

    /// <summary>The index into the underlying array of element <paramref name="e"/> of a view (<c>^k</c> counts from its end).</summary>
    private Node? ElementIndex(ExpressionSyntax e, ArrayView view, Frame f, Env env)
    {
        Node? i = IntOperand(e, view, f, env);
        return i is null ? null : G.IntOp(Op.IAdd, view.Offset, i);
    }
}

/// <summary>
/// Elements <c>Offset</c> … <c>Offset + Length − 1</c> of a program array: the whole array for a parameter or local
/// buffer, a window for a slice or range. Both bounds are stable (constants or variables set where the slice is taken).
/// </summary>
internal sealed record ArrayView(IrArray Array, Node Offset, Node Length)
{
    /// <summary>Set when this name is a second name for another buffer's elements (read only through it).</summary>
    public string? SecondName { get; init; }

    /// <summary>For a row of a jagged array (<c>X[i]</c>): the row index, fixed where the row was taken.</summary>
    public Node? Row { get; init; }

    public Node Load(Graph g, Node index) => Row is Node row
        ? g.Load2(Array.Id, Array.ElementType, row, g.IntOp(Op.IAdd, Offset, index))
        : g.Load(Array.Id, Array.ElementType, g.IntOp(Op.IAdd, Offset, index));
}
