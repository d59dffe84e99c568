using System;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>
/// The inputs every peer is measured on (C# and Python alike): fixed parameters and 4,096 samples per
/// model, drawn from a SplitMix64 stream with a fixed seed so every run and every language sees the
/// same numbers. Python receives them as JSON (<see cref="Reporting.InputsFile"/>).
/// </summary>
public sealed class Inputs
{
    /// <summary>Samples per batch.</summary>
    public const int BatchSize = 4096;

    private Inputs()
    {
    }

    /// <summary>The shared instance.</summary>
    public static Inputs Shared { get; } = Create();

    /// <summary>Seed net parameters in gradient order: w2, b2, w3, b3.</summary>
    public double[] SeedParameters { get; private init; } = [];

    /// <summary>Seed net inputs x.</summary>
    public double[] SeedX { get; private init; } = [];

    /// <summary>Seed net targets y.</summary>
    public double[] SeedY { get; private init; } = [];

    /// <summary>Samples of the random seed-net workload (a power of two).</summary>
    public const int RandomSeedCount = 1 << 16;

    /// <summary>
    /// Seed-net samples with their own parameters, for the per-sample benchmark on random inputs
    /// (<see cref="SeedNetRandomSampleBenchmarks"/>): z2 = w2·x + b2 and z3 = w3·σ(z2) + b3 are each uniform
    /// on [−6, 6] and independent, so the sign of each σ argument is a coin flip from one call to the next.
    /// </summary>
    public SeedSample[] SeedRandom { get; private init; } = [];

    /// <summary>The 105 weights of the 2-8-8-1 model, in gradient order.</summary>
    public double[] MlpParameters { get; private init; } = [];

    /// <summary>First input of each 2-8-8-1 sample.</summary>
    public double[] MlpX1 { get; private init; } = [];

    /// <summary>Second input of each 2-8-8-1 sample.</summary>
    public double[] MlpX2 { get; private init; } = [];

    /// <summary>Targets of the 2-8-8-1 samples.</summary>
    public double[] MlpY { get; private init; } = [];

    private static Inputs Create()
    {
        var rng = new SplitMix64(0x5EED_0002UL);
        double[] seedParameters = [rng.Uniform(-1.5, 1.5), rng.Uniform(-1.0, 1.0), rng.Uniform(-1.5, 1.5), rng.Uniform(-1.0, 1.0)];
        var seedX = new double[BatchSize];
        var seedY = new double[BatchSize];
        for (int i = 0; i < BatchSize; i++)
        {
            seedX[i] = rng.Uniform(-3.0, 3.0);
            seedY[i] = rng.Uniform(0.0, 1.0);
        }

        var mlpParameters = new double[Models.Mlp.ParameterCount];
        for (int i = 0; i < mlpParameters.Length; i++)
        {
            // Glorot-like scale for fan-in 2..8.
            mlpParameters[i] = rng.Uniform(-0.7, 0.7);
        }

        var x1 = new double[BatchSize];
        var x2 = new double[BatchSize];
        var y = new double[BatchSize];
        for (int i = 0; i < BatchSize; i++)
        {
            x1[i] = rng.Uniform(-2.0, 2.0);
            x2[i] = rng.Uniform(-2.0, 2.0);
            y[i] = x1[i] * x2[i] > 0 ? 1.0 : 0.0;
        }

        // Own stream, so the arrays above stay what they were. x ∈ [−3, 3], w2 ∈ [−2, 2], w3 ∈ [−3, 3] as drawn; the
        // biases are chosen to put z2 and z3 where they were drawn, uniform on [−6, 6].
        var random = new SplitMix64(0x5EED_0011UL);
        var seedRandom = new SeedSample[RandomSeedCount];
        for (int i = 0; i < RandomSeedCount; i++)
        {
            double x = random.Uniform(-3.0, 3.0), yr = random.Uniform(0.0, 1.0);
            double w2 = random.Uniform(-2.0, 2.0), z2 = random.Uniform(-6.0, 6.0);
            double w3 = random.Uniform(-3.0, 3.0), z3 = random.Uniform(-6.0, 6.0);
            double a2 = 1.0 / (1.0 + Math.Exp(-z2));
            seedRandom[i] = new SeedSample(x, yr, w2, z2 - w2 * x, w3, z3 - w3 * a2);
        }

        return new Inputs
        {
            SeedRandom = seedRandom,
            SeedParameters = seedParameters,
            SeedX = seedX,
            SeedY = seedY,
            MlpParameters = mlpParameters,
            MlpX1 = x1,
            MlpX2 = x2,
            MlpY = y,
        };
    }

    /// <summary>One seed-net sample with its own parameters (the arguments of <c>SeedNet.Loss</c> in order).</summary>
    public readonly record struct SeedSample(double X, double Y, double W2, double B2, double W3, double B3);

    private struct SplitMix64
    {
        private ulong _state;

        public SplitMix64(ulong seed) => _state = seed;

        public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

        private double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        private ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
