using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using SymGrad.Generator;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Docs;

/// <summary>
/// Every diagnostic the generator can report has a help link to its page <c>docs/diagnostics/&lt;ID&gt;.md</c>, the page
/// exists and agrees with the descriptor (title, severity), its example triggers the diagnostic and its fix does not,
/// and the README's diagnostics table and the docs index list exactly the IDs the generator declares.
/// </summary>
public sealed class DiagnosticDocsTests
{
    private const string LinkBase = "https://github.com/symgrad/symgrad/blob/main/docs/diagnostics/";
    private const string PagesFolder = "docs/diagnostics";

    /// <summary>Every <see cref="DiagnosticDescriptor"/> field of the generator's internal <c>Diagnostics</c> class.</summary>
    private static IReadOnlyList<DiagnosticDescriptor> Descriptors { get; } = ReadDescriptors();

    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var d in Descriptors)
            {
                data.Add(d.Id);
            }

            return data;
        }
    }

    [Fact]
    public void Every_descriptor_links_to_its_page_and_the_page_exists()
    {
        Assert.True(Descriptors.Count >= 19, $"found only {Descriptors.Count} descriptors");
        Assert.All(Descriptors, d =>
        {
            Assert.Equal(LinkBase + d.Id + ".md", d.HelpLinkUri);
            Assert.True(File.Exists(RepositoryFiles.PathOf($"{PagesFolder}/{d.Id}.md")), $"{PagesFolder}/{d.Id}.md is missing");
        });
    }

    [Fact]
    public void Every_page_belongs_to_a_descriptor()
    {
        var pages = Directory.GetFiles(RepositoryFiles.PathOf(PagesFolder), "SG*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal), pages);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_page_has_the_descriptors_title_and_severity_and_every_part(string id)
    {
        var descriptor = Descriptors.Single(d => d.Id == id);
        string[] lines = File.ReadAllLines(PagePath(id));
        Assert.Equal($"# {id}: {descriptor.Title}", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"**Severity:** {Severity(descriptor.DefaultSeverity)} ·", StringComparison.Ordinal));
        foreach (var heading in new[] { "## When it is reported", "## Example", "## Fix", "## Suppressing" })
        {
            Assert.Contains(heading, lines);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_pages_example_reports_the_diagnostic(string id)
    {
        var examples = Checked(id, "Example");
        foreach (var block in examples)
        {
            var run = GeneratorHarness.Run(block.Text);
            run.AssertNoExceptions();
            Assert.True(
                run.GeneratorDiagnosticIds.Contains(id),
                $"{block.Where}: the example should report {id}, but the generator reported [{string.Join(", ", run.GeneratorDiagnosticIds)}]");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_pages_fix_compiles_without_the_diagnostic(string id)
    {
        var fixes = Checked(id, "Fix");
        Assert.NotEmpty(fixes);
        foreach (var block in fixes)
        {
            var run = GeneratorHarness.Run(block.Text);
            run.AssertNoExceptions();
            Assert.DoesNotContain(id, run.GeneratorDiagnosticIds);
            var errors = run.GeneratorDiagnostics.Concat(run.CompilationDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{block.Where}: the fix does not compile:\n" + GeneratorHarness.Format(errors));
            Assert.NotEmpty(run.GeneratedSources);
        }
    }

    [Fact]
    public void The_README_diagnostics_table_lists_exactly_the_declared_IDs_with_their_severities()
    {
        var rows = Markdown.TableAfter(RepositoryFiles.PathOf("README.md"), "## Diagnostics");
        Assert.Equal(Declared(), rows.Select(r => (r[0], r[1])));
    }

    [Fact]
    public void The_docs_index_lists_exactly_the_declared_IDs_with_their_severities()
    {
        var rows = Markdown.TableAfter(RepositoryFiles.PathOf($"{PagesFolder}/README.md"), "# SymGrad diagnostics");
        Assert.Equal(Declared(), rows.Select(r => (r[0], r[1])));
    }

    [Fact]
    public void Relative_links_in_the_README_and_the_pages_point_to_existing_files()
    {
        var files = Directory.GetFiles(RepositoryFiles.PathOf(PagesFolder), "*.md").Append(RepositoryFiles.PathOf("README.md"));
        var broken = new List<string>();
        foreach (var file in files)
        {
            foreach (Match link in Regex.Matches(File.ReadAllText(file), @"\]\(([^)\s]+)\)"))
            {
                string target = link.Groups[1].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal))
                {
                    continue;
                }

                string resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Path.GetRelativePath(RepositoryFiles.Root, file)}: {link.Groups[1].Value}");
                }
            }
        }

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    private static IEnumerable<(string Id, string Severity)> Declared() =>
        Descriptors.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => (d.Id, Severity(d.DefaultSeverity)));

    /// <summary>The <c>csharp</c> blocks of the page's section <paramref name="section"/> that are not marked <c>skip</c>.</summary>
    private static List<CodeBlock> Checked(string id, string section)
    {
        var blocks = Markdown.CSharpBlocks(PagePath(id)).Where(b => b.Section == section).ToList();
        Assert.All(blocks, b => Assert.True(b.CompileMarker is null || b.CompileMarker.StartsWith("skip", StringComparison.Ordinal), $"{b.Where}: unknown marker '{b.CompileMarker}'"));
        return blocks.Where(b => b.CompileMarker is null).ToList();
    }

    private static string PagePath(string id) => RepositoryFiles.PathOf($"{PagesFolder}/{id}.md");

    private static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => severity.ToString().ToLowerInvariant(),
    };

    private static List<DiagnosticDescriptor> ReadDescriptors()
    {
        // The class is internal to the generator; its fields are the single source of truth for the IDs.
        var type = typeof(SymGradGenerator).Assembly.GetType("SymGrad.Generator.Diagnostics")
            ?? throw new InvalidOperationException("SymGrad.Generator.Diagnostics not found: update this test if it moved");
        return type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }
}
