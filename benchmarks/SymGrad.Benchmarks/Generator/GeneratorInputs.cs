using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Generator;

namespace SymGrad.Benchmarks.Generator;

/// <summary>
/// Source files the generator benchmarks feed to <see cref="SymGradGenerator"/>, and a one-shot
/// measurement of what it emits for them.
/// </summary>
public static class GeneratorInputs
{
    /// <summary>Parse options of every input (C# latest, like a net10.0 project).</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>
    /// <paramref name="count"/> copies of the seed-002 loss (named Loss0 … Loss{count−1}) in one partial class:
    /// model size grows with the number of methods.
    /// </summary>
    public static string Methods(int count)
    {
        var sb = new StringBuilder();
        sb.Append("using SymGrad;\n\nnamespace Bench;\n\npublic static partial class Models\n{\n");
        for (int m = 0; m < count; m++)
        {
            sb.Append(CultureInfo.InvariantCulture, $$"""
                    [Differentiable]
                    public static double Loss{{m}}(double x, double y, [Wrt] double w2, [Wrt] double b2, [Wrt] double w3, [Wrt] double b3)
                    {
                        double a2 = SymMath.Sigmoid(w2 * x + b2);
                        double a3 = SymMath.Sigmoid(w3 * a2 + b3);
                        double e = y - a3;
                        return e * e;
                    }


                """);
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>
    /// One method: a chain of <paramref name="depth"/> nested sigmoid layers z_{k+1} = σ(w_k·z_k + b_k),
    /// z_0 = x, with loss (y − z_depth)², differentiated with respect to all 2·depth weights.
    /// </summary>
    public static string Chain(int depth)
    {
        var sb = new StringBuilder();
        sb.Append("using SymGrad;\n\nnamespace Bench;\n\npublic static partial class Chains\n{\n    [Differentiable]\n");
        sb.Append(CultureInfo.InvariantCulture, $"    public static double Chain{depth}(double x, double y");
        for (int k = 0; k < depth; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $", [Wrt] double w{k}, [Wrt] double b{k}");
        }

        sb.Append(")\n    {\n        double z0 = x;\n");
        for (int k = 0; k < depth; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        double z{k + 1} = SymMath.Sigmoid(w{k} * z{k} + b{k});\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"        double e = y - z{depth};\n        return e * e;\n    }}\n}}\n");
        return sb.ToString();
    }

    /// <summary>A compilation of one source file against .NET 10 and the SymGrad runtime.</summary>
    public static CSharpCompilation Compilation(string source)
    {
        var references = new List<MetadataReference>(Basic.Reference.Assemblies.Net100.References.All)
        {
            MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location),
        };
        return CSharpCompilation.Create(
            "GeneratorBenchmarkInput",
            [CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Input.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>A fresh driver (no cached state), as for the first build of a project.</summary>
    public static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(
            [new SymGradGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>What the generator emitted for one input.</summary>
    public sealed record Emitted(int Chars, int Files, int GeneratorDiagnostics, int CompileErrors, string? FirstProblem);

    /// <summary>Runs the generator once and measures its output; also compiles the result.</summary>
    public static Emitted Measure(string source)
    {
        CSharpCompilation compilation = Compilation(source);
        GeneratorDriver driver = NewDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        int chars = run.Results.Sum(r => r.GeneratedSources.Sum(s => s.SourceText.Length));
        int files = run.Results.Sum(r => r.GeneratedSources.Length);
        Diagnostic[] errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        string? first = diagnostics.Concat(run.Results.SelectMany(r => r.Exception is null ? [] : new[] { Diagnostic.Create(new DiagnosticDescriptor("BENCH", "exception", r.Exception.Message, "bench", DiagnosticSeverity.Error, true), Location.None) }))
            .Concat(errors)
            .Select(d => d.ToString())
            .FirstOrDefault();
        return new Emitted(chars, files, diagnostics.Length, errors.Length, first);
    }
}
