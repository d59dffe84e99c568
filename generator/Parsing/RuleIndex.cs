using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SymGrad.Generator.Parsing;

/// <summary>One <c>[DerivativeOf(typeof(T), "F", Argument = k)]</c> on a rule method, as declared.</summary>
internal readonly record struct RuleDeclaration(IMethodSymbol Rule, ITypeSymbol? TargetType, string? TargetName, int Argument, AttributeData Attribute)
{
    /// <summary>
    /// How near the rule is to the call, when two rules give one partial (the nearest wins): 0, the types enclosing the
    /// <c>[Differentiable]</c> method; 1, the function's own type; 2, types the compiling assembly lists; 3, types a
    /// referenced assembly lists.
    /// </summary>
    public int Tier { get; init; }
}

/// <summary>
/// Finds the custom derivative rules (<c>[DerivativeOf]</c>) of a function, for one <c>[Differentiable]</c> method.
/// Rules are looked for only in a few types, never by scanning the compilation: the function's own type, the types
/// enclosing the <c>[Differentiable]</c> method, and the types listed by <c>[assembly: DerivativeRules(…)]</c> on the
/// compiling assembly or on a referenced assembly that references SymGrad. Each type's rules are read once.
/// </summary>
internal sealed class RuleIndex
{
    public const string DerivativeOfAttribute = "SymGrad.DerivativeOfAttribute";
    public const string DerivativeRulesAttribute = "SymGrad.DerivativeRulesAttribute";

    /// <summary>Most arguments a function with custom rules may take (the emitter's templates number them 0–9).</summary>
    public const int MaxArity = 10;

    private readonly Compilation _compilation;
    private readonly IMethodSymbol _entry;
    private readonly Dictionary<INamedTypeSymbol, List<RuleDeclaration>> _byType = new(SymbolEqualityComparer.Default);
    private List<(INamedTypeSymbol Type, int Tier)>? _searched;

    public RuleIndex(Compilation compilation, IMethodSymbol entry)
    {
        _compilation = compilation;
        _entry = entry;
    }

    /// <summary>The type the generated code lives in: what it calls must be accessible from there.</summary>
    public INamedTypeSymbol EntryType => _entry.ContainingType;

    /// <summary>Every rule declared for a function named like <paramref name="function"/> in its type (any overload), each once.</summary>
    public List<RuleDeclaration> RulesNaming(IMethodSymbol function)
    {
        var result = new List<RuleDeclaration>();
        var seen = new HashSet<(IMethodSymbol, int)>();
        INamedTypeSymbol? owner = function.ContainingType?.OriginalDefinition;
        if (owner is null)
        {
            return result;
        }

        IEnumerable<(INamedTypeSymbol Type, int Tier)> types = SearchedTypes();
        if (MayDeclareRules(owner))
        {
            types = types.Append((owner, 1));
        }

        foreach ((INamedTypeSymbol type, int tier) in types.OrderBy(t => t.Tier))
        {
            foreach (RuleDeclaration d in RulesIn(type))
            {
                if (d.TargetName == function.Name && d.TargetType is INamedTypeSymbol t
                    && SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, owner)
                    && seen.Add((d.Rule, d.Argument)))
                {
                    result.Add(d with { Tier = tier });
                }
            }
        }

        return result;
    }

    /// <summary>The <c>[DerivativeOf]</c> declarations on the methods of <paramref name="type"/>.</summary>
    public List<RuleDeclaration> RulesIn(INamedTypeSymbol type)
    {
        if (_byType.TryGetValue(type, out List<RuleDeclaration>? known))
        {
            return known;
        }

        var rules = new List<RuleDeclaration>();
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol m)
            {
                rules.AddRange(Declarations(m));
            }
        }

        _byType[type] = rules;
        return rules;
    }

    /// <summary>The <c>[DerivativeOf]</c> declarations on <paramref name="method"/>.</summary>
    public static IEnumerable<RuleDeclaration> Declarations(IMethodSymbol method)
    {
        foreach (AttributeData a in method.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() != DerivativeOfAttribute)
            {
                continue;
            }

            ITypeSymbol? type = a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Kind == TypedConstantKind.Type
                ? a.ConstructorArguments[0].Value as ITypeSymbol
                : null;
            string? name = a.ConstructorArguments.Length > 1 ? a.ConstructorArguments[1].Value as string : null;
            int argument = 0;
            foreach (KeyValuePair<string, TypedConstant> named in a.NamedArguments)
            {
                if (named.Key == "Argument" && named.Value.Value is int k)
                {
                    argument = k;
                }
            }

            yield return new RuleDeclaration(method, type, name, argument, a);
        }
    }

    /// <summary>
    /// What is wrong with <paramref name="d"/> as a rule, or null; <paramref name="function"/> is the function it
    /// differentiates (the static method of its type named as declared, taking the rule's parameters).
    /// </summary>
    public static string? Problem(RuleDeclaration d, out IMethodSymbol? function)
    {
        function = null;
        IMethodSymbol rule = d.Rule;
        if (d.TargetType is not INamedTypeSymbol type || type.TypeKind == TypeKind.Error)
        {
            return "its first argument must be typeof(the type declaring the function)";
        }

        if (type.IsGenericType || IsInGenericType(type))
        {
            return "the function's type '" + type.ToDisplayString() + "' is generic; rules are for static methods of non-generic types";
        }

        if (string.IsNullOrEmpty(d.TargetName))
        {
            return "its second argument must name the function (nameof(" + type.Name + ".F))";
        }

        if (!rule.IsStatic || rule.MethodKind != MethodKind.Ordinary)
        {
            return "a rule must be a static method";
        }

        if (rule.IsGenericMethod || IsInGenericType(rule))
        {
            return "a rule must not be generic or in a generic type";
        }

        if (rule.ReturnType.SpecialType != SpecialType.System_Double || rule.ReturnsByRef || rule.ReturnsByRefReadonly)
        {
            return "a rule returns the partial derivative as a double, not '" + rule.ReturnType.ToDisplayString() + "'";
        }

        if (rule.Parameters.FirstOrDefault(p => !IsDoubleByValue(p)) is IParameterSymbol bad)
        {
            return "parameter '" + bad.Name + "' is '" + (bad.RefKind == RefKind.None ? string.Empty : bad.RefKind.ToString().ToLowerInvariant() + " ") + bad.Type.ToDisplayString()
                + "'; a rule takes the function's arguments as double parameters by value";
        }

        if (rule.Parameters.Length == 0)
        {
            return "a rule takes the function's arguments: it has no parameters";
        }

        if (rule.Parameters.Length > MaxArity)
        {
            return "functions with custom rules take at most " + Number(MaxArity) + " arguments";
        }

        function = FunctionOf(type, d.TargetName!, rule.Parameters.Length);
        if (function is null)
        {
            return "'" + type.ToDisplayString() + "' has no static method '" + d.TargetName + "' taking " + Count(rule.Parameters.Length) + " and returning double, which the rule's parameters say it differentiates";
        }

        if (d.Argument < 0 || d.Argument >= function.Parameters.Length)
        {
            return "Argument = " + Number(d.Argument) + " is not a position of '" + function.Name + "', which takes " + Count(function.Parameters.Length)
                + " (0 to " + Number(function.Parameters.Length - 1) + ")";
        }

        return null;
    }

    /// <summary>The static method <paramref name="name"/> of <paramref name="type"/> taking <paramref name="arity"/> doubles by value and returning double, if any.</summary>
    public static IMethodSymbol? FunctionOf(INamedTypeSymbol type, string name, int arity) =>
        type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => IsFunction(m) && m.Parameters.Length == arity);

    /// <summary>A static method of doubles by value returning double, not generic: what a rule can differentiate.</summary>
    public static bool IsFunction(IMethodSymbol m) =>
        m.IsStatic && m.MethodKind == MethodKind.Ordinary && !m.IsGenericMethod && !IsInGenericType(m)
        && m.ReturnType.SpecialType == SpecialType.System_Double && !m.ReturnsByRef && !m.ReturnsByRefReadonly
        && m.Parameters.Length is > 0 and <= MaxArity && m.Parameters.All(IsDoubleByValue);

    private static bool IsDoubleByValue(IParameterSymbol p) => p.Type.SpecialType == SpecialType.System_Double && p.RefKind == RefKind.None && !p.IsParams;

    private static bool IsInGenericType(ISymbol s)
    {
        for (INamedTypeSymbol? t = s.ContainingType; t is not null; t = t.ContainingType)
        {
            if (t.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static string Count(int n) => n == 1 ? "1 double" : Number(n) + " doubles";

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The types enclosing the <c>[Differentiable]</c> method, then those listed by <c>[assembly: DerivativeRules]</c>.</summary>
    private List<(INamedTypeSymbol Type, int Tier)> SearchedTypes()
    {
        if (_searched is not null)
        {
            return _searched;
        }

        var types = new List<(INamedTypeSymbol, int)>();
        for (INamedTypeSymbol? t = _entry.ContainingType; t is not null; t = t.ContainingType)
        {
            types.Add((t.OriginalDefinition, 0));
        }

        types.AddRange(Listed(_compilation.Assembly).Select(t => (t, 2)));
        foreach (IAssemblySymbol assembly in _compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (MayDeclareRules(assembly))
            {
                types.AddRange(Listed(assembly).Select(t => (t, 3)));
            }
        }

        _searched = types;
        return _searched;
    }

    /// <summary>The types an assembly lists with <c>[assembly: DerivativeRules(…)]</c>.</summary>
    public static IEnumerable<INamedTypeSymbol> Listed(IAssemblySymbol assembly)
    {
        foreach (AttributeData a in assembly.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() != DerivativeRulesAttribute || a.ConstructorArguments.Length == 0)
            {
                continue;
            }

            TypedConstant arg = a.ConstructorArguments[0];
            IEnumerable<TypedConstant> values = arg.Kind == TypedConstantKind.Array ? arg.Values : new[] { arg };
            foreach (TypedConstant v in values)
            {
                if (v.Value is INamedTypeSymbol t && t.TypeKind != TypeKind.Error)
                {
                    yield return t.OriginalDefinition;
                }
            }
        }
    }

    /// <summary>Source types may hold rules; a referenced assembly only if it references SymGrad (where the attributes are).</summary>
    private bool MayDeclareRules(INamedTypeSymbol type) =>
        type.Locations.Any(l => l.IsInSource) || MayDeclareRules(type.ContainingAssembly);

    private bool MayDeclareRules(IAssemblySymbol? assembly) =>
        assembly is not null && (SymbolEqualityComparer.Default.Equals(assembly, _compilation.Assembly)
            || assembly.Name == "SymGrad"
            || assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "SymGrad")));
}
