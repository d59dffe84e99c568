using System.Collections.Generic;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>
/// Activity analysis on an expression DAG: which nodes depend on a differentiated leaf, so that only they carry an
/// adjoint (Tapenade's "varied"). Program mode adds "useful" and works over variables across blocks
/// (<see cref="AdjointPlan"/>); within one block's DAG this is the whole story.
/// </summary>
internal static class Activity
{
    /// <param name="order">The nodes reachable from the outputs, in id (topological) order.</param>
    /// <param name="wrt">The differentiated leaves.</param>
    public static HashSet<Node> Varied(IReadOnlyList<Node> order, IReadOnlyList<Node> wrt)
    {
        var wrtIds = new HashSet<int>();
        foreach (Node p in wrt)
        {
            wrtIds.Add(p.Id);
        }

        var active = new HashSet<Node>();
        foreach (Node n in order)
        {
            if (wrtIds.Contains(n.Id))
            {
                active.Add(n);
                continue;
            }

            foreach (Node arg in Reverse.NumericArgs(n))
            {
                if (active.Contains(arg))
                {
                    active.Add(n);
                    break;
                }
            }
        }

        return active;
    }
}
