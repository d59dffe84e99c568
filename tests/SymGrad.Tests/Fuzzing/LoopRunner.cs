using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Generator;
using SymGrad.Tests.Infrastructure;

namespace SymGrad.Tests.Fuzzing;

/// <summary>Why one program-mode case failed: a short kind (what the shrinker preserves), the details, the failing point.</summary>
public sealed record LoopFailure(LCase Case, string Kind, string Details, int Point = -1);

/// <summary>What a batch of program-mode cases did.</summary>
public sealed class LoopOutcome
{
    public List<LoopFailure> Failures { get; } = new();

    public int Cases { get; set; }

    /// <summary>Cases whose value and gradient were compared with the reference at one point or more.</summary>
    public int Verified { get; set; }

    public int NoSmoothPoint { get; set; }

    public int PointsVerified { get; set; }

    public int HessiansVerified { get; set; }

    public int ObjectivesVerified { get; set; }

    public int BatchesVerified { get; set; }

    /// <summary>CS0219 warnings in generated code, tolerated while that bug is open.</summary>
    public int ToleratedWarnings { get; set; }

    /// <summary>Cases whose generated code has a fused loop (a loop's adjoint run inside it; see Emit/ProgramEmitter.Fused).</summary>
    public int FusedLoops { get; set; }

    /// <summary>Cases whose generated code fills a buffer again in the reverse sweep instead of taping it (see Emit/ProgramEmitter.Recompute).</summary>
    public int RecomputedFills { get; set; }

    /// <summary>Points where finite differences confirmed the dual-number reference (gradient, and H·d for Hessian cases).</summary>
    public int OracleChecks { get; set; }

    public int OracleSecondOrderChecks { get; set; }

    /// <summary>Largest |generated − reference| / tolerance seen on passing comparisons (how close the tolerance is).</summary>
    public double WorstRatio { get; set; }

    public Dictionary<string, int> DiagnosticIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Thread time in the generator, in compiling and loading, and in the numeric checks.</summary>
    public TimeSpan GenerateTime { get; set; }

    public TimeSpan CompileTime { get; set; }

    public TimeSpan CheckTime { get; set; }

    public Dictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Constructs { get; } = new(StringComparer.Ordinal);

    public void Skip(string why) => Skipped[why] = Skipped.GetValueOrDefault(why) + 1;

    public void Add(LoopOutcome o)
    {
        lock (this)
        {
            Failures.AddRange(o.Failures);
            Cases += o.Cases;
            Verified += o.Verified;
            NoSmoothPoint += o.NoSmoothPoint;
            PointsVerified += o.PointsVerified;
            HessiansVerified += o.HessiansVerified;
            ObjectivesVerified += o.ObjectivesVerified;
            BatchesVerified += o.BatchesVerified;
            ToleratedWarnings += o.ToleratedWarnings;
            FusedLoops += o.FusedLoops;
            RecomputedFills += o.RecomputedFills;
            OracleChecks += o.OracleChecks;
            OracleSecondOrderChecks += o.OracleSecondOrderChecks;
            WorstRatio = Math.Max(WorstRatio, o.WorstRatio);
            GenerateTime += o.GenerateTime;
            CompileTime += o.CompileTime;
            CheckTime += o.CheckTime;
            foreach (var (k, v) in o.DiagnosticIds)
            {
                DiagnosticIds[k] = DiagnosticIds.GetValueOrDefault(k) + v;
            }

            foreach (var (k, v) in o.Skipped)
            {
                Skipped[k] = Skipped.GetValueOrDefault(k) + v;
            }

            foreach (var (k, v) in o.Constructs)
            {
                Constructs[k] = Constructs.GetValueOrDefault(k) + v;
            }
        }
    }
}

/// <summary>
/// Runs program-mode cases: all cases of a batch in one compilation (one file and type per case), the generator once,
/// one emit and load, then each case on its own. A case must be accepted without errors, its generated code must
/// compile without warnings, and at points where the function is finite and smooth (the same decisions under ulp-level
/// noise and under small parameter perturbations) the generated value must match the method, and the gradient, the
/// Hessian and the Hessian-vector product must match the dual-number reference of <see cref="LoopEvaluator"/>, within a
/// tolerance from the reference's own rounding sensitivity. Finite differences check the reference itself.
/// </summary>
public static class LoopRunner
{
    private const double Eps = 2.220446049250313E-16;
    private static readonly Regex CaseInHint = new(@"(?:^|\.)L(\d+)\.", RegexOptions.CultureInvariant);
    private static int s_contexts;

    private static readonly bool StrictCs0219 = LoopGrammar.Current.On("warning-cs0219");

    /// <summary>
    /// C# preview of the tests' Roslyn 4.11 (C# 13 features, which the .NET 10 SDK's compiler has): with "latest",
    /// foreach over a span does not compile against the .NET 10 reference assemblies (CS8652, ref struct interfaces).
    /// </summary>
    private static readonly CSharpParseOptions ParseOptions = GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.Preview);

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: path, encoding: Encoding.UTF8);

    private sealed class Generated
    {
        public required CSharpCompilation Input { get; init; }

        public required CSharpCompilation Output { get; init; }

        public required ImmutableArray<Diagnostic> Diagnostics { get; init; }

        public required Exception? Exception { get; init; }

        public required Dictionary<int, List<SyntaxTree>> Trees { get; init; }
    }

    private static Generated Generate(IReadOnlyList<LCase> cases)
    {
        var trees = cases.Select(c => Parse(LText.Source(c), c.FilePath)).ToArray();
        var input = CSharpCompilation.Create(
            "SymGrad.LoopFuzz." + Interlocked.Increment(ref s_contexts).ToString(CultureInfo.InvariantCulture),
            trees,
            GeneratorHarness.References,
            GeneratorHarness.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new SymGradGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        var byCase = new Dictionary<int, List<SyntaxTree>>();
        foreach (GeneratedSourceResult s in run.Results.SelectMany(r => r.GeneratedSources))
        {
            Match m = CaseInHint.Match(s.HintName);
            int index = m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
            if (!byCase.TryGetValue(index, out List<SyntaxTree>? list))
            {
                byCase[index] = list = new List<SyntaxTree>();
            }

            list.Add(s.SyntaxTree);
        }

        return new Generated
        {
            Input = input,
            Output = (CSharpCompilation)output,
            Diagnostics = diagnostics.Concat(run.Diagnostics).Distinct().ToImmutableArray(),
            Exception = run.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null),
            Trees = byCase,
        };
    }

    private static int CaseOf(Diagnostic d, IReadOnlyList<LCase> cases)
    {
        string? path = d.Location.SourceTree?.FilePath ?? (d.Location.Kind == LocationKind.ExternalFile ? d.Location.GetLineSpan().Path : null);
        if (path is null)
        {
            return -1;
        }

        foreach (LCase c in cases)
        {
            if (path == c.FilePath || path == "W" + c.FilePath)
            {
                return c.Index;
            }
        }

        Match m = CaseInHint.Match(Path.GetFileName(path));
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    private static bool IsError(Diagnostic d) => d.Severity == DiagnosticSeverity.Error;

    private static string Codes(IEnumerable<Diagnostic> ds) => " (" + string.Join(",", ds.Select(d => d.Id).Distinct().OrderBy(x => x, StringComparer.Ordinal)) + ")";

    private static List<Diagnostic> InputErrors(Generated g, LCase c)
    {
        SyntaxTree tree = g.Input.SyntaxTrees.First(t => t.FilePath == c.FilePath);
        return g.Input.GetSemanticModel(tree).GetDiagnostics().Where(IsError).ToList();
    }

    /// <summary>Generates, compiles and checks a batch of cases.</summary>
    public static LoopOutcome Run(IReadOnlyList<LCase> cases)
    {
        var outcome = new LoopOutcome { Cases = cases.Count };
        foreach (LCase c in cases)
        {
            foreach (string k in LoopStats.Constructs(c))
            {
                outcome.Constructs[k] = outcome.Constructs.GetValueOrDefault(k) + 1;
            }
        }

        if (Environment.GetEnvironmentVariable("SYMGRAD_FUZZ_TRACE") is { Length: > 0 } traceDir && cases.Count == 1)
        {
            // A single case (the shrinker's candidates): the generator itself could be what crashes.
            File.WriteAllText(Path.Combine(traceDir, "generating-" + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture) + ".cs"), LText.Source(cases[0]));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Generated g = Generate(cases);
        outcome.GenerateTime += clock.Elapsed;
        clock.Restart();
        if (g.Exception is not null)
        {
            foreach (LCase c in cases)
            {
                Generated one = Generate(new[] { c });
                if (one.Exception is not null)
                {
                    outcome.Failures.Add(new LoopFailure(c, "generator exception", one.Exception.ToString()));
                }
            }

            if (outcome.Failures.Count == 0)
            {
                outcome.Failures.Add(new LoopFailure(cases[0], "generator exception (batch only)", g.Exception.ToString()));
            }

            return outcome;
        }

        var ok = new HashSet<int>();
        foreach (LCase c in cases)
        {
            var diags = g.Diagnostics.Where(d => CaseOf(d, cases) == c.Index).ToList();
            foreach (Diagnostic d in diags)
            {
                outcome.DiagnosticIds[d.Id] = outcome.DiagnosticIds.GetValueOrDefault(d.Id) + 1;
            }

            var errors = diags.Where(IsError).ToList();
            if (errors.Count > 0 && InputErrors(g, c) is { Count: > 0 } invalid)
            {
                // An invalid program (the fuzzer's or the shrinker's fault) explains any diagnostic. (Invalid programs
                // the generator accepts show up as errors in the case's own file when everything is compiled below.)
                outcome.Failures.Add(new LoopFailure(c, "fuzzer produced invalid C#" + Codes(invalid), GeneratorHarness.Format(invalid)));
                continue;
            }

            if (errors.Count > 0)
            {
                outcome.Failures.Add(new LoopFailure(c, "supported program rejected" + Codes(errors), GeneratorHarness.Format(errors)));
                continue;
            }

            if (!g.Trees.ContainsKey(c.Index))
            {
                outcome.Failures.Add(new LoopFailure(c, "no generated source", "The generator reported no error but generated nothing for the case."));
                continue;
            }

            ok.Add(c.Index);
        }

        foreach (Diagnostic d in g.Diagnostics.Where(d => CaseOf(d, cases) < 0))
        {
            outcome.Failures.Add(new LoopFailure(cases[0], "diagnostic without a case location", d.ToString()));
        }

        outcome.FusedLoops += g.Trees.Count(kv => kv.Key >= 0 && kv.Value.Any(t => t.ToString().Contains("each iteration's adjoint runs right after it", StringComparison.Ordinal)));
        outcome.RecomputedFills += g.Trees.Count(kv => kv.Key >= 0 && kv.Value.Any(t => t.ToString().Contains("computed again rather than saved on the tape", StringComparison.Ordinal)));
        Assembly? assembly = null;
        AssemblyLoadContext? context = null;
        for (int attempt = 0; attempt < 4 && ok.Count > 0; attempt++)
        {
            // Cases that failed already leave the compilation entirely (their generated code and their own file).
            var removed = g.Trees.Where(kv => !ok.Contains(kv.Key)).SelectMany(kv => kv.Value)
                .Concat(g.Output.SyntaxTrees.Where(t => cases.Any(c => !ok.Contains(c.Index) && t.FilePath == c.FilePath)))
                .ToArray();
            CSharpCompilation compilation = g.Output.RemoveSyntaxTrees(removed)
                .AddSyntaxTrees(cases.Where(c => ok.Contains(c.Index)).Select(c => Parse(Wrapper(c), "W" + c.FilePath)));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (!StrictCs0219)
            {
                // A known generator bug (see LoopGrammar.ExcludedByDefault["warning-cs0219"]): counted, not failed.
                int tolerated = problems.Count(d => d.Id == "CS0219" && d.Location.SourceTree is { } t && g.Trees.Values.Any(l => l.Contains(t)));
                if (attempt == 0)
                {
                    outcome.ToleratedWarnings += tolerated;
                }

                problems.RemoveAll(d => d.Id == "CS0219" && d.Location.SourceTree is { } t && g.Trees.Values.Any(l => l.Contains(t)));
            }

            bool retry = false;
            foreach (var group in problems.GroupBy(d => CaseOf(d, cases)))
            {
                LCase? c = cases.FirstOrDefault(x => x.Index == group.Key);
                if (c is null)
                {
                    if (group.Any(IsError))
                    {
                        outcome.Failures.Add(new LoopFailure(cases[0], "compile error outside any case", GeneratorHarness.Format(group)));
                    }

                    continue;
                }

                var inGenerated = group.Where(d => d.Location.SourceTree is { } t && g.Trees.GetValueOrDefault(c.Index)?.Contains(t) == true).ToList();
                var inWrapper = group.Where(d => d.Location.SourceTree?.FilePath == "W" + c.FilePath && IsError(d)).ToList();
                var inInput = group.Where(d => d.Location.SourceTree?.FilePath == c.FilePath && IsError(d)).ToList();
                string generated = string.Join("\n", g.Trees.GetValueOrDefault(c.Index, new()).Select(t => t.ToString()));
                if (inInput.Count > 0)
                {
                    outcome.Failures.Add(new LoopFailure(c, "fuzzer produced invalid C#" + Codes(inInput), GeneratorHarness.Format(inInput)));
                }
                else if (inGenerated.Count > 0)
                {
                    string kind = (inGenerated.Any(IsError) ? "generated code does not compile" : "generated code has warnings") + Codes(inGenerated);
                    outcome.Failures.Add(new LoopFailure(c, kind, GeneratorHarness.Format(inGenerated) + "Generated:\n" + generated));
                }
                else if (inWrapper.Count > 0)
                {
                    outcome.Failures.Add(new LoopFailure(c, "generated API differs from what the fuzzer expects" + Codes(inWrapper), GeneratorHarness.Format(inWrapper) + "Wrapper:\n" + Wrapper(c) + "Generated:\n" + generated));
                }
                else
                {
                    continue;
                }

                retry |= group.Any(IsError);
                ok.Remove(c.Index);
            }

            if (result.Success && !retry)
            {
                stream.Position = 0;
                context = new AssemblyLoadContext("SymGrad.LoopFuzz." + Interlocked.Increment(ref s_contexts).ToString(CultureInfo.InvariantCulture), isCollectible: true);
                assembly = context.LoadFromStream(stream);
                break;
            }
        }

        outcome.CompileTime += clock.Elapsed;
        clock.Restart();
        try
        {
            if (assembly is not null)
            {
                foreach (LCase c in cases.Where(c => ok.Contains(c.Index)))
                {
                    try
                    {
                        if (Environment.GetEnvironmentVariable("SYMGRAD_FUZZ_TRACE") is { Length: > 0 } trace)
                        {
                            // Where a crash (stack overflow, out of memory, a hang) happened: the case being checked, per thread.
                            File.WriteAllText(Path.Combine(trace, "case-" + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture) + ".cs"), LText.Source(c) + "\n// points: " + string.Join(" | ", c.Points.Select(p => p.Describe(c.Main))) + "\n");
                        }

                        CheckNumbers(c, assembly, outcome);
                    }
                    catch (LoopEvaluator.FuzzerBugException e) when (e.Message.StartsWith("more than", StringComparison.Ordinal))
                    {
                        // Loops whose trip counts multiply past the reference interpreter's budget: valid, just too long to check.
                        outcome.Skip("the reference run exceeds its step budget");
                    }
                    catch (LoopEvaluator.FuzzerBugException e) when (e.Message.StartsWith("int overflow", StringComparison.Ordinal))
                    {
                        // C# wraps an overflowing int silently; the reference interpreter does not model that, so it cannot check.
                        outcome.Skip("an int overflows (C# wraps; the reference does not)");
                    }
                    catch (LoopEvaluator.FuzzerBugException e)
                    {
                        outcome.Failures.Add(new LoopFailure(c, "fuzzer bug: " + e.Message, e.ToString()));
                    }
                }
            }
        }
        finally
        {
            context?.Unload();
            outcome.CheckTime += clock.Elapsed;
        }

        return outcome;
    }

    // ------------------------------------------------------------------ calling the generated code

    private static string Cast(LParam p, int i)
    {
        string at = "p[" + i.ToString(CultureInfo.InvariantCulture) + "]";
        return p.TypeText switch
        {
            "double" => "(double)" + at,
            "int" => "(int)" + at,
            "long" => "(long)" + at,
            "bool" => "(bool)" + at,
            _ => "(" + (p.Element == LType.Int ? "int" : "double") + "[])" + at,
        };
    }

    /// <summary>Entry points inside the case's type (so private methods work): value, gradient, Hessian, H·v, objective.</summary>
    public static string Wrapper(LCase c)
    {
        LMethod m = c.Main;
        var sb = new StringBuilder("#nullable enable\n");
        if (c.Namespace is not null)
        {
            sb.Append("namespace ").Append(c.Namespace).Append(";\n");
        }

        sb.Append("public static partial class ").Append(c.TypeName).Append("\n{\n");
        string args = string.Join(", ", m.Params.Select((p, i) => Cast(p, i)));
        string sep = args.Length > 0 ? ", " : string.Empty;
        sb.Append("    internal static double __V(object[] p) => ").Append(m.Name).Append('(').Append(args).Append(");\n");
        sb.Append("    internal static double __G(object[] p, double[] g) => ").Append(m.Name).Append("Gradient(").Append(args).Append(sep).Append("g);\n");
        if (m.Hessian)
        {
            sb.Append("    internal static double __H(object[] p, double[] g, double[] h) => ").Append(m.Name).Append("Hessian(").Append(args).Append(sep).Append("g, h);\n");
            sb.Append("    internal static double __HV(object[] p, double[] v, double[] g, double[] hv) => ").Append(m.Name).Append("HessianVectorProduct(").Append(args).Append(sep).Append("v, g, hv);\n");
        }

        List<int> wrt = m.Differentiated();
        var data = Enumerable.Range(0, m.Params.Length).Where(i => !wrt.Contains(i)).ToList();
        string lengths = string.Join(", ", wrt.Where(i => m.Params[i].IsArray).Select(i => "((double[])p[" + i.ToString(CultureInfo.InvariantCulture) + "]).Length"));
        string sample = data.Count == 0 ? "default(global::SymGrad.NoData)" : "new " + m.Name + "Sample(" + string.Join(", ", data.Select(i => Cast(m.Params[i], i))) + ")";
        sb.Append("    internal static double __O(object[] p, double[] flat, double[] g) => new ").Append(m.Name).Append("Objective(").Append(lengths).Append(").ValueAndGradient(").Append(sample).Append(", flat, g);\n");
        if (HasBatch(m))
        {
            // MBatchGradient over 11 copies of the point's data (8 in a vector, 3 in the scalar tail).
            string columns = string.Join(", ", data.Select(i => "global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Repeat(" + Cast(m.Params[i], i) + ", " + BatchCopies.ToString(CultureInfo.InvariantCulture) + "))"));
            string weights = string.Join(", ", wrt.Select(i => Cast(m.Params[i], i)));
            sb.Append("    internal static double __B(object[] p, double[] g) => ").Append(m.Name).Append("BatchGradient(").Append(columns).Append(", ").Append(weights).Append(", g);\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private const int BatchCopies = 11;

    /// <summary>Whether the method gets MBatchGradient: data parameters, all of them doubles.</summary>
    private static bool HasBatch(LMethod m)
    {
        List<int> wrt = m.Differentiated();
        var data = Enumerable.Range(0, m.Params.Length).Where(i => !wrt.Contains(i)).ToList();
        return data.Count > 0 && data.All(i => m.Params[i].TypeText == "double");
    }

    /// <summary>The flat differentiated vector of a point (the gradient's layout).</summary>
    public static double[] Flat(LMethod m, IReadOnlyList<object> args)
    {
        var flat = new List<double>();
        foreach (int i in m.Differentiated())
        {
            if (args[i] is double[] a)
            {
                flat.AddRange(a);
            }
            else
            {
                flat.Add((double)args[i]);
            }
        }

        return flat.ToArray();
    }

    /// <summary>The point with its differentiated slots replaced by <paramref name="flat"/>.</summary>
    public static object[] WithFlat(LMethod m, IReadOnlyList<object> args, double[] flat)
    {
        object[] r = args.Select(a => a switch
        {
            double[] d => (object)(double[])d.Clone(),
            int[] i => (int[])i.Clone(),
            _ => a,
        }).ToArray();
        int k = 0;
        foreach (int i in m.Differentiated())
        {
            if (r[i] is double[] a)
            {
                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = flat[k++];
                }
            }
            else
            {
                r[i] = flat[k++];
            }
        }

        return r;
    }

    // ------------------------------------------------------------------ numbers

    private sealed class Entry
    {
        public required Func<object[], double> Value { get; init; }

        public required Func<object[], double[], double> Gradient { get; init; }

        public Func<object[], double[], double[], double>? Hessian { get; init; }

        public Func<object[], double[], double[], double[], double>? Hvp { get; init; }

        public required Func<object[], double[], double[], double> Objective { get; init; }

        public Func<object[], double[], double>? Batch { get; init; }
    }

    private static void CheckNumbers(LCase c, Assembly assembly, LoopOutcome outcome)
    {
        Type type = assembly.GetType(c.MetadataName, throwOnError: true)!;
        T D<T>(string name) where T : Delegate =>
            (T)type.GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.CreateDelegate(typeof(T));
        var entry = new Entry
        {
            Value = D<Func<object[], double>>("__V"),
            Gradient = D<Func<object[], double[], double>>("__G"),
            Hessian = c.Main.Hessian ? D<Func<object[], double[], double[], double>>("__H") : null,
            Hvp = c.Main.Hessian ? D<Func<object[], double[], double[], double[], double>>("__HV") : null,
            Objective = D<Func<object[], double[], double[], double>>("__O"),
            Batch = HasBatch(c.Main) ? D<Func<object[], double[], double>>("__B") : null,
        };

        int accepted = 0;
        bool hessianDone = false;
        bool oracleDone = false;
        for (int pi = 0; pi < c.Points.Length && accepted < 2; pi++)
        {
            bool wantHessian = c.Main.Hessian && !hessianDone;
            PointResult r = CheckPoint(c, pi, entry, wantHessian, !oracleDone, outcome);
            if (r == PointResult.Failed)
            {
                return;
            }

            if (r == PointResult.Verified)
            {
                accepted++;
                oracleDone = true;
                hessianDone |= wantHessian;
            }
        }

        if (accepted > 0)
        {
            outcome.Verified++;
        }
        else
        {
            outcome.NoSmoothPoint++;
        }
    }

    private enum PointResult
    {
        Skipped,
        Verified,
        Failed,
    }

    private static PointResult CheckPoint(LCase c, int pi, Entry entry, bool hessian, bool oracle, LoopOutcome outcome)
    {
        LMethod m = c.Main;
        LPoint point = c.Points[pi];
        string at = "at (" + point.Describe(m) + ")";
        LoopFailure Fail(string kind, string details) => new(c, kind, at + ": " + details, pi);

        // The evaluator first: it stops an endless loop (a fuzzer bug) that the compiled method would hang in.
        int order = hessian ? 2 : 1;
        LoopEvaluator.Result clean = new LoopEvaluator(c, order).Run(point.Args);
        double v0;
        try
        {
            v0 = entry.Value(point.Copy());
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException)
        {
            if (clean.Error is null)
            {
                outcome.Failures.Add(Fail("fuzzer evaluator does not throw where C# does", e.ToString()));
                return PointResult.Failed;
            }

            outcome.Skip("the method throws");
            return PointResult.Skipped;
        }
        catch (IndexOutOfRangeException e)
        {
            outcome.Failures.Add(Fail("fuzzer bug: index out of range in the method itself", e.ToString()));
            return PointResult.Failed;
        }

        if (clean.Error is not null)
        {
            outcome.Failures.Add(Fail("fuzzer evaluator throws where C# does not", clean.Error.ToString()));
            return PointResult.Failed;
        }

        if (BitConverter.DoubleToInt64Bits(clean.Value.V) != BitConverter.DoubleToInt64Bits(v0) && !(clean.Value.V == 0 && v0 == 0) && !(double.IsNaN(v0) && double.IsNaN(clean.Value.V)))
        {
            outcome.Failures.Add(Fail("fuzzer evaluator disagrees with C#", $"C# {v0:R}, evaluator {clean.Value.V:R}"));
            return PointResult.Failed;
        }

        if (clean.NonFinite)
        {
            outcome.Skip("not finite");
            return PointResult.Skipped;
        }

        int n = clean.Dimension;
        double[] refG = clean.Value.G ?? new double[n];
        double[] refH = clean.Value.H ?? new double[n * n];

        // Rounding sensitivity of the reference (its spread under ulp-level noise) and distance from every boundary.
        double spreadV = 0;
        var spreadG = new double[n];
        var spreadH = new double[n * n];
        var noise = new Random((c.Index * 7919) + (pi * 104729) + (int)(BitConverter.DoubleToInt64Bits(v0) & 0xffff));
        for (int run = 0; run < 3; run++)
        {
            LoopEvaluator.Result r = new LoopEvaluator(c, order, noise).Run(point.Args);
            if (r.Error is not null || r.NonFinite || !r.Signature.AsSpan().SequenceEqual(clean.Signature))
            {
                outcome.Skip("near a boundary (rounding noise)");
                return PointResult.Skipped;
            }

            spreadV = Math.Max(spreadV, Math.Abs(r.Value.V - clean.Value.V));
            for (int j = 0; j < n; j++)
            {
                spreadG[j] = Math.Max(spreadG[j], Math.Abs((r.Value.G?[j] ?? 0) - refG[j]));
            }

            if (hessian)
            {
                for (int j = 0; j < n * n; j++)
                {
                    spreadH[j] = Math.Max(spreadH[j], Math.Abs((r.Value.H?[j] ?? 0) - refH[j]));
                }
            }
        }

        double[] x = Flat(m, point.Args);
        for (int run = 0; run < 2 && n > 0; run++)
        {
            double[] y = x.Select(v => v + (((noise.NextDouble() * 2) - 1) * 1e-7 * Math.Max(1, Math.Abs(v)))).ToArray();
            LoopEvaluator.Result r = new LoopEvaluator(c, 0).Run(WithFlat(m, point.Args, y));
            if (r.Error is not null || !r.Signature.AsSpan().SequenceEqual(clean.Signature))
            {
                outcome.Skip("near a boundary (perturbed parameters)");
                return PointResult.Skipped;
            }
        }

        if (oracle && n > 0 && !CheckOracle(c, pi, at, x, refG, hessian ? refH : null, clean, entry, outcome))
        {
            return PointResult.Failed;
        }

        // The gradient: the span is longer than the layout (NaN beyond it must stay NaN) and starts as NaN.
        object[] args = point.Copy();
        var g = new double[n + 2];
        Array.Fill(g, double.NaN);
        double vg;
        try
        {
            vg = entry.Gradient(args, g);
        }
        catch (Exception e)
        {
            outcome.Failures.Add(Fail("generated gradient throws", e.ToString()));
            return PointResult.Failed;
        }

        if (!SameArgs(args, point))
        {
            outcome.Failures.Add(Fail("generated gradient modifies its arguments", "after the call: " + new LPoint(args.ToImmutableArray()).Describe(m)));
            return PointResult.Failed;
        }

        if (!double.IsNaN(g[n]) || !double.IsNaN(g[n + 1]))
        {
            outcome.Failures.Add(Fail("gradient written beyond its layout", $"gradient[{n}] = {g[n]:R}, gradient[{n + 1}] = {g[n + 1]:R}"));
            return PointResult.Failed;
        }

        double valueTol = (16 * spreadV) + (8 * Eps * Math.Abs(v0));
        if (!(Math.Abs(vg - v0) <= valueTol))
        {
            outcome.Failures.Add(Fail("value differs from the method's", $"method {v0:R}, generated {vg:R} (|diff| {Math.Abs(vg - v0):E3}, tolerance {valueTol:E3})"));
            return PointResult.Failed;
        }

        double gScale = refG.Length == 0 ? 0 : refG.Max(Math.Abs);
        string[] names = SlotNames(m, point.Args);
        for (int j = 0; j < n; j++)
        {
            double tol = Tolerance(refG[j], spreadG[j], gScale);
            double diff = Math.Abs(g[j] - refG[j]);
            if (!(diff <= tol))
            {
                string kind = double.IsFinite(g[j]) ? "gradient differs from the reference" : "gradient not finite where the function is smooth";
                outcome.Failures.Add(Fail(kind, $"∂/∂{names[j]} generated {g[j]:R}, reference {refG[j]:R} (|diff| {diff:E3}, tolerance {tol:E3})\n" + Vectors("generated", g.AsSpan(0, n).ToArray(), "reference", refG, names)));
                return PointResult.Failed;
            }

            outcome.WorstRatio = Math.Max(outcome.WorstRatio, tol > 0 ? diff / tol : 0);
        }

        // MObjective over the flat vector is the same call.
        var og = new double[n];
        double vo;
        try
        {
            vo = entry.Objective(point.Copy(), x, og);
        }
        catch (Exception e)
        {
            outcome.Failures.Add(Fail("MObjective.ValueAndGradient throws", e.ToString()));
            return PointResult.Failed;
        }

        if (BitConverter.DoubleToInt64Bits(vo) != BitConverter.DoubleToInt64Bits(vg) || !og.AsSpan().SequenceEqual(g.AsSpan(0, n)))
        {
            outcome.Failures.Add(Fail("MObjective differs from MGradient", $"value {vo:R} vs {vg:R}\n" + Vectors("objective", og, "gradient", g.AsSpan(0, n).ToArray(), names)));
            return PointResult.Failed;
        }

        // The batched gradient over copies of the point: per sample, the reference's value and gradient.
        if (entry.Batch is not null)
        {
            var bg = new double[n];
            double vb;
            try
            {
                vb = entry.Batch(point.Copy(), bg);
            }
            catch (Exception e)
            {
                outcome.Failures.Add(Fail("MBatchGradient throws", e.ToString()));
                return PointResult.Failed;
            }

            if (!(Math.Abs((vb / BatchCopies) - vg) <= Tolerance(vg, 0, Math.Abs(vg))))
            {
                outcome.Failures.Add(Fail("batched value differs", $"batched {vb / BatchCopies:R} per sample, MGradient {vg:R}"));
                return PointResult.Failed;
            }

            for (int j = 0; j < n; j++)
            {
                double perSample = bg[j] / BatchCopies;
                if (!(Math.Abs(perSample - refG[j]) <= 2 * Tolerance(refG[j], spreadG[j], gScale)))
                {
                    outcome.Failures.Add(Fail("batched gradient differs from the reference", $"∂/∂{names[j]} batched {perSample:R} per sample, reference {refG[j]:R}, MGradient {g[j]:R}"));
                    return PointResult.Failed;
                }
            }
        }

        outcome.ObjectivesVerified++;
        outcome.BatchesVerified += entry.Batch is null ? 0 : 1;
        outcome.PointsVerified++;
        if (hessian && !CheckHessian(c, pi, at, n, vg, g, refG, refH, spreadG, spreadH, names, entry, outcome))
        {
            return PointResult.Failed;
        }

        return PointResult.Verified;
    }

    private static double Tolerance(double reference, double spread, double scale) =>
        (64 * spread) + (1e-11 * Math.Abs(reference)) + (1e-14 * scale) + 1e-300;

    private static bool SameArgs(object[] args, LPoint point)
    {
        for (int i = 0; i < args.Length; i++)
        {
            bool same = (args[i], point.Args[i]) switch
            {
                (double[] a, double[] b) => a.AsSpan().SequenceEqual(b),
                (int[] a, int[] b) => a.AsSpan().SequenceEqual(b),
                _ => true,
            };
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private static string[] SlotNames(LMethod m, IReadOnlyList<object> args)
    {
        var names = new List<string>();
        foreach (int i in m.Differentiated())
        {
            if (args[i] is double[] a)
            {
                names.AddRange(Enumerable.Range(0, a.Length).Select(j => m.Params[i].Name + "[" + j.ToString(CultureInfo.InvariantCulture) + "]"));
            }
            else
            {
                names.Add(m.Params[i].Name);
            }
        }

        return names.ToArray();
    }

    private static string Vectors(string an, double[] a, string bn, double[] b, string[] names)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"    {"slot",-12} {an,-24} {bn,-24}\n");
        for (int j = 0; j < names.Length; j++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    {names[j],-12} {a[j],-24:R} {b[j],-24:R}{(Math.Abs(a[j] - b[j]) > 1e-9 * Math.Max(1, Math.Abs(b[j])) ? "  <--" : string.Empty)}\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Finite differences at steps finer than the first check's, where those disagree with the reference: a term that
    /// oscillates faster than the first steps resolve (sin(w·2¹⁶) has a period of 10⁻⁴) can make both first
    /// estimates agree with each other and not with the derivative. A finer scale counts only where it agrees with
    /// itself (two step sizes) and is small enough to follow the slope (the reference slope moves the value by at
    /// most 1% over a step), so noise and aliasing cannot pass for agreement: true where one agrees with the reference, false
    /// where one agrees with itself and none with the reference, null where none agrees with itself (the function
    /// varies faster than finite differences resolve, sin(w·2²⁴), and the point is skipped).
    /// </summary>
    private static bool? ConvergesAtFinerSteps(Func<double, double> f, double scale, double gd, double gdAbs, double v0)
    {
        bool resolved = false;
        for (int shift = 12; shift <= 30; shift += 6)
        {
            double h = scale / (1 << shift);
            if (h * gdAbs > 0.01 * Math.Max(1, Math.Abs(v0)))
            {
                continue; // the value changes by more than 1% over one step: a step this size cannot resolve the slope
            }

            Estimate fine = Oracle.DerivativeWithError(f, 0, h);
            Estimate coarse = Oracle.DerivativeWithError(f, 0, 4 * h);
            double noise = 64 * Eps * Math.Max(1, Math.Abs(v0)) / (h / 4);
            double diff = Math.Abs(fine.Value - coarse.Value);
            if (!double.IsFinite(fine.Value) || !double.IsFinite(coarse.Value) || diff > (1e-6 * Math.Max(Math.Abs(fine.Value), gdAbs)) + noise)
            {
                continue;
            }

            resolved = true;
            if (Math.Abs(gd - fine.Value) <= (1e-6 * Math.Max(Math.Abs(fine.Value), gdAbs)) + (4 * diff) + noise + (4 * fine.ErrorEstimate))
            {
                return true;
            }
        }

        return resolved ? false : null;
    }

    /// <summary>
    /// Finite differences of the compiled method along a random direction against the reference's ∇f·d (and, for
    /// Hessian points, of the reference gradient against H·d). They are skipped where the two step sizes disagree
    /// (a boundary within reach); a disagreement where they agree is a bug in the fuzzer's derivative rules.
    /// </summary>
    private static bool CheckOracle(LCase c, int pi, string at, double[] x, double[] refG, double[]? refH, LoopEvaluator.Result clean, Entry entry, LoopOutcome outcome)
    {
        LMethod m = c.Main;
        LPoint point = c.Points[pi];
        int n = x.Length;
        var rnd = new Random((c.Index * 31) + pi);
        double[] d = Enumerable.Range(0, n).Select(_ => (rnd.NextDouble() * 2) - 1).ToArray();
        double scale = Math.Max(1, x.Max(Math.Abs));
        object[] At(double t) => WithFlat(m, point.Args, x.Select((v, i) => v + (t * d[i])).ToArray());

        bool Stable(double t)
        {
            LoopEvaluator.Result r = new LoopEvaluator(c, 0).Run(At(t));
            return r.Error is null && !r.NonFinite && r.Signature.AsSpan().SequenceEqual(clean.Signature);
        }

        double hCoarse = scale / 64;
        if (!Stable(hCoarse) || !Stable(-hCoarse) || !Stable(hCoarse / 2) || !Stable(-hCoarse / 2))
        {
            outcome.Skip("oracle check: a boundary within the finite-difference step");
            return true;
        }

        double F(double t) => entry.Value(At(t));
        Estimate fine = Oracle.DerivativeWithError(F, 0, scale / 256);
        Estimate coarse = Oracle.DerivativeWithError(F, 0, hCoarse);
        double gd = 0;
        double gdAbs = 0;
        for (int i = 0; i < n; i++)
        {
            gd += refG[i] * d[i];
            gdAbs += Math.Abs(refG[i] * d[i]);
        }

        double v0 = clean.Value.V;
        double noiseTerm = 64 * Eps * Math.Max(1, Math.Abs(v0)) / (scale / 1024);
        double diff = Math.Abs(fine.Value - coarse.Value);
        if (!double.IsFinite(fine.Value) || !double.IsFinite(coarse.Value) || diff > (1e-6 * Math.Max(Math.Abs(fine.Value), gdAbs)) + noiseTerm)
        {
            outcome.Skip("oracle check: finite differences disagree with themselves");
            return true;
        }

        double tol = (1e-6 * Math.Max(Math.Abs(fine.Value), gdAbs)) + (4 * diff) + noiseTerm + (4 * fine.ErrorEstimate);
        bool? finer = Math.Abs(gd - fine.Value) <= tol ? true : ConvergesAtFinerSteps(F, scale, gd, gdAbs, v0);
        if (finer is null)
        {
            outcome.Skip("oracle check: finite differences do not converge at finer steps");
            return true;
        }

        if (finer is false)
        {
            outcome.Failures.Add(new LoopFailure(c, "fuzzer bug: reference gradient disagrees with finite differences", $"{at}: ∇f·d reference {gd:R}, finite differences {fine.Value:R} (tolerance {tol:E3})", pi));
            return false;
        }

        outcome.OracleChecks++;
        if (refH is null)
        {
            return true;
        }

        // H·d against central differences of the reference gradient (Richardson, two step sizes).
        double[] GradAt(double t)
        {
            LoopEvaluator.Result r = new LoopEvaluator(c, 1).Run(At(t));
            return r.Value.G ?? new double[n];
        }

        double[] Rich(double h)
        {
            double[] D(double s)
            {
                double[] p = GradAt(s);
                double[] q = GradAt(-s);
                return p.Select((v, i) => (v - q[i]) / (2 * s)).ToArray();
            }

            double[] d1 = D(h);
            double[] d2 = D(h / 2);
            return d1.Select((v, i) => ((4 * d2[i]) - v) / 3).ToArray();
        }

        double[] hf = Rich(scale / 256);
        double[] hc = Rich(scale / 128);
        double gScale = Math.Max(1, refG.Max(Math.Abs));
        for (int a = 0; a < n; a++)
        {
            double hd = 0;
            double hdAbs = 0;
            for (int b = 0; b < n; b++)
            {
                hd += refH[(a * n) + b] * d[b];
                hdAbs += Math.Abs(refH[(a * n) + b] * d[b]);
            }

            double dd = Math.Abs(hf[a] - hc[a]);
            double noise2 = 64 * Eps * gScale / (scale / 512);
            if (!double.IsFinite(hf[a]) || dd > (1e-5 * Math.Max(Math.Abs(hf[a]), hdAbs)) + noise2)
            {
                outcome.Skip("oracle check: second-order finite differences disagree with themselves");
                return true;
            }

            double t2 = (1e-5 * Math.Max(Math.Abs(hf[a]), hdAbs)) + (8 * dd) + noise2;
            if (!(Math.Abs(hd - hf[a]) <= t2))
            {
                outcome.Failures.Add(new LoopFailure(c, "fuzzer bug: reference Hessian disagrees with finite differences", $"{at}: (H·d)[{a}] reference {hd:R}, finite differences of the reference gradient {hf[a]:R} (tolerance {t2:E3})", pi));
                return false;
            }
        }

        outcome.OracleSecondOrderChecks++;
        return true;
    }

    private static bool CheckHessian(LCase c, int pi, string at, int n, double vg, double[] g, double[] refG, double[] refH, double[] spreadG, double[] spreadH, string[] names, Entry entry, LoopOutcome outcome)
    {
        LoopFailure Fail(string kind, string details) => new(c, kind, at + ": " + details, pi);
        double gScale = refG.Length == 0 ? 0 : refG.Max(Math.Abs);
        double hScale = refH.Length == 0 ? 0 : refH.Max(Math.Abs);
        object[] args = c.Points[pi].Copy();
        var gh = new double[n];
        var h = new double[n * n];
        double vh;
        try
        {
            vh = entry.Hessian!(args, gh, h);
        }
        catch (Exception e)
        {
            outcome.Failures.Add(Fail("generated Hessian throws", e.ToString()));
            return false;
        }

        if (BitConverter.DoubleToInt64Bits(vh) != BitConverter.DoubleToInt64Bits(vg) && !(Math.Abs(vh - vg) <= 1e-13 * Math.Abs(vg)))
        {
            outcome.Failures.Add(Fail("Hessian method's value differs from the gradient method's", $"{vh:R} vs {vg:R}"));
            return false;
        }

        for (int j = 0; j < n; j++)
        {
            if (!(Math.Abs(gh[j] - refG[j]) <= Tolerance(refG[j], spreadG[j], gScale)))
            {
                outcome.Failures.Add(Fail("Hessian method's gradient differs from the reference", $"∂/∂{names[j]} {gh[j]:R}, reference {refG[j]:R}\n" + Vectors("Hessian's", gh, "reference", refG, names)));
                return false;
            }
        }

        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                int k = (a * n) + b;
                double tol = Tolerance(refH[k], Math.Max(spreadH[k], spreadH[(b * n) + a]), hScale);
                double diff = Math.Abs(h[k] - refH[k]);
                if (!(diff <= tol))
                {
                    string kind = double.IsFinite(h[k]) ? "Hessian differs from the reference" : "Hessian not finite where the function is smooth";
                    outcome.Failures.Add(Fail(kind, $"H[{names[a]}, {names[b]}] generated {h[k]:R}, reference {refH[k]:R} (|diff| {diff:E3}, tolerance {tol:E3})\n" + Matrices(h, refH, n)));
                    return false;
                }

                outcome.WorstRatio = Math.Max(outcome.WorstRatio, tol > 0 ? diff / tol : 0);
            }
        }

        double[] dir = Enumerable.Range(0, n).Select(i => new[] { 0.3, -0.7, 1.1, 0.2, -0.4 }[i % 5]).ToArray();
        var gv = new double[n];
        var hv = new double[n];
        double vv;
        try
        {
            vv = entry.Hvp!(c.Points[pi].Copy(), dir, gv, hv);
        }
        catch (Exception e)
        {
            outcome.Failures.Add(Fail("generated Hessian-vector product throws", e.ToString()));
            return false;
        }

        if (BitConverter.DoubleToInt64Bits(vv) != BitConverter.DoubleToInt64Bits(vg) && !(Math.Abs(vv - vg) <= 1e-13 * Math.Abs(vg)))
        {
            outcome.Failures.Add(Fail("HVP method's value differs from the gradient method's", $"{vv:R} vs {vg:R}"));
            return false;
        }

        for (int a = 0; a < n; a++)
        {
            double expected = 0;
            double spread = 0;
            double abs = 0;
            for (int b = 0; b < n; b++)
            {
                expected += refH[(a * n) + b] * dir[b];
                spread += spreadH[(a * n) + b] * Math.Abs(dir[b]);
                abs += Math.Abs(refH[(a * n) + b] * dir[b]);
            }

            double tol = Tolerance(expected, spread, hScale) + (1e-12 * abs);
            if (!(Math.Abs(hv[a] - expected) <= tol))
            {
                outcome.Failures.Add(Fail("Hessian-vector product differs from the reference", $"(H·v)[{names[a]}] generated {hv[a]:R}, reference {expected:R} (tolerance {tol:E3}), v = [{string.Join(", ", dir)}]\n" + Matrices(h, refH, n)));
                return false;
            }

            if (!(Math.Abs(gv[a] - refG[a]) <= Tolerance(refG[a], spreadG[a], gScale)))
            {
                outcome.Failures.Add(Fail("HVP method's gradient differs from the reference", $"∂/∂{names[a]} {gv[a]:R}, reference {refG[a]:R}"));
                return false;
            }
        }

        outcome.HessiansVerified++;
        return true;
    }

    private static string Matrices(double[] h, double[] r, int n)
    {
        if (n > 8)
        {
            return string.Empty;
        }

        var sb = new StringBuilder("    generated Hessian | reference Hessian\n");
        for (int a = 0; a < n; a++)
        {
            sb.Append("    ");
            for (int b = 0; b < n; b++)
            {
                sb.Append(h[(a * n) + b].ToString("G6", CultureInfo.InvariantCulture).PadLeft(12));
            }

            sb.Append("  |");
            for (int b = 0; b < n; b++)
            {
                sb.Append(r[(a * n) + b].ToString("G6", CultureInfo.InvariantCulture).PadLeft(12));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    // ------------------------------------------------------------------ reporting

    /// <summary>Re-runs one case on its own and returns its first failure (null when it passes).</summary>
    public static LoopFailure? RunOne(LCase c) => Run(new[] { c with { Index = 0 } }).Failures.FirstOrDefault();

    /// <summary>The failure as text: kind, details, the case's source and a call that reproduces it.</summary>
    public static string Describe(LoopFailure f)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(f.Kind).Append("]\n").Append(f.Details.TrimEnd()).Append('\n');
        sb.Append("--- program (").Append(f.Case.FilePath).Append(") ---\n").Append(LText.Source(f.Case));
        if (f.Point >= 0 && f.Point < f.Case.Points.Length)
        {
            LMethod m = f.Case.Main;
            sb.Append("--- call ---\n").Append(f.Case.TypeName).Append('.').Append(m.Name).Append("Gradient(")
                .Append(string.Join(", ", m.Params.Select((p, i) => LText.Value(f.Case.Points[f.Point].Args[i]))))
                .Append(", gradient)\n");
        }

        return sb.ToString();
    }
}

/// <summary>Which grammar constructs a case uses (for the coverage statistics).</summary>
public static class LoopStats
{
    public static HashSet<string> Constructs(LCase c)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (LParam p in c.Main.Params)
        {
            set.Add("param " + p.TypeText + (p.Wrt ? " [Wrt]" : string.Empty));
        }

        if (c.Main.Hessian)
        {
            set.Add("Hessian = true");
        }

        foreach (LMethod m in c.Helpers.Prepend(c.Main))
        {
            if (m != c.Main)
            {
                set.Add(m.Differentiable ? "helper [Differentiable]" : "helper");
            }

            Walk(m.Body, set, 0, m != c.Main);
        }

        return set;
    }

    private static void Walk(IEnumerable<LStmt> body, HashSet<string> set, int loops, bool helper)
    {
        foreach (LStmt s in body)
        {
            switch (s)
            {
                case LFor f:
                    set.Add(f.Step is LAssign ? "for i += 2" : f.Start is LNum { Value: 1 } ? "for 1..n" : f.Step is LIncr { Increment: false } ? "for down" : "for");
                    set.Add("loop depth " + (loops + 1).ToString(CultureInfo.InvariantCulture));
                    Walk(f.Body, set, loops + 1, helper);
                    break;
                case LWhile w:
                    set.Add(w.Cond is LLogic ? "while (value exit)" : "while");
                    Walk(w.Body, set, loops + 1, helper);
                    break;
                case LDo d:
                    set.Add("do-while");
                    Walk(d.Body, set, loops + 1, helper);
                    break;
                case LForEach fe:
                    set.Add("foreach " + fe.VarType.ToString().ToLowerInvariant());
                    Walk(fe.Body, set, loops + 1, helper);
                    break;
                case LIf i:
                    set.Add(loops > 0 ? "if in loop" : "if");
                    if (i.Then.Any(x => x is LBreak))
                    {
                        set.Add("break");
                    }

                    if (i.Then.Any(x => x is LContinue))
                    {
                        set.Add("continue");
                    }

                    if (i.Then.Any(x => x is LReturn))
                    {
                        set.Add(loops > 0 ? "return in loop" : "early return");
                    }

                    Walk(i.Then, set, loops, helper);
                    if (i.Else is { } e)
                    {
                        Walk(e, set, loops, helper);
                    }

                    break;
                case LSwitch sw:
                    set.Add(loops > 0 ? "switch in loop" : "switch");
                    foreach (LSection sec in sw.Sections)
                    {
                        Walk(sec.Body, set, loops, helper);
                    }

                    break;
                case LArrayDecl a:
                    set.Add((a.StackAlloc ? "stackalloc" : "new double[]") + (loops > 0 ? " in loop" : string.Empty) + (helper ? " in helper" : string.Empty));
                    break;
                case LStore st:
                    set.Add("store " + st.Op);
                    break;
                case LDecl { VarType: LType.Int }:
                    set.Add("int local");
                    break;
                case LAssign { Value: LCall { Fn.CSharpName: "Math.Tanh" or "SymMath.Sigmoid" } } :
                    set.Add("recurrence");
                    break;
            }
        }
    }
}
