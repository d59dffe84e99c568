using System;
using System.Runtime.CompilerServices;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>SymGrad's generated seed-net gradient as a batch kernel.</summary>
public readonly struct SymGradSeedKernel : ISeedGradient
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
        SeedNet.LossGradient(x, y, w2, b2, w3, b3, gradient);
}

/// <summary>SymGrad's generated 2-8-8-1 gradient as a batch kernel.</summary>
public readonly struct SymGradMlpKernel : IMlpGradient
{
    /// <inheritdoc/>
    public double Evaluate(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient) =>
        Mlp.LossGradient(x1, x2, y, p, gradient);
}
