using System.Collections.Generic;
using System.Linq;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>The SymGrad-generated candidates of the gradient check.</summary>
public static partial class PeerGradientCheck
{
    static partial void AddSymGradCandidates(List<Candidate> candidates)
    {
        Inputs i = Inputs.Shared;
        candidates.Insert(0, new("seed", "SymGrad generated", SeedSample<SymGradSeedKernel>, SeedBatch<SymGradSeedKernel>));
        candidates.Insert(1, new(
            "seed",
            "SymGrad LossPartials",
            () =>
            {
                SeedNet.LossPartials p = SeedNet.LossGradient(i.SeedX[0], i.SeedY[0], i.SeedParameters[0], i.SeedParameters[1], i.SeedParameters[2], i.SeedParameters[3]);
                return [p.w2, p.b2, p.w3, p.b3];
            },
            SeedBatch<SymGradSeedKernel>));
        candidates.Insert(2, new(
            "seed",
            "SymGrad LossObjective",
            () =>
            {
                var g = new double[4];
                ObjectiveCall.ValueAndGradient(default(SeedNet.LossObjective), new SeedNet.LossSample(i.SeedX[0], i.SeedY[0]), i.SeedParameters, g);
                return g;
            },
            () =>
            {
                var g = new double[4];
                SeedNet.LossSample[] samples = i.SeedX.Zip(i.SeedY, (x, y) => new SeedNet.LossSample(x, y)).ToArray();
                ObjectiveCall.Batch(default(SeedNet.LossObjective), samples, i.SeedParameters, g);
                return g;
            }));
        candidates.Insert(candidates.FindIndex(c => c.Model == "seed·random"), new("seed·random", "SymGrad generated", SeedRandomSample<SymGradSeedKernel>, SeedRandomBatch<SymGradSeedKernel>));
        candidates.Add(new("mlp", "SymGrad generated", MlpSample<SymGradMlpKernel>, MlpBatch<SymGradMlpKernel>));
        candidates.Add(new(
            "mlp",
            "SymGrad LossObjective",
            () =>
            {
                var g = new double[Mlp.ParameterCount];
                ObjectiveCall.ValueAndGradient(new Mlp.LossObjective(Mlp.ParameterCount), new Mlp.LossSample(i.MlpX1[0], i.MlpX2[0], i.MlpY[0]), i.MlpParameters, g);
                return g;
            },
            () =>
            {
                var g = new double[Mlp.ParameterCount];
                var samples = new Mlp.LossSample[i.MlpX1.Length];
                for (int k = 0; k < samples.Length; k++)
                {
                    samples[k] = new Mlp.LossSample(i.MlpX1[k], i.MlpX2[k], i.MlpY[k]);
                }

                ObjectiveCall.Batch(new Mlp.LossObjective(Mlp.ParameterCount), samples, i.MlpParameters, g);
                return g;
            }));
    }
}
