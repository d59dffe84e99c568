using System;

namespace SymGrad;

/// <summary>What turned out not to be finite.</summary>
public enum NonFiniteQuantity
{
    /// <summary>The loss (objective value) of a sample.</summary>
    Loss,

    /// <summary>A component of a sample's gradient.</summary>
    Gradient,

    /// <summary>A parameter, after an optimizer step (the step diverged).</summary>
    Parameter,

    /// <summary>A second derivative (Hessian entry) of a sample.</summary>
    Hessian,
}
