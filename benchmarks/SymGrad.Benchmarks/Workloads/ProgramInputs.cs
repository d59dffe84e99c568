using System;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>
/// Inputs of the program-mode workloads (weight vectors, loops over data), from their own seeded SplitMix64 stream so
/// the other workloads' inputs stay what they were.
/// </summary>
public sealed class ProgramInputs
{
    /// <summary>Least squares: rows.</summary>
    public const int LsqRows = 1000;

    /// <summary>Least squares: features.</summary>
    public const int LsqFeatures = 10;

    /// <summary>GMM: dimension.</summary>
    public const int GmmD = 4;

    /// <summary>GMM: components.</summary>
    public const int GmmK = 8;

    /// <summary>GMM: points.</summary>
    public const int GmmN = 1000;

    /// <summary>GMM: Wishart prior γ (ADBench's value).</summary>
    public const double GmmGamma = 1.0;

    /// <summary>GMM: Wishart prior m (ADBench's value).</summary>
    public const int GmmM = 0;

    /// <summary>LSTM: hidden units.</summary>
    public const int LstmHidden = 8;

    /// <summary>LSTM: inputs per step.</summary>
    public const int LstmInputs = 4;

    /// <summary>LSTM: sequence length.</summary>
    public const int LstmSteps = 30;

    /// <summary>
    /// Bundle adjustment: one camera in ADBench's layout [r (3), C (3), f, x0 (2), k (2)]: a rotation of θ = 0.153 rad
    /// (8.7°) about a generic axis, the centre 4 units behind the origin, f = 800 px, principal point (320, 240) px,
    /// mild barrel distortion.
    /// </summary>
    public static readonly double[] BaCamera = [0.12, -0.08, 0.05, 0.3, -0.2, -4.0, 800.0, 320.0, 240.0, -0.08, 0.012];

    /// <summary>Bundle adjustment: the 3-D point (6.2 units in front of the camera, projecting to about (417.4, 332.2) px).</summary>
    public static readonly double[] BaPoint = [1.6, 1.2, 2.0];

    /// <summary>Bundle adjustment: the observation's weight.</summary>
    public const double BaWeight = 0.8;

    /// <summary>Bundle adjustment: the observed feature, (−1.3, 0.7) px from the projection.</summary>
    public const double BaFeatX = 418.7;

    /// <summary>Bundle adjustment: the observed feature's y.</summary>
    public const double BaFeatY = 331.5;

    private ProgramInputs()
    {
    }

    /// <summary>The shared instance.</summary>
    public static ProgramInputs Shared { get; } = Create();

    /// <summary>Least squares X, row-major n × d.</summary>
    public double[] LsqX { get; private init; } = [];

    /// <summary>Least squares targets.</summary>
    public double[] LsqY { get; private init; } = [];

    /// <summary>Least squares β.</summary>
    public double[] LsqBeta { get; private init; } = [];

    /// <summary>GMM points, row-major n × d.</summary>
    public double[] GmmX { get; private init; } = [];

    /// <summary>GMM parameters (α, μ, icf).</summary>
    public double[] GmmW { get; private init; } = [];

    /// <summary>LSTM inputs, T × D.</summary>
    public double[] LstmX { get; private init; } = [];

    /// <summary>LSTM targets, T.</summary>
    public double[] LstmY { get; private init; } = [];

    /// <summary>LSTM weights.</summary>
    public double[] LstmW { get; private init; } = [];

    /// <summary>16-64-64-1 input.</summary>
    public double[] WideX { get; private init; } = [];

    /// <summary>16-64-64-1 target.</summary>
    public double WideY { get; private init; }

    /// <summary>16-64-64-1 weights.</summary>
    public double[] WideW { get; private init; } = [];

    /// <summary>Length of the GMM parameter vector.</summary>
    public static int GmmParameterCount => GmmK + GmmK * GmmD + GmmK * GmmD * (GmmD + 1) / 2;

    /// <summary>Length of the LSTM parameter vector.</summary>
    public static int LstmParameterCount => 4 * LstmHidden * (LstmInputs + LstmHidden + 1) + LstmHidden + 1;

    private static ProgramInputs Create()
    {
        var rng = new SplitMix64(0x5EED_0010UL);
        double[] Fill(int n, double lo, double hi)
        {
            var a = new double[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = rng.Uniform(lo, hi);
            }

            return a;
        }

        double[] lsqX = Fill(LsqRows * LsqFeatures, -1, 1);
        double[] truth = Fill(LsqFeatures, -2, 2);
        var lsqY = new double[LsqRows];
        for (int i = 0; i < LsqRows; i++)
        {
            double s = rng.Uniform(-0.1, 0.1);
            for (int j = 0; j < LsqFeatures; j++)
            {
                s += lsqX[i * LsqFeatures + j] * truth[j];
            }

            lsqY[i] = s;
        }

        double[] lsqBeta = Fill(LsqFeatures, -2, 2);

        double[] gmmX = Fill(GmmN * GmmD, -2, 2);
        double[] gmmW = new double[GmmParameterCount];
        for (int i = 0; i < gmmW.Length; i++)
        {
            // α in [−1, 1], μ in [−1.5, 1.5], icf (log-diagonal and L) in [−0.5, 0.5].
            gmmW[i] = i < GmmK ? rng.Uniform(-1, 1) : i < GmmK + GmmK * GmmD ? rng.Uniform(-1.5, 1.5) : rng.Uniform(-0.5, 0.5);
        }

        return new ProgramInputs
        {
            LsqX = lsqX,
            LsqY = lsqY,
            LsqBeta = lsqBeta,
            GmmX = gmmX,
            GmmW = gmmW,
            LstmX = Fill(LstmSteps * LstmInputs, -1, 1),
            LstmY = Fill(LstmSteps, -0.8, 0.8),
            LstmW = Fill(LstmParameterCount, -0.4, 0.4),
            WideX = Fill(WideMlp.Inputs, -1, 1),
            WideY = 0.5,
            WideW = Fill(WideMlp.ParameterCount, -0.2, 0.2),
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
