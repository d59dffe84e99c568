using System;
using System.Collections.Generic;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>The SymGrad-generated candidates of the program-mode check.</summary>
public static partial class ProgramGradientCheck
{
    static partial void AddSymGradCandidates(List<Candidate> candidates)
    {
        ProgramInputs i = ProgramInputs.Shared;
        candidates.Add(new("lsq", "SymGrad generated", (p, g) => LeastSquares.LossGradient(i.LsqX, i.LsqY, p, g)));
        candidates.Add(new("gmm", "SymGrad generated", (p, g) => Gmm.ObjectiveGradient(i.GmmX, ProgramInputs.GmmD, ProgramInputs.GmmK, ProgramInputs.GmmGamma, ProgramInputs.GmmM, p, g)));
        candidates.Add(new("lstm", "SymGrad generated", (p, g) => Lstm.LossGradient(i.LstmX, i.LstmY, ProgramInputs.LstmHidden, p, g)));
        candidates.Add(new("mlp16", "SymGrad generated", (p, g) => WideMlp.LossGradient(i.WideX, i.WideY, p, g)));
        foreach (string model in new[] { "ba", BaThetaZero })
        {
            candidates.Add(new(model, "SymGrad generated", (p, g) => BundleAdjustment.CostGradient(p.AsSpan(0, 11), p.AsSpan(11, 3), p[14], ProgramInputs.BaFeatX, ProgramInputs.BaFeatY, g)));
        }
    }
}
