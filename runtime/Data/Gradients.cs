using System;
using System.Buffers;

namespace SymGrad;

/// <summary>
/// Means over a whole data set of what an objective computes per sample, computed on every core with a
/// fixed reduction order: the result is bit-identical on every run and for every degree of parallelism.
/// The three methods mirror <see cref="IObjective{TSample}"/>: <see cref="MeanValue{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, int)"/>
/// averages <c>Value</c>, <see cref="MeanValueAndGradient{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>
/// averages <c>ValueAndGradient</c> and <see cref="MeanValueGradientAndHessian{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, Span{double}, int)"/>
/// averages <c>ValueGradientAndHessian</c>.
/// </summary>
/// <remarks>
/// The data are cut into chunks whose size depends only on the number of samples; each chunk is summed in
/// sample order into its own slot and the slots are added in chunk order. The objective must be safe to
/// call from several threads at once (generated objectives are pure functions of their arguments).
/// Nothing here checks for NaN or ∞: non-finite values propagate to the result. The trainers and
/// minimizers check and throw <see cref="NonFiniteException"/>.
/// </remarks>
public static class Gradients
{
    /// <summary>Mean of the per-sample losses over <paramref name="data"/> (no derivatives).</summary>
    /// <param name="objective">The objective (a generated <c>MObjective</c> struct).</param>
    /// <param name="data">The samples; must not be empty.</param>
    /// <param name="parameters">The parameter vector, of length <see cref="IObjective{TSample}.ParameterCount"/>.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 (default) for all cores, 1 for the calling thread only. The result does not depend on it.</param>
    /// <returns>The mean loss.</returns>
    public static double MeanValue<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = Guard.CheckBatchArguments<TObjective, TSample>(objective, data.Length, parameters, maxDegreeOfParallelism, nameof(data));
        if (BatchSupport<TObjective, TSample>.IsImplemented)
        {
            return Reduce(new BatchSum<TObjective, TSample>(objective, data, n, gradient: false), data, parameters, n, 0, Span<double>.Empty, Span<double>.Empty, maxDegreeOfParallelism);
        }

        return Reduce(new SampleSum<ValueTerm<TObjective, TSample>, TSample>(new ValueTerm<TObjective, TSample>(objective), data, n), data, parameters, n, 0, Span<double>.Empty, Span<double>.Empty, maxDegreeOfParallelism);
    }

    /// <inheritdoc cref="MeanValue{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, int)"/>
    public static double MeanValue<TObjective, TSample>(TObjective objective, TSample[] data, ReadOnlySpan<double> parameters, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => MeanValue(objective, DataSet.Of(data), parameters, maxDegreeOfParallelism);

    /// <summary>
    /// Mean of the per-sample losses over <paramref name="data"/>; writes the mean of the per-sample
    /// gradients into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="objective">The objective (a generated <c>MObjective</c> struct).</param>
    /// <param name="data">The samples; must not be empty.</param>
    /// <param name="parameters">The parameter vector, of length <see cref="IObjective{TSample}.ParameterCount"/>.</param>
    /// <param name="gradient">Receives ∂(mean loss)/∂parameters; same length as <paramref name="parameters"/>.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 (default) for all cores, 1 for the calling thread only. The result does not depend on it.</param>
    /// <returns>The mean loss.</returns>
    public static double MeanValueAndGradient<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, Span<double> gradient, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = Guard.CheckBatchArguments<TObjective, TSample>(objective, data.Length, parameters, maxDegreeOfParallelism, nameof(data));
        Guard.CheckLength(gradient.Length, n, nameof(gradient));
        if (BatchSupport<TObjective, TSample>.IsImplemented)
        {
            return Reduce(new BatchSum<TObjective, TSample>(objective, data, n, gradient: true), data, parameters, n, n, gradient, Span<double>.Empty, maxDegreeOfParallelism);
        }

        return Reduce(new SampleSum<GradientTerm<TObjective, TSample>, TSample>(new GradientTerm<TObjective, TSample>(objective, n), data, n), data, parameters, n, n, gradient, Span<double>.Empty, maxDegreeOfParallelism);
    }

    /// <inheritdoc cref="MeanValueAndGradient{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>
    public static double MeanValueAndGradient<TObjective, TSample>(TObjective objective, TSample[] data, ReadOnlySpan<double> parameters, Span<double> gradient, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => MeanValueAndGradient(objective, DataSet.Of(data), parameters, gradient, maxDegreeOfParallelism);

    /// <summary>
    /// Mean loss, mean gradient and mean Hessian (row-major, ParameterCount²) over <paramref name="data"/>,
    /// with the same fixed reduction order.
    /// </summary>
    /// <param name="objective">An objective with a generated Hessian.</param>
    /// <param name="data">The samples; must not be empty.</param>
    /// <param name="parameters">The parameter vector.</param>
    /// <param name="gradient">Receives the mean gradient.</param>
    /// <param name="hessian">Receives the mean Hessian, row-major; length ParameterCount².</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 for all cores. The result does not depend on it.</param>
    /// <returns>The mean loss.</returns>
    public static double MeanValueGradientAndHessian<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, Span<double> gradient, Span<double> hessian, int maxDegreeOfParallelism = -1)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        int n = Guard.CheckBatchArguments<TObjective, TSample>(objective, data.Length, parameters, maxDegreeOfParallelism, nameof(data));
        Guard.CheckLength(gradient.Length, n, nameof(gradient));
        Guard.CheckLength(hessian.Length, n * n, nameof(hessian));
        return Reduce(new SampleSum<HessianTerm<TObjective, TSample>, TSample>(new HessianTerm<TObjective, TSample>(objective, n), data, n), data, parameters, n, n + n * n, gradient, hessian, maxDegreeOfParallelism);
    }

    /// <inheritdoc cref="MeanValueGradientAndHessian{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, Span{double}, int)"/>
    public static double MeanValueGradientAndHessian<TObjective, TSample>(TObjective objective, TSample[] data, ReadOnlySpan<double> parameters, Span<double> gradient, Span<double> hessian, int maxDegreeOfParallelism = -1)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
        => MeanValueGradientAndHessian(objective, DataSet.Of(data), parameters, gradient, hessian, maxDegreeOfParallelism);

    /// <summary>Euclidean norm ‖v‖₂, computed without overflow or underflow for finite input.</summary>
    /// <param name="vector">The vector, e.g. a gradient.</param>
    /// <returns>‖v‖₂; NaN when an entry is NaN.</returns>
    public static double Norm(ReadOnlySpan<double> vector) => Vectors.Norm(vector);

    /// <summary>
    /// Sums the per-sample vectors [loss, derivatives…] of <paramref name="kernel"/> over the data set and writes their
    /// means: the first <paramref name="gradient"/>.Length derivatives into <paramref name="gradient"/>, the rest into <paramref name="hessian"/>.
    /// </summary>
    private static double Reduce<TKernel, TSample>(TKernel kernel, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, int n, int derivatives, Span<double> gradient, Span<double> hessian, int maxDegreeOfParallelism)
        where TKernel : struct, IParameterChunkKernel
        where TSample : struct
    {
        // One rented buffer: a copy of the parameters that every thread reads, then the sums.
        int width = 1 + derivatives;
        double[] rented = ArrayPool<double>.Shared.Rent(n + width);
        try
        {
            parameters.CopyTo(rented);
            var sums = rented.AsSpan(n, width);
            kernel.Parameters = rented;
            DeterministicReduction.Run(kernel, data.Length, width, derivatives, sums, maxDegreeOfParallelism, kernel.MinChunkSize);
            double inverse = 1.0 / data.Length;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = sums[1 + i] * inverse;
            }

            for (int i = 0; i < hessian.Length; i++)
            {
                hessian[i] = sums[1 + gradient.Length + i] * inverse;
            }

            return sums[0] * inverse;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>What one sample contributes: returns its loss and adds its derivatives into <c>sums</c>.</summary>
    private interface ISampleTerm<TSample>
        where TSample : struct
    {
        double Add(in TSample sample, ReadOnlySpan<double> parameters, Span<double> sums, Span<double> scratch);
    }

    /// <summary>A chunk step that reads the parameter vector from a buffer shared by the threads, set before the run.</summary>
    private interface IParameterChunkKernel : IChunkKernel
    {
        double[] Parameters { set; }

        /// <summary>The smallest chunk worth a task: fixed per kernel type, so the reduction order stays fixed.</summary>
        int MinChunkSize { get; }
    }

    /// <summary>Adds the terms of samples [start, end) in index order: the chunk step of the deterministic reduction.</summary>
    private struct SampleSum<TTerm, TSample>(TTerm term, ReadOnlyMemory<TSample> data, int count) : IParameterChunkKernel
        where TTerm : struct, ISampleTerm<TSample>
        where TSample : struct
    {
        public double[] Parameters { private get; set; } = [];

        public readonly int MinChunkSize => DeterministicReduction.MinChunkSize;

        public readonly void Accumulate(int start, int end, Span<double> partial, Span<double> scratch)
        {
            TTerm t = term;
            ReadOnlySpan<TSample> samples = data.Span;
            ReadOnlySpan<double> p = Parameters.AsSpan(0, count);
            Span<double> sums = partial[1..];
            double loss = 0.0;
            for (int i = start; i < end; i++)
            {
                loss += t.Add(in samples[i], p, sums, scratch);
            }

            partial[0] += loss;
        }
    }

    /// <summary>
    /// The chunk step of objectives with a batched kernel: one call sums the chunk's samples several per instruction
    /// (<see cref="IObjective{TSample}.SumValueAndGradient"/>), in an order fixed by the chunk, so still deterministic.
    /// </summary>
    private struct BatchSum<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, int count, bool gradient) : IParameterChunkKernel
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public double[] Parameters { private get; set; } = [];

        public readonly int MinChunkSize => DeterministicReduction.MinBatchedChunkSize;

        public readonly void Accumulate(int start, int end, Span<double> partial, Span<double> scratch)
        {
            TObjective f = objective;
            ReadOnlySpan<TSample> samples = data.Span[start..end];
            ReadOnlySpan<double> p = Parameters.AsSpan(0, count);
            partial[0] += gradient ? f.SumValueAndGradient(samples, p, partial[1..]) : f.SumValue(samples, p);
        }
    }

    private readonly struct ValueTerm<TObjective, TSample>(TObjective objective) : ISampleTerm<TSample>
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public double Add(in TSample sample, ReadOnlySpan<double> parameters, Span<double> sums, Span<double> scratch)
        {
            TObjective f = objective;
            return f.Value(in sample, parameters);
        }
    }

    private readonly struct GradientTerm<TObjective, TSample>(TObjective objective, int count) : ISampleTerm<TSample>
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public double Add(in TSample sample, ReadOnlySpan<double> parameters, Span<double> sums, Span<double> scratch)
        {
            TObjective f = objective;
            Span<double> g = scratch[..count];
            double loss = f.ValueAndGradient(in sample, parameters, g);
            Vectors.Add(sums, g);
            return loss;
        }
    }

    private readonly struct HessianTerm<TObjective, TSample>(TObjective objective, int count) : ISampleTerm<TSample>
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        public double Add(in TSample sample, ReadOnlySpan<double> parameters, Span<double> sums, Span<double> scratch)
        {
            TObjective f = objective;
            Span<double> g = scratch[..count];
            Span<double> h = scratch.Slice(count, count * count);
            double loss = f.ValueGradientAndHessian(in sample, parameters, g, h);
            Vectors.Add(sums[..count], g);
            Vectors.Add(sums.Slice(count, count * count), h);
            return loss;
        }
    }
}
