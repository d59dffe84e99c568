using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Models;
using SymGrad.Benchmarks.Peers;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>Linear least squares, n = 1,000 rows, d = 10: one full-data gradient per operation.</summary>
[MemoryDiagnoser]
[Workload("lsq/call", "least squares (n = 1,000, d = 10; 10 params) · 1 call", 50)]
public partial class LeastSquaresBenchmarks
{
    private readonly double[] _gradient = new double[ProgramInputs.LsqFeatures];
    private readonly ProgramInputs _in = ProgramInputs.Shared;

    /// <summary>The loss alone.</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function() => LeastSquares.Loss(_in.LsqX, _in.LsqY, _in.LsqBeta);

    /// <summary>Hand-written: one pass, residual straight into the gradient.</summary>
    [Benchmark]
    [Peer("hand-written reverse sweep (one pass, spans)", Role.HandWritten, 20)]
    public double HandWritten() => ProgramPeers.LeastSquares(_in.LsqX, _in.LsqY, _in.LsqBeta, _gradient);
}

/// <summary>ADBench-style GMM objective, d = 4, K = 8, n = 1,000.</summary>
[MemoryDiagnoser]
[Workload("gmm/call", "GMM log-likelihood (d = 4, K = 8, n = 1,000; 120 params) · 1 call", 60)]
public partial class GmmBenchmarks
{
    private readonly double[] _gradient = new double[ProgramInputs.GmmParameterCount];
    private readonly ProgramInputs _in = ProgramInputs.Shared;

    /// <summary>The objective alone.</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function() => Gmm.Objective(_in.GmmX, ProgramInputs.GmmD, ProgramInputs.GmmK, ProgramInputs.GmmGamma, ProgramInputs.GmmM, _in.GmmW);

    /// <summary>Hand-written reverse sweep.</summary>
    [Benchmark]
    [Peer("hand-written reverse sweep (stack buffers, softmax weights reused)", Role.HandWritten, 20)]
    public double HandWritten() => ProgramPeers.Gmm(_in.GmmX, ProgramInputs.GmmD, ProgramInputs.GmmK, ProgramInputs.GmmGamma, ProgramInputs.GmmM, _in.GmmW, _gradient);
}

/// <summary>One-layer LSTM, H = 8, D = 4, T = 30.</summary>
[MemoryDiagnoser]
[Workload("lstm/call", "LSTM (H = 8, D = 4, T = 30; 425 params) · 1 sequence", 70)]
public partial class LstmBenchmarks
{
    private readonly double[] _gradient = new double[ProgramInputs.LstmParameterCount];
    private readonly double[] _scratch = new double[ProgramPeers.LstmScratchLength(ProgramInputs.LstmSteps, ProgramInputs.LstmHidden)];
    private readonly ProgramInputs _in = ProgramInputs.Shared;

    /// <summary>The loss alone.</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function() => Lstm.Loss(_in.LstmX, _in.LstmY, ProgramInputs.LstmHidden, _in.LstmW);

    /// <summary>Hand-written backpropagation through time.</summary>
    [Benchmark]
    [Peer("hand-written BPTT (activations kept in a caller-owned buffer)", Role.HandWritten, 20)]
    public double HandWritten() => ProgramPeers.Lstm(_in.LstmX, _in.LstmY, ProgramInputs.LstmHidden, _in.LstmW, _gradient, _scratch);
}

/// <summary>16-64-64-1 tanh network, one sample.</summary>
[MemoryDiagnoser]
[Workload("mlp16/sample", "16-64-64-1 net (5,313 params) · 1 sample", 80)]
public partial class WideMlpBenchmarks
{
    private readonly double[] _gradient = new double[WideMlp.ParameterCount];
    private readonly ProgramInputs _in = ProgramInputs.Shared;

    /// <summary>The loss alone.</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function() => WideMlp.Loss(_in.WideX, _in.WideY, _in.WideW);

    /// <summary>Hand-written backprop.</summary>
    [Benchmark]
    [Peer("hand-written backprop (stack buffers, span rows)", Role.HandWritten, 20)]
    public double HandWritten() => ProgramPeers.WideMlp(_in.WideX, _in.WideY, _in.WideW, _gradient);
}

/// <summary>ADBench's bundle-adjustment reprojection cost, one observation (θ ≠ 0: the full Rodrigues branch).</summary>
[MemoryDiagnoser]
[Workload("ba/observation", "bundle adjustment (ADBench reprojection error², θ ≠ 0; 15 params) · 1 observation", 90)]
public partial class BundleAdjustmentBenchmarks
{
    private readonly double[] _gradient = new double[BundleAdjustment.ParameterCount];
    private readonly double[] _camera = (double[])ProgramInputs.BaCamera.Clone();
    private readonly double[] _point = (double[])ProgramInputs.BaPoint.Clone();
    private readonly double _weight = ProgramInputs.BaWeight;

    /// <summary>The cost alone.</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function() => BundleAdjustment.Cost(_camera, _point, _weight, ProgramInputs.BaFeatX, ProgramInputs.BaFeatY);

    /// <summary>Hand-written reverse sweep.</summary>
    [Benchmark]
    [Peer("hand-written reverse sweep (locals, one forward and one reverse pass, SinCos)", Role.HandWritten, 20)]
    public double HandWritten() => ProgramPeers.BundleAdjustment(_camera, _point, _weight, ProgramInputs.BaFeatX, ProgramInputs.BaFeatY, _gradient);

    /// <summary>Diagnostic: the hand-written sweep with Math.Sin and Math.Cos separately, as the model calls them.</summary>
    [Benchmark]
    [Peer("hand-written, Math.Sin and Math.Cos separately (as the model)", Role.Peer, 30)]
    public double HandWrittenSeparateSinCos() => ProgramPeers.BundleAdjustmentSeparateSinCos(_camera, _point, _weight, ProgramInputs.BaFeatX, ProgramInputs.BaFeatY, _gradient);
}
