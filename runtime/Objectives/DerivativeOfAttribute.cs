using System;

namespace SymGrad;

/// <summary>
/// Declares a custom derivative rule: the method it is on returns one partial derivative of another static method,
/// which SymGrad then calls as is (for its value) instead of differentiating it — a function without source (a
/// library's special function) or one that should not be differentiated through.
/// </summary>
/// <remarks>
/// <para>
/// The rule is a static method with the same <c>double</c> parameters as the function (matched by their number, all
/// taken by value), returning <c>double</c>: ∂f/∂xₖ at those arguments, where k is <see cref="Argument"/>. A function of
/// several arguments gets one rule per argument it is differentiated with respect to.
/// </para>
/// <para>
/// <b>Second order.</b> A <c>[Differentiable(Hessian = true)]</c> method also needs the derivatives of each rule. A
/// rule whose source is in the compilation is differentiated like any helper when SymGrad can lower its body
/// (straight-line code, <c>if</c>/<c>?:</c>, loops with a compile-time trip count, calls); otherwise (a rule from a
/// referenced assembly, a body with a run-time loop) the rule needs rules of its own, declared the same way on the
/// rule method. Without them the call gets diagnostic SG0016 rather than a wrong Hessian.
/// </para>
/// <para>
/// <b>Where SymGrad looks.</b> Rules are found in the function's own type, in the type declaring the
/// <c>[Differentiable]</c> method (and the types enclosing it), and in every type listed by
/// <see cref="DerivativeRulesAttribute"/> on the compiling assembly or on a referenced one — so a library ships rules by
/// listing its rule types. Built-in functions (<c>Math</c>, <c>SymMath</c>) keep their own rules.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [DerivativeOf(typeof(SpecialFunctions), nameof(SpecialFunctions.Erf))]
/// public static double ErfDerivative(double x) => 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x);
///
/// // ∂/∂a and ∂/∂x of the lower incomplete gamma function P(a, x) would be two rules, Argument = 0 and Argument = 1.
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>States that the method this is on returns ∂f/∂x₀ (or ∂f/∂x of <see cref="Argument"/>) of <paramref name="type"/>.<paramref name="method"/>.</summary>
    /// <param name="type">The type declaring the function.</param>
    /// <param name="method">The function's name (<c>nameof</c> it); the overload is the one with the rule's parameters.</param>
    public DerivativeOfAttribute(Type type, string method)
    {
        Type = type;
        Method = method;
    }

    /// <summary>The type declaring the function.</summary>
    public Type Type { get; }

    /// <summary>The function's name.</summary>
    public string Method { get; }

    /// <summary>The 0-based position of the argument the rule differentiates with respect to (default 0).</summary>
    public int Argument { get; set; }
}
