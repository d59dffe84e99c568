using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Validators;
using SymGrad.Benchmarks.Generator;
using SymGrad.Benchmarks.Reporting;
using SymGrad.Benchmarks.Workloads;

namespace SymGrad.Benchmarks;

/// <summary>
/// One command for every SymGrad benchmark: checks all gradients agree, measures generator output size,
/// runs the BenchmarkDotNet suites in-process, runs the Python peers, and writes one ratio table.
/// </summary>
public static class Program
{
    private static readonly Type[] AllSuites =
    [
        typeof(SeedNetSampleBenchmarks),
        typeof(SeedNetRandomSampleBenchmarks),
        typeof(SeedNetBatchBenchmarks),
        typeof(MlpSampleBenchmarks),
        typeof(MlpBatchBenchmarks),
        typeof(LeastSquaresBenchmarks),
        typeof(GmmBenchmarks),
        typeof(LstmBenchmarks),
        typeof(WideMlpBenchmarks),
        typeof(BundleAdjustmentBenchmarks),
        typeof(GeneratorMethodCountBenchmarks),
        typeof(GeneratorChainBenchmarks),
    ];

    /// <summary>The `--only` name of each program-mode suite (`program` selects all five).</summary>
    private static readonly Dictionary<Type, string> ProgramParts = new()
    {
        [typeof(LeastSquaresBenchmarks)] = "lsq",
        [typeof(GmmBenchmarks)] = "gmm",
        [typeof(LstmBenchmarks)] = "lstm",
        [typeof(WideMlpBenchmarks)] = "mlp16",
        [typeof(BundleAdjustmentBenchmarks)] = "ba",
    };

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        var shortOption = new Option<bool>("--short")
        {
            Description = "Short run: a short in-process BenchmarkDotNet job (8 warm-up + 21 measured iterations of ~40 ms) and short Python repeats; well under 10 minutes on 2 cores.",
        };
        var onlyOption = new Option<string[]>("--only")
        {
            Description = "Run only these parts: seed, mlp, lsq, gmm, lstm, mlp16, ba (or program for those five), generator, python (default: all).",
            AllowMultipleArgumentsPerToken = true,
        };
        var pythonOption = new Option<string>("--python")
        {
            Description = "Interpreter for benchmarks/python/peers.py (it needs Debian's python3-torch and python3-sympy).",
            DefaultValueFactory = _ => "/usr/bin/python3",
        };
        var installOption = new Option<bool>("--install-python-peers")
        {
            Description = "Let peers.py apt-get install python3-torch/python3-sympy when missing (root only). Without it missing peers are reported and skipped.",
        };
        var clockOption = new Option<string>("--clock")
        {
            Description = "cpu (default): time is the benchmark thread's CPU time, so pauses while other processes run on a shared machine are not counted; wall: wall-clock time.",
            DefaultValueFactory = _ => "cpu",
        };
        clockOption.AcceptOnlyFromAmong("cpu", "wall");
        var outputOption = new Option<FileInfo?>("--output")
        {
            Description = "Where to write the markdown summary (default: benchmarks/results/summary.md).",
        };
        var root = new RootCommand("SymGrad benchmarks: generated gradients against every alternative a user has.")
        {
            shortOption,
            onlyOption,
            pythonOption,
            installOption,
            clockOption,
            outputOption,
        };
        root.SetAction(parse =>
        {
            var options = new RunOptions(
                parse.GetValue(shortOption),
                parse.GetValue(onlyOption) ?? [],
                parse.GetValue(pythonOption) ?? "/usr/bin/python3",
                parse.GetValue(installOption),
                parse.GetValue(clockOption) != "wall",
                parse.GetValue(outputOption)?.FullName);
            return Run(options);
        });
        return root.Parse(args).Invoke();
    }

    private sealed record RunOptions(bool Short, string[] Only, string Python, bool InstallPythonPeers, bool CpuClock, string? Output)
    {
        public bool Wants(string part) => Only.Length == 0 || Only.Any(o => string.Equals(o, part, StringComparison.OrdinalIgnoreCase));
    }

    private static int Run(RunOptions options)
    {
        var total = Stopwatch.StartNew();
        string repo = RepoPaths.FindRoot();
        string results = Path.Combine(repo, "benchmarks", "results");
        Directory.CreateDirectory(results);
        bool cpuClock = options.CpuClock && ThreadCpuClock.Instance.IsAvailable;
        if (options.CpuClock && !cpuClock)
        {
            Console.WriteLine("Thread CPU-time clock not available here: timing with wall-clock time.");
        }

        var report = new SummaryReport { ShortRun = options.Short, CpuClock = cpuClock };

        // 1. Every gradient must agree before anything is timed.
        Console.WriteLine("== Gradient check (max relative error vs hand-written) ==");
        report.GradientChecks.AddRange(PeerGradientCheck.Run());
        foreach (PeerGradientCheck.Result r in report.GradientChecks)
        {
            Console.WriteLine($"  {r.Model,-11} {r.Method,-30} sample {r.MaxRelErrSample:E2}  batch {r.MaxRelErrBatch:E2}");
        }

        report.SymGradVariantsCompiled = report.GradientChecks.Any(r => r.Method.StartsWith("SymGrad", StringComparison.Ordinal));

        Console.WriteLine("== Program-mode gradient check (max relative error vs hand-written) ==");
        report.ProgramChecks.AddRange(ProgramGradientCheck.Run());
        foreach (ProgramGradientCheck.Result r in report.ProgramChecks)
        {
            Console.WriteLine($"  {r.Model,-7} {r.Method,-36} gradient {r.GradientErr:E2}  value {r.ValueErr:E2}");
            if (r.Exact && !(r.GradientErr <= ProgramGradientCheck.Tolerance && r.ValueErr <= ProgramGradientCheck.Tolerance))
            {
                report.Problems.Add($"{r.Model}: {r.Method} disagrees with the hand-written gradient (gradient {r.GradientErr:E2}, value {r.ValueErr:E2}; tolerance {ProgramGradientCheck.Tolerance:E0}).");
            }
            else if (!r.Exact && !(r.GradientErr <= 1e-4))
            {
                report.Problems.Add($"{r.Model}: the hand-written gradient disagrees with central differences ({r.GradientErr:E2}).");
            }
        }

        // 2. BenchmarkDotNet, in-process: the gradient suites first, in a process that has not loaded Roslyn.
        //    (Running Roslyn first leaves thousands of its methods queued for tier-1 JIT, which delayed the
        //    tier-up of the benchmarked gradient code past the warm-up: a 2x slower, bimodal SymGrad row.)
        ManualConfig config = Config(options.Short, cpuClock, Path.Combine(results, "artifacts"));
        report.JobDescription = options.Short
            ? "BenchmarkDotNet short in-process job (8 warm-up + 21 measured iterations of ~40 ms, InProcessEmitToolchain)"
            : "BenchmarkDotNet default job (adaptive iteration count), in-process (InProcessEmitToolchain)";
        Type[] gradientSuites = AllSuites.Where(t =>
            (t.Name.StartsWith("SeedNet", StringComparison.Ordinal) && options.Wants("seed")) ||
            (t.Name.StartsWith("Mlp", StringComparison.Ordinal) && options.Wants("mlp")) ||
            (ProgramParts.TryGetValue(t, out string? part) && (options.Wants(part) || (options.Only.Length > 0 && options.Wants("program"))))).ToArray();
        RunSuites(gradientSuites, config, report);

        // 3. The generator: first one run per input, which measures the emitted size and compiles it (and
        //    warms Roslyn up), then the generator suites.
        if (options.Wants("generator"))
        {
            Console.WriteLine("== Generator output size ==");
            foreach (int n in new[] { 1, 10, 100 })
            {
                report.Emitted[$"gen/methods/{n}"] = GeneratorInputs.Measure(GeneratorInputs.Methods(n));
            }

            foreach (int d in new[] { 1, 8, 64 })
            {
                report.Emitted[$"gen/chain/{d}"] = GeneratorInputs.Measure(GeneratorInputs.Chain(d));
            }

            foreach ((string key, GeneratorInputs.Emitted e) in report.Emitted)
            {
                Console.WriteLine($"  {key,-16} {e.Chars,9:N0} chars in {e.Files} file(s), {e.GeneratorDiagnostics} diagnostics, {e.CompileErrors} compile errors");
            }

            // Bring Roslyn's code to steady state (tier-1) before timing it: enough runs of every input for
            // its hot methods to pass the call-count threshold, then a pause for the background JIT queue.
            Console.WriteLine("== Warming up Roslyn and the generator ==");
            string[] warmInputs = [.. new[] { 1, 10, 100 }.Select(GeneratorInputs.Methods), .. new[] { 1, 8, 64 }.Select(GeneratorInputs.Chain)];
            foreach (string source in warmInputs)
            {
                Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = GeneratorInputs.Compilation(source);
                for (int i = 0; i < 40; i++)
                {
                    GeneratorInputs.NewDriver().RunGenerators(compilation.Clone());
                }
            }

            System.Threading.Thread.Sleep(TimeSpan.FromSeconds(2));
            RunSuites(AllSuites.Where(t => t.Name.StartsWith("Generator", StringComparison.Ordinal)).ToArray(), config, report);
        }

        // 4. Python peers (after the C# runs: nothing else competes for the 2 cores).
        if (options.Wants("python"))
        {
            string inputs = Path.Combine(results, "artifacts", "peer-inputs.json");
            Directory.CreateDirectory(Path.GetDirectoryName(inputs)!);
            PythonPeers.WriteInputs(inputs);
            report.Python = PythonPeers.Run(options.Python, Path.Combine(repo, "benchmarks", "python", "peers.py"), inputs, options.Short, cpuClock, options.InstallPythonPeers);
        }

        total.Stop();
        report.TotalRunTime = total.Elapsed;
        string markdown = report.ToMarkdown();
        string output = options.Output ?? Path.Combine(results, "summary.md");
        File.WriteAllText(output, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Summary written to {output} (total run time {total.Elapsed:hh\\:mm\\:ss}).");
        foreach (string problem in report.Problems)
        {
            Console.Error.WriteLine($"PROBLEM: {problem}");
        }

        return report.Problems.Count == 0 ? 0 : 1;
    }

    private static void RunSuites(Type[] suites, ManualConfig config, SummaryReport report)
    {
        if (suites.Length == 0)
        {
            return;
        }

        foreach (Summary summary in BenchmarkRunner.Run(suites, config))
        {
            if (summary.HasCriticalValidationErrors)
            {
                foreach (ValidationError error in summary.ValidationErrors)
                {
                    report.Problems.Add($"BenchmarkDotNet validation: {error.Message.Trim()}");
                }
            }

            report.AddBenchmarkDotNet(summary);
        }
    }

    private static ManualConfig Config(bool shortRun, bool cpuClock, string artifacts)
    {
        // Short: few, short iterations (8 warm-up + 21 measured of ~40 ms each). Many short iterations
        // rather than ShortRun's 3 × 500 ms, so the minimum and median survive a shared, noisy machine.
        Job job = shortRun
            ? Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(8)
                .WithIterationCount(21)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(40))
                .WithId("Short-InProcess")
            : Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess");
        if (cpuClock)
        {
            job = job.WithClock(ThreadCpuClock.Instance);
        }

        ManualConfig config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddValidator(JitOptimizationsValidator.FailOnError)
            .AddValidator(ExecutionValidator.FailOnError)
            .WithArtifactsPath(artifacts);
        config.Options |= ConfigOptions.DisableLogFile;
        return config;
    }
}
