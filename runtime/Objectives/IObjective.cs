using System;

namespace SymGrad;

/// <summary>
/// A differentiable objective over data samples of type <typeparamref name="TSample"/>: the contract
/// between generated code and the runtime's optimizers. The generator implements it for every
/// <c>[Differentiable]</c> method <c>M</c> as the struct <c>MObjective</c>, whose sample type
/// <c>MSample</c> holds M's data (non-differentiated) parameters and whose parameter vector holds the
/// differentiated ones, in declaration order. Optimizers take it as a generic struct argument, so calls
/// are direct (no interface dispatch, no allocation).
/// </summary>
/// <typeparam name="TSample">The data of one sample (an empty struct when the method has no data parameters).</typeparam>
public interface IObjective<TSample> where TSample : struct
{
    /// <summary>Number of differentiated (trainable) parameters.</summary>
    int ParameterCount { get; }

    /// <summary>Name of trainable parameter <paramref name="index"/> as written in the source.</summary>
    string GetParameterName(int index);

    /// <summary>The objective's value for one sample.</summary>
    double Value(in TSample sample, ReadOnlySpan<double> parameters);

    /// <summary>The objective's value for one sample; writes ∂value/∂parameters[i] into <paramref name="gradient"/>[i].</summary>
    double ValueAndGradient(in TSample sample, ReadOnlySpan<double> parameters, Span<double> gradient);
}
