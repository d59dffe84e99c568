using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Models;
using SymGrad.Benchmarks.Peers;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>2-8-8-1 network (105 scalar parameters): one sample's gradient per operation.</summary>
[MemoryDiagnoser]
[Workload("mlp/sample", "2-8-8-1 net (105 params) · 1 sample", 30)]
public partial class MlpSampleBenchmarks
{
    private readonly double[] _gradient = new double[Mlp.ParameterCount];
    private readonly double[] _scratch = new double[Mlp.ParameterCount];
    private readonly Dual<double>[] _dualScratch = new Dual<double>[Mlp.ParameterCount];
    private double[] _p = [];
    private double _x1, _x2, _y;

    /// <summary>Loads sample 0 and the weights.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Inputs inputs = Inputs.Shared;
        (_x1, _x2, _y, _p) = (inputs.MlpX1[0], inputs.MlpX2[0], inputs.MlpY[0], inputs.MlpParameters);
        SetupSymGrad();
    }

    /// <summary>Prepares the SymGrad-generated variants (implemented only when they are compiled in).</summary>
    partial void SetupSymGrad();

    /// <summary>The loss alone (105 weights passed as arguments, as the gradient gets them).</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function() => Mlp.Loss(_x1, _x2, _y, _p);

    /// <summary>Hand-written backprop over arrays.</summary>
    [Benchmark]
    [Peer("hand-written reverse mode (backprop, arrays)", Role.HandWritten, 20)]
    public double HandWritten() => MlpPeers.HandWritten(_x1, _x2, _y, _p, _gradient);

    /// <summary>Hand-written backprop with the generator's tanh′ and σ′.</summary>
    [Benchmark]
    [Peer("hand-written backprop, fused SymMath.Tanh/Sigmoid(z, out d) (as generated)", Role.Peer, 21)]
    public double HandWrittenStable() => MlpPeers.HandWrittenStableDerivative(_x1, _x2, _y, _p, _gradient);

    /// <summary>Central finite differences (211 evaluations).</summary>
    [Benchmark]
    [Peer("central finite differences (2n+1 = 211 evals)", Role.Peer, 30)]
    public double FiniteDifferences() => MlpPeers.FiniteDifferences(_x1, _x2, _y, _p, _gradient, _scratch);

    /// <summary>Forward-mode dual numbers (105 passes).</summary>
    [Benchmark]
    [Peer("forward-mode Dual<double> (n = 105 passes)", Role.Peer, 40)]
    public double DualNumbers() => MlpPeers.DualNumbers(_x1, _x2, _y, _p, _gradient, _dualScratch);
}

/// <summary>2-8-8-1 network: the gradient summed over 4,096 samples; reported per sample.</summary>
[MemoryDiagnoser]
[Workload("mlp/batch", "2-8-8-1 net (105 params) · batch 4,096, per sample", 40)]
public partial class MlpBatchBenchmarks
{
    private readonly double[] _sum = new double[Mlp.ParameterCount];
    private double[] _x1 = [], _x2 = [], _y = [], _p = [];

    /// <summary>Loads the samples.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Inputs inputs = Inputs.Shared;
        (_x1, _x2, _y, _p) = (inputs.MlpX1, inputs.MlpX2, inputs.MlpY, inputs.MlpParameters);
        SetupSymGrad();
    }

    /// <summary>Prepares the SymGrad-generated variants (implemented only when they are compiled in).</summary>
    partial void SetupSymGrad();

    /// <summary>The summed loss alone.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("function value only", Role.Function, 0)]
    public double Function()
    {
        double[] x1 = _x1, x2 = _x2, y = _y;
        double loss = 0;
        for (int i = 0; i < x1.Length; i++)
        {
            loss += Mlp.Loss(x1[i], x2[i], y[i], _p);
        }

        return loss;
    }

    /// <summary>Hand-written backprop over arrays.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("hand-written reverse mode (backprop, arrays)", Role.HandWritten, 20)]
    public double HandWritten() => MlpKernels.Batch<MlpKernels.HandWritten>(_x1, _x2, _y, _p, _sum);

    /// <summary>Hand-written backprop with the generator's tanh′ and σ′.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("hand-written backprop, fused SymMath.Tanh/Sigmoid(z, out d) (as generated)", Role.Peer, 21)]
    public double HandWrittenStable() => MlpKernels.Batch<MlpKernels.HandWrittenStableDerivative>(_x1, _x2, _y, _p, _sum);

    /// <summary>Central finite differences (211 evaluations per sample).</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("central finite differences (2n+1 = 211 evals)", Role.Peer, 30)]
    public double FiniteDifferences() => MlpKernels.Batch<MlpKernels.FiniteDifferences>(_x1, _x2, _y, _p, _sum);

    /// <summary>Forward-mode dual numbers (105 passes per sample).</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("forward-mode Dual<double> (n = 105 passes)", Role.Peer, 40)]
    public double DualNumbers() => MlpKernels.Batch<MlpKernels.DualNumbers>(_x1, _x2, _y, _p, _sum);
}
