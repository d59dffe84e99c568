using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>The SymGrad-generated variants (compiled only with -p:SymGradVariants=true, the default).</summary>
public partial class SeedNetSampleBenchmarks
{
    /// <summary>Generated gradient, Span API.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => SeedNet.LossGradient(_x, _y, _w2, _b2, _w3, _b3, _gradient);
}

/// <summary>The SymGrad-generated variants.</summary>
public partial class SeedNetBatchBenchmarks
{
    /// <summary>Generated gradient, Span API.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => SeedKernels.Batch<SymGradSeedKernel>(_x, _y, _p, _sum);
}

/// <summary>The SymGrad-generated variants.</summary>
public partial class MlpSampleBenchmarks
{
    /// <summary>Generated gradient, Span API (105 weights passed as arguments).</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => Mlp.LossGradientAt(_x1, _x2, _y, _p, _gradient);
}

/// <summary>The SymGrad-generated variants.</summary>
public partial class MlpBatchBenchmarks
{
    /// <summary>Generated gradient, Span API.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => MlpKernels.Batch<SymGradMlpKernel>(_x1, _x2, _y, _p, _sum);
}
