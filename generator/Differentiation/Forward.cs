using System.Collections.Generic;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>
/// Symbolic forward (tangent) mode: the directional derivative of each output along a direction
/// whose components are given as nodes. Applied to the gradient nodes it yields a Hessian-vector
/// product in code of the same size as the gradient (forward-over-reverse).
/// </summary>
internal static class Forward
{
    /// <param name="zeroSafe">
    /// A zero tangent contributes exactly zero even through a partial that is not finite (hypot′ at the origin, √′(0)):
    /// the tangent comes first in a zero-safe product, as the adjoint does in reverse mode.
    /// </param>
    public static Node[] Tangents(Graph g, IReadOnlyList<Node> outputs, IReadOnlyList<Node> wrt, IReadOnlyList<Node> direction, bool zeroSafe = false)
    {
        var tangent = new Dictionary<Node, Node>();
        for (int i = 0; i < wrt.Count; i++)
        {
            tangent[wrt[i]] = direction[i];
        }

        var order = new List<Node>();
        var seen = new HashSet<Node>();
        foreach (Node o in outputs)
        {
            foreach (Node n in Reverse.Reachable(o))
            {
                if (seen.Add(n))
                {
                    order.Add(n);
                }
            }
        }

        order.Sort((a, b) => a.Id.CompareTo(b.Id));
        foreach (Node n in order)
        {
            if (tangent.ContainsKey(n) || n.Op is Op.Const or Op.Param)
            {
                continue;
            }

            Node? sum = null;
            if (n.Op == Op.Select)
            {
                Node ta = tangent.TryGetValue(n.B, out Node? x) ? x : g.Zero;
                Node tb = tangent.TryGetValue(n.C, out Node? y) ? y : g.Zero;
                sum = g.Select(n.A, ta, tb);
            }
            else
            {
                for (int i = 0; i < n.Args.Length; i++)
                {
                    if (!tangent.TryGetValue(n.Args[i], out Node? t) || t.IsConstValue(0))
                    {
                        continue;
                    }

                    Node? partial = Rules.Needed(g, n, i);
                    if (partial is null)
                    {
                        continue;
                    }

                    Node term = n.Op == Op.SafeMul ? (i == 0 ? g.SafeMul(t, partial) : g.SafeMul(partial, t)) : zeroSafe ? g.SafeMul(t, partial) : g.Mul(partial, t);
                    sum = sum is null ? term : g.Add(sum, term);
                }
            }

            if (sum is not null && !sum.IsConstValue(0))
            {
                tangent[n] = sum;
            }
        }

        var result = new Node[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            result[i] = tangent.TryGetValue(outputs[i], out Node? t) ? t : g.Zero;
        }

        return result;
    }
}
