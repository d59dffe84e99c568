using System.Globalization;
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
}
