using System;
using SymGrad.Generator.Ir;
using Xunit;

namespace SymGrad.Tests.Ir;

/// <summary>
/// The simplifier in the <see cref="Graph"/> constructors: the identities and stability rewrites it must apply, and the
/// ones it must not (they would change a value somewhere: e^(log x) ≠ x for x &lt; 0, x == x is false for NaN).
/// Intended semantics (Graph.cs): a literal 0 factor is a symbolic zero, so x·0 = 0 and 0/x = 0 for every x, as in
/// any symbolic differentiator; the NaN-safety of masked adjoints is the job of <see cref="Op.SafeMul"/> and of
/// masked selects, which must keep a constant ±∞ from the branch not taken out of a product.
/// </summary>
public sealed class SimplifierTests
{
    private readonly Graph g = new();

    private Node X => g.Param(0);

    private Node Y => g.Param(1);

    [Fact]
    public void Applies_the_neutral_elements()
    {
        Assert.Same(X, g.Add(X, g.Zero));
        Assert.Same(X, g.Add(g.Zero, X));
        Assert.Same(X, g.Sub(X, g.Zero));
        Assert.Same(X, g.Mul(g.One, X));
        Assert.Same(X, g.Mul(X, g.One));
        Assert.Same(X, g.Div(X, g.One));
        Assert.Same(X, g.Neg(g.Neg(X)));
        Assert.Same(g.Neg(X), g.Sub(g.Zero, X));
        Assert.Same(g.Neg(X), g.Mul(g.Const(-1), X));
    }

    [Fact]
    public void A_literal_zero_factor_is_a_symbolic_zero()
    {
        // Documented: x·0 = 0 and 0/x = 0 whatever x is at run time (also ∞ or NaN).
        Assert.Same(g.Zero, g.Mul(X, g.Zero));
        Assert.Same(g.Zero, g.Mul(g.Zero, g.Call(Fn.Log, X)));
        Assert.Same(g.Zero, g.Div(g.Zero, X));
        Assert.Same(g.Zero, g.Sub(X, X));
        Assert.Same(g.One, g.Div(X, X));
    }

    [Fact]
    public void Constants_fold_with_IEEE_semantics()
    {
        // Two constants are folded as doubles, not as symbols: 0·∞ is NaN, 1/0 is ∞.
        Assert.True(double.IsNaN(g.Mul(g.Zero, g.Const(double.PositiveInfinity)).Value));
        Assert.Equal(double.PositiveInfinity, g.Div(g.One, g.Zero).Value);
        Assert.Equal(SymMath.Sigmoid(-800), g.Call(Fn.Sigmoid, g.Const(-800)).Value);
        Assert.Equal(SymMath.Log1p(1e-17), g.Call(Fn.Log1p, g.Const(1e-17)).Value);
        Assert.Same(g.Zero, g.Const(-0.0)); // −0 and 0 are one constant
    }

    [Fact]
    public void Masked_products_keep_an_infinite_factor_out()
    {
        Node c = g.Compare(Op.Greater, X, g.Zero);
        Node mask = g.Select(c, Y, g.Zero);
        Node inf = g.Const(double.PositiveInfinity);

        // (c ? y : 0)·∞ = c ? y·∞ : 0, never 0·∞ = NaN.
        Node product = g.Mul(mask, inf);
        Assert.Equal(Op.Select, product.Op);
        Assert.Equal(0.0, NodeEvaluator.Value(product, -1.0, 2.0));

        // SafeMul with a constant ∞ stays guarded; with a finite constant it is a plain product.
        Node sum = g.Add(X, Y);
        Assert.Equal(Op.SafeMul, g.SafeMul(sum, inf).Op);
        Assert.Equal(0.0, NodeEvaluator.Value(g.SafeMul(sum, inf), 1.0, -1.0));
        Assert.Equal(Op.Mul, g.SafeMul(sum, g.Const(3)).Op);
    }

    [Fact]
    public void Shares_equal_subexpressions_and_commuted_products()
    {
        Assert.Same(g.Add(X, Y), g.Add(X, Y));
        Assert.Same(g.Mul(X, Y), g.Mul(Y, X));
        Assert.Same(g.Add(X, Y), g.Add(Y, X));
        Assert.NotSame(g.Sub(X, Y), g.Sub(Y, X));
        Assert.NotSame(g.Div(X, Y), g.Div(Y, X));
    }

    [Fact]
    public void Applies_the_stability_rewrites()
    {
        Assert.Same(g.Call(Fn.Sigmoid, g.Neg(X)), g.Sub(g.One, g.Call(Fn.Sigmoid, X)));
        Node t = g.Call(Fn.Tanh, X);
        Assert.Same(g.Call(Fn.TanhDerivative, X), g.Sub(g.One, g.Mul(t, t)));
        Assert.Same(g.Call(Fn.Expm1, X), g.Sub(g.Call(Fn.Exp, X), g.One));
        Assert.Same(g.Call(Fn.SigmoidDerivative, X), g.Mul(g.Call(Fn.Sigmoid, X), g.Call(Fn.Sigmoid, g.Neg(X))));
        Assert.Same(g.Call(Fn.Sigmoid, X), g.Div(g.One, g.Add(g.One, g.Call(Fn.Exp, g.Neg(X)))));
        Assert.Same(g.Call(Fn.Sigmoid, X), g.Div(g.Call(Fn.Exp, X), g.Add(g.One, g.Call(Fn.Exp, X))));
        Assert.Same(g.Call(Fn.LogSigmoid, X), g.Call(Fn.Log, g.Call(Fn.Sigmoid, X)));
        Assert.Same(g.Call(Fn.Log1p, X), g.Call(Fn.Log, g.Add(g.One, X)));
        Assert.Same(g.Call(Fn.Log1p, g.Neg(X)), g.Call(Fn.Log, g.Sub(g.One, X)));
        Assert.Same(g.Call(Fn.Softplus, X), g.Call(Fn.Log, g.Add(g.One, g.Call(Fn.Exp, X))));
        Assert.Same(g.Call(Fn.LogSumExp, X, Y), g.Call(Fn.Log, g.Add(g.Call(Fn.Exp, X), g.Call(Fn.Exp, Y))));
        Assert.Same(X, g.Call(Fn.Log, g.Call(Fn.Exp, X)));
    }

    [Fact]
    public void Rewrites_keep_the_value()
    {
        // The rewritten forms compute the textbook formula where it does not overflow or cancel.
        foreach (double x in new[] { -3.0, -0.4, 0.2, 2.5 })
        {
            Assert.Equal(1 - SymMath.Sigmoid(x), NodeEvaluator.Value(g.Sub(g.One, g.Call(Fn.Sigmoid, X)), x, 0), 14);
            Assert.Equal(Math.Log(1 + Math.Exp(x)), NodeEvaluator.Value(g.Call(Fn.Log, g.Add(g.One, g.Call(Fn.Exp, X))), x, 0), 14);
            Assert.Equal(Math.Log(Math.Exp(x) + Math.Exp(0.5)), NodeEvaluator.Value(g.Call(Fn.Log, g.Add(g.Call(Fn.Exp, X), g.Call(Fn.Exp, Y))), x, 0.5), 14);
        }
    }

    [Fact]
    public void Does_not_apply_identities_that_change_a_value()
    {
        // e^(log x) is x only for x > 0.
        Node expLog = g.Call(Fn.Exp, g.Call(Fn.Log, X));
        Assert.Equal(Op.Call, expLog.Op);
        Assert.Equal(Fn.Exp, expLog.Fn);

        // x == x, x <= x are false for NaN: kept. x < x is false for every x: folded.
        Assert.Equal(Op.Eq, g.Compare(Op.Eq, X, X).Op);
        Assert.Equal(Op.LessEq, g.Compare(Op.LessEq, X, X).Op);
        Assert.Equal(Op.False, g.Compare(Op.Less, X, X).Op);

        // √(x²) = |x|, but (√x)² is not x (NaN for x < 0).
        Assert.Same(g.Call(Fn.Abs, X), g.Call(Fn.Sqrt, g.Mul(X, X)));
        Node s = g.Call(Fn.Sqrt, X);
        Assert.Equal(Op.Mul, g.Mul(s, s).Op);

        // Large or fractional exponents stay a power; small integer ones become products.
        Assert.Equal(Fn.Pow, g.Call(Fn.Pow, X, g.Const(5)).Fn);
        Assert.Equal(Fn.Pow, g.Call(Fn.Pow, X, g.Const(1.5)).Fn);
        Assert.Same(g.Mul(X, X), g.Call(Fn.Pow, X, g.Const(2)));
        Assert.Same(g.Div(g.One, g.Mul(X, X)), g.Call(Fn.Pow, X, g.Const(-2)));
        Assert.Same(g.Call(Fn.Sqrt, X), g.Call(Fn.Pow, X, g.Const(0.5)));
        Assert.Same(g.One, g.Call(Fn.Pow, X, g.Zero));

        // max(x, x) = x (NaN included) but max(x, y) stays.
        Assert.Same(X, g.Call(Fn.Max, X, X));
        Assert.Equal(Fn.Max, g.Call(Fn.Max, X, Y).Fn);
    }

    [Fact]
    public void Selects_and_conditions()
    {
        Node c = g.Compare(Op.Less, X, Y);
        Assert.Same(X, g.Select(g.Bool(true), X, Y));
        Assert.Same(Y, g.Select(g.Bool(false), X, Y));
        Assert.Same(X, g.Select(c, X, X));
        Assert.Same(g.Select(c, Y, X), g.Select(g.Not(c), X, Y));
        Assert.Same(g.Select(c, X, Y), g.Select(c, g.Select(c, X, g.Zero), Y));
        Assert.Same(c, g.Not(g.Not(c)));
        Assert.Equal(Op.True, g.Or(c, g.Not(c)).Op);
        Assert.Same(c, g.And(c, c));
    }
}
