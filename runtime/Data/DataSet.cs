using System;

namespace SymGrad;

/// <summary>Turns the public overloads' data arguments into the <see cref="ReadOnlyMemory{T}"/> the implementations take.</summary>
internal static class DataSet
{
    /// <summary>The one-element data set of objectives without data parameters.</summary>
    public static ReadOnlyMemory<NoData> None => NoDataArray;

    private static readonly NoData[] NoDataArray = new NoData[1];

    /// <summary>Wraps an array; throws <see cref="ArgumentNullException"/> for null.</summary>
    public static ReadOnlyMemory<TSample> Of<TSample>(TSample[] data)
        => new(data ?? throw new ArgumentNullException(nameof(data)));
}
