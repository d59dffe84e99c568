using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Models;
using SymGrad.Benchmarks.Peers;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>Seed-002 network: one sample's gradient per operation (sample 0 of <see cref="Inputs"/>).</summary>
[MemoryDiagnoser]
[Workload("seed/sample", "seed net (4 params) · 1 sample", 10)]
public partial class SeedNetSampleBenchmarks
{
    private readonly double[] _gradient = new double[SeedNetPeers.ParameterCount];
    private double _x, _y, _w2, _b2, _w3, _b3;

    /// <summary>Loads sample 0 and the parameters.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Inputs inputs = Inputs.Shared;
        (_x, _y) = (inputs.SeedX[0], inputs.SeedY[0]);
        (_w2, _b2, _w3, _b3) = (inputs.SeedParameters[0], inputs.SeedParameters[1], inputs.SeedParameters[2], inputs.SeedParameters[3]);
        SetupSymGrad();
    }

    /// <summary>Prepares the SymGrad-generated variants (implemented only when they are compiled in).</summary>
    partial void SetupSymGrad();

    /// <summary>The loss alone.</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function() => SeedNet.Loss(_x, _y, _w2, _b2, _w3, _b3);

    /// <summary>Hand-written closed form.</summary>
    [Benchmark]
    [Peer("hand-written closed form", Role.HandWritten, 20)]
    public double HandWritten() => SeedNetPeers.HandWritten(_x, _y, _w2, _b2, _w3, _b3, _gradient);

    /// <summary>Hand-written closed form with the generator's σ′.</summary>
    [Benchmark]
    [Peer("hand-written, separate σ′ = SymMath.SigmoidDerivative (2 exp per layer)", Role.Peer, 21)]
    public double HandWrittenStable() => SeedNetPeers.HandWrittenStableDerivative(_x, _y, _w2, _b2, _w3, _b3, _gradient);

    /// <summary>Hand-written closed form, stable σ′ sharing σ's exponential.</summary>
    [Benchmark]
    [Peer("hand-written, fused SymMath.Sigmoid(z, out σ′) (as generated)", Role.Peer, 22)]
    public double HandWrittenFused() => SeedNetPeers.HandWrittenFusedStable(_x, _y, _w2, _b2, _w3, _b3, _gradient);

    /// <summary>Central finite differences (9 evaluations).</summary>
    [Benchmark]
    [Peer("central finite differences (2n+1 = 9 evals)", Role.Peer, 30)]
    public double FiniteDifferences() => SeedNetPeers.FiniteDifferences(_x, _y, _w2, _b2, _w3, _b3, _gradient);

    /// <summary>Forward-mode dual numbers (4 passes).</summary>
    [Benchmark]
    [Peer("forward-mode Dual<double> (n = 4 passes)", Role.Peer, 40)]
    public double DualNumbers() => SeedNetPeers.DualNumbers(_x, _y, _w2, _b2, _w3, _b3, _gradient);
}

/// <summary>Seed-002 network: the gradient summed over 4,096 samples; reported per sample.</summary>
[MemoryDiagnoser]
[Workload("seed/batch", "seed net (4 params) · batch 4,096, per sample", 20)]
public partial class SeedNetBatchBenchmarks
{
    private readonly double[] _sum = new double[SeedNetPeers.ParameterCount];
    private double[] _x = [], _y = [], _p = [];

    /// <summary>Loads the samples.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Inputs inputs = Inputs.Shared;
        (_x, _y, _p) = (inputs.SeedX, inputs.SeedY, inputs.SeedParameters);
        SetupSymGrad();
    }

    /// <summary>Prepares the SymGrad-generated variants (implemented only when they are compiled in).</summary>
    partial void SetupSymGrad();

    /// <summary>The summed loss alone.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("function value only", Role.Function, 0)]
    public double Function()
    {
        double[] x = _x, y = _y;
        double w2 = _p[0], b2 = _p[1], w3 = _p[2], b3 = _p[3], loss = 0;
        for (int i = 0; i < x.Length; i++)
        {
            loss += SeedNet.Loss(x[i], y[i], w2, b2, w3, b3);
        }

        return loss;
    }

    /// <summary>Hand-written closed form.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("hand-written closed form", Role.HandWritten, 20)]
    public double HandWritten() => SeedKernels.Batch<SeedKernels.HandWritten>(_x, _y, _p, _sum);

    /// <summary>Hand-written closed form with the generator's σ′.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("hand-written, separate σ′ = SymMath.SigmoidDerivative (2 exp per layer)", Role.Peer, 21)]
    public double HandWrittenStable() => SeedKernels.Batch<SeedKernels.HandWrittenStableDerivative>(_x, _y, _p, _sum);

    /// <summary>Hand-written closed form, stable σ′ sharing σ's exponential.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("hand-written, fused SymMath.Sigmoid(z, out σ′) (as generated)", Role.Peer, 22)]
    public double HandWrittenFused() => SeedKernels.Batch<SeedKernels.HandWrittenFusedStable>(_x, _y, _p, _sum);

    /// <summary>Central finite differences.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("central finite differences (2n+1 = 9 evals)", Role.Peer, 30)]
    public double FiniteDifferences() => SeedKernels.Batch<SeedKernels.FiniteDifferences>(_x, _y, _p, _sum);

    /// <summary>Forward-mode dual numbers.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("forward-mode Dual<double> (n = 4 passes)", Role.Peer, 40)]
    public double DualNumbers() => SeedKernels.Batch<SeedKernels.DualNumbers>(_x, _y, _p, _sum);
}
