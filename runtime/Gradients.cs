using System;
using System.Buffers;

namespace SymGrad;

/// <summary>
/// Mean loss, gradient and Hessian of an objective over a whole data set, computed on every core with a
/// fixed reduction order: the result is bit-identical on every run and for every degree of parallelism.
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
    public static double Batch<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, Span<double> gradient, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = Validation.CheckBatchArguments<TObjective, TSample>(objective, data.Length, parameters, maxDegreeOfParallelism, nameof(data));
        Validation.CheckLength(gradient.Length, n, nameof(gradient));

        double[] rented = ArrayPool<double>.Shared.Rent(2 * n + 1);
        try
        {
            var p = rented.AsSpan(0, n);
            parameters.CopyTo(p);
            var sums = rented.AsSpan(n, n + 1);
            var kernel = new GradientKernel<TObjective, TSample>(objective, data, rented, n);
            DeterministicReduction.Run(kernel, data.Length, n + 1, n, sums, maxDegreeOfParallelism);
            double inverse = 1.0 / data.Length;
            for (int i = 0; i < n; i++)
            {
                gradient[i] = sums[1 + i] * inverse;
            }

            return sums[0] * inverse;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <inheritdoc cref="Batch{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>
    public static double Batch<TObjective, TSample>(TObjective objective, TSample[] data, ReadOnlySpan<double> parameters, Span<double> gradient, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => Batch(objective, new ReadOnlyMemory<TSample>(data ?? throw new ArgumentNullException(nameof(data))), parameters, gradient, maxDegreeOfParallelism);

    /// <summary>Mean of the per-sample losses over <paramref name="data"/> (no gradient), with the same fixed reduction order.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="data">The samples; must not be empty.</param>
    /// <param name="parameters">The parameter vector.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 for all cores. The result does not depend on it.</param>
    public static double MeanValue<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = Validation.CheckBatchArguments<TObjective, TSample>(objective, data.Length, parameters, maxDegreeOfParallelism, nameof(data));
        double[] rented = ArrayPool<double>.Shared.Rent(n + 1);
        try
        {
            parameters.CopyTo(rented);
            Span<double> sum = stackalloc double[1];
            var kernel = new ValueKernel<TObjective, TSample>(objective, data, rented, n);
            DeterministicReduction.Run(kernel, data.Length, 1, 0, sum, maxDegreeOfParallelism);
            return sum[0] / data.Length;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <inheritdoc cref="MeanValue{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, int)"/>
    public static double MeanValue<TObjective, TSample>(TObjective objective, TSample[] data, ReadOnlySpan<double> parameters, int maxDegreeOfParallelism = -1)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
        => MeanValue(objective, new ReadOnlyMemory<TSample>(data ?? throw new ArgumentNullException(nameof(data))), parameters, maxDegreeOfParallelism);

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
    public static double BatchHessian<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, Span<double> gradient, Span<double> hessian, int maxDegreeOfParallelism = -1)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        int n = Validation.CheckBatchArguments<TObjective, TSample>(objective, data.Length, parameters, maxDegreeOfParallelism, nameof(data));
        Validation.CheckLength(gradient.Length, n, nameof(gradient));
        Validation.CheckLength(hessian.Length, n * n, nameof(hessian));

        int width = 1 + n + n * n;
        double[] rented = ArrayPool<double>.Shared.Rent(n + width);
        try
        {
            parameters.CopyTo(rented);
            var sums = rented.AsSpan(n, width);
            var kernel = new HessianKernel<TObjective, TSample>(objective, data, rented, n);
            DeterministicReduction.Run(kernel, data.Length, width, n + n * n, sums, maxDegreeOfParallelism);
            double inverse = 1.0 / data.Length;
            for (int i = 0; i < n; i++)
            {
                gradient[i] = sums[1 + i] * inverse;
            }

            for (int i = 0; i < n * n; i++)
            {
                hessian[i] = sums[1 + n + i] * inverse;
            }

            return sums[0] * inverse;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <inheritdoc cref="BatchHessian{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, Span{double}, int)"/>
    public static double BatchHessian<TObjective, TSample>(TObjective objective, TSample[] data, ReadOnlySpan<double> parameters, Span<double> gradient, Span<double> hessian, int maxDegreeOfParallelism = -1)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
        => BatchHessian(objective, new ReadOnlyMemory<TSample>(data ?? throw new ArgumentNullException(nameof(data))), parameters, gradient, hessian, maxDegreeOfParallelism);

    /// <summary>Euclidean norm ‖v‖₂, computed without overflow or underflow for finite input.</summary>
    /// <param name="vector">The vector, e.g. a gradient.</param>
    public static double Norm(ReadOnlySpan<double> vector) => Vectors.Norm(vector);

    private readonly struct GradientKernel<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, int count) : IChunkKernel
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public void Accumulate(int start, int end, Span<double> partial, Span<double> scratch)
        {
            TObjective f = objective;
            ReadOnlySpan<TSample> samples = data.Span;
            ReadOnlySpan<double> p = parameters.AsSpan(0, count);
            Span<double> g = scratch[..count];
            Span<double> sum = partial.Slice(1, count);
            double loss = 0.0;
            for (int i = start; i < end; i++)
            {
                loss += f.ValueAndGradient(in samples[i], p, g);
                Vectors.Add(sum, g);
            }

            partial[0] += loss;
        }
    }

    private readonly struct ValueKernel<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, int count) : IChunkKernel
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public void Accumulate(int start, int end, Span<double> partial, Span<double> scratch)
        {
            TObjective f = objective;
            ReadOnlySpan<TSample> samples = data.Span;
            ReadOnlySpan<double> p = parameters.AsSpan(0, count);
            double loss = 0.0;
            for (int i = start; i < end; i++)
            {
                loss += f.Value(in samples[i], p);
            }

            partial[0] += loss;
        }
    }

    private readonly struct HessianKernel<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, double[] parameters, int count) : IChunkKernel
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        public void Accumulate(int start, int end, Span<double> partial, Span<double> scratch)
        {
            TObjective f = objective;
            ReadOnlySpan<TSample> samples = data.Span;
            ReadOnlySpan<double> p = parameters.AsSpan(0, count);
            Span<double> g = scratch[..count];
            Span<double> h = scratch.Slice(count, count * count);
            Span<double> gradientSum = partial.Slice(1, count);
            Span<double> hessianSum = partial.Slice(1 + count, count * count);
            double loss = 0.0;
            for (int i = start; i < end; i++)
            {
                loss += f.ValueGradientAndHessian(in samples[i], p, g, h);
                Vectors.Add(gradientSum, g);
                Vectors.Add(hessianSum, h);
            }

            partial[0] += loss;
        }
    }
}
