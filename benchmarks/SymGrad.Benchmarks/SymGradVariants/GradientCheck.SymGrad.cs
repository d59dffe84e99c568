using System.Collections.Generic;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>The SymGrad-generated candidates of the gradient check.</summary>
public static partial class GradientCheck
{
    static partial void AddSymGradCandidates(List<Candidate> candidates)
    {
        candidates.Insert(0, new("seed", "SymGrad generated", SeedSample<SymGradSeedKernel>, SeedBatch<SymGradSeedKernel>));
        candidates.Add(new("mlp", "SymGrad generated", MlpSample<SymGradMlpKernel>, MlpBatch<SymGradMlpKernel>));
    }
}
