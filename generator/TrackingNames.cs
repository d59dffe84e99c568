namespace SymGrad.Generator;

/// <summary>Names of the incremental pipeline steps (asserted by the incremental-cache tests).</summary>
public static class TrackingNames
{
    /// <summary>Per method: the validated, lowered <c>MethodModel</c> (cheap; re-run on every compilation change).</summary>
    public const string Methods = nameof(Methods);

    /// <summary>Per method: differentiation, simplification and emission (expensive; cached by model equality).</summary>
    public const string Differentiated = nameof(Differentiated);

    /// <summary>Per <c>[DerivativeOf]</c> rule declared in the compilation: the diagnostics of its declaration (cheap).</summary>
    public const string Rules = nameof(Rules);
}
