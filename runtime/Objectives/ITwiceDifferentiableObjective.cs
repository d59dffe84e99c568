using System;

namespace SymGrad;

/// <summary>An objective that also has a generated Hessian (<c>[Differentiable(Hessian = true)]</c>).</summary>
public interface ITwiceDifferentiableObjective<TSample> : IObjective<TSample> where TSample : struct
{
    /// <summary>
    /// Value, gradient and the ParameterCount × ParameterCount Hessian (row-major, symmetric) for one sample.
    /// </summary>
    double ValueGradientAndHessian(in TSample sample, ReadOnlySpan<double> parameters, Span<double> gradient, Span<double> hessian);
}
