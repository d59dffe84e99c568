using System;

namespace SymGrad;

/// <summary>
/// An optimisation algorithm and its hyper-parameters (a small immutable record). It makes an
/// <see cref="OptimizerState"/>, which holds the per-parameter state (velocity, moments) and performs steps.
/// </summary>
public abstract record Optimizer
{
    /// <summary>Short name used in reports, e.g. "SGD", "Adam".</summary>
    public abstract string Name { get; }

    /// <summary>Validates the hyper-parameters and creates fresh state for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">Length of the parameter vector.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public abstract OptimizerState CreateState(int parameterCount);
}
