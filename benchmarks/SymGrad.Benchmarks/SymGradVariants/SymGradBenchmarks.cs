using System;
using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Models;
using SymGrad.Benchmarks.Peers;

namespace SymGrad.Benchmarks.Workloads;

/// <summary>The SymGrad-generated variants (compiled only with -p:SymGradVariants=true, the default).</summary>
public partial class SeedNetSampleBenchmarks
{
    private readonly double[] _parameters = new double[SeedNetPeers.ParameterCount];
    private SeedNet.LossSample _sample;

    /// <summary>Generated gradient, Span API.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => SeedNet.LossGradient(_x, _y, _w2, _b2, _w3, _b3, _gradient);

    /// <summary>Generated gradient, readable Partials struct.</summary>
    [Benchmark]
    [Peer("SymGrad generated (LossPartials record struct)", Role.SymGradOther, 11)]
    public double SymGradPartials()
    {
        SeedNet.LossPartials p = SeedNet.LossGradient(_x, _y, _w2, _b2, _w3, _b3);
        return p.Value + p.w2 + p.b2 + p.w3 + p.b3;
    }

    /// <summary>Generated objective as the optimizers call it (generic struct, parameter vector).</summary>
    [Benchmark]
    [Peer("SymGrad generated (LossObjective, as optimizers call it)", Role.SymGradOther, 12)]
    public double SymGradObjective() => ObjectiveCall.ValueAndGradient(default(SeedNet.LossObjective), in _sample, _parameters, _gradient);

    partial void SetupSymGrad()
    {
        _sample = new SeedNet.LossSample(_x, _y);
        Inputs.Shared.SeedParameters.CopyTo(_parameters, 0);
    }
}

/// <summary>The SymGrad-generated variant of the random-sample seed-net workload.</summary>
public partial class SeedNetRandomSampleBenchmarks
{
    /// <summary>Generated gradient, Span API, on the next random sample.</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated()
    {
        ref readonly Inputs.SeedSample s = ref Next();
        return SeedNet.LossGradient(s.X, s.Y, s.W2, s.B2, s.W3, s.B3, _gradient);
    }
}

/// <summary>The SymGrad-generated variants.</summary>
public partial class SeedNetBatchBenchmarks
{
    private SeedNet.LossSample[] _samples = [];

    /// <summary>Generated gradient, Span API.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => SeedKernels.Batch<SymGradSeedKernel>(_x, _y, _p, _sum);

    /// <summary>Generated objective over a sample array, as the optimizers accumulate a mini-batch gradient.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad generated (LossObjective over LossSample[])", Role.SymGradOther, 12)]
    public double SymGradObjective() => ObjectiveCall.Batch(default(SeedNet.LossObjective), _samples, _p, _sum);

    /// <summary>Generated batched gradient: several samples per instruction.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad LossBatchGradient (SIMD, one thread)", Role.SymGradOther, 13)]
    public double SymGradBatched() => SeedNet.LossBatchGradient(_x, _y, _p[0], _p[1], _p[2], _p[3], _sum);

    /// <summary>The runtime's full-batch mean gradient (batched kernel, deterministic chunks on all cores).</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad Gradients.MeanValueAndGradient (SIMD, all cores)", Role.SymGradOther, 14)]
    public double SymGradAllCores() => Gradients.MeanValueAndGradient(default(SeedNet.LossObjective), _samples, _p, _sum);

    /// <summary>A hand-written Vector512 kernel (σ(1 − σ), .NET's vector Exp).</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("hand-written Vector512 kernel (σ(1 − σ), Vector512.Exp)", Role.Peer, 25)]
    public double HandVector512() => SeedNetVectorPeers.HandVector512(_x, _y, _p, _sum);

    partial void SetupSymGrad()
    {
        _samples = new SeedNet.LossSample[_x.Length];
        for (int i = 0; i < _x.Length; i++)
        {
            _samples[i] = new SeedNet.LossSample(_x[i], _y[i]);
        }

        // .NET's Vector512.Exp is CoreLib code: its precompiled version runs until the runtime recompiles it at tier 1,
        // which waits for a pause in other JIT work, and in a process that keeps compiling benchmarks that can come
        // late (the hand-written row then measured 8.6 ns per sample instead of 2.3, minimum and median alike). Warm it
        // and give the tiering thread that pause, so the row times the kernel a warm process runs.
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 100; i++)
            {
                HandVector512();
            }

            System.Threading.Thread.Sleep(200);
        }
    }
}

/// <summary>The SymGrad-generated variants.</summary>
public partial class MlpSampleBenchmarks
{
    private Mlp.LossSample _sample;

    /// <summary>Generated gradient, Span API (105 weights passed as arguments).</summary>
    [Benchmark]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => Mlp.LossGradient(_x1, _x2, _y, _p, _gradient);

    /// <summary>Generated objective as the optimizers call it.</summary>
    [Benchmark]
    [Peer("SymGrad generated (LossObjective, as optimizers call it)", Role.SymGradOther, 12)]
    public double SymGradObjective() => ObjectiveCall.ValueAndGradient(new Mlp.LossObjective(Mlp.ParameterCount), in _sample, _p, _gradient);

    partial void SetupSymGrad()
    {
        _sample = new Mlp.LossSample(_x1, _x2, _y);
    }
}

/// <summary>The SymGrad-generated variants.</summary>
public partial class MlpBatchBenchmarks
{
    private Mlp.LossSample[] _samples = [];

    /// <summary>Generated gradient, Span API.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad generated (Span API)", Role.SymGrad, 10)]
    public double SymGradGenerated() => MlpKernels.Batch<SymGradMlpKernel>(_x1, _x2, _y, _p, _sum);

    /// <summary>Generated objective over a sample array.</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad generated (LossObjective over LossSample[])", Role.SymGradOther, 12)]
    public double SymGradObjective() => ObjectiveCall.Batch(new Mlp.LossObjective(Mlp.ParameterCount), _samples, _p, _sum);

    /// <summary>The runtime's full-batch mean gradient on all cores (the loops make this the per-sample path in chunks).</summary>
    [Benchmark(OperationsPerInvoke = Inputs.BatchSize)]
    [Peer("SymGrad Gradients.MeanValueAndGradient (all cores)", Role.SymGradOther, 14)]
    public double SymGradAllCores() => Gradients.MeanValueAndGradient(new Mlp.LossObjective(Mlp.ParameterCount), _samples, _p, _sum);

    partial void SetupSymGrad()
    {
        _samples = new Mlp.LossSample[_x1.Length];
        for (int i = 0; i < _x1.Length; i++)
        {
            _samples[i] = new Mlp.LossSample(_x1[i], _x2[i], _y[i]);
        }
    }
}

/// <summary>Calls an <see cref="IObjective{TSample}"/> the way the runtime's optimizers do: a generic struct argument.</summary>
public static class ObjectiveCall
{
    /// <summary>One sample.</summary>
    public static double ValueAndGradient<TObjective, TSample>(TObjective objective, in TSample sample, ReadOnlySpan<double> parameters, Span<double> gradient)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct =>
        objective.ValueAndGradient(in sample, parameters, gradient);

    /// <summary>The summed gradient over a sample array.</summary>
    public static double Batch<TObjective, TSample>(TObjective objective, ReadOnlySpan<TSample> samples, ReadOnlySpan<double> parameters, Span<double> sum)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = objective.ParameterCount;
        Span<double> g = stackalloc double[n];
        sum[..n].Clear();
        double loss = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            loss += objective.ValueAndGradient(in samples[i], parameters, g);
            for (int k = 0; k < n; k++)
            {
                sum[k] += g[k];
            }
        }

        return loss;
    }
}
