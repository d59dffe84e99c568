using System;
using System.Buffers;
using System.Threading.Tasks;

namespace SymGrad;

/// <summary>
/// Sums per-sample vectors over a data set in a fixed order that does not depend on the number of
/// threads: the samples are cut into chunks whose size depends only on the sample count and the vector
/// width; each chunk is summed in index order into its own slot; the slots are then added in chunk
/// order. Floating-point addition is not associative, so this is what makes the result bit-identical
/// for every run, every machine and every degree of parallelism (including the sequential path).
/// </summary>
internal static class DeterministicReduction
{
    /// <summary>Smallest chunk: enough work (~µs) per task that scheduling does not dominate.</summary>
    public const int MinChunkSize = 256;

    /// <summary>Smallest chunk of a batched (SIMD) kernel, which runs a sample in a few ns: again ~µs or more per task.</summary>
    public const int MinBatchedChunkSize = 4096;

    /// <summary>At most this many chunks (and slots), so the partial sums stay small for big data sets.</summary>
    public const int MaxChunks = 1024;

    /// <summary>Upper bound on the doubles held by all slots together (32 MiB), for wide vectors such as Hessians.</summary>
    private const long MaxSlotDoubles = 1L << 22;

    public static int ChunkSize(int count, int width, int minChunkSize = MinChunkSize)
    {
        long maxChunks = Math.Clamp(MaxSlotDoubles / Math.Max(1, width), 1, MaxChunks);
        long size = Math.Max(minChunkSize, (count + maxChunks - 1) / maxChunks);
        return (int)Math.Min(size, Math.Max(1, count));
    }

    /// <summary>
    /// Writes Σ over samples [0, count) of the kernel's contributions into <paramref name="result"/>
    /// (length = width). <paramref name="maxDegreeOfParallelism"/> −1 uses every core, 1 runs on the
    /// calling thread; the result is the same bits either way.
    /// </summary>
    public static void Run<TKernel>(TKernel kernel, int count, int width, int scratchLength, Span<double> result, int maxDegreeOfParallelism, int minChunkSize = MinChunkSize)
        where TKernel : struct, IChunkKernel
    {
        result = result[..width];
        result.Clear();
        if (count == 0)
        {
            return;
        }

        int chunkSize = ChunkSize(count, width, minChunkSize);
        int chunks = (count + chunkSize - 1) / chunkSize;
        if (chunks == 1 || maxDegreeOfParallelism == 1 || Environment.ProcessorCount == 1)
        {
            RunSequential(kernel, count, width, scratchLength, chunkSize, chunks, result);
            return;
        }

        RunParallel(kernel, count, width, scratchLength, chunkSize, chunks, result, maxDegreeOfParallelism);
    }

    /// <summary>Kept apart from <see cref="Run"/> so that the lambda's closure is allocated only on this path.</summary>
    private static void RunParallel<TKernel>(TKernel kernel, int count, int width, int scratchLength, int chunkSize, int chunks, Span<double> result, int maxDegreeOfParallelism)
        where TKernel : struct, IChunkKernel
    {
        double[] slots = ArrayPool<double>.Shared.Rent(chunks * width);
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            Parallel.For(
                0,
                chunks,
                options,
                () => ArrayPool<double>.Shared.Rent(Math.Max(1, scratchLength)),
                (chunk, _, scratch) =>
                {
                    var slot = slots.AsSpan(chunk * width, width);
                    slot.Clear();
                    int start = chunk * chunkSize;
                    kernel.Accumulate(start, Math.Min(count, start + chunkSize), slot, scratch.AsSpan(0, scratchLength));
                    return scratch;
                },
                scratch => ArrayPool<double>.Shared.Return(scratch));

            for (int chunk = 0; chunk < chunks; chunk++)
            {
                Vectors.Add(result, slots.AsSpan(chunk * width, width));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(slots);
        }
    }

    private static void RunSequential<TKernel>(TKernel kernel, int count, int width, int scratchLength, int chunkSize, int chunks, Span<double> result)
        where TKernel : struct, IChunkKernel
    {
        double[] buffer = ArrayPool<double>.Shared.Rent(width + scratchLength);
        try
        {
            var partial = buffer.AsSpan(0, width);
            var scratch = buffer.AsSpan(width, scratchLength);
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                partial.Clear();
                int start = chunk * chunkSize;
                kernel.Accumulate(start, Math.Min(count, start + chunkSize), partial, scratch);
                Vectors.Add(result, partial);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }
}
