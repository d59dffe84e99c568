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

/// <summary>Statements: sequences, branches, unrolled loops, declarations, local arrays and assignments.</summary>
internal sealed partial class Lowerer
{
    private Outcome LowerStatements(IEnumerable<StatementSyntax> statements, Frame f, Env env)
    {
        if (_program is not null)
        {
            return LowerStatementsP(statements.ToList(), 0, f, env);
        }

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

    private Outcome LowerStatement(StatementSyntax s, Frame f, Env env, bool programMode = true)
    {
        if (_program is not null && programMode)
        {
            return LowerStatementP(s, f, env);
        }

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

                return new Outcome(G.Bool(true), ReturnValue(ret.Expression, f, env), env);

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
                Report(Diagnostics.UnsupportedStatement, s.GetFirstToken(), Describe(s), "supported statements are declarations, assignments, ++/--, calls of void helpers with source, if/else, switch, for/while/do/foreach, break, continue and return");
                return new Outcome(null, null, env);
        }
    }

    /// <summary>
    /// Most iterations a loop is unrolled to in the plain DAG (and the largest local array kept as scalars): a longer
    /// loop is lowered as a loop (program mode), so generated code does not grow with trip counts.
    /// </summary>
    private const int MaxUnroll = 16;

    private Outcome LowerFor(ForStatementSyntax loop, Frame f, Env env)
    {
        env = env.Clone();
        if (loop.Declaration is not null)
        {
            LowerVariables(loop.Declaration.Variables, f, env);
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
        if (!isArrayValue || f.Model.GetDeclaredSymbol(loop, _ct) is not ILocalSymbol variable || !IsReal(variable.Type))
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

    /// <summary>
    /// Whether a switch section's statement jumps out of it: a goto, or a break or continue that does not belong to a
    /// loop (or, for break, a switch) nested in the statement itself.
    /// </summary>
    /// <param name="body">A switch section's statement.</param>
    /// <param name="continueAllowed">Program mode inside a loop: a <c>continue</c> goes to that loop, as in C#.</param>
    private static bool ContainsJump(StatementSyntax body, bool continueAllowed = false)
    {
        foreach (SyntaxNode n in body.DescendantNodesAndSelf())
        {
            if (n is GotoStatementSyntax)
            {
                return true;
            }

            if (n is BreakStatementSyntax or ContinueStatementSyntax)
            {
                bool owned = n.Ancestors().TakeWhile(a => a != body.Parent).Any(a => a is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax
                    || (n is BreakStatementSyntax && a is SwitchStatementSyntax));
                if (!owned && !(continueAllowed && n is ContinueStatementSyntax))
                {
                    return true;
                }
            }
        }

        return false;
    }

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
        Node value = LowerTested(sw.Expression, () => Lower(sw.Expression, f, env), f, out bool reported);
        if (_program is not null)
        {
            // The value is computed once, as in C#; the sections' tests (an if/else-if chain) must not see the updates
            // still pending in the environment applied twice once a branch writes them back.
            value = Materialize(value, "switched", env);
        }

        var sections = new List<(Node Condition, List<StatementSyntax> Body)>();
        List<StatementSyntax>? fallback = null;
        foreach (SwitchSectionSyntax section in sw.Sections)
        {
            var body = section.Statements.SelectMany(st => st is BlockSyntax b ? (IEnumerable<StatementSyntax>)b.Statements : new[] { st }).ToList();
            if (body.Count > 0 && body[body.Count - 1] is BreakStatementSyntax)
            {
                body.RemoveAt(body.Count - 1);
            }

            bool continueAllowed = _program is not null && _loops.Count > 0 && _loops[_loops.Count - 1].Continue is not null;
            if (body.Any(st => ContainsJump(st, continueAllowed)))
            {
                Report(Diagnostics.UnsupportedStatement, sw.SwitchKeyword, "switch", "a section may end in break or return (or continue, in a loop), but contain no other break, continue or goto");
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
                        ? LowerPattern(p.Pattern, value, f, env, reported)
                        : G.And(LowerPattern(p.Pattern, value, f, env, reported), LowerCondition(p.WhenClause.Condition, f, env)),
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
        if (_program is not null)
        {
            return BranchP(c, whenTrue, whenFalse, env);
        }

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

        LowerVariables(decl.Declaration.Variables, f, env);
    }

    /// <summary>
    /// Declared locals, in order: those of one declaration (<c>double a = …, b = …;</c>, a <c>for</c> loop's), or one of
    /// them. Each is declared as it would be in a declaration of its own (in program mode, a local array, span or matrix
    /// is a buffer: <c>double[] a = new double[n], b = new double[n];</c> declares two).
    /// </summary>
    private void LowerVariables(IEnumerable<VariableDeclaratorSyntax> declarators, Frame f, Env env)
    {
        foreach (VariableDeclaratorSyntax v in declarators)
        {
            if (f.Model.GetDeclaredSymbol(v, _ct) is not ILocalSymbol local)
            {
                continue;
            }

            if (_program is not null && ShapeOf(local.Type, Real) is (ArrayShape.Matrix, VarType matrixElement))
            {
                DeclareMatrix(local, matrixElement, v, f, env);
                continue;
            }

            if (_program is not null && ElementTypeOf(local.Type, Real) is VarType element)
            {
                DeclareArray(local, element, v, f, env);
                continue;
            }

            if (IsAggregate(local.Type))
            {
                DeclareAggregate(local, v, f, env);
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
            if (IsForeignReal(local.Type))
            {
                ReportForeignReal(v.Identifier, "Local '" + local.Name + "' is " + local.Type.ToDisplayString(), Generic
                    ? "a generic method computes in its type parameter, so its locals are of that type (or int, long, bool); make the local a T, or make the method double"
                    : "a float method is differentiated in float, so its locals are float (or int, long, bool); make the local float, or make the method double");
                env.Set(local, G.Zero);
                continue;
            }

            if (!integral && !IsReal(local.Type) && local.Type.SpecialType != SpecialType.System_Boolean)
            {
                Report(Diagnostics.NonDoubleType, v.Identifier, "local '" + local.Name + "'", local.Type.ToDisplayString(), Diagnostics.TypeAdvice(local.Type, local: true));
                env.Set(local, G.Zero); // a placeholder, so that reading it does not report a second, misleading error
                _failedArrays.Add(local); // nor reading its members (q.X)
                continue;
            }

            Node? value = v.Initializer is null ? null : Lower(v.Initializer.Value, f, env);
            Bind(env, local, value);
        }
    }

    private bool IsDoubleArray(ITypeSymbol? t) => t is IArrayTypeSymbol { Rank: 1 } array && IsReal(array.ElementType);

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
            Unsupported(access, "array access", "only parameters (double[], ReadOnlySpan<double>, Span<double>, int[], ReadOnlySpan<int>) and local buffers can be indexed; pass an array kept in a field as a parameter");
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
        if (_program is not null && value is not null)
        {
            VarType? type = VarTypeOf((symbol as ILocalSymbol)?.Type ?? (symbol as IParameterSymbol)?.Type, Real);
            if (type == VarType.Int && Graph.IsIntLike(value))
            {
                value = G.I(value);
            }
            else if (type == VarType.Double)
            {
                value = G.D(value);
            }
        }

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
            case InvocationExpressionSyntax mutating when TryLowerMutatingCall(mutating, f, env):
                return;

            case InvocationExpressionSyntax bulk when TryLowerBulkCall(bulk, f, env):
                return; // src.CopyTo(dst), dst.Fill(v), dst.Clear(), Array.Copy/Fill/Clear: a loop of stores

            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } when f.Model.GetSymbolInfo(name, _ct).Symbol is ISymbol local && IsPoisoned(local):
                return; // a delegate local whose declaration has the error

            case InvocationExpressionSyntax call when _program is not null && f.Model.GetSymbolInfo(call, _ct).Symbol is IMethodSymbol { ReturnsVoid: true } callee
                && callee.DeclaringSyntaxReferences.Length > 0:
                // A void helper with source, e.g. one that fills a span: inlined for its writes.
                LowerInvocation(call, f, env);
                return;

            case AssignmentExpressionSyntax assign when assign.IsKind(SyntaxKind.SimpleAssignmentExpression)
                && (assign.Right is TupleExpressionSyntax || (assign.Left is DeclarationExpressionSyntax or TupleExpressionSyntax && SinCosArgument(assign.Right, f) is not null)):
                LowerDeconstruction(assign, f, env);
                return;

            case AssignmentExpressionSyntax assign when TryAssignAggregate(assign, f, env):
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

                if (_program is not null && assign.Left is ElementAccessExpressionSyntax)
                {
                    Node rhsValue = Lower(assign.Right, f, env);
                    if (TryStore(assign.Left, current => Combine(assign, current, rhsValue), f, env))
                    {
                        return;
                    }
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

                if (_program is not null && (current.IsInt || rhs.IsInt))
                {
                    Node? combined = Combine(assign, current, rhs);
                    if (combined is not null)
                    {
                        Write(env, target.Value, combined);
                    }

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
                if ((increment || decrement) && _program is not null
                    && TryStore(operand, current => current is null ? null : current.IsInt ? G.IntOp(increment ? Op.IAdd : Op.ISub, current, G.IConst(1)) : increment ? G.Add(current, G.One) : G.Sub(current, G.One), f, env))
                {
                    return;
                }

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
                        Write(env, target.Value, current.IsInt ? G.IntOp(increment ? Op.IAdd : Op.ISub, current, G.IConst(1)) : increment ? G.Add(current, G.One) : G.Sub(current, G.One));
                    }

                    return;
                }

                break;
            }
        }

        Report(Diagnostics.UnsupportedStatement, e, "expression", "only assignments, compound assignments, ++/-- and calls of void helpers with source (e.g. one that fills a span) can stand alone as statements");
    }

    /// <summary>
    /// <c>var (a, b) = (e1, e2)</c>, <c>(double a, double b) = …</c> and <c>(a, b) = (b, a)</c>: every right-hand
    /// element is evaluated first, then assigned, so a swap works as in C#.
    /// </summary>
    /// <summary>The argument of <c>Math.SinCos(x)</c> (or <c>double.SinCos</c>, <c>MathF.SinCos</c>, <c>T.SinCos</c> of the real type), if <paramref name="e"/> is that call.</summary>
    private ExpressionSyntax? SinCosArgument(ExpressionSyntax e, Frame f) =>
        e is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } inv && f.Model.GetSymbolInfo(inv, _ct).Symbol is IMethodSymbol { Name: "SinCos", Parameters.Length: 1 } m
        && IsReal(m.Parameters[0].Type) ? inv.ArgumentList.Arguments[0].Expression : null;

    private void LowerDeconstruction(AssignmentExpressionSyntax assign, Frame f, Env env)
    {
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

        if (targets.FirstOrDefault(t => t.Existing is IdentifierNameSyntax && IsBufferLocal(f.Model.GetSymbolInfo(t.Existing, _ct).Symbol)) is { Existing: ExpressionSyntax buffer })
        {
            // (u, v) = (v, u) of two buffers: one error, at the first, and nothing about the names on the right.
            Report(Diagnostics.UnsupportedExpression, buffer, "assignment to buffer '" + buffer + "'", BufferRebindAdvice);
            return;
        }

        Node[] values;
        if (assign.Right is TupleExpressionSyntax right)
        {
            if (targets.Count != right.Arguments.Count)
            {
                Report(Diagnostics.UnsupportedExpression, assign, "deconstruction", "the two sides must have as many elements");
                return;
            }

            values = right.Arguments.Select(a => Numeric(a.Expression, f, env)).ToArray();
        }
        else if (targets.Count == 2 && SinCosArgument(assign.Right, f) is ExpressionSyntax angle)
        {
            // var (s, c) = Math.SinCos(x): sin x and cos x.
            Node x = Lower(angle, f, env);
            values = new[] { G.Call(Fn.Sin, x), G.Call(Fn.Cos, x) };
        }
        else
        {
            Report(Diagnostics.UnsupportedExpression, assign.Right, "deconstruction of a call", "only a tuple literal (var (a, b) = (e1, e2)) and Math.SinCos(x) are deconstructed; a helper returns one double");
            return;
        }

        bool stores = _program is not null && targets.Any(t => t.Existing is ElementAccessExpressionSyntax);
        if (stores)
        {
            // (a[i], a[j]) = (a[j], a[i]): every value is read before the first element is written, as in C#.
            values = values.Select(v => ReadsNonParameterState(v) ? Materialize(v, "swapped", env) : v).ToArray();
        }

        for (int i = 0; i < targets.Count; i++)
        {
            (ISymbol? declared, ExpressionSyntax? existing, SyntaxNode at) = targets[i];
            Node assigned = values[i];
            if (declared is ILocalSymbol local && IsReal(local.Type))
            {
                Bind(env, local, assigned);
            }
            else if (stores && existing is ElementAccessExpressionSyntax && TryStore(existing, _ => assigned, f, env))
            {
                // an element of a local buffer
            }
            else if (existing is not null && AssignableTarget(existing, f, env) is Place place)
            {
                Write(env, place, assigned);
            }
            else if (existing is null)
            {
                Report(Diagnostics.UnsupportedExpression, at, "deconstruction target", "only double variables can be assigned");
            }
        }
    }

    private const string BufferRebindAdvice = "each buffer name keeps its own elements, so a name cannot be pointed at another buffer (u = v) or swapped; copy the elements instead (v.CopyTo(u)), or index two buffers by step parity";

    /// <summary>A local array, span or matrix: a buffer, whose name SymGrad keeps on its own elements.</summary>
    private bool IsBufferLocal(ISymbol? symbol) => symbol is ILocalSymbol { Type: var type } && (ElementTypeOf(type, Real) is not null || ShapeOf(type, Real) is not null);

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

        if (_receivers.Count > 0 && f.Model.GetSymbolInfo(left, _ct).Symbol is IFieldSymbol or IPropertySymbol
            && f.Model.GetSymbolInfo(left, _ct).Symbol!.ContainingType is INamedTypeSymbol owner && IsAggregate(owner))
        {
            Report(Diagnostics.UnsupportedExpression, left, "assignment to a field of this struct", "a struct's methods are inlined when they do not assign its own fields; return a new value instead (public Vec3 Scaled(double s) => new(s * X, …); v = v.Scaled(2))");
            return null;
        }

        if (symbol is not null && IsPoisoned(symbol))
        {
            return null; // its declaration has the error
        }

        if (left is DeclarationExpressionSyntax or TupleExpressionSyntax)
        {
            Report(Diagnostics.UnsupportedExpression, left, "tuple deconstruction", "only a tuple literal is deconstructed (var (a, b) = (e1, e2)); a helper returns one double, so call one helper per value or have a void helper write into a Span<double>");
            return null;
        }

        if (IsBufferLocal(symbol))
        {
            // u = v: a double-buffered stepper's swap.
            Report(Diagnostics.UnsupportedExpression, left, "assignment to buffer '" + symbol!.Name + "'", BufferRebindAdvice);
            return null;
        }

        Report(Diagnostics.UnsupportedExpression, left, "assignment target", "only local variables, parameters and elements of local arrays can be assigned");
        return null;
    }

    /// <summary>The value an assignment stores: the right side, or current op right side for a compound assignment.</summary>
    private Node? Combine(AssignmentExpressionSyntax assign, Node? current, Node rhs)
    {
        if (assign.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            return rhs;
        }

        if (current is null)
        {
            return null;
        }

        bool ints = current.IsInt && Graph.IsIntLike(rhs);
        Node? result = assign.Kind() switch
        {
            SyntaxKind.AddAssignmentExpression => ints ? G.IntOp(Op.IAdd, current, rhs) : G.Add(current, rhs),
            SyntaxKind.SubtractAssignmentExpression => ints ? G.IntOp(Op.ISub, current, rhs) : G.Sub(current, rhs),
            SyntaxKind.MultiplyAssignmentExpression => ints ? G.IntOp(Op.IMul, current, rhs) : G.Mul(current, rhs),
            SyntaxKind.DivideAssignmentExpression => ints ? G.IntOp(Op.IDiv, current, rhs) : G.Div(current, rhs),
            SyntaxKind.ModuloAssignmentExpression when ints => G.IntOp(Op.IRem, current, rhs),
            _ => null,
        };
        if (result is null)
        {
            Report(Diagnostics.UnsupportedExpression, assign.OperatorToken, "'" + assign.OperatorToken.Text + "' assignment", "use =, +=, -=, *= or /=");
        }

        return result;
    }
}
