using System;

namespace SymGrad;

/// <summary>
/// Lists types holding <see cref="DerivativeOfAttribute">[DerivativeOf]</see> rules, so that SymGrad finds them in
/// every project that references this assembly (and in this one): <c>[assembly: DerivativeRules(typeof(ErfRules))]</c>.
/// SymGrad reads only the listed types, never the whole assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class DerivativeRulesAttribute : Attribute
{
    /// <summary>Lists <paramref name="ruleTypes"/>.</summary>
    /// <param name="ruleTypes">Types declaring <c>[DerivativeOf]</c> methods.</param>
    public DerivativeRulesAttribute(params Type[] ruleTypes) => RuleTypes = ruleTypes;

    /// <summary>The listed types.</summary>
    public Type[] RuleTypes { get; }
}
