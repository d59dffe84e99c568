using System;
using System.Collections.Generic;

namespace SymGrad;

/// <summary>The outcome of <see cref="Newton"/>, <see cref="GradientDescent"/> or <see cref="Lbfgs"/>.</summary>
public sealed class MinimizationResult : OptimizationResult
{
    internal MinimizationResult(string method, int iterations, double initialLoss, double initialGradientNorm, IReadOnlyList<double> lossHistory, IReadOnlyList<double> gradientNormHistory, StopReason stopReason, TimeSpan elapsed, bool stalled, string? hint, int functionEvaluations)
        : base(method, iterations, initialLoss, initialGradientNorm, lossHistory, gradientNormHistory, stopReason, elapsed, stalled, hint)
    {
        FunctionEvaluations = functionEvaluations;
    }

    /// <summary>Evaluations of the mean loss over the data set (with or without derivatives), including rejected trial steps.</summary>
    public int FunctionEvaluations { get; }

    private protected override string IterationUnit => "iteration";
}
