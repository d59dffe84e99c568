using System.Collections.Generic;
using System.Threading;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Differentiation;

/// <summary>
/// What the scalar-mode Hessian methods compute, planned apart from the code that writes them: the rows of the
/// Hessian by reverse over reverse (row i is the gradient of ∂M/∂pᵢ; the emitter writes j ≥ i and mirrors), and the
/// Hessian-vector product H·v by forward over reverse (the tangents of the gradient along v, whose components are
/// the parameters after the method's own).
/// </summary>
internal sealed class HessianPlan
{
    private HessianPlan(ReverseSweep[] rows, Node[] direction, Node[] product)
    {
        Rows = rows;
        Direction = direction;
        Product = product;
    }

    /// <summary>Row i: the sweep of ∂M/∂pᵢ; <c>Rows[i].Gradient[j]</c> = ∂²M/∂pᵢ∂pⱼ.</summary>
    public IReadOnlyList<ReverseSweep> Rows { get; }

    /// <summary>The direction v: parameter nodes numbered after the method's parameters.</summary>
    public IReadOnlyList<Node> Direction { get; }

    /// <summary>(H·v)ᵢ for each differentiated parameter.</summary>
    public IReadOnlyList<Node> Product { get; }

    /// <summary>
    /// Plans both, in <paramref name="g"/>: <paramref name="sweep"/> is the gradient's reverse sweep with respect to
    /// <paramref name="wrt"/>; the direction's parameters start at <paramref name="firstDirectionParameter"/>.
    /// </summary>
    public static HessianPlan Build(Graph g, ReverseSweep sweep, Node[] wrt, int firstDirectionParameter, CancellationToken ct)
    {
        int k = wrt.Length;
        var rows = new ReverseSweep[k];
        for (int i = 0; i < k; i++)
        {
            ct.ThrowIfCancellationRequested();
            rows[i] = Reverse.Differentiate(g, sweep.Gradient[i], wrt);
        }

        var direction = new Node[k];
        for (int i = 0; i < k; i++)
        {
            direction[i] = g.Param(firstDirectionParameter + i);
        }

        Node[] product = Forward.Tangents(g, sweep.Gradient, wrt, direction);
        return new HessianPlan(rows, direction, product);
    }
}
