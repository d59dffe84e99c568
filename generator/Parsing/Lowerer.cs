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
internal sealed class Lowerer
{
    private readonly Compilation _compilation;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _ct;
    private readonly List<IMethodSymbol> _callStack = new();
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = new();

    // Local arrays whose declaration already got an error: later uses stay quiet instead of cascading.
    private readonly HashSet<ISymbol> _failedArrays = new(SymbolEqualityComparer.Default);

    public Lowerer(Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        _compilation = compilation;
        _diagnostics = diagnostics;
        _ct = ct;
    }

    public Graph Graph { get; } = new();

    private Graph G => Graph;

    public Node? LowerEntry(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model)
    {
        _models[syntax.SyntaxTree] = model;
        var args = new Node[method.Parameters.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = G.Param(i);
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
        }

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
    }

    private Node? LowerBody(IMethodSymbol method, MethodDeclarationSyntax syntax, Node[] args)
        => LowerBody(method, syntax, syntax.Body, syntax.ExpressionBody, args, captured: null);

    /// <summary>Lowers a method or local-function body with its parameters bound to <paramref name="args"/>.</summary>
    private Node? LowerBody(IMethodSymbol method, SyntaxNode syntax, BlockSyntax? body, ArrowExpressionClauseSyntax? expressionBody, Node[] args, Env? captured)
    {
        _callStack.Add(method);
        try
        {
            var frame = new Frame(ModelFor(syntax.SyntaxTree), method);
            Env env = captured?.Clone() ?? new Env();
            if (captured is not null)
            {
                frame.Captured = new HashSet<ISymbol>(captured.Symbols.Concat(captured.ArraySymbols), SymbolEqualityComparer.Default);
            }

            for (int i = 0; i < method.Parameters.Length; i++)
            {
                env.Set(method.Parameters[i], args[i]);
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
            return o.Value;
        }
        finally
        {
            _callStack.RemoveAt(_callStack.Count - 1);
        }
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

    // ------------------------------------------------------------------ statements

    private Outcome LowerStatements(IEnumerable<StatementSyntax> statements, Frame f, Env env)
    {
        var seq = new Sequence(G, env);
        foreach (StatementSyntax s in statements)
        {
            _ct.ThrowIfCancellationRequested();
            if (seq.Then(LowerStatement(s, f, seq.Env)))
            {
                break;
            }
        }

        return seq.Result;
    }

    /// <summary>Runs statements one after another, merging early returns: value = returnedBefore ? earlier : later.</summary>
    private sealed class Sequence
    {
        private readonly Graph _g;
        private Node? _guard;
        private Node? _value;

        public Sequence(Graph g, Env env)
        {
            _g = g;
            Env = env;
        }

        public Env Env { get; private set; }

        public Outcome Result => new(_guard, _value, Env);

        /// <summary>Appends one statement's outcome; true when every path has returned (the rest is unreachable).</summary>
        public bool Then(Outcome o)
        {
            if (o.Guard is not null && o.Value is not null)
            {
                if (_guard is null || _value is null)
                {
                    _guard = o.Guard;
                    _value = o.Value;
                }
                else
                {
                    _value = _g.Select(_guard, _value, o.Value);
                    _guard = _g.Or(_guard, o.Guard);
                }
            }

            Env = o.Env;
            return _guard is { Op: Op.True };
        }
    }

    private Outcome LowerStatement(StatementSyntax s, Frame f, Env env)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        switch (s)
        {
            case BlockSyntax block:
                return LowerStatements(block.Statements, f, env);

            case EmptyStatementSyntax:
            case LocalFunctionStatementSyntax:
                // A local function is inlined where it is called.
                return new Outcome(null, null, env);

            case LocalDeclarationStatementSyntax decl:
                LowerDeclaration(decl, f, env);
                return new Outcome(null, null, env);

            case ExpressionStatementSyntax es:
                LowerExpressionStatement(es.Expression, f, env);
                return new Outcome(null, null, env);

            case ReturnStatementSyntax ret:
                if (ret.Expression is null)
                {
                    Report(Diagnostics.UnsupportedStatement, ret, "return", "a value must be returned");
                    return new Outcome(G.Bool(true), G.Zero, env);
                }

                return new Outcome(G.Bool(true), Lower(ret.Expression, f, env), env);

            case IfStatementSyntax ifs:
                return LowerIf(ifs, f, env);

            case SwitchStatementSyntax sw:
                return LowerSwitchStatement(sw, f, env);

            case ForStatementSyntax loop:
                return LowerFor(loop, f, env);

            case WhileStatementSyntax loop:
                return LowerLoop(loop, loop.Condition, loop.Statement, Array.Empty<ExpressionSyntax>(), f, env);

            case ForEachStatementSyntax each:
                return LowerForEach(each, f, env);

            case DoStatementSyntax:
                Report(Diagnostics.UnsupportedStatement, s.GetFirstToken(), "loop", "only for, while and foreach loops with a trip count known at compile time are supported (they are unrolled)");
                return new Outcome(null, null, env);

            default:
                Report(Diagnostics.UnsupportedStatement, s.GetFirstToken(), Describe(s), "only local declarations, assignments, if/else and return are supported");
                return new Outcome(null, null, env);
        }
    }

    /// <summary>Most iterations a loop may be unrolled to.</summary>
    private const int MaxUnroll = 10_000;

    private Outcome LowerFor(ForStatementSyntax loop, Frame f, Env env)
    {
        env = env.Clone();
        if (loop.Declaration is not null)
        {
            LowerVariables(loop.Declaration, f, env);
        }

        foreach (ExpressionSyntax init in loop.Initializers)
        {
            LowerExpressionStatement(init, f, env);
        }

        return LowerLoop(loop, loop.Condition, loop.Statement, loop.Incrementors, f, env);
    }

    /// <summary>
    /// Unrolls a loop whose condition folds to a constant in every iteration (a compile-time trip count,
    /// e.g. <c>for (int i = 0; i &lt; 3; i++)</c>): the body is lowered once per iteration, in SSA form.
    /// </summary>
    private Outcome LowerLoop(StatementSyntax loop, ExpressionSyntax? condition, StatementSyntax body, IEnumerable<ExpressionSyntax> incrementors, Frame f, Env env)
    {
        if (ContainsJump(body))
        {
            Report(Diagnostics.UnsupportedStatement, loop.GetFirstToken(), "loop", "break, continue and goto are not supported in loops");
            return new Outcome(null, null, env);
        }

        var seq = new Sequence(G, env);
        for (int iteration = 0; ; iteration++)
        {
            _ct.ThrowIfCancellationRequested();
            if (iteration >= MaxUnroll)
            {
                Report(Diagnostics.UnsupportedStatement, loop.GetFirstToken(), "loop", "it runs more than " + MaxUnroll + " iterations, too many to unroll");
                break;
            }

            if (condition is not null)
            {
                Node c = LowerCondition(condition, f, seq.Env);
                if (c.Op == Op.False)
                {
                    break;
                }

                if (c.Op != Op.True)
                {
                    Report(Diagnostics.UnsupportedStatement, loop.GetFirstToken(), "loop", "its condition depends on double values; only loops with a trip count known at compile time can be unrolled");
                    break;
                }
            }
            else
            {
                Report(Diagnostics.UnsupportedStatement, loop.GetFirstToken(), "loop", "a loop without a condition never ends");
                break;
            }

            if (seq.Then(LowerStatement(body, f, seq.Env.Clone())))
            {
                break;
            }

            foreach (ExpressionSyntax inc in incrementors)
            {
                LowerExpressionStatement(inc, f, seq.Env);
            }
        }

        return seq.Result;
    }

    /// <summary>Unrolls <c>foreach (var v in a)</c> over a local array (or array expression) of compile-time length.</summary>
    private Outcome LowerForEach(ForEachStatementSyntax loop, Frame f, Env env)
    {
        if (ContainsJump(loop.Statement))
        {
            Report(Diagnostics.UnsupportedStatement, loop.GetFirstToken(), "loop", "break, continue and goto are not supported in loops");
            return new Outcome(null, null, env);
        }

        bool isArrayValue = loop.Expression is InitializerExpressionSyntax or ImplicitArrayCreationExpressionSyntax or ArrayCreationExpressionSyntax or CollectionExpressionSyntax
            || (f.Model.GetSymbolInfo(loop.Expression, _ct).Symbol is ISymbol s && env.GetArray(s) is not null);
        if (!isArrayValue || f.Model.GetDeclaredSymbol(loop, _ct) is not ILocalSymbol variable || variable.Type.SpecialType != SpecialType.System_Double)
        {
            Report(Diagnostics.UnsupportedStatement, loop.GetFirstToken(), "foreach loop", "only foreach over a local double array of compile-time length is supported (it is unrolled)");
            return new Outcome(null, null, env);
        }

        Node?[]? elements = f.Model.GetSymbolInfo(loop.Expression, _ct).Symbol is ISymbol arraySymbol && env.GetArray(arraySymbol) is Node?[] current
            ? current
            : LowerArrayValue(loop.Expression, f, env);
        if (loop.Statement.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is ElementAccessExpressionSyntax ea && ea.Expression.ToString() == loop.Expression.ToString())
            || loop.Statement.DescendantNodes().OfType<PostfixUnaryExpressionSyntax>().Any(u => u.Operand is ElementAccessExpressionSyntax ea && ea.Expression.ToString() == loop.Expression.ToString()))
        {
            Report(Diagnostics.UnsupportedStatement, loop.GetFirstToken(), "foreach loop", "the loop body assigns elements of the array it iterates over");
            return new Outcome(null, null, env);
        }

        var seq = new Sequence(G, env);
        foreach (Node? element in elements ?? Array.Empty<Node?>())
        {
            Env iteration = seq.Env.Clone();
            Bind(iteration, variable, element);
            if (seq.Then(LowerStatement(loop.Statement, f, iteration)))
            {
                break;
            }
        }

        return seq.Result;
    }

    private static bool ContainsJump(StatementSyntax body)
        => body.DescendantNodesAndSelf(n => n is not (ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax) || n == body)
            .Any(n => n is BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax);

    private Outcome LowerIf(IfStatementSyntax ifs, Frame f, Env env)
        => Branch(
            LowerCondition(ifs.Condition, f, env),
            e => LowerStatement(ifs.Statement, f, e),
            ifs.Else is null ? null : e => LowerStatement(ifs.Else.Statement, f, e),
            env);

    /// <summary>
    /// <c>switch</c> over a double as an if/else-if chain: each section's labels (constant, relational or discard
    /// patterns, <c>when</c> clauses) form its condition, the first match runs, <c>default</c> runs otherwise.
    /// A section ends in <c>break</c> or <c>return</c>; no other jumps are supported.
    /// </summary>
    private Outcome LowerSwitchStatement(SwitchStatementSyntax sw, Frame f, Env env)
    {
        Node value = Lower(sw.Expression, f, env);
        var sections = new List<(Node Condition, List<StatementSyntax> Body)>();
        List<StatementSyntax>? fallback = null;
        foreach (SwitchSectionSyntax section in sw.Sections)
        {
            var body = section.Statements.SelectMany(st => st is BlockSyntax b ? (IEnumerable<StatementSyntax>)b.Statements : new[] { st }).ToList();
            if (body.Count > 0 && body[body.Count - 1] is BreakStatementSyntax)
            {
                body.RemoveAt(body.Count - 1);
            }

            if (body.Any(st => ContainsJump(st)))
            {
                Report(Diagnostics.UnsupportedStatement, sw.SwitchKeyword, "switch", "a section may end in break or return, but contain no other break, continue or goto");
                return new Outcome(null, null, env);
            }

            Node? condition = null;
            foreach (SwitchLabelSyntax label in section.Labels)
            {
                Node? match = label switch
                {
                    DefaultSwitchLabelSyntax => null,
                    CaseSwitchLabelSyntax c => G.Compare(Op.Eq, value, Lower(c.Value, f, env)),
                    CasePatternSwitchLabelSyntax p => p.WhenClause is null
                        ? LowerPattern(p.Pattern, value, f, env)
                        : G.And(LowerPattern(p.Pattern, value, f, env), LowerCondition(p.WhenClause.Condition, f, env)),
                    _ => G.Bool(false),
                };
                if (match is null)
                {
                    fallback = body;
                }
                else
                {
                    condition = condition is null ? match : G.Or(condition, match);
                }
            }

            if (condition is not null)
            {
                sections.Add((condition, body));
            }
        }

        Outcome Chain(int i, Env e)
            => i < sections.Count
                ? Branch(sections[i].Condition, t => LowerStatements(sections[i].Body, f, t), rest => Chain(i + 1, rest), e)
                : fallback is null ? new Outcome(null, null, e) : LowerStatements(fallback, f, e);

        return Chain(0, env);
    }

    /// <summary>An if/else on a lowered condition: both sides lowered, returns and variables merged with φ-nodes.</summary>
    private Outcome Branch(Node c, Func<Env, Outcome> whenTrue, Func<Env, Outcome>? whenFalse, Env env)
    {
        if (c.Op == Op.True)
        {
            return whenTrue(env.Clone());
        }

        if (c.Op == Op.False)
        {
            return whenFalse is null ? new Outcome(null, null, env) : whenFalse(env.Clone());
        }

        Outcome t = whenTrue(env.Clone());
        Outcome e = whenFalse is null ? new Outcome(null, null, env) : whenFalse(env.Clone());

        Node? guard = null;
        Node? value = null;
        if (t.Guard is not null || e.Guard is not null)
        {
            guard = G.Or(G.And(c, t.Guard ?? G.Bool(false)), G.And(G.Not(c), e.Guard ?? G.Bool(false)));
            value = t.Value is not null && e.Value is not null ? G.Select(c, t.Value, e.Value) : t.Value ?? e.Value;
        }

        Env merged;
        if (t.AlwaysReturns)
        {
            merged = e.Env;
        }
        else if (e.AlwaysReturns)
        {
            merged = t.Env;
        }
        else
        {
            merged = env.Clone();
            foreach (ISymbol sym in env.Symbols.ToList())
            {
                Node? a = t.Env.Get(sym);
                Node? b = e.Env.Get(sym);
                merged.Set(sym, a is not null && b is not null ? G.Select(c, a, b) : null);
            }

            foreach (ISymbol sym in env.ArraySymbols.ToList())
            {
                Node?[]? a = t.Env.GetArray(sym);
                Node?[]? b = e.Env.GetArray(sym);
                if (a is null || b is null || a.Length != b.Length)
                {
                    continue;
                }

                var elements = new Node?[a.Length];
                for (int i = 0; i < a.Length; i++)
                {
                    elements[i] = a[i] is not null && b[i] is not null ? G.Select(c, a[i]!, b[i]!) : null;
                }

                merged.SetArray(sym, elements);
            }
        }

        return new Outcome(guard, value, merged);
    }

    private void LowerDeclaration(LocalDeclarationStatementSyntax decl, Frame f, Env env)
    {
        if (decl.IsConst)
        {
            return; // uses are folded through the semantic model's constant values
        }

        LowerVariables(decl.Declaration, f, env);
    }

    private void LowerVariables(VariableDeclarationSyntax declaration, Frame f, Env env)
    {
        foreach (VariableDeclaratorSyntax v in declaration.Variables)
        {
            if (f.Model.GetDeclaredSymbol(v, _ct) is not ILocalSymbol local)
            {
                continue;
            }

            if (IsDoubleArray(local.Type))
            {
                Node?[]? elements = v.Initializer is null ? Array.Empty<Node?>() : LowerArrayValue(v.Initializer.Value, f, env);
                if (elements is not null)
                {
                    env.SetArray(local, elements);
                }
                else
                {
                    _failedArrays.Add(local);
                }

                continue;
            }

            bool integral = IsIntegral(local.Type);
            if (!integral && local.Type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Boolean))
            {
                Report(Diagnostics.NonDoubleType, v.Identifier, "local '" + local.Name + "'", local.Type.ToDisplayString());
                env.Set(local, G.Zero); // a placeholder, so that reading it does not report a second, misleading error
                continue;
            }

            Node? value = v.Initializer is null ? null : Lower(v.Initializer.Value, f, env);
            Bind(env, local, value);
        }
    }

    private static bool IsDoubleArray(ITypeSymbol? t) => t is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double };

    /// <summary>
    /// The elements of a local array of compile-time length: <c>{ a, b }</c>, <c>new[] { a, b }</c>,
    /// <c>new double[n]</c> (zeros), <c>[a, b]</c>, or another local array (copied by value, see the README).
    /// </summary>
    private Node?[]? LowerArrayValue(ExpressionSyntax e, Frame f, Env env)
    {
        switch (e)
        {
            case InitializerExpressionSyntax init:
                return init.Expressions.Select(x => (Node?)Lower(x, f, env)).ToArray();
            case ImplicitArrayCreationExpressionSyntax implicitCreation:
                return LowerArrayValue(implicitCreation.Initializer, f, env);
            case ArrayCreationExpressionSyntax creation when creation.Initializer is not null:
                return LowerArrayValue(creation.Initializer, f, env);
            case ArrayCreationExpressionSyntax creation when creation.Type.RankSpecifiers.Count == 1 && creation.Type.RankSpecifiers[0].Sizes.Count == 1:
            {
                Node size = Lower(creation.Type.RankSpecifiers[0].Sizes[0], f, env);
                if (!size.IsConst || size.Value < 0 || size.Value > MaxUnroll)
                {
                    Unsupported(creation, "array of run-time length", "local arrays need a length known at compile time");
                    return null;
                }

                return Enumerable.Repeat((Node?)G.Zero, (int)size.Value).ToArray();
            }

            case CollectionExpressionSyntax collection:
            {
                var elements = new List<Node?>();
                foreach (CollectionElementSyntax element in collection.Elements)
                {
                    if (element is not ExpressionElementSyntax item)
                    {
                        Unsupported(element, "collection element", "only plain elements are supported");
                        return null;
                    }

                    elements.Add(Lower(item.Expression, f, env));
                }

                return elements.ToArray();
            }

            case IdentifierNameSyntax id when f.Model.GetSymbolInfo(id, _ct).Symbol is ISymbol s && env.GetArray(s) is not null:
                // b = a would make b an alias of a in C#; elements are tracked per variable here, so that is refused.
                Unsupported(e, "array alias", "assigning one local array to another makes both names share the elements; copy the elements instead");
                return null;
            default:
                Unsupported(e, "array value", "local arrays are supported with a length known at compile time: { … }, new[] { … }, new double[n], [ … ]");
                return null;
        }
    }

    /// <summary>The element a local-array access refers to, when the array is local and the index known at compile time.</summary>
    private (ISymbol Array, int Index)? ArrayElement(ElementAccessExpressionSyntax access, Frame f, Env env)
    {
        ISymbol? array = f.Model.GetSymbolInfo(access.Expression, _ct).Symbol;
        Node?[]? elements = array is null ? null : env.GetArray(array);
        if (array is not null && _failedArrays.Contains(array))
        {
            return null; // its declaration was already reported
        }

        if (array is null || elements is null || access.ArgumentList.Arguments.Count != 1)
        {
            Unsupported(access, "array access", "only local double arrays of compile-time length can be indexed (array parameters are not supported yet)");
            return null;
        }

        Node index = Lower(access.ArgumentList.Arguments[0].Expression, f, env);
        if (!index.IsConst)
        {
            Unsupported(access, "array index", "the index must be known at compile time (a constant or a counter of an unrolled loop)");
            return null;
        }

        if (index.Value < 0 || index.Value >= elements.Length)
        {
            Unsupported(access, "array index " + index.Value.ToString(CultureInfo.InvariantCulture), "it is outside the array's " + elements.Length.ToString(CultureInfo.InvariantCulture) + " elements");
            return null;
        }

        return (array, (int)index.Value);
    }

    /// <summary>Integer locals (loop counters) are allowed while their value is known at compile time.</summary>
    private static bool IsIntegral(ITypeSymbol? t) => t?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
        or SpecialType.System_Int16 or SpecialType.System_Byte or SpecialType.System_UInt32 or SpecialType.System_UInt64
        or SpecialType.System_SByte or SpecialType.System_UInt16;

    private void Bind(Env env, ISymbol symbol, Node? value)
    {
        if (value is not null && value.Name is null && value.Op is not (Op.Const or Op.Param) && !value.IsBool)
        {
            value.Name = symbol.Name;
        }

        env.Set(symbol, value);
    }

    /// <summary>Something a statement can assign: a variable, or one element of a local array.</summary>
    private readonly record struct Place(ISymbol Symbol, int Index, string Name)
    {
        public bool IsElement => Index >= 0;
    }

    private Node? Read(Env env, Place p) => p.IsElement ? env.GetArray(p.Symbol)![p.Index] : env.Get(p.Symbol);

    private void Write(Env env, Place p, Node value)
    {
        if (p.IsElement)
        {
            env.SetElement(p.Symbol, p.Index, value);
        }
        else
        {
            Bind(env, p.Symbol, value);
        }
    }

    private void LowerExpressionStatement(ExpressionSyntax e, Frame f, Env env)
    {
        switch (e)
        {
            case AssignmentExpressionSyntax assign when assign.IsKind(SyntaxKind.SimpleAssignmentExpression) && assign.Right is TupleExpressionSyntax:
                LowerDeconstruction(assign, f, env);
                return;

            case AssignmentExpressionSyntax assign:
            {
                if (assign.IsKind(SyntaxKind.SimpleAssignmentExpression) && assign.Left is IdentifierNameSyntax
                    && f.Model.GetSymbolInfo(assign.Left, _ct).Symbol is ISymbol arraySymbol && env.GetArray(arraySymbol) is not null)
                {
                    // a = new[] { … }: the local array takes the new elements.
                    Node?[]? elements = LowerArrayValue(assign.Right, f, env);
                    if (elements is not null)
                    {
                        env.SetArray(arraySymbol, elements);
                    }

                    return;
                }

                Place? target = AssignableTarget(assign.Left, f, env);
                if (target is null)
                {
                    return;
                }

                Node rhs = Lower(assign.Right, f, env);
                if (assign.IsKind(SyntaxKind.SimpleAssignmentExpression))
                {
                    Write(env, target.Value, rhs);
                    return;
                }

                Node? current = Read(env, target.Value);
                if (current is null)
                {
                    Report(Diagnostics.Unassigned, assign.Left, target.Value.Name);
                    return;
                }

                if (IsIntegral((target.Value.Symbol as ILocalSymbol)?.Type) && assign.IsKind(SyntaxKind.DivideAssignmentExpression))
                {
                    if (!current.IsConst || !rhs.IsConst || rhs.Value == 0)
                    {
                        Report(Diagnostics.UnsupportedExpression, assign, "integer division", "integer values must be known at compile time and the divisor nonzero");
                        return;
                    }

                    Write(env, target.Value, G.Const((long)current.Value / (long)rhs.Value));
                    return;
                }

                Node? result = assign.Kind() switch
                {
                    SyntaxKind.AddAssignmentExpression => G.Add(current, rhs),
                    SyntaxKind.SubtractAssignmentExpression => G.Sub(current, rhs),
                    SyntaxKind.MultiplyAssignmentExpression => G.Mul(current, rhs),
                    SyntaxKind.DivideAssignmentExpression => G.Div(current, rhs),
                    _ => null,
                };
                if (result is null)
                {
                    Report(Diagnostics.UnsupportedExpression, assign.OperatorToken, "'" + assign.OperatorToken.Text + "' assignment", "use =, +=, -=, *= or /=");
                    return;
                }

                Write(env, target.Value, result);
                return;
            }

            case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax:
            {
                bool increment = e.IsKind(SyntaxKind.PostIncrementExpression) || e.IsKind(SyntaxKind.PreIncrementExpression);
                bool decrement = e.IsKind(SyntaxKind.PostDecrementExpression) || e.IsKind(SyntaxKind.PreDecrementExpression);
                ExpressionSyntax operand = e is PostfixUnaryExpressionSyntax post ? post.Operand : ((PrefixUnaryExpressionSyntax)e).Operand;
                if (increment || decrement)
                {
                    Place? target = AssignableTarget(operand, f, env);
                    Node? current = target is null ? null : Read(env, target.Value);
                    if (target is not null && current is null)
                    {
                        Report(Diagnostics.Unassigned, operand, target.Value.Name);
                    }

                    if (target is not null && current is not null)
                    {
                        Write(env, target.Value, increment ? G.Add(current, G.One) : G.Sub(current, G.One));
                    }

                    return;
                }

                break;
            }
        }

        Report(Diagnostics.UnsupportedStatement, e, "expression", "only assignments, compound assignments and ++/-- can stand alone as statements");
    }

    /// <summary>
    /// <c>var (a, b) = (e1, e2)</c>, <c>(double a, double b) = …</c> and <c>(a, b) = (b, a)</c>: every right-hand
    /// element is evaluated first, then assigned, so a swap works as in C#.
    /// </summary>
    private void LowerDeconstruction(AssignmentExpressionSyntax assign, Frame f, Env env)
    {
        var right = (TupleExpressionSyntax)assign.Right;
        var targets = new List<(ISymbol? Declared, ExpressionSyntax? Existing, SyntaxNode At)>();
        switch (assign.Left)
        {
            case DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax names }:
                foreach (VariableDesignationSyntax d in names.Variables)
                {
                    targets.Add((d is SingleVariableDesignationSyntax ? f.Model.GetDeclaredSymbol(d, _ct) : null, null, d));
                }

                break;
            case TupleExpressionSyntax tuple:
                foreach (ArgumentSyntax a in tuple.Arguments)
                {
                    targets.Add(a.Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax one }
                        ? (f.Model.GetDeclaredSymbol(one, _ct), null, one)
                        : (null, a.Expression, a.Expression));
                }

                break;
            default:
                Report(Diagnostics.UnsupportedExpression, assign.Left, "deconstruction", "deconstruct into (a, b), var (a, b) or (double a, double b)");
                return;
        }

        if (targets.Count != right.Arguments.Count)
        {
            Report(Diagnostics.UnsupportedExpression, assign, "deconstruction", "the two sides must have as many elements");
            return;
        }

        Node[] values = right.Arguments.Select(a => Numeric(a.Expression, f, env)).ToArray();
        for (int i = 0; i < targets.Count; i++)
        {
            (ISymbol? declared, ExpressionSyntax? existing, SyntaxNode at) = targets[i];
            if (declared is ILocalSymbol { Type.SpecialType: SpecialType.System_Double } local)
            {
                Bind(env, local, values[i]);
            }
            else if (existing is not null && AssignableTarget(existing, f, env) is Place place)
            {
                Write(env, place, values[i]);
            }
            else if (existing is null)
            {
                Report(Diagnostics.UnsupportedExpression, at, "deconstruction target", "only double variables can be assigned");
            }
        }
    }

    private Place? AssignableTarget(ExpressionSyntax left, Frame f, Env env)
    {
        if (left is ElementAccessExpressionSyntax access)
        {
            (ISymbol Array, int Index)? element = ArrayElement(access, f, env);
            if (element is null)
            {
                return null;
            }

            if (f.Captured?.Contains(element.Value.Array) == true)
            {
                Report(Diagnostics.UnsupportedExpression, left, "assignment to captured array '" + element.Value.Array.Name + "'", "a local function may read, but not assign, variables of the enclosing method");
                return null;
            }

            return new Place(element.Value.Array, element.Value.Index, element.Value.Array.Name + "[" + element.Value.Index.ToString(CultureInfo.InvariantCulture) + "]");
        }

        ISymbol? symbol = left is IdentifierNameSyntax ? f.Model.GetSymbolInfo(left, _ct).Symbol : null;
        if (symbol is not null && f.Captured?.Contains(symbol) == true)
        {
            Report(Diagnostics.UnsupportedExpression, left, "assignment to captured variable '" + symbol.Name + "'", "a local function may read, but not assign, variables of the enclosing method");
            return null;
        }

        if (symbol is ILocalSymbol or IParameterSymbol && env.IsDeclared(symbol))
        {
            return new Place(symbol, -1, symbol.Name);
        }

        Report(Diagnostics.UnsupportedExpression, left, "assignment target", "only local variables, parameters and elements of local arrays can be assigned");
        return null;
    }

    // ------------------------------------------------------------------ expressions

    private Node LowerCondition(ExpressionSyntax e, Frame f, Env env)
    {
        int reported = _diagnostics.Count;
        Node n = Lower(e, f, env);
        if (!n.IsBool)
        {
            if (_diagnostics.Count == reported)
            {
                Report(Diagnostics.UnsupportedExpression, e, "condition", "a condition must be a comparison or a logical combination of comparisons");
            }

            return G.Bool(false);
        }

        return n;
    }

    private Node Lower(ExpressionSyntax e, Frame f, Env env)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        _ct.ThrowIfCancellationRequested();
        Optional<object?> constant = f.Model.GetConstantValue(e, _ct);
        if (constant.HasValue)
        {
            switch (constant.Value)
            {
                case bool b: return G.Bool(b);
                case double d: return G.Const(d);
                case float fl: return G.Const(fl);
                case IConvertible c when constant.Value is not string and not char:
                    return G.Const(c.ToDouble(CultureInfo.InvariantCulture));
            }
        }

        switch (e)
        {
            case ParenthesizedExpressionSyntax p:
                return Lower(p.Expression, f, env);

            case CheckedExpressionSyntax ch:
                return Lower(ch.Expression, f, env);

            case CastExpressionSyntax cast:
            {
                ITypeSymbol? to = f.Model.GetTypeInfo(cast.Type, _ct).Type;
                if (to?.SpecialType == SpecialType.System_Double)
                {
                    return Lower(cast.Expression, f, env);
                }

                return Unsupported(e, "cast to '" + (to?.ToDisplayString() ?? "?") + "'", "only double values are supported");
            }

            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression):
                return G.Neg(Numeric(u.Operand, f, env));
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryPlusExpression):
                return Numeric(u.Operand, f, env);
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                return G.Not(LowerCondition(u.Operand, f, env));

            case BinaryExpressionSyntax b:
                return LowerBinary(b, f, env);

            case IsPatternExpressionSyntax isp:
                return LowerPattern(isp.Pattern, Numeric(isp.Expression, f, env), f, env);

            case SwitchExpressionSyntax sw:
                return LowerSwitch(sw, f, env);

            case ConditionalExpressionSyntax c:
            {
                Node cond = LowerCondition(c.Condition, f, env);
                Node a = Lower(c.WhenTrue, f, env);
                Node b = Lower(c.WhenFalse, f, env);
                return G.Select(cond, a, b);
            }

            case IdentifierNameSyntax id:
                return LowerIdentifier(id, f, env);

            case InvocationExpressionSyntax inv:
                return LowerInvocation(inv, f, env);

            case MemberAccessExpressionSyntax ma when ma.Name.Identifier.ValueText == "Length"
                && f.Model.GetSymbolInfo(ma.Expression, _ct).Symbol is ISymbol arraySymbol && env.GetArray(arraySymbol) is Node?[] arrayElements:
                return G.Const(arrayElements.Length);

            case MemberAccessExpressionSyntax ma:
            {
                ISymbol? s = f.Model.GetSymbolInfo(ma, _ct).Symbol;
                return s is IFieldSymbol or IPropertySymbol
                    ? LowerStaticValue(ma, s)
                    : Unsupported(e, "member access '" + ma + "'", "only static double fields and properties, and calls to Math, SymMath or methods with source are supported");
            }

            case LambdaExpressionSyntax or AnonymousMethodExpressionSyntax:
                return Unsupported(e, "lambda", "lambdas and delegates cannot be differentiated; write a static method instead");
            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax:
                return Unsupported(e, "object creation", "only double arithmetic is supported");
            case ElementAccessExpressionSyntax access:
            {
                (ISymbol Array, int Index)? element = ArrayElement(access, f, env);
                if (element is null)
                {
                    return G.Zero;
                }

                Node? value = env.GetArray(element.Value.Array)![element.Value.Index];
                if (value is null)
                {
                    Report(Diagnostics.Unassigned, access, element.Value.Array.Name + "[" + element.Value.Index.ToString(CultureInfo.InvariantCulture) + "]");
                    return G.Zero;
                }

                return value;
            }

            case ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax:
                return Unsupported(e, "array expression", "arrays are not supported yet; pass the elements as double parameters");
            case AssignmentExpressionSyntax:
                return Unsupported(e, "nested assignment", "assign in a statement of its own");
            case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax:
                return Unsupported(e, "increment or decrement inside an expression", "use x++ / x-- as a statement of its own");
            case ThisExpressionSyntax or BaseExpressionSyntax:
                return Unsupported(e, "instance access", "[Differentiable] methods are static and read only their parameters");
            default:
                return Unsupported(e, Describe(e), "only double arithmetic, comparisons, ?: and calls are supported");
        }
    }

    /// <summary>
    /// <c>x switch { &lt; 0 =&gt; a, &lt; 1 =&gt; b, _ =&gt; c }</c> as nested φ-nodes, first matching arm first; a value that
    /// no arm matches (where C# would throw) gives NaN.
    /// </summary>
    private Node LowerSwitch(SwitchExpressionSyntax sw, Frame f, Env env)
    {
        Node value = Lower(sw.GoverningExpression, f, env);
        Node result = G.Const(double.NaN);
        for (int i = sw.Arms.Count - 1; i >= 0; i--)
        {
            SwitchExpressionArmSyntax arm = sw.Arms[i];
            Node matches = arm.Pattern is DiscardPatternSyntax ? G.Bool(true) : LowerPattern(arm.Pattern, value, f, env);
            if (arm.WhenClause is not null)
            {
                matches = G.And(matches, LowerCondition(arm.WhenClause.Condition, f, env));
            }

            result = G.Select(matches, Numeric(arm.Expression, f, env), result);
        }

        return result;
    }

    /// <summary>Relational, constant, and/or/not patterns over a double: <c>x is &gt; 0 and &lt; 1</c>.</summary>
    private Node LowerPattern(PatternSyntax p, Node value, Frame f, Env env)
    {
        switch (p)
        {
            case ParenthesizedPatternSyntax par:
                return LowerPattern(par.Pattern, value, f, env);
            case ConstantPatternSyntax c:
                return G.Compare(Op.Eq, value, Numeric(c.Expression, f, env));
            case RelationalPatternSyntax r:
            {
                Node bound = Numeric(r.Expression, f, env);
                Op op = r.OperatorToken.Kind() switch
                {
                    SyntaxKind.LessThanToken => Op.Less,
                    SyntaxKind.LessThanEqualsToken => Op.LessEq,
                    SyntaxKind.GreaterThanToken => Op.Greater,
                    _ => Op.GreaterEq,
                };
                return G.Compare(op, value, bound);
            }

            case BinaryPatternSyntax b when b.IsKind(SyntaxKind.AndPattern):
                return G.And(LowerPattern(b.Left, value, f, env), LowerPattern(b.Right, value, f, env));
            case BinaryPatternSyntax b when b.IsKind(SyntaxKind.OrPattern):
                return G.Or(LowerPattern(b.Left, value, f, env), LowerPattern(b.Right, value, f, env));
            case UnaryPatternSyntax u when u.IsKind(SyntaxKind.NotPattern):
                return G.Not(LowerPattern(u.Pattern, value, f, env));
            case DiscardPatternSyntax:
                return G.Bool(true);
            default:
                Unsupported(p, "pattern", "only relational (<, <=, >, >=), constant, and/or/not patterns are supported");
                return G.Bool(false);
        }
    }

    private Node Numeric(ExpressionSyntax e, Frame f, Env env)
    {
        Node n = Lower(e, f, env);
        if (n.IsBool)
        {
            return Unsupported(e, "bool operand", "a numeric value is needed here");
        }

        return n;
    }

    private Node LowerBinary(BinaryExpressionSyntax b, Frame f, Env env)
    {
        switch (b.Kind())
        {
            case SyntaxKind.LogicalAndExpression:
                return G.And(LowerCondition(b.Left, f, env), LowerCondition(b.Right, f, env));
            case SyntaxKind.LogicalOrExpression:
                return G.Or(LowerCondition(b.Left, f, env), LowerCondition(b.Right, f, env));
        }

        Node l = Lower(b.Left, f, env);
        Node r = Lower(b.Right, f, env);
        if (IsIntegral(f.Model.GetTypeInfo(b, _ct).Type))
        {
            return IntegerBinary(b, l, r);
        }

        switch (b.Kind())
        {
            case SyntaxKind.AddExpression: return G.Add(l, r);
            case SyntaxKind.SubtractExpression: return G.Sub(l, r);
            case SyntaxKind.MultiplyExpression: return G.Mul(l, r);
            case SyntaxKind.DivideExpression:
                // int / int truncates in C# (Math.Sign(x) / 2 is 0): model it as truncate(l / r), a step function.
                if (f.Model.GetTypeInfo(b, _ct).Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                    or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_UInt32 or SpecialType.System_UInt64
                    or SpecialType.System_UInt16 or SpecialType.System_Byte)
                {
                    Report(Diagnostics.NonDifferentiable, b, b + " (integer division)");
                    return G.Call(Fn.Truncate, G.Div(l, r));
                }

                return G.Div(l, r);
            case SyntaxKind.LessThanExpression: return G.Compare(Op.Less, l, r);
            case SyntaxKind.LessThanOrEqualExpression: return G.Compare(Op.LessEq, l, r);
            case SyntaxKind.GreaterThanExpression: return G.Compare(Op.Greater, l, r);
            case SyntaxKind.GreaterThanOrEqualExpression: return G.Compare(Op.GreaterEq, l, r);
            case SyntaxKind.EqualsExpression: return G.Compare(Op.Eq, l, r);
            case SyntaxKind.NotEqualsExpression: return G.Compare(Op.NotEq, l, r);
            default:
                return Unsupported(b, "'" + b.OperatorToken.Text + "' operator", "supported operators are + - * / and comparisons, &&, ||, !");
        }
    }

    /// <summary>Integer arithmetic (C# semantics: truncating division) on values known at compile time.</summary>
    private Node IntegerBinary(BinaryExpressionSyntax b, Node l, Node r)
    {
        if (!l.IsConst || !r.IsConst)
        {
            // A run-time integer (e.g. Math.Sign(x) / 2): integer-valued doubles with C#'s truncating / and %.
            return b.Kind() switch
            {
                SyntaxKind.AddExpression => G.Add(l, r),
                SyntaxKind.SubtractExpression => G.Sub(l, r),
                SyntaxKind.MultiplyExpression => G.Mul(l, r),
                SyntaxKind.DivideExpression => G.Call(Fn.Truncate, G.Div(l, r)),
                SyntaxKind.ModuloExpression => G.Sub(l, G.Mul(r, G.Call(Fn.Truncate, G.Div(l, r)))),
                _ => Unsupported(b, "'" + b.OperatorToken.Text + "' on integers", "only + - * / % are supported on integers"),
            };
        }

        long x = (long)l.Value;
        long y = (long)r.Value;
        if (y == 0 && b.Kind() is SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression)
        {
            return Unsupported(b, "integer division by zero", "it would throw at run time");
        }

        long? v = b.Kind() switch
        {
            SyntaxKind.AddExpression => x + y,
            SyntaxKind.SubtractExpression => x - y,
            SyntaxKind.MultiplyExpression => x * y,
            SyntaxKind.DivideExpression => x / y,
            SyntaxKind.ModuloExpression => x % y,
            _ => null,
        };
        return v is null
            ? Unsupported(b, "'" + b.OperatorToken.Text + "' on integers", "only + - * / % are supported on compile-time integers")
            : G.Const(v.Value);
    }

    private Node LowerIdentifier(IdentifierNameSyntax id, Frame f, Env env)
    {
        ISymbol? symbol = f.Model.GetSymbolInfo(id, _ct).Symbol;
        switch (symbol)
        {
            case ILocalSymbol or IParameterSymbol:
                if (!env.IsDeclared(symbol))
                {
                    return Unsupported(id, "variable '" + symbol.Name + "'", "it is not a local variable or parameter of this method");
                }

                Node? n = env.Get(symbol);
                if (n is null)
                {
                    Report(Diagnostics.Unassigned, id, symbol.Name);
                    return G.Zero;
                }

                return n;
            case IFieldSymbol or IPropertySymbol:
                return LowerStaticValue(id, symbol);
            default:
                return Unsupported(id, "name '" + id.Identifier.ValueText + "'", "it is not a parameter, local or constant");
        }
    }

    /// <summary>
    /// A static double field or property (e.g. <c>static readonly double Scale</c>): read when the generated
    /// code runs, and constant with respect to every parameter.
    /// </summary>
    private Node LowerStaticValue(ExpressionSyntax at, ISymbol symbol)
    {
        ITypeSymbol? type = symbol switch
        {
            IFieldSymbol fs => fs.Type,
            IPropertySymbol ps => ps.GetMethod is null || ps.IsIndexer ? null : ps.Type,
            _ => null,
        };
        if (!symbol.IsStatic || type is null || symbol.ContainingType is null)
        {
            return Unsupported(at, "member '" + symbol.Name + "'", "only static double fields and readable static double properties can be read; instance state is not available in a static method");
        }

        if (type.SpecialType != SpecialType.System_Double)
        {
            return Unsupported(at, "member '" + symbol.Name + "'", "it has type '" + type.ToDisplayString() + "'; only double values are supported");
        }

        string owner = symbol.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return G.Extern(owner + "." + symbol.Name, symbol.Name);
    }

    // ------------------------------------------------------------------ calls

    private Node LowerInvocation(InvocationExpressionSyntax inv, Frame f, Env env)
    {
        SymbolInfo info = f.Model.GetSymbolInfo(inv, _ct);
        if (info.Symbol is not IMethodSymbol method)
        {
            return Report(Diagnostics.NoSource, inv, inv.Expression.ToString(), "the call does not resolve to a single method");
        }

        Node[]? args = BindArguments(inv, method, f, env);
        if (args is null)
        {
            return G.Zero;
        }

        if (method.MethodKind == MethodKind.ReducedExtension && method.ReducedFrom is IMethodSymbol definition
            && inv.Expression is MemberAccessExpressionSyntax { Expression: var receiverSyntax })
        {
            // x.Squared(): the extension method's static definition with the receiver as its first argument.
            Node receiver = Lower(receiverSyntax, f, env);
            return Inline(inv, definition, new[] { receiver }.Concat(args).ToArray(), env);
        }

        string container = method.ContainingType?.ToDisplayString() ?? string.Empty;
        if (container == "System.Math")
        {
            return LowerMath(inv, method, args);
        }

        if (container == "SymGrad.SymMath")
        {
            return LowerSymMath(inv, method, args);
        }

        if (method.ContainingType?.SpecialType == SpecialType.System_Double)
        {
            return LowerDoubleStatic(inv, method, args);
        }

        return Inline(inv, method, args, env);
    }

    private Node[]? BindArguments(InvocationExpressionSyntax inv, IMethodSymbol method, Frame f, Env env)
    {
        var args = new Node?[method.Parameters.Length];
        int position = 0;
        foreach (ArgumentSyntax a in inv.ArgumentList.Arguments)
        {
            if (!a.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                Unsupported(a, "ref/out argument", "arguments are passed by value");
                return null;
            }

            int index = position++;
            if (a.NameColon is not null)
            {
                string argName = a.NameColon.Name.Identifier.ValueText;
                index = -1;
                for (int pi = 0; pi < method.Parameters.Length; pi++)
                {
                    if (method.Parameters[pi].Name == argName)
                    {
                        index = pi;
                    }
                }
            }

            if (index < 0 || index >= args.Length)
            {
                Unsupported(a, "argument", "it does not match a parameter");
                return null;
            }

            args[index] = Lower(a.Expression, f, env);
        }

        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is null)
            {
                IParameterSymbol p = method.Parameters[i];
                if (!p.HasExplicitDefaultValue || p.ExplicitDefaultValue is not IConvertible c || p.ExplicitDefaultValue is string)
                {
                    Unsupported(inv, "call to '" + method.Name + "'", "parameter '" + p.Name + "' has no argument");
                    return null;
                }

                args[i] = G.Const(c.ToDouble(CultureInfo.InvariantCulture));
            }
        }

        return args!;
    }

    private Node LowerMath(InvocationExpressionSyntax inv, IMethodSymbol m, Node[] a)
    {
        if (m.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Double))
        {
            return Report(Diagnostics.NoSource, inv, "Math." + m.Name, "only the double overloads of Math functions have derivative rules");
        }

        switch (m.Name, a.Length)
        {
            case ("Exp", 1): return G.Call(Fn.Exp, a[0]);
            case ("Log", 1): return G.Call(Fn.Log, a[0]);
            case ("Log", 2): return G.Div(G.Call(Fn.Log, a[0]), G.Call(Fn.Log, a[1]));
            case ("Log10", 1): return G.Call(Fn.Log10, a[0]);
            case ("Log2", 1): return G.Call(Fn.Log2, a[0]);
            case ("Sqrt", 1): return G.Call(Fn.Sqrt, a[0]);
            case ("Cbrt", 1): return G.Call(Fn.Cbrt, a[0]);
            case ("Pow", 2): return G.Call(Fn.Pow, a[0], a[1]);
            case ("Sin", 1): return G.Call(Fn.Sin, a[0]);
            case ("Cos", 1): return G.Call(Fn.Cos, a[0]);
            case ("Tan", 1): return G.Call(Fn.Tan, a[0]);
            case ("Asin", 1): return G.Call(Fn.Asin, a[0]);
            case ("Acos", 1): return G.Call(Fn.Acos, a[0]);
            case ("Atan", 1): return G.Call(Fn.Atan, a[0]);
            case ("Atan2", 2): return G.Call(Fn.Atan2, a[0], a[1]);
            case ("Sinh", 1): return G.Call(Fn.Sinh, a[0]);
            case ("Cosh", 1): return G.Call(Fn.Cosh, a[0]);
            case ("Tanh", 1): return G.Call(Fn.Tanh, a[0]);
            case ("Asinh", 1): return G.Call(Fn.Asinh, a[0]);
            case ("Acosh", 1): return G.Call(Fn.Acosh, a[0]);
            case ("Atanh", 1): return G.Call(Fn.Atanh, a[0]);
            case ("FusedMultiplyAdd", 3): return G.Add(G.Mul(a[0], a[1]), a[2]);
            case ("Abs", 1):
                Report(Diagnostics.Kink, inv, "Math.Abs", "x = 0", "0");
                return G.Call(Fn.Abs, a[0]);
            case ("Max", 2):
                Report(Diagnostics.Kink, inv, "Math.Max", "a = b", "1/2 for each argument");
                return G.Call(Fn.Max, a[0], a[1]);
            case ("Min", 2):
                Report(Diagnostics.Kink, inv, "Math.Min", "a = b", "1/2 for each argument");
                return G.Call(Fn.Min, a[0], a[1]);
            case ("Clamp", 3):
                Report(Diagnostics.Kink, inv, "Math.Clamp", "x = min or x = max", "1 for x (the interval is closed)");
                return G.Call(Fn.Clamp, a[0], a[1], a[2]);
            case ("Sign", 1):
                Report(Diagnostics.NonDifferentiable, inv, "Math.Sign");
                return G.Call(Fn.Sign, a[0]);
            case ("Floor", 1):
                Report(Diagnostics.NonDifferentiable, inv, "Math.Floor");
                return G.Call(Fn.Floor, a[0]);
            case ("Ceiling", 1):
                Report(Diagnostics.NonDifferentiable, inv, "Math.Ceiling");
                return G.Call(Fn.Ceiling, a[0]);
            case ("Round", 1):
                Report(Diagnostics.NonDifferentiable, inv, "Math.Round");
                return G.Call(Fn.Round, a[0]);
            case ("Truncate", 1):
                Report(Diagnostics.NonDifferentiable, inv, "Math.Truncate");
                return G.Call(Fn.Truncate, a[0]);
            default:
                return Report(Diagnostics.NoSource, inv, "Math." + m.Name, "SymGrad has no derivative rule for it");
        }
    }

    private Node LowerDoubleStatic(InvocationExpressionSyntax inv, IMethodSymbol m, Node[] a)
    {
        Node inf = G.Const(double.PositiveInfinity);
        switch (m.Name, a.Length)
        {
            case ("IsNaN", 1): return G.Compare(Op.NotEq, a[0], a[0]);
            case ("IsFinite", 1): return G.Compare(Op.Less, G.Call(Fn.Abs, a[0]), inf);
            case ("IsInfinity", 1): return G.Compare(Op.Eq, G.Call(Fn.Abs, a[0]), inf);
            case ("IsPositiveInfinity", 1): return G.Compare(Op.Eq, a[0], inf);
            case ("IsNegativeInfinity", 1): return G.Compare(Op.Eq, a[0], G.Const(double.NegativeInfinity));
            case ("Hypot", 2): return G.Call(Fn.Hypot, a[0], a[1]);
            case ("LogP1", 1): return G.Call(Fn.Log1p, a[0]);
            case ("ExpM1", 1): return G.Call(Fn.Expm1, a[0]);
            default:
                // double.Exp, double.Sin, double.Max, … (generic math) are the Math functions.
                return LowerMath(inv, m, a);
        }
    }

    private Node LowerSymMath(InvocationExpressionSyntax inv, IMethodSymbol m, Node[] a)
    {
        switch (m.Name, a.Length)
        {
            case ("Sigmoid", 1): return G.Call(Fn.Sigmoid, a[0]);
            case ("SigmoidDerivative", 1): return G.Call(Fn.SigmoidDerivative, a[0]);
            case ("Softplus", 1): return G.Call(Fn.Softplus, a[0]);
            case ("LogSigmoid", 1): return G.Call(Fn.LogSigmoid, a[0]);
            case ("Relu", 1): return G.Call(Fn.Relu, a[0]);
            case ("LeakyRelu", 2): return G.Call(Fn.LeakyRelu, a[0], a[1]);
            case ("Tanh", 1): return G.Call(Fn.Tanh, a[0]);
            case ("TanhDerivative", 1): return G.Call(Fn.TanhDerivative, a[0]);
            case ("Square", 1): return G.Mul(a[0], a[0]);
            case ("Silu", 1): return G.Mul(a[0], G.Call(Fn.Sigmoid, a[0]));
            case ("Softsign", 1): return G.Div(a[0], G.Add(G.One, G.Call(Fn.Abs, a[0])));
            case ("Log1p", 1): return G.Call(Fn.Log1p, a[0]);
            case ("Expm1", 1): return G.Call(Fn.Expm1, a[0]);
            case ("LogSumExp", 2): return G.Call(Fn.LogSumExp, a[0], a[1]);
            case ("Logit", 1): return G.Call(Fn.Logit, a[0]);
            case ("Hypot", 2): return G.Call(Fn.Hypot, a[0], a[1]);
            default:
                return Report(Diagnostics.NoSource, inv, "SymMath." + m.Name, "SymGrad has no derivative rule for it");
        }
    }

    private Node Inline(InvocationExpressionSyntax inv, IMethodSymbol method, Node[] args, Env env)
    {
        string name = method.ContainingType is null ? method.Name : method.ContainingType.Name + "." + method.Name;
        bool local = method.MethodKind == MethodKind.LocalFunction;
        if (!local && (!method.IsStatic || method.MethodKind != MethodKind.Ordinary))
        {
            return Report(Diagnostics.NoSource, inv, name, "only static methods and local functions can be inlined");
        }

        if (method.ReturnType.SpecialType != SpecialType.System_Double
            || method.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Double || p.RefKind != RefKind.None))
        {
            return Report(Diagnostics.NoSource, inv, name, "a callee must take double parameters by value and return double");
        }

        if (local)
        {
            LocalFunctionStatementSyntax? fn = method.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(_ct)).OfType<LocalFunctionStatementSyntax>().FirstOrDefault();
            if (fn is null)
            {
                return Report(Diagnostics.NoSource, inv, name, "its source was not found");
            }

            if (_callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method)))
            {
                return Report(Diagnostics.Recursion, inv, name, string.Join(" → ", _callStack.Select(m => m.Name).Concat(new[] { method.Name })));
            }

            return LowerBody(method, fn, fn.Body, fn.ExpressionBody, args, env) ?? G.Zero;
        }

        MethodDeclarationSyntax? decl = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(_ct)).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(d => d.Body is not null || d.ExpressionBody is not null);
        if (decl is null)
        {
            return Report(Diagnostics.NoSource, inv, name, "its source is not in this compilation and SymGrad has no derivative rule for it");
        }

        IMethodSymbol original = method.OriginalDefinition;
        int at = _callStack.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, original));
        if (at >= 0)
        {
            string chain = string.Join(" → ", _callStack.Skip(at).Select(m => m.Name).Concat(new[] { method.Name }));
            return Report(Diagnostics.Recursion, inv, name, chain);
        }

        return LowerBody(original, decl, args) ?? G.Zero;
    }

    // ------------------------------------------------------------------ diagnostics

    private Node Unsupported(SyntaxNode at, string what, string why) => Report(Diagnostics.UnsupportedExpression, at, what, why);

    private Node Report(DiagnosticDescriptor d, SyntaxNode at, params string[] args)
    {
        _diagnostics.Add(DiagnosticInfo.Create(d, LocationInfo.From(at), args));
        return G.Zero;
    }

    private void Report(DiagnosticDescriptor d, SyntaxToken at, params string[] args)
        => _diagnostics.Add(DiagnosticInfo.Create(d, LocationInfo.From(at.GetLocation()), args));

    private static string Describe(SyntaxNode n)
    {
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
