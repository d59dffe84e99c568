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

/// <summary>Why one fuzz case failed: a short kind (what the shrinker preserves) and the details.</summary>
public sealed record CaseFailure(FCase Case, string Kind, string Details);

/// <summary>What one batch did.</summary>
public sealed class BatchOutcome
{
    public List<CaseFailure> Failures { get; } = new();

    /// <summary>Cases whose gradient was compared with the oracle at one point or more.</summary>
    public int Verified { get; set; }

    /// <summary>Cases the generator rejected with an error diagnostic (as the unsupported fuzzer wants).</summary>
    public int Diagnosed { get; set; }

    /// <summary>Supported cases without a point where the function is finite and smooth (nothing to compare).</summary>
    public int NoSmoothPoint { get; set; }

    public int PointsVerified { get; set; }

    public int HessiansVerified { get; set; }

    public Dictionary<string, int> DiagnosticIds { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Constructs { get; } = new(StringComparer.Ordinal);

    public void Add(BatchOutcome o)
    {
        lock (this)
        {
            Failures.AddRange(o.Failures);
            Verified += o.Verified;
            Diagnosed += o.Diagnosed;
            NoSmoothPoint += o.NoSmoothPoint;
            PointsVerified += o.PointsVerified;
            HessiansVerified += o.HessiansVerified;
            foreach (var (k, v) in o.DiagnosticIds)
            {
                DiagnosticIds[k] = DiagnosticIds.GetValueOrDefault(k) + v;
            }

            foreach (var (k, v) in o.Constructs)
            {
                Constructs[k] = Constructs.GetValueOrDefault(k) + v;
            }
        }
    }
}

/// <summary>
/// Runs fuzz cases: all cases of a batch go into ONE compilation (one file and one type per case), the generator runs
/// once, the output is emitted and loaded once, and each case is then checked on its own. A supported case must get
/// generated code that compiles without errors or warnings, a value equal to the method's own value, and a gradient
/// (and Hessian, when requested) that matches Richardson finite differences of the method at points where the
/// function is finite and smooth. An unsupported case must get an error diagnostic. Nothing may throw out of the
/// generator.
/// </summary>
public static class FuzzRunner
{
    private static readonly Regex CaseInHint = new(@"(?:^|\.)F(\d+)\.", RegexOptions.CultureInvariant);
    private static int s_contexts;

    // ------------------------------------------------------------------ generation

    private sealed class Generated
    {
        public required CSharpCompilation Input { get; init; }

        public required CSharpCompilation Output { get; init; }

        public required ImmutableArray<Diagnostic> Diagnostics { get; init; }

        public required Exception? Exception { get; init; }

        /// <summary>Generated trees per case index.</summary>
        public required Dictionary<int, List<SyntaxTree>> Trees { get; init; }
    }

    private static Generated Generate(IReadOnlyList<FCase> cases)
    {
        var trees = cases.Select(c => GeneratorHarness.ParseTree(FuzzText.Source(c), c.FilePath)).ToArray();
        var input = CSharpCompilation.Create(
            "SymGrad.Fuzz." + Interlocked.Increment(ref s_contexts).ToString(CultureInfo.InvariantCulture),
            trees,
            GeneratorHarness.References,
            GeneratorHarness.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new SymGradGenerator().AsSourceGenerator() },
            parseOptions: GeneratorHarness.ParseOptions);
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

    private static int CaseOf(Diagnostic d, IReadOnlyList<FCase> cases)
    {
        // Generator diagnostics carry a path-only location (no syntax tree); compiler diagnostics carry a tree.
        string? path = d.Location.SourceTree?.FilePath ?? (d.Location.Kind == LocationKind.ExternalFile ? d.Location.GetLineSpan().Path : null);
        if (path is null)
        {
            return -1;
        }

        foreach (FCase c in cases)
        {
            if (path == c.FilePath || path.EndsWith("/" + c.FilePath, StringComparison.Ordinal) || path == "W" + c.FilePath)
            {
                return c.Index;
            }
        }

        Match m = CaseInHint.Match(Path.GetFileName(path));
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    private static bool IsError(Diagnostic d) => d.Severity == DiagnosticSeverity.Error;

    /// <summary>" (CS0136, CS0165)": the distinct IDs, part of a failure kind so shrinking keeps the same problem.</summary>
    private static string Codes(IEnumerable<Diagnostic> ds) => " (" + string.Join(", ", ds.Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal)) + ")";

    private static List<Diagnostic> InputErrors(Generated g, FCase c)
    {
        SyntaxTree tree = g.Input.SyntaxTrees.First(t => t.FilePath == c.FilePath);
        return g.Input.GetSemanticModel(tree).GetDiagnostics().Where(IsError).ToList();
    }

    /// <summary>The batch-level failure when the generator threw: find the culprit cases one by one.</summary>
    private static void Blame(IReadOnlyList<FCase> cases, Exception e, BatchOutcome outcome)
    {
        foreach (FCase c in cases)
        {
            Generated one = Generate(new[] { c with { Index = c.Index } });
            if (one.Exception is not null)
            {
                outcome.Failures.Add(new CaseFailure(c, "generator exception", one.Exception.ToString()));
            }
        }

        if (outcome.Failures.Count == 0)
        {
            outcome.Failures.Add(new CaseFailure(cases[0], "generator exception (batch only)", e.ToString()));
        }
    }

    // ------------------------------------------------------------------ supported programs

    /// <summary>Generates, compiles and checks a batch of supported-grammar cases.</summary>
    public static BatchOutcome RunSupported(IReadOnlyList<FCase> cases)
    {
        var outcome = new BatchOutcome();
        Generated g = Generate(cases);
        if (g.Exception is not null)
        {
            Blame(cases, g.Exception, outcome);
            return outcome;
        }

        // 1. The generator's verdict per case.
        var ok = new HashSet<int>();
        foreach (FCase c in cases)
        {
            var diags = g.Diagnostics.Where(d => CaseOf(d, cases) == c.Index).ToList();
            foreach (Diagnostic d in diags)
            {
                outcome.DiagnosticIds[d.Id] = outcome.DiagnosticIds.GetValueOrDefault(d.Id) + 1;
            }

            var errors = diags.Where(IsError).ToList();
            if (errors.Count > 0 && InputErrors(g, c) is { Count: > 0 } invalid)
            {
                // An invalid program (the fuzzer's or the shrinker's fault) explains any diagnostic.
                outcome.Failures.Add(new CaseFailure(c, "fuzzer produced invalid C#" + Codes(invalid), GeneratorHarness.Format(invalid)));
                continue;
            }

            if (errors.Count > 0)
            {
                outcome.Diagnosed++;
                outcome.Failures.Add(new CaseFailure(c, "supported program rejected (" + string.Join(",", errors.Select(e => e.Id).Distinct()) + ")", GeneratorHarness.Format(errors)));
                continue;
            }

            if (!g.Trees.ContainsKey(c.Index))
            {
                outcome.Failures.Add(new CaseFailure(c, "no generated source", "The generator reported no error but generated nothing for the case."));
                continue;
            }

            ok.Add(c.Index);
        }

        foreach (Diagnostic d in g.Diagnostics.Where(d => CaseOf(d, cases) < 0))
        {
            outcome.Failures.Add(new CaseFailure(cases[0], "diagnostic without a case location", d.ToString()));
        }

        // 2. Compile everything with a wrapper per case; drop the cases whose generated code does not compile.
        Assembly? assembly = null;
        AssemblyLoadContext? context = null;
        for (int attempt = 0; attempt < 3 && ok.Count > 0; attempt++)
        {
            var removed = g.Trees.Where(kv => !ok.Contains(kv.Key)).SelectMany(kv => kv.Value).ToArray();
            CSharpCompilation compilation = g.Output.RemoveSyntaxTrees(removed)
                .AddSyntaxTrees(cases.Where(c => ok.Contains(c.Index)).Select(c => GeneratorHarness.ParseTree(Wrapper(c), "W" + c.FilePath)));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            bool retry = false;
            foreach (var group in problems.GroupBy(d => CaseOf(d, cases)))
            {
                FCase? c = cases.FirstOrDefault(x => x.Index == group.Key);
                if (c is null)
                {
                    outcome.Failures.Add(new CaseFailure(cases[0], "compile error outside any case", GeneratorHarness.Format(group)));
                    continue;
                }

                var inGenerated = group.Where(d => d.Location.SourceTree is { } t && g.Trees.GetValueOrDefault(c.Index)?.Contains(t) == true).ToList();
                var inInput = group.Where(d => d.Location.SourceTree?.FilePath == c.FilePath && IsError(d)).ToList();
                var inWrapper = group.Where(d => d.Location.SourceTree?.FilePath == "W" + c.FilePath && IsError(d)).ToList();
                if (inGenerated.Count > 0)
                {
                    string kind = (inGenerated.Any(IsError) ? "generated code does not compile" : "generated code has warnings") + Codes(inGenerated);
                    outcome.Failures.Add(new CaseFailure(c, kind, GeneratorHarness.Format(inGenerated) + "Generated:\n" + string.Join("\n", g.Trees[c.Index].Select(t => t.ToString()))));
                }
                else if (inInput.Count > 0)
                {
                    outcome.Failures.Add(new CaseFailure(c, "fuzzer produced invalid C#" + Codes(inInput), GeneratorHarness.Format(inInput)));
                }
                else if (inWrapper.Count > 0)
                {
                    outcome.Failures.Add(new CaseFailure(c, "generated API differs from what the fuzzer expects", GeneratorHarness.Format(inWrapper) + "Wrapper:\n" + Wrapper(c) + "Generated:\n" + string.Join("\n", g.Trees.GetValueOrDefault(c.Index, new()).Select(t => t.ToString()))));
                }
                else
                {
                    continue;
                }

                if (group.Any(IsError) || inGenerated.Count > 0)
                {
                    retry |= group.Any(IsError);
                    ok.Remove(c.Index);
                }
            }

            if (result.Success && !retry)
            {
                stream.Position = 0;
                context = new AssemblyLoadContext("SymGrad.Fuzz." + Interlocked.Increment(ref s_contexts).ToString(CultureInfo.InvariantCulture), isCollectible: true);
                assembly = context.LoadFromStream(stream);
                break;
            }
        }

        // 3. Numbers.
        try
        {
            if (assembly is not null)
            {
                foreach (FCase c in cases.Where(c => ok.Contains(c.Index)))
                {
                    CheckNumbers(c, assembly, outcome);
                }
            }
        }
        finally
        {
            context?.Unload();
        }

        return outcome;
    }

    /// <summary>Test entry points inside the case's type (so private methods work): value, gradient, partials, Hessian, H·v.</summary>
    public static string Wrapper(FCase c)
    {
        FMethod m = c.Main;
        var sb = new StringBuilder("#nullable enable\n");
        if (c.Namespace is not null)
        {
            sb.Append("namespace ").Append(c.Namespace).Append(";\n");
        }

        if (c.Outer is not null)
        {
            sb.Append("public static partial class ").Append(c.Outer).Append(" {\n");
        }

        sb.Append(c.StaticType ? "static " : string.Empty).Append("partial ").Append(c.TypeKeyword).Append(' ').Append(c.TypeName).Append(" {\n");
        string args = string.Join(", ", m.Params.Select((_, i) => "p[" + i.ToString(CultureInfo.InvariantCulture) + "]"));
        string sep = args.Length > 0 ? ", " : string.Empty;
        var wrt = Differentiated(m);
        sb.Append("    internal static double __V(double[] p) => ").Append(m.Name).Append('(').Append(args).Append(");\n");
        sb.Append("    internal static double __G(double[] p, double[] g) => ").Append(m.Name).Append("Gradient(").Append(args).Append(sep).Append("g);\n");
        sb.Append("    internal static double __P(double[] p, double[] g)\n    {\n        var r = ").Append(m.Name).Append("Gradient(").Append(args).Append(");\n");
        for (int i = 0; i < wrt.Count; i++)
        {
            sb.Append("        g[").Append(i.ToString(CultureInfo.InvariantCulture)).Append("] = r.").Append(m.Params[wrt[i]].Name).Append(";\n");
        }

        string valueName = wrt.Any(i => m.Params[i].Name == "Value") ? "Result" : "Value";
        while (wrt.Any(i => m.Params[i].Name == valueName))
        {
            valueName += "_";
        }

        sb.Append("        return r.").Append(valueName).Append(";\n    }\n");
        if (wrt.Count < m.Params.Length)
        {
            // MBatchGradient: one span per data parameter, then the differentiated parameters.
            var data = Enumerable.Range(0, m.Params.Length).Except(wrt).ToList();
            string batchArgs = string.Join(", ", data.Select(i => "c[" + i.ToString(CultureInfo.InvariantCulture) + "]")
                .Concat(wrt.Select(i => "p[" + i.ToString(CultureInfo.InvariantCulture) + "]")));
            sb.Append("    internal static double __B(double[][] c, double[] p, double[] g) => ").Append(m.Name).Append("BatchGradient(").Append(batchArgs).Append(", g);\n");
        }

        if (m.Hessian)
        {
            sb.Append("    internal static double __H(double[] p, double[] g, double[] h) => ").Append(m.Name).Append("Hessian(").Append(args).Append(sep).Append("g, h);\n");
            sb.Append("    internal static double __HV(double[] p, double[] v, double[] g, double[] hv) => ").Append(m.Name).Append("HessianVectorProduct(").Append(args).Append(sep).Append("v, g, hv);\n");
        }

        sb.Append("}\n");
        if (c.Outer is not null)
        {
            sb.Append("}\n");
        }

        return sb.ToString();
    }

    /// <summary>Indices of the differentiated parameters: the [Wrt] ones, or all when none is marked.</summary>
    public static List<int> Differentiated(FMethod m)
    {
        bool any = m.Params.Any(p => p.Wrt);
        return Enumerable.Range(0, m.Params.Length).Where(i => !any || m.Params[i].Wrt).ToList();
    }

    // ------------------------------------------------------------------ numbers

    private const double Eps = 2.220446049250313E-16;

    private static void CheckNumbers(FCase c, Assembly assembly, BatchOutcome outcome)
    {
        Type type = assembly.GetType(c.MetadataName, throwOnError: true)!;
        T D<T>(string name) where T : Delegate =>
            (T)type.GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.CreateDelegate(typeof(T));
        var value = D<Func<double[], double>>("__V");
        var gradient = D<Func<double[], double[], double>>("__G");
        var partials = D<Func<double[], double[], double>>("__P");
        var hessian = c.Main.Hessian ? D<Func<double[], double[], double[], double>>("__H") : null;
        var hvp = c.Main.Hessian ? D<Func<double[], double[], double[], double[], double>>("__HV") : null;
        List<int> wrt = Differentiated(c.Main);
        var batch = wrt.Count < c.Main.Params.Length ? D<Func<double[][], double[], double[], double>>("__B") : null;
        int k = wrt.Count;
        int accepted = 0;
        foreach (ImmutableArray<double> point in c.Points)
        {
            if (accepted >= 2)
            {
                break;
            }

            double[] x = point.ToArray();
            string at = "at (" + string.Join(", ", x.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + ")";
            if (!TryValue(value, x, out double v0) || !double.IsFinite(v0))
            {
                continue;
            }

            // The evaluator must agree with the compiled method, or its branch signatures mean nothing.
            FuzzEvaluator.Result clean = new FuzzEvaluator(c).Run(x);
            if (clean.Error is not null || clean.NonFinite)
            {
                continue;
            }

            if (BitConverter.DoubleToInt64Bits(clean.Value) != BitConverter.DoubleToInt64Bits(v0) && !(clean.Value == 0 && v0 == 0))
            {
                outcome.Failures.Add(new CaseFailure(c, "fuzzer evaluator disagrees with C#", $"{at}: C# {v0:R}, evaluator {clean.Value:R}"));
                return;
            }

            // Rounding sensitivity (value tolerance) and distance from branch boundaries (same decisions nearby).
            if (!Sensitivity(c, x, clean, out double spread))
            {
                continue;
            }

            bool smooth = true;
            foreach (int i in wrt)
            {
                double hBig = Math.Max(1, Math.Abs(x[i])) / 64;
                foreach (double s in new[] { -1.0, 1.0, -0.5, 0.5 })
                {
                    double[] y = (double[])x.Clone();
                    y[i] += s * hBig;
                    FuzzEvaluator.Result r = new FuzzEvaluator(c).Run(y);
                    smooth &= r.Error is null && !r.NonFinite && r.Signature.AsSpan().SequenceEqual(clean.Signature);
                }
            }

            if (!smooth)
            {
                continue;
            }

            // Richardson finite differences of the user's method at two step sizes; both must agree.
            var fd = new double[k];
            var fdTol = new double[k];
            foreach ((int i, int j) in wrt.Select((i, j) => (i, j)))
            {
                Estimate fine = Oracle.PartialWithError(value, x, i, 1.0 / 256);
                Estimate coarse = Oracle.PartialWithError(value, x, i, 1.0 / 64);
                double hMin = Math.Max(1, Math.Abs(x[i])) / 1024;
                double noise = 16 * (spread + (4 * Eps * Math.Abs(v0))) / hMin;
                double diff = Math.Abs(fine.Value - coarse.Value);
                if (!double.IsFinite(fine.Value) || !double.IsFinite(coarse.Value) || diff > (1e-6 * Math.Max(Math.Abs(fine.Value), Math.Abs(coarse.Value))) + noise)
                {
                    smooth = false;
                    break;
                }

                fd[j] = fine.Value;
                fdTol[j] = (1e-6 * Math.Abs(fine.Value)) + (4 * diff) + noise + (4 * fine.ErrorEstimate);
            }

            if (!smooth)
            {
                continue;
            }

            accepted++;
            outcome.PointsVerified++;
            var g = new double[k];
            double vg;
            try
            {
                vg = gradient(x, g);
            }
            catch (Exception e)
            {
                outcome.Failures.Add(new CaseFailure(c, "generated gradient throws", $"{at}: {e}"));
                return;
            }

            double valueTol = (16 * spread) + (8 * Eps * Math.Abs(v0));
            if (!(Math.Abs(vg - v0) <= valueTol))
            {
                outcome.Failures.Add(new CaseFailure(c, "value differs from the method's", $"{at}: method {v0:R}, generated {vg:R} (|diff| {Math.Abs(vg - v0):E3}, tolerance {valueTol:E3})"));
                return;
            }

            for (int j = 0; j < k; j++)
            {
                bool close = Math.Abs(g[j] - fd[j]) <= Math.Max(fdTol[j], 1e-6 * Math.Abs(g[j]));
                if (!close)
                {
                    string name = c.Main.Params[wrt[j]].Name;
                    string kind = double.IsFinite(g[j]) ? "gradient differs from finite differences" : "gradient not finite where the function is smooth";
                    outcome.Failures.Add(new CaseFailure(c, kind, $"{at}: ∂/∂{name} generated {g[j]:R}, finite differences {fd[j]:R} (tolerance {fdTol[j]:E3})"));
                    return;
                }
            }

            // The MPartials overload returns exactly what the span overload writes.
            var gp = new double[k];
            double vp = partials(x, gp);
            if (BitConverter.DoubleToInt64Bits(vp) != BitConverter.DoubleToInt64Bits(vg) || !gp.AsSpan().SequenceEqual(g))
            {
                outcome.Failures.Add(new CaseFailure(c, "Partials overload differs from the span overload", $"{at}: value {vp:R} vs {vg:R}, gradient [{string.Join(", ", gp)}] vs [{string.Join(", ", g)}]"));
                return;
            }

            if (hessian is not null && hvp is not null && !CheckHessian(c, x, at, wrt, g, vg, gradient, hessian, hvp, outcome))
            {
                return;
            }

            // The batched kernel over 11 copies of the point (8 in a vector, 3 in the scalar tail): per sample, the same
            // value and the same oracle check as the scalar gradient.
            if (batch is not null)
            {
                const int copies = 11;
                double[][] columns = x.Select(v => Enumerable.Repeat(v, copies).ToArray()).ToArray();
                var gb = new double[k];
                double vb;
                try
                {
                    vb = batch(columns, x, gb);
                }
                catch (Exception e)
                {
                    outcome.Failures.Add(new CaseFailure(c, "batched gradient throws", $"{at}: {e}"));
                    return;
                }

                if (!(Math.Abs((vb / copies) - v0) <= valueTol + (4 * Eps * Math.Abs(v0))))
                {
                    outcome.Failures.Add(new CaseFailure(c, "batched value differs from the method's", $"{at}: method {v0:R}, batched {vb / copies:R} per sample"));
                    return;
                }

                for (int j = 0; j < k; j++)
                {
                    double perSample = gb[j] / copies;
                    if (!(Math.Abs(perSample - fd[j]) <= Math.Max(fdTol[j], 1e-6 * Math.Abs(perSample))))
                    {
                        outcome.Failures.Add(new CaseFailure(c, "batched gradient differs from finite differences", $"{at}: ∂/∂{c.Main.Params[wrt[j]].Name} batched {perSample:R} per sample, scalar {g[j]:R}, finite differences {fd[j]:R}"));
                        return;
                    }
                }
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

    private static bool TryValue(Func<double[], double> f, double[] x, out double v)
    {
        try
        {
            v = f(x);
            return true;
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException)
        {
            v = double.NaN;
            return false;
        }
    }

    /// <summary>
    /// Runs the evaluator with every rounded operation perturbed by a few ulps: the largest change of the value is the
    /// rounding noise a faithful reimplementation may show. False when a perturbed run takes another branch.
    /// </summary>
    private static bool Sensitivity(FCase c, double[] x, FuzzEvaluator.Result clean, out double spread)
    {
        spread = 0;
        var noise = new Random(c.Index * 7919 + (int)(BitConverter.DoubleToInt64Bits(x[0]) & 0xffff));
        for (int run = 0; run < 4; run++)
        {
            FuzzEvaluator.Result r = new FuzzEvaluator(c, noise).Run(x);
            if (r.Error is not null || !double.IsFinite(r.Value) || !r.Signature.AsSpan().SequenceEqual(clean.Signature))
            {
                return false;
            }

            spread = Math.Max(spread, Math.Abs(r.Value - clean.Value));
        }

        return true;
    }

    private static bool CheckHessian(
        FCase c,
        double[] x,
        string at,
        List<int> wrt,
        double[] g,
        double vg,
        Func<double[], double[], double> gradient,
        Func<double[], double[], double[], double> hessian,
        Func<double[], double[], double[], double[], double> hvp,
        BatchOutcome outcome)
    {
        int k = wrt.Count;
        var gh = new double[k];
        var h = new double[k * k];
        double vh = hessian(x, gh, h);
        if (!Close(vh, vg, 1e-13) || !g.Zip(gh).All(p => Close(p.First, p.Second, 1e-13)))
        {
            outcome.Failures.Add(new CaseFailure(c, "Hessian method's value/gradient differ from the gradient method's", $"{at}: value {vh:R} vs {vg:R}, gradient [{string.Join(", ", gh)}] vs [{string.Join(", ", g)}]"));
            return false;
        }

        // Row i of H against finite differences of the (already verified) generated gradient component i.
        double gScale = Math.Max(1, g.Max(Math.Abs));
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++)
            {
                int ia = a;
                double Component(double[] y)
                {
                    var gy = new double[k];
                    gradient(y, gy);
                    return gy[ia];
                }

                Estimate fine = Oracle.PartialWithError(Component, x, wrt[b], 1.0 / 256);
                Estimate coarse = Oracle.PartialWithError(Component, x, wrt[b], 1.0 / 64);
                double hMin = Math.Max(1, Math.Abs(x[wrt[b]])) / 1024;
                double diff = Math.Abs(fine.Value - coarse.Value);
                double noise = 1e-12 * gScale / hMin;
                if (!double.IsFinite(fine.Value) || !double.IsFinite(coarse.Value) || diff > (1e-6 * Math.Abs(fine.Value)) + noise)
                {
                    continue;
                }

                double tol = Math.Max((1e-6 * Math.Abs(fine.Value)) + (4 * diff) + noise + (4 * fine.ErrorEstimate), 1e-6 * Math.Abs(h[(a * k) + b]));
                if (!(Math.Abs(h[(a * k) + b] - fine.Value) <= tol))
                {
                    string names = c.Main.Params[wrt[a]].Name + "," + c.Main.Params[wrt[b]].Name;
                    string kind = double.IsFinite(h[(a * k) + b]) ? "Hessian differs from finite differences" : "Hessian not finite where the function is smooth";
                    outcome.Failures.Add(new CaseFailure(c, kind, $"{at}: H[{names}] generated {h[(a * k) + b]:R}, finite differences of the gradient {fine.Value:R} (tolerance {tol:E3})"));
                    return false;
                }
            }
        }

        // H·v from the HVP method against the product with the generated Hessian.
        double[] dir = Enumerable.Range(0, k).Select(i => new[] { 0.3, -0.7, 1.1, 0.2 }[i % 4]).ToArray();
        double hScale = Math.Max(1, Math.Max(g.Max(Math.Abs), h.Max(Math.Abs)));
        var gv = new double[k];
        var hv = new double[k];
        double vv = hvp(x, dir, gv, hv);
        for (int a = 0; a < k; a++)
        {
            double expected = 0;
            double scale = 0;
            for (int b = 0; b < k; b++)
            {
                expected += h[(a * k) + b] * dir[b];
                scale += Math.Abs(h[(a * k) + b] * dir[b]);
            }

            // Entries that cancel to rounding noise (an identically zero Hessian computed as ±1e-17) need an absolute part.
            if (!(Math.Abs(hv[a] - expected) <= (1e-9 * scale) + (1e-12 * hScale)) && !(double.IsNaN(expected) && double.IsNaN(hv[a])))
            {
                outcome.Failures.Add(new CaseFailure(c, "Hessian-vector product differs from H·v", $"{at}: (H·v)[{a}] generated {hv[a]:R}, from the Hessian {expected:R}"));
                return false;
            }
        }

        if (!Close(vv, vg, 1e-13) || !g.Zip(gv).All(p => Close(p.First, p.Second, 1e-13)))
        {
            outcome.Failures.Add(new CaseFailure(c, "HVP method's value/gradient differ from the gradient method's", $"{at}: value {vv:R} vs {vg:R}"));
            return false;
        }

        outcome.HessiansVerified++;
        return true;
    }

    private static bool Close(double a, double b, double rel) =>
        a.Equals(b) || Math.Abs(a - b) <= rel * Math.Max(Math.Abs(a), Math.Abs(b));

    // ------------------------------------------------------------------ unsupported programs

    /// <summary>Generates a batch of unsupported cases; each must get an error diagnostic and nothing may throw.</summary>
    public static BatchOutcome RunUnsupported(IReadOnlyList<FCase> cases)
    {
        var outcome = new BatchOutcome();
        Generated g = Generate(cases);
        if (g.Exception is not null)
        {
            Blame(cases, g.Exception, outcome);
            return outcome;
        }

        foreach (FCase c in cases)
        {
            string[] parts = (c.Expectation ?? "?|").Split('|');
            string construct = parts[0];
            var expected = parts[1].Split(',');
            outcome.Constructs[construct] = outcome.Constructs.GetValueOrDefault(construct) + 1;
            var inputErrors = InputErrors(g, c);
            if (inputErrors.Count > 0)
            {
                outcome.Failures.Add(new CaseFailure(c, "fuzzer produced invalid C#" + Codes(inputErrors), GeneratorHarness.Format(inputErrors)));
                continue;
            }

            var diags = g.Diagnostics.Where(d => CaseOf(d, cases) == c.Index).ToList();
            foreach (Diagnostic d in diags)
            {
                outcome.DiagnosticIds[d.Id] = outcome.DiagnosticIds.GetValueOrDefault(d.Id) + 1;
            }

            var errors = diags.Where(d => IsError(d) && d.Id.StartsWith("SG0", StringComparison.Ordinal)).ToList();
            if (diags.Any(d => d.Id == "SG9999"))
            {
                outcome.Failures.Add(new CaseFailure(c, "internal generator error", GeneratorHarness.Format(diags)));
            }
            else if (errors.Count == 0)
            {
                outcome.Failures.Add(new CaseFailure(c, "unsupported construct accepted: " + construct, "Generator diagnostics:\n" + GeneratorHarness.Format(diags)));
            }
            else if (!errors.Any(e => expected.Contains(e.Id)))
            {
                outcome.Failures.Add(new CaseFailure(c, "unexpected diagnostic for " + construct, "Expected one of " + string.Join(", ", expected) + "; got:\n" + GeneratorHarness.Format(errors)));
            }
            else
            {
                outcome.Diagnosed++;
            }

            // Whatever was generated (e.g. for a [Differentiable] helper) must compile.
            foreach (SyntaxTree t in g.Trees.GetValueOrDefault(c.Index, new()))
            {
                var bad = g.Output.GetSemanticModel(t).GetDiagnostics().Where(IsError).ToList();
                if (bad.Count > 0)
                {
                    outcome.Failures.Add(new CaseFailure(c, "generated code does not compile" + Codes(bad), GeneratorHarness.Format(bad) + t));
                }

                if (t.FilePath.Contains("." + c.Main.Name + "_", StringComparison.Ordinal) && errors.Count > 0)
                {
                    outcome.Failures.Add(new CaseFailure(c, "code generated despite an error", t.ToString()));
                }
            }
        }

        return outcome;
    }

    // ------------------------------------------------------------------ reporting and shrinking

    /// <summary>Re-runs one case on its own and returns its first failure (null when it passes).</summary>
    public static CaseFailure? RunOne(FCase c, bool unsupported)
    {
        BatchOutcome o = unsupported ? RunUnsupported(new[] { c }) : RunSupported(new[] { c });
        return o.Failures.FirstOrDefault();
    }

    /// <summary>
    /// Shrinks a failing case by structural simplification (drop statements and helpers, replace subexpressions by
    /// their operands or constants, inline if-branches), keeping the failure kind, within a time budget.
    /// </summary>
    public static (FCase Case, CaseFailure Failure, int Steps) Shrink(CaseFailure failure, bool unsupported, TimeSpan budget)
    {
        FCase current = failure.Case with { Index = 0 };
        CaseFailure last = RunOne(current, unsupported) ?? failure;
        if (last.Kind != failure.Kind)
        {
            return (failure.Case, failure, 0);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int steps = 0;
        bool progress = true;
        while (progress && clock.Elapsed < budget)
        {
            progress = false;
            foreach (FCase candidate in Shrinker.Candidates(current))
            {
                if (clock.Elapsed >= budget)
                {
                    break;
                }

                if (FuzzText.Source(candidate).Length >= FuzzText.Source(current).Length)
                {
                    continue;
                }

                CaseFailure? f = RunOne(candidate, unsupported);
                if (f is not null && f.Kind == failure.Kind)
                {
                    current = candidate;
                    last = f;
                    steps++;
                    progress = true;
                    break;
                }
            }
        }

        return (current, last, steps);
    }

    /// <summary>The failure as text: kind, details, and the case's source.</summary>
    public static string Describe(CaseFailure f) =>
        "[" + f.Kind + "]\n" + f.Details.TrimEnd() + "\n--- program (" + f.Case.FilePath + ") ---\n" + FuzzText.Source(f.Case);
}
