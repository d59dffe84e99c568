using System;
using System.Collections.Generic;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>
/// Before anything is timed, every peer's gradient is compared with the hand-written one (sample 0 and
/// the 4,096-sample sum), so a fast wrong answer cannot win. Finite differences are expected to differ
/// by ~1e-10 relative; exact methods by rounding only.
/// </summary>
public static partial class PeerGradientCheck
{
    /// <summary>A gradient method of one workload: computes the gradient at sample 0 and the batch sum.</summary>
    public sealed record Candidate(string Model, string Method, Func<double[]> Sample, Func<double[]> Batch);

    /// <summary>One comparison.</summary>
    public sealed record Result(string Model, string Method, double MaxRelErrSample, double MaxRelErrBatch);

    /// <summary>Reference gradients (hand-written): "seed/sample", "seed/batch", "mlp/sample", "mlp/batch".</summary>
    public static Dictionary<string, double[]> References()
    {
        return new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            ["seed/sample"] = SeedSample<SeedKernels.HandWritten>(),
            ["seed/batch"] = SeedBatch<SeedKernels.HandWritten>(),
            ["mlp/sample"] = MlpSample<MlpKernels.HandWritten>(),
            ["mlp/batch"] = MlpBatch<MlpKernels.HandWritten>(),
        };
    }

    /// <summary>Runs every comparison.</summary>
    public static List<Result> Run()
    {
        var candidates = new List<Candidate>
        {
            new("seed", "hand-written closed form", SeedSample<SeedKernels.HandWritten>, SeedBatch<SeedKernels.HandWritten>),
            new("seed", "hand-written, naive Math.Exp σ", SeedSample<SeedKernels.HandWrittenNaive>, SeedBatch<SeedKernels.HandWrittenNaive>),
            new("seed", "generated body, pre-issue-11 σ", SeedSample<SeedKernels.GeneratedBodyPreIssue11>, SeedBatch<SeedKernels.GeneratedBodyPreIssue11>),
            new("seed", "hand-written, separate σ′", SeedSample<SeedKernels.HandWrittenStableDerivative>, SeedBatch<SeedKernels.HandWrittenStableDerivative>),
            new("seed", "hand-written, fused σ/σ′", SeedSample<SeedKernels.HandWrittenFusedStable>, SeedBatch<SeedKernels.HandWrittenFusedStable>),
            new("seed", "central finite differences", SeedSample<SeedKernels.FiniteDifferences>, SeedBatch<SeedKernels.FiniteDifferences>),
            new("seed", "forward-mode Dual<double>", SeedSample<SeedKernels.DualNumbers>, SeedBatch<SeedKernels.DualNumbers>),
            new("seed·random", "hand-written, naive Math.Exp σ", SeedRandomSample<SeedKernels.HandWrittenNaive>, SeedRandomBatch<SeedKernels.HandWrittenNaive>),
            new("seed·random", "hand-written closed form", SeedRandomSample<SeedKernels.HandWritten>, SeedRandomBatch<SeedKernels.HandWritten>),
            new("seed·random", "hand-written, fused σ/σ′", SeedRandomSample<SeedKernels.HandWrittenFusedStable>, SeedRandomBatch<SeedKernels.HandWrittenFusedStable>),
            new("seed·random", "generated body, pre-issue-11 σ", SeedRandomSample<SeedKernels.GeneratedBodyPreIssue11>, SeedRandomBatch<SeedKernels.GeneratedBodyPreIssue11>),
            new("mlp", "hand-written backprop", MlpSample<MlpKernels.HandWritten>, MlpBatch<MlpKernels.HandWritten>),
            new("mlp", "hand-written, fused tanh/σ", MlpSample<MlpKernels.HandWrittenStableDerivative>, MlpBatch<MlpKernels.HandWrittenStableDerivative>),
            new("mlp", "central finite differences", MlpSample<MlpKernels.FiniteDifferences>, MlpBatch<MlpKernels.FiniteDifferences>),
            new("mlp", "forward-mode Dual<double>", MlpSample<MlpKernels.DualNumbers>, MlpBatch<MlpKernels.DualNumbers>),
        };
        AddSymGradCandidates(candidates);
        Dictionary<string, double[]> reference = References();

        // The random seed-net samples (first sample, and the sum over all 65,536): the naive hand-written closed form.
        reference["seed·random/sample"] = SeedRandomSample<SeedKernels.HandWrittenNaive>();
        reference["seed·random/batch"] = SeedRandomBatch<SeedKernels.HandWrittenNaive>();
        var results = new List<Result>();
        foreach (Candidate c in candidates)
        {
            results.Add(new Result(
                c.Model,
                c.Method,
                MaxRelErr(c.Sample(), reference[c.Model + "/sample"]),
                MaxRelErr(c.Batch(), reference[c.Model + "/batch"])));
        }

        return results;
    }

    /// <summary>Adds the SymGrad-generated methods (implemented only when they are compiled in).</summary>
    static partial void AddSymGradCandidates(List<Candidate> candidates);

    /// <summary>max_i |got_i − want_i| / max(1e-12, |want_i|).</summary>
    public static double MaxRelErr(ReadOnlySpan<double> got, ReadOnlySpan<double> want)
    {
        if (got.Length != want.Length)
        {
            return double.PositiveInfinity;
        }

        double worst = 0;
        for (int i = 0; i < got.Length; i++)
        {
            double err = Math.Abs(got[i] - want[i]) / Math.Max(1e-12, Math.Abs(want[i]));
            worst = double.IsNaN(err) ? double.PositiveInfinity : Math.Max(worst, err);
        }

        return worst;
    }

    internal static double[] SeedSample<T>() where T : struct, ISeedGradient
    {
        Inputs i = Inputs.Shared;
        var g = new double[4];
        default(T).Evaluate(i.SeedX[0], i.SeedY[0], i.SeedParameters[0], i.SeedParameters[1], i.SeedParameters[2], i.SeedParameters[3], g);
        return g;
    }

    internal static double[] SeedBatch<T>() where T : struct, ISeedGradient
    {
        Inputs i = Inputs.Shared;
        var g = new double[4];
        SeedKernels.Batch<T>(i.SeedX, i.SeedY, i.SeedParameters, g);
        return g;
    }

    internal static double[] SeedRandomSample<T>() where T : struct, ISeedGradient
    {
        Inputs.SeedSample s = Inputs.Shared.SeedRandom[0];
        var g = new double[4];
        default(T).Evaluate(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, g);
        return g;
    }

    internal static double[] SeedRandomBatch<T>() where T : struct, ISeedGradient
    {
        Span<double> g = stackalloc double[4];
        var sum = new double[4];
        foreach (Inputs.SeedSample s in Inputs.Shared.SeedRandom)
        {
            default(T).Evaluate(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, g);
            for (int k = 0; k < 4; k++)
            {
                sum[k] += g[k];
            }
        }

        return sum;
    }

    internal static double[] MlpSample<T>() where T : struct, IMlpGradient
    {
        Inputs i = Inputs.Shared;
        var g = new double[Mlp.ParameterCount];
        default(T).Evaluate(i.MlpX1[0], i.MlpX2[0], i.MlpY[0], i.MlpParameters, g);
        return g;
    }

    internal static double[] MlpBatch<T>() where T : struct, IMlpGradient
    {
        Inputs i = Inputs.Shared;
        var g = new double[Mlp.ParameterCount];
        MlpKernels.Batch<T>(i.MlpX1, i.MlpX2, i.MlpY, i.MlpParameters, g);
        return g;
    }
}
