using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Emit;

/// <summary>
/// Batched members of a method whose data parameters are doubles: <c>MBatchGradient</c> and <c>MBatchValue</c> over one
/// span per data parameter, and the objective's <c>SumValue</c>/<c>SumValueAndGradient</c> over packed samples. One
/// generic kernel per member is written against <c>ILanes&lt;V&gt;</c> and run at the widest vector width the machine
/// accelerates, then on the scalar tail (<c>Lanes1</c>): several samples per instruction, the same formulas as
/// <c>MGradient</c> (selects instead of branches), and nothing that depends only on the parameters recomputed per
/// sample. Straight-line methods get it directly, methods with constant loops through <see cref="Unroller"/>
/// (MethodEmitter.Unrolled.cs); the rest, and kernels past <see cref="MaxKernelOperations"/>, add <c>MGradient</c>
/// sample by sample.
/// </summary>
internal static partial class MethodEmitter
{
    /// <summary>Names used by the batched members, made distinct from the user's parameter names.</summary>
    private sealed class BatchNames
    {
        public BatchNames(Func<string, string> fresh, string[] names, int[] data)
        {
            Lanes = fresh("V");
            Parameters = fresh("parameters");
            Start = fresh("start");
            End = fresh("end");
            Next = fresh("next");
            Index = fresh("i");
            Count = fresh("count");
            Sum = fresh("sum");
            Columns = data.Select(i => CSharp.Identifier(fresh(names[i].TrimStart('@') + "s"))).ToArray();
        }

        public string Lanes { get; }

        public string Parameters { get; }

        public string Start { get; }

        public string End { get; }

        public string Next { get; }

        public string Index { get; }

        public string Count { get; }

        public string Sum { get; }

        /// <summary>The kernels' span parameter of each data parameter (<c>xs</c> for <c>x</c>).</summary>
        public string[] Columns { get; }
    }

    /// <summary>
    /// Most operations a batched kernel's loop may have. Past it the JIT stops inlining the lane operations into the
    /// (then very large) method, and the kernel runs slower than the scalar gradient sample by sample, so the batched
    /// members use the scalar fallback instead. A 2-8-8-1 network unrolled (≈ 600 operations) is past it; the seed
    /// network (≈ 30) and logistic regression are far below.
    /// </summary>
    public const int MaxKernelOperations = 250;

    /// <summary>The operations a batched kernel would compute per sample: the non-leaf nodes under the value and the gradient.</summary>
    private static int KernelOperations(IEnumerable<Node> roots)
    {
        int count = 0;
        Node.Visit(roots, n =>
        {
            if (n.Args.Length > 0)
            {
                count++;
            }

            return n.Args;
        });
        return count;
    }

    /// <summary>
    /// <c>MBatchGradient</c>/<c>MBatchValue</c> of a straight-line method too large for a vectorised kernel: one sample at a
    /// time through <c>MGradient</c>, added in order (the same members and results, not vectorised).
    /// </summary>
    private static void WriteScalarBatchFallback(SourceWriter w, MethodModel m, ParameterInfo[] ps, string[] names, int[] wrt, int[] data, string gradientName)
    {
        var used = new HashSet<string>(ps.Select(p => p.Name), StringComparer.Ordinal) { gradientName };
        string Fresh(string name)
        {
            while (!used.Add(name))
            {
                name += "_";
            }

            return name;
        }

        string wrtNames = string.Join(", ", wrt.Select(p => ps[p].Name));
        string K = wrt.Length.ToString(CultureInfo.InvariantCulture);
        WriteSampleBySampleBatch(
            w, m, ps, names, wrt, data, gradientName, Fresh, K, (span, size) => LengthCheck(w, span, size, wrtNames),
            "for p = " + wrtNames + " written into <paramref name=\"" + gradientName + "\"/>. " + m.Name + " is too large for a vectorised kernel (more than "
                + MaxKernelOperations.ToString(CultureInfo.InvariantCulture) + " operations per sample)");
    }

    /// <summary>
    /// The per-sample batch, shared by the scalar and program fallbacks: <c>MBatchGradient</c> adds <c>MGradient</c> over the
    /// samples in order into <paramref name="gradientName"/> (the per-sample gradient on the stack for a constant
    /// <paramref name="size"/>, from the array pool otherwise), and <c>MBatchValue</c> adds the method's values.
    /// </summary>
    /// <param name="size">The gradient's length: a constant, or an expression over the parameters (the flat layout).</param>
    /// <param name="lengthCheck">Writes the check that a span (the gradient) has at least a length.</param>
    /// <param name="what">The summary's words between "Σᵢ ∂M/∂p" and ", so the samples go one at a time".</param>
    private static void WriteSampleBySampleBatch(
        SourceWriter w, MethodModel m, ParameterInfo[] ps, string[] names, IReadOnlyList<int> wrt, IReadOnlyList<int> data, string gradientName,
        Func<string, string> fresh, string size, Action<string, string> lengthCheck, string what)
    {
        bool constant = int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        string n = constant ? size : fresh("n");
        string sum = fresh("sum");
        string i = fresh("i");
        string k = fresh("k");
        string rented = fresh("rented");
        string sample = fresh("sampleGradient");
        var isData = new HashSet<int>(data);
        string spans = string.Join(", ", data.Select(d => "global::System.ReadOnlySpan<double> " + names[d]));
        string weights = string.Join(", ", wrt.Select(p => ps[p].Type + " " + names[p]));
        string args = string.Join(", ", Enumerable.Range(0, ps.Length).Select(p => isData.Contains(p) ? names[p] + "[" + i + "]" : names[p]));
        string dataNames = string.Join(", ", data.Select(d => ps[d].Name));
        string count = names[data[0]] + ".Length";
        string self = ContainingType(m) + "." + m.Name; // qualified: a parameter may have the method's name
        w.Line("/// <summary>");
        w.Line("/// Σᵢ " + m.Name + " over a batch given as one span per data parameter (" + dataNames + ", all the same length), and Σᵢ ∂" + m.Name + "/∂p");
        string gradientCref = CSharp.MethodCref(m.Name + "Gradient", string.Join(", ", ps.Select((p, j) => p.Type + " " + names[j])), "global::System.Span<double> " + gradientName);
        w.Line("/// " + what + ", so the samples go one at a time through <see cref=\"" + gradientCref + "\"/>, added in order (not vectorised).");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The data spans differ in length, or <paramref name=\"" + gradientName + "\"/> is too short.</exception>");
        w.Line(GeneratedCode);
        w.Open(m.Accessibility + " static double " + m.Name + "BatchGradient(" + spans + ", " + weights + ", global::System.Span<double> " + gradientName + ")");
        if (!constant)
        {
            w.Line("int " + n + " = " + size + ";");
        }

        lengthCheck(gradientName, n);
        if (!constant)
        {
            w.Line();
        }

        SameLengthChecks(w, ps, names, data);
        w.Line(gradientName + ".Slice(0, " + n + ").Clear();");
        w.Line("double " + sum + " = 0.0;");
        // The samples through MGradient into a scratch gradient (stack for a constant length, pooled otherwise),
        // added into the gradient when accumulate.
        void Samples(bool accumulate)
        {
            void Loop()
            {
                w.Open("for (int " + i + " = 0; " + i + " < " + count + "; " + i + "++)");
                w.Line(sum + " += " + self + "Gradient(" + args + ", " + sample + ");");
                if (accumulate)
                {
                    w.Open("for (int " + k + " = 0; " + k + " < " + n + "; " + k + "++)");
                    w.Line(gradientName + "[" + k + "] += " + sample + "[" + k + "];");
                    w.Close();
                }

                w.Close();
            }

            if (constant)
            {
                w.Line("global::System.Span<double> " + sample + " = stackalloc double[" + n + "];");
                Loop();
            }
            else
            {
                w.Line("double[] " + rented + " = global::System.Buffers.ArrayPool<double>.Shared.Rent(global::System.Math.Max(1, " + n + "));");
                w.Open("try");
                w.Line("global::System.Span<double> " + sample + " = global::System.MemoryExtensions.AsSpan(" + rented + ", 0, " + n + ");");
                Loop();
                w.Close();
                w.Open("finally");
                w.Line("global::System.Buffers.ArrayPool<double>.Shared.Return(" + rented + ");");
                w.Close();
            }
        }

        Samples(accumulate: true);
        w.Line();
        w.Line("return " + sum + ";");
        w.Close();
        w.Line();
        w.Line("/// <summary>Σᵢ " + m.Name + " over a batch given as one span per data parameter (" + dataNames + ", all the same length), sample by sample.</summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The data spans differ in length.</exception>");
        w.Line(GeneratedCode);
        w.Open(m.Accessibility + " static double " + m.Name + "BatchValue(" + spans + ", " + weights + ")");
        SameLengthChecks(w, ps, names, data);
        w.Line("double " + sum + " = 0.0;");
        if (m.FieldCount > 0)
        {
            // A field model's method is an instance method over the fields: there is no static M(fields, data) to call,
            // so each value comes from MGradient (into a scratch gradient that is dropped).
            if (!constant)
            {
                w.Line("int " + n + " = " + size + ";");
            }

            Samples(accumulate: false);
        }
        else
        {
            w.Open("for (int " + i + " = 0; " + i + " < " + count + "; " + i + "++)");
            w.Line(sum + " += " + self + "(" + args + ");");
            w.Close();
        }

        w.Line();
        w.Line("return " + sum + ";");
        w.Close();
        w.Line();
    }

    /// <summary>The checks that every data span has the first one's length (one element per sample), naming both.</summary>
    private static void SameLengthChecks(SourceWriter w, ParameterInfo[] ps, string[] names, IReadOnlyList<int> data)
    {
        string first = names[data[0]];
        for (int j = 1; j < data.Count; j++)
        {
            string other = names[data[j]];
            w.Open("if (" + other + ".Length != " + first + ".Length)");
            w.Line("throw new global::System.ArgumentException(\"The data spans hold one element per sample and must have the same length, but " + ps[data[0]].Name + " has \" + " + first + ".Length + \" and " + ps[data[j]].Name + " has \" + " + other + ".Length + \".\", nameof(" + other + "));");
            w.Close();
            w.Line();
        }
    }

    private static void WriteBatch(
        SourceWriter w, Graph g, MethodModel m, ParameterInfo[] ps, string[] names, int[] wrt, int[] data, ReverseSweep sweep,
        int reverseStart, Node root, HashSet<string> reserved, string gradientName, System.Threading.CancellationToken ct)
    {
        var used = new HashSet<string>(reserved, StringComparer.Ordinal);
        string Fresh(string name)
        {
            while (!used.Add(name))
            {
                name += "_";
            }

            return name;
        }

        var bn = new BatchNames(Fresh, names, data);
        string acc = m.Accessibility;
        string wrtNames = string.Join(", ", wrt.Select(i => ps[i].Name));
        string dataNames = string.Join(", ", data.Select(i => ps[i].Name));
        string K = wrt.Length.ToString(CultureInfo.InvariantCulture);
        string callArgs = string.Join(", ", ps.Select(p => p.Name));
        bool[] isData = new bool[ps.Length];
        foreach (int i in data)
        {
            isData[i] = true;
        }

        // ---- the public span forms
        string spans = string.Join(", ", data.Select(i => "global::System.ReadOnlySpan<double> " + names[i]));
        string weights = string.Join(", ", wrt.Select(i => "double " + names[i]));
        string columns = string.Join(", ", data.Select(i => names[i]));

        string packParameters = "global::System.ReadOnlySpan<double> " + bn.Parameters + " = stackalloc double[] { " + string.Join(", ", wrt.Select(i => names[i])) + " };";
        string Kernel(string suffix) => ContainingType(m) + "." + m.Name + "Batch" + suffix; // qualified: a parameter may have the name

        w.Line("/// <summary>");
        w.Line("/// Σᵢ " + m.Name + "(" + callArgs + ") over a batch given as one span per data parameter (" + dataNames + ", all the same");
        w.Line("/// length), and Σᵢ ∂" + m.Name + "/∂p written into <paramref name=\"" + gradientName + "\"/> for p = " + wrtNames + ", in that order.");
        w.Line("/// Several samples per instruction (the widest of Vector512/256/128 the machine accelerates, then a scalar tail),");
        w.Line("/// with the formulas of <c>" + m.Name + "Gradient</c>; agrees with it summed over the samples to rounding. No allocation.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The data spans differ in length, or <paramref name=\"" + gradientName + "\"/> has fewer than " + K + " elements.</exception>");
        w.Line(GeneratedCode);
        w.Open(acc + " static double " + m.Name + "BatchGradient(" + spans + ", " + weights + ", global::System.Span<double> " + gradientName + ")");
        LengthCheck(w, gradientName, K, wrtNames);
        SameLengthChecks(w, ps, names, data);
        w.Line(packParameters);
        w.Line(gradientName + ".Slice(0, " + K + ").Clear();");
        w.Line("return " + Kernel("GradientSums") + "(" + columns + ", " + names[data[0]] + ".Length, " + bn.Parameters + ", " + gradientName + ");");
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Σᵢ " + m.Name + "(" + callArgs + ") over a batch given as one span per data parameter (" + dataNames + ", all the same");
        w.Line("/// length), vectorised like <see cref=\"" + CSharp.MethodCref(m.Name + "BatchGradient", spans, weights, "global::System.Span<double> " + gradientName) + "\"/> but without derivatives (for line searches and evaluation).");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The data spans differ in length.</exception>");
        w.Line(GeneratedCode);
        w.Open(acc + " static double " + m.Name + "BatchValue(" + spans + ", " + weights + ")");
        SameLengthChecks(w, ps, names, data);
        w.Line(packParameters);
        w.Line("return " + Kernel("ValueSum") + "(" + columns + ", " + names[data[0]] + ".Length, " + bn.Parameters + ");");
        w.Close();
        w.Line();

        WriteBatchKernels(w, g, m, ps, names, wrt, isData, bn, sweep, reverseStart, root, used, gradientName, ct);
    }

    /// <summary>The dispatch over vector widths and the two generic kernels (value and gradient, value only).</summary>
    private static void WriteBatchKernels(
        SourceWriter w, Graph g, MethodModel m, ParameterInfo[] ps, string[] names, int[] wrt, bool[] isData, BatchNames bn, ReverseSweep sweep,
        int reverseStart, Node root, HashSet<string> used, string gradientName, System.Threading.CancellationToken ct)
    {
        // ---- dispatch over widths, then the kernels
        string columnParams = string.Join(", ", bn.Columns.Select(c => "global::System.ReadOnlySpan<double> " + c));
        // The kernels are written first, so that the dispatch can look at the gradient kernel's size.
        var gradientKernel = new SourceWriter();
        gradientKernel.Indent(w.Depth);
        WriteKernel(gradientKernel, g, m, ps, names, wrt, isData, bn, sweep, reverseStart, root, used, gradientName, gradient: true, ct);
        var valueKernel = new SourceWriter();
        valueKernel.Indent(w.Depth);
        WriteKernel(valueKernel, g, m, ps, names, wrt, isData, bn, sweep, reverseStart, root, used, gradientName, gradient: false, ct);
        bool pairs = RunsTwoChains(gradientKernel.ToString());
        string columnArgs = string.Join(", ", bn.Columns);
        void Dispatch(string suffix, bool gradient)
        {
            string extra = gradient ? ", global::System.Span<double> " + gradientName : string.Empty;
            w.Line("/// <summary>");
            w.Line("/// Σ over samples [0, " + bn.Count + ") of the batched kernel (" + (gradient ? "value and gradient" : "value") + "), one column per data parameter: the");
            w.Line("/// widest vector width this machine accelerates" + (pairs ? " (with AVX-512, two registers per step first, then one)" : string.Empty) + ", then the scalar tail.");
            w.Line("/// </summary>");
            w.Line(GeneratedCode);
            w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
            w.Open("private static double " + m.Name + "Batch" + suffix + "(" + columnParams + ", int " + bn.Count + ", global::System.ReadOnlySpan<double> " + bn.Parameters + extra + ")");
            string args = columnArgs + ", {0}, " + bn.Count + ", " + bn.Parameters + (gradient ? ", " + gradientName : string.Empty);
            string kernel = m.Name + "Batch" + (gradient ? "GradientKernel" : "ValueKernel"); // among generated parameters only: no user name can hide it
            w.Line("double " + bn.Sum + " = 0.0;");
            w.Line("int " + bn.Next + " = 0;");
            string[] widths = { "Lanes512", "Lanes256", "Lanes128" };
            for (int j = 0; j < widths.Length; j++)
            {
                string width = "global::SymGrad." + widths[j];
                w.Open((j == 0 ? "if" : "else if") + " (" + width + ".IsHardwareAccelerated)");
                bool twoRegisters = j == 0 && pairs; // AVX-512 has 32 registers: room for two samples' chains side by side (see Lanes512x2)
                if (twoRegisters)
                {
                    w.Line("// Two registers per step first, so that two independent dependency chains are in flight, then one.");
                }

                w.Line(bn.Sum + " = " + kernel + "<" + width + (twoRegisters ? "x2" : string.Empty) + ">(" + string.Format(CultureInfo.InvariantCulture, args, "0") + ", out " + bn.Next + ");");
                if (twoRegisters)
                {
                    w.Line(bn.Sum + " += " + kernel + "<" + width + ">(" + string.Format(CultureInfo.InvariantCulture, args, bn.Next) + ", out " + bn.Next + ");");
                }

                w.Close();
            }

            w.Line();
            w.Line("return " + bn.Sum + " + " + kernel + "<global::SymGrad.Lanes1>(" + string.Format(CultureInfo.InvariantCulture, args, bn.Next) + ", out _);");
            w.Close();
            w.Line();
        }

        Dispatch("GradientSums", gradient: true);
        Dispatch("ValueSum", gradient: false);

        w.Append(gradientKernel);
        w.Append(valueKernel);
    }

    /// <summary>
    /// Whether the kernels run on <c>Lanes512x2</c> (two registers per step) before <c>Lanes512</c>: for a small kernel,
    /// one whose gradient calls at most two lane functions other than selections and comparisons (the seed net's two
    /// sigmoids, a logistic regression's softplus). Such a kernel is one dependency chain per sample, and a second,
    /// independent chain beside it fills the vector units (seed net batched: 2.0 → 1.8 ns per sample). A larger kernel
    /// already has independent work in each sample (a hidden layer's units) and gained nothing in our measurements (a
    /// 2-2-1 net of three sigmoids: 3.1 ns either way), and twice its inlined body is more than the JIT inlines into one
    /// method: a 2-4-1 tanh net ran 2.4× slower on two registers.
    /// </summary>
    private static bool RunsTwoChains(string gradientKernel)
    {
        const string prefix = "global::SymGrad.Lanes.";
        int calls = 0;
        for (int at = gradientKernel.IndexOf(prefix, StringComparison.Ordinal); at >= 0; at = gradientKernel.IndexOf(prefix, at + 1, StringComparison.Ordinal))
        {
            int start = at + prefix.Length;
            int end = gradientKernel.IndexOf('(', start);
            string name = end < 0 ? string.Empty : gradientKernel.Substring(start, end - start);
            if (Array.IndexOf(CheapLaneFunctions, name) < 0)
            {
                calls++;
            }
        }

        return calls <= 2;
    }

    /// <summary>Lane functions that are a few instructions (no exponential, logarithm or division): not counted by <see cref="RunsTwoChains"/>.</summary>
    private static readonly string[] CheapLaneFunctions =
    {
        "Mask", "IsNaN", "Select", "And", "Or", "Not", "Equal", "NotEqual", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Abs", "Max", "Min",
        "Relu", "LeakyRelu", "Floor", "Ceiling", "Sign", "SafeMultiply", "Clamp",
    };

    private static void WriteKernel(
        SourceWriter w, Graph g, MethodModel m, ParameterInfo[] ps, string[] names, int[] wrt, bool[] isData, BatchNames bn, ReverseSweep sweep,
        int reverseStart, Node root, HashSet<string> used, string gradientName, bool gradient, System.Threading.CancellationToken ct)
    {
        string V = bn.Lanes;
        var outputs = new List<(string Accumulator, Node Node, Func<string>? Comment)>();
        var kernelNames = new HashSet<string>(used, StringComparer.Ordinal);
        string Fresh(string name)
        {
            while (!kernelNames.Add(name))
            {
                name += "_";
            }

            return name;
        }

        var body = new BodyEmitter(g, m.Name, i => names[i], kernelNames) { ReverseStart = reverseStart, Lanes = V };
        if (gradient)
        {
            body.AddSweep(sweep);
        }

        outputs.Add((bn.Sum, root, () => "Σ " + m.Name));
        if (gradient)
        {
            for (int j = 0; j < wrt.Length; j++)
            {
                Node p = g.Param(wrt[j]);
                string name = ps[wrt[j]].Name;
                outputs.Add((Fresh(bn.Sum + "_d" + names[wrt[j]].TrimStart('@')), sweep.Gradient[j], () => "Σ " + body.GradientComment(name, sweep, p)));
            }
        }

        ct.ThrowIfCancellationRequested();

        // What depends on the data is computed per sample; the rest (functions of the parameters and constants) once.
        var perSample = new Dictionary<Node, bool>();
        bool PerSample(Node n)
        {
            if (perSample.TryGetValue(n, out bool known))
            {
                return known;
            }

            var stack = new Stack<(Node Node, bool Expanded)>();
            stack.Push((n, false));
            while (stack.Count > 0)
            {
                (Node top, bool expanded) = stack.Pop();
                if (perSample.ContainsKey(top))
                {
                    continue;
                }

                if (top.Op == Op.Param)
                {
                    perSample[top] = isData[top.Index];
                    continue;
                }

                if (!expanded)
                {
                    stack.Push((top, true));
                    foreach (Node a in top.Args)
                    {
                        if (!perSample.ContainsKey(a))
                        {
                            stack.Push((a, false));
                        }
                    }

                    continue;
                }

                perSample[top] = top.Args.Any(a => perSample[a]);
            }

            return perSample[n];
        }

        // The hoisted values: nodes that do not depend on the data but are read by ones that do (or are outputs).
        var hoisted = new List<Node>();
        var seen = new HashSet<Node>();
        var walk = new Stack<Node>();
        foreach (var o in outputs)
        {
            walk.Push(o.Node);
        }

        while (walk.Count > 0)
        {
            Node n = walk.Pop();
            if (!seen.Add(n))
            {
                continue;
            }

            if (!PerSample(n))
            {
                if (n.Op is not (Op.Const or Op.Param or Op.True or Op.False or Op.Extern))
                {
                    hoisted.Add(n);
                }

                continue;
            }

            foreach (Node a in n.Args)
            {
                walk.Push(a);
            }
        }

        var wrtIndex = new Dictionary<int, int>();
        for (int j = 0; j < wrt.Length; j++)
        {
            wrtIndex[wrt[j]] = j;
        }

        string columnParams = string.Join(", ", bn.Columns.Select(c => "global::System.ReadOnlySpan<double> " + c));
        string kernel = m.Name + "Batch" + (gradient ? "GradientKernel" : "ValueKernel");
        w.Line("/// <summary>");
        w.Line("/// " + (gradient ? "Value and gradient" : "Value") + " of " + m.Name + " for samples [" + bn.Start + ", " + bn.Next + "), " + V + ".Count per instruction, where " + bn.Next + " is the last");
        w.Line("/// multiple of " + V + ".Count from " + bn.Start + " not past " + bn.End + ": returns Σ " + m.Name + (gradient ? " and adds Σ ∂" + m.Name + "/∂p into " + gradientName : string.Empty) + ".");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // a hot loop: fully optimised at once, not tiered");
        w.Line("private static double " + kernel + "<" + V + ">(" + columnParams + ", int " + bn.Start + ", int " + bn.End + ", global::System.ReadOnlySpan<double> " + bn.Parameters
            + (gradient ? ", global::System.Span<double> " + gradientName : string.Empty) + ", out int " + bn.Next + ")");
        w.Open("    where " + V + " : struct, global::SymGrad.ILanes<" + V + ">");

        // Parameters broadcast to every lane, and what depends only on them, computed once.
        foreach (int p in wrt)
        {
            w.Line(V + " " + names[p] + " = " + V + ".Create(" + bn.Parameters + "[" + wrtIndex[p].ToString(CultureInfo.InvariantCulture) + "]);");
        }

        if (hoisted.Count > 0)
        {
            body.Headings = false;
            w.Line();
            w.Line("// Independent of the samples: computed once for the batch.");
            foreach (Node n in hoisted)
            {
                body.ForceLocal(n);
            }

            body.EmitLocals(w, hoisted.Select(n => new Output(null, n, null)).ToList());
            foreach (Node n in hoisted)
            {
                body.Given(n, body.LocalName(n)); // the loop reads the local; nothing under it is recomputed
            }
            body.Headings = true;
        }
        else
        {
            w.Line();
        }

        foreach (var o in outputs)
        {
            w.Line(V + " " + o.Accumulator + " = " + V + ".Create(0.0);");
        }

        w.Line("int " + bn.Index + " = " + bn.Start + ";");
        w.Open("for (; " + bn.Index + " <= " + bn.End + " - " + V + ".Count; " + bn.Index + " += " + V + ".Count)");
        int column = 0;
        for (int p = 0; p < ps.Length; p++)
        {
            if (isData[p])
            {
                w.Line(V + " " + names[p] + " = " + V + ".Load(" + bn.Columns[column] + ", " + bn.Index + ");");
                column++;
            }
        }

        w.Line();
        var loopOutputs = outputs.Select(o => new Output(o.Accumulator, o.Node, o.Comment) { Operator = "+=" }).ToList();
        body.Emit(w, loopOutputs);
        w.Close();
        w.Line();
        w.Line(bn.Next + " = " + bn.Index + ";");
        for (int j = 1; j < outputs.Count; j++)
        {
            w.Line(gradientName + "[" + (j - 1).ToString(CultureInfo.InvariantCulture) + "] += " + V + ".Sum(" + outputs[j].Accumulator + ");");
        }

        w.Line("return " + V + ".Sum(" + bn.Sum + ");");
        w.Close();
        w.Line();
    }
}
