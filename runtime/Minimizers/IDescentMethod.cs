using System;

namespace SymGrad;

/// <summary>How a descent minimizer chooses its steps; <see cref="MinimizerRun.Descend{TMethod}"/> runs the loop around it.</summary>
internal interface IDescentMethod
{
    /// <summary>The gradient at the point last passed to <see cref="Evaluate"/>.</summary>
    ReadOnlySpan<double> Gradient { get; }

    /// <summary>Evaluates the mean loss (and the derivatives the method needs) at an accepted point; throws <see cref="NonFiniteException"/>.</summary>
    double Evaluate(double[] parameters, int iteration);

    /// <summary>
    /// Writes into <paramref name="step"/> a step that decreases the loss from <paramref name="loss"/> at
    /// <paramref name="parameters"/> sufficiently; false when none was found, with the decrease the first trial predicted.
    /// </summary>
    bool TryStep(double[] parameters, double loss, double[] step, out double predictedDecrease);

    /// <summary>Told that the step from <see cref="TryStep"/> was taken (to adapt damping or step size).</summary>
    void Accept();
}
