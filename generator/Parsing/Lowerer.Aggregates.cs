using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Parsing;

/// <summary>
/// Users' value types, by scalar replacement: a struct with source whose instance fields are all of the real type
/// (<c>record struct Vec3(double X, double Y, double Z)</c>, a struct with double fields and a constructor) is an
/// aggregate, one node per field. Locals, helper parameters and results of such a type are their fields' values; its
/// constructors, operators, properties and methods (with source) are inlined. So a model written with a small vector
/// type differentiates as if it were written with doubles, and the generated code has no struct in it.
/// </summary>
internal sealed partial class Lowerer
{
    private const int MaxAggregateFields = 64;

    private readonly Dictionary<ITypeSymbol, IFieldSymbol[]?> _aggregateTypes = new(SymbolEqualityComparer.Default);

    // Program mode: one variable per field of an aggregate local or parameter.
    private readonly Dictionary<ISymbol, IrVar[]> _aggregateVars = new(SymbolEqualityComparer.Default);

    // The receivers of the instance members being inlined (this), innermost last.
    private readonly List<(INamedTypeSymbol Type, Node[] Fields)> _receivers = new();

    // Aggregate arguments of the callee about to be lowered (by parameter), like _pendingArrayArgs.
    private Node[]?[]? _pendingAggregateArgs;

    // The receiver of the instance member about to be lowered.
    private (INamedTypeSymbol Type, Node[] Fields)? _pendingReceiver;

    // The struct variable a mutating method (v.Scale(2)) is being inlined on: its this is a variable of the callee's
    // environment (the method's this parameter), read and assigned there, then written back to v. Depth: how many
    // receivers enclose the method's own body (a member it calls has a receiver of its own).
    private (INamedTypeSymbol Type, ISymbol Self, int Depth)? _mutableThis;

    /// <summary>this of a member of <paramref name="type"/> being inlined: a mutating method's current value, or the receiver's fields.</summary>
    private Node[]? CurrentReceiver(INamedTypeSymbol? type, Env env)
    {
        if (_mutableThis is (INamedTypeSymbol t, ISymbol self, int depth) && depth == _receivers.Count && (type is null || SymbolEqualityComparer.Default.Equals(t, type)))
        {
            return GetAggregate(env, self);
        }

        return _receivers.Count > 0 && (type is null || SymbolEqualityComparer.Default.Equals(_receivers[_receivers.Count - 1].Type, type))
            ? _receivers[_receivers.Count - 1].Fields
            : null;
    }

    /// <summary>The instance fields of an aggregate type, in declaration order; null when <paramref name="t"/> is not one.</summary>
    private IFieldSymbol[]? AggregateFields(ITypeSymbol? t)
    {
        if (t is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsGenericType: false, SpecialType: SpecialType.None } named
            || named.DeclaringSyntaxReferences.Length == 0 || named.IsRefLikeType)
        {
            return null;
        }

        if (!_aggregateTypes.TryGetValue(named, out IFieldSymbol[]? fields))
        {
            IFieldSymbol[] all = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToArray();
            fields = all.Length > 0 && all.Length <= MaxAggregateFields && all.All(f => IsReal(f.Type)) && !all.Any(HasInitializer) ? all : null;
            _aggregateTypes[named] = fields;
        }

        return fields;
    }

    /// <summary>
    /// Whether a field (or the auto-property it backs) has an initializer (<c>public double W = 1;</c>): constructors run
    /// those first, which the inlined constructor would not, so such a struct is not replaced by its fields.
    /// </summary>
    private bool HasInitializer(IFieldSymbol field)
    {
        ISymbol declared = field.AssociatedSymbol ?? field;
        return declared.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).Any(s =>
            s is VariableDeclaratorSyntax { Initializer: not null } or PropertyDeclarationSyntax { Initializer: not null });
    }

    private bool IsAggregate(ITypeSymbol? t) => AggregateFields(t) is not null;

    /// <summary>The field a member stands for: the field itself, or an auto-property's backing field; −1 for anything else.</summary>
    private int FieldIndex(ITypeSymbol type, ISymbol member)
    {
        IFieldSymbol[] fields = AggregateFields(type)!;
        for (int i = 0; i < fields.Length; i++)
        {
            if (SymbolEqualityComparer.Default.Equals(fields[i], member) || SymbolEqualityComparer.Default.Equals(fields[i].AssociatedSymbol, member))
            {
                return i;
            }
        }

        return -1;
    }

    private Node[] Zeros(ITypeSymbol type) => AggregateFields(type)!.Select(_ => G.Zero).ToArray();

    // ------------------------------------------------------------------ bindings

    private Node[]? GetAggregate(Env env, ISymbol s)
    {
        if (_program is null)
        {
            Node?[]? fields = env.GetArray(s);
            return fields is null || fields.Any(n => n is null) ? null : fields.Select(n => n!).ToArray();
        }

        return _aggregateVars.TryGetValue(s, out IrVar[]? vars) ? vars.Select(v => env.GetFlag(v) ?? VarNode(v)).ToArray() : null;
    }

    private void SetAggregate(Env env, ISymbol s, Node[] value)
    {
        if (_program is null)
        {
            env.SetArray(s, value.Cast<Node?>().ToArray());
            return;
        }

        if (!_aggregateVars.TryGetValue(s, out IrVar[]? vars))
        {
            ITypeSymbol type = VariableType(s)!;
            string prefix = s is IMethodSymbol ? "self" : s.Name;
            vars = AggregateFields(type)!.Select(f => _program.AddVar(prefix + "_" + (f.AssociatedSymbol?.Name ?? f.Name), VarType.Double)).ToArray();
            _aggregateVars[s] = vars;
        }

        for (int i = 0; i < vars.Length; i++)
        {
            env.SetFlag(vars[i], G.D(value[i]));
        }
    }

    /// <summary>The type of a variable holding a struct: a local's, a parameter's, or a mutating method's this (see <see cref="TryLowerMutatingCall"/>).</summary>
    private static ITypeSymbol? VariableType(ISymbol? s) => s switch
    {
        ILocalSymbol l => l.Type,
        IParameterSymbol p => p.Type,
        IMethodSymbol m => m.ContainingType,
        _ => null,
    };

    /// <summary>Whether <paramref name="s"/> is a local or parameter of a struct type replaced by its fields.</summary>
    private bool IsAggregateVariable(ISymbol? s) => s is ILocalSymbol or IParameterSymbol && IsAggregate(VariableType(s));

    // ------------------------------------------------------------------ values

    /// <summary>The fields of an expression of an aggregate type, or null (reported).</summary>
    private Node[]? LowerAggregate(ExpressionSyntax e, Frame f, Env env)
    {
        ITypeSymbol? type = f.Model.GetTypeInfo(e, _ct).ConvertedType ?? f.Model.GetTypeInfo(e, _ct).Type;
        if (AggregateFields(type) is not IFieldSymbol[] fields)
        {
            Unsupported(e, "value of type '" + (type?.ToDisplayString() ?? "?") + "'", "SymGrad replaces structs whose instance fields are all double by their fields; this one is not such a struct");
            return null;
        }

        switch (e)
        {
            case ParenthesizedExpressionSyntax p:
                return LowerAggregate(p.Expression, f, env);

            case CheckedExpressionSyntax ch:
                return LowerAggregate(ch.Expression, f, env);

            case ThisExpressionSyntax when CurrentReceiver(null, env) is Node[] self:
                return self;

            case IdentifierNameSyntax id when f.Model.GetSymbolInfo(id, _ct).Symbol is ISymbol s && (s is ILocalSymbol or IParameterSymbol):
            {
                Node[]? value = GetAggregate(env, s);
                if (value is null)
                {
                    Report(Diagnostics.Unassigned, id, s.Name);
                }

                return value;
            }

            case ElementAccessExpressionSyntax when TryLowerStructElement(e, f, env) is Node[] element:
                return element;

            case DefaultExpressionSyntax or LiteralExpressionSyntax { RawKind: (int)SyntaxKind.DefaultLiteralExpression }:
                return Zeros(type!);

            case BaseObjectCreationExpressionSyntax creation:
                return LowerCreation(creation, type!, f, env);

            case WithExpressionSyntax with:
            {
                Node[]? value = LowerAggregate(with.Expression, f, env);
                return value is null ? null : Initialize((Node[])value.Clone(), type!, with.Initializer, f, env);
            }

            case ConditionalExpressionSyntax c:
            {
                Node cond = LowerCondition(c.Condition, f, env);
                Node[]? a = LowerAggregate(c.WhenTrue, f, env);
                Node[]? b = LowerAggregate(c.WhenFalse, f, env);
                return a is null || b is null ? null : a.Select((x, i) => G.Select(cond, x, b[i])).ToArray();
            }

            case InvocationExpressionSyntax or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax
                when f.Model.GetSymbolInfo(e, _ct).Symbol is ISymbol member:
                return LowerAggregateCall(e, member, f, env);

            default:
                Unsupported(e, "value of type '" + type!.Name + "'", "a struct value is a local or parameter, new " + type.Name + "(…), default, a with expression, ?: of two, or a call of a method, operator or property with source returning one");
                return null;
        }
    }

    /// <summary><c>new T(…)</c> and <c>new T { … }</c>: a positional record's parameters, or a constructor with source that assigns fields.</summary>
    private Node[]? LowerCreation(BaseObjectCreationExpressionSyntax creation, ITypeSymbol type, Frame f, Env env)
    {
        Node[] value = Zeros(type);
        IMethodSymbol? ctor = f.Model.GetSymbolInfo(creation, _ct).Symbol as IMethodSymbol;
        var args = creation.ArgumentList?.Arguments ?? default;
        if (ctor is null)
        {
            Unsupported(creation, "construction of '" + type.Name + "'", "the constructor call does not resolve");
            return null;
        }

        if (args.Count > 0 || !ctor.IsImplicitlyDeclared)
        {
            SyntaxNode? syntax = ctor.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).FirstOrDefault();
            Node?[] lowered = new Node?[ctor.Parameters.Length];
            int position = 0;
            foreach (ArgumentSyntax a in args)
            {
                int index = a.NameColon is null ? position++ : ctor.Parameters.IndexOf(ctor.Parameters.FirstOrDefault(p => p.Name == a.NameColon.Name.Identifier.ValueText)!);
                if (index < 0 || index >= lowered.Length || !IsReal(ctor.Parameters[index].Type))
                {
                    Unsupported(a, "constructor argument", "a struct's constructor takes double values");
                    return null;
                }

                lowered[index] = Lower(a.Expression, f, env);
            }

            for (int i = 0; i < lowered.Length; i++)
            {
                if (lowered[i] is null && ctor.Parameters[i].HasExplicitDefaultValue && ctor.Parameters[i].ExplicitDefaultValue is object d)
                {
                    lowered[i] = G.Const(System.Convert.ToDouble(d, System.Globalization.CultureInfo.InvariantCulture));
                }

                if (lowered[i] is null)
                {
                    Unsupported(creation, "constructor argument '" + ctor.Parameters[i].Name + "'", "pass every argument");
                    return null;
                }
            }

            if (syntax is RecordDeclarationSyntax or StructDeclarationSyntax { ParameterList: not null } && syntax is TypeDeclarationSyntax)
            {
                // A positional record struct: each parameter initialises the property of its name.
                for (int i = 0; i < ctor.Parameters.Length; i++)
                {
                    ISymbol? property = type.GetMembers(ctor.Parameters[i].Name).FirstOrDefault(m => m is IPropertySymbol or IFieldSymbol);
                    int field = property is null ? -1 : FieldIndex(type, property);
                    if (field < 0)
                    {
                        Unsupported(creation, "constructor of '" + type.Name + "'", "its parameter '" + ctor.Parameters[i].Name + "' does not initialise a field of the same name");
                        return null;
                    }

                    value[field] = lowered[i]!;
                }
            }
            else if (syntax is ConstructorDeclarationSyntax decl && decl.Initializer is null)
            {
                if (!LowerConstructorBody(ctor, decl, value, lowered!, type))
                {
                    return null;
                }
            }
            else
            {
                Unsupported(creation, "constructor of '" + type.Name + "'", "a struct is built by a positional record's parameters or by a constructor with source that assigns its fields (X = x;), without this(…) chaining");
                return null;
            }
        }

        return creation.Initializer is null ? value : Initialize(value, type, creation.Initializer, f, env);
    }

    /// <summary>A constructor body of assignments to the fields (<c>X = x;</c>, <c>this.X = x;</c>), its parameters bound.</summary>
    private bool LowerConstructorBody(IMethodSymbol ctor, ConstructorDeclarationSyntax decl, Node[] value, Node[] args, ITypeSymbol type)
    {
        var frame = new Frame(ModelFor(decl.SyntaxTree), ctor);
        var env = new Env();
        for (int i = 0; i < args.Length; i++)
        {
            Bind(env, ctor.Parameters[i], args[i]);
        }

        IEnumerable<ExpressionSyntax> assignments = decl.ExpressionBody is not null
            ? new[] { decl.ExpressionBody.Expression }
            : decl.Body!.Statements.Select(s => (s as ExpressionStatementSyntax)?.Expression!);
        _callStack.Add(ctor);
        _receivers.Add(((INamedTypeSymbol)type, value));
        try
        {
            foreach (ExpressionSyntax? a in assignments)
            {
                if (a is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assign
                    || frame.Model.GetSymbolInfo(assign.Left, _ct).Symbol is not ISymbol target || FieldIndex(type, target) < 0
                    || assign.Left is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }))
                {
                    Unsupported((SyntaxNode?)a ?? decl, "constructor statement", "a struct's constructor assigns its fields, one statement each (X = x;)");
                    return false;
                }

                value[FieldIndex(type, target)] = Lower(assign.Right, frame, env);
            }

            return true;
        }
        finally
        {
            _receivers.RemoveAt(_receivers.Count - 1);
            _callStack.RemoveAt(_callStack.Count - 1);
        }
    }

    /// <summary>An object initializer or with-initializer: <c>{ X = e, Y = f }</c> on <paramref name="value"/>.</summary>
    private Node[]? Initialize(Node[] value, ITypeSymbol type, InitializerExpressionSyntax initializer, Frame f, Env env)
    {
        foreach (ExpressionSyntax e in initializer.Expressions)
        {
            if (e is not AssignmentExpressionSyntax { Left: IdentifierNameSyntax member } assign
                || f.Model.GetSymbolInfo(member, _ct).Symbol is not ISymbol s || FieldIndex(type, s) < 0)
            {
                Unsupported(e, "initializer", "an initializer sets fields: { X = e }");
                return null;
            }

            value[FieldIndex(type, s)] = Lower(assign.Right, f, env);
        }

        return value;
    }

    // ------------------------------------------------------------------ members

    /// <summary>
    /// A read of a field or property of an aggregate (<c>v.X</c>, or <c>X</c> inside one of its members): the field's
    /// node, or the property's getter inlined; null when <paramref name="member"/> is not an instance member of one.
    /// </summary>
    private Node? TryLowerAggregateMember(ExpressionSyntax at, ExpressionSyntax? receiverSyntax, ISymbol? member, Frame f, Env env)
    {
        if (member is not (IFieldSymbol or IPropertySymbol) || member.IsStatic || member.ContainingType is not INamedTypeSymbol type || !IsAggregate(type))
        {
            return null;
        }

        Node[]? receiver;
        if (receiverSyntax is not null)
        {
            receiver = LowerAggregate(receiverSyntax, f, env);
        }
        else if (CurrentReceiver(type, env) is Node[] current)
        {
            receiver = current;
        }
        else
        {
            return null;
        }

        if (receiver is null)
        {
            return G.Zero;
        }

        int field = FieldIndex(type, member);
        if (field >= 0)
        {
            return receiver[field];
        }

        if (member is IPropertySymbol { GetMethod: IMethodSymbol getter })
        {
            _pendingReceiver = (type, receiver);
            return InlineMember(at, getter, System.Array.Empty<Node>(), env);
        }

        return Unsupported(at, "member '" + member.Name + "'", "a struct's fields, auto-properties and get-only properties with source can be read");
    }

    /// <summary>A getter or instance method of an aggregate with source, inlined with <see cref="_pendingReceiver"/> as this.</summary>
    private Node InlineMember(ExpressionSyntax at, IMethodSymbol method, Node[] args, Env env)
    {
        SyntaxNode? syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).FirstOrDefault();
        (BlockSyntax? body, ArrowExpressionClauseSyntax? arrow) = syntax switch
        {
            MethodDeclarationSyntax m => (m.Body, m.ExpressionBody),
            AccessorDeclarationSyntax a => (a.Body, a.ExpressionBody),
            ArrowExpressionClauseSyntax a => (null, a),
            _ => (null, null),
        };
        if (body is null && arrow is null)
        {
            _pendingReceiver = null;
            _pendingAggregateArgs = null;
            return Report(Diagnostics.NoSource, at, method.ContainingType.Name + "." + method.Name, "its source was not found");
        }

        if (_callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition)))
        {
            _pendingReceiver = null;
            _pendingAggregateArgs = null;
            return Report(Diagnostics.Recursion, at, method.Name, string.Join(" → ", _callStack.Select(m => m.Name).Concat(new[] { method.Name })));
        }

        int blocks = _blocksWritten;
        Node result = LowerBody(method.OriginalDefinition, syntax!, body, arrow, args, captured: null) ?? G.Zero;
        return blocks == _blocksWritten ? result : CallResult(result, ResultName(method), env);
    }

    /// <summary>A call, operator or static property with source that returns an aggregate, inlined.</summary>
    private Node[]? LowerAggregateCall(ExpressionSyntax e, ISymbol member, Frame f, Env env)
    {
        IMethodSymbol? method = member switch
        {
            IMethodSymbol m => m,
            IPropertySymbol { GetMethod: IMethodSymbol g } => g,
            _ => null,
        };
        if (method is null)
        {
            Unsupported(e, "'" + member.Name + "'", "a struct value comes from a local, a parameter, new, default, with, ?:, or a method, operator or property with source");
            return null;
        }

        // The arguments, each a double or an aggregate, and the receiver of an instance member.
        var operands = new List<ExpressionSyntax>();
        ExpressionSyntax? receiverSyntax = null;
        switch (e)
        {
            case InvocationExpressionSyntax inv:
                operands.AddRange(inv.ArgumentList.Arguments.Select(a => a.Expression));
                receiverSyntax = inv.Expression is MemberAccessExpressionSyntax { Expression: var r } && !method.IsStatic ? r : null;
                if (inv.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
                {
                    Unsupported(e, "call", "pass a struct method's arguments by position and by value");
                    return null;
                }

                break;
            case BinaryExpressionSyntax b:
                operands.Add(b.Left);
                operands.Add(b.Right);
                break;
            case PrefixUnaryExpressionSyntax u:
                operands.Add(u.Operand);
                break;
            case MemberAccessExpressionSyntax ma when !method.IsStatic:
                receiverSyntax = ma.Expression;
                break;
        }

        if (operands.Count != method.Parameters.Length)
        {
            Unsupported(e, "call of '" + method.Name + "'", "pass every argument");
            return null;
        }

        var scalars = new Node[operands.Count];
        var aggregates = new Node[]?[operands.Count];
        for (int i = 0; i < operands.Count; i++)
        {
            ITypeSymbol pt = method.Parameters[i].Type;
            if (IsAggregate(pt))
            {
                aggregates[i] = LowerAggregate(operands[i], f, env);
                if (aggregates[i] is null)
                {
                    return null;
                }

                scalars[i] = G.Zero;
            }
            else if (IsReal(pt) || VarTypeOf(pt, Real) is not null)
            {
                scalars[i] = Lower(operands[i], f, env);
            }
            else
            {
                Unsupported(operands[i], "argument", "a struct method takes doubles, ints and structs of doubles");
                return null;
            }
        }

        Node[]? receiver = null;
        if (!method.IsStatic)
        {
            receiver = receiverSyntax is not null ? LowerAggregate(receiverSyntax, f, env)
                : CurrentReceiver(method.ContainingType, env);
            if (receiver is null)
            {
                return null;
            }
        }

        SyntaxNode? syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).FirstOrDefault();
        (BlockSyntax? body, ArrowExpressionClauseSyntax? arrow) = syntax switch
        {
            MethodDeclarationSyntax m => (m.Body, m.ExpressionBody),
            OperatorDeclarationSyntax o => (o.Body, o.ExpressionBody),
            AccessorDeclarationSyntax a => (a.Body, a.ExpressionBody),
            ArrowExpressionClauseSyntax a => (null, a),
            _ => (null, null),
        };
        ExpressionSyntax? result = arrow?.Expression;
        List<StatementSyntax> leading = new();
        if (body is not null && body.Statements.Count > 0 && body.Statements[body.Statements.Count - 1] is ReturnStatementSyntax { Expression: ExpressionSyntax last }
            && !body.Statements.Take(body.Statements.Count - 1).Any(s => s.DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax)))
        {
            result = last;
            leading.AddRange(body.Statements.Take(body.Statements.Count - 1));
        }

        if (result is null && (body is null || syntax is null))
        {
            Unsupported(e, "'" + method.Name + "'", syntax is null
                ? "its source is not in this compilation"
                : "a method returning a struct is inlined when it has a body or an expression body");
            return null;
        }

        if (_callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition)))
        {
            Report(Diagnostics.Recursion, e, method.Name, string.Join(" → ", _callStack.Select(m => m.Name).Concat(new[] { method.Name })));
            return null;
        }

        if (result is null)
        {
            return LowerFieldByField(method, syntax!, body!, scalars, aggregates, receiver, env);
        }

        // The callee's body in a frame of its own: parameters bound, statements before the return lowered, then the
        // returned value; in program mode each field that reads the callee's variables is copied out (as CallResult does).
        _callStack.Add(method.OriginalDefinition);
        if (_program is not null)
        {
            _returns.Push(new ReturnContext { Start = (_out, _out.Count) });
        }

        if (receiver is not null)
        {
            _receivers.Add((method.ContainingType, receiver));
        }

        try
        {
            var frame = new Frame(ModelFor(syntax!.SyntaxTree), method.OriginalDefinition);
            var calleeEnv = new Env();
            for (int i = 0; i < operands.Count; i++)
            {
                if (aggregates[i] is Node[] value)
                {
                    SetAggregate(calleeEnv, method.Parameters[i].OriginalDefinition, value);
                }
                else
                {
                    Bind(calleeEnv, method.Parameters[i].OriginalDefinition, scalars[i]);
                }
            }

            int blocks = _blocksWritten;
            Env resultEnv = leading.Count == 0 ? calleeEnv : LowerStatements(leading, frame, calleeEnv).Env;
            Node[]? fields = LowerAggregate(result, frame, resultEnv);

            // Values built from the caller's alone (no block written in between) need no copy; otherwise each field
            // that reads a variable is copied out before a later call can change it.
            return blocks == _blocksWritten ? fields : fields?.Select(n => CallResult(n, ResultName(method), env)).ToArray();
        }
        finally
        {
            if (receiver is not null)
            {
                _receivers.RemoveAt(_receivers.Count - 1);
            }

            if (_program is not null)
            {
                _returns.Pop();
            }

            _callStack.RemoveAt(_callStack.Count - 1);
        }
    }

    /// <summary>
    /// A struct-returning member with several returns (<c>if (n &lt; 1e-12) return v; return v / n;</c>): its body lowered
    /// once per field, each activation returning that field of whatever its returns build, as a double-returning helper
    /// with early returns is lowered. Equal work in the fields is shared by the graph; in program mode the statements are
    /// repeated per field.
    /// </summary>
    private Node[]? LowerFieldByField(IMethodSymbol method, SyntaxNode syntax, BlockSyntax body, Node[] scalars, Node[]?[] aggregates, Node[]? receiver, Env env)
    {
        int count = AggregateFields(method.ReturnType)!.Length;
        var fields = new Node[count];
        for (int k = 0; k < count; k++)
        {
            int before = _diagnostics.Count;
            int blocks = _blocksWritten;
            _pendingAggregateArgs = aggregates;
            _pendingReceiver = receiver is null ? null : (method.ContainingType, receiver);
            _pendingReturnField = k;
            Node? value = LowerBody(method.OriginalDefinition, syntax, body, null, scalars, captured: null);
            bool failed = value is null || _diagnostics.Skip(before).Any(d => Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
            if (k > 0)
            {
                _diagnostics.RemoveRange(before, _diagnostics.Count - before); // the first field's pass reported them
            }

            if (failed)
            {
                return null;
            }

            // In program mode the next field's pass writes the helper's variables again: a value that reads them is
            // copied out now.
            fields[k] = blocks == _blocksWritten ? value! : CallResult(value!, ResultName(method), env);
        }

        return fields;
    }

    /// <summary>A readable name for a value an inlined struct member returns: sum, product, norm, cross, ….</summary>
    private static string ResultName(IMethodSymbol method) => method.Name switch
    {
        "op_Addition" => "sum",
        "op_Subtraction" => "difference",
        "op_Multiply" => "product",
        "op_Division" => "quotient",
        "op_UnaryNegation" => "negation",
        _ when method.MethodKind == MethodKind.PropertyGet && method.AssociatedSymbol is ISymbol property => char.ToLowerInvariant(property.Name[0]) + property.Name.Substring(1),
        _ => method.Name,
    };

    /// <summary>
    /// <c>v.Scale(2);</c>: a void method of a struct variable that assigns the struct's own fields, inlined with its this
    /// a variable of its own environment (so its branches and loops merge this as any local), then written back to v.
    /// False when <paramref name="call"/> is not such a call.
    /// </summary>
    private bool TryLowerMutatingCall(InvocationExpressionSyntax call, Frame f, Env env)
    {
        if (call.Expression is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiverSyntax }
            || f.Model.GetSymbolInfo(call, _ct).Symbol is not IMethodSymbol { IsStatic: false, ReturnsVoid: true } method
            || !IsAggregate(method.ContainingType) || f.Model.GetSymbolInfo(receiverSyntax, _ct).Symbol is not ISymbol variable || !IsAggregateVariable(variable))
        {
            return false;
        }

        MethodDeclarationSyntax? decl = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (decl?.Body is not BlockSyntax body || body.DescendantNodes().Any(n => n is ReturnStatementSyntax) || _mutableThis is not null
            || _callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition)))
        {
            Unsupported(call, "call of '" + method.Name + "'", "a void struct method is inlined when it has a block body without return statements and does not call another such method");
            return true;
        }

        Node[]? value = GetAggregate(env, variable);
        var operands = call.ArgumentList.Arguments.Select(a => a.Expression).ToList();
        if (value is null || operands.Count != method.Parameters.Length || call.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            Unsupported(call, "call of '" + method.Name + "'", "pass every argument by position and by value");
            return true;
        }

        var frame = new Frame(ModelFor(decl.SyntaxTree), method.OriginalDefinition);
        var calleeEnv = new Env();
        for (int i = 0; i < operands.Count; i++)
        {
            IParameterSymbol p = method.OriginalDefinition.Parameters[i];
            if (IsAggregate(p.Type))
            {
                if (LowerAggregate(operands[i], f, env) is not Node[] fields)
                {
                    return true;
                }

                SetAggregate(calleeEnv, p, fields);
            }
            else
            {
                Bind(calleeEnv, p, Lower(operands[i], f, env));
            }
        }

        ISymbol thisSymbol = method.OriginalDefinition; // the key of this in the callee's environment
        SetAggregate(calleeEnv, thisSymbol, value);
        _callStack.Add(method.OriginalDefinition);
        _mutableThis = (method.ContainingType, thisSymbol, _receivers.Count);
        if (_program is not null)
        {
            _returns.Push(new ReturnContext { Start = (_out, _out.Count) });
        }

        try
        {
            Outcome o = LowerStatements(body.Statements, frame, calleeEnv);
            if (GetAggregate(o.Env, thisSymbol) is Node[] result)
            {
                SetAggregate(env, variable, result);
            }

            return true;
        }
        finally
        {
            if (_program is not null)
            {
                _returns.Pop();
            }

            _mutableThis = null;
            _callStack.RemoveAt(_callStack.Count - 1);
        }
    }

    // ------------------------------------------------------------------ statements

    /// <summary><c>T v = e;</c> for an aggregate type T (a declaration without a value starts at zero, as C# requires it assigned before use).</summary>
    private void DeclareAggregate(ILocalSymbol local, VariableDeclaratorSyntax v, Frame f, Env env)
    {
        Node[]? value = v.Initializer is null ? Zeros(local.Type) : LowerAggregate(v.Initializer.Value, f, env);
        SetAggregate(env, local, value ?? Zeros(local.Type));
    }

    /// <summary>
    /// <c>v = e;</c> of an aggregate variable, and <c>v.X = e;</c>, <c>v.X += e;</c> of one of its fields; false when
    /// <paramref name="assign"/> is neither.
    /// </summary>
    private bool TryAssignAggregate(AssignmentExpressionSyntax assign, Frame f, Env env)
    {
        if (assign.Left is IdentifierNameSyntax && f.Model.GetSymbolInfo(assign.Left, _ct).Symbol is ISymbol whole && IsAggregateVariable(whole))
        {
            if (!assign.IsKind(SyntaxKind.SimpleAssignmentExpression))
            {
                // v += w with a user-defined operator: v = v + w.
                if (f.Model.GetSymbolInfo(assign, _ct).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator })
                {
                    Unsupported(assign, "compound assignment of a struct", "write v = v + w");
                }

                return true;
            }

            if (LowerAggregate(assign.Right, f, env) is Node[] value)
            {
                SetAggregate(env, whole, value);
            }

            return true;
        }

        if (_mutableThis is (INamedTypeSymbol thisType, ISymbol self, int depth) && depth == _receivers.Count
            && assign.Left is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }
            && f.Model.GetSymbolInfo(assign.Left, _ct).Symbol is ISymbol thisMember && thisMember is IFieldSymbol or IPropertySymbol && !thisMember.IsStatic
            && SymbolEqualityComparer.Default.Equals(thisMember.ContainingType, thisType) && FieldIndex(thisType, thisMember) is int thisField && thisField >= 0
            && GetAggregate(env, self) is Node[] current)
        {
            // X = e, X *= s, this.X += e in a mutating method: this's field, in the callee's environment.
            AssignField(assign, f, env, self, current, thisField);
            return true;
        }

        if (assign.Left is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax owner } member
            && f.Model.GetSymbolInfo(owner, _ct).Symbol is ISymbol variable && IsAggregateVariable(variable)
            && f.Model.GetSymbolInfo(member, _ct).Symbol is ISymbol fieldSymbol)
        {
            ITypeSymbol type = VariableType(variable)!;
            int field = FieldIndex(type, fieldSymbol);
            Node[]? value = GetAggregate(env, variable);
            if (field < 0 || value is null)
            {
                Unsupported(assign.Left, "assignment to '" + member + "'", "a struct's fields and auto-properties can be assigned");
                return true;
            }

            AssignField(assign, f, env, variable, value, field);
            return true;
        }

        return false;
    }

    /// <summary><c>s.X = e</c> or <c>s.X op= e</c>: the struct variable's fields with field <paramref name="field"/> replaced.</summary>
    private void AssignField(AssignmentExpressionSyntax assign, Frame f, Env env, ISymbol variable, Node[] value, int field)
    {
        Node rhs = Lower(assign.Right, f, env);
        Node? updated = assign.IsKind(SyntaxKind.SimpleAssignmentExpression) ? rhs : Combine(assign, value[field], rhs);
        if (updated is not null)
        {
            var copy = (Node[])value.Clone();
            copy[field] = updated;
            SetAggregate(env, variable, copy);
        }
    }
}
