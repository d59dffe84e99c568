using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Model;

/// <summary>
/// A function the generated code calls as is, whose derivatives come from custom rules (<c>[DerivativeOf]</c>): its
/// C# name, the name formula comments use, and one partial per argument.
/// </summary>
/// <param name="Method">The fully qualified method, e.g. <c>global::MathNet.Numerics.SpecialFunctions.Erf</c>.</param>
/// <param name="Name">The method's simple name, for formula comments and locals.</param>
/// <param name="Partials">∂f/∂(argument k) for each argument k.</param>
internal sealed record CustomFunction(string Method, string Name, EquatableArray<CustomPartial> Partials)
{
    public int Arity => Partials.Count;
}

/// <summary>
/// One partial derivative of a <see cref="CustomFunction"/>: an expression over the call's arguments (the
/// <see cref="Op.Param"/> node k of <see cref="Template"/> stands for argument k), or, when no rule gives it, empty with
/// the reason in <see cref="Missing"/>.
/// </summary>
/// <param name="Template">The expression's nodes (dense, topological); built-in calls, custom calls by table index, externs by index.</param>
/// <param name="Root">The expression's node in <see cref="Template"/>, or -1 when missing.</param>
/// <param name="Rule">The rule method it comes from (<c>Type.Method</c>), for messages; null when missing.</param>
/// <param name="Missing">Why there is no partial (for the diagnostic), when there is none.</param>
internal sealed record CustomPartial(EquatableArray<NodeRecord> Template, int Root, string? Rule, string? Missing)
{
    public bool Exists => Root >= 0;

    public static CustomPartial None(string why) => new(EquatableArray<NodeRecord>.Empty, -1, null, why);
}

/// <summary>
/// What the generated code reads from outside the method: static values (by <see cref="Op.Extern"/> index) and
/// functions with custom derivative rules (by <see cref="Fn.Custom"/> call index).
/// </summary>
internal sealed record ExternTable(EquatableArray<string> Values, EquatableArray<CustomFunction> Functions)
{
    public static ExternTable Empty { get; } = new(EquatableArray<string>.Empty, EquatableArray<CustomFunction>.Empty);
}
