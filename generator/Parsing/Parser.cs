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
/// Turns one <c>[Differentiable]</c> method (syntax + semantic model) into a <see cref="MethodModel"/>:
/// validates the declaration, then lowers the body to the expression DAG, collecting a diagnostic for
/// everything it cannot lower. Never throws (an internal failure becomes SG9999 for this method only).
/// </summary>
internal static class Parser
{
    public const string DifferentiableAttribute = "SymGrad.DifferentiableAttribute";
    private const string WrtAttribute = "SymGrad.WrtAttribute";
    private const string ParamAttribute = "SymGrad.ParamAttribute";

    public static MethodModel Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? location = LocationInfo.From(syntax.Identifier.GetLocation());

        string? ns = method.ContainingNamespace is { IsGlobalNamespace: false } n
            ? n.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty)
            : null;
        var types = new List<TypeDeclInfo>();
        var parameters = new List<ParameterInfo>();
        bool hessian = context.Attributes.Length > 0 && context.Attributes[0].NamedArguments
            .Any(a => a.Key == "Hessian" && a.Value.Value is true);

        // A float method (it returns float) is differentiated in float, in scalar or program mode (see Lowerer.Float); a
        // generic method returning its type parameter T in T (see Lowerer.Real).
        bool isFloat = method.ReturnType.SpecialType == SpecialType.System_Single && !method.ReturnsByRef && !method.ReturnsByRefReadonly;
        ITypeParameterSymbol? typeParameter = method.TypeParameters.Length == 1 && SymbolEqualityComparer.Default.Equals(method.ReturnType, method.TypeParameters[0])
            && !method.ReturnsByRef && !method.ReturnsByRefReadonly ? method.TypeParameters[0] : null;
        RealKind real = typeParameter is not null ? RealKind.Generic : isFloat ? RealKind.Float : RealKind.Double;

        // A generic method whose T is only INumber<T>: its generated code may call only T's own Abs, Max, Min, Clamp and
        // Sign; every other function is SymMath<T>'s, which needs T : IFloatingPointIeee754<T>.
        bool CheckGenericFunctions(Graph g)
        {
            if (typeParameter is null || IsIeee754(typeParameter))
            {
                return true;
            }

            Node? call = g.Nodes.FirstOrDefault(n => n.Op == Op.Call && !Functions.FunctionTable.NeedsOnlyINumber(n.Fn));
            if (call is null)
            {
                return true;
            }

            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.Generic, location, method.Name,
                "it calls " + (call.Fn == Fn.Custom ? "a function with a custom rule" : call.Fn.ToString()) + ", whose generated code needs " + typeParameter.Name
                + " : IFloatingPointIeee754<" + typeParameter.Name + "> (INumber<" + typeParameter.Name + "> allows arithmetic, comparisons, Abs, Max, Min, Clamp and Sign); add that constraint"));
            return false;
        }

        try
        {
            CollectTypes(syntax, method, types, diagnostics);
            IFieldSymbol[] fields = real != RealKind.Double ? Array.Empty<IFieldSymbol>() : ParamFields(method, syntax, context.SemanticModel, parameters, diagnostics, ct);
            ValidateSignature(syntax, method, real, parameters, diagnostics, fieldModel: fields.Length > 0);
            CheckClashes(method, hessian, real != RealKind.Double, fields.Length > 0, diagnostics, location);
            if (diagnostics.Any(d => Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error))
            {
                return Result(Array.Empty<NodeRecord>(), -1);
            }

            // Program mode for arrays and non-double data, and for if/switch statements, which stay real branches there
            // (in the plain DAG they become selects that compute both sides). A branchy method that program mode cannot
            // lower falls back to the DAG.
            // Custom derivative rules ([DerivativeOf]) are looked up in a few types only, once per method.
            var rules = new RuleIndex(context.SemanticModel.Compilation, method);
            int[] differentiated = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].IsDifferentiated).ToArray();
            Lowerer NewLowerer() => new(context.SemanticModel.Compilation, diagnostics, ct, rules) { Hessian = hessian, Differentiated = differentiated, Real = real, Fields = fields };

            bool programMode = parameters.Any(p => !p.IsScalar);
            if (!programMode && HasBranchStatements(syntax))
            {
                int before = diagnostics.Count;
                var branchLowerer = NewLowerer();
                IrProgram? branchy = branchLowerer.LowerProgram(method, syntax, context.SemanticModel);
                if (branchy is not null && !diagnostics.Skip(before).Any(d => Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error)
                    && CheckGenericFunctions(branchLowerer.Graph))
                {
                    return Result2(EquatableArray<NodeRecord>.Empty, -1, branchLowerer.Graph.ExportExterns()) with
                    {
                        Program = branchy.Export(branchLowerer.Graph),
                    };
                }

                diagnostics.RemoveRange(before, diagnostics.Count - before);
            }

            if (!programMode)
            {
                // A plain DAG when the method has no run-time control flow; otherwise (a loop with a run-time trip count,
                // a run-time index) the structured program below.
                int before = diagnostics.Count;
                var lowerer = NewLowerer();
                Node? root = lowerer.LowerEntry(method, syntax, context.SemanticModel);
                bool failed = root is null || diagnostics.Skip(before).Any(d => Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
                if (!failed && !CheckGenericFunctions(lowerer.Graph))
                {
                    return Result(Array.Empty<NodeRecord>(), -1);
                }

                if (!failed)
                {
                    EquatableArray<NodeRecord> nodes = lowerer.Graph.Export(root!, out int rootIndex);
                    return Result2(nodes, rootIndex, lowerer.Graph.ExportExterns());
                }

                if (!NeedsProgram(syntax))
                {
                    return Result(Array.Empty<NodeRecord>(), -1);
                }

                diagnostics.RemoveRange(before, diagnostics.Count - before);
            }

            var programLowerer = NewLowerer();
            IrProgram? program = programLowerer.LowerProgram(method, syntax, context.SemanticModel);
            if (program is null || diagnostics.Any(d => Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error) || !CheckGenericFunctions(programLowerer.Graph))
            {
                return Result(Array.Empty<NodeRecord>(), -1);
            }

            return Result2(EquatableArray<NodeRecord>.Empty, -1, programLowerer.Graph.ExportExterns()) with
            {
                Program = program.Export(programLowerer.Graph),
            };
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (ModelTooLargeException e)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.TooLarge, location, method.Name, e.Message));
            return Result(Array.Empty<NodeRecord>(), -1);
        }
        catch (InsufficientExecutionStackException)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.TooLarge, location, method.Name, ModelTooLargeException.TooDeep));
            return Result(Array.Empty<NodeRecord>(), -1);
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InternalError, location, method.Name, e.GetType().Name + ": " + e.Message));
            return Result(Array.Empty<NodeRecord>(), -1);
        }

        MethodModel Result(NodeRecord[] nodes, int root) => Result2(new EquatableArray<NodeRecord>(nodes), root, ExternTable.Empty);

        MethodModel Result2(EquatableArray<NodeRecord> nodes, int root, ExternTable externs) => new(
            ns,
            types.ToEquatableArray(),
            method.Name,
            Accessibility(method.DeclaredAccessibility),
            parameters.ToEquatableArray(),
            hessian,
            nodes,
            externs,
            root,
            location,
            diagnostics.ToEquatableArray())
        {
            IsFloat = isFloat,
            TypeParameter = typeParameter?.Name,
            Constraints = typeParameter is null ? null : ConstraintClause(typeParameter),
            FieldCount = parameters.Count(p => p.Field is not null),
            IsInstance = !method.IsStatic,
        };
    }

    /// <summary>Whether the method's own body has <c>if</c> or <c>switch</c> statements.</summary>
    private static bool HasBranchStatements(MethodDeclarationSyntax syntax)
        => syntax.DescendantNodes().Any(n => n is IfStatementSyntax or SwitchStatementSyntax);

    /// <summary>Whether a method that failed as a plain DAG has what program mode lowers: loops, jumps, element access, buffers.</summary>
    private static bool NeedsProgram(MethodDeclarationSyntax syntax)
        => syntax.DescendantNodes().Any(n => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax
            or BreakStatementSyntax or ContinueStatementSyntax or ElementAccessExpressionSyntax or StackAllocArrayCreationExpressionSyntax
            or ArrayCreationExpressionSyntax or InvocationExpressionSyntax
            or CastExpressionSyntax { Type: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.IntKeyword or (int)SyntaxKind.LongKeyword } });

    private static void CollectTypes(MethodDeclarationSyntax syntax, IMethodSymbol method, List<TypeDeclInfo> types, List<DiagnosticInfo> diagnostics)
    {
        foreach (TypeDeclarationSyntax decl in syntax.Ancestors().OfType<TypeDeclarationSyntax>().Reverse())
        {
            string keyword = decl switch
            {
                RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            string name = decl.Identifier.ValueText + (decl.TypeParameterList?.ToString() ?? string.Empty);
            bool isStatic = decl.Modifiers.Any(SyntaxKind.StaticKeyword);
            types.Add(new TypeDeclInfo(keyword, name, isStatic));
            if (decl.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.FileLocalType, LocationInfo.From(decl.Identifier.GetLocation()), decl.Identifier.ValueText, method.Name));
            }

            if (!decl.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotPartial, LocationInfo.From(decl.Identifier.GetLocation()), decl.Identifier.ValueText, method.Name));
            }
        }
    }

    /// <summary>
    /// The <c>[Param]</c> fields a method of a field model reads, in declaration order: all of them for an instance method,
    /// the static ones for a static method. Each becomes a leading differentiated parameter of the lowered method.
    /// </summary>
    private static IFieldSymbol[] ParamFields(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, List<ParameterInfo> parameters, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var fields = new List<IFieldSymbol>();
        if (method.IsStatic && !ReadsStaticParamField(method, model.Compilation, ct))
        {
            return fields.ToArray(); // a static method that never reads one is an ordinary method: its parameters are trained
        }

        foreach (IFieldSymbol f in method.ContainingType.GetMembers().OfType<IFieldSymbol>())
        {
            if (!f.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ParamAttribute) || (method.IsStatic && !f.IsStatic))
            {
                continue;
            }

            LocationInfo? at = f.Locations.Length > 0 ? LocationInfo.From(f.Locations[0]) : null;
            bool isArray = f.Type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double };
            if (f.Type.SpecialType != SpecialType.System_Double && !isArray)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NonDoubleType, at, "[Param] field '" + f.Name + "'", f.Type.ToDisplayString(), "a [Param] field is a double or a double[]"));
                continue;
            }

            if (f.IsReadOnly && !isArray)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedExpression, at, "readonly [Param] field '" + f.Name + "'", "the generated SetParameters writes trained values back into it; remove readonly"));
                continue;
            }

            fields.Add(f);
            parameters.Add(new ParameterInfo(f.Name, true, null, at)
            {
                Type = isArray ? "double[]" : "double",
                IsArray = isArray,
                Field = f.IsStatic ? f.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + f.Name : "this." + f.Name,
            });
        }

        if (fields.Count > 0 && !method.IsStatic)
        {
            // The model's other instance fields the method reads (a size, a regularisation weight): data it is called
            // with, in declaration order, after the [Param] fields.
            var read = new HashSet<ISymbol>(syntax.DescendantNodes().OfType<IdentifierNameSyntax>()
                .Select(id => model.GetSymbolInfo(id, ct).Symbol).OfType<IFieldSymbol>(), SymbolEqualityComparer.Default);
            foreach (IFieldSymbol f in method.ContainingType.GetMembers().OfType<IFieldSymbol>())
            {
                if (f.IsStatic || f.IsConst || f.IsImplicitlyDeclared || fields.Contains(f, SymbolEqualityComparer.Default) || !read.Contains(f))
                {
                    continue;
                }

                VarType? scalar = Lowerer.VarTypeOf(f.Type);
                VarType? element = Lowerer.ElementTypeOf(f.Type);
                string? type = f.Type.SpecialType switch
                {
                    SpecialType.System_Double => "double",
                    SpecialType.System_Int32 => "int",
                    SpecialType.System_Int64 => "long",
                    SpecialType.System_Boolean => "bool",
                    _ => f.Type is IArrayTypeSymbol { Rank: 1 } && element is not null ? (element == VarType.Int ? "int[]" : "double[]") : null,
                };
                if (type is null || (scalar is null && element is null))
                {
                    continue; // reported where it is read (SG0002, with what to do)
                }

                fields.Add(f);
                parameters.Add(new ParameterInfo(f.Name, false, null, f.Locations.Length > 0 ? LocationInfo.From(f.Locations[0]) : null)
                {
                    Type = type,
                    IsArray = element is not null,
                    Field = "this." + f.Name,
                    IsContext = true,
                });
            }
        }

        return fields.ToArray();
    }

    /// <summary>
    /// Whether a static method reads a static <c>[Param]</c> field of its type, in its body or in a helper with source it
    /// calls (helpers are inlined, so a field read in one is the method's). A static method that reads none is not a field
    /// model, whatever else its type holds.
    /// </summary>
    private static bool ReadsStaticParamField(IMethodSymbol method, Compilation compilation, CancellationToken ct)
    {
        bool IsParamField(ISymbol? s) => s is IFieldSymbol { IsStatic: true } f
            && SymbolEqualityComparer.Default.Equals(f.ContainingType, method.ContainingType)
            && f.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ParamAttribute);

        if (!method.ContainingType.GetMembers().Any(IsParamField))
        {
            return false;
        }

        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<IMethodSymbol>();
        pending.Push(method);
        while (pending.Count > 0)
        {
            IMethodSymbol m = pending.Pop();
            if (!visited.Add(m.OriginalDefinition))
            {
                continue;
            }

            foreach (SyntaxReference reference in m.OriginalDefinition.DeclaringSyntaxReferences)
            {
                SyntaxNode body = reference.GetSyntax(ct);
                if (!compilation.ContainsSyntaxTree(body.SyntaxTree))
                {
                    continue;
                }

                SemanticModel model = compilation.GetSemanticModel(body.SyntaxTree);
                foreach (SimpleNameSyntax name in body.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
                {
                    ISymbol? symbol = model.GetSymbolInfo(name, ct).Symbol;
                    if (IsParamField(symbol))
                    {
                        return true;
                    }

                    if (symbol is IMethodSymbol callee && callee.DeclaringSyntaxReferences.Length > 0)
                    {
                        pending.Push(callee);
                    }
                }
            }
        }

        return false;
    }

    private static void ValidateSignature(MethodDeclarationSyntax syntax, IMethodSymbol method, RealKind real, List<ParameterInfo> parameters, List<DiagnosticInfo> diagnostics, bool fieldModel)
    {
        LocationInfo? at = LocationInfo.From(syntax.Identifier.GetLocation());
        if (!method.IsStatic && !fieldModel)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotStatic, at, method.Name));
        }

        if (method.IsGenericMethod && real != RealKind.Generic)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.Generic, at, method.Name, method.TypeParameters.Length == 1
                ? "it must return its type parameter (T " + method.Name + "<T>(T x, …)), the type it is differentiated in"
                : "it has " + method.TypeParameters.Length.ToString(CultureInfo.InvariantCulture) + " type parameters; a generic [Differentiable] method has one, T, and returns it"));
            return; // its parameters' types mean nothing until the signature is one SymGrad differentiates
        }
        else if (real == RealKind.Generic && !IsINumber(method.TypeParameters[0]))
        {
            string t = method.TypeParameters[0].Name;
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.Generic, at, method.Name,
                "constrain " + t + " to INumber<" + t + "> (arithmetic, comparisons, Abs, Max, Min) or IFloatingPointIeee754<" + t + "> (also Exp, Log, Sqrt, Sin, SymMath<" + t + ">.Sigmoid, …), e.g. where " + t + " : IFloatingPointIeee754<" + t + ">"));
        }

        if ((method.ReturnType.SpecialType != SpecialType.System_Double && real == RealKind.Double) || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NonDoubleType, LocationInfo.From(syntax.ReturnType), "the return value of '" + method.Name + "'", method.ReturnType.ToDisplayString(), "a [Differentiable] method returns double (or float, or its type parameter T: see float methods and generic math)"));
        }

        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedStatement, at, "declaration", "a [Differentiable] method needs a body"));
        }

        // In a field model the [Param] fields are what is trained; the method's own parameters are data unless [Wrt].
        bool anyWrt = fieldModel || method.Parameters.Any(p => HasWrt(p));
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol p = method.Parameters[i];
            ParameterSyntax? ps = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i] : null;
            LocationInfo? pat = LocationInfo.From(ps?.Identifier.GetLocation() ?? syntax.Identifier.GetLocation());
            bool wrt = HasWrt(p);
            if (real != RealKind.Double)
            {
                // A float or generic method: real (float or T) scalars, arrays and spans (differentiated), int, long, bool
                // and int arrays (data).
                string realName = real == RealKind.Float ? "float" : method.TypeParameters[0].Name;
                VarType? realElement = Lowerer.ElementTypeOf(p.Type, real);
                VarType? realScalar = Lowerer.VarTypeOf(p.Type, real);
                (ArrayShape, VarType)? realShaped = Lowerer.ShapeOf(p.Type, real);
                bool isReal = realScalar == VarType.Double || realElement == VarType.Double;
                if (wrt && realShaped is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NonDoubleType, pat, "[Wrt] parameter '" + p.Name + "'", p.Type.ToDisplayString(), Diagnostics.TypeAdvice(p.Type, local: false)));
                }

                string? text = realShaped is (ArrayShape s1, VarType e1) ? ShapedTypeText(s1, e1, realName)
                    : realElement is not null ? TypeText(p.Type, real, realName)
                    : realScalar == VarType.Double ? realName
                    : realScalar is not null ? p.Type.SpecialType switch { SpecialType.System_Int32 => "int", SpecialType.System_Int64 => "long", _ => "bool" }
                    : null;
                if (wrt && !isReal && text is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.WrtOnNonDouble, pat, p.Name, p.Type.ToDisplayString()));
                }
                else if (text is null && real == RealKind.Float)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.FloatMethod, pat, "Parameter '" + p.Name + "' has type '" + p.Type.ToDisplayString() + "'", method.Name,
                        "a float method is differentiated in float: its parameters are float, float[], ReadOnlySpan<float> or Span<float> (differentiated), or int, long, bool, int[] or ReadOnlySpan<int> (data); make this parameter float, or make the method return double to compute in double"));
                }
                else if (text is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericMethod, pat, "Parameter '" + p.Name + "' has type '" + p.Type.ToDisplayString() + "'", method.Name,
                        "a generic method is differentiated in its type parameter: its parameters are " + realName + ", " + realName + "[], ReadOnlySpan<" + realName + "> or Span<" + realName
                        + "> (differentiated), or int, long, bool, int[] or ReadOnlySpan<int> (data); make this parameter a " + realName + ", or make the method double"));
                }

                if (p.RefKind != RefKind.None || p.IsParams)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.RefParameter, pat, p.Name, p.IsParams ? "params" : p.RefKind.ToString().ToLowerInvariant()));
                }

                // A generic method's defaults are dropped (a T has no literals).
                string? realDefault = real == RealKind.Float && p.HasExplicitDefaultValue ? FormatFloatDefault(p.ExplicitDefaultValue) : null;
                parameters.Add(new ParameterInfo(p.Name, isReal && (anyWrt ? wrt : true), realDefault, pat)
                {
                    Type = text ?? realName,
                    IsArray = realElement is not null || realShaped is not null,
                    IsTypeParameter = real == RealKind.Generic && realScalar == VarType.Double,
                });
                continue;
            }

            bool isDouble = p.Type.SpecialType == SpecialType.System_Double;
            VarType? element = Lowerer.ElementTypeOf(p.Type);
            VarType? scalar = Lowerer.VarTypeOf(p.Type);
            (ArrayShape, VarType)? shaped = Lowerer.ShapeOf(p.Type);
            bool differentiable = isDouble || element == VarType.Double || (wrt && shaped is (ArrayShape.Matrix, VarType.Double));
            if (wrt && shaped is not null && !differentiable)
            {
                // A matrix or jagged array is data: a differentiated matrix goes flat (the advice says how).
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NonDoubleType, pat, "[Wrt] parameter '" + p.Name + "'", p.Type.ToDisplayString(), Diagnostics.TypeAdvice(p.Type, local: false)));
                wrt = false;
            }

            // An array of structs of doubles is data unless [Wrt]; differentiated, each struct takes one slot per field.
            INamedTypeSymbol? structElement = Lowerer.StructElementOf(p.Type);
            differentiable |= wrt && structElement is not null;

            string? typeText = isDouble ? "double"
                : structElement is not null ? p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)
                : shaped is (ArrayShape s0, VarType e0) ? ShapedTypeText(s0, e0, "double")
                : element is not null ? TypeText(p.Type, RealKind.Double, "double")
                : scalar is not null ? p.Type.SpecialType switch { SpecialType.System_Int32 => "int", SpecialType.System_Int64 => "long", _ => "bool" }
                : null;
            if (wrt && !differentiable)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.WrtOnNonDouble, pat, p.Name, p.Type.ToDisplayString()));
            }
            else if (typeText is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NonDoubleType, pat, "parameter '" + p.Name + "'", p.Type.ToDisplayString(), Diagnostics.TypeAdvice(p.Type, local: false)));
            }

            if (p.RefKind != RefKind.None || p.IsParams)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.RefParameter, pat, p.Name, p.IsParams ? "params" : p.RefKind.ToString().ToLowerInvariant()));
            }

            string? defaultValue = p.HasExplicitDefaultValue ? FormatDefault(p.ExplicitDefaultValue) : null;
            parameters.Add(new ParameterInfo(p.Name, differentiable && (anyWrt ? wrt : true), defaultValue, pat)
            {
                Type = typeText ?? "double",
                IsArray = element is not null || shaped is not null || structElement is not null,
                Stride = structElement is null ? 1 : structElement.GetMembers().OfType<IFieldSymbol>().Count(f => !f.IsStatic && !f.IsConst),
            });
        }
    }

    /// <summary>Whether <paramref name="t"/>'s constraints make it an <c>INumber&lt;T&gt;</c> (arithmetic, comparisons, CreateTruncating).</summary>
    private static bool IsINumber(ITypeParameterSymbol t) => Implements(t, "INumber");

    /// <summary>Whether <paramref name="t"/>'s constraints make it an <c>IFloatingPointIeee754&lt;T&gt;</c> (what SymMath&lt;T&gt; needs).</summary>
    private static bool IsIeee754(ITypeParameterSymbol t) => Implements(t, "IFloatingPointIeee754");

    private static bool Implements(ITypeParameterSymbol t, string name) => t.ConstraintTypes
        .SelectMany(c => c is INamedTypeSymbol n ? new[] { n }.Concat(n.AllInterfaces) : Enumerable.Empty<INamedTypeSymbol>())
        .Any(i => i.Name == name && i.Arity == 1 && i.ContainingNamespace?.ToDisplayString() == "System.Numerics" && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], t));

    /// <summary>A generic method's constraint clause for the generated members, fully qualified (they live in another file).</summary>
    private static string? ConstraintClause(ITypeParameterSymbol t)
    {
        var parts = new List<string>();
        if (t.HasReferenceTypeConstraint)
        {
            parts.Add("class");
        }
        else if (t.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (t.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }

        if (t.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        parts.AddRange(t.ConstraintTypes.Select(c => c.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));
        if (t.HasConstructorConstraint)
        {
            parts.Add("new()");
        }

        return parts.Count == 0 ? null : "where " + t.Name + " : " + string.Join(", ", parts);
    }

    private static void CheckClashes(IMethodSymbol method, bool hessian, bool isFloat, bool fieldModel, List<DiagnosticInfo> diagnostics, LocationInfo? at)
    {
        INamedTypeSymbol type = method.ContainingType;
        var generated = new List<string> { method.Name + "Gradient", method.Name + "Partials" };
        if (!isFloat)
        {
            // A float method has no objective (the optimizers work in double).
            generated.Add(method.Name + "Sample");
            generated.Add(method.Name + "Objective");
        }

        if (fieldModel)
        {
            generated.AddRange(new[] { method.Name + "ParameterCount", method.Name + "GetParameters", method.Name + "SetParameters", "Create" + method.Name + "Objective" });
        }

        if (hessian)
        {
            generated.Add(method.Name + "Hessian");
            generated.Add(method.Name + "HessianVectorProduct");
        }

        foreach (string name in generated)
        {
            if (type.GetMembers(name).Length > 0 || type.GetTypeMembers(name).Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NameClash, at, type.Name, name, method.Name));
            }
        }

        int overloads = type.GetMembers(method.Name).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiableAttribute));
        if (overloads > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.Overloaded, at, type.Name, method.Name));
        }
    }

    /// <summary>A matrix or jagged data parameter's type in generated code: <c>double[,]</c>, <c>int[][]</c>, ….</summary>
    private static string ShapedTypeText(ArrayShape shape, VarType element, string realName)
        => (element == VarType.Int ? "int" : realName) + (shape == ArrayShape.Matrix ? "[,]" : "[][]");

    /// <summary>An array or span parameter's type in generated code (<paramref name="realName"/>: the real element type's name).</summary>
    private static string TypeText(ITypeSymbol t, RealKind real, string realName)
    {
        string element = Lowerer.ElementTypeOf(t, real) == VarType.Int ? "int" : realName;
        return t is IArrayTypeSymbol ? element + "[]" : "global::System." + t.Name + "<" + element + ">";
    }

    public static bool HasWrt(IParameterSymbol p) => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == WrtAttribute);

    private static string? FormatDefault(object? value) => value switch
    {
        null => null,
        double d => Emit.CSharp.Literal(d),
        IConvertible c => Emit.CSharp.Literal(c.ToDouble(CultureInfo.InvariantCulture)),
        _ => null,
    };

    private static string? FormatFloatDefault(object? value) => value is IConvertible c and not string
        ? Emit.CSharp.Literal(c.ToDouble(CultureInfo.InvariantCulture), isFloat: true)
        : null;

    private static string Accessibility(Microsoft.CodeAnalysis.Accessibility a) => a switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
