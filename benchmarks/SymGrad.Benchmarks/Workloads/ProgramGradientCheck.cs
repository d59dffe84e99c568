using System;
using System.Collections.Generic;
using SymGrad.Benchmarks.Models;
using SymGrad.Benchmarks.Peers;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>
/// The program-mode workloads' agreement, checked before anything is timed: the hand-written gradient against
/// central finite differences of the function (a sanity check of the reference, ~1e-7), then every other gradient
/// and value against the hand-written one (must be within 1e-10 relative).
/// </summary>
public static partial class ProgramGradientCheck
{
    /// <summary>Largest relative error an exact gradient may have against the hand-written one.</summary>
    public const double Tolerance = 1e-10;

    /// <summary>One comparison: the gradient's and the value's max relative error against the reference.</summary>
    public sealed record Result(string Model, string Method, double GradientErr, double ValueErr, bool Exact);

    /// <summary>A workload: its function, its hand-written gradient, its parameter vector.</summary>
    public sealed record Workload(string Model, Func<double[], double> Function, Func<double[], double[], double> HandWritten, double[] Parameters);

    /// <summary>A gradient other than the hand-written one.</summary>
    public sealed record Candidate(string Model, string Method, Func<double[], double[], double> Gradient);

    /// <summary>
    /// The five workloads at their benchmark inputs, plus bundle adjustment at θ = 0 exactly (its first-order Rodrigues
    /// branch, not timed). Bundle adjustment's parameter vector is cam (11), X (3), w: the gradient's layout.
    /// </summary>
    public static List<Workload> Workloads()
    {
        ProgramInputs i = ProgramInputs.Shared;
        double[] lstmScratch = new double[ProgramPeers.LstmScratchLength(ProgramInputs.LstmSteps, ProgramInputs.LstmHidden)];
        return
        [
            new("lsq", p => LeastSquares.Loss(i.LsqX, i.LsqY, p), (p, g) => ProgramPeers.LeastSquares(i.LsqX, i.LsqY, p, g), i.LsqBeta),
            new(
                "gmm",
                p => Gmm.Objective(i.GmmX, ProgramInputs.GmmD, ProgramInputs.GmmK, ProgramInputs.GmmGamma, ProgramInputs.GmmM, p),
                (p, g) => ProgramPeers.Gmm(i.GmmX, ProgramInputs.GmmD, ProgramInputs.GmmK, ProgramInputs.GmmGamma, ProgramInputs.GmmM, p, g),
                i.GmmW),
            new("lstm", p => Lstm.Loss(i.LstmX, i.LstmY, ProgramInputs.LstmHidden, p), (p, g) => ProgramPeers.Lstm(i.LstmX, i.LstmY, ProgramInputs.LstmHidden, p, g, lstmScratch), i.LstmW),
            new("mlp16", p => WideMlp.Loss(i.WideX, i.WideY, p), (p, g) => ProgramPeers.WideMlp(i.WideX, i.WideY, p, g), i.WideW),
            new("ba", BaFunction, BaHandWritten, BaParameters(ProgramInputs.BaCamera)),
            new(BaThetaZero, BaFunction, BaHandWritten, BaParameters([0, 0, 0, .. ProgramInputs.BaCamera.AsSpan(3)])),
        ];
    }

    /// <summary>The model name of the bundle-adjustment check at θ = 0.</summary>
    public const string BaThetaZero = "ba θ=0";

    private static double BaFunction(double[] p) =>
        BundleAdjustment.Cost(p.AsSpan(0, 11), p.AsSpan(11, 3), p[14], ProgramInputs.BaFeatX, ProgramInputs.BaFeatY);

    private static double BaHandWritten(double[] p, double[] g) =>
        ProgramPeers.BundleAdjustment(p.AsSpan(0, 11), p.AsSpan(11, 3), p[14], ProgramInputs.BaFeatX, ProgramInputs.BaFeatY, g);

    private static double[] BaParameters(double[] camera) => [.. camera, .. ProgramInputs.BaPoint, ProgramInputs.BaWeight];

    /// <summary>Runs every comparison.</summary>
    public static List<Result> Run()
    {
        var candidates = new List<Candidate>();
        foreach (string model in new[] { "ba", BaThetaZero })
        {
            candidates.Add(new(model, "hand-written, separate Sin and Cos", (p, g) => ProgramPeers.BundleAdjustmentSeparateSinCos(p.AsSpan(0, 11), p.AsSpan(11, 3), p[14], ProgramInputs.BaFeatX, ProgramInputs.BaFeatY, g)));
        }

        AddSymGradCandidates(candidates);
        var results = new List<Result>();
        foreach (Workload w in Workloads())
        {
            double[] p = (double[])w.Parameters.Clone();
            var reference = new double[p.Length];
            double value = w.HandWritten(p, reference);
            double f = w.Function(p);
            results.Add(new Result(w.Model, "hand-written vs central differences", MaxRelErr(CentralDifferences(w.Function, p), reference), RelErr(value, f), Exact: false));
            foreach (Candidate c in candidates)
            {
                if (c.Model != w.Model)
                {
                    continue;
                }

                var g = new double[p.Length];
                double v = c.Gradient(p, g);
                results.Add(new Result(w.Model, c.Method, MaxRelErr(g, reference), RelErr(v, value), Exact: true));
            }
        }

        return results;
    }

    /// <summary>Adds the SymGrad-generated gradients (implemented only when they are compiled in).</summary>
    static partial void AddSymGradCandidates(List<Candidate> candidates);

    private static double[] CentralDifferences(Func<double[], double> f, double[] p)
    {
        var g = new double[p.Length];
        for (int k = 0; k < p.Length; k++)
        {
            double pk = p[k];
            double h = 6.0554544523933395e-6 * Math.Max(1.0, Math.Abs(pk));
            p[k] = pk + h;
            double plus = f(p);
            p[k] = pk - h;
            double minus = f(p);
            p[k] = pk;
            g[k] = (plus - minus) / (2.0 * h);
        }

        return g;
    }

    /// <summary>
    /// max_k |got_k − want_k| / max(1e-12·‖want‖_∞, |want_k|): relative per component, with components far below the
    /// gradient's scale compared against the scale (a sum that cancels to ~0 has no meaningful relative error).
    /// </summary>
    private static double MaxRelErr(double[] got, double[] want)
    {
        double scale = 0;
        foreach (double x in want)
        {
            scale = Math.Max(scale, Math.Abs(x));
        }

        double worst = 0;
        for (int k = 0; k < got.Length; k++)
        {
            double err = Math.Abs(got[k] - want[k]) / Math.Max(1e-12 * scale, Math.Abs(want[k]));
            worst = double.IsNaN(err) ? double.PositiveInfinity : Math.Max(worst, err);
        }

        return worst;
    }

    private static double RelErr(double got, double want) => Math.Abs(got - want) / Math.Max(1e-300, Math.Abs(want));
}
