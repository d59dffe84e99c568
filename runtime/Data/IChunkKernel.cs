using System;

namespace SymGrad;

/// <summary>
/// Adds the contributions of a contiguous range of samples to a partial sum. Implemented by small
/// structs so that the reduction below is specialised per objective (direct calls, no dispatch).
/// </summary>
internal interface IChunkKernel
{
    /// <summary>Adds samples [start, end) into <paramref name="partial"/> in index order, using <paramref name="scratch"/> freely.</summary>
    void Accumulate(int start, int end, Span<double> partial, Span<double> scratch);
}
