using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// Source text with expected diagnostic spans marked as <c>[|…|]</c> (Roslyn test-markup style). <see cref="Parse"/>
/// strips the markers and returns the clean source and the marked spans in order.
/// </summary>
public static class Markup
{
    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
    {
        var sb = new StringBuilder();
        var spans = new List<TextSpan>();
        int open = -1;
        for (int i = 0; i < markup.Length; i++)
        {
            if (string.CompareOrdinal(markup, i, "[|", 0, 2) == 0)
            {
                if (open >= 0)
                {
                    throw new ArgumentException("Nested [| markers are not supported.", nameof(markup));
                }

                open = sb.Length;
                i++;
            }
            else if (string.CompareOrdinal(markup, i, "|]", 0, 2) == 0 && open >= 0)
            {
                spans.Add(TextSpan.FromBounds(open, sb.Length));
                open = -1;
                i++;
            }
            else
            {
                sb.Append(markup[i]);
            }
        }

        if (open >= 0)
        {
            throw new ArgumentException("Unclosed [| marker.", nameof(markup));
        }

        return (sb.ToString(), spans);
    }
}
