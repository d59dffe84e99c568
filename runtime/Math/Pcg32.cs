using System.Numerics;

namespace SymGrad;

/// <summary>
/// PCG32 (O'Neill, "PCG: A Family of Simple Fast Space-Efficient Statistically Good Algorithms for
/// Random Number Generation", 2014): 64-bit LCG state, XSH-RR output. Owned by SymGrad so that a seed
/// gives the same stream on every .NET version and platform (System.Random makes no such promise).
/// </summary>
internal struct Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;
    private const ulong DefaultStream = 0xDA3E39CB94B95BDBUL;

    private ulong _state;
    private readonly ulong _increment;

    public Pcg32(long seed, ulong stream = DefaultStream)
    {
        _state = 0;
        _increment = (stream << 1) | 1UL;
        NextUInt32();
        _state += unchecked((ulong)seed);
        NextUInt32();
    }

    public uint NextUInt32()
    {
        ulong old = _state;
        _state = unchecked(old * Multiplier + _increment);
        uint xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        int rotation = (int)(old >> 59);
        return BitOperations.RotateRight(xorShifted, rotation);
    }

    /// <summary>Uniform integer in [0, bound), without modulo bias (Lemire 2019, "Fast Random Integer Generation in an Interval").</summary>
    public int NextInt(int bound)
    {
        uint s = (uint)bound;
        ulong m = (ulong)NextUInt32() * s;
        uint low = (uint)m;
        if (low < s)
        {
            uint threshold = unchecked(0u - s) % s;
            while (low < threshold)
            {
                m = (ulong)NextUInt32() * s;
                low = (uint)m;
            }
        }

        return (int)(m >> 32);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        ulong bits = ((ulong)NextUInt32() << 21) ^ (NextUInt32() >> 11);
        return (bits & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(System.Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
