using System;

namespace SymGrad;

/// <summary>Options of <see cref="Lbfgs"/> (Math.NET's <c>LimitedMemoryBfgsMinimizer</c>).</summary>
public sealed record LbfgsOptions : MinimizerOptions
{
    /// <summary>Number of past steps and gradient changes kept (≥ 1). Default 10.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Math.NET's function-progress tolerance (only consulted after 500 iterations). Default 1e−12.</summary>
    public double FunctionProgressTolerance { get; init; } = 1e-12;

    private protected override void Validate()
    {
        base.Validate();
        Guard.CheckAtLeast(Memory, 1, nameof(Memory));
        Guard.CheckNonNegative(FunctionProgressTolerance, nameof(FunctionProgressTolerance));
    }
}
