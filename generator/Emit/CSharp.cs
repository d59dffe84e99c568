using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace SymGrad.Generator.Emit;

/// <summary>C# spelling helpers; every number is printed with the invariant culture.</summary>
internal static class CSharp
{
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
