using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// How many program-mode cases to run: <c>SYMGRAD_FUZZ_PROGRAM_CASES</c> if set, else <c>SYMGRAD_FUZZ_CASES</c> if set
/// (so the long run, <c>SYMGRAD_FUZZ_CASES=10000</c>, runs 10,000 program-mode cases besides the scalar ones), else
/// <see cref="DefaultCases"/>. The seed is <see cref="FuzzSettings.Seed"/> (<c>SYMGRAD_FUZZ_SEED</c>); batch b is
/// generated from <c>PCG(stream 2,000,000 + b, seed)</c>. <c>SYMGRAD_FUZZ_REPORT</c> names a file that gets the report,
/// <c>SYMGRAD_FUZZ_FAILURES</c> a directory that gets every failing case (unshrunk), <c>SYMGRAD_FUZZ_TRACE</c> a directory
/// that gets the case each thread is checking (to find a case that crashes or hangs the test host);
/// <c>SYMGRAD_FUZZ_SHRINK=0</c> reports failures without shrinking them.
/// </summary>
public sealed record LoopFuzzSettings(int Cases, ulong Seed, int BatchSize, LoopGrammar Grammar)
{
    public const string CasesVariable = "SYMGRAD_FUZZ_PROGRAM_CASES";
    public const string ReportVariable = "SYMGRAD_FUZZ_REPORT";
    public const string FailuresVariable = "SYMGRAD_FUZZ_FAILURES";
    public const string ShrinkVariable = "SYMGRAD_FUZZ_SHRINK";
    public const int DefaultCases = 250;

    public static LoopFuzzSettings Current
    {
        get
        {
            FuzzSettings s = FuzzSettings.Current;
            int cases = DefaultCases;
            foreach (string variable in new[] { FuzzSettings.CasesVariable, CasesVariable })
            {
                if (int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0)
                {
                    cases = n;
                }
            }

            return new LoopFuzzSettings(cases, s.Seed, 50, LoopGrammar.Current);
        }
    }

    public string Reproduce => $"{CasesVariable}={Cases.ToString(CultureInfo.InvariantCulture)} {FuzzSettings.SeedVariable}={Seed.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Runs the program-mode fuzzer: batches in parallel, statistics to the output, shrunk failures in the exception.</summary>
public static class LoopFuzzDriver
{
    public static LoopOutcome Run(LoopFuzzSettings settings, ITestOutputHelper output)
    {
        var clock = Stopwatch.StartNew();
        var total = new LoopOutcome();
        var failures = new ConcurrentQueue<(int Batch, LoopFailure Failure)>();
        int batches = (settings.Cases + settings.BatchSize - 1) / settings.BatchSize;
        Gen<LCase> one = LoopGen.Case(settings.Grammar);
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, b =>
        {
            int n = Math.Min(settings.BatchSize, settings.Cases - (b * settings.BatchSize));
            try
            {
                Gen<LCase[]> gen = LoopGen.Batch(one, n);
                LCase[] batch = gen.Generate(new PCG(2_000_000u + (uint)b, settings.Seed), null, out Size _);
                LoopOutcome o = LoopRunner.Run(batch);
                total.Add(o);
                foreach (LoopFailure f in o.Failures)
                {
                    failures.Enqueue((b, f));
                }
            }
            catch (Exception e)
            {
                failures.Enqueue((b, new LoopFailure(new LCase(-1, null!, default, default, null), "fuzzer crashed", e.ToString())));
            }
        });

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Program-mode fuzzing: {settings.Cases} programs in {batches} compilation(s), {clock.Elapsed.TotalSeconds:F1} s ({settings.Reproduce}).");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  thread time: generator {total.GenerateTime.TotalSeconds:F1} s, compile and load {total.CompileTime.TotalSeconds:F1} s, numeric checks {total.CheckTime.TotalSeconds:F1} s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  value and gradient verified: {total.Verified} programs at {total.PointsVerified} points (MObjective too: {total.ObjectivesVerified}; MBatchGradient: {total.BatchesVerified}); Hessian and H·v verified: {total.HessiansVerified} points");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  reference confirmed by finite differences: {total.OracleChecks} gradients, {total.OracleSecondOrderChecks} H·d");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  compiled and generated but no finite smooth point among the sampled ones: {total.NoSmoothPoint}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  largest |generated − reference| / tolerance on passing comparisons: {total.WorstRatio:G3}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  programs with a fused loop (its adjoint run inside it, iteration by iteration): {total.FusedLoops}; with a buffer filled again in the reverse sweep rather than taped: {total.RecomputedFills}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  CS0219 warnings in generated code tolerated (known bug, SYMGRAD_FUZZ_PROGRAM_ENABLE=warning-cs0219 to fail on them): {total.ToleratedWarnings}");
        sb.AppendLine("  points skipped: " + string.Join(", ", total.Skipped.OrderByDescending(kv => kv.Value).Select(kv => kv.Key + " " + kv.Value.ToString(CultureInfo.InvariantCulture))));
        sb.AppendLine("  diagnostics: " + string.Join(", ", total.DiagnosticIds.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "×" + kv.Value.ToString(CultureInfo.InvariantCulture))));
        sb.AppendLine("  constructs (programs using each): " + string.Join(", ", total.Constructs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + " " + kv.Value.ToString(CultureInfo.InvariantCulture))));
        string disabled = string.Join(", ", settings.Grammar.Disabled.Select(d => d + (LoopGrammar.ExcludedByDefault.TryGetValue(d, out string? why) ? " (" + why + ")" : string.Empty)));
        sb.AppendLine("  constructs off: " + (disabled.Length == 0 ? "none" : disabled));
        var kinds = failures.GroupBy(f => f.Failure.Kind).OrderByDescending(k => k.Count()).ToList();
        sb.AppendLine("  failures: " + failures.Count.ToString(CultureInfo.InvariantCulture) + (kinds.Count == 0 ? string.Empty : " — " + string.Join("; ", kinds.Select(k => k.Key + " ×" + k.Count().ToString(CultureInfo.InvariantCulture)))));
        output.WriteLine(sb.ToString());
        Console.WriteLine(sb.ToString());

        if (!failures.IsEmpty)
        {
            if (Environment.GetEnvironmentVariable(LoopFuzzSettings.FailuresVariable) is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
                foreach (var ((batch, f), i) in failures.Select((f, i) => (f, i)))
                {
                    File.WriteAllText(Path.Combine(dir, "failure-" + i.ToString("D4", CultureInfo.InvariantCulture) + ".txt"), "batch " + batch.ToString(CultureInfo.InvariantCulture) + "\n" + (f.Case.Main is null ? f.Details : LoopRunner.Describe(f)));
                }
            }

            // Each kind's first failures (two of each, twelve at most) are shrunk; one kind may hide several bugs.
            var report = new StringBuilder(sb.ToString());
            bool shrink = Environment.GetEnvironmentVariable(LoopFuzzSettings.ShrinkVariable) != "0";
            var toShrink = kinds.SelectMany(k => k.Take(2).Where(f => shrink && f.Failure.Case.Main is not null)).Take(12).Select(f => f.Failure).ToHashSet();
            var budget = TimeSpan.FromSeconds(Math.Max(15, 180 / Math.Max(1, toShrink.Count)));
            foreach (var kind in kinds)
            {
                report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"==== {kind.Key} ×{kind.Count()} (first in batch {kind.First().Batch}) ====");
                foreach (var (batch, f) in kind.Take(2))
                {
                    if (toShrink.Contains(f))
                    {
                        var (shrunk, failure, steps) = LoopShrinker.Shrink(f, budget);
                        report.AppendLine(CultureInfo.InvariantCulture, $"-- shrunk in {steps} step(s), from batch {batch}:").AppendLine(LoopRunner.Describe(failure with { Case = shrunk }));
                    }
                }

                var (_, first) = kind.First();
                report.AppendLine("-- first original:").AppendLine(first.Case.Main is null ? first.Details : LoopRunner.Describe(first));
            }

            WriteReport(report.ToString());
            output.WriteLine(report.ToString());
            throw new XunitException(report.ToString());
        }

        WriteReport(sb.ToString());
        return total;
    }

    private static void WriteReport(string text)
    {
        if (Environment.GetEnvironmentVariable(LoopFuzzSettings.ReportVariable) is { Length: > 0 } path)
        {
            File.WriteAllText(path, text);
        }
    }
}

/// <summary>
/// Program mode: random methods with arrays/spans, run-time loops, break/continue/return, switch, int arithmetic and
/// buffers must be accepted, and their generated value, gradient, Hessian and H·v must match an independent
/// dual-number interpretation of the same program. See <see cref="LoopFuzzSettings"/> and <see cref="LoopGrammar"/>.
/// </summary>
public sealed class LoopFuzzTests
{
    private readonly ITestOutputHelper _output;

    public LoopFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Program_mode_methods_get_the_right_value_gradient_and_Hessian()
    {
        LoopFuzzDriver.Run(LoopFuzzSettings.Current, _output);
    }
}
