using System;

namespace SymGrad.Orleans;

/// <summary>
/// The order in which a shard visits its rows in one epoch of mini-batch training: a Fisher–Yates shuffle driven by
/// SplitMix64 seeded from (seed, shard, epoch), so any silo that (re)loads the shard derives the same order.
/// </summary>
internal static class ShardPermutation
{
    public static int[] Create(int count, long seed, int shard, int epoch, bool shuffle)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        if (!shuffle)
        {
            return order;
        }

        ulong state = (ulong)seed;
        state = Mix(state ^ Mix(((ulong)(uint)shard << 32) | (uint)epoch));
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)Math.BigMul(Next(ref state), (ulong)(i + 1), out _);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>Rows [start, end) of the permutation that step <paramref name="step"/> of <paramref name="steps"/> takes.</summary>
    public static (int Start, int End) Slice(int count, int step, int steps)
        => ((int)((long)step * count / steps), (int)((long)(step + 1) * count / steps));

    private static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
