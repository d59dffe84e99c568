using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace SymGrad.Tests.Docs;

/// <summary>
/// Every <c>csharp</c> block of README.md compiles, with the SymGrad generator and runtime (and MathNet.Numerics, which
/// the runtime package brings), as the <c>Program.cs</c> of
/// a new console project (top-level statements, implicit usings, nullable enabled), and runs without throwing.
/// <para>
/// The convention, written as an HTML comment on the line before a block:
/// <list type="bullet">
/// <item>no marker: the block is a whole <c>Program.cs</c> on its own (as the quick start is);</item>
/// <item><c>&lt;!-- compile: with-previous --&gt;</c>: the block continues the program of the previous compiled
/// block: its statements run after that program's statements, its types and <c>using</c>s join it (as when a
/// reader pastes it at the end of the previous <c>Program.cs</c>, moving classes below the statements);</item>
/// <item><c>&lt;!-- compile: skip (reason) --&gt;</c>: not compiled (an excerpt of generated code, say).</item>
/// </list>
/// Every prefix of a chain is compiled, and a block that starts a chain is compiled verbatim, so the quick start
/// compiles exactly as pasted.
/// </para>
/// </summary>
public sealed class ReadmeCodeTests
{
    private const string WithPrevious = "with-previous";
    private const string Skip = "skip";

    /// <summary>The global usings a new console project gets from <c>ImplicitUsings</c> (Microsoft.NET.Sdk).</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;

        """;

    private static readonly object ConsoleLock = new();

    /// <summary>
    /// What a console project referencing the SymGrad package compiles against: the harness's references plus
    /// MathNet.Numerics, a dependency of the runtime that comes with the package (the custom-rules example uses it).
    /// </summary>
    private static readonly IReadOnlyList<MetadataReference> ProjectReferences =
        GeneratorHarness.References.Add(MetadataReference.CreateFromFile(typeof(MathNet.Numerics.SpecialFunctions).Assembly.Location));

    private static IReadOnlyList<CodeBlock> Blocks => Markdown.CSharpBlocks(RepositoryFiles.PathOf("README.md"));

    /// <summary>One program per compiled block, named by the block's position (<c>README.md:42</c>).</summary>
    public static TheoryData<string> Programs
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var (where, _) in BuildPrograms())
            {
                data.Add(where);
            }

            return data;
        }
    }

    [Fact]
    public void Every_marker_is_known_and_a_chain_has_a_start()
    {
        var blocks = Blocks;
        Assert.True(blocks.Count >= 5, $"README.md has only {blocks.Count} csharp blocks: did the fence syntax change?");
        Assert.All(blocks, b => Assert.True(
            b.CompileMarker is null or WithPrevious || b.CompileMarker.StartsWith(Skip, StringComparison.Ordinal),
            $"{b.Where}: unknown marker '<!-- compile: {b.CompileMarker} -->' (use none, '{WithPrevious}' or '{Skip} (reason)')"));
        Assert.True(blocks.First(b => !IsSkipped(b)).CompileMarker is null, "the first compiled block cannot continue a previous one");
    }

    [Fact]
    public void The_quick_start_is_a_whole_program()
    {
        var quickStart = Blocks.First(b => b.Section == "Quick start");
        Assert.Null(quickStart.CompileMarker);
        Assert.Contains("[Differentiable", quickStart.Text, StringComparison.Ordinal);
        Assert.Contains(BuildPrograms(), p => p.Where == quickStart.Where);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_block_compiles_and_runs_as_a_console_program(string where)
    {
        var (_, parts) = BuildPrograms().Single(p => p.Where == where);
        string program = Assemble(parts);
        var compilation = CSharpCompilation.Create(
            "ReadmeProgram",
            new[] { GeneratorHarness.ParseTree(ImplicitUsings, "GlobalUsings.g.cs"), GeneratorHarness.ParseTree(program, "Program.cs") },
            ProjectReferences,
            GeneratorHarness.CompilationOptions.WithOutputKind(OutputKind.ConsoleApplication));
        var run = GeneratorHarness.Run(compilation);
        try
        {
            run.AssertCompilesCleanly();
        }
        catch (XunitException e)
        {
            throw new XunitException($"{where} does not compile as Program.cs of a console project.\n{e.Message}\nProgram.cs:\n{Numbered(program)}");
        }

        string output = RunProgram(run.OutputCompilation, where);
        Assert.False(string.IsNullOrWhiteSpace(output), $"{where}: the program printed nothing");
    }

    /// <summary>For each compiled block, the blocks that form its program: the chain up to and including it.</summary>
    private static List<(string Where, List<CodeBlock> Parts)> BuildPrograms()
    {
        var programs = new List<(string, List<CodeBlock>)>();
        var current = new List<CodeBlock>();
        foreach (var block in Blocks.Where(b => !IsSkipped(b)))
        {
            current = block.CompileMarker == WithPrevious ? new List<CodeBlock>(current) { block } : new List<CodeBlock> { block };
            programs.Add((block.Where, current));
        }

        return programs;
    }

    private static bool IsSkipped(CodeBlock block) => block.CompileMarker?.StartsWith(Skip, StringComparison.Ordinal) == true;

    /// <summary>
    /// One <c>Program.cs</c> from the blocks of a chain. A chain of one block is that block verbatim (as pasted). A
    /// longer chain gets the blocks' <c>using</c> directives (each once), then all top-level statements in block order,
    /// then all type declarations (C# wants the statements before the types).
    /// </summary>
    private static string Assemble(IReadOnlyList<CodeBlock> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0].Text;
        }

        var usings = new List<string>();
        var statements = new StringBuilder();
        var types = new StringBuilder();
        foreach (var part in parts)
        {
            var root = (CompilationUnitSyntax)GeneratorHarness.ParseTree(part.Text, part.Where).GetRoot();
            foreach (var u in root.Usings.Select(u => u.ToString()).Where(u => !usings.Contains(u)))
            {
                usings.Add(u);
            }

            statements.Append("// ---- ").Append(part.Where).Append('\n');
            foreach (var member in root.Members)
            {
                (member is GlobalStatementSyntax ? statements : types).Append(member.ToFullString());
            }
        }

        return string.Join("\n", usings) + "\n\n" + statements + "\n" + types;
    }

    /// <summary>Emits, loads and runs the program's entry point with the console redirected; returns what it printed.</summary>
    private static string RunProgram(Compilation compilation, string where)
    {
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, $"{where}: emit failed:\n" + GeneratorHarness.Format(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var context = new AssemblyLoadContext("SymGrad.Tests.Readme", isCollectible: true);
        try
        {
            MethodInfo entry = context.LoadFromStream(stream).EntryPoint ?? throw new XunitException($"{where}: no entry point");
            object?[] arguments = entry.GetParameters().Length == 0 ? Array.Empty<object?>() : new object?[] { Array.Empty<string>() };
            var output = new StringWriter();
            lock (ConsoleLock)
            {
                TextWriter saved = Console.Out;
                Console.SetOut(output);
                try
                {
                    entry.Invoke(null, arguments);
                }
                catch (TargetInvocationException e) when (e.InnerException is not null)
                {
                    throw new XunitException($"{where}: the program threw {e.InnerException}\nIt printed:\n{output}");
                }
                finally
                {
                    Console.SetOut(saved);
                }
            }

            return output.ToString();
        }
        finally
        {
            context.Unload();
        }
    }

    private static string Numbered(string text) =>
        string.Join("\n", text.Split('\n').Select((line, i) => $"{i + 1,4}  {line}"));
}
