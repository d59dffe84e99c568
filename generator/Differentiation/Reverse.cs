using System.Collections.Generic;
using System.Linq;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>One term of an adjoint: ∂out/∂(parent) · ∂parent/∂(this node).</summary>
internal readonly record struct Contribution(Node Parent, Node Partial);

/// <summary>The result of one reverse sweep: adjoint nodes and the chain-rule terms that formed them.</summary>
internal sealed class ReverseSweep
{
    public ReverseSweep(Node[] gradient, Dictionary<Node, Node> adjoints, Dictionary<Node, List<Contribution>> terms)
    {
        Gradient = gradient;
        Adjoints = adjoints;
        Terms = terms;
    }

    /// <summary>∂out/∂p for each requested parameter node (a constant 0 when it cannot affect the output).</summary>
    public Node[] Gradient { get; }

    /// <summary>Adjoint node (∂out/∂n) of every active node n.</summary>
    public Dictionary<Node, Node> Adjoints { get; }

    /// <summary>For each node, the chain-rule terms summed into its adjoint (for the formula comments).</summary>
    public Dictionary<Node, List<Contribution>> Terms { get; }
}

/// <summary>
/// Symbolic reverse accumulation over the DAG: nodes are visited once in reverse topological order,
/// each adjoint is built once as the sum of (parent adjoint × local partial), and the adjoint nodes go
/// into the same hash-consed graph as the primal. The gradient therefore costs a small constant times
/// the function, for any number of parameters, and the emitted code grows linearly with the model.
/// </summary>
internal static class Reverse
{
    public static ReverseSweep Differentiate(Graph g, Node output, IReadOnlyList<Node> wrt)
        => Differentiate(g, new[] { (output, g.One) }, wrt);

    /// <summary>
    /// Reverse accumulation from several outputs at once, each with its seed adjoint (∂result/∂output, itself a node:
    /// in program mode the adjoint variable of what a block assigns). Adjoints of the <paramref name="wrt"/> leaves
    /// come back in <see cref="ReverseSweep.Gradient"/>.
    /// </summary>
    public static ReverseSweep Differentiate(Graph g, IReadOnlyList<(Node Output, Node Seed)> seeds, IReadOnlyList<Node> wrt)
    {
        var order = Reachable(seeds.Select(s => s.Output));
        HashSet<Node> active = Activity.Varied(order, wrt);

        var terms = new Dictionary<Node, List<Contribution>>();
        var contributions = new Dictionary<Node, List<Node>>();
        var adjoints = new Dictionary<Node, Node>();
        var masked = new Dictionary<Node, bool>();

        // A seed that is not a constant is an adjoint from outside the block (program mode: an adjoint variable or
        // element), which is an exact 0 when the branch that uses the block's value was not taken. Times a partial that
        // may be infinite where the function is finite (sqrt′(0), cbrt′(0), 1/x at 0, log(0) in a power's partial), an
        // adjoint carrying it is zero-safe too: 0 · ∞ would be NaN where the method does not depend on the value at all.
        var outside = new HashSet<Node>(seeds.Select(s => s.Seed).Where(s => !s.IsConst));
        var primal = new HashSet<Node>(order); // the block's own values; a partial beyond them is the derivative's own (sqrt′ = 0.5/sqrt)
        var fromOutside = new Dictionary<Node, bool>();
        var unbounded = new Dictionary<Node, bool>();
        foreach ((Node output, Node seed) in seeds)
        {
            if (active.Contains(output) && !seed.IsConstValue(0))
            {
                if (!contributions.TryGetValue(output, out List<Node>? list))
                {
                    list = new List<Node>();
                    contributions[output] = list;
                }

                list.Add(seed);
            }
        }

        for (int k = order.Count - 1; k >= 0; k--)
        {
            Node n = order[k];
            if (!contributions.TryGetValue(n, out List<Node>? parts))
            {
                continue;
            }

            Node adj = Sum(g, parts);

            adjoints[n] = adj;
            if (adj.IsConstValue(0))
            {
                continue;
            }

            for (int i = 0; i < n.Args.Length; i++)
            {
                Node arg = n.Args[i];
                if (!active.Contains(arg))
                {
                    continue;
                }

                Node? partial = Rules.Needed(g, n, i);
                if (partial is null)
                {
                    continue;
                }

                Node term = n.Op == Op.Select
                    ? (i == 1 ? g.Select(n.A, adj, g.Zero) : g.Select(n.A, g.Zero, adj))
                    : (IsMasked(adj, masked) && !(partial.IsConst && !double.IsInfinity(partial.Value) && !double.IsNaN(partial.Value)))
                        || (outside.Count > 0 && MayBeInfinite(partial, primal, unbounded) && Carries(adj, outside, fromOutside)) ? g.SafeMul(adj, partial) : g.Mul(adj, partial);
                if (!contributions.TryGetValue(arg, out List<Node>? list))
                {
                    list = new List<Node>();
                    contributions[arg] = list;
                }

                list.Add(term);
                if (!terms.TryGetValue(arg, out List<Contribution>? t))
                {
                    t = new List<Contribution>();
                    terms[arg] = t;
                }

                t.Add(new Contribution(n, partial));
            }
        }

        var gradient = new Node[wrt.Count];
        for (int i = 0; i < wrt.Count; i++)
        {
            gradient[i] = adjoints.TryGetValue(wrt[i], out Node? a) ? a : g.Zero;
        }

        return new ReverseSweep(gradient, adjoints, terms);
    }

    /// <summary>Σ parts, with repeated terms merged (t + t → 2·t), in first-occurrence order (deterministic).</summary>
    private static Node Sum(Graph g, List<Node> parts)
    {
        var counts = new Dictionary<Node, int>();
        var order = new List<Node>();
        foreach (Node p in parts)
        {
            if (counts.TryGetValue(p, out int c))
            {
                counts[p] = c + 1;
            }
            else
            {
                counts[p] = 1;
                order.Add(p);
            }
        }

        Node? sum = null;
        foreach (Node p in order)
        {
            Node term = counts[p] == 1 ? p : g.Mul(g.Const(counts[p]), p);
            sum = sum is null ? term : g.Add(sum, term);
        }

        return sum!;
    }

    /// <summary>Nodes reachable from <paramref name="root"/> through numeric arguments, in id (topological) order.</summary>
    public static List<Node> Reachable(Node root) => Reachable(new[] { root });

    public static List<Node> Reachable(IEnumerable<Node> roots)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<Node>();
        var result = new List<Node>();
        foreach (Node root in roots)
        {
            stack.Push(root);
        }

        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (!seen.Add(n.Id))
            {
                continue;
            }

            result.Add(n);
            foreach (Node arg in NumericArgs(n))
            {
                stack.Push(arg);
            }
        }

        result.Sort((a, b) => a.Id.CompareTo(b.Id));
        return result;
    }

    internal static IEnumerable<Node> NumericArgs(Node n)
    {
        if (n.Op == Op.ToInt)
        {
            yield break; // an int made from a real carries no derivative
        }

        foreach (Node arg in n.Args)
        {
            if (arg.IsReal)
            {
                yield return arg;
            }
        }
    }

    /// <summary>
    /// Whether an adjoint can be exactly zero because a branch masked it: then a partial derivative from
    /// the branch not taken (possibly ±∞ or NaN there) must not be multiplied in as 0·∞.
    /// </summary>
    /// <summary>Whether adjoint <paramref name="n"/> is a product or sum with one of the <paramref name="outside"/> adjoints in it.</summary>
    private static bool Carries(Node n, HashSet<Node> outside, Dictionary<Node, bool> memo)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (memo.TryGetValue(n, out bool m))
        {
            return m;
        }

        bool result = outside.Contains(n) || n.Op switch
        {
            Op.Add or Op.Sub or Op.Mul or Op.SafeMul => Carries(n.A, outside, memo) || Carries(n.B, outside, memo),
            Op.Neg => Carries(n.A, outside, memo),
            _ => false,
        };
        memo[n] = result;
        return result;
    }

    /// <summary>
    /// Whether a partial derivative may be infinite where the method's values are finite: it divides by a
    /// non-constant, or takes a logarithm, a power or a tangent (sqrt′(0) = 0.5/0), other than through a variable of
    /// the method among the block's <paramref name="primal"/> values (w = r·(1/θ) is as finite as the method's own
    /// values; a tangent program's 0.5/sqrt(u) is not one).
    /// </summary>
    private static bool MayBeInfinite(Node n, HashSet<Node> primal, Dictionary<Node, bool> memo)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (n.IsConst)
        {
            return double.IsInfinity(n.Value) || double.IsNaN(n.Value);
        }

        if (n.Name is not null && primal.Contains(n))
        {
            return false;
        }

        if (memo.TryGetValue(n, out bool m))
        {
            return m;
        }

        // (A function of finite arguments other than those is finite: its arguments are not looked into.)
        bool result = (n.Op == Op.Div && !n.B.IsConst)
            || (n.Op == Op.Call && n.Fn is Fn.Log or Fn.Log10 or Fn.Log2 or Fn.Pow or Fn.Tan)
            || (n.Op is Op.Add or Op.Sub or Op.Mul or Op.SafeMul or Op.Neg or Op.Div or Op.Select && n.Args.Any(a => MayBeInfinite(a, primal, memo)));
        memo[n] = result;
        return result;
    }

    private static bool IsMasked(Node n, Dictionary<Node, bool> memo)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        if (memo.TryGetValue(n, out bool m))
        {
            return m;
        }

        bool result = n.Op switch
        {
            Op.Select => true,
            Op.Add or Op.Sub or Op.Mul or Op.SafeMul => IsMasked(n.A, memo) || IsMasked(n.B, memo),
            Op.Neg => IsMasked(n.A, memo),
            _ => false,
        };
        memo[n] = result;
        return result;
    }
}
