using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Reports;
using SymGrad.Benchmarks.Generator;
using SymGrad.Benchmarks.Workloads;

namespace SymGrad.Benchmarks.Reporting;

/// <summary>Collects every measurement of a run and renders the one ratio table plus the target check.</summary>
public sealed class SummaryReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly List<Row> _rows = [];

    /// <summary>One table row.</summary>
    public sealed record Row(string WorkloadKey, string WorkloadTitle, int WorkloadOrder, string Method, Role Role, int MethodOrder, double? Ns, double? MedianNs, long? Bytes, string Notes);

    /// <summary>Whether the run used the short job.</summary>
    public bool ShortRun { get; init; }

    /// <summary>Whether times are thread CPU time (else wall-clock).</summary>
    public bool CpuClock { get; init; }

    /// <summary>Whether the SymGrad-generated variants were compiled in.</summary>
    public bool SymGradVariantsCompiled { get; set; }

    /// <summary>BenchmarkDotNet job used.</summary>
    public string JobDescription { get; set; } = "not run";

    /// <summary>Gradient agreement.</summary>
    public List<PeerGradientCheck.Result> GradientChecks { get; } = [];

    /// <summary>Agreement of the program-mode workloads' gradients.</summary>
    public List<ProgramGradientCheck.Result> ProgramChecks { get; } = [];

    /// <summary>Generator output per generator workload key ("gen/methods/10", "gen/chain/64").</summary>
    public Dictionary<string, GeneratorInputs.Emitted> Emitted { get; } = new(StringComparer.Ordinal);

    /// <summary>Anything that makes the run's numbers incomplete (validation errors, failed benchmarks).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The Python peers' outcome.</summary>
    public PythonPeers.Outcome? Python { get; set; }

    /// <summary>/proc/loadavg when the run started.</summary>
    public string LoadAtStart { get; init; } = LoadAverage();

    /// <summary>Wall-clock time of the whole command.</summary>
    public TimeSpan TotalRunTime { get; set; }

    /// <summary>Adds the reports of one BenchmarkDotNet summary.</summary>
    public void AddBenchmarkDotNet(Summary summary)
    {
        foreach (BenchmarkReport report in summary.Reports)
        {
            Type type = report.BenchmarkCase.Descriptor.Type;
            MethodInfo method = report.BenchmarkCase.Descriptor.WorkloadMethod;
            WorkloadAttribute? workload = type.GetCustomAttribute<WorkloadAttribute>();
            PeerAttribute? peer = method.GetCustomAttribute<PeerAttribute>();
            if (workload is null || peer is null)
            {
                continue;
            }

            string key = workload.Key;
            string title = workload.Title;
            int order = workload.Order;
            string notes = "";
            var parameter = report.BenchmarkCase.Parameters.Items.FirstOrDefault();
            if (parameter is not null)
            {
                int n = Convert.ToInt32(parameter.Value, Inv);
                key = $"{workload.Key}/{n}";
                order = workload.Order * 1000 + n;
                title = workload.Key == "gen/methods"
                    ? $"generator · {n} [Differentiable] method{(n == 1 ? "" : "s")} (seed net each) in one file"
                    : $"generator · 1 method, chain of {n} sigmoid layer{(n == 1 ? "" : "s")} ({2 * n} params)";
            }

            double? ns = report.ResultStatistics?.Min;
            double? median = report.ResultStatistics?.Median;
            if (ns is null)
            {
                Problems.Add($"{type.Name}.{method.Name} {report.BenchmarkCase.Parameters.DisplayInfo} produced no measurement (it failed; see the BenchmarkDotNet log above).");
            }

            long? bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            _rows.Add(new Row(key, title, order, peer.Title, peer.Role, peer.Order, ns, median, bytes, notes));
        }
    }

    private static string EmittedNote(GeneratorInputs.Emitted e)
    {
        string s = string.Format(Inv, "emitted {0:N0} chars in {1} file(s)", e.Chars, e.Files);
        if (e.Chars == 0)
        {
            s += "; NO OUTPUT (generator not landed?)";
        }

        if (e.CompileErrors > 0 || e.GeneratorDiagnostics > 0)
        {
            s += string.Format(Inv, "; {0} generator diagnostics, {1} compile errors: {2}", e.GeneratorDiagnostics, e.CompileErrors, Escape(e.FirstProblem ?? ""));
        }

        return s;
    }

    private void AddPythonRows()
    {
        if (Python?.Document?["results"] is not JsonObject results)
        {
            return;
        }

        foreach ((string key, JsonNode? node) in results)
        {
            if (node is not JsonObject r)
            {
                continue;
            }

            string[] parts = key.Split('/');
            string workloadKey = parts[0] + "/" + parts[1];
            WorkloadAttribute? wl = typeof(SummaryReport).Assembly.GetTypes()
                .Select(t => t.GetCustomAttribute<WorkloadAttribute>())
                .FirstOrDefault(w => w?.Key == workloadKey);
            string title = wl?.Title ?? workloadKey;
            int order = wl?.Order ?? 0;
            bool batch = parts[1] == "batch";
            (string method, int methodOrder) = parts[2] switch
            {
                "torch" => (batch ? "PyTorch autograd (batched float64 tensors)" : parts[0] == "seed" ? "PyTorch autograd (scalar float64 tensors, backward())" : "PyTorch autograd (weight tensors, one sample, backward())", 50),
                _ => (batch ? "SymPy diff+cse+lambdify → NumPy (batched arrays)" : "SymPy diff+cse+lambdify → NumPy (per call, Python floats)", 60),
            };
            var notes = new List<string>();
            if (r["max_rel_err_vs_hand_written"] is JsonNode err)
            {
                notes.Add(string.Format(Inv, "max rel err {0:0.0e0}", err.GetValue<double>()));
            }

            if (r["setup"] is JsonObject setup)
            {
                double total = setup["diff_s"]!.GetValue<double>() + setup["cse_lambdify_s"]!.GetValue<double>();
                notes.Add(string.Format(Inv, "one-off diff+cse+lambdify {0:0.00} s", total));
            }

            _rows.Add(new Row(workloadKey, title, order, method, Role.Peer, methodOrder, r["ns_min"]?.GetValue<double>(), r["ns"]?.GetValue<double>(), null, string.Join("; ", notes)));
        }
    }

    private Row? Find(string workload, Role role) => _rows.FirstOrDefault(r => r.WorkloadKey == workload && r.Role == role);

    private Row? FindPeer(string workload, string startsWith) =>
        _rows.FirstOrDefault(r => r.WorkloadKey == workload && r.Method.StartsWith(startsWith, StringComparison.Ordinal));

    /// <summary>The whole summary as markdown.</summary>
    public string ToMarkdown()
    {
        AddPythonRows();
        var sb = new StringBuilder();
        sb.AppendLine("# SymGrad benchmarks: summary");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Command: `dotnet run -c Release --project benchmarks/SymGrad.Benchmarks -- {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}` · total run time {TotalRunTime:hh\\:mm\\:ss} · {DateTime.UtcNow:yyyy-MM-dd} UTC");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}; .NET {Environment.Version}; {JobDescription}. Load average (1/5/15 min) at start {LoadAtStart}, at end {LoadAverage()}: the machine is shared, so absolute times carry noise; compare rows of one run.");
        sb.AppendLine();
        foreach (string problem in Problems)
        {
            sb.AppendLine(Inv, $"**Problem:** {Escape(problem)}");
            sb.AppendLine();
        }

        if (!SymGradVariantsCompiled)
        {
            sb.AppendLine("**The SymGrad-generated variants were not compiled in** (built with `-p:SymGradVariants=false`, e.g. before the generator landed): ratios are relative to the hand-written gradient instead, and the SymGrad targets are not measured.");
            sb.AppendLine();
        }

        sb.AppendLine("## Ratio table");
        sb.AppendLine();
        sb.AppendLine(Inv, $"ns/op is the time of one operation: one sample's gradient (value included) for the `1 sample` and `batch` rows — batch rows are the time of the summed gradient over 4,096 samples divided by 4,096 — one call of the whole function or gradient for the program-mode rows (least squares, GMM, LSTM, 16-64-64-1, bundle adjustment: one observation), and one generator run for the generator rows. It is the **minimum** over the measured iterations (C#) or timeit repeats (Python), because the machine is shared and contention only ever adds time; the median is given beside it.{(CpuClock ? " Times are **CPU time of the benchmark thread** (`CLOCK_THREAD_CPUTIME_ID`; Python `time.thread_time`), so time spent preempted by other processes is not counted (`--clock wall` for wall-clock time)." : " Times are wall-clock time.")} Allocated is bytes allocated per operation (BenchmarkDotNet `[MemoryDiagnoser]`; not measured for Python). The ratio is ns/op divided by the SymGrad-generated row of the same workload (lower is faster; for the `function value only` row it is function/gradient).");
        sb.AppendLine();
        sb.AppendLine(Inv, $"| workload | method | ns/op (min) | median | allocated B/op | ratio vs {(SymGradVariantsCompiled ? "SymGrad generated" : "hand-written")} | notes |");
        sb.AppendLine("|---|---|--:|--:|--:|--:|---|");
        foreach (IGrouping<string, Row> group in _rows.OrderBy(r => r.WorkloadOrder).ThenBy(r => r.MethodOrder).GroupBy(r => r.WorkloadKey))
        {
            Row? baseline = group.FirstOrDefault(r => r.Role == Role.SymGrad && SymGradVariantsCompiled) ?? group.FirstOrDefault(r => r.Role == Role.HandWritten);
            bool generatorGroup = group.Key.StartsWith("gen/", StringComparison.Ordinal);
            foreach (Row r in group)
            {
                string ratio = generatorGroup ? "—" : ReferenceEquals(r, baseline) ? "1.00 (baseline)" : Ratio(r.Ns, baseline?.Ns);
                string notes = Emitted.TryGetValue(r.WorkloadKey, out GeneratorInputs.Emitted? emitted) ? EmittedNote(emitted) : r.Notes;
                sb.AppendLine(Inv, $"| {r.WorkloadTitle} | {r.Method} | {Ns(r.Ns)} | {Ns(r.MedianNs)} | {(r.Bytes is long b ? b.ToString("N0", Inv) : "n/a")} | {ratio} | {notes} |");
            }
        }

        sb.AppendLine();
        AppendTargets(sb);
        AppendGradientCheck(sb);
        AppendPython(sb);
        AppendMethod(sb);
        return sb.ToString();
    }

    private void AppendTargets(StringBuilder sb)
    {
        sb.AppendLine("## Targets");
        sb.AppendLine();
        sb.AppendLine("| target | measured | verdict |");
        sb.AppendLine("|---|---|---|");

        foreach ((string model, double limit) in new[] { ("seed", 2.0), ("mlp", 3.0) })
        {
            var parts = new List<string>();
            bool? met = true;
            foreach (string shape in new[] { "sample", "batch" })
            {
                Row? g = Find($"{model}/{shape}", Role.SymGrad);
                Row? f = Find($"{model}/{shape}", Role.Function);
                Row? h = Find($"{model}/{shape}", Role.HandWritten);
                if (g?.Ns is double gn && f?.Ns is double fn)
                {
                    double q = gn / fn;
                    parts.Add(string.Format(Inv, "{0}: {1:0.00}× (hand-written {2:0.00}×)", shape, q, (h?.Ns ?? double.NaN) / fn));
                    met &= q <= limit;
                }
                else
                {
                    met = null;
                }
            }

            string name = model == "seed" ? "seed net" : "2-8-8-1 net";
            sb.AppendLine(Inv, $"| gradient/function ≤ {limit:0}× ({name}) | {Join(parts)} | {Verdict(met)} |");
        }

        foreach ((string model, string name) in new[] { ("seed", "seed net"), ("mlp", "2-8-8-1 net") })
        {
            var parts = new List<string>();
            bool? met = true;
            foreach (string shape in new[] { "sample", "batch" })
            {
                Row? g = Find($"{model}/{shape}", Role.SymGrad);
                Row? h = Find($"{model}/{shape}", Role.HandWritten);
                if (g?.Ns is double gn && h?.Ns is double hn)
                {
                    Row? same = _rows.FirstOrDefault(r => r.WorkloadKey == $"{model}/{shape}" && r.Method.EndsWith("(as generated)", StringComparison.Ordinal));
                    string aside = same?.Ns is double sn
                        ? string.Format(Inv, " (hand-written with the generated code's runtime calls: {0:0.00}× of generated)", sn / gn)
                        : "";
                    parts.Add(string.Format(Inv, "{0}: {1:0.00}×{2}", shape, gn / hn, aside));
                    met &= gn / hn <= 1.05;
                }
                else
                {
                    met = null;
                }
            }

            sb.AppendLine(Inv, $"| generated/hand-written ≤ 1.05× ({name}) | {Join(parts)} | {Verdict(met)} |");
        }

        {
            // Issue 11: on random inputs the generated gradient is at most as slow as the naive hand-written one
            // (σ = 1/(1 + Math.Exp(−z)), σ′ = a(1 − a)); the pre-issue-11 row is the same generated body with the old
            // branching fused sigmoid, timed in the same run.
            Row? g = Find("seed/random", Role.SymGrad);
            Row? h = Find("seed/random", Role.HandWritten);
            Row? before = FindPeer("seed/random", "generated body with the pre-issue-11");
            Row? called = FindPeer("seed/random", "the same naive form kept a call");
            bool? met = null;
            string measured = "not measured";
            if (g?.Ns is double gn && h?.Ns is double hn)
            {
                measured = string.Format(Inv, "{0:0.00}×", gn / hn);
                if (before?.Ns is double bn)
                {
                    measured += string.Format(Inv, " (pre-issue-11 branching σ in the same run: {0:0.00}×)", bn / hn);
                }

                if (called?.Ns is double cn)
                {
                    measured += string.Format(Inv, "; against the naive form kept a call, as LossGradient is: {0:0.00}×", gn / cn);
                }

                met = gn / hn <= 1.0;
            }

            sb.AppendLine(Inv, $"| generated/naive hand-written ≤ 1.0× on random samples (seed net, issue 11) | {measured} | {Verdict(met)} |");
        }

        foreach ((string model, string name) in new[] { ("seed", "seed net"), ("mlp", "2-8-8-1 net") })
        {
            Row? g = Find($"{model}/sample", Role.SymGrad);
            Row? t = FindPeer($"{model}/sample", "PyTorch");
            bool? met = null;
            string measured = "not measured";
            if (g?.Ns is double gn && t?.Ns is double tn)
            {
                measured = string.Format(Inv, "{0:N0}× faster ({1} ns vs {2} ns)", tn / gn, Ns(gn), Ns(tn));
                if (model == "mlp")
                {
                    measured += "; PyTorch runs this model as a few matrix ops on weight tensors, so its per-op overhead is shared by all 105 weights";
                }
                met = tn / gn >= 2000;
            }

            sb.AppendLine(Inv, $"| ≥ 2,000× faster than PyTorch autograd per sample ({name}) | {measured} | {Verdict(met)} |");
        }

        {
            var parts = new List<string>();
            bool? met = true;
            foreach (string w in new[] { "seed/sample", "seed/batch", "mlp/sample", "mlp/batch" })
            {
                Row? g = Find(w, Role.SymGrad);
                if (g?.Bytes is long b)
                {
                    parts.Add(string.Format(Inv, "{0} {1} B", w, b));
                    met &= b == 0;
                }
                else
                {
                    met = null;
                }
            }

            sb.AppendLine(Inv, $"| zero allocations per gradient call | {Join(parts)} | {Verdict(met)} |");
        }

        AppendLinearity(sb);
        AppendProgramTargets(sb);
        sb.AppendLine();
    }

    /// <summary>
    /// The program-mode workloads: gradient/function ≤ 3× each; generated/hand-written ≤ 1.10× for 16-64-64-1 (reported
    /// for all); bundle adjustment has its own targets (issue 10): generated/hand-written ≤ 1.10× (goal 1.0×),
    /// generated/function ≤ 3.5× (goal 2.5×).
    /// </summary>
    private void AppendProgramTargets(StringBuilder sb)
    {
        foreach ((string key, string name) in new[] { ("lsq/call", "least squares"), ("gmm/call", "GMM"), ("lstm/call", "LSTM"), ("mlp16/sample", "16-64-64-1 net") })
        {
            Row? g = Find(key, Role.SymGrad);
            Row? f = Find(key, Role.Function);
            Row? h = Find(key, Role.HandWritten);
            if (f?.Ns is not double fn)
            {
                continue;
            }

            string gf = g?.Ns is double gn ? string.Format(Inv, "{0:0.00}×", gn / fn) : "not measured";
            string hf = h?.Ns is double hn0 ? string.Format(Inv, "{0:0.00}×", hn0 / fn) : "not measured";
            bool? met = g?.Ns is double gn1 ? gn1 / fn <= 3.0 : null;
            sb.AppendLine(Inv, $"| gradient/function ≤ 3× ({name}) | generated {gf} (hand-written {hf}) | {Verdict(met)} |");
            if (g?.Ns is double gn2 && h?.Ns is double hn)
            {
                bool mlp = key == "mlp16/sample";
                string bytes = g.Bytes is long b ? string.Format(Inv, "; generated allocates {0:N0} B/call", b) : "";
                sb.AppendLine(Inv, $"| generated/hand-written{(mlp ? " ≤ 1.10×" : "")} ({name}) | {gn2 / hn:0.00}×{bytes} | {(mlp ? Verdict(gn2 / hn <= 1.10) : "reported")} |");
            }
        }

        AppendBundleAdjustmentTargets(sb);
    }

    private void AppendBundleAdjustmentTargets(StringBuilder sb)
    {
        const string key = "ba/observation";
        Row? g = Find(key, Role.SymGrad);
        Row? f = Find(key, Role.Function);
        Row? h = Find(key, Role.HandWritten);
        if (f?.Ns is not double fn)
        {
            return;
        }

        string hf = h?.Ns is double hn0 ? string.Format(Inv, "; hand-written {0:0.00}×", hn0 / fn) : "";
        if (g?.Ns is double gn)
        {
            double q = gn / fn;
            sb.AppendLine(Inv, $"| gradient/function ≤ 3.5×, goal 2.5× (bundle adjustment) | generated {q:0.00}×{hf} | {Verdict(q <= 3.5)}{(q <= 2.5 ? " (goal met)" : "")} |");
        }
        else
        {
            sb.AppendLine(Inv, $"| gradient/function ≤ 3.5×, goal 2.5× (bundle adjustment) | generated not measured{hf} | {Verdict(null)} |");
        }

        if (g?.Ns is double gn2 && h?.Ns is double hn)
        {
            double q = gn2 / hn;
            string bytes = g.Bytes is long b ? string.Format(Inv, "; generated allocates {0:N0} B/call", b) : "";
            sb.AppendLine(Inv, $"| generated/hand-written ≤ 1.10×, goal 1.0× (bundle adjustment) | {q:0.00}×{bytes} | {Verdict(q <= 1.10)}{(q <= 1.0 ? " (goal met)" : "")} |");
        }
    }

    private void AppendLinearity(StringBuilder sb)
    {
        // Linear means the cost per unit of model size does not grow: per-unit cost at the largest size
        // is at most 1.5× the per-unit cost at the middle size (fixed start-up costs make small sizes
        // look expensive per unit, so the middle-to-largest step is the one that shows super-linearity).
        var parts = new List<string>();
        bool? met = true;
        foreach ((string key, int mid, int big, string unit) in new[] { ("gen/methods", 10, 100, "method"), ("gen/chain", 8, 64, "layer") })
        {
            Row? m = _rows.FirstOrDefault(r => r.WorkloadKey == $"{key}/{mid}");
            Row? b = _rows.FirstOrDefault(r => r.WorkloadKey == $"{key}/{big}");
            if (m?.Ns is double mn && b?.Ns is double bn)
            {
                double growth = bn / big / (mn / mid);
                parts.Add(string.Format(Inv, "time per {0}: {1} at {2}, {3} at {4} (×{5:0.00})", unit, Ns(mn / mid), mid, Ns(bn / big), big, growth));
                met &= growth <= 1.5;
            }
            else
            {
                met = null;
            }

            if (Emitted.TryGetValue($"{key}/{mid}", out GeneratorInputs.Emitted? em) && Emitted.TryGetValue($"{key}/{big}", out GeneratorInputs.Emitted? eb))
            {
                if (em.Chars == 0 || eb.Chars == 0)
                {
                    parts.Add("no generated output");
                    met = null;
                }
                else
                {
                    double growth = (double)eb.Chars / big / ((double)em.Chars / mid);
                    parts.Add(string.Format(Inv, "chars per {0}: {1:N0} at {2}, {3:N0} at {4} (×{5:0.00})", unit, (double)em.Chars / mid, mid, (double)eb.Chars / big, big, growth));
                    met &= growth <= 1.5;
                }
            }
            else
            {
                met = null;
            }
        }

        sb.AppendLine(Inv, $"| generator time and emitted size linear in model size (per-unit cost grows ≤ 1.5× from middle to largest size) | {Join(parts)} | {Verdict(met)} |");
    }

    private void AppendGradientCheck(StringBuilder sb)
    {
        sb.AppendLine("## Gradient check");
        sb.AppendLine();
        sb.AppendLine("Every C# gradient is compared with the hand-written one before timing (max relative error over the parameters, at sample 0 and for the 4,096-sample sum); the Python peers' errors are in the notes column above.");
        sb.AppendLine();
        sb.AppendLine("| model | method | sample 0 | batch sum |");
        sb.AppendLine("|---|---|--:|--:|");
        foreach (PeerGradientCheck.Result r in GradientChecks)
        {
            sb.AppendLine(Inv, $"| {r.Model} | {r.Method} | {r.MaxRelErrSample:0.0e0} | {r.MaxRelErrBatch:0.0e0} |");
        }

        sb.AppendLine();
        if (ProgramChecks.Count > 0)
        {
            sb.AppendLine(Inv, $"Program-mode workloads (one call each): the hand-written gradient against central differences of the function (a check of the reference itself), then the generated gradient and value against the hand-written ones, which must agree within {ProgramGradientCheck.Tolerance:0e0} relative (components below 1e-12 of the gradient's largest are compared against that scale).");
            sb.AppendLine();
            sb.AppendLine("| model | method | gradient | value |");
            sb.AppendLine("|---|---|--:|--:|");
            foreach (ProgramGradientCheck.Result r in ProgramChecks)
            {
                sb.AppendLine(Inv, $"| {r.Model} | {r.Method} | {r.GradientErr:0.0e0} | {r.ValueErr:0.0e0} |");
            }

            sb.AppendLine();
        }
    }

    private void AppendPython(StringBuilder sb)
    {
        sb.AppendLine("## Python peers");
        sb.AppendLine();
        if (Python is null)
        {
            sb.AppendLine("Not run (`--only` excluded them).");
            sb.AppendLine();
            return;
        }

        if (Python.Problem is not null)
        {
            sb.AppendLine(Inv, $"Not measured: {Python.Problem}.");
            sb.AppendLine();
            return;
        }

        JsonObject doc = Python.Document!;
        if (doc["missing"] is JsonArray missing && missing.Count > 0)
        {
            sb.AppendLine(Inv, $"**Missing for /usr/bin/python3: {string.Join(", ", missing.Select(m => m!.GetValue<string>()))}** — those peers were skipped (`apt-get install -y python3-torch python3-sympy`, or run with `--install-python-peers` as root).");
            sb.AppendLine();
        }

        sb.AppendLine(Inv, $"Versions: {doc["versions"]?.ToJsonString()}. Threads: {doc["threads"]} (torch.set_num_threads and threadpoolctl limit), so every peer uses one core like the C# code. Statistic: {doc["statistic"]}. Run time {Python.Elapsed.TotalSeconds:0} s.");
        sb.AppendLine();
        sb.AppendLine(Inv, $"BLAS: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from the script's environment; what it then loads: `{doc["blas"]?.ToJsonString()}`. Both PyTorch (`BLAS_INFO=generic`) and NumPy in Debian link the system `libblas.so.3`; the SymPy route is element-wise NumPy, which does not call BLAS at all.");
        sb.AppendLine();
    }

    private void AppendMethod(StringBuilder sb)
    {
        sb.AppendLine("## How it was measured");
        sb.AppendLine();
        sb.AppendLine("- Same inputs for every peer: fixed parameters and 4,096 samples per model from a seeded SplitMix64 stream (`Workloads/Inputs.cs`), handed to Python as JSON together with the hand-written reference gradients. Per-sample rows use sample 0.");
        sb.AppendLine("- C#: BenchmarkDotNet, in-process, one thread; minimum (and median) of the measured iterations, overhead-subtracted. Batch rows use `OperationsPerInvoke = 4096`. The 2-8-8-1 model takes its 105 weights as one span (`Mlp.Loss(x1, x2, y, w)`, loops over units), so the function and SymGrad rows pass the weight array as it is.");
        sb.AppendLine("- Hand-written: the seed's formulas with σ computed once per layer (σ′ = a(1 − a)); for 2-8-8-1, reverse-mode backprop over arrays (tanh′ = 1 − h²). Finite differences: central, h = ∛ε·max(1, |p|), 2n + 1 evaluations. Dual numbers: a minimal generic `Dual<T>` (T : IFloatingPointIeee754), one pass per parameter.");
        sb.AppendLine("- `seed net · 1 random sample per call`: each call takes the next of 65,536 pre-generated samples, each with its own parameters, chosen so that both σ arguments are uniform on [−6, 6] (`Inputs.SeedRandom`): a branch on the sign of z mispredicts about half the time, as on real data, where the fixed sample 0 of the other rows hides it. Its baseline for the issue-11 target is the naive hand-written form (σ = 1/(1 + Math.Exp(−z)), σ′ = a(1 − a): no branch, inaccurate at saturation); `generated body with the pre-issue-11 …` is the generated `LossGradient` statement for statement calling a frozen copy of the old fused sigmoid (`Peers/PreIssue11SymMath.cs`). The JIT inlines the small naive function into the benchmark method but not the generated `LossGradient` (a call, as from a user's loop); `the same naive form kept a call` times the naive code called the same way.");
        sb.AppendLine("- Python: timeit, warm-up ≥ 0.2 s, loop count autoranged to ≥ 0.1 s (short) or 0.2 s, then 11 (short) or 25 repeats; minimum and median of the repeats; float64 throughout.");
        sb.AppendLine("- Diagnostic rows: `hand-written, fused … (as generated)` is the hand-written gradient calling the same runtime functions as the generated code (`SymMath.Sigmoid(z, out σ′)`, `SymMath.Tanh(z, out tanh′)`: value and derivative together, the derivative accurate where a(1 − a) or 1 − h² round to 0); `hand-written, separate σ′` calls `SymMath.SigmoidDerivative` separately (one more exponential per layer), as the generator did before it fused them. Together they show how much of a generated/hand-written gap is numerical care and how much is the generated code.");
        sb.AppendLine("- Generator: `CSharpGeneratorDriver` with a fresh driver and a cloned compilation (no cached semantic model) per operation, references from Basic.Reference.Assemblies.Net100: the cost of a first build, not of an incremental IDE re-run. Roslyn itself is warm (each input run 40 times before timing, 15 warm-up iterations). Emitted size is the total length of the generated sources; the generated code is also compiled, and must have no errors.");
        sb.AppendLine("- Order inside the one process: gradient check → gradient suites → generator size and warm-up → generator suites → Python. The gradient suites run before Roslyn is loaded: running it first left thousands of its methods queued for tier-1 JIT and delayed the tier-up of the benchmarked gradient code past the warm-up (the SymGrad per-sample row measured 2× slower).");
        sb.AppendLine();
    }

    private static string Join(List<string> parts) => parts.Count == 0 ? "not measured" : string.Join("; ", parts);

    private static string Verdict(bool? met) => met switch
    {
        true => "**met**",
        false => "**missed**",
        null => "not measured",
    };

    private static string Ratio(double? ns, double? baseline)
    {
        if (ns is not double n || baseline is not double b || b <= 0)
        {
            return "—";
        }

        double q = n / b;
        return q >= 100 ? q.ToString("N0", Inv) + "×" : q.ToString("0.00", Inv) + "×";
    }

    private static string Ns(double? ns) => ns switch
    {
        null => "—",
        double v when double.IsNaN(v) => "—",
        double v when v < 10 => v.ToString("0.00", Inv),
        double v when v < 1000 => v.ToString("0.0", Inv),
        double v => v.ToString("N0", Inv),
    };

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>The first three fields of /proc/loadavg, or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            string[] f = File.ReadAllText("/proc/loadavg").Split(' ');
            return f.Length >= 3 ? $"{f[0]} / {f[1]} / {f[2]}" : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
