using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SymGrad.Generator;

/// <summary>
/// Every diagnostic SymGrad reports. IDs are stable; the README has the table, and each ID has a help page
/// <c>docs/diagnostics/&lt;ID&gt;.md</c> that its help link points to.
/// </summary>
internal static class Diagnostics
{
    private const string Category = "SymGrad";

    /// <summary>Where the help pages live; a descriptor's help link is this plus <c>&lt;ID&gt;.md</c>.</summary>
    private const string HelpLinkBase = "https://github.com/symgrad/symgrad/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error(
        "SG0001",
        "Unsupported statement",
        "SymGrad cannot differentiate this {0} statement: {1}");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error(
        "SG0002",
        "Unsupported expression",
        "SymGrad cannot differentiate this {0}: {1}");

    public static readonly DiagnosticDescriptor NoSource = Error(
        "SG0003",
        "Call without source or derivative rule",
        "SymGrad cannot differentiate the call to '{0}': {1}");

    public static readonly DiagnosticDescriptor Recursion = Error(
        "SG0004",
        "Recursive call",
        "SymGrad cannot differentiate the recursive call to '{0}' (call chain: {1}); rewrite it without recursion");

    public static readonly DiagnosticDescriptor NonDoubleType = Error(
        "SG0005",
        "Unsupported type",
        "{0} has type '{1}', which SymGrad does not support; {2}");

    /// <summary>SG0005's advice for a type: a matrix goes in flat, a user type as doubles, otherwise the supported types.</summary>
    public static string TypeAdvice(ITypeSymbol? type, bool local)
    {
        if (type is IArrayTypeSymbol { Rank: > 1 } or IArrayTypeSymbol { ElementType: IArrayTypeSymbol })
        {
            return local
                ? "a local matrix is a flat buffer: new double[rows * cols], read as a[i * cols + j]"
                : "a matrix (double[,]) or jagged array (double[][]) of double or int is data, read as X[i, j] or X[i][j]; [Wrt] differentiates a double[,] (its gradient is row-major); to differentiate a jagged array, pass its rows flat, as one double[] in row-major order with the column count as an int, read as W[i * cols + j]";
        }

        ITypeSymbol? element = type switch
        {
            IArrayTypeSymbol { Rank: 1 } a => a.ElementType,
            INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } span when span.Name is "Span" or "ReadOnlySpan" => span.TypeArguments[0],
            _ => null,
        };
        if (element is INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None, IsGenericType: false } elementStruct
            && elementStruct.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => !f.IsStatic && !f.IsConst && f.Type.SpecialType != SpecialType.System_Double) is IFieldSymbol other)
        {
            // record struct Spring(int A, int B, double Rest): its int fields keep it from being read as doubles.
            string field = other.AssociatedSymbol?.Name ?? other.Name;
            return "an array of structs is data when every instance field of the struct is double, and '" + elementStruct.Name + "' has '" + field + "' of type '"
                + other.Type.ToDisplayString() + "'; pass those values as an int[] (or double[]) beside an array of a struct of doubles";
        }

        if (type is INamedTypeSymbol { IsTupleType: true })
        {
            return "a tuple is deconstructed only from a tuple literal (var (a, b) = (e1, e2)); hold its values in double locals, and return one double from each helper (or have a void helper write into a Span<double>)";
        }

        if (type is INamedTypeSymbol { SpecialType: SpecialType.None, TypeKind: TypeKind.Struct } structType && !structType.IsGenericType)
        {
            return local
                ? "a struct is replaced by its fields when it is declared in source and all its instance fields are double (a record struct Vec3(double X, double Y, double Z), say); this one is not such a struct, so hold its values in double locals"
                : "a [Differentiable] method's parameters are doubles, arrays and spans; pass a struct's fields as doubles or a span, and build the struct inside (its fields must all be double)";
        }

        if (type is INamedTypeSymbol { SpecialType: SpecialType.None, TypeKind: TypeKind.Class } classType && !classType.IsGenericType)
        {
            return "a class is a reference SymGrad does not follow; write the value type as a struct (record struct) of doubles, or hold its values in double locals";
        }

        return local
            ? "locals may be double, int, long or bool, double[] and int[] buffers, Span<double> and ReadOnlySpan<double>"
            : "parameters may be double, double[], ReadOnlySpan<double> or Span<double> (differentiated), or int, long, bool, int[] or ReadOnlySpan<int> (data), and the method returns double";
    }

    public static readonly DiagnosticDescriptor NotStatic = Error(
        "SG0006",
        "Method is not static",
        "[Differentiable] method '{0}' must be static, or read its trainable state from [Param] fields: SymGrad differentiates pure functions of their parameters");

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "SG0007",
        "Containing type is not partial",
        "Type '{0}' must be declared partial so SymGrad can add the generated members of '{1}'");

    public static readonly DiagnosticDescriptor WrtOnNonDouble = Error(
        "SG0008",
        "[Wrt] on a non-double parameter",
        "[Wrt] is on parameter '{0}' of type '{1}'; only double, double[], ReadOnlySpan<double> and Span<double> parameters can be differentiated: remove [Wrt] from data parameters");

    public static readonly DiagnosticDescriptor NameClash = Error(
        "SG0009",
        "Generated member name clash",
        "Type '{0}' already has a member named '{1}', which SymGrad would generate for '{2}'; rename one of them");

    public static readonly DiagnosticDescriptor RefParameter = Error(
        "SG0010",
        "ref, out, in or params parameter",
        "Parameter '{0}' is passed by '{1}'; [Differentiable] methods take their parameters by value (for several values, take a double[] or ReadOnlySpan<double>)");

    public static readonly DiagnosticDescriptor Generic = Error(
        "SG0011",
        "Unsupported generic method",
        "[Differentiable] generic method '{0}': {1}");

    public static readonly DiagnosticDescriptor Unassigned = Error(
        "SG0012",
        "Variable read before assignment",
        "Variable '{0}' is read before SymGrad can see a value assigned to it on every path");

    public static readonly DiagnosticDescriptor TooLarge = Error(
        "SG0013",
        "Model too large",
        "Method '{0}' expands to too large an expression graph ({1}); split it or reduce inlined calls");

    public static readonly DiagnosticDescriptor Overloaded = Error(
        "SG0014",
        "Overloaded [Differentiable] methods",
        "Type '{0}' has more than one [Differentiable] method named '{1}'; the generated types would clash, so give them distinct names");

    public static readonly DiagnosticDescriptor FileLocalType = Error(
        "SG0015",
        "File-local containing type",
        "Type '{0}' is file-local ('file'), so the members SymGrad generates for '{1}' in another file cannot join it; remove 'file' or move the method to a non-file type");

    public static readonly DiagnosticDescriptor NoSecondOrderRule = Error(
        "SG0016",
        "No second-order derivative rule",
        "SymGrad cannot compute the Hessian through the call to '{0}': {1}");

    public static readonly DiagnosticDescriptor InvalidRule = Error(
        "SG0017",
        "Invalid derivative rule",
        "'{0}' is not a valid derivative rule: {1}");

    public static readonly DiagnosticDescriptor FloatMethod = Error(
        "SG0018",
        "Unsupported in a float method",
        "{0} in float method '{1}': {2}");

    public static readonly DiagnosticDescriptor GenericMethod = Error(
        "SG0019",
        "Unsupported in a generic method",
        "{0} in generic method '{1}': {2}");

    public static readonly DiagnosticDescriptor ZeroDerivative = Warning(
        "SG0100",
        "Derivative is identically zero",
        "∂{0}/∂{1} is identically 0: no derivative flows from parameter '{1}' to the result of '{0}' (it does not reach the result, or only through conditions, int conversions or piecewise-constant functions; a zero upstream gradient zeroes everything below it)");

    public static readonly DiagnosticDescriptor NonDifferentiable = Warning(
        "SG0101",
        "Non-differentiable function",
        "'{0}' is piecewise constant; SymGrad takes its derivative as 0, so no gradient flows through it");

    public static readonly DiagnosticDescriptor Kink = Create(
        "SG0102",
        "Function with a kink",
        "'{0}' is not differentiable where {1}; SymGrad uses the subgradient {2} there",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor MutableStatic = Warning(
        "SG0103",
        "Mutable static read as a constant",
        "'{0}' is a mutable static {1}: SymGrad reads its value when the generated code runs and treats it as a constant, so no derivative flows to it; to differentiate with respect to it, pass it to the method as a parameter (make it readonly or const if it never changes)");

    public static readonly DiagnosticDescriptor UnseenRule = Warning(
        "SG0104",
        "Derivative rule in a type SymGrad does not search",
        "SymGrad does not look for derivative rules in '{0}', so '{1}' is never used; list the type with [assembly: DerivativeRules(typeof({0}))], or move the rule into the type of the function or of the [Differentiable] method");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "SG9999",
        "Internal generator error",
        "SymGrad failed on '{0}' and generated nothing for it: {1}. Please report this with the method's source.");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Build();

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var all = new[]
        {
            UnsupportedStatement, UnsupportedExpression, NoSource, Recursion, NonDoubleType, NotStatic, NotPartial,
            WrtOnNonDouble, NameClash, RefParameter, Generic, Unassigned, TooLarge, Overloaded, FileLocalType, NoSecondOrderRule,
            InvalidRule, FloatMethod, GenericMethod, ZeroDerivative, NonDifferentiable, Kink, MutableStatic, UnseenRule, InternalError,
        };
        var map = new Dictionary<string, DiagnosticDescriptor>();
        foreach (DiagnosticDescriptor d in all)
        {
            map.Add(d.Id, d);
        }

        return map;
    }

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message)
        => Create(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity)
        => new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
