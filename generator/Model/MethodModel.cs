using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Model;

/// <summary>One type in the chain of types containing the method (outermost first).</summary>
internal sealed record TypeDeclInfo(string Keyword, string Name, bool IsStatic);

/// <summary>A parameter of the differentiated method.</summary>
internal sealed record ParameterInfo(string Name, bool IsDifferentiated, string? DefaultValue, LocationInfo? Location)
{
    /// <summary>The parameter's type as written in generated code (fully qualified): <c>double</c> unless program mode.</summary>
    public string Type { get; init; } = "double";

    /// <summary>Whether the parameter is an array or span (its derivative takes Length slots of the gradient).</summary>
    public bool IsArray { get; init; }

    /// <summary>
    /// A field model's instance field the method reads that is not a [Param] (a hyperparameter, a size): a leading data
    /// parameter of the static members, passed by the instance members (this.X) and held by the objective.
    /// </summary>
    public bool IsContext { get; init; }

    /// <summary>Gradient slots per element of an array: 1, or a struct's field count for an array of structs (<c>Vec3[]</c>: 3).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Whether it is a <c>double</c> (or, in a float method, <c>float</c>) scalar.</summary>
    public bool IsScalar => Type is "double" or "float" || IsTypeParameter;

    /// <summary>Whether it is a scalar of a generic method's type parameter (<c>T x</c>).</summary>
    public bool IsTypeParameter { get; init; }

    /// <summary>
    /// For a <c>[Param]</c> field of a field model (a leading parameter of the lowered method): how generated members
    /// read it, <c>this.W</c> or <c>global::T.W</c>; null for the method's own parameters.
    /// </summary>
    public string? Field { get; init; }
}

/// <summary>
/// Everything the differentiation and emit steps need about one <c>[Differentiable]</c> method, as
/// plain equatable data: no symbols, syntax nodes or compilations, so an unrelated edit compares equal
/// and the expensive steps stay cached.
/// </summary>
internal sealed record MethodModel(
    string? Namespace,
    EquatableArray<TypeDeclInfo> ContainingTypes,
    string Name,
    string Accessibility,
    EquatableArray<ParameterInfo> Parameters,
    bool Hessian,
    EquatableArray<NodeRecord> Nodes,
    ExternTable Externs,
    int Root,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>How many leading parameters are the type's <c>[Param]</c> fields (a field model), 0 for a plain method.</summary>
    public int FieldCount { get; init; }

    /// <summary>Whether the method is an instance method (of a field model): its convenience members are instance members.</summary>
    public bool IsInstance { get; init; }

    /// <summary>The structured program of a method with loops, arrays or branches around them (null: a plain DAG).</summary>
    public ProgramModel? Program { get; init; }

    /// <summary>
    /// A <c>float</c> method (it returns float): differentiated and emitted in float (MathF, f-suffixed literals, float
    /// locals and spans), in scalar and in program mode; no batched members or objective (those are double).
    /// </summary>
    public bool IsFloat { get; init; }

    /// <summary>
    /// A generic method's type parameter (<c>T M&lt;T&gt;(T x) where T : IFloatingPointIeee754&lt;T&gt;</c>): the generated
    /// members are generic over it, with <see cref="Constraints"/>; null for a double or float method.
    /// </summary>
    public string? TypeParameter { get; init; }

    /// <summary>A generic method's constraint clause, fully qualified (<c>where T : global::System.Numerics.INumber&lt;T&gt;</c>).</summary>
    public string? Constraints { get; init; }

    public bool IsGeneric => TypeParameter is not null;

    public RealKind RealKind => IsGeneric ? RealKind.Generic : IsFloat ? RealKind.Float : RealKind.Double;

    /// <summary>The real type of the generated code: double, float, or the type parameter.</summary>
    public Emit.RealType RealType => Emit.RealType.Of(RealKind, TypeParameter);

    /// <summary>The real type's name in generated code: <c>double</c>, <c>float</c> or <c>T</c>.</summary>
    public string Real => RealType.Name;

    /// <summary>What follows a generated member's name: <c>&lt;T&gt;</c> for a generic method, else nothing.</summary>
    public string TypeParameterList => IsGeneric ? "<" + TypeParameter + ">" : string.Empty;

    /// <summary>What follows a generated member's parameter list: <c> where T : …</c> for a generic method, else nothing.</summary>
    public string ConstraintClause => Constraints is null ? string.Empty : " " + Constraints;

    /// <summary>
    /// The model without source locations or lowering diagnostics: what differentiation needs. Editing text above the
    /// method (which moves it) leaves this equal, so the expensive step stays cached.
    /// </summary>
    public MethodModel ForDerivation() => this with
    {
        Location = null,
        Parameters = System.Linq.Enumerable.Select(Parameters, p => p with { Location = null }).ToEquatableArray(),
        Diagnostics = EquatableArray<DiagnosticInfo>.Empty,
    };

    /// <summary>True when lowering failed with an error: no code is emitted for the method.</summary>
    public bool HasErrors => Nodes.Count == 0 && Program is null;

    public string HintName
    {
        get
        {
            var sb = new System.Text.StringBuilder();
            if (Namespace is not null)
            {
                sb.Append(Namespace).Append('.');
            }

            foreach (TypeDeclInfo t in ContainingTypes)
            {
                sb.Append(t.Name.Replace('<', '_').Replace('>', '_').Replace(',', '_').Replace(' ', '_')).Append('.');
            }

            sb.Append(Name).Append('_').Append(Parameters.Count).Append(".g.cs");
            return sb.ToString();
        }
    }
}

/// <summary>The generator's output for one method: source text (or null) and its diagnostics.</summary>
internal sealed record GeneratedMethod(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
