using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Emit;

/// <summary>
/// The vectorised batch of a program-mode method whose loops and indices are compile-time constants (a network over
/// a weight vector with fixed layer sizes): <see cref="Unroller"/> turns it into one straight-line DAG over the
/// weights it reads, and the batch is that DAG's scalar-mode kernel. The public members gather those weights from
/// the method's arrays into a small leaf vector and scatter the kernel's gradient back into the flat layout.
/// </summary>
internal static partial class MethodEmitter
{
    /// <summary>Most weights a vectorised batch gathers (on the stack); a method that reads more keeps the scalar fallback.</summary>
    private const int MaxLeaves = 1024;

    private static bool TryWriteUnrolledBatch(SourceWriter w, IrProgram program, Graph g, ProgramFrame f, System.Threading.CancellationToken ct)
    {
        MethodModel m = f.M;
        ParameterInfo[] ps = f.Ps;
        List<int> scalars = Enumerable.Range(0, ps.Length).Where(i => ps[i].IsScalar).ToList();
        Unroller? u = Unroller.TryUnroll(program, g, scalars, i => i < 0 || !ps[i].IsDifferentiated);
        if (u is null || u.Leaves.Count > MaxLeaves + scalars.Count)
        {
            return false;
        }

        ct.ThrowIfCancellationRequested();
        Graph t = u.Target;
        int leafCount = u.Leaves.Count;
        HashSet<string> used = f.Used();
        string Fresh(string name)
        {
            while (!used.Add(name))
            {
                name += "_";
            }

            return CSharp.Identifier(name);
        }

        var leafPs = new ParameterInfo[leafCount];
        var leafNames = new string[leafCount];
        var isData = new bool[leafCount];
        for (int j = 0; j < leafCount; j++)
        {
            (int pi, long k) = u.Leaves[j];
            bool data = !ps[pi].IsDifferentiated;
            isData[j] = data;
            leafNames[j] = k < 0 ? f.Names[pi] : Fresh(ps[pi].Name.TrimStart('@') + "_" + k.ToString(CultureInfo.InvariantCulture));
            string display = k < 0 ? ps[pi].Name : ps[pi].Name + "[" + k.ToString(CultureInfo.InvariantCulture) + "]";
            leafPs[j] = new ParameterInfo(display, !data, null, null);
        }

        int[] wrt = Enumerable.Range(0, leafCount).Where(j => !isData[j]).ToArray();
        int[] dataLeaves = Enumerable.Range(0, leafCount).Where(j => isData[j]).ToArray();
        if (wrt.Length == 0)
        {
            return false;
        }

        int reverseStart = t.Count;
        ReverseSweep sweep = Reverse.Differentiate(t, u.Root, wrt.Select(j => t.Param(j)).ToArray());
        ct.ThrowIfCancellationRequested();
        if (KernelOperations(sweep.Gradient.Append(u.Root)) > MaxKernelOperations)
        {
            return false;
        }

        var bn = new BatchNames(n => Fresh(n), leafNames, dataLeaves);
        string weights = Fresh("weights");
        string weightGradient = Fresh("weightGradient");
        string sum = Fresh("sum");
        string n = Fresh("n");
        (Dictionary<int, string> offsets, string size) = f.Offsets(i => f.Names[i] + ".Length");
        string spans = string.Join(", ", f.Data.Select(d => "global::System.ReadOnlySpan<double> " + f.Names[d]));
        string weightParams = string.Join(", ", f.Wrt.Select(p => ps[p].Type + " " + f.Names[p]));
        string columns = string.Join(", ", f.Data.Select(d => f.Names[d]));
        string count = f.Names[f.Data[0]] + ".Length";
        string W = wrt.Length.ToString(CultureInfo.InvariantCulture);
        string dataNames = string.Join(", ", f.Data.Select(d => ps[d].Name));

        // Runs of weights: a scalar, or consecutive elements of one array parameter (gathered and scattered as slices).
        var runs = new List<(int Param, long First, int Length, int At)>();
        for (int q = 0; q < wrt.Length; q++)
        {
            (int pi, long k) = u.Leaves[wrt[q]];
            if (k >= 0 && runs.Count > 0 && runs[runs.Count - 1] is var last && last.Param == pi && last.First >= 0 && last.First + last.Length == k)
            {
                runs[runs.Count - 1] = (pi, last.First, last.Length + 1, last.At);
            }
            else
            {
                runs.Add((pi, k, 1, q));
            }
        }

        string Slice(int pi, long first, int length)
        {
            string a = f.Names[pi];
            string range = first.ToString(CultureInfo.InvariantCulture) + ", " + length.ToString(CultureInfo.InvariantCulture);
            return ps[pi].Type.EndsWith("[]", System.StringComparison.Ordinal) ? "global::System.MemoryExtensions.AsSpan(" + a + ", " + range + ")" : a + ".Slice(" + range + ")";
        }

        void Gather()
        {
            // Each array is read up to a fixed element: check its length once, as the scalar code would fail on the read.
            foreach (IGrouping<int, (int Param, long Element)> reads in u.Leaves.Where(l => l.Element >= 0).GroupBy(l => l.Param))
            {
                long needed = reads.Max(l => l.Element) + 1;
                string a = f.Names[reads.Key];
                string needs = needed.ToString(CultureInfo.InvariantCulture);
                w.Open("if (" + a + ".Length < " + needs + ")");
                w.Line("throw new global::System.ArgumentException(\"" + ps[reads.Key].Name + " has \" + " + a + ".Length + \" elements, but " + m.Name + " reads " + ps[reads.Key].Name + "[" + (needed - 1).ToString(CultureInfo.InvariantCulture) + "].\", nameof(" + a + "));");
                w.Close();
                w.Line();
            }

            w.Line("global::System.Span<double> " + weights + " = stackalloc double[" + W + "];");
            foreach ((int pi, long first, int length, int at) in runs)
            {
                string q = at.ToString(CultureInfo.InvariantCulture);
                w.Line(first < 0
                    ? weights + "[" + q + "] = " + f.Names[pi] + ";"
                    : Slice(pi, first, length) + ".CopyTo(" + weights + ".Slice(" + q + ", " + length.ToString(CultureInfo.InvariantCulture) + "));");
            }
        }

        string self = ContainingType(m) + "." + m.Name; // qualified: a parameter may have the method's name
        w.Line("/// <summary>");
        w.Line("/// Σᵢ " + m.Name + " over a batch given as one span per data parameter (" + dataNames + ", all the same length), and");
        w.Line("/// Σᵢ ∂" + m.Name + "/∂p written into <paramref name=\"" + f.Gradient + "\"/> in the flat layout (" + f.Layout + ").");
        w.Line("/// " + m.Name + "'s loops and indices are compile-time constants, so it is unrolled into one straight-line kernel over the");
        w.Line("/// " + W + " weights it reads, evaluated several samples per instruction like a method without loops.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The data spans differ in length, an array is shorter than the method reads, or a span is too short.</exception>");
        w.Line(GeneratedCode);
        w.Open(m.Accessibility + " static double " + m.Name + "BatchGradient(" + spans + ", " + weightParams + ", global::System.Span<double> " + f.Gradient + ")");
        w.Line("int " + n + " = " + size + ";");
        f.LengthCheck(w, f.Gradient, n);
        w.Line();
        SameLengthChecks(w, f.Ps, f.Names, f.Data);
        Gather();
        w.Line("global::System.Span<double> " + weightGradient + " = stackalloc double[" + W + "];");
        w.Line(weightGradient + ".Clear();");
        w.Line("double " + sum + " = " + self + "BatchGradientSums(" + columns + ", " + count + ", " + weights + ", " + weightGradient + ");");
        w.Line(f.Gradient + ".Slice(0, " + n + ").Clear();");
        foreach ((int pi, long first, int length, int at) in runs)
        {
            string q = at.ToString(CultureInfo.InvariantCulture);
            string off = offsets[pi];
            w.Line(first < 0
                ? f.Gradient + "[" + off + "] = " + weightGradient + "[" + q + "];"
                : weightGradient + ".Slice(" + q + ", " + length.ToString(CultureInfo.InvariantCulture) + ").CopyTo(" + f.Gradient + ".Slice(" + (off == "0" ? string.Empty : off + " + ") + first.ToString(CultureInfo.InvariantCulture) + ", " + length.ToString(CultureInfo.InvariantCulture) + "));");
        }

        w.Line("return " + sum + ";");
        w.Close();
        w.Line();

        w.Line("/// <summary>Σᵢ " + m.Name + " over a batch given as one span per data parameter (" + dataNames + ", all the same length), vectorised like <see cref=\"" + CSharp.MethodCref(m.Name + "BatchGradient", spans, weightParams, "global::System.Span<double> " + f.Gradient) + "\"/>.</summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The data spans differ in length, or an array is shorter than the method reads.</exception>");
        w.Line(GeneratedCode);
        w.Open(m.Accessibility + " static double " + m.Name + "BatchValue(" + spans + ", " + weightParams + ")");
        SameLengthChecks(w, f.Ps, f.Names, f.Data);
        Gather();
        w.Line("return " + self + "BatchValueSum(" + columns + ", " + count + ", " + weights + ");");
        w.Close();
        w.Line();

        WriteBatchKernels(w, t, m, leafPs, leafNames, wrt, isData, bn, sweep, reverseStart, u.Root, used, f.Gradient, ct);
        return true;
    }
}
