using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Benchmarks.Workloads;

namespace SymGrad.Benchmarks.Generator;

/// <summary>
/// SymGradGenerator run in-process by a fresh CSharpGeneratorDriver on a file with 1, 10 or 100
/// [Differentiable] methods. Each operation clones the compilation (so no semantic information is
/// cached from the previous run: this is the cost of a first build, not of an IDE keystroke). Roslyn
/// itself is warm (steady state, tier-1 code): the inputs were run once before, and 15 warm-up iterations.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(15)]
[Workload("gen/methods", "generator · file with N [Differentiable] methods", 50)]
public class GeneratorMethodCountBenchmarks
{
    private CSharpCompilation? _compilation;

    /// <summary>Number of methods in the file.</summary>
    [Params(1, 10, 100)]
    public int Methods { get; set; }

    /// <summary>Builds the input compilation.</summary>
    [GlobalSetup]
    public void Setup() => _compilation = GeneratorInputs.Compilation(GeneratorInputs.Methods(Methods));

    /// <summary>One generator run.</summary>
    [Benchmark]
    [Peer("SymGradGenerator, fresh driver", Role.SymGrad, 0)]
    public GeneratorDriver RunGenerator() => GeneratorInputs.NewDriver().RunGenerators(_compilation!.Clone());
}

/// <summary>SymGradGenerator on one method that is a chain of 1, 8 or 64 nested sigmoid layers.</summary>
[MemoryDiagnoser]
[WarmupCount(15)]
[Workload("gen/chain", "generator · chain of depth d sigmoid layers", 60)]
public class GeneratorChainBenchmarks
{
    private CSharpCompilation? _compilation;

    /// <summary>Number of layers.</summary>
    [Params(1, 8, 64)]
    public int Depth { get; set; }

    /// <summary>Builds the input compilation.</summary>
    [GlobalSetup]
    public void Setup() => _compilation = GeneratorInputs.Compilation(GeneratorInputs.Chain(Depth));

    /// <summary>One generator run.</summary>
    [Benchmark]
    [Peer("SymGradGenerator, fresh driver", Role.SymGrad, 0)]
    public GeneratorDriver RunGenerator() => GeneratorInputs.NewDriver().RunGenerators(_compilation!.Clone());
}
