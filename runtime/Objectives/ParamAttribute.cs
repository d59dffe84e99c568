using System;

namespace SymGrad;

/// <summary>
/// Marks a <c>double</c> or <c>double[]</c> field of a partial type as a trainable parameter of the type's
/// <see cref="DifferentiableAttribute">[Differentiable]</see> methods: instance methods read the object's fields
/// (static methods the static ones), and the generator differentiates them with respect to these fields. The gradient
/// holds them flat, in declaration order (an array of length L takes L slots), followed by any <c>[Wrt]</c> parameters;
/// the method's own parameters are data unless marked <c>[Wrt]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ParamAttribute : Attribute
{
}
