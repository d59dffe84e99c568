using System;

namespace SymGrad;

/// <summary>
/// Marks a static method of a <c>partial</c> type for compile-time symbolic differentiation.
/// The SymGrad source generator emits, into the same type, <c>{Method}Gradient</c> (value plus
/// partial derivatives), a readable <c>{Method}Partials</c> result struct, and a training adapter
/// <c>{Method}Objective</c> over the data type <c>{Method}Sample</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// Also emit <c>{Method}Hessian</c>: value, gradient and the full (symmetric, row-major) Hessian
    /// of the differentiated parameters, plus <c>{Method}HessianVectorProduct</c>.
    /// </summary>
    public bool Hessian { get; set; }
}
