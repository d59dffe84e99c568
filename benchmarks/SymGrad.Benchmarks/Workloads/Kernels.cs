using System;
using System.Runtime.CompilerServices;
using SymGrad.Benchmarks.Models;
using SymGrad.Benchmarks.Peers;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>One way of computing the seed-net gradient (a struct, so batch loops specialise and inline).</summary>
public interface ISeedGradient
{
    /// <summary>Returns C and writes ∂C/∂(w2, b2, w3, b3).</summary>
    double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient);
}

/// <summary>One way of computing the 2-8-8-1 gradient.</summary>
public interface IMlpGradient
{
    /// <summary>Returns the loss and writes its 105 partial derivatives.</summary>
    double Evaluate(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient);
}

/// <summary>The seed-net peers as kernels.</summary>
public static class SeedKernels
{
    /// <summary>Hand-written closed form.</summary>
    public readonly struct HandWritten : ISeedGradient
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
            SeedNetPeers.HandWritten(x, y, w2, b2, w3, b3, gradient);
    }

    /// <summary>Naive hand-written closed form (Math.Exp sigmoid, σ′ = a(1 − a)).</summary>
    public readonly struct HandWrittenNaive : ISeedGradient
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
            SeedNetPeers.HandWrittenNaive(x, y, w2, b2, w3, b3, gradient);
    }

    /// <summary>The generated body with the pre-issue-11 branching fused sigmoid.</summary>
    public readonly struct GeneratedBodyPreIssue11 : ISeedGradient
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
            SeedNetPeers.GeneratedBodyPreIssue11(x, y, w2, b2, w3, b3, gradient);
    }

    /// <summary>Hand-written closed form with the generator's σ′.</summary>
    public readonly struct HandWrittenStableDerivative : ISeedGradient
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
            SeedNetPeers.HandWrittenStableDerivative(x, y, w2, b2, w3, b3, gradient);
    }

    /// <summary>Hand-written closed form, stable σ′ sharing σ's exponential.</summary>
    public readonly struct HandWrittenFusedStable : ISeedGradient
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
            SeedNetPeers.HandWrittenFusedStable(x, y, w2, b2, w3, b3, gradient);
    }

    /// <summary>Central finite differences.</summary>
    public readonly struct FiniteDifferences : ISeedGradient
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
            SeedNetPeers.FiniteDifferences(x, y, w2, b2, w3, b3, gradient);
    }

    /// <summary>Forward-mode dual numbers.</summary>
    public readonly struct DualNumbers : ISeedGradient
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(double x, double y, double w2, double b2, double w3, double b3, Span<double> gradient) =>
            SeedNetPeers.DualNumbers(x, y, w2, b2, w3, b3, gradient);
    }

    /// <summary>Sum of the gradients (and losses) over all samples: the mini-batch gradient.</summary>
    public static double Batch<TKernel>(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, ReadOnlySpan<double> p, Span<double> sum)
        where TKernel : struct, ISeedGradient
    {
        TKernel kernel = default;
        Span<double> g = stackalloc double[SeedNetPeers.ParameterCount];
        double w2 = p[0], b2 = p[1], w3 = p[2], b3 = p[3];
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            loss += kernel.Evaluate(xs[i], ys[i], w2, b2, w3, b3, g);
            s0 += g[0];
            s1 += g[1];
            s2 += g[2];
            s3 += g[3];
        }

        sum[0] = s0;
        sum[1] = s1;
        sum[2] = s2;
        sum[3] = s3;
        return loss;
    }
}

/// <summary>The 2-8-8-1 peers as kernels.</summary>
public static class MlpKernels
{
    /// <summary>Hand-written backprop.</summary>
    public readonly struct HandWritten : IMlpGradient
    {
        /// <inheritdoc/>
        public double Evaluate(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient) =>
            MlpPeers.HandWritten(x1, x2, y, p, gradient);
    }

    /// <summary>Hand-written backprop with the generator's tanh′ and σ′.</summary>
    public readonly struct HandWrittenStableDerivative : IMlpGradient
    {
        /// <inheritdoc/>
        public double Evaluate(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient) =>
            MlpPeers.HandWrittenStableDerivative(x1, x2, y, p, gradient);
    }

    /// <summary>Central finite differences (211 evaluations).</summary>
    public readonly struct FiniteDifferences : IMlpGradient
    {
        /// <inheritdoc/>
        public double Evaluate(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient)
        {
            Span<double> scratch = stackalloc double[Mlp.ParameterCount];
            return MlpPeers.FiniteDifferences(x1, x2, y, p, gradient, scratch);
        }
    }

    /// <summary>Forward-mode dual numbers (105 passes).</summary>
    public readonly struct DualNumbers : IMlpGradient
    {
        /// <inheritdoc/>
        public double Evaluate(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient)
        {
            Span<Dual<double>> scratch = stackalloc Dual<double>[Mlp.ParameterCount];
            return MlpPeers.DualNumbers(x1, x2, y, p, gradient, scratch);
        }
    }

    /// <summary>Sum of the gradients (and losses) over all samples: the mini-batch gradient.</summary>
    public static double Batch<TKernel>(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<double> ys, ReadOnlySpan<double> p, Span<double> sum)
        where TKernel : struct, IMlpGradient
    {
        TKernel kernel = default;
        Span<double> g = stackalloc double[Mlp.ParameterCount];
        sum[..Mlp.ParameterCount].Clear();
        double loss = 0;
        for (int i = 0; i < x1.Length; i++)
        {
            loss += kernel.Evaluate(x1[i], x2[i], ys[i], p, g);
            for (int k = 0; k < Mlp.ParameterCount; k++)
            {
                sum[k] += g[k];
            }
        }

        return loss;
    }
}
