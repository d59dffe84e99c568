using System;

namespace SymGrad;

/// <summary>Options of <see cref="GradientDescent"/>.</summary>
public sealed record GradientDescentOptions : MinimizerOptions
{
    /// <summary>Creates options with a larger default iteration budget (10 000), as gradient descent needs many iterations.</summary>
    public GradientDescentOptions()
    {
        MaxIterations = 10_000;
    }

    /// <summary>
    /// A fixed step size η: p ← p − η·g. Null (default) chooses η by a backtracking (Armijo) line search each
    /// iteration, starting from twice the previous accepted step.
    /// </summary>
    public double? LearningRate { get; init; }

    private protected override void Validate()
    {
        base.Validate();
        if (LearningRate is double eta)
        {
            Guard.CheckPositive(eta, nameof(LearningRate));
        }
    }
}
