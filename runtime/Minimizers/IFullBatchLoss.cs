using System;

namespace SymGrad;

/// <summary>
/// The mean loss over a whole data set and its gradient, as a function of the parameters alone: what the full-batch
/// minimizers (<see cref="Lbfgs"/>, <see cref="GradientDescent"/>) evaluate. The runtime's own implementation sums an
/// objective over an in-memory data set with <see cref="Gradients"/>; implement it to evaluate the same quantities
/// elsewhere, e.g. summed over shards on a cluster (the SymGrad.Orleans package does), and the minimizers run unchanged.
/// </summary>
/// <remarks>
/// The minimizers call it from one thread, one evaluation at a time, and expect a pure function: the same parameters
/// give the same bits. Any exception it throws ends the minimization and reaches the caller unchanged.
/// </remarks>
public interface IFullBatchLoss
{
    /// <summary>Number of parameters (≥ 1).</summary>
    int ParameterCount { get; }

    /// <summary>Name of parameter <paramref name="index"/>, for messages.</summary>
    /// <param name="index">From 0 to <see cref="ParameterCount"/> − 1.</param>
    /// <returns>The name, e.g. "w1".</returns>
    string GetParameterName(int index);

    /// <summary>
    /// The mean loss at an accepted point; writes the mean gradient into <paramref name="gradient"/>. Throws
    /// <see cref="NonFiniteException"/> (naming where it happened) when the loss or a gradient component is NaN/∞.
    /// </summary>
    /// <param name="parameters">The point, of length <see cref="ParameterCount"/>.</param>
    /// <param name="gradient">Receives ∇ mean loss; same length.</param>
    /// <param name="iteration">The minimizer's iteration (0 for the initial point), for messages.</param>
    /// <returns>The mean loss.</returns>
    double ValueAndGradient(ReadOnlySpan<double> parameters, Span<double> gradient, int iteration);

    /// <summary>The mean loss at a trial point of a line search; NaN/∞ are returned (the trial is rejected), not thrown.</summary>
    /// <param name="parameters">The trial point.</param>
    /// <returns>The mean loss.</returns>
    double Value(ReadOnlySpan<double> parameters);
}
