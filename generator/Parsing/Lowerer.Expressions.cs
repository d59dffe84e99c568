using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Parsing;

/// <summary>Expressions: arithmetic, conditions, patterns, switch expressions, identifiers and static values.</summary>
internal sealed partial class Lowerer
{
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

        if (Real != RealKind.Double && e is not ParenthesizedExpressionSyntax && f.Model.GetTypeInfo(e, _ct).Type is ITypeSymbol eType && IsForeignReal(eType)
            && !(e is IdentifierNameSyntax && f.Model.GetSymbolInfo(e, _ct).Symbol is ILocalSymbol or IParameterSymbol))
        {
            // (A double local or parameter is reported where it is declared, not at every use.)
            // The outermost double expression is reported (its parts are not lowered, so it is reported once).
            return ReportForeignReal(e, "'" + Shorten(e.ToString()) + "' is " + eType.ToDisplayString());
        }

        if (e is MemberAccessExpressionSyntax aggregateAccess && f.Model.GetSymbolInfo(aggregateAccess, _ct).Symbol is ISymbol { IsStatic: false } aggregateMember
            && aggregateMember is IFieldSymbol or IPropertySymbol && IsAggregate(aggregateMember.ContainingType))
        {
            // v.X of a struct value (its field, or its property's getter inlined).
            return TryLowerAggregateMember(e, aggregateAccess.Expression, aggregateMember, f, env) ?? G.Zero;
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
                if (IsReal(to))
                {
                    return G.D(Lower(cast.Expression, f, env));
                }

                if (_program is not null && to?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 && Lower(cast.Expression, f, env) is Node castInt)
                {
                    // (int)x of an int is x; of a real, C#'s truncation, an int with no derivative (a table index).
                    return Graph.IsIntLike(castInt) ? G.I(castInt) : castInt.IsReal ? G.ToInt(castInt) : Unsupported(e, "cast of a condition to int", "a bool is not an int in C#");
                }

                return Unsupported(e, "cast to '" + (to?.ToDisplayString() ?? "?") + "'", "only double values are supported");
            }

            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression):
            {
                Node operand = Numeric(u.Operand, f, env);
                return operand.IsInt ? G.INeg(operand) : G.Neg(operand);
            }
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryPlusExpression):
                return Numeric(u.Operand, f, env);
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                return G.Not(LowerCondition(u.Operand, f, env));

            case BinaryExpressionSyntax b:
                return LowerBinary(b, f, env);

            case IsPatternExpressionSyntax isp:
            {
                // A bool is tested too (flag is var b), a condition rather than a number.
                Node tested = LowerTested(isp.Expression, () => f.Model.GetTypeInfo(isp.Expression, _ct).Type?.SpecialType == SpecialType.System_Boolean
                    ? LowerCondition(isp.Expression, f, env)
                    : Numeric(isp.Expression, f, env), f, out bool reported);
                return LowerPattern(isp.Pattern, tested, f, env, reported);
            }

            case SwitchExpressionSyntax sw:
                return LowerSwitch(sw, f, env);

            case ConditionalExpressionSyntax c:
            {
                Node cond = LowerCondition(c.Condition, f, env);
                Node a = Lower(c.WhenTrue, f, env);
                Node b = Lower(c.WhenFalse, f, env);
                if (_program is not null && f.Model.GetTypeInfo(c, _ct).Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                    && Graph.IsIntLike(a) && Graph.IsIntLike(b))
                {
                    // An int choice (c ? 2 : 1): int on both sides, so arithmetic on it stays int.
                    return G.Select(cond, G.I(a), G.I(b));
                }

                return G.Select(cond, a, b);
            }

            case IdentifierNameSyntax id:
                return LowerIdentifier(id, f, env);

            case InvocationExpressionSyntax inv:
                return LowerInvocation(inv, f, env);

            case MemberAccessExpressionSyntax ma when ma.Name.Identifier.ValueText == "Length" && _program is not null && IsJaggedRow(ma.Expression, f):
                return JaggedRow(ma.Expression, f, env)?.Length ?? G.Zero; // X[i].Length, read at once

            case MemberAccessExpressionSyntax ma when ma.Name.Identifier.ValueText == "Length" && _program is not null
                && f.Model.GetSymbolInfo(ma.Expression, _ct).Symbol is ISymbol structArray && _structArrays.TryGetValue(structArray, out var structs):
                return G.StructCount(structs.Array.Id); // the number of structs

            case MemberAccessExpressionSyntax ma when ma.Name.Identifier.ValueText == "Length" && _program is not null && ShapedOf(ma.Expression, f) is IrArray shapedLength:
                return G.Length(shapedLength.Id); // all elements of a matrix, the rows of a jagged array

            case MemberAccessExpressionSyntax ma when ma.Name.Identifier.ValueText == "Length" && _program is not null && ViewOf(ma.Expression, f, env) is ArrayView lengthOf:
                return lengthOf.Length;

            case ElementAccessExpressionSyntax access when _program is not null && TryLoad(access, f, env) is Node loaded:
                return loaded;

            case MemberAccessExpressionSyntax ma when ma.Name.Identifier.ValueText == "Length"
                && f.Model.GetSymbolInfo(ma.Expression, _ct).Symbol is ISymbol arraySymbol && env.GetArray(arraySymbol) is Node?[] arrayElements:
                return G.Const(arrayElements.Length);

            case MemberAccessExpressionSyntax ma when f.Model.GetSymbolInfo(ma.Expression, _ct).Symbol is ISymbol reported && _failedArrays.Contains(reported):
                return G.Zero; // a member of a local already reported (SG0005)

            case MemberAccessExpressionSyntax ma:
            {
                ISymbol? s = f.Model.GetSymbolInfo(ma, _ct).Symbol;
                if (s is IFieldSymbol && _fieldNodes.TryGetValue(s, out Node? field))
                {
                    return field; // this.W or T.W
                }

                if (Generic && s is IPropertySymbol genericConstant && IsGenericMathMember(genericConstant))
                {
                    return LowerGenericConstant(ma, genericConstant);
                }

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
            case AssignmentExpressionSyntax assign:
                return CapturedAssignment(assign.Left, f) ?? Unsupported(e, "nested assignment", "assign in a statement of its own");
            case PostfixUnaryExpressionSyntax { Operand: var operand }:
                return CapturedAssignment(operand, f) ?? Unsupported(e, "increment or decrement inside an expression", "use x++ / x-- as a statement of its own");
            case PrefixUnaryExpressionSyntax { Operand: var operand }:
                return CapturedAssignment(operand, f) ?? Unsupported(e, "increment or decrement inside an expression", "use x++ / x-- as a statement of its own");
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
        Node value = LowerTested(sw.GoverningExpression, () => Lower(sw.GoverningExpression, f, env), f, out bool reported);
        Node result = G.Const(double.NaN);
        for (int i = sw.Arms.Count - 1; i >= 0; i--)
        {
            SwitchExpressionArmSyntax arm = sw.Arms[i];
            Node matches = arm.Pattern is DiscardPatternSyntax ? G.Bool(true) : LowerPattern(arm.Pattern, value, f, env, reported);
            if (arm.WhenClause is not null)
            {
                matches = G.And(matches, LowerCondition(arm.WhenClause.Condition, f, env));
            }

            result = G.Select(matches, Numeric(arm.Expression, f, env), result);
        }

        return result;
    }

    /// <summary>
    /// Relational, constant, and/or/not patterns over a double: <c>x is &gt; 0 and &lt; 1</c>; and patterns that name the
    /// value (<c>var v</c>, <c>double d</c>, <c>int m</c>, a type pattern <c>double</c>), which always match a value of
    /// their own type: the new local is bound to <paramref name="value"/>, so the <c>when</c> clause, the arm and the
    /// section read the governing value itself (and its derivative).
    /// </summary>
    private Node LowerPattern(PatternSyntax p, Node value, Frame f, Env env, bool valueReported)
    {
        if (valueReported)
        {
            // The tested value already has its error: the pattern adds none, nor do the names it declares.
            QuietPatternLocals(p, f, env);
            return G.Bool(false);
        }

        return LowerPattern(p, value, f, env);
    }

    private Node LowerPattern(PatternSyntax p, Node value, Frame f, Env env)
    {
        switch (p)
        {
            case VarPatternSyntax or DeclarationPatternSyntax or TypePatternSyntax:
                return LowerNamingPattern(p, value, f, env);
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
                QuietPatternLocals(p, f, env);
                return G.Bool(false);
        }
    }

    /// <summary>
    /// <c>var v</c>, <c>double d</c> (<c>int m</c>, <c>long k</c>, <c>bool b</c>, <c>double _</c>) and the type pattern
    /// <c>double</c>, over a value of that same type: true, with the declared local bound to the value. Another type
    /// (<c>object o</c>), or a deconstruction (<c>var (a, b)</c>), is reported once, and the names it declares stay quiet.
    /// </summary>
    private Node LowerNamingPattern(PatternSyntax p, Node value, Frame f, Env env)
    {
        VariableDesignationSyntax? designation = p switch
        {
            VarPatternSyntax vp => vp.Designation,
            DeclarationPatternSyntax dp => dp.Designation,
            _ => null,
        };
        var operation = f.Model.GetOperation(p, _ct) as IPatternOperation;
        ITypeSymbol? input = operation?.InputType;
        ITypeSymbol? declared = operation?.NarrowedType; // var: the input type
        bool supported = IsReal(input) || IsIntegral(input) || input?.SpecialType == SpecialType.System_Boolean;
        if (!supported || !SymbolEqualityComparer.Default.Equals(input, declared) || designation is ParenthesizedVariableDesignationSyntax)
        {
            Unsupported(p, "pattern", designation is ParenthesizedVariableDesignationSyntax
                ? "a deconstruction pattern needs a tuple; name the value itself (var v, double d)"
                : "a var or declaration pattern names a double, int, long or bool value as a local of its own type (double d on a double, int m on an int)");
            QuietPatternLocals(p, f, env);
            return G.Bool(false);
        }

        if (designation is SingleVariableDesignationSyntax single && f.Model.GetDeclaredSymbol(single, _ct) is ILocalSymbol local)
        {
            Bind(env, local, value); // as double m = value; would (an unnamed value takes the local's name)
        }

        return G.Bool(true);
    }

    /// <summary>
    /// The value a switch or an <c>is</c> tests, lowered by <paramref name="lower"/>; <paramref name="reported"/>: lowering
    /// it reported an error, or it names a local whose declaration did (its patterns then report nothing more).
    /// </summary>
    private Node LowerTested(ExpressionSyntax e, Func<Node> lower, Frame f, out bool reported)
    {
        int before = _diagnostics.Count;
        Node value = lower();
        reported = (e is IdentifierNameSyntax && f.Model.GetSymbolInfo(e, _ct).Symbol is ISymbol s && _failedArrays.Contains(s))
            || _diagnostics.Skip(before).Any(d => Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
        return value;
    }

    /// <summary>
    /// The locals an unsupported pattern declares: bound to a placeholder, so their uses (in the <c>when</c> clause, the
    /// arm, the section) do not each report an error of their own.
    /// </summary>
    private void QuietPatternLocals(PatternSyntax p, Frame f, Env env)
    {
        foreach (SingleVariableDesignationSyntax d in p.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>())
        {
            if (f.Model.GetDeclaredSymbol(d, _ct) is ILocalSymbol local)
            {
                env.Set(local, G.Zero);
                _failedArrays.Add(local); // nor its members
            }
        }
    }

    /// <summary>Source text for a message: one line, at most 60 characters.</summary>
    private static string Shorten(string text)
    {
        string line = string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        return line.Length <= 60 ? line : line.Substring(0, 57) + "...";
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

        if (f.Model.GetSymbolInfo(b, _ct).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op && op.Parameters.Any(p => IsAggregate(p.Type)))
        {
            // a * b of structs (a dot product, say): the operator inlined.
            return InlineOperator(b, op, new[] { b.Left, b.Right }, f, env);
        }

        // The operands of a comparison are the method's own values (no stability rewrite): the branches taken are its.
        bool comparison = b.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression
            or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression;
        G.ExactValues += comparison ? 1 : 0;
        Node l;
        Node r;
        try
        {
            l = Lower(b.Left, f, env);
            r = Lower(b.Right, f, env);
        }
        finally
        {
            G.ExactValues -= comparison ? 1 : 0;
        }

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
            case SyntaxKind.ModuloExpression:
                // a % b on reals: C#'s truncated remainder, whose partials are 1 and −trunc(a/b).
                return G.Call(Fn.Remainder, l, r);
            case SyntaxKind.LessThanExpression: return G.Compare(Op.Less, l, r);
            case SyntaxKind.LessThanOrEqualExpression: return G.Compare(Op.LessEq, l, r);
            case SyntaxKind.GreaterThanExpression: return G.Compare(Op.Greater, l, r);
            case SyntaxKind.GreaterThanOrEqualExpression: return G.Compare(Op.GreaterEq, l, r);
            case SyntaxKind.EqualsExpression: return G.Compare(Op.Eq, l, r);
            case SyntaxKind.NotEqualsExpression: return G.Compare(Op.NotEq, l, r);
            default:
                return Unsupported(b, "'" + b.OperatorToken.Text + "' operator", "supported operators are + - * / % and comparisons, &&, ||, !");
        }
    }

    /// <summary>Integer arithmetic (C# semantics: truncating division) on values known at compile time.</summary>
    private Node IntegerBinary(BinaryExpressionSyntax b, Node l, Node r)
    {
        if ((l.IsInt || r.IsInt) && Graph.IsIntLike(l) && Graph.IsIntLike(r))
        {
            // Program mode: run-time ints (counters, indices, lengths, int parameters) stay ints.
            Op? op = b.Kind() switch
            {
                SyntaxKind.AddExpression => Op.IAdd,
                SyntaxKind.SubtractExpression => Op.ISub,
                SyntaxKind.MultiplyExpression => Op.IMul,
                SyntaxKind.DivideExpression => Op.IDiv,
                SyntaxKind.ModuloExpression => Op.IRem,
                _ => null,
            };
            return op is null
                ? Unsupported(b, "'" + b.OperatorToken.Text + "' on integers", "only + - * / % are supported on integers")
                : G.IntOp(op.Value, l, r);
        }

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

    /// <summary>
    /// An assignment (or ++/--) whose target is a variable or array of the enclosing method, inside an inlined local
    /// function: reported as that (the cause), as a block body's statement is, and not as a "nested assignment" because an
    /// expression body (<c>void Add(double v) => s += v;</c>) is lowered as a value. Null for any other target.
    /// </summary>
    private Node? CapturedAssignment(ExpressionSyntax target, Frame f)
    {
        ExpressionSyntax name = target is ElementAccessExpressionSyntax access ? access.Expression : target;
        if (f.Captured is null || name is not IdentifierNameSyntax || f.Model.GetSymbolInfo(name, _ct).Symbol is not ISymbol captured || !f.Captured.Contains(captured))
        {
            return null;
        }

        return Unsupported(target, "assignment to captured " + (name == target ? "variable" : "array") + " '" + captured.Name + "'", "a local function may read, but not assign, variables of the enclosing method");
    }

    private Node LowerIdentifier(IdentifierNameSyntax id, Frame f, Env env)
    {
        ISymbol? symbol = f.Model.GetSymbolInfo(id, _ct).Symbol;
        switch (symbol)
        {
            case ILocalSymbol or IParameterSymbol:
                if (!env.IsDeclared(symbol))
                {
                    return IsPoisoned(symbol) ? G.Zero : Unsupported(id, "variable '" + symbol.Name + "'", "it is not a local variable or parameter of this method");
                }

                Node? n = env.Get(symbol);
                if (n is null)
                {
                    Report(Diagnostics.Unassigned, id, symbol.Name);
                    return G.Zero;
                }

                return n;
            case IFieldSymbol when _fieldNodes.TryGetValue(symbol, out Node? field):
                return field;
            case IFieldSymbol or IPropertySymbol when TryLowerAggregateMember(id, null, symbol, f, env) is Node member:
                return member; // X inside a member of a struct being inlined
            case IFieldSymbol or IPropertySymbol:
                return LowerStaticValue(id, symbol);
            default:
                return Unsupported(id, "name '" + id.Identifier.ValueText + "'", "it is not a parameter, local or constant");
        }
    }

    // Statics already reported as unreadable from the generated code's type (see ReportIfUnreadable).
    private readonly HashSet<ISymbol> _unreadable = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A static the generated code reads where it is written, in the [Differentiable] method's own type: one private to
    /// another type (a helper's table) cannot be read there. Reported once per member; true when it was.
    /// </summary>
    private bool ReportIfUnreadable(ISymbol symbol, SyntaxNode at)
    {
        if (_callStack.Count == 0 || _compilation.IsSymbolAccessibleWithin(symbol, _callStack[0].ContainingType))
        {
            return false;
        }

        if (_unreadable.Add(symbol))
        {
            Unsupported(at, "member '" + symbol.ContainingType.Name + "." + symbol.Name + "'", "the generated code reads it from '" + _callStack[0].ContainingType.Name
                + "', where it is not accessible; make it internal, or pass it to the method as a parameter");
        }

        return true;
    }

    /// <summary>
    /// A static whose value can change between calls is still a constant to the derivative: SG0103 says so (const and
    /// static readonly fields, and get-only properties, stay silent).
    /// </summary>
    private void ReportIfMutableStatic(ISymbol symbol, SyntaxNode at)
    {
        string? mutable = symbol switch
        {
            IFieldSymbol { IsConst: false, IsReadOnly: false } => "field",
            IPropertySymbol { SetMethod: not null } => "property",
            _ => null,
        };
        if (mutable is not null)
        {
            Report(Diagnostics.MutableStatic, at, symbol.ContainingType.Name + "." + symbol.Name, mutable);
        }
    }

    /// <summary>
    /// The value of a static readonly field whose initializer is a constant (<c>static readonly int N = 10;</c>) and that
    /// no static constructor of its own type may reassign, or of a get-only static property whose expression body is
    /// a constant (<c>static int N => 10;</c>); null for anything else.
    /// </summary>
    private object? ConstantInitializer(ISymbol symbol)
    {
        ExpressionSyntax? value = symbol switch
        {
            IFieldSymbol { IsStatic: true, IsReadOnly: true } field when field.ContainingType.StaticConstructors.All(c => c.IsImplicitlyDeclared)
                => field.DeclaringSyntaxReferences.Length == 1 && field.DeclaringSyntaxReferences[0].GetSyntax(_ct) is VariableDeclaratorSyntax { Initializer.Value: var v } ? v : null,
            IPropertySymbol { IsStatic: true, SetMethod: null } property
                => property.DeclaringSyntaxReferences.Length == 1 && property.DeclaringSyntaxReferences[0].GetSyntax(_ct) is PropertyDeclarationSyntax { ExpressionBody.Expression: var v } ? v : null,
            _ => null,
        };
        if (value is null || !_compilation.ContainsSyntaxTree(value.SyntaxTree))
        {
            return null;
        }

        Optional<object?> constant = ModelFor(value.SyntaxTree).GetConstantValue(value, _ct);
        return constant.HasValue && constant.Value is bool or int or long ? constant.Value : null;
    }

    /// <summary>
    /// A static double field or property (e.g. <c>static readonly double Scale</c>): read when the generated
    /// code runs, and constant with respect to every parameter; a mutable one (a field that is neither const nor
    /// readonly, a property with a setter) is reported as such (SG0103).
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
            return Unsupported(at, "member '" + symbol.Name + "'", symbol.IsStatic
                ? "only static double fields and readable static double properties can be read; pass an array as a parameter"
                : Fields.Length > 0 || !_callStack[0].IsStatic
                    ? "a model's other fields are read (as data) when they are double, int, long, bool, double[] or int[] fields; properties and other types are not: read the field itself, mark it [Param] to train it, or pass the value as a parameter of the method"
                    : "only static double fields and readable static double properties can be read; instance state is not available in a static method");
        }

        if (type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean)
        {
            // A size or a flag: static readonly with a constant initializer is a constant, as a const is.
            return ConstantInitializer(symbol) switch
            {
                bool b => G.Bool(b),
                IConvertible c => G.Const(c.ToDouble(CultureInfo.InvariantCulture)),
                _ => Unsupported(at, "member '" + symbol.Name + "'", "a static " + type.ToDisplayString() + " is read when it is const, or static readonly (or an expression-bodied static property) with a constant value, e.g. static readonly int N = 10; pass this one to the method as a parameter"),
            };
        }

        if (!IsReal(type))
        {
            return Unsupported(at, "member '" + symbol.Name + "'", "it has type '" + type.ToDisplayString() + "'; only double values are supported");
        }

        ReportIfMutableStatic(symbol, at);
        if (ReportIfUnreadable(symbol, at))
        {
            return G.Zero;
        }

        string owner = symbol.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return G.Extern(owner + "." + symbol.Name, symbol.Name);
    }
}
