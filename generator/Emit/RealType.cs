using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Emit;

/// <summary>
/// The real type generated code computes in, and how to spell its literals, conversions and functions: <c>double</c>,
/// <c>float</c> (MathF, SymMathF, f-suffixed literals) or a generic method's type parameter <c>T</c> (SymMath&lt;T&gt; for
/// every function, <c>T.Zero</c>, <c>T.One</c> and <c>T.CreateTruncating(c)</c> for constants).
/// </summary>
internal sealed class RealType
{
    public static readonly RealType Double = new(RealKind.Double, "double");

    public static readonly RealType Float = new(RealKind.Float, "float");

    private RealType(RealKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public RealKind Kind { get; }

    /// <summary>The type's name in generated code: <c>double</c>, <c>float</c> or the type parameter's name.</summary>
    public string Name { get; }

    public bool IsFloat => Kind == RealKind.Float;

    public bool IsGeneric => Kind == RealKind.Generic;

    /// <summary>A generic method's type parameter <paramref name="name"/>.</summary>
    public static RealType Generic(string name) => new(RealKind.Generic, name);

    public static RealType Of(RealKind kind, string? typeParameter) => kind switch
    {
        RealKind.Float => Float,
        RealKind.Generic => Generic(typeParameter ?? "T"),
        _ => Double,
    };

    /// <summary>A constant: <c>0.5</c>, <c>0.5f</c>, or <c>T.Zero</c>, <c>T.One</c>, <c>T.CreateTruncating(0.5)</c>.</summary>
    public string Literal(double value)
    {
        if (!IsGeneric)
        {
            return CSharp.Literal(value, IsFloat);
        }

        return value switch
        {
            0.0 => Name + ".Zero",
            1.0 => Name + ".One",
            -1.0 => "-" + Name + ".One", // INumber<T> has no NegativeOne
            _ => Name + ".CreateTruncating(" + CSharp.Literal(value) + ")",
        };
    }

    /// <summary>Whether <see cref="Literal"/> of <paramref name="value"/> is a unary expression (a minus sign in front), not a primary one.</summary>
    public bool LiteralIsUnary(double value) => IsGeneric ? value == -1.0 : value < 0 || double.IsNaN(value);

    /// <summary>An int expression (printed as a unary operand) converted to this type.</summary>
    public string FromInt(string operand) => IsGeneric ? Name + ".CreateTruncating(" + operand + ")" : "(" + Name + ")" + operand;

    /// <summary>Whether <see cref="FromInt"/> is a call (primary) rather than a cast (unary).</summary>
    public bool FromIntIsCall => IsGeneric;

    /// <summary>
    /// A double function's C# text (<c>global::System.Math.Exp({0})</c>, <c>global::SymGrad.SymMath.Sigmoid({0})</c>)
    /// in this type: MathF and SymMathF for float, SymMath&lt;T&gt; for a type parameter.
    /// </summary>
    public string Functions(string csharp) => Kind switch
    {
        RealKind.Float => csharp.Replace("global::System.Math.", "global::System.MathF.").Replace("global::SymGrad.SymMath.", "global::SymGrad.SymMathF."),
        RealKind.Generic => csharp.Replace("global::System.Math.", GenericMath).Replace("global::SymGrad.SymMath.", GenericMath),
        _ => csharp,
    };

    /// <summary><c>global::SymGrad.SymMath&lt;T&gt;.</c></summary>
    public string GenericMath => "global::SymGrad.SymMath<" + Name + ">.";
}
