using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generator.Functions;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Parsing;

/// <summary>Calls: Math, SymMath and double functions by rule; methods with source inlined.</summary>
internal sealed partial class Lowerer
{
    /// <summary>
    /// A call. The diagnostics of an argument for a parameter SymGrad cannot pass (an <c>IEnumerable&lt;double&gt;</c>, a
    /// delegate) are held back and dropped when the call itself gets an error: <c>Enumerable.Sum(x)</c> is SG0003, and
    /// nothing more (lowering <c>x</c> as a scalar used to add "'x' is not a local variable or parameter").
    /// </summary>
    private Node LowerInvocation(InvocationExpressionSyntax inv, Frame f, Env env)
    {
        List<DiagnosticInfo>? outer = _heldArgumentDiagnostics;
        var held = new List<DiagnosticInfo>();
        _heldArgumentDiagnostics = held;
        int before = _diagnostics.Count;
        try
        {
            Node result = LowerCall(inv, f, env);
            LocationInfo? at = LocationInfo.From(inv);
            bool callFailed = _diagnostics.Skip(before).Any(d => d.Location == at && Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
            if (!callFailed)
            {
                _diagnostics.AddRange(held);
            }

            return result;
        }
        finally
        {
            _heldArgumentDiagnostics = outer;
        }
    }

    /// <summary>Whether a value of type <paramref name="t"/> can be passed to a helper: a real, int, long or bool, an array, span or matrix, a struct of reals.</summary>
    private bool CanPass(ITypeSymbol t) =>
        IsReal(t) || IsAggregate(t) || VarTypeOf(t, Real) is not null || ElementTypeOf(t, Real) is not null || ShapeOf(t, Real) is not null || StructElementOf(t, Real) is not null;

    /// <summary><paramref name="e"/> lowered as the argument of a parameter of type <paramref name="parameter"/>; see <see cref="LowerInvocation"/>.</summary>
    private Node LowerArgument(ExpressionSyntax e, ITypeSymbol parameter, Frame f, Env env)
    {
        int before = _diagnostics.Count;
        Node n = Lower(e, f, env);
        if (!CanPass(parameter) && _heldArgumentDiagnostics is List<DiagnosticInfo> held && _diagnostics.Count > before)
        {
            held.AddRange(_diagnostics.Skip(before));
            _diagnostics.RemoveRange(before, _diagnostics.Count - before);
        }

        return n;
    }

    private Node LowerCall(InvocationExpressionSyntax inv, Frame f, Env env)
    {
        if (inv.Expression is IdentifierNameSyntax delegateName && f.Model.GetSymbolInfo(delegateName, _ct).Symbol is ILocalSymbol delegateLocal && IsPoisoned(delegateLocal))
        {
            return G.Zero; // a delegate local whose declaration has the error
        }

        if (_program is not null && inv.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetLength" } dimensionOf
            && ShapedOf(dimensionOf.Expression, f) is IrArray shaped)
        {
            // X.GetLength(0) and X.GetLength(1) of a matrix; X.GetLength(0) of a jagged array is its row count.
            return DimensionArgument(inv, f) is int dimension && dimension < (shaped.Shape == ArrayShape.Matrix ? 2 : 1)
                ? (shaped.Shape == ArrayShape.Matrix ? G.Dimension(shaped.Id, dimension) : G.Length(shaped.Id))
                : Unsupported(inv, "GetLength", shaped.Shape == ArrayShape.Matrix ? "a matrix's dimensions are X.GetLength(0) and X.GetLength(1)" : "a jagged array's row count is X.Length, a row's length X[i].Length");
        }

        if (_program is not null && inv.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetLength" } localDimensionOf
            && f.Model.GetSymbolInfo(localDimensionOf.Expression, _ct).Symbol is ISymbol local && _matrixDims.TryGetValue(local, out (Node Rows, Node Cols) dims))
        {
            // a.GetLength(0) and a.GetLength(1) of a local matrix.
            return DimensionArgument(inv, f) is int dimension && dimension < 2
                ? (dimension == 0 ? dims.Rows : dims.Cols)
                : Unsupported(inv, "GetLength", "a matrix's dimensions are a.GetLength(0) and a.GetLength(1)");
        }

        SymbolInfo info = f.Model.GetSymbolInfo(inv, _ct);
        if (info.Symbol is not IMethodSymbol method)
        {
            return Report(Diagnostics.NoSource, inv, inv.Expression.ToString(), "the call does not resolve to a single method");
        }

        (INamedTypeSymbol, Node[])? self = null;
        if (!method.IsStatic && method.MethodKind == MethodKind.Ordinary && IsAggregate(method.ContainingType))
        {
            // v.Dot(w) on a struct value, or Dot(w) inside one of its members: inlined with v as this.
            Node[]? fields = inv.Expression is MemberAccessExpressionSyntax { Expression: var selfSyntax } ? LowerAggregate(selfSyntax, f, env)
                : CurrentReceiver(method.ContainingType, env);
            if (fields is null)
            {
                return G.Zero;
            }

            self = (method.ContainingType, fields);
        }

        Node[]? args = BindArguments(inv, method, f, env);
        ArrayView?[]? arrayArgs = _pendingArrayArgs;
        _pendingArrayArgs = null;
        Node[]?[]? aggregateArgs = _pendingAggregateArgs;
        _pendingAggregateArgs = null;
        ShapedArgument?[]? shapedArgs = _pendingShapedArgs;
        _pendingShapedArgs = null;
        if (args is null)
        {
            return G.Zero;
        }

        if (self is not null)
        {
            _pendingAggregateArgs = aggregateArgs;
            _pendingReceiver = self;
            return InlineMember(inv, method, args, env);
        }

        if (method.MethodKind == MethodKind.ReducedExtension && method.ReducedFrom is IMethodSymbol definition
            && inv.Expression is MemberAccessExpressionSyntax { Expression: var receiverSyntax })
        {
            // x.Squared(): the extension method's static definition with the receiver as its first argument.
            Node receiver = LowerArgument(receiverSyntax, definition.Parameters[0].Type, f, env);
            Node[] all = new[] { receiver }.Concat(args).ToArray();
            return LowerCustom(inv, definition, all) ?? Inline(inv, definition, all, env);
        }

        string container = method.ContainingType?.ToDisplayString() ?? string.Empty;
        if (Generic && IsGenericMathMember(method))
        {
            return LowerGenericStatic(inv, method, args);
        }

        if (Generic && method.ContainingType is { Name: "SymMath", Arity: 1, ContainingNamespace: { Name: "SymGrad", ContainingNamespace.IsGlobalNamespace: true } })
        {
            // SymMath<T>: SymMath's functions and Math's, for a type parameter.
            bool symMath = method.Name is "Square" or "Silu" or "Softsign" || FunctionTable.Find(FunctionContainer.SymMath, method.Name, args.Length) is not null;
            return symMath ? LowerSymMath(inv, method, args) : LowerMath(inv, method, args);
        }

        if (container == "System.Math" || (Float && container == "System.MathF"))
        {
            return LowerMath(inv, method, args);
        }

        if (container == "SymGrad.SymMath" || (Float && container == "SymGrad.SymMathF"))
        {
            return LowerSymMath(inv, method, args);
        }

        if (IsReal(method.ContainingType))
        {
            return LowerDoubleStatic(inv, method, args);
        }

        if (arrayArgs is null && LowerCustom(inv, method, args) is Node custom)
        {
            // A function with [DerivativeOf] rules (with or without source): called as is, differentiated by its rules.
            return custom;
        }

        _pendingArrayArgs = arrayArgs;
        _pendingAggregateArgs = aggregateArgs;
        _pendingShapedArgs = shapedArgs;
        return Inline(inv, method, args, env);
    }

    /// <summary>The constant dimension d of <c>a.GetLength(d)</c>, if it is one (0 or more).</summary>
    private int? DimensionArgument(InvocationExpressionSyntax inv, Frame f) =>
        inv.ArgumentList.Arguments.Count == 1 && f.Model.GetConstantValue(inv.ArgumentList.Arguments[0].Expression, _ct) is { HasValue: true, Value: int d } && d >= 0 ? d : null;

    /// <summary>A user-defined operator on structs returning a double, inlined (its operands structs or doubles).</summary>
    private Node InlineOperator(ExpressionSyntax at, IMethodSymbol op, ExpressionSyntax[] operands, Frame f, Env env)
    {
        var args = new Node[operands.Length];
        var aggregates = new Node[]?[operands.Length];
        for (int i = 0; i < operands.Length; i++)
        {
            if (IsAggregate(op.Parameters[i].Type))
            {
                aggregates[i] = LowerAggregate(operands[i], f, env);
                if (aggregates[i] is null)
                {
                    return G.Zero;
                }

                args[i] = G.Zero;
            }
            else
            {
                args[i] = Lower(operands[i], f, env);
            }
        }

        OperatorDeclarationSyntax? decl = op.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).OfType<OperatorDeclarationSyntax>().FirstOrDefault();
        if (decl is null || !IsReal(op.ReturnType))
        {
            return Report(Diagnostics.NoSource, at, "operator " + op.Name, decl is null ? "its source was not found" : "an operator on structs used as a value returns double or the struct");
        }

        if (_callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, op.OriginalDefinition)))
        {
            return Report(Diagnostics.Recursion, at, op.Name, string.Join(" → ", _callStack.Select(m => m.Name).Concat(new[] { op.Name })));
        }

        _pendingAggregateArgs = aggregates;
        int blocks = _blocksWritten;
        Node result = LowerBody(op.OriginalDefinition, decl, decl.Body, decl.ExpressionBody, args, captured: null) ?? G.Zero;
        return blocks == _blocksWritten ? result : CallResult(result, ResultName(op), env);
    }

    private Node[]? BindArguments(InvocationExpressionSyntax inv, IMethodSymbol method, Frame f, Env env)
    {
        Node[]?[]? aggregateArgsOf = null;
        _pendingAggregateArgs = null;
        var args = new Node?[method.Parameters.Length];
        ArrayView?[]? arrays = null;
        ShapedArgument?[]? shapedArgs = null;
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

            if (IsAggregate(method.Parameters[index].Type))
            {
                // A struct argument: its fields, bound to the parameter when the callee is inlined.
                Node[]? fields = LowerAggregate(a.Expression, f, env);
                if (fields is null)
                {
                    return null;
                }

                aggregateArgsOf ??= new Node[]?[args.Length];
                aggregateArgsOf[index] = fields;
                args[index] = G.Zero;
                continue;
            }

            if (_program is not null && ShapeOf(method.Parameters[index].Type, Real) is (ArrayShape parameterShape, _))
            {
                // A matrix or jagged array argument: the callee reads the caller's (data, a local matrix, a [Wrt] one).
                ShapedArgument? bound = ShapedArgumentOf(a.Expression, parameterShape, f);
                if (bound is null)
                {
                    Unsupported(a, (parameterShape == ArrayShape.Matrix ? "matrix" : "jagged array") + " argument", "pass a matrix or jagged array parameter or local by name");
                    return null;
                }

                shapedArgs ??= new ShapedArgument?[args.Length];
                shapedArgs[index] = bound;
                args[index] = G.Zero;
                continue;
            }

            if (_program is not null && ShapedOf(a.Expression, f) is IrArray whole)
            {
                Unsupported(a, (whole.Shape == ArrayShape.Matrix ? "matrix" : "jagged array") + " argument", whole.Shape == ArrayShape.Matrix
                    ? "a matrix is passed to a helper's double[,] parameter; pass a helper one value at a time, or store the data flat (double[] X, row-major)"
                    : "pass a helper one row at a time (X[i]), which it reads as a double[] or ReadOnlySpan<double>, or the whole array to a double[][] parameter");
                return null;
            }

            if (_program is not null && ElementTypeOf(method.Parameters[index].Type, Real) is not null)
            {
                // An array or span argument: the callee reads the caller's array (a read-only view).
                ArrayView? array = ViewOf(a.Expression, f, env);
                if (array is null)
                {
                    Unsupported(a, "array argument", "pass an array or span by name, a slice (a.Slice(s, n)) or a range (a[s..e])");
                    return null;
                }

                arrays ??= new ArrayView?[args.Length];
                if (arrays.Any(other => other is not null && other.Array == array.Array) || array.SecondName is not null)
                {
                    // The same buffer twice (Dot(u, u)) or through a second name: the callee may read but not write it.
                    array = array with { SecondName = method.Parameters[index].Name };
                    for (int k = 0; k < arrays.Length; k++)
                    {
                        if (arrays[k] is ArrayView other && other.Array == array.Array && other.SecondName is null)
                        {
                            arrays[k] = other with { SecondName = method.Parameters[k].Name };
                        }
                    }
                }

                arrays[index] = array;
                args[index] = G.Zero;
                continue;
            }

            args[index] = LowerArgument(a.Expression, method.Parameters[index].Type, f, env);
        }

        _pendingArrayArgs = arrays;
        _pendingAggregateArgs = aggregateArgsOf;
        _pendingShapedArgs = shapedArgs;

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
        if (_program is not null && m.Name == "Sign" && a.Length == 1 && m.ReturnType.SpecialType == SpecialType.System_Int32)
        {
            // Math.Sign returns an int: an int choice, usable as an index (int k = Math.Sign(x) + 1); derivative 0. Of a
            // real it is the step function the table's Sign is, and warns like it (SG0101) in every mode.
            Node x = a[0];
            if (IsReal(m.Parameters[0].Type) && G.ExactValues == 0)
            {
                Report(Diagnostics.NonDifferentiable, inv, BuiltinName(inv, m));
            }

            return x.IsInt
                ? G.Select(G.Compare(Op.Greater, x, G.IConst(0)), G.IConst(1), G.Select(G.Compare(Op.Less, x, G.IConst(0)), G.IConst(-1), G.IConst(0)))
                : G.Select(G.Compare(Op.Greater, x, G.Zero), G.IConst(1), G.Select(G.Compare(Op.Less, x, G.Zero), G.IConst(-1), G.IConst(0)));
        }

        if (_program is not null && m.Parameters.All(p => p.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64) && a.All(Graph.IsIntLike))
        {
            // Index arithmetic: Max, Min, Abs and Sign of ints, as int choices.
            switch (m.Name, a.Length)
            {
                case ("Max", 2): return G.Select(G.Compare(Op.GreaterEq, G.I(a[0]), G.I(a[1])), G.I(a[0]), G.I(a[1]));
                case ("Min", 2): return G.Select(G.Compare(Op.LessEq, G.I(a[0]), G.I(a[1])), G.I(a[0]), G.I(a[1]));
                case ("Abs", 1): return G.Select(G.Compare(Op.Less, G.I(a[0]), G.IConst(0)), G.INeg(G.I(a[0])), G.I(a[0]));
            }
        }

        if (m.Parameters.Any(p => !IsReal(p.Type)))
        {
            return Report(Diagnostics.NoSource, inv, "Math." + m.Name, m.Name == "Clamp"
                ? "Math.Clamp on integers is not supported; write Math.Max(lo, Math.Min(x, hi))"
                : "only the double overloads of Math functions have derivative rules (and Max, Min and Abs on ints)");
        }

        switch (m.Name, a.Length)
        {
            case ("Log", 2): return G.Div(G.Call(Fn.Log, a[0]), G.Call(Fn.Log, a[1]));
            case ("FusedMultiplyAdd", 3): return G.Add(G.Mul(a[0], a[1]), a[2]);
        }

        return LowerBuiltin(inv, FunctionContainer.Math, m, a)
            ?? LowerCustom(inv, m, a)
            ?? Report(Diagnostics.NoSource, inv, "Math." + m.Name, "SymGrad has no derivative rule for it; declare one with [DerivativeOf]");
    }

    /// <summary>A call of a function of the <see cref="FunctionTable"/>, with its kink or step diagnostic; null if the table has none.</summary>
    private Node? LowerBuiltin(InvocationExpressionSyntax inv, FunctionContainer container, IMethodSymbol m, Node[] a)
    {
        if (FunctionTable.Find(container, m.Name, a.Length) is not FunctionEntry f)
        {
            return null;
        }

        // Inside a comparison (while (Math.Abs(x − prev) > ε)) the value only decides a branch: no derivative is taken
        // through it, so its kink or step is not worth a word.
        string name = BuiltinName(inv, m);
        if (f.Kink is KinkNote kink && G.ExactValues == 0)
        {
            Report(Diagnostics.Kink, inv, name, kink.Where, kink.Value);
        }

        if (f.NonDifferentiable && G.ExactValues == 0)
        {
            Report(Diagnostics.NonDifferentiable, inv, name);
        }

        return G.Call(f.Fn, (Node[])a.Clone());
    }

    /// <summary>A built-in function's name as written: Math.Abs, SymMath.Relu, T.Abs, SymMath&lt;T&gt;.Relu (the qualifier's last name).</summary>
    private static string BuiltinName(InvocationExpressionSyntax inv, IMethodSymbol m) =>
        (inv.Expression is MemberAccessExpressionSyntax { Expression: var qualifier }
            ? (qualifier is MemberAccessExpressionSyntax outer ? outer.Name.ToString() : qualifier.ToString())
            : m.ContainingType?.Name ?? "Math") + "." + m.Name;

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

            // The generic-math statics that are compositions of the functions with rules.
            case ("Lerp", 3): return G.Add(a[0], G.Mul(G.Sub(a[1], a[0]), a[2]));
            case ("DegreesToRadians", 1): return G.Mul(a[0], G.Const(Math.PI / 180.0));
            case ("RadiansToDegrees", 1): return G.Mul(a[0], G.Const(180.0 / Math.PI));
            case ("SinPi", 1): return G.Call(Fn.Sin, G.Mul(G.Const(Math.PI), a[0]));
            case ("CosPi", 1): return G.Call(Fn.Cos, G.Mul(G.Const(Math.PI), a[0]));
            case ("TanPi", 1): return G.Call(Fn.Tan, G.Mul(G.Const(Math.PI), a[0]));
            case ("AsinPi", 1): return G.Div(G.Call(Fn.Asin, a[0]), G.Const(Math.PI));
            case ("AcosPi", 1): return G.Div(G.Call(Fn.Acos, a[0]), G.Const(Math.PI));
            case ("AtanPi", 1): return G.Div(G.Call(Fn.Atan, a[0]), G.Const(Math.PI));
            case ("Atan2Pi", 2): return G.Div(G.Call(Fn.Atan2, a[0], a[1]), G.Const(Math.PI));
            case ("Exp2", 1): return G.Call(Fn.Pow, G.Const(2.0), a[0]);
            case ("Exp10", 1): return G.Call(Fn.Pow, G.Const(10.0), a[0]);
        }

        // double.Hypot, double.LogP1, …; double.Exp, double.Sin, double.Max, … (generic math) are the Math functions.
        return LowerBuiltin(inv, FunctionContainer.Double, m, a) ?? LowerMath(inv, m, a);
    }

    /// <summary>A static member of a generic-math interface (<c>T.Exp</c>, <c>T.One</c>, <c>T.CreateChecked</c>), reached through a type parameter.</summary>
    private static bool IsGenericMathMember(ISymbol member) => member.IsStatic
        && member.ContainingType is { TypeKind: TypeKind.Interface, ContainingNamespace: { Name: "Numerics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// <c>T.Exp(x)</c>, <c>T.Max(a, b)</c>, … in a generic method: Math's and double's functions of the same name;
    /// <c>T.CreateChecked(v)</c> (and Truncating, Saturating) of a constant, an int or a T: that value as a T.
    /// </summary>
    private Node LowerGenericStatic(InvocationExpressionSyntax inv, IMethodSymbol m, Node[] a)
    {
        if (m.Name is "CreateChecked" or "CreateTruncating" or "CreateSaturating" && a.Length == 1)
        {
            return G.D(a[0]);
        }

        return LowerDoubleStatic(inv, m, a);
    }

    /// <summary>
    /// <c>T.One</c>, <c>T.Pi</c>, … in a generic method: the constants every IEEE type has, rounded to T by the generated
    /// code (<c>T.CreateTruncating(3.141592653589793)</c> is T's π); the ones that depend on T's format (Epsilon,
    /// MaxValue, …) are SG0019.
    /// </summary>
    private Node LowerGenericConstant(ExpressionSyntax at, IPropertySymbol p)
    {
        switch (p.Name)
        {
            case "Zero" or "NegativeZero" or "AdditiveIdentity": return G.Zero;
            case "One" or "MultiplicativeIdentity": return G.One;
            case "NegativeOne": return G.Const(-1.0);
            case "Pi": return G.Const(Math.PI);
            case "E": return G.Const(Math.E);
            case "Tau": return G.Const(2.0 * Math.PI);
            case "NaN": return G.Const(double.NaN);
            case "PositiveInfinity": return G.Const(double.PositiveInfinity);
            case "NegativeInfinity": return G.Const(double.NegativeInfinity);
        }

        return ReportForeignReal(at, "'" + at + "' depends on T's format",
            "a generic method's constants are the ones every T shares (T.Zero, T.One, T.NegativeOne, T.Pi, T.E, T.Tau, T.NaN, T.PositiveInfinity, T.NegativeInfinity) or T.CreateChecked(c); pass a format-dependent value such as T.Epsilon as a parameter");
    }

    private Node LowerSymMath(InvocationExpressionSyntax inv, IMethodSymbol m, Node[] a)
    {
        switch (m.Name, a.Length)
        {
            case ("Square", 1): return G.Mul(a[0], a[0]);
            case ("Silu", 1): return G.Mul(a[0], G.Call(Fn.Sigmoid, a[0]));
            case ("Softsign", 1): return G.Div(a[0], G.Add(G.One, G.Call(Fn.Abs, a[0])));
        }

        return LowerBuiltin(inv, FunctionContainer.SymMath, m, a)
            ?? LowerCustom(inv, m, a)
            ?? Report(Diagnostics.NoSource, inv, "SymMath." + m.Name, "SymGrad has no derivative rule for it; declare one with [DerivativeOf]");
    }

    private Node Inline(InvocationExpressionSyntax inv, IMethodSymbol method, Node[] args, Env env)
    {
        string name = method.ContainingType is null ? method.Name : method.ContainingType.Name + "." + method.Name;
        bool local = method.MethodKind == MethodKind.LocalFunction;
        if (!local && (!method.IsStatic || method.MethodKind != MethodKind.Ordinary))
        {
            return Report(Diagnostics.NoSource, inv, name, "only static methods and local functions can be inlined");
        }

        bool Accepted(IParameterSymbol p) => p.RefKind == RefKind.None
            && (IsReal(p.Type) || IsAggregate(p.Type) || (_program is not null && (ElementTypeOf(p.Type, Real) is not null || VarTypeOf(p.Type, Real) is not null || ShapeOf(p.Type, Real) is not null)));
        bool returns = IsReal(method.ReturnType) || (_program is not null && ((method.ReturnsVoid && inv.Parent is ExpressionStatementSyntax) || IsIntReturn(method)));
        if (Real != RealKind.Double && (!returns || !method.Parameters.All(Accepted)) && (IsForeignReal(method.ReturnType) || method.Parameters.Any(p => IsForeignReal(p.Type))))
        {
            _pendingArrayArgs = null;
            _pendingShapedArgs = null;
            return ReportForeignReal(inv, "'" + name + "' takes or returns " + (Generic ? "double or float" : "double"), Generic
                ? "a generic method computes in its type parameter, so the helpers it calls are generic too (static U Helper<U>(U x) where U : …); make the helper generic, or make the method double"
                : "a float method is differentiated in float, so the helpers it calls take and return float; write a float version of the helper, or make the method double");
        }

        if (!returns || !method.Parameters.All(Accepted))
        {
            _pendingArrayArgs = null;
            _pendingShapedArgs = null;
            return Report(Diagnostics.NoSource, inv, name, _program is null
                ? "a callee must take double parameters by value and return double"
                : "a callee must take double, int, bool, array or span parameters by value and return double or int (or be void and called as a statement)");
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

            return CallResult(LowerBody(method, fn, fn.Body, fn.ExpressionBody, args, env) ?? G.Zero, method.Name, env);
        }

        MethodDeclarationSyntax? decl = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(_ct)).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(d => d.Body is not null || d.ExpressionBody is not null);
        if (decl is null)
        {
            return Report(Diagnostics.NoSource, inv, name, "its source is not in this compilation and SymGrad has no derivative rule for it; declare one with [DerivativeOf] (see SG0003's help)");
        }

        IMethodSymbol original = method.OriginalDefinition;
        int at = _callStack.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, original));
        if (at >= 0)
        {
            string chain = string.Join(" → ", _callStack.Skip(at).Select(m => m.Name).Concat(new[] { method.Name }));
            return Report(Diagnostics.Recursion, inv, name, chain);
        }

        return CallResult(LowerBody(original, decl, args) ?? G.Zero, method.Name, env);
    }

    /// <summary>
    /// Program mode: a call's value, kept in a variable of the caller when it reads program state — the callee's locals
    /// are program variables, and a later call of the same helper (<c>Dot(u, u) * Dot(v, v)</c>) overwrites them.
    /// </summary>
    private Node CallResult(Node value, string name, Env env)
    {
        if (_program is null || !ReadsNonParameterState(value))
        {
            return value;
        }

        return Materialize(value, char.ToLowerInvariant(name[0]) + name.Substring(1), env);
    }
}
