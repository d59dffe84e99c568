using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Parsing;

/// <summary>
/// Checks each <c>[DerivativeOf]</c> rule declared in the compilation where it is declared: a rule with a wrong
/// signature or target is SG0017 at its attribute, one with a duplicate in its type too, and a rule in a type SymGrad
/// does not search is SG0104 at its name. (Calls check the rules they use, including those of referenced assemblies.)
/// Never throws.
/// </summary>
internal static class RuleChecker
{
    public static EquatableArray<DiagnosticInfo> Check(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var rule = (IMethodSymbol)context.TargetSymbol;
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        string name = rule.ContainingType is null ? rule.Name : rule.ContainingType.Name + "." + rule.Name;
        try
        {
            bool anyValid = false;
            bool seen = false;
            var declarations = RuleIndex.Declarations(rule).ToList();
            foreach (RuleDeclaration d in declarations)
            {
                ct.ThrowIfCancellationRequested();
                LocationInfo? at = LocationInfo.From(d.Attribute.ApplicationSyntaxReference?.GetSyntax(ct)) ?? LocationInfo.From(syntax.Identifier.GetLocation());
                string? problem = RuleIndex.Problem(d, out IMethodSymbol? function) ?? Duplicate(d, function!);
                if (problem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidRule, at, name, problem));
                    continue;
                }

                anyValid = true;
                seen |= SymbolEqualityComparer.Default.Equals(function!.ContainingType.OriginalDefinition, rule.ContainingType?.OriginalDefinition);
            }

            if (anyValid && !seen && rule.ContainingType is INamedTypeSymbol type && !IsSearched(type, context.SemanticModel.Compilation))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnseenRule, LocationInfo.From(syntax.Identifier.GetLocation()), type.Name, name));
            }
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InternalError, LocationInfo.From(syntax.Identifier.GetLocation()), name, e.GetType().Name + ": " + e.Message));
        }

        return diagnostics.ToEquatableArray();
    }

    /// <summary>Another method of the rule's type that gives the same partial, if any.</summary>
    private static string? Duplicate(RuleDeclaration d, IMethodSymbol function)
    {
        foreach (ISymbol member in d.Rule.ContainingType.GetMembers())
        {
            if (member is IMethodSymbol other && !SymbolEqualityComparer.Default.Equals(other, d.Rule) && other.Parameters.Length == d.Rule.Parameters.Length
                && RuleIndex.Declarations(other).Any(o => o.Argument == d.Argument && o.TargetName == d.TargetName
                    && SymbolEqualityComparer.Default.Equals(o.TargetType, d.TargetType)))
            {
                return "'" + other.Name + "' in the same type also gives ∂" + function.Name + "/∂" + function.Parameters[d.Argument].Name + "; keep one";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether calls can find rules in <paramref name="type"/>: it is listed by <c>[assembly: DerivativeRules]</c>, or it
    /// encloses (or is) the type of a <c>[Differentiable]</c> method.
    /// </summary>
    private static bool IsSearched(INamedTypeSymbol type, Compilation compilation)
    {
        INamedTypeSymbol original = type.OriginalDefinition;
        if (RuleIndex.Listed(compilation.Assembly).Any(t => SymbolEqualityComparer.Default.Equals(t, original)))
        {
            return true;
        }

        var stack = new Stack<INamedTypeSymbol>();
        stack.Push(original);
        while (stack.Count > 0)
        {
            INamedTypeSymbol t = stack.Pop();
            if (t.GetMembers().OfType<IMethodSymbol>().Any(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Parser.DifferentiableAttribute)))
            {
                return true;
            }

            foreach (INamedTypeSymbol nested in t.GetTypeMembers())
            {
                stack.Push(nested);
            }
        }

        return false;
    }
}
