using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>
/// One fenced code block of a Markdown file: its language, text, the line of its opening fence (1-based), the
/// <c>## </c> section it is in, and the <c>&lt;!-- compile: … --&gt;</c> marker on the last non-blank line before it.
/// </summary>
public sealed record CodeBlock(string File, string Language, string Text, int Line, string Section, string? CompileMarker)
{
    /// <summary><c>README.md:42</c>: where the block starts, for test names and failure messages.</summary>
    public string Where => Path.GetFileName(File) + ":" + Line;
}

/// <summary>Reads fenced code blocks, headings and tables out of the repository's Markdown files.</summary>
public static class Markdown
{
    private const string MarkerStart = "<!-- compile:";
    private const string MarkerEnd = "-->";

    /// <summary>Every fenced code block of <paramref name="path"/>, in order.</summary>
    public static IReadOnlyList<CodeBlock> CodeBlocks(string path)
    {
        var lines = File.ReadAllLines(path);
        var blocks = new List<CodeBlock>();
        string section = string.Empty;
        string? lastNonBlank = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
            }

            if (!line.StartsWith("```", StringComparison.Ordinal))
            {
                if (line.Trim().Length > 0)
                {
                    lastNonBlank = line.Trim();
                }

                continue;
            }

            string language = line[3..].Trim();
            int start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            if (i == lines.Length)
            {
                throw new XunitException($"{Path.GetFileName(path)}:{start + 1}: the code block is never closed");
            }

            string? marker = lastNonBlank is not null && lastNonBlank.StartsWith(MarkerStart, StringComparison.Ordinal) && lastNonBlank.EndsWith(MarkerEnd, StringComparison.Ordinal)
                ? lastNonBlank[MarkerStart.Length..^MarkerEnd.Length].Trim()
                : null;
            blocks.Add(new CodeBlock(path, language, string.Join("\n", body) + "\n", start + 1, section, marker));
            lastNonBlank = null;
        }

        return blocks;
    }

    /// <summary>The <c>csharp</c> blocks of <paramref name="path"/>, in order.</summary>
    public static IReadOnlyList<CodeBlock> CSharpBlocks(string path) =>
        CodeBlocks(path).Where(b => b.Language == "csharp").ToList();

    /// <summary>
    /// The first column of the table that follows the heading <paramref name="heading"/> (for example
    /// <c>## Diagnostics</c>), header and separator rows left out, backticks and link syntax stripped.
    /// </summary>
    public static IReadOnlyList<string[]> TableAfter(string path, string heading)
    {
        var lines = File.ReadAllLines(path);
        int at = Array.FindIndex(lines, l => l.Trim() == heading);
        if (at < 0)
        {
            throw new XunitException($"{Path.GetFileName(path)} has no heading '{heading}'");
        }

        var rows = lines.Skip(at + 1)
            .SkipWhile(l => !l.StartsWith('|'))
            .TakeWhile(l => l.StartsWith('|'))
            .Skip(2) // header and |---| separator
            .Select(l => l.Trim().Trim('|').Split('|').Select(Cell).ToArray())
            .ToList();
        return rows;
    }

    /// <summary>A table cell's text: trimmed, <c>[text](link)</c> reduced to <c>text</c>, backticks removed.</summary>
    private static string Cell(string raw)
    {
        string cell = raw.Trim().Replace("`", string.Empty, StringComparison.Ordinal);
        if (cell.StartsWith('[') && cell.Contains("](", StringComparison.Ordinal) && cell.EndsWith(')'))
        {
            cell = cell[1..cell.IndexOf("](", StringComparison.Ordinal)];
        }

        return cell;
    }
}
