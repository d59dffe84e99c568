using System;
using System.Collections.Generic;

namespace SymGrad.Generator.Ir;

/// <summary>
/// The numerical-stability rewrites (listed in the README): forms that lose digits, overflow or cancel are replaced
/// by the stable function with the same value (1 − σ(z) → σ(−z), log(1 + x) → log1p(x), log σ → log-sigmoid, …).
/// Each returns null when no rewrite applies; the algebra constructors try them at a fixed point of their rules.
/// </summary>
internal sealed partial class Graph
{
    /// <summary>a − b rewritten stably, or null.</summary>
    /// <summary>
    /// Above 0 while the operands of a comparison are built: the stability rewrites (log(exp(x)) → x, 1/(1 + e^−x) → σ(x),
    /// …) change a value by its rounding error, which is an improvement in a value but can flip a comparison the method
    /// makes, and the generated code must take the branches the method takes.
    /// </summary>
    public int ExactValues { get; set; }

    private Node? StableDifference(Node a, Node b)
    {
        if (ExactValues > 0)
        {
            return null; // inside a comparison: the method's own value, not a more accurate one
        }

        if (a.IsConstValue(1))
        {
            // 1 − σ(z) = σ(−z): exact, and does not cancel to 0 when σ(z) rounds to 1.
            if (b.Op == Op.Call && b.Fn == Fn.Sigmoid)
            {
                return Call(Fn.Sigmoid, Neg(b.A));
            }

            // 1 − tanh²(x) = sech²(x), computed without cancellation.
            if (b.Op == Op.Mul && b.A == b.B && b.A.Op == Op.Call && b.A.Fn == Fn.Tanh)
            {
                return Call(Fn.TanhDerivative, b.A.A);
            }
        }

        // e^x − 1 → expm1(x), accurate for small x.
        if (b.IsConstValue(1) && a.Op == Op.Call && a.Fn == Fn.Exp)
        {
            return Call(Fn.Expm1, a.A);
        }

        return null;
    }

    /// <summary>a·b rewritten stably, or null.</summary>
    private Node? StableProduct(Node a, Node b)
    {
        if (ExactValues > 0)
        {
            return null; // inside a comparison: the method's own value, not a more accurate one
        }

        // σ(z)·σ(−z) = σ′(z), evaluated from one exponential without underflow to 0.
        if (a.Op == Op.Call && b.Op == Op.Call && a.Fn == Fn.Sigmoid && b.Fn == Fn.Sigmoid)
        {
            if (b.A == Neg(a.A))
            {
                return Call(Fn.SigmoidDerivative, a.A);
            }

            if (a.A == Neg(b.A))
            {
                return Call(Fn.SigmoidDerivative, b.A);
            }
        }

        return null;
    }

    /// <summary>a/b rewritten stably, or null.</summary>
    private Node? StableQuotient(Node a, Node b)
    {
        if (ExactValues > 0)
        {
            return null; // inside a comparison: the method's own value, not a more accurate one
        }

        if (a.IsConstValue(1))
        {
            // 1 / (1 + e^(−z)) → σ(z): the user's hand-written sigmoid gets the stable σ and σ′.
            if (b.Op == Op.Add && b.A.IsConstValue(1) && b.B.Op == Op.Call && b.B.Fn == Fn.Exp)
            {
                return Call(Fn.Sigmoid, Neg(b.B.A));
            }

            if (b.Op == Op.Add && b.B.IsConstValue(1) && b.A.Op == Op.Call && b.A.Fn == Fn.Exp)
            {
                return Call(Fn.Sigmoid, Neg(b.A.A));
            }
        }

        // e^z / (1 + e^z) → σ(z).
        if (a.Op == Op.Call && a.Fn == Fn.Exp && b.Op == Op.Add
            && ((b.A.IsConstValue(1) && b.B == a) || (b.B.IsConstValue(1) && b.A == a)))
        {
            return Call(Fn.Sigmoid, a.A);
        }

        return null;
    }

    /// <summary>
    /// The exponents of a sum of exponentials (e^a + e^b + 1 + …, a constant 1 being e^0), in order; null when a term is
    /// anything else or fewer than two are exponentials.
    /// </summary>
    private List<Node>? ExpArguments(Node sum)
    {
        var exponents = new List<Node>();
        var pending = new Stack<Node>();
        pending.Push(sum);
        int exps = 0;
        while (pending.Count > 0)
        {
            Node term = pending.Pop();
            if (term.Op == Op.Add)
            {
                pending.Push(term.B);
                pending.Push(term.A);
            }
            else if (term.Op == Op.Call && term.Fn == Fn.Exp)
            {
                exponents.Add(term.A);
                exps++;
            }
            else if (term.IsConstValue(1))
            {
                exponents.Add(Zero);
            }
            else
            {
                return null;
            }
        }

        return exps >= 2 ? exponents : null;
    }

    /// <summary>fn(args) rewritten stably, or null.</summary>
    private Node? StableCall(Fn fn, Node[] args)
    {
        if (ExactValues > 0)
        {
            return null; // inside a comparison: the method's own value, not a more accurate one
        }

        Node x = args[0];
        switch (fn)
        {
            case Fn.Log:
                // log(σ(z)) → log σ(z), finite for every z (log(σ(−800)) would be log 0 = −∞).
                if (x.Op == Op.Call && x.Fn == Fn.Sigmoid)
                {
                    return Call(Fn.LogSigmoid, x.A);
                }

                // log(e^z) → z.
                if (x.Op == Op.Call && x.Fn == Fn.Exp)
                {
                    return x.A;
                }

                // log(1 + x) → log1p(x).
                if (x.Op == Op.Add && x.A.IsConstValue(1))
                {
                    return Call(Fn.Log1p, x.B);
                }

                if (x.Op == Op.Add && x.B.IsConstValue(1))
                {
                    return Call(Fn.Log1p, x.A);
                }

                // log(1 − x) → log1p(−x).
                if (x.Op == Op.Sub && x.A.IsConstValue(1))
                {
                    return Call(Fn.Log1p, Neg(x.B));
                }

                // log(e^a + e^b + …) → logsumexp(logsumexp(a, b), …), each shifted by its maximum: a mixture's or a
                // softmax's normaliser at logits of 1000 is finite. A term 1 is e^0 (a reference class).
                if (x.Op == Op.Add && ExpArguments(x) is { Count: >= 2 } exponents)
                {
                    Node lse = exponents[0];
                    for (int k = 1; k < exponents.Count; k++)
                    {
                        lse = Call(Fn.LogSumExp, lse, exponents[k]);
                    }

                    return lse;
                }

                break;

            case Fn.Log1p:
                // log(1 + e^z) → softplus(z).
                if (x.Op == Op.Call && x.Fn == Fn.Exp)
                {
                    return Call(Fn.Softplus, x.A);
                }

                break;
        }

        return null;
    }
}
