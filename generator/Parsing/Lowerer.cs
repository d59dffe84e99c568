using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Parsing;

/// <summary>
/// Lowers a method body to the expression DAG by symbolic execution in SSA form: every assignment
/// binds a variable to a node; <c>if</c>/<c>else</c> and <c>?:</c> merge the two sides with φ-nodes
/// (<see cref="Op.Select"/>); an early <c>return</c> is tracked by a "has returned" guard; calls to
/// methods whose source is in the compilation are inlined (shared subexpressions stay shared).
/// </summary>
internal sealed partial class Lowerer
{
    private readonly Compilation _compilation;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _ct;
    private readonly List<IMethodSymbol> _callStack = new();
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = new();

    // Local arrays whose declaration already got an error: later uses stay quiet instead of cascading.
    private readonly HashSet<ISymbol> _failedArrays = new(SymbolEqualityComparer.Default);

    // Locals found poisoned (see IsPoisoned): reads and writes of them stay quiet.
    private readonly HashSet<ISymbol> _poisoned = new(SymbolEqualityComparer.Default);

    // Diagnostics of arguments that SymGrad cannot pass (see LowerInvocation), kept back until the call is known to be fine.
    private List<DiagnosticInfo>? _heldArgumentDiagnostics;

    /// <param name="compilation">The compilation (helpers' semantic models come from it).</param>
    /// <param name="diagnostics">Where diagnostics go.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="rules">Where calls look for custom derivative rules (null: no custom rules).</param>
    public Lowerer(Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken ct, RuleIndex? rules = null)
    {
        _compilation = compilation;
        _diagnostics = diagnostics;
        _ct = ct;
        Graph = new Graph();
        _customs = rules is null ? null : new CustomRegistry(Graph, rules);
    }

    /// <summary>A lowerer of a rule's body into <paramref name="graph"/>, sharing <paramref name="customs"/>.</summary>
    private Lowerer(Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken ct, Graph graph, CustomRegistry customs)
    {
        _compilation = compilation;
        _diagnostics = diagnostics;
        _ct = ct;
        Graph = graph;
        _customs = customs;
        _isRuleBody = true;
    }

    public Graph Graph { get; }

    /// <summary>
    /// The real type. A <c>float</c> method: <c>float</c> is the real type (locals, casts, helpers, static fields,
    /// MathF, SymMathF and the float overloads of Math), the graph rounds its constants to float, and a <c>double</c>
    /// value anywhere in the body is SG0018 (the generated code computes in float only). A generic method: its type
    /// parameter is the real type (and a helper's own type parameter, bound to it), <c>T.Exp</c>, <c>T.One</c>,
    /// <c>T.CreateChecked(2.0)</c> and SymMath&lt;T&gt; are its functions and constants, and a double or float value in
    /// the body is SG0019.
    /// </summary>
    public RealKind Real
    {
        get => Graph.Real;
        init => Graph.Real = value;
    }

    /// <summary>A <c>float</c> method (see <see cref="Real"/>).</summary>
    public bool Float => Graph.IsFloat;

    /// <summary>A generic method (see <see cref="Real"/>).</summary>
    public bool Generic => Graph.Real == RealKind.Generic;

    /// <summary>Whether <paramref name="t"/> is the method's real type: <c>double</c>, <c>float</c> in a float method, a type parameter in a generic one.</summary>
    private bool IsReal(ITypeSymbol? t) => Generic ? t is ITypeParameterSymbol : t?.SpecialType == (Float ? SpecialType.System_Single : SpecialType.System_Double);

    /// <summary>A floating-point type that is not the real type: double in a float method, double or float in a generic one.</summary>
    private bool IsForeignReal(ITypeSymbol? t) => t?.SpecialType switch
    {
        SpecialType.System_Double => Real != RealKind.Double,
        SpecialType.System_Single => Generic,
        _ => false,
    };

    /// <summary>SG0018 in a float method, SG0019 in a generic one: <paramref name="what"/> is not in the real type.</summary>
    private Node ReportForeignReal(SyntaxNode at, string what, string? advice = null)
        => Report(ForeignRealDiagnostic, at, what, _callStack[0].Name, advice ?? ForeignRealAdvice);

    private void ReportForeignReal(SyntaxToken at, string what, string? advice = null)
        => Report(ForeignRealDiagnostic, at, what, _callStack[0].Name, advice ?? ForeignRealAdvice);

    private DiagnosticDescriptor ForeignRealDiagnostic => Generic ? Diagnostics.GenericMethod : Diagnostics.FloatMethod;

    private string ForeignRealAdvice => Generic
        ? "a generic method computes in its type parameter, so every value in it must be of that type: use T.Exp, T.Log, SymMath<T>.Sigmoid, T.One and T.CreateChecked(0.5), or make the method double"
        : "a float method is differentiated in float, so every value in it must be float: use MathF and SymMathF (not Math and SymMath), f-suffixed literals and float locals, or make the method double";

    private Graph G => Graph;

    public Node? LowerEntry(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model)
    {
        _models[syntax.SyntaxTree] = model;
        for (int k = 0; k < Fields.Length; k++)
        {
            _fieldNodes[Fields[k]] = G.Param(k);
        }

        var args = new Node[method.Parameters.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = G.Param(Fields.Length + i);
        }

        return LowerBody(method, syntax, args);
    }

    /// <summary>The state of one function activation: its semantic model and variable bindings.</summary>
    private sealed class Frame
    {
        public Frame(SemanticModel model, IMethodSymbol method)
        {
            Model = model;
            Method = method;
        }

        public SemanticModel Model { get; }

        public IMethodSymbol Method { get; }

        /// <summary>Variables of the enclosing method that an inlined local function reads (and may not assign).</summary>
        public HashSet<ISymbol>? Captured { get; set; }

        /// <summary>
        /// For a struct-returning helper with several returns, lowered once per field: the field of each returned value
        /// that is this activation's value; −1 for a method returning a double.
        /// </summary>
        public int ReturnField { get; init; } = -1;
    }

    private sealed class Env
    {
        private readonly Dictionary<ISymbol, Node?> _values;

        // Local double arrays of compile-time length, element by element (copied on write, so clones share safely).
        private readonly Dictionary<ISymbol, Node?[]> _arrays;

        public Env()
        {
            _values = new Dictionary<ISymbol, Node?>(SymbolEqualityComparer.Default);
            _arrays = new Dictionary<ISymbol, Node?[]>(SymbolEqualityComparer.Default);
        }

        private Env(Env other)
        {
            _values = new Dictionary<ISymbol, Node?>(other._values, SymbolEqualityComparer.Default);
            _arrays = new Dictionary<ISymbol, Node?[]>(other._arrays, SymbolEqualityComparer.Default);
            _flags = new Dictionary<IrVar, Node>(other._flags);
        }

        // Program mode: variables without a symbol (control flags, temporaries) and their pending values.
        private readonly Dictionary<IrVar, Node> _flags = new();

        public IEnumerable<KeyValuePair<IrVar, Node>> Flags => _flags;

        public Node? GetFlag(IrVar v) => _flags.TryGetValue(v, out Node? n) ? n : null;

        public void SetFlag(IrVar v, Node n) => _flags[v] = n;

        public IEnumerable<ISymbol> Symbols => _values.Keys;

        public IEnumerable<ISymbol> ArraySymbols => _arrays.Keys;

        public Env Clone() => new(this);

        public Node?[]? GetArray(ISymbol s) => _arrays.TryGetValue(s, out Node?[]? a) ? a : null;

        public void SetArray(ISymbol s, Node?[] elements) => _arrays[s] = elements;

        public void SetElement(ISymbol s, int index, Node? value)
        {
            Node?[] copy = (Node?[])_arrays[s].Clone();
            copy[index] = value;
            _arrays[s] = copy;
        }

        public bool IsDeclared(ISymbol s) => _values.ContainsKey(s);

        public Node? Get(ISymbol s) => _values.TryGetValue(s, out Node? n) ? n : null;

        public void Set(ISymbol s, Node? n) => _values[s] = n;
    }

    /// <summary>The effect of a statement sequence: whether (guard) and with what value it returned, and the fall-through bindings.</summary>
    private sealed class Outcome
    {
        public Outcome(Node? guard, Node? value, Env env)
        {
            Guard = guard;
            Value = value;
            Env = env;
        }

        public Node? Guard { get; }

        public Node? Value { get; }

        public Env Env { get; }

        public bool AlwaysReturns => Guard is { Op: Op.True };

        /// <summary>Program mode: the statement always returned early, broke or continued (its flags are set).</summary>
        public bool Jumped { get; init; }
    }

    /// <summary>The field the next <see cref="LowerBody(IMethodSymbol, SyntaxNode, BlockSyntax?, ArrowExpressionClauseSyntax?, Node[], Env?)"/> returns of each struct its returns build (see <see cref="Frame.ReturnField"/>).</summary>
    private int _pendingReturnField = -1;

    /// <summary>What a return statement returns: its value, or for a struct-returning helper lowered field by field, that field.</summary>
    private Node ReturnValue(ExpressionSyntax e, Frame f, Env env)
        => f.ReturnField < 0 ? Lower(e, f, env) : LowerAggregate(e, f, env) is Node[] fields ? fields[f.ReturnField] : G.Zero;

    /// <summary>A helper returning an int or a long (an index, a count): inlined in program mode, its value an int.</summary>
    private static bool IsIntReturn(IMethodSymbol method) => method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

    private Node? LowerBody(IMethodSymbol method, MethodDeclarationSyntax syntax, Node[] args)
        => LowerBody(method, syntax, syntax.Body, syntax.ExpressionBody, args, captured: null);

    /// <summary>Lowers a method or local-function body with its parameters bound to <paramref name="args"/>.</summary>
    private Node? LowerBody(IMethodSymbol method, SyntaxNode syntax, BlockSyntax? body, ArrowExpressionClauseSyntax? expressionBody, Node[] args, Env? captured)
    {
        _callStack.Add(method);
        Node[]?[]? aggregateArgs = _pendingAggregateArgs;
        _pendingAggregateArgs = null;
        int returnField = _pendingReturnField;
        _pendingReturnField = -1;
        (INamedTypeSymbol Type, Node[] Fields)? receiver = _pendingReceiver;
        _pendingReceiver = null;
        if (receiver is not null)
        {
            _receivers.Add(receiver.Value);
        }

        // The callee's array and matrix parameters are bound to the caller's arrays for the inlining; what they were
        // bound to before (an outer activation of the same helper) comes back afterwards.
        var restore = new List<Action>();
        if (_program is not null)
        {
            for (int i = 0; i < method.Parameters.Length && _pendingShapedArgs is not null && i < _pendingShapedArgs.Length; i++)
            {
                if (_pendingShapedArgs[i] is ShapedArgument bound)
                {
                    IParameterSymbol parameter = method.Parameters[i];
                    if (bound.Shaped is IrArray shaped)
                    {
                        restore.Add(Rebind(_shaped, parameter, shaped));
                    }
                    else
                    {
                        restore.Add(Rebind(_irArrays, parameter, bound.Flat!));
                        restore.Add(Rebind(_matrixDims, parameter, bound.Dims!.Value));
                    }
                }
            }

            _pendingShapedArgs = null;
            _returns.Push(new ReturnContext { Start = (_out, _out.Count), ResultType = IsIntReturn(method) ? VarType.Int : VarType.Double });
            for (int i = 0; i < method.Parameters.Length && _pendingArrayArgs is not null && i < _pendingArrayArgs.Length; i++)
            {
                if (_pendingArrayArgs[i] is ArrayView bound)
                {
                    restore.Add(Rebind(_irArrays, method.Parameters[i], bound));
                }
            }

            _pendingArrayArgs = null;
        }

        try
        {
            var frame = new Frame(ModelFor(syntax.SyntaxTree), method) { ReturnField = returnField };
            Env env = captured?.Clone() ?? new Env();
            if (captured is not null)
            {
                frame.Captured = new HashSet<ISymbol>(captured.Symbols.Concat(captured.ArraySymbols), SymbolEqualityComparer.Default);
            }

            for (int i = 0; i < method.Parameters.Length; i++)
            {
                if (aggregateArgs is not null && i < aggregateArgs.Length && aggregateArgs[i] is Node[] aggregate)
                {
                    SetAggregate(env, method.Parameters[i], aggregate);
                }
                else if (_program is null || !_irArrays.ContainsKey(method.Parameters[i]))
                {
                    Bind(env, method.Parameters[i], args[i]);
                }
            }

            if (expressionBody is not null)
            {
                return Lower(expressionBody.Expression, frame, env);
            }

            if (body is null)
            {
                return null;
            }

            Outcome o = LowerStatements(body.Statements, frame, env);
            if (_program is not null && _returns.Peek().Value is IrVar result)
            {
                // Some path returned early: every return wrote the result variable.
                if (o.AlwaysReturns)
                {
                    o.Env.SetFlag(result, Convert(o.Value!, result.Type));
                }

                Flush(o.Env);
                return VarNode(result);
            }

            return o.Value;
        }
        finally
        {
            _callStack.RemoveAt(_callStack.Count - 1);
            if (receiver is not null)
            {
                _receivers.RemoveAt(_receivers.Count - 1);
            }

            if (_program is not null)
            {
                _returns.Pop();
                for (int k = restore.Count - 1; k >= 0; k--)
                {
                    restore[k]();
                }
            }
        }
    }

    /// <summary>Binds <paramref name="key"/> to <paramref name="value"/>; the action returned puts back what it was bound to (or nothing).</summary>
    private static Action Rebind<T>(Dictionary<ISymbol, T> map, ISymbol key, T value)
    {
        bool had = map.TryGetValue(key, out T? old);
        map[key] = value;
        return had ? () => map[key] = old! : () => map.Remove(key);
    }

    private SemanticModel ModelFor(SyntaxTree tree)
    {
        if (!_models.TryGetValue(tree, out SemanticModel? model))
        {
            model = _compilation.GetSemanticModel(tree);
            _models[tree] = model;
        }

        return model;
    }

    // ------------------------------------------------------------------ diagnostics

    /// <summary>
    /// Whether <paramref name="symbol"/> is a local whose declaration already has an error (<c>var (a, b) = Helper(x)</c>,
    /// a local of a type SymGrad does not support): it was never bound, and each later use of it would otherwise report
    /// "'a' is not a local variable" about a name the user did declare. One cause, one diagnostic.
    /// </summary>
    private bool IsPoisoned(ISymbol symbol)
    {
        if (symbol is not ILocalSymbol)
        {
            return false;
        }

        if (_poisoned.Contains(symbol) || _failedArrays.Contains(symbol))
        {
            return true;
        }

        foreach (SyntaxReference declaration in symbol.DeclaringSyntaxReferences)
        {
            string path = declaration.SyntaxTree.FilePath;
            if (_diagnostics.Any(d => d.Location is LocationInfo at && at.FilePath == path && at.Span.OverlapsWith(declaration.Span)
                && Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error))
            {
                _poisoned.Add(symbol);
                return true;
            }
        }

        return false;
    }

    private Node Unsupported(SyntaxNode at, string what, string why) => Report(Diagnostics.UnsupportedExpression, at, what, why);

    private Node Report(DiagnosticDescriptor d, SyntaxNode at, params string[] args)
    {
        _diagnostics.Add(DiagnosticInfo.Create(d, LocationInfo.From(at), WithCallChain(d, args)));
        return G.Zero;
    }

    private void Report(DiagnosticDescriptor d, SyntaxToken at, params string[] args)
        => _diagnostics.Add(DiagnosticInfo.Create(d, LocationInfo.From(at.GetLocation()), WithCallChain(d, args)));

    /// <summary>Inside a helper, the message says which [Differentiable] method reached it, and how.</summary>
    private string[] WithCallChain(DiagnosticDescriptor d, string[] args)
    {
        // The chain goes at the end of the message: only when the message ends with its last argument.
        string format = d.MessageFormat.ToString(CultureInfo.InvariantCulture).TrimEnd('.', ' ');
        if (_callStack.Count < 2 || args.Length == 0 || d == Diagnostics.Recursion || !format.EndsWith("{" + (args.Length - 1).ToString(CultureInfo.InvariantCulture) + "}", StringComparison.Ordinal))
        {
            return args;
        }

        string[] copy = (string[])args.Clone();
        copy[copy.Length - 1] += " (in '" + _callStack[_callStack.Count - 1].Name + "', called as " + string.Join(" → ", _callStack.Select(m => m.Name)) + ")";
        return copy;
    }

    private static string Describe(SyntaxNode n)
    {
        if (n.IsKind(SyntaxKind.ForEachVariableStatement))
        {
            return "foreach with deconstruction"; // foreach (var (x, y) in pairs)
        }

        string kind = n.Kind().ToString();
        foreach (string suffix in new[] { "Statement", "Expression" })
        {
            if (kind.EndsWith(suffix, StringComparison.Ordinal) && kind.Length > suffix.Length)
            {
                kind = kind.Substring(0, kind.Length - suffix.Length);
            }
        }

        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < kind.Length; i++)
        {
            if (i > 0 && char.IsUpper(kind[i]))
            {
                sb.Append(' ');
            }

            sb.Append(char.ToLowerInvariant(kind[i]));
        }

        return sb.ToString();
    }
}
