using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Emit;

/// <summary>
/// Differentiates one lowered method and writes its generated members: <c>MGradient</c> (span and
/// <c>MPartials</c> forms), <c>MSample</c>, <c>MObjective</c>, and with <c>Hessian = true</c>
/// <c>MHessian</c> and <c>MHessianVectorProduct</c>.
/// </summary>
internal static partial class MethodEmitter
{
    /// <summary>
    /// A cref to the user's method itself, with its own parameter types (a field model's fields are not among them): a bare
    /// name is ambiguous (CS0419) when the user has another overload of it.
    /// </summary>
    private static string MethodCref(MethodModel m) =>
        CSharp.MethodCref(m.Name + m.TypeParameterList, string.Join(", ", m.Parameters.Skip(m.FieldCount).Select(p => p.Type + " " + p.Name)));

    private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"SymGrad\", \"" + ThisAssembly.Version + "\")]";

    public static GeneratedMethod Generate(MethodModel m, System.Threading.CancellationToken ct)
    {
        var diagnostics = new List<DiagnosticInfo>(); // the model's own diagnostics are reported from the Methods step
        if (m.HasErrors)
        {
            return new GeneratedMethod(m.HintName, null, diagnostics.ToEquatableArray());
        }

        try
        {
            string source = Write(m, diagnostics, ct);
            return new GeneratedMethod(m.HintName, source, diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (ModelTooLargeException e)
        {
            diagnostics.Add(DiagnosticInfo.AtMethodName(Diagnostics.TooLarge, m.Name, e.Message));
        }
        catch (InsufficientExecutionStackException)
        {
            diagnostics.Add(DiagnosticInfo.AtMethodName(Diagnostics.TooLarge, m.Name, ModelTooLargeException.TooDeep));
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.AtMethodName(Diagnostics.InternalError, m.Name, e.GetType().Name + ": " + e.Message));
        }

        return new GeneratedMethod(m.HintName, null, diagnostics.ToEquatableArray());
    }

    private static string Write(MethodModel m, List<DiagnosticInfo> diagnostics, System.Threading.CancellationToken ct)
    {
        if (m.Program is not null)
        {
            ReportZeroProgramDerivatives(m, diagnostics, ct);
            return WriteProgram(m, ct);
        }

        Graph g = Graph.Import(m.Nodes, m.Externs, out Node[] nodes, m.RealKind);
        Node root = nodes[m.Root];
        ParameterInfo[] ps = m.Parameters.ToArray();
        string[] names = ps.Select(p => CSharp.Identifier(p.Name)).ToArray();
        int[] wrt = Enumerable.Range(0, ps.Length).Where(i => ps[i].IsDifferentiated).ToArray();
        int[] data = Enumerable.Range(0, ps.Length).Where(i => !ps[i].IsDifferentiated && !ps[i].IsContext).ToArray();
        int[] context = Enumerable.Range(0, ps.Length).Where(i => ps[i].IsContext).ToArray();
        Node[] wrtNodes = wrt.Select(i => g.Param(i)).ToArray();
        int k = wrt.Length;

        int reverseStart = g.Count;
        ReverseSweep sweep = Reverse.Differentiate(g, root, wrtNodes);
        ct.ThrowIfCancellationRequested();
        for (int i = 0; i < k; i++)
        {
            if (sweep.Gradient[i].IsConstValue(0))
            {
                diagnostics.Add(DiagnosticInfo.AtParameter(Diagnostics.ZeroDerivative, wrt[i], m.Name, ps[wrt[i]].Name));
            }
        }

        SourceWriter w = OpenFile(m);

        string acc = m.Accessibility;
        string real = m.Real;
        string paramList = string.Join(", ", names.Select(n => real + " " + n));
        string paramListWithDefaults = string.Join(", ", ps.Select((p, i) => real + " " + names[i] + (p.DefaultValue is null ? string.Empty : " = " + p.DefaultValue)));
        string argList = string.Join(", ", names);
        string wrtNames = string.Join(", ", wrt.Select(i => ps[i].Name));
        // Names of the generated span parameters and locals, with a '_' appended when a user parameter has the name.
        var userNames = new HashSet<string>(ps.Select(p => p.Name), StringComparer.Ordinal);
        string Fresh(string name)
        {
            while (userNames.Contains(name))
            {
                name += "_";
            }

            return name;
        }

        var spans = new SpanNames(Fresh("gradient"), Fresh("hessian"), Fresh("direction"), Fresh("product"), Fresh("value"));
        var reserved = new HashSet<string>(ps.Select(p => p.Name)) { spans.Gradient, spans.Hessian, spans.Direction, spans.Product, spans.Value };
        string P(int i) => i < names.Length ? names[i] : spans.Direction + "[" + (i - names.Length).ToString(CultureInfo.InvariantCulture) + "]";

        // ---- MGradient(…, Span<double> gradient)
        w.Line("/// <summary>");
        w.Line("/// Value and gradient of <see cref=\"" + MethodCref(m) + "\"/>: returns " + m.Name + "(" + string.Join(", ", ps.Select(p => p.Name)) + ") and writes");
        w.Line("/// ∂" + m.Name + "/∂p into <paramref name=\"" + spans.Gradient + "\"/> for p = " + (k == 0 ? "(none)" : wrtNames) + ", in that order.");
        w.Line("/// Closed form from symbolic reverse-mode differentiation; no allocation.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"" + spans.Gradient + "\"/> has fewer than " + k + " elements.</exception>");
        w.Line(GeneratedCode);
        w.Open(acc + " static " + real + " " + m.Name + "Gradient" + m.TypeParameterList + "(" + paramList + (paramList.Length > 0 ? ", " : string.Empty) + "global::System.Span<" + real + "> " + spans.Gradient + ")" + m.ConstraintClause);
        LengthCheck(w, spans.Gradient, k.ToString(CultureInfo.InvariantCulture), wrtNames);
        var body = new BodyEmitter(g, m.Name, P, reserved) { ReverseStart = reverseStart, RealType = m.RealType };
        body.AddSweep(sweep);
        var outputs = new List<Output>();
        for (int i = 0; i < k; i++)
        {
            int gi = i;
            outputs.Add(new Output(spans.Gradient + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", sweep.Gradient[i], () => body.GradientComment(ps[wrt[gi]].Name, sweep, wrtNodes[gi])));
        }

        outputs.Add(new Output(null, root, null));
        body.Emit(w, outputs);
        w.Close();
        w.Line();

        // ---- MPartials MGradient(…)
        WritePartials(w, m, ps, names, wrt, paramListWithDefaults, argList, spans.Gradient, spans.Value);

        // ---- Hessian
        if (m.Hessian)
        {
            WriteHessian(w, g, m, ps, names, wrt, wrtNodes, sweep, reverseStart, root, reserved, acc, paramList, wrtNames, spans, ct);
        }

        // A float or generic method ends here: the batched kernels and the objective (for the optimizers, which work in
        // double) are double-only.
        if (m.IsFloat || m.IsGeneric)
        {
            CloseFile(w, m);
            return w.ToString();
        }

        // ---- MBatchGradient, MBatchValue (lanes call a user's function of at most four arguments lane by lane)
        bool batch = data.Length > 0 && context.Length == 0; // a model's context values are not data columns
        bool vectorised = batch && !CallsWideCustomFunction(sweep.Gradient.Append(root)) && KernelOperations(sweep.Gradient.Append(root)) <= MaxKernelOperations;
        if (vectorised)
        {
            WriteBatch(w, g, m, ps, names, wrt, data, sweep, reverseStart, root, reserved, spans.Gradient, ct);
        }
        else if (batch)
        {
            WriteScalarBatchFallback(w, m, ps, names, wrt, data, spans.Gradient);
        }

        // ---- MSample + MObjective
        string sample = data.Length == 0 ? "global::SymGrad.NoData" : m.Name + "Sample";
        if (data.Length > 0)
        {
            w.Line("/// <summary>The data (non-differentiated) arguments of <see cref=\"" + MethodCref(m) + "\"/> for one sample.</summary>");
            w.Line(GeneratedCode);
            w.Line(acc + " readonly record struct " + sample + "(" + string.Join(", ", data.Select(i => "double " + names[i])) + ");");
            w.Line();
        }

        string iface = m.Hessian ? "global::SymGrad.ITwiceDifferentiableObjective<" + sample + ">" : "global::SymGrad.IObjective<" + sample + ">";
        string Call(string suffix, string extra)
        {
            int pi = 0;
            IEnumerable<string> args = ps.Select((p, i) => p.IsDifferentiated ? "parameters[" + (pi++).ToString(CultureInfo.InvariantCulture) + "]"
                : p.IsContext ? ContextField(p) : "sample." + names[i]);
            string all = string.Join(", ", args);

            // Qualified: inside the objective struct, a method named Value or ValueAndGradient would bind to the struct's own.
            string callee = suffix == "Evaluate" ? "Evaluate" : ContainingType(m) + "." + m.Name + suffix;
            return callee + "(" + all + (extra.Length > 0 ? (all.Length > 0 ? ", " : string.Empty) + extra : string.Empty) + ")";
        }

        w.Line("/// <summary>");
        w.Line("/// <see cref=\"" + MethodCref(m) + "\"/> as a trainable objective for the SymGrad optimizers: the sample holds the data");
        w.Line("/// arguments, the parameter vector holds (" + wrtNames + ").");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Open(acc + " readonly struct " + m.Name + "Objective : " + iface);
        WriteContextFields(w, m.Name + "Objective", ps, context, Array.Empty<string>());
        w.Line("/// <inheritdoc/>");
        w.Line("public int ParameterCount => " + k.ToString(CultureInfo.InvariantCulture) + ";");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public string GetParameterName(int index) => index switch");
        for (int i = 0; i < k; i++)
        {
            w.Line(i.ToString(CultureInfo.InvariantCulture) + " => \"" + ps[wrt[i]].Name + "\",");
        }

        w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(index)),");
        w.Close(";");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public double Value(in " + sample + " sample, global::System.ReadOnlySpan<double> parameters)");
        LengthCheck(w, "parameters", "ParameterCount", wrtNames);
        w.Line("return " + Call("Evaluate", string.Empty) + ";");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public double ValueAndGradient(in " + sample + " sample, global::System.ReadOnlySpan<double> parameters, global::System.Span<double> gradient)");
        LengthCheck(w, "parameters", "ParameterCount", wrtNames);
        w.Line("return " + Call("Gradient", "gradient") + ";");
        w.Close();
        if (m.Hessian)
        {
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public double ValueGradientAndHessian(in " + sample + " sample, global::System.ReadOnlySpan<double> parameters, global::System.Span<double> gradient, global::System.Span<double> hessian)");
            LengthCheck(w, "parameters", "ParameterCount", wrtNames);
            w.Line("return " + Call("Hessian", "gradient, hessian") + ";");
            w.Close();
        }

        if (vectorised)
        {
            string container = ContainingType(m) + "." + m.Name;
            int d = data.Length;

            // Blocks of samples transposed into columns on the stack (at most ~16 KB), a multiple of the widest vector.
            int block = Math.Max(8, Math.Min(512, 2048 / d) / 8 * 8);
            string Block = block.ToString(CultureInfo.InvariantCulture);
            string Columns() => string.Join(", ", data.Select((_, j) => "columns.Slice(" + (j * block).ToString(CultureInfo.InvariantCulture) + ", count)"));
            void Packed(string call)
            {
                w.Line("// The batched kernels read one column per data parameter: the samples are transposed " + Block + " at a time.");
                w.Line("global::System.Span<double> columns = stackalloc double[" + (d * block).ToString(CultureInfo.InvariantCulture) + "];");
                w.Line("double sum = 0.0;");
                w.Open("for (int start = 0; start < samples.Length; start += " + Block + ")");
                w.Line("int count = global::System.Math.Min(" + Block + ", samples.Length - start);");
                w.Open("for (int i = 0; i < count; i++)");
                w.Line("ref readonly " + sample + " s = ref samples[start + i];");
                for (int j = 0; j < d; j++)
                {
                    w.Line("columns[" + (j == 0 ? string.Empty : (j * block).ToString(CultureInfo.InvariantCulture) + " + ") + "i] = s." + names[data[j]] + ";");
                }

                w.Close();
                w.Line();
                w.Line("sum += " + call + ";");
                w.Close();
                w.Line();
                w.Line("return sum;");
            }
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public double SumValue(global::System.ReadOnlySpan<" + sample + "> samples, global::System.ReadOnlySpan<double> parameters)");
            LengthCheck(w, "parameters", "ParameterCount", wrtNames);
            Packed(container + "BatchValueSum(" + Columns() + ", count, parameters)");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public double SumValueAndGradient(global::System.ReadOnlySpan<" + sample + "> samples, global::System.ReadOnlySpan<double> parameters, global::System.Span<double> gradientSum)");
            LengthCheck(w, "parameters", "ParameterCount", wrtNames);
            LengthCheck(w, "gradientSum", "ParameterCount", wrtNames);
            Packed(container + "BatchGradientSums(" + Columns() + ", count, parameters, gradientSum)");
            w.Close();
        }

        w.Line();
        WriteEvaluateSummary(w, m);
        w.Open("private static double Evaluate(" + paramList + ")");
        new BodyEmitter(g, m.Name, P, reserved) { Headings = false }.Emit(w, new[] { new Output(null, root, null) });
        w.Close();
        w.Close();
        if (m.FieldCount > 0)
        {
            w.Line();
            WriteFieldMembers(w, m, partials: true, batch);
        }

        CloseFile(w, m);

        return w.ToString();
    }

    private static void WriteHessian(
        SourceWriter w, Graph g, MethodModel m, ParameterInfo[] ps, string[] names, int[] wrt, Node[] wrtNodes, ReverseSweep sweep,
        int reverseStart, Node root, HashSet<string> reserved, string acc, string paramList, string wrtNames, SpanNames spans, System.Threading.CancellationToken ct)
    {
        int k = wrt.Length;
        string K = k.ToString(CultureInfo.InvariantCulture);
        string P(int i) => i < names.Length ? names[i] : spans.Direction + "[" + (i - names.Length).ToString(CultureInfo.InvariantCulture) + "]";
        string Idx(int i) => i.ToString(CultureInfo.InvariantCulture);

        // Reverse over reverse for the rows (only j ≥ i is emitted and mirrored), forward over reverse for H·v.
        HessianPlan plan = HessianPlan.Build(g, sweep, wrtNodes, names.Length, ct);

        w.Line("/// <summary>");
        w.Line("/// Value, gradient and Hessian of <see cref=\"" + MethodCref(m) + "\"/> with respect to (" + wrtNames + "):");
        w.Line("/// <paramref name=\"" + spans.Hessian + "\"/>[i·" + K + " + j] = ∂²" + m.Name + "/∂pᵢ∂pⱼ, row-major and symmetric (each pair computed once).");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span is too short.</exception>");
        w.Line(GeneratedCode);
        string real = m.Real;
        w.Open(acc + " static " + real + " " + m.Name + "Hessian" + m.TypeParameterList + "(" + paramList + (paramList.Length > 0 ? ", " : string.Empty) + "global::System.Span<" + real + "> " + spans.Gradient + ", global::System.Span<" + real + "> " + spans.Hessian + ")" + m.ConstraintClause);
        LengthCheck(w, spans.Gradient, K, wrtNames);
        LengthCheck(w, spans.Hessian, Idx(k * k), wrtNames);
        // Both bodies recompute the value and write the gradient, sharing the forward and reverse pass nodes.
        (BodyEmitter Body, List<Output> Outputs) StartBody()
        {
            var emitter = new BodyEmitter(g, m.Name, P, reserved) { ReverseStart = reverseStart, RealType = m.RealType };
            emitter.AddSweep(sweep);
            var list = new List<Output>();
            for (int i = 0; i < k; i++)
            {
                list.Add(new Output(spans.Gradient + "[" + Idx(i) + "]", sweep.Gradient[i], null));
            }

            return (emitter, list);
        }

        (BodyEmitter body, List<Output> outputs) = StartBody();
        for (int i = 0; i < k; i++)
        {
            for (int j = i; j < k; j++)
            {
                string target = i == j ? spans.Hessian + "[" + Idx((i * k) + j) + "]" : spans.Hessian + "[" + Idx((i * k) + j) + "] = " + spans.Hessian + "[" + Idx((j * k) + i) + "]";
                string comment = "∂²" + m.Name + "/∂" + ps[wrt[i]].Name + "∂" + ps[wrt[j]].Name;
                outputs.Add(new Output(target, plan.Rows[i].Gradient[j], () => comment));
            }
        }

        outputs.Add(new Output(null, root, null));
        body.Emit(w, outputs);
        w.Close();
        w.Line();

        // Forward over reverse: H·v in code the size of the gradient.
        w.Line("/// <summary>");
        w.Line("/// Value, gradient and the Hessian-vector product H·<paramref name=\"" + spans.Direction + "\"/> of <see cref=\"" + MethodCref(m) + "\"/> with respect to");
        w.Line("/// (" + wrtNames + "), without forming H (forward-over-reverse: cost a small multiple of the gradient).");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span is too short.</exception>");
        w.Line(GeneratedCode);
        w.Open(acc + " static " + real + " " + m.Name + "HessianVectorProduct" + m.TypeParameterList + "(" + paramList + (paramList.Length > 0 ? ", " : string.Empty) + "global::System.ReadOnlySpan<" + real + "> " + spans.Direction + ", global::System.Span<" + real + "> " + spans.Gradient + ", global::System.Span<" + real + "> " + spans.Product + ")" + m.ConstraintClause);
        LengthCheck(w, spans.Direction, K, wrtNames);
        LengthCheck(w, spans.Gradient, K, wrtNames);
        LengthCheck(w, spans.Product, K, wrtNames);
        (BodyEmitter hvBody, List<Output> hvOutputs) = StartBody();

        for (int i = 0; i < k; i++)
        {
            string comment = "Σⱼ ∂²" + m.Name + "/∂" + ps[wrt[i]].Name + "∂pⱼ · directionⱼ";
            hvOutputs.Add(new Output(spans.Product + "[" + Idx(i) + "]", plan.Product[i], () => comment));
        }

        hvOutputs.Add(new Output(null, root, null));
        hvBody.Emit(w, hvOutputs);
        w.Close();
        w.Line();
    }

    /// <summary>
    /// <c>MPartials MGradient(…)</c>: value and gradient as a readable struct with one property per differentiated
    /// (scalar) parameter, over the span form.
    /// </summary>
    private static void WritePartials(SourceWriter w, MethodModel m, ParameterInfo[] ps, string[] names, int[] wrt, string paramListWithDefaults, string argList, string gradient, string value)
    {
        int k = wrt.Length;
        string acc = m.Accessibility;
        string partials = m.Name + "Partials";
        // The value's property: Value, or Result when a differentiated parameter is named Value, with '_' appended
        // while a differentiated parameter has that name too.
        string valueName = ps.Any(p => p.IsDifferentiated && p.Name == "Value") ? "Result" : "Value";
        while (ps.Any(p => p.IsDifferentiated && p.Name == valueName))
        {
            valueName += "_";
        }

        w.Line("/// <summary>Value and gradient of <see cref=\"" + MethodCref(m) + "\"/> as a readable struct with one property per differentiated parameter.</summary>");
        w.Line(GeneratedCode);
        string partialsType = partials + m.TypeParameterList;
        w.Open(acc + " static " + partialsType + " " + m.Name + "Gradient" + m.TypeParameterList + "(" + paramListWithDefaults + ")" + m.ConstraintClause);
        string real = m.Real;
        string length = Math.Max(k, 1).ToString(CultureInfo.InvariantCulture);
        if (m.IsGeneric)
        {
            // No stackalloc of a T that need not be unmanaged: a buffer lent by the tape (pooled, no allocation).
            string tape = gradient + "_tape";
            w.Line("using global::SymGrad.Tape " + tape + " = global::SymGrad.Tape.Rent();");
            w.Line("global::System.Span<" + real + "> " + gradient + " = " + tape + ".RealBuffer<" + real + ">(" + length + ");");
        }
        else
        {
            w.Line("global::System.Span<" + real + "> " + gradient + " = stackalloc " + real + "[" + length + "];");
        }

        w.Line(real + " " + value + " = " + m.Name + "Gradient(" + argList + (argList.Length > 0 ? ", " : string.Empty) + gradient + ");");
        w.Line("return new " + partialsType + "(" + value + string.Concat(Enumerable.Range(0, k).Select(i => ", " + gradient + "[" + i.ToString(CultureInfo.InvariantCulture) + "]")) + ");");
        w.Close();
        w.Line();

        w.Line("/// <summary>The value of <see cref=\"" + MethodCref(m) + "\"/> and its partial derivatives, one property per differentiated parameter.</summary>");
        w.Line("/// <param name=\"" + valueName + "\">" + m.Name + "(" + string.Join(", ", ps.Select(p => p.Name)) + ").</param>");
        foreach (int i in wrt)
        {
            w.Line("/// <param name=\"" + ps[i].Name + "\">∂" + m.Name + "/∂" + ps[i].Name + ".</param>");
        }

        w.Line(GeneratedCode);
        w.Line(acc + " readonly record struct " + partials + m.TypeParameterList + "(" + m.Real + " " + valueName + string.Concat(wrt.Select(i => ", " + m.Real + " " + names[i])) + ")" + m.ConstraintClause + ";");
        w.Line();
    }

    /// <summary>The objective's field holding context parameter <paramref name="p"/>.</summary>
    private static string ContextField(ParameterInfo p) => "_" + p.Name + "Context";

    /// <summary>
    /// A field model's objective holds its context values (set by <c>CreateMObjective()</c> from the model's fields):
    /// one readonly field each, and a constructor taking them after <paramref name="leading"/> (e.g. array lengths).
    /// </summary>
    private static void WriteContextFields(SourceWriter w, string objective, ParameterInfo[] ps, int[] context, string[] leading)
    {
        if (context.Length == 0)
        {
            return;
        }

        foreach (int i in context)
        {
            w.Line("private readonly " + ps[i].Type + " " + ContextField(ps[i]) + ";");
        }

        w.Line();
        w.Line("/// <summary>An objective over these values of the model's other fields (" + string.Join(", ", context.Select(i => ps[i].Name)) + ").</summary>");
        w.Open("public " + objective + "(" + string.Join(", ", leading.Concat(context.Select(i => ps[i].Type + " " + CSharp.Identifier(ps[i].Name)))) + ")");
        foreach (int i in context)
        {
            w.Line(ContextField(ps[i]) + " = " + CSharp.Identifier(ps[i].Name) + ";");
        }

        w.Close();
        w.Line();
    }

    private static void WriteEvaluateSummary(SourceWriter w, MethodModel m)
    {
        w.Line("/// <summary>");
        w.Line("/// " + m.Name + "'s value exactly as the gradient computes it (with the same stability rewrites, e.g. log σ(z) without");
        w.Line("/// overflow), so that a line search or a loss report sees the function whose gradient the optimizer is given.");
        w.Line("/// </summary>");
    }

    /// <summary>Whether a node <paramref name="roots"/> depend on is a user's function of more than four arguments.</summary>
    private static bool CallsWideCustomFunction(IEnumerable<Node> roots)
    {
        bool found = false;
        Node.Visit(roots, n =>
        {
            found |= n.Op == Op.Call && n.Fn == Fn.Custom && n.Args.Length > 4;
            return n.Args;
        });
        return found;
    }

    /// <summary>The generated file's header, namespace and containing partial types, opened.</summary>
    private static SourceWriter OpenFile(MethodModel m)
    {
        var w = new SourceWriter();
        w.Line("// <auto-generated/>");
        w.Line("// Generated by SymGrad from " + m.Name + "(" + string.Join(", ", m.Parameters.Select(p => p.Name)) + "). Do not edit: change the method and rebuild.");
        w.Line("#nullable enable");
        w.Line();
        if (m.Namespace is not null)
        {
            w.Open("namespace " + m.Namespace);
        }

        foreach (TypeDeclInfo t in m.ContainingTypes)
        {
            w.Open((t.IsStatic ? "static " : string.Empty) + "partial " + t.Keyword + " " + t.Name);
        }

        return w;
    }

    /// <summary>Closes what <see cref="OpenFile"/> opened.</summary>
    private static void CloseFile(SourceWriter w, MethodModel m)
    {
        for (int i = m.ContainingTypes.Count - 1; i >= 0; i--)
        {
            w.Close();
        }

        if (m.Namespace is not null)
        {
            w.Close();
        }
    }

    /// <summary>The fully qualified containing type, e.g. <c>global::N.Outer&lt;T&gt;.Inner</c>.</summary>
    private static string ContainingType(MethodModel m)
        => "global::" + (m.Namespace is null ? string.Empty : m.Namespace + ".") + string.Join(".", m.ContainingTypes.Select(t => t.Name));

    private static void LengthCheck(SourceWriter w, string span, string count, string wrtNames)
    {
        w.Open("if (" + span + ".Length < " + count + ")");
        w.Line("throw new global::System.ArgumentException(\"" + span + " needs \" + " + count + " + \" elements (" + wrtNames + ") but has \" + " + span + ".Length + \".\", nameof(" + span + "));");
        w.Close();
        w.Line();
    }
}

/// <summary>Names of the generated span parameters and the value local (renamed when a user parameter has one of them).</summary>
internal sealed record SpanNames(string Gradient, string Hessian, string Direction, string Product, string Value);
