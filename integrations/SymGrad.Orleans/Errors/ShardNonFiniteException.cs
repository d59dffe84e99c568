using System;

namespace SymGrad.Orleans;

/// <summary>
/// A shard's loss or gradient is NaN/∞: thrown by the shard grain, with the row of the shard to blame. The coordinator
/// rethrows it as the <see cref="NonFiniteException"/> the single-machine minimizers throw, with this as its inner exception.
/// </summary>
[GenerateSerializer]
public sealed class ShardNonFiniteException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ShardNonFiniteException(string message)
        : base(message)
    {
    }

    /// <summary>The data set's name.</summary>
    [Id(0)]
    public string DataSet { get; init; } = string.Empty;

    /// <summary>The shard whose rows gave the non-finite value.</summary>
    [Id(1)]
    public int Shard { get; init; }

    /// <summary>The row within the shard (0-based, in the shard source's order); null when every row is finite and only their sum overflowed.</summary>
    [Id(2)]
    public int? Row { get; init; }

    /// <summary>"loss" or the name of the parameter whose derivative was not finite.</summary>
    [Id(3)]
    public string Name { get; init; } = "loss";

    /// <summary>The offending value.</summary>
    [Id(4)]
    public double Value { get; init; } = double.NaN;

    /// <summary>The minimizer's iteration or the trainer's epoch.</summary>
    [Id(5)]
    public int Iteration { get; init; }
}
