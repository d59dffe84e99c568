using System;
using System.IO;
using System.Linq;

namespace SymGrad.Samples.TinyNet;

/// <summary>Reads the generated source file that the build copied to <c>generated/</c> next to the program.</summary>
public static class GeneratedSource
{
    /// <summary>
    /// The method whose declaration line contains <paramref name="signature"/>, with its XML documentation and
    /// attributes, dedented; null when the file is missing.
    /// </summary>
    public static string? TryExtractMethod(string fileName, string signature)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "generated", fileName);
        if (!File.Exists(path))
        {
            return null;
        }

        string[] lines = File.ReadAllLines(path);
        int declaration = Array.FindIndex(lines, l => l.Contains(signature, StringComparison.Ordinal));
        if (declaration < 0)
        {
            return null;
        }

        string indent = lines[declaration][..(lines[declaration].Length - lines[declaration].TrimStart().Length)];
        int first = declaration;
        while (first > 0 && (lines[first - 1].TrimStart().StartsWith("///", StringComparison.Ordinal) || lines[first - 1].TrimStart().StartsWith('[')))
        {
            first--;
        }

        int last = declaration + 1;
        while (last < lines.Length && lines[last] != indent + "}")
        {
            last++;
        }

        return string.Join('\n', lines[first..Math.Min(last + 1, lines.Length)].Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l));
    }
}
