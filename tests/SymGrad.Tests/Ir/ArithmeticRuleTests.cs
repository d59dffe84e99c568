using System;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Ir;

/// <summary>The derivative rules of the arithmetic and branch nodes against finite differences (the functions' rules are in <see cref="FunctionTableTests"/>).</summary>
public sealed class ArithmeticRuleTests
{
    [Theory]
    [InlineData("neg")]
    [InlineData("add")]
    [InlineData("sub")]
    [InlineData("mul")]
    [InlineData("div")]
    [InlineData("select")]
    public void Rule_matches_finite_differences(string op)
    {
        foreach (double[] p in new[] { new[] { 1.3, -0.7 }, new[] { -2.1, 0.4 }, new[] { 0.6, 2.9 } })
        {
            var g = new Graph();
            Node x = g.Param(0);
            Node y = g.Param(1);
            Node n = op switch
            {
                "neg" => g.Neg(g.Mul(x, y)),
                "add" => g.Add(g.Mul(x, x), g.Mul(y, x)),
                "sub" => g.Sub(g.Mul(x, x), g.Mul(y, x)),
                "mul" => g.Mul(g.Add(x, y), g.Sub(x, y)),
                "div" => g.Div(g.Add(x, g.Const(3)), g.Add(g.Mul(y, y), g.One)),
                _ => g.Select(g.Compare(Op.Greater, x, y), g.Mul(x, y), g.Div(x, g.Add(g.Mul(y, y), g.One))),
            };
            ReverseSweep sweep = Reverse.Differentiate(g, n, new[] { x, y });
            for (int i = 0; i < 2; i++)
            {
                int at = i;
                double numeric = Oracle.Partial(q => NodeEvaluator.Value(n, q), p, at);
                double symbolic = NodeEvaluator.Value(sweep.Gradient[i], p);
                Assert.True(FunctionTableTests.Close(symbolic, numeric, 1e-8), $"{op}: ∂/∂p{i} at ({string.Join(", ", p)}): {symbolic:R} vs {numeric:R}");
            }
        }
    }

    [Fact]
    public void Conditions_and_indices_have_no_partial()
    {
        var g = new Graph();
        Node x = g.Param(0);
        Node c = g.Compare(Op.Less, x, g.One);
        Node s = g.Select(c, x, g.Mul(x, x));
        Assert.Null(Rules.Partial(g, s, 0));
        Assert.Null(Rules.Partial(g, c, 0));
        Assert.NotNull(Rules.Partial(g, s, 1));
    }
}
