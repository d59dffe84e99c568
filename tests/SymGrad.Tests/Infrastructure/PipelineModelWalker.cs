using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>
/// Walks every output object of tracked pipeline steps (fields including auto-property backing fields, public
/// properties of non-framework types, and the items of enumerables) and fails if one is or contains a Roslyn object
/// that would defeat caching or root a compilation: a symbol, syntax node/token/tree, semantic model, compilation,
/// location, attribute data or diagnostic. Modelled on NetEscapades.EnumGenerators' test helpers.
/// </summary>
public static class PipelineModelWalker
{
    private const int MaxDepth = 64;

    /// <summary>Types no pipeline model may be or hold.</summary>
    public static readonly Type[] ForbiddenTypes =
    {
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxToken),
        typeof(SyntaxTrivia),
        typeof(SyntaxTree),
        typeof(SemanticModel),
        typeof(Compilation),
        typeof(Location),
        typeof(AttributeData),
        typeof(Diagnostic),
    };

    /// <summary>
    /// Fails if an output of the named steps holds a forbidden object. Name the generator's own steps: Roslyn's
    /// internal steps (e.g. those inside ForAttributeWithMetadataName) legitimately hold syntax and compilations.
    /// </summary>
    public static void AssertClean(GeneratorDriverRunResult result, params string[] stepNames)
    {
        if (stepNames.Length == 0)
        {
            throw new ArgumentException("Name the generator's tracked steps to walk.", nameof(stepNames));
        }

        var steps = IncrementalAssert.Steps(result);
        var selected = stepNames.ToList();
        var problems = new List<string>();
        foreach (var name in selected)
        {
            if (!steps.TryGetValue(name, out var runs))
            {
                problems.Add($"step '{name}' was not tracked; tracked: [{string.Join(", ", steps.Keys.OrderBy(k => k, StringComparer.Ordinal))}]");
                continue;
            }

            int index = 0;
            foreach (var output in runs.SelectMany(r => r.Outputs))
            {
                problems.AddRange(FindForbidden(output.Value, $"{name}[{index++}]"));
            }
        }

        if (problems.Count > 0)
        {
            throw new XunitException(
                "Pipeline models must hold only strings, numbers, enums, records and equatable arrays, but:\n  - " +
                string.Join("\n  - ", problems.Distinct().Take(50)));
        }
    }

    /// <summary>Paths (e.g. <c>Methods[0].Spec.symbol</c>) of every forbidden object reachable from <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> FindForbidden(object? root, string rootPath = "root")
    {
        var problems = new List<string>();
        Visit(root, rootPath, new HashSet<object>(ReferenceEqualityComparer.Instance), problems, 0);
        return problems;
    }

    private static void Visit(object? value, string path, HashSet<object> visited, List<string> problems, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return;
        }

        var type = value.GetType();
        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        var forbidden = ForbiddenTypes.FirstOrDefault(f => f.IsAssignableFrom(type));
        if (forbidden is not null)
        {
            problems.Add($"{path} is a {forbidden.Name} ({type.FullName})");
            return;
        }

        if (IsLeaf(type))
        {
            return;
        }

        if (value is IEnumerable enumerable)
        {
            int i = 0;
            try
            {
                foreach (var item in enumerable)
                {
                    Visit(item, $"{path}[{i++}]", visited, problems, depth + 1);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or NotSupportedException)
            {
                // e.g. a default ImmutableArray: its fields are walked below.
            }
        }

        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }

                Visit(field.GetValue(value), path + "." + field.Name, visited, problems, depth + 1);
            }
        }

        if (IsFrameworkType(type))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead || property.PropertyType.IsByRefLike || property.PropertyType.IsPointer)
            {
                continue;
            }

            object? propertyValue;
            try
            {
                propertyValue = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue;
            }

            Visit(propertyValue, path + "." + property.Name, visited, problems, depth + 1);
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type.IsPointer ||
        type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset) ||
        type == typeof(TimeSpan) || type == typeof(Guid) || typeof(Type).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type);

    private static bool IsFrameworkType(Type type)
    {
        var ns = type.Namespace ?? string.Empty;
        return ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) ||
               ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) ||
               type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) && type.Name.StartsWith('<');
    }
}
