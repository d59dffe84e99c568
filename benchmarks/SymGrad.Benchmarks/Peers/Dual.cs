using System.Numerics;
using System.Runtime.CompilerServices;

namespace SymGrad.Benchmarks.Peers;

/// <summary>
/// A minimal forward-mode dual number a + b·ε (ε² = 0), generic over the scalar type: the usual
/// way to get exact derivatives in C# without a generator. Evaluating f on (p + ε·eᵢ) yields f(p)
/// and ∂f/∂pᵢ, so a gradient of n parameters costs n evaluations.
/// </summary>
public readonly struct Dual<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>The primal value a.</summary>
    public readonly T Value;

    /// <summary>The tangent b (the directional derivative carried along).</summary>
    public readonly T Tangent;

    /// <summary>Creates a + b·ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual(T value, T tangent)
    {
        Value = value;
        Tangent = tangent;
    }

    /// <summary>A constant (tangent 0).</summary>
    public static implicit operator Dual<T>(T value) => new(value, T.Zero);

    /// <summary>(a + bε) + (c + dε) = (a + c) + (b + d)ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator +(Dual<T> l, Dual<T> r) => new(l.Value + r.Value, l.Tangent + r.Tangent);

    /// <summary>(a + bε) − (c + dε) = (a − c) + (b − d)ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(Dual<T> l, Dual<T> r) => new(l.Value - r.Value, l.Tangent - r.Tangent);

    /// <summary>(a + bε)(c + dε) = ac + (ad + bc)ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator *(Dual<T> l, Dual<T> r) =>
        new(l.Value * r.Value, l.Value * r.Tangent + l.Tangent * r.Value);

    /// <summary>(a + bε)/(c + dε) = a/c + (bc − ad)/c² ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator /(Dual<T> l, Dual<T> r) =>
        new(l.Value / r.Value, (l.Tangent * r.Value - l.Value * r.Tangent) / (r.Value * r.Value));

    /// <summary>−(a + bε).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> operator -(Dual<T> x) => new(-x.Value, -x.Tangent);
}

/// <summary>Elementary functions of <see cref="Dual{T}"/>.</summary>
public static class Dual
{
    /// <summary>exp(a + bε) = e^a + b·e^a ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Exp<T>(Dual<T> x) where T : IFloatingPointIeee754<T>
    {
        T e = T.Exp(x.Value);
        return new Dual<T>(e, x.Tangent * e);
    }

    /// <summary>tanh(a + bε) = tanh a + b(1 − tanh² a)ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Tanh<T>(Dual<T> x) where T : IFloatingPointIeee754<T>
    {
        T t = T.Tanh(x.Value);
        return new Dual<T>(t, x.Tangent * (T.One - t * t));
    }

    /// <summary>σ(a + bε) = σ(a) + b·σ(a)(1 − σ(a))ε, with σ evaluated without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<T> Sigmoid<T>(Dual<T> x) where T : IFloatingPointIeee754<T>
    {
        T s;
        if (x.Value >= T.Zero)
        {
            s = T.One / (T.One + T.Exp(-x.Value));
        }
        else
        {
            T e = T.Exp(x.Value);
            s = e / (T.One + e);
        }

        return new Dual<T>(s, x.Tangent * s * (T.One - s));
    }
}
