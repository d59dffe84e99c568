using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>The SymGrad-generated variant.</summary>
public partial class LeastSquaresBenchmarks
{
    /// <summary>Generated gradient.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => LeastSquares.LossGradient(_in.LsqX, _in.LsqY, _in.LsqBeta, _gradient);
}

/// <summary>The SymGrad-generated variant.</summary>
public partial class GmmBenchmarks
{
    /// <summary>Generated gradient.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => Gmm.ObjectiveGradient(_in.GmmX, ProgramInputs.GmmD, ProgramInputs.GmmK, ProgramInputs.GmmGamma, ProgramInputs.GmmM, _in.GmmW, _gradient);
}

/// <summary>The SymGrad-generated variant.</summary>
public partial class LstmBenchmarks
{
    /// <summary>Generated gradient.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => Lstm.LossGradient(_in.LstmX, _in.LstmY, ProgramInputs.LstmHidden, _in.LstmW, _gradient);
}

/// <summary>The SymGrad-generated variant.</summary>
public partial class WideMlpBenchmarks
{
    /// <summary>Generated gradient.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => WideMlp.LossGradient(_in.WideX, _in.WideY, _in.WideW, _gradient);
}

/// <summary>The SymGrad-generated variant.</summary>
public partial class BundleAdjustmentBenchmarks
{
    /// <summary>Generated gradient.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => BundleAdjustment.CostGradient(_camera, _point, _weight, ProgramInputs.BaFeatX, ProgramInputs.BaFeatY, _gradient);
}
