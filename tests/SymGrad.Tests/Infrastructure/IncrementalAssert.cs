using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>
/// Incremental-cache testing in the style of Mapperly's generator tests: run the driver, edit the compilation,
/// run the same driver again, then assert how each named (<c>WithTrackingName</c>) step's outputs were produced.
/// <code>
/// var run = IncrementalAssert.Start(source);
/// run.AddUnrelatedFile().AssertAllCachedOrUnchanged("Methods", "Differentiated", "Output");
/// run.ReplaceText("w3 * a2", "w3 * a2 * 1.0").AssertSomeModified("Differentiated");
/// </code>
/// </summary>
public static class IncrementalAssert
{
    /// <summary>Compiles <paramref name="sources"/> and runs <paramref name="generator"/> (default: SymGradGenerator) once.</summary>
    public static IncrementalRun Start(string source, IIncrementalGenerator? generator = null) =>
        Start(GeneratorHarness.CreateCompilation(source), generator);

    /// <summary>Runs <paramref name="generator"/> (default: SymGradGenerator) once over <paramref name="compilation"/>.</summary>
    public static IncrementalRun Start(CSharpCompilation compilation, IIncrementalGenerator? generator = null)
    {
        var driver = GeneratorHarness.CreateDriver(generator).RunGenerators(compilation);
        return new IncrementalRun(driver, compilation, "initial run");
    }

    /// <summary>Fails unless every output of every step in <paramref name="stepNames"/> is Cached or Unchanged.</summary>
    public static void AllCachedOrUnchanged(GeneratorDriverRunResult result, IEnumerable<string> stepNames, string description = "re-run") =>
        Check(result, stepNames, description, requireAllCachedOrUnchanged: true);

    /// <summary>Fails unless each step in <paramref name="stepNames"/> has at least one output with reason Modified (or New).</summary>
    public static void SomeModified(GeneratorDriverRunResult result, IEnumerable<string> stepNames, string description = "re-run") =>
        Check(result, stepNames, description, requireAllCachedOrUnchanged: false);

    /// <summary>All tracked steps of the (single) generator: <see cref="GeneratorRunResult.TrackedSteps"/> plus <see cref="GeneratorRunResult.TrackedOutputSteps"/>.</summary>
    public static IReadOnlyDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> Steps(GeneratorDriverRunResult result)
    {
        var steps = new Dictionary<string, ImmutableArray<IncrementalGeneratorRunStep>>(StringComparer.Ordinal);
        foreach (var generatorResult in result.Results)
        {
            foreach (var (name, list) in generatorResult.TrackedSteps.Concat(generatorResult.TrackedOutputSteps))
            {
                steps[name] = steps.TryGetValue(name, out var existing) ? existing.AddRange(list) : list;
            }
        }

        return steps;
    }

    /// <summary>A table of every tracked step: name, run count, and the reasons of its outputs.</summary>
    public static string Describe(GeneratorDriverRunResult result)
    {
        var sb = new StringBuilder();
        foreach (var (name, runs) in Steps(result).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append("  ").Append(name).Append(": ");
            var reasons = runs.SelectMany(r => r.Outputs).Select(o => o.Reason.ToString()).ToList();
            sb.Append(runs.Length).Append(" run(s), outputs [").Append(string.Join(", ", reasons)).Append(']');
            var inputs = runs.SelectMany(r => r.Inputs).Select(i => i.Source.Name ?? "?").Distinct().ToList();
            if (inputs.Count > 0)
            {
                sb.Append(" <- inputs from [").Append(string.Join(", ", inputs)).Append(']');
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static void Check(GeneratorDriverRunResult result, IEnumerable<string> stepNames, string description, bool requireAllCachedOrUnchanged)
    {
        var steps = Steps(result);
        var names = stepNames.ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException("Name at least one step.", nameof(stepNames));
        }

        var problems = new List<string>();
        foreach (var name in names)
        {
            if (!steps.TryGetValue(name, out var runs))
            {
                problems.Add($"step '{name}' was not tracked (is WithTrackingName(\"{name}\") on the pipeline?)");
                continue;
            }

            var outputs = runs.SelectMany(r => r.Outputs).ToList();
            if (requireAllCachedOrUnchanged)
            {
                var bad = outputs
                    .Select((o, i) => (o, i))
                    .Where(x => x.o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                    .Select(x => $"#{x.i} {x.o.Reason} ({Preview(x.o.Value)})")
                    .ToList();
                if (bad.Count > 0)
                {
                    problems.Add($"step '{name}' expected only Cached/Unchanged outputs but has: {string.Join("; ", bad)}");
                }
            }
            else if (!outputs.Any(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New))
            {
                problems.Add(
                    $"step '{name}' expected at least one Modified output but has [{string.Join(", ", outputs.Select(o => o.Reason))}]");
            }
        }

        if (problems.Count > 0)
        {
            throw new XunitException(
                $"Incremental check after {description} failed:\n  - " + string.Join("\n  - ", problems) +
                "\nAll tracked steps of this run:\n" + Describe(result));
        }
    }

    private static string Preview(object? value)
    {
        var text = value?.ToString() ?? "null";
        text = text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return text.Length <= 120 ? text : text.Substring(0, 117) + "...";
    }
}

/// <summary>
/// A generator driver plus the compilation it last ran on. Each edit method returns a new run that re-used the
/// previous driver (so its caches), ready for an assertion.
/// </summary>
public sealed class IncrementalRun
{
    private int unrelatedCounter;

    internal IncrementalRun(GeneratorDriver driver, CSharpCompilation compilation, string description)
    {
        Driver = driver;
        Compilation = compilation;
        Description = description;
    }

    /// <summary>The driver after this run.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The compilation of this run.</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>What produced this run (used in failure messages).</summary>
    public string Description { get; }

    /// <summary>The run result of this run.</summary>
    public GeneratorDriverRunResult Result => Driver.GetRunResult();

    /// <summary>Tracked steps of this run by name.</summary>
    public IReadOnlyDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> Steps => IncrementalAssert.Steps(Result);

    /// <summary>Runs the driver again on <paramref name="edit"/>(current compilation).</summary>
    public IncrementalRun Rerun(Func<CSharpCompilation, CSharpCompilation> edit, string description)
    {
        var next = edit(Compilation);
        return new IncrementalRun(Driver.RunGenerators(next), next, description);
    }

    /// <summary>Runs again on a clone of the compilation (nothing changed at all).</summary>
    public IncrementalRun RerunClone()
    {
        var next = Compilation.Clone();
        return new IncrementalRun(Driver.RunGenerators(next), next, "re-run on a cloned compilation");
    }

    /// <summary>Runs again after adding a new file that has nothing to do with any [Differentiable] method.</summary>
    public IncrementalRun AddUnrelatedFile(string? source = null)
    {
        int n = ++unrelatedCounter;
        source ??= $"namespace Unrelated{n} {{ public static class Helper{n} {{ public static int Answer() => {n}; }} }}\n";
        var next = Compilation.AddSyntaxTrees(GeneratorHarness.ParseTree(source, $"Unrelated{n}.cs"));
        return new IncrementalRun(Driver.RunGenerators(next), next, "adding an unrelated file");
    }

    /// <summary>
    /// Runs again after replacing the single occurrence of <paramref name="oldText"/> (in whichever source file has
    /// it) by <paramref name="newText"/>: use it to edit an unrelated method or the differentiable method itself.
    /// </summary>
    public IncrementalRun ReplaceText(string oldText, string newText)
    {
        var matches = Compilation.SyntaxTrees
            .Select(t => (Tree: t, Text: t.GetText(), Index: t.GetText().ToString().IndexOf(oldText, StringComparison.Ordinal)))
            .Where(x => x.Index >= 0)
            .ToList();
        if (matches.Count != 1)
        {
            throw new ArgumentException($"Expected '{oldText}' in exactly one source file, found it in {matches.Count}.", nameof(oldText));
        }

        var (tree, text, index) = matches[0];
        if (text.ToString().IndexOf(oldText, index + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{oldText}' occurs more than once in {tree.FilePath}; make it unique.", nameof(oldText));
        }

        var newTree = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(index, oldText.Length), newText)));
        var next = Compilation.ReplaceSyntaxTree(tree, newTree);
        return new IncrementalRun(Driver.RunGenerators(next), next, $"replacing '{oldText}' with '{newText}'");
    }

    /// <summary>Fails unless every output of the named steps is Cached or Unchanged. Returns this run.</summary>
    public IncrementalRun AssertAllCachedOrUnchanged(params string[] stepNames)
    {
        IncrementalAssert.AllCachedOrUnchanged(Result, stepNames, Description);
        return this;
    }

    /// <summary>Fails unless each named step has at least one Modified (or New) output. Returns this run.</summary>
    public IncrementalRun AssertSomeModified(params string[] stepNames)
    {
        IncrementalAssert.SomeModified(Result, stepNames, Description);
        return this;
    }

    /// <summary>Fails if an output of a named step is or holds a symbol, syntax node, semantic model, compilation or location.</summary>
    public IncrementalRun AssertModelsAreClean(params string[] stepNames)
    {
        PipelineModelWalker.AssertClean(Result, stepNames);
        return this;
    }
}
