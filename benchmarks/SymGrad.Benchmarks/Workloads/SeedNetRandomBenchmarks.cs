using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Models;
using SymGrad.Benchmarks.Peers;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>
/// Seed-002 network, one sample's gradient per operation, but every call takes the next of 65,536 pre-generated random
/// samples (<see cref="Inputs.SeedRandom"/>: z2 and z3 uniform on [−6, 6], so the sign of each σ argument is a coin
/// flip). Code that branches on the data mispredicts here about half the time; a fixed sample (seed/sample) hides that.
/// 65,536 samples (3 MB, read in order) are far more outcomes than a branch predictor can learn by heart.
/// </summary>
[MemoryDiagnoser]
[Workload("seed/random", "seed net (4 params) · 1 random sample per call (z ∈ [−6, 6])", 15)]
public partial class SeedNetRandomSampleBenchmarks
{
    private const int Mask = Inputs.RandomSeedCount - 1;

    private readonly double[] _gradient = new double[SeedNetPeers.ParameterCount];
    private Inputs.SeedSample[] _samples = [];
    private int _next;

    /// <summary>Loads the random samples.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _samples = Inputs.Shared.SeedRandom;
        _next = 0;
    }

    /// <summary>The loss alone.</summary>
    [Benchmark]
    [Peer("function value only", Role.Function, 0)]
    public double Function()
    {
        ref readonly Inputs.SeedSample s = ref Next();
        return SeedNet.Loss(s.X, s.Y, s.W2, s.B2, s.W3, s.B3);
    }

    /// <summary>Naive hand-written closed form: σ = 1/(1 + Math.Exp(−z)), σ′ = a(1 − a).</summary>
    [Benchmark]
    [Peer("hand-written, naive σ = 1/(1 + Math.Exp(−z)), σ′ = a(1 − a)", Role.HandWritten, 20)]
    public double HandWrittenNaive()
    {
        ref readonly Inputs.SeedSample s = ref Next();
        return SeedNetPeers.HandWrittenNaive(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, _gradient);
    }

    /// <summary>The naive form called, not inlined, as the generated method is.</summary>
    [Benchmark]
    [Peer("the same naive form kept a call ([NoInlining]), as LossGradient is called", Role.Peer, 21)]
    public double HandWrittenNaiveCalled()
    {
        ref readonly Inputs.SeedSample s = ref Next();
        return SeedNetPeers.HandWrittenNaiveCalled(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, _gradient);
    }

    /// <summary>Hand-written closed form with the fused SymMath.Sigmoid, as the generated code computes it, inlined.</summary>
    [Benchmark]
    [Peer("hand-written, fused SymMath.Sigmoid(z, out σ′) (as generated, inlinable)", Role.Peer, 22)]
    public double HandWrittenFused()
    {
        ref readonly Inputs.SeedSample s = ref Next();
        return SeedNetPeers.HandWrittenFusedStable(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, _gradient);
    }

    /// <summary>Hand-written closed form with SymMath.Sigmoid and σ′ = a(1 − a).</summary>
    [Benchmark]
    [Peer("hand-written closed form (SymMath.Sigmoid, σ′ = a(1 − a))", Role.Peer, 23)]
    public double HandWritten()
    {
        ref readonly Inputs.SeedSample s = ref Next();
        return SeedNetPeers.HandWritten(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, _gradient);
    }

    /// <summary>The generated body calling the pre-issue-11 fused sigmoid (branch on the sign of z).</summary>
    [Benchmark]
    [Peer("generated body with the pre-issue-11 SymMath.Sigmoid(z, out σ′) (branches on z ≥ 0; before)", Role.Peer, 24)]
    public double GeneratedBodyPreIssue11()
    {
        ref readonly Inputs.SeedSample s = ref Next();
        return SeedNetPeers.GeneratedBodyPreIssue11(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, _gradient);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref readonly Inputs.SeedSample Next()
    {
        int i = _next;
        _next = (i + 1) & Mask;
        return ref _samples[i];
    }
}
