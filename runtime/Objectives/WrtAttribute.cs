using System;

namespace SymGrad;

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute">[Differentiable]</see> method as one to
/// differentiate with respect to ("trainable"). Parameters without it are data. When no parameter of a
/// method carries <c>[Wrt]</c>, every <c>double</c> parameter is differentiated.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class WrtAttribute : Attribute
{
}
