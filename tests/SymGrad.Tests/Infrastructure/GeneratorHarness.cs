using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Generator;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>
/// Compiles C# source text in memory, runs a source generator over it (by default <see cref="SymGradGenerator"/>)
/// and hands back everything a test wants to look at: generated sources, generator diagnostics, the diagnostics of
/// the compilation that includes the generated code, and (on request) a loaded assembly to call into.
/// </summary>
public static class GeneratorHarness
{
    /// <summary>Name of the in-memory assembly every harness compilation gets.</summary>
    public const string DefaultAssemblyName = "SymGrad.Tests.InMemory";

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
        Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(SymMath).Assembly.Location))
            .ToImmutableArray());

    private static readonly ConcurrentDictionary<string, Lazy<Compiled>> CompiledCache = new(StringComparer.Ordinal);

    /// <summary>Parse options of every harness compilation: C# latest.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>
    /// <see cref="ParseOptions"/> with documentation comments diagnosed, as in a project with
    /// <c>GenerateDocumentationFile</c>: an ambiguous or unresolved <c>cref</c> (CS0419, CS1574, CS1580, CS1584), a bad
    /// <c>paramref</c> (CS1734) or badly formed XML (CS1570) in a doc comment is then a warning. The default
    /// (<see cref="DocumentationMode.Parse"/>) reports none of them.
    /// </summary>
    public static CSharpParseOptions DocumentationParseOptions { get; } = ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    /// <summary>
    /// Compilation options: a library, nullable enabled, every warning wave on, CS1701/CS1702 suppressed as the
    /// .NET SDK does (SymGrad.dll is built against net8.0, the reference set is net10.0).
    /// </summary>
    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            optimizationLevel: OptimizationLevel.Release,
            deterministic: true,
            warningLevel: 9999)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    /// <summary>The .NET 10 reference assemblies plus the SymGrad runtime assembly.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>Creates a fresh instance of the generator under test.</summary>
    public static IIncrementalGenerator CreateDefaultGenerator() => new SymGradGenerator();

    /// <summary>Parses <paramref name="sources"/> (file i gets the path <c>Source{i}.cs</c>) into one compilation.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources, DefaultAssemblyName);

    /// <summary>Parses <paramref name="sources"/> into one compilation named <paramref name="assemblyName"/>.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, string assemblyName) =>
        CreateCompilation(sources, assemblyName, ParseOptions);

    /// <summary>Parses <paramref name="sources"/> with <paramref name="parseOptions"/> into one compilation named <paramref name="assemblyName"/>.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, string assemblyName, CSharpParseOptions parseOptions)
    {
        var trees = sources
            .Select((text, i) => CSharpSyntaxTree.ParseText(text, parseOptions, path: $"Source{i}.cs", encoding: Encoding.UTF8))
            .ToArray();
        return CSharpCompilation.Create(assemblyName, trees, References, CompilationOptions);
    }

    /// <summary>A parse of <paramref name="text"/> with the harness's parse options.</summary>
    public static SyntaxTree ParseTree(string text, string path) =>
        CSharpSyntaxTree.ParseText(text, ParseOptions, path: path, encoding: Encoding.UTF8);

    /// <summary>A driver for <paramref name="generator"/> (default: SymGradGenerator) that tracks incremental steps.</summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator? generator = null) => CreateDriver(generator, ParseOptions);

    /// <summary>A driver for <paramref name="generator"/> that parses the generated files with <paramref name="parseOptions"/>.</summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator? generator, CSharpParseOptions parseOptions) =>
        CSharpGeneratorDriver.Create(
            new[] { (generator ?? CreateDefaultGenerator()).AsSourceGenerator() },
            additionalTexts: null,
            parseOptions: parseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles <paramref name="source"/> and runs the generator once.</summary>
    public static GeneratorRun Run(string source, IIncrementalGenerator? generator = null) =>
        Run(CreateCompilation(source), generator);

    /// <summary>Compiles several source files and runs the generator once.</summary>
    public static GeneratorRun Run(IEnumerable<string> sources, IIncrementalGenerator? generator = null) =>
        Run(CreateCompilation(sources, DefaultAssemblyName), generator);

    /// <summary>
    /// Compiles several source files with doc-comment diagnostics on (<see cref="DocumentationParseOptions"/>, the
    /// generated files too) and runs the generator once.
    /// </summary>
    public static GeneratorRun RunWithDocumentationDiagnostics(IEnumerable<string> sources, params InMemoryLibrary[] libraries) =>
        Run(CreateCompilation(sources, DefaultAssemblyName, DocumentationParseOptions).AddReferences(libraries.Select(l => l.Reference)), generator: null);

    /// <summary>Runs the generator once over <paramref name="compilation"/> (generated files parsed with its parse options).</summary>
    public static GeneratorRun Run(CSharpCompilation compilation, IIncrementalGenerator? generator = null)
    {
        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? ParseOptions;
        var driver = CreateDriver(generator, parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(compilation, (CSharpCompilation)output, driver, generatorDiagnostics, generator?.GetType() ?? typeof(SymGradGenerator));
    }

    /// <summary>
    /// Compiles several source files that reference the in-memory <paramref name="libraries"/> (see
    /// <see cref="CreateLibrary"/>) and runs the generator once; <see cref="GeneratorRun.Emit"/> loads the libraries too.
    /// </summary>
    public static GeneratorRun Run(IEnumerable<string> sources, IReadOnlyList<InMemoryLibrary> libraries, IIncrementalGenerator? generator = null)
    {
        var compilation = CreateCompilation(sources, DefaultAssemblyName).AddReferences(libraries.Select(l => l.Reference));
        var run = Run(compilation, generator);
        run.Libraries = libraries;
        return run;
    }

    /// <summary>
    /// Compiles <paramref name="source"/> into an in-memory class library (the harness's references and options, plus
    /// <paramref name="references"/>; the generator does not run): code that a test compilation references without having
    /// its source, like a NuGet package. Fails on a compilation error.
    /// </summary>
    public static InMemoryLibrary CreateLibrary(string assemblyName, string source, params InMemoryLibrary[] references)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { ParseTree(source, assemblyName + ".cs") },
            References.AddRange(references.Select(r => r.Reference)),
            CompilationOptions);
        using var stream = new System.IO.MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new XunitException("The library " + assemblyName + " does not compile:\n" + Format(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        var image = stream.ToArray().ToImmutableArray();
        return new InMemoryLibrary(assemblyName, image, MetadataReference.CreateFromImage(image));
    }

    /// <summary>
    /// <see cref="Compile(IReadOnlyList{string}, IIncrementalGenerator?)"/> for sources that reference in-memory
    /// <paramref name="libraries"/>, which are loaded next to the compiled assembly. Cached like it.
    /// </summary>
    public static Compiled Compile(IReadOnlyList<string> sources, IReadOnlyList<InMemoryLibrary> libraries)
    {
        var key = typeof(SymGradGenerator).FullName + "\u0000libraries:" + string.Join(",", libraries.Select(l => l.Name + "#" + l.ImageHash)) + "\u0000" + string.Join("\u0000", sources);
        var lazy = CompiledCache.GetOrAdd(key, _ => new Lazy<Compiled>(() => Run(sources, libraries).Emit()));
        try
        {
            return lazy.Value;
        }
        catch
        {
            CompiledCache.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>
    /// Generates, asserts the result compiles without errors, emits and loads it. Cached by generator type and source
    /// text for the whole test run, so many tests over one source pay for one compilation.
    /// </summary>
    public static Compiled Compile(string source, IIncrementalGenerator? generator = null) =>
        Compile(new[] { source }, generator);

    /// <inheritdoc cref="Compile(string, IIncrementalGenerator?)"/>
    public static Compiled Compile(IReadOnlyList<string> sources, IIncrementalGenerator? generator = null)
    {
        // A configurable generator distinguishes its configurations through ToString().
        var key = (generator?.GetType() ?? typeof(SymGradGenerator)).FullName + "\u0000" + generator + "\u0000" + string.Join("\u0000", sources);
        var lazy = CompiledCache.GetOrAdd(key, _ => new Lazy<Compiled>(() => Run(sources, generator).Emit()));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Do not cache failures: the next test gets the real exception again, not a stale one.
            CompiledCache.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>One diagnostic per line: <c>path(line,col): severity ID: message</c>, plus the offending source line.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
    {
        var sb = new StringBuilder();
        foreach (var d in diagnostics)
        {
            sb.Append("  ").Append(d.ToString());
            if (d.Location.IsInSource)
            {
                var span = d.Location.GetLineSpan();
                var lines = d.Location.SourceTree!.GetText().Lines;
                int line = span.StartLinePosition.Line;
                if (line >= 0 && line < lines.Count)
                {
                    sb.AppendLine().Append("      | ").Append(lines[line].ToString().Trim());
                }
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }
}

/// <summary>An in-memory class library a test compilation can reference (<see cref="GeneratorHarness.CreateLibrary"/>).</summary>
public sealed record InMemoryLibrary(string Name, ImmutableArray<byte> Image, MetadataReference Reference)
{
    /// <summary>A hash of the image, so that cache keys tell two builds of one name apart.</summary>
    public string ImageHash { get; } = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Image.AsSpan()));
}

/// <summary>The result of one generator run over one compilation.</summary>
public sealed class GeneratorRun
{
    internal GeneratorRun(
        CSharpCompilation input,
        CSharpCompilation output,
        GeneratorDriver driver,
        ImmutableArray<Diagnostic> generatorDiagnostics,
        Type generatorType)
    {
        InputCompilation = input;
        OutputCompilation = output;
        Driver = driver;
        RunResult = driver.GetRunResult();
        GeneratorType = generatorType;

        // The driver reports generator diagnostics both ways; keep the union, in a stable order.
        GeneratorDiagnostics = generatorDiagnostics
            .Concat(RunResult.Diagnostics)
            .Distinct()
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();

        GeneratedSources = RunResult.Results
            .SelectMany(r => r.GeneratedSources)
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

        CompilationDiagnostics = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToImmutableArray();
    }

    /// <summary>The compilation given to the generator.</summary>
    public CSharpCompilation InputCompilation { get; }

    /// <summary>In-memory libraries the compilation references, loaded next to it by <see cref="Emit"/>.</summary>
    public IReadOnlyList<InMemoryLibrary> Libraries { get; internal set; } = Array.Empty<InMemoryLibrary>();

    /// <summary>The input compilation plus the generated syntax trees.</summary>
    public CSharpCompilation OutputCompilation { get; }

    /// <summary>The driver after the run (run it again with another compilation for incremental tests).</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The driver's run result (tracked steps, exceptions, generated trees).</summary>
    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>The generator type that ran.</summary>
    public Type GeneratorType { get; }

    /// <summary>Generated sources: hint name → text, in ordinal hint-name order.</summary>
    public ImmutableSortedDictionary<string, string> GeneratedSources { get; }

    /// <summary>Diagnostics the generator reported (SG0001…, SG9999, CS8785 for an escaped exception).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>Errors and warnings of <see cref="OutputCompilation"/> (hidden and info diagnostics left out).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics { get; }

    /// <summary>Exceptions that escaped the generator (one drops all its output).</summary>
    public ImmutableArray<Exception> GeneratorExceptions =>
        RunResult.Results.Where(r => r.Exception is not null).Select(r => r.Exception!).ToImmutableArray();

    /// <summary>Every generated file, ordinal by hint name, each preceded by a <c>// ---- hint ----</c> line.</summary>
    public string AllGeneratedText()
    {
        var sb = new StringBuilder();
        foreach (var (hint, text) in GeneratedSources)
        {
            sb.Append("// ---- ").Append(hint).Append(" ----\n").Append(text.Replace("\r\n", "\n", StringComparison.Ordinal));
            if (!text.EndsWith('\n'))
            {
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The one generated source whose hint name contains <paramref name="hintNamePart"/>.</summary>
    public string GeneratedSource(string hintNamePart)
    {
        var matches = GeneratedSources.Where(kv => kv.Key.Contains(hintNamePart, StringComparison.Ordinal)).ToList();
        if (matches.Count != 1)
        {
            throw new XunitException(
                $"Expected exactly one generated source whose hint name contains '{hintNamePart}', found {matches.Count}. " +
                $"Hint names: [{string.Join(", ", GeneratedSources.Keys)}]");
        }

        return matches[0].Value;
    }

    /// <summary>Fails unless the generator reported no diagnostic at all and threw nothing.</summary>
    public GeneratorRun AssertNoGeneratorDiagnostics()
    {
        AssertNoExceptions();
        if (GeneratorDiagnostics.Length > 0)
        {
            throw new XunitException("The generator reported diagnostics:\n" + GeneratorHarness.Format(GeneratorDiagnostics));
        }

        return this;
    }

    /// <summary>
    /// Fails unless the generator threw nothing, reported no warning or error, and the compilation including the
    /// generated code has zero errors AND zero warnings.
    /// </summary>
    public GeneratorRun AssertCompilesCleanly()
    {
        AssertNoExceptions();
        var problems = GeneratorDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && !SuppressedByPragma(d)).ToList();
        if (problems.Count > 0 || CompilationDiagnostics.Length > 0)
        {
            throw new XunitException(
                "Expected the generated code to compile with zero errors and zero warnings.\n" +
                (problems.Count > 0 ? "Generator diagnostics:\n" + GeneratorHarness.Format(problems) : string.Empty) +
                (CompilationDiagnostics.Length > 0 ? "Compilation diagnostics:\n" + GeneratorHarness.Format(CompilationDiagnostics) : string.Empty) +
                "Generated sources:\n" + AllGeneratedText());
        }

        return this;
    }

    /// <summary>
    /// Whether the source silences <paramref name="d"/> with <c>#pragma warning disable</c> at its location, as the
    /// compiler does for a user's build (the driver hands the generator's diagnostics over unfiltered).
    /// </summary>
    private static bool SuppressedByPragma(Diagnostic d)
    {
        if (d.Location.SourceTree is not SyntaxTree tree)
        {
            return false;
        }

        bool disabled = false;
        foreach (var pragma in tree.GetRoot().DescendantTrivia(descendIntoTrivia: true)
            .Select(t => t.GetStructure()).OfType<Microsoft.CodeAnalysis.CSharp.Syntax.PragmaWarningDirectiveTriviaSyntax>()
            .Where(p => p.SpanStart < d.Location.SourceSpan.Start))
        {
            if (pragma.ErrorCodes.Count == 0 || pragma.ErrorCodes.Any(c => c.ToString().Trim() == d.Id))
            {
                disabled = pragma.DisableOrRestoreKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.DisableKeyword);
            }
        }

        return disabled;
    }

    /// <summary>Fails if an exception escaped the generator.</summary>
    public GeneratorRun AssertNoExceptions()
    {
        var exceptions = GeneratorExceptions;
        if (exceptions.Length > 0)
        {
            throw new XunitException("An exception escaped the generator:\n" + string.Join("\n", exceptions.Select(e => e.ToString())));
        }

        return this;
    }

    /// <summary>The IDs of the generator diagnostics, in order.</summary>
    public IReadOnlyList<string> GeneratorDiagnosticIds => GeneratorDiagnostics.Select(d => d.Id).ToList();

    /// <summary>
    /// Emits the output compilation (plus test shims, see <see cref="Compiled"/>) and loads it into a collectible
    /// load context. Fails with the diagnostics if it has errors. Not cached: use <see cref="GeneratorHarness.Compile(string, IIncrementalGenerator?)"/>.
    /// </summary>
    public Compiled Emit()
    {
        AssertNoExceptions();
        var errors = CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new XunitException(
                "The compilation including the generated code has errors:\n" + GeneratorHarness.Format(errors) +
                "Generator diagnostics:\n" + GeneratorHarness.Format(GeneratorDiagnostics) +
                "Generated sources:\n" + AllGeneratedText());
        }

        return Compiled.Create(this);
    }
}
