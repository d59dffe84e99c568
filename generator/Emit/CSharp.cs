using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace SymGrad.Generator.Emit;

/// <summary>C# spelling helpers; every number is printed with the invariant culture.</summary>
internal static class CSharp
{
    /// <summary>
    /// <paramref name="value"/> as a C# literal: a double (<c>0.5</c>), or with <paramref name="isFloat"/> the float
    /// nearest to it with an <c>f</c> suffix (<c>0.1f</c>), printed with the shortest digits that round-trip in float.
    /// </summary>
    public static string Literal(double value, bool isFloat)
    {
        if (!isFloat)
        {
            return Literal(value);
        }

        float f = (float)value;
        if (float.IsNaN(f))
        {
            return "float.NaN";
        }

        if (float.IsPositiveInfinity(f))
        {
            return "float.PositiveInfinity";
        }

        if (float.IsNegativeInfinity(f))
        {
            return "float.NegativeInfinity";
        }

        string s = f.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0)
        {
            s += ".0";
        }

        return s + "f";
    }

    public static string Literal(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        string s = value.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0)
        {
            s += ".0";
        }

        return s;
    }

    /// <summary>An identifier, escaped with @ when it is a keyword.</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>
    /// A <c>cref</c> naming one overload of a method: <paramref name="name"/> (with its type parameters, <c>M&lt;T&gt;</c>)
    /// and the types of the parameters declared in <paramref name="declarations"/> (comma-separated lists as written in a
    /// signature, <c>double x, global::System.Span&lt;double&gt; gradient = default</c>; names and defaults are dropped),
    /// with <c>&lt;&gt;</c> written <c>{}</c>: <c>M{T}(T, global::System.Span{T})</c>. A bare name that has overloads (the
    /// generated members do: <c>MGradient</c> with a span and with MPartials, a field model's explicit-fields forms) is
    /// CS0419 where documentation is diagnosed.
    /// </summary>
    public static string MethodCref(string name, params string[] declarations)
    {
        var types = new List<string>();
        foreach (string list in declarations)
        {
            foreach (string declaration in SplitTopLevel(list, ','))
            {
                string d = SplitTopLevel(declaration, '=')[0].Trim();
                if (d.Length > 0)
                {
                    types.Add(d.Substring(0, d.LastIndexOf(' ')).Trim());
                }
            }
        }

        return CrefText(name) + "(" + string.Join(", ", types.Select(CrefText)) + ")";
    }

    private static string CrefText(string type) => type.Replace('<', '{').Replace('>', '}');

    /// <summary><paramref name="text"/> split at each <paramref name="separator"/> outside brackets (<c>&lt;&gt;</c>, <c>[]</c>, <c>()</c>).</summary>
    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '<' or '[' or '(')
            {
                depth++;
            }
            else if (c is '>' or ']' or ')')
            {
                depth--;
            }
            else if (c == separator && depth == 0)
            {
                parts.Add(text.Substring(start, i - start));
                start = i + 1;
            }
        }

        parts.Add(text.Substring(start));
        return parts;
    }
}
