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

        return new Inputs
        {
            SeedParameters = seedParameters,
            SeedX = seedX,
            SeedY = seedY,
            MlpParameters = mlpParameters,
            MlpX1 = x1,
            MlpX2 = x2,
            MlpY = y,
        };
    }

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
