using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Emit;

/// <summary>
/// Program mode (a method with array or span parameters, run-time loops, or branches around them): MGradient over the
/// same parameters with the derivatives flat in declaration order (an array or span parameter of length L takes L
/// slots), MHessianVectorProduct and MHessian from reverse mode over the tangent-linear program, MSample and
/// MObjective over a flat parameter vector with that layout.
/// </summary>
internal static partial class MethodEmitter
{
    /// <summary>
    /// SG0100 for a program: a differentiated parameter (a scalar, or an array as a whole) from which no derivative reaches
    /// the result. Activity (Tapenade's "varied") from that parameter alone, then whether the result reads a varied value
    /// along a differentiable path (not through a condition or an int). Bisection on a parameter is the case to catch:
    /// the parameter moves the result only through branch conditions, so its derivative is 0 everywhere it exists.
    /// </summary>
    private static void ReportZeroProgramDerivatives(MethodModel m, List<DiagnosticInfo> diagnostics, System.Threading.CancellationToken ct)
    {
        IrProgram program = IrProgram.Import(m.Program!, m.Externs, out Graph g, m.RealKind);
        ParameterInfo[] ps = m.Parameters.ToArray();
        for (int i = 0; i < ps.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (!ps[i].IsDifferentiated)
            {
                continue;
            }

            IrArray? array = ps[i].IsArray ? program.Arrays.FirstOrDefault(a => a.ParamIndex == i && a.Kind == ArrayKind.Parameter) : null;
            if (ps[i].IsArray && array is null)
            {
                continue; // a shape SymGrad reads another way (a matrix's flat view): not judged here
            }

            (HashSet<int> vars, HashSet<int> arrays) = array is null
                ? AdjointPlan.Varied(g, program, new[] { i }, Array.Empty<int>())
                : AdjointPlan.Varied(g, program, Array.Empty<int>(), new[] { array.Id });
            if (!ReachesThroughDerivatives(program.Result, i, array?.Id, vars, arrays, new HashSet<Node>()))
            {
                diagnostics.Add(DiagnosticInfo.AtParameter(Diagnostics.ZeroDerivative, i, m.Name, ps[i].Name));
            }
        }
    }

    /// <summary>Whether a derivative path (numeric arguments only) leads from <paramref name="n"/> to the parameter or a value it varies.</summary>
    private static bool ReachesThroughDerivatives(Node n, int param, int? array, HashSet<int> vars, HashSet<int> arrays, HashSet<Node> seen)
    {
        if (!seen.Add(n))
        {
            return false;
        }

        switch (n.Op)
        {
            case Op.Param:
                return array is null && n.Index == param;
            case Op.Var:
                return vars.Contains(n.Index);
            case Op.Load:
                return n.Index == array || arrays.Contains(n.Index);
        }

        foreach (Node arg in Differentiation.Reverse.NumericArgs(n))
        {
            if (ReachesThroughDerivatives(arg, param, array, vars, arrays, seen))
            {
                return true;
            }
        }

        return false;
    }

    private static string WriteProgram(MethodModel m, System.Threading.CancellationToken ct)
    {
        IrProgram program = IrProgram.Import(m.Program!, m.Externs, out Graph g, m.RealKind);
        var f = new ProgramFrame(m, program);
        SourceWriter w = OpenFile(m);
        WriteProgramGradient(w, g, f, ct);
        if (!f.Ps.Any(p => p.IsArray))
        {
            // Scalars only (a method with branches, or int data): the readable per-parameter form as well.
            // Defaults are kept when only double parameters have them (the model holds them as double literals).
            bool defaults = f.Ps.All(p => p.DefaultValue is null || p.IsScalar);
            string withDefaults = string.Join(", ", f.Ps.Select((p, i) => p.Type + " " + f.Names[i] + (p.DefaultValue is null || !defaults ? string.Empty : " = " + p.DefaultValue)));
            WritePartials(w, m, f.Ps, f.Names, f.Wrt, withDefaults, f.ArgList, f.Gradient, f.Value);
        }

        if (m.Hessian)
        {
            WriteProgramHessianVectorProduct(w, g, f, ct);
            WriteProgramHessian(w, f);
        }

        if (m.IsFloat || m.IsGeneric)
        {
            // No batched members or objective for a float or generic method (they are double), as in scalar mode.
            CloseFile(w, m);
            return w.ToString();
        }

        // A differentiated matrix (double[,]) has no flat slice of a parameter vector to stand for it: such a method gets
        // MGradient and the second-order members, but no batched members or objective (train it with a flat double[]).
        if (f.Wrt.Any(i => f.Ps[i].Type == "double[,]" || f.Ps[i].Stride > 1))
        {
            CloseFile(w, m);
            return w.ToString();
        }

        bool batch = f.Data.Length > 0 && f.Data.All(i => f.Ps[i].Type == "double") && !f.Ps.Any(p => p.IsContext);
        if (batch && !TryWriteUnrolledBatch(w, program, g, f, ct))
        {
            WriteProgramBatch(w, f);
        }

        WriteProgramObjective(w, g, f);
        if (m.FieldCount > 0)
        {
            w.Line();
            WriteFieldMembers(w, m, partials: !f.Ps.Any(p => p.IsArray), batch);
        }

        CloseFile(w, m);
        return w.ToString();
    }

    /// <summary>What every program-mode member needs: names, the differentiated parameters and their flat layout.</summary>
    private sealed class ProgramFrame
    {
        private readonly HashSet<string> _userNames;

        public ProgramFrame(MethodModel m, IrProgram program)
        {
            M = m;
            Program = program;
            Ps = m.Parameters.ToArray();
            Names = Ps.Select(p => CSharp.Identifier(p.Name)).ToArray();
            _userNames = new HashSet<string>(Ps.Select(p => p.Name), StringComparer.Ordinal);
            Gradient = Fresh("gradient");
            Value = Fresh("value");
            Direction = Fresh("direction");
            Product = Fresh("product");
            Hessian = Fresh("hessian");
            Wrt = Enumerable.Range(0, Ps.Length).Where(i => Ps[i].IsDifferentiated).ToArray();
            Data = Enumerable.Range(0, Ps.Length).Where(i => !Ps[i].IsDifferentiated && !Ps[i].IsContext).ToArray();
            WrtArrays = program.Arrays.Where(a => a.ParamIndex >= 0 && Ps[a.ParamIndex].IsDifferentiated).ToList();
            Layout = string.Join(", ", Wrt.Select(i => Ps[i].IsArray ? Ps[i].Name + "[0.." + Ps[i].Name + ".Length]" + (Ps[i].Stride > 1 ? " (" + Ps[i].Stride.ToString(CultureInfo.InvariantCulture) + " fields each)" : string.Empty) : Ps[i].Name));
            ParamList = string.Join(", ", Ps.Select((p, i) => p.Type + " " + Names[i]));
            ArgList = string.Join(", ", Names);
        }

        public MethodModel M { get; }

        public IrProgram Program { get; }

        public ParameterInfo[] Ps { get; }

        public string[] Names { get; }

        public string Gradient { get; }

        public string Value { get; }

        public string Direction { get; }

        public string Product { get; }

        public string Hessian { get; }

        public int[] Wrt { get; }

        public int[] Data { get; }

        public List<IrArray> WrtArrays { get; }

        /// <summary>The flat layout as documentation text, e.g. <c>b, w[0..w.Length]</c>.</summary>
        public string Layout { get; }

        public string ParamList { get; }

        public string ArgList { get; }

        /// <summary>
        /// How the program's code reads parameter <paramref name="i"/>: a <c>long</c> the method never assigns is read as
        /// an int (<c>((int)n)</c>), as the program's int arithmetic is (counts and indices fit an int).
        /// </summary>
        public string Read(int i) => Ps[i].Type == "long" && !Program.Vars.Any(v => v.ParamIndex == i && IrProgram.Walk(Program.Body).OfType<BlockStmt>().Any(b => b.Assigns.Any(a => a.Var == v)))
            ? "((int)" + Names[i] + ")"
            : Names[i];

        /// <summary>A generated name, with '_' appended while a user parameter has it.</summary>
        public string Fresh(string name)
        {
            while (_userNames.Contains(name))
            {
                name += "_";
            }

            return name;
        }

        /// <summary>Names taken in a generated method body: the user's parameters and the generated spans.</summary>
        public HashSet<string> Used()
        {
            var used = new HashSet<string>(StringComparer.Ordinal) { Gradient, Value, Direction, Product, Hessian };
            used.UnionWith(Ps.Select(p => p.Name));
            return used;
        }

        /// <summary>The gradient slots of array parameter <paramref name="i"/>: its length, times its struct's field count for an array of structs.</summary>
        public string Slots(int i) => Names[i] + ".Length" + (Ps[i].Stride > 1 ? " * " + Ps[i].Stride.ToString(CultureInfo.InvariantCulture) : string.Empty);

        /// <summary>
        /// The offset expression of each differentiated parameter in the flat vector, and the total length, given how
        /// the length of an array parameter is written (<c>w.Length</c> in a method, a field in the objective).
        /// </summary>
        public (Dictionary<int, string> Offsets, string Size) Offsets(Func<int, string> lengthOf)
        {
            var offsets = new Dictionary<int, string>();
            var arrays = new List<string>();
            int scalars = 0;
            foreach (int i in Wrt)
            {
                string prefix = string.Join(" + ", arrays.Concat(scalars > 0 ? new[] { scalars.ToString(CultureInfo.InvariantCulture) } : Array.Empty<string>()));
                offsets[i] = prefix.Length == 0 ? "0" : prefix;
                if (Ps[i].IsArray)
                {
                    arrays.Add(lengthOf(i));
                }
                else
                {
                    scalars++;
                }
            }

            string size = string.Join(" + ", (scalars > 0 || arrays.Count == 0 ? new[] { scalars.ToString(CultureInfo.InvariantCulture) } : Array.Empty<string>()).Concat(arrays));
            return (offsets, size);
        }

        public string Signature(string suffix, string extra)
            => M.Accessibility + " static " + M.Real + " " + M.Name + suffix + M.TypeParameterList + "(" + ParamList + (ParamList.Length > 0 ? ", " : string.Empty) + extra + ")" + M.ConstraintClause;

        /// <summary>A cref to the member <see cref="Signature"/> declares (one overload: a field model has two of each).</summary>
        public string Cref(string suffix, string extra) => CSharp.MethodCref(M.Name + suffix + M.TypeParameterList, ParamList, extra);

        public void LengthCheck(SourceWriter w, string span, string size)
        {
            w.Open("if (" + span + ".Length < " + size + ")");
            w.Line("throw new global::System.ArgumentException(\"" + span + " needs \" + (" + size + ") + \" elements (" + Layout + ") but has \" + " + span + ".Length + \".\", nameof(" + span + "));");
            w.Close();
        }
    }

    private static void WriteProgramGradient(SourceWriter w, Graph g, ProgramFrame f, System.Threading.CancellationToken ct)
    {
        MethodModel m = f.M;
        var plan = new AdjointPlan(g, f.Program, f.Wrt.Where(i => f.Ps[i].IsScalar), f.WrtArrays.Select(a => a.Id));
        ct.ThrowIfCancellationRequested();
        var emitter = new ProgramEmitter(g, f.Program, plan, m.Name, f.Wrt.Where(i => f.Ps[i].IsScalar).Select(i => (i, f.Ps[i].Name)), f.Read, f.Used()) { RealType = m.RealType };
        (Dictionary<int, string> offsets, string size) = f.Offsets(f.Slots);

        w.Line("/// <summary>");
        w.Line("/// Value and gradient of <see cref=\"" + MethodCref(m) + "\"/>: returns " + m.Name + "(" + string.Join(", ", f.Ps.Select(p => p.Name)) + ") and writes");
        w.Line("/// ∂" + m.Name + "/∂p into <paramref name=\"" + f.Gradient + "\"/> for p = " + (f.Wrt.Length == 0 ? "(none)" : f.Layout) + ", flat, in that order.");
        w.Line("/// Reverse mode through the method's own loops and branches; the tape is pooled, so steady-state calls do not allocate");
        w.Line("/// beyond the buffers the method itself allocates.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"" + f.Gradient + "\"/> is shorter than " + size + ".</exception>");
        w.Line(GeneratedCode);
        string real = m.Real;
        w.Open(f.Signature("Gradient", "global::System.Span<" + real + "> " + f.Gradient));
        f.LengthCheck(w, f.Gradient, size);
        w.Line();
        foreach (IrArray a in f.WrtArrays)
        {
            w.Line("global::System.Span<" + real + "> " + emitter.AdjointArray(a) + " = " + f.Gradient + ".Slice(" + offsets[a.ParamIndex] + ", " + f.Slots(a.ParamIndex) + ");");
            w.Line(emitter.AdjointArray(a) + ".Clear();");
        }

        foreach (int i in f.Wrt.Where(i => f.Ps[i].IsScalar))
        {
            w.Line(real + " " + emitter.ParamAdjoint(i) + " = " + m.RealType.Literal(0.0) + ";");
        }

        emitter.Emit(w, f.Value);
        foreach (int i in f.Wrt.Where(i => f.Ps[i].IsScalar))
        {
            w.Line(f.Gradient + "[" + offsets[i] + "] = " + emitter.ParamAdjoint(i) + ";");
        }

        w.Line("return " + f.Value + ";");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// H·v by reverse mode over the tangent-linear program: one forward sweep carries each value and its directional
    /// derivative along <c>direction</c>; the reverse sweep of ∇f·v yields H·v (adjoints of the parameters) and ∇f
    /// (adjoints of their tangents) together, through the same loops, branches and tape as the gradient.
    /// </summary>
    private static void WriteProgramHessianVectorProduct(SourceWriter w, Graph g, ProgramFrame f, System.Threading.CancellationToken ct)
    {
        MethodModel m = f.M;
        HashSet<string> used = f.Used();
        int next = f.Ps.Length;
        var tangentNames = new Dictionary<int, string>();
        var scalarTangents = new Dictionary<int, int>();
        var arrayTangents = new Dictionary<int, int>();
        string Take(string name)
        {
            string candidate = name;
            for (int k = 1; !used.Add(candidate); k++)
            {
                candidate = name + "_" + k.ToString(CultureInfo.InvariantCulture);
            }

            return CSharp.Identifier(candidate);
        }

        foreach (int i in f.Wrt)
        {
            int virtualIndex = next++;
            tangentNames[virtualIndex] = Take(f.Ps[i].Name + "_dot");
            if (f.Ps[i].IsArray)
            {
                arrayTangents[f.WrtArrays.First(a => a.ParamIndex == i).Id] = virtualIndex;
            }
            else
            {
                scalarTangents[i] = virtualIndex;
            }
        }

        var tangent = new TangentProgram(g, f.Program, scalarTangents, arrayTangents);
        ct.ThrowIfCancellationRequested();
        IrProgram t = tangent.Program;
        var tangentArrays = f.WrtArrays.Select(tangent.ArrayTangent).ToList();
        var wrtScalars = scalarTangents.Keys.Concat(scalarTangents.Values).ToList();
        var plan = new AdjointPlan(g, t, wrtScalars, f.WrtArrays.Concat(tangentArrays).Select(a => a.Id));
        ct.ThrowIfCancellationRequested();
        string Name(int i) => i < f.Names.Length ? f.Read(i) : tangentNames[i];
        var emitter = new ProgramEmitter(g, t, plan, m.Name + "_dot", wrtScalars.Select(i => (i, i < f.Names.Length ? f.Ps[i].Name : tangentNames[i])), Name, used) { RealType = m.RealType };
        (Dictionary<int, string> offsets, string size) = f.Offsets(f.Slots);

        w.Line("/// <summary>");
        w.Line("/// Value, gradient and Hessian-vector product of <see cref=\"" + MethodCref(m) + "\"/>: returns " + m.Name + "(" + string.Join(", ", f.Ps.Select(p => p.Name)) + "), writes");
        w.Line("/// ∂" + m.Name + "/∂p into <paramref name=\"" + f.Gradient + "\"/> and H·<paramref name=\"" + f.Direction + "\"/> into <paramref name=\"" + f.Product + "\"/>, all in the flat layout (" + f.Layout + ").");
        w.Line("/// Reverse mode over the tangent-linear program (x_dot = ∂x/∂p·direction): exact, through the method's own loops and");
        w.Line("/// branches, at a small multiple of the gradient's cost; no allocation beyond the buffers the method allocates (and their tangents).");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span is shorter than " + size + ".</exception>");
        w.Line(GeneratedCode);
        string real = m.Real;
        w.Open(f.Signature("HessianVectorProduct", HessianVectorProductSpans(f)));
        f.LengthCheck(w, f.Direction, size);
        f.LengthCheck(w, f.Gradient, size);
        f.LengthCheck(w, f.Product, size);
        w.Line();
        w.Line("// Tangents of the differentiated parameters: the direction, in the gradient's layout.");
        foreach (int i in f.Wrt)
        {
            int v = f.Ps[i].IsArray ? arrayTangents[f.WrtArrays.First(a => a.ParamIndex == i).Id] : scalarTangents[i];
            w.Line(f.Ps[i].IsArray
                ? "global::System.ReadOnlySpan<" + real + "> " + tangentNames[v] + " = " + f.Direction + ".Slice(" + offsets[i] + ", " + f.Slots(i) + ");"
                : real + " " + tangentNames[v] + " = " + f.Direction + "[" + offsets[i] + "];");
        }

        w.Line("// Adjoints of ∇" + m.Name + "·direction: w.r.t. a parameter, (H·direction)ᵢ; w.r.t. its tangent, ∂" + m.Name + "/∂pᵢ.");
        foreach (IrArray a in f.WrtArrays)
        {
            string length = f.Slots(a.ParamIndex);
            w.Line("global::System.Span<" + real + "> " + emitter.AdjointArray(a) + " = " + f.Product + ".Slice(" + offsets[a.ParamIndex] + ", " + length + ");");
            w.Line(emitter.AdjointArray(a) + ".Clear();");
            IrArray ta = tangent.ArrayTangent(a);
            w.Line("global::System.Span<" + real + "> " + emitter.AdjointArray(ta) + " = " + f.Gradient + ".Slice(" + offsets[a.ParamIndex] + ", " + length + ");");
            w.Line(emitter.AdjointArray(ta) + ".Clear();");
        }

        foreach (int i in wrtScalars)
        {
            w.Line(real + " " + emitter.ParamAdjoint(i) + " = " + m.RealType.Literal(0.0) + ";");
        }

        emitter.Emit(w, null, (f.Value, tangent.Value));
        foreach (KeyValuePair<int, int> kv in scalarTangents)
        {
            (int i, int v) = (kv.Key, kv.Value);
            w.Line(f.Product + "[" + offsets[i] + "] = " + emitter.ParamAdjoint(i) + ";");
            w.Line(f.Gradient + "[" + offsets[i] + "] = " + emitter.ParamAdjoint(v) + ";");
        }

        w.Line("return " + f.Value + ";");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// <c>MBatchGradient</c>/<c>MBatchValue</c> of a method whose data are doubles but whose body has control flow or
    /// arrays: the documented scalar fallback, one sample at a time through <c>MGradient</c>, added in order. (Lanes
    /// would need masks for branches on data and a common trip count for loops; this is never wrong, only not vectorised.)
    /// </summary>
    private static void WriteProgramBatch(SourceWriter w, ProgramFrame f)
    {
        (Dictionary<int, string> _, string size) = f.Offsets(f.Slots);
        WriteSampleBySampleBatch(
            w, f.M, f.Ps, f.Names, f.Wrt, f.Data, f.Gradient, f.Fresh, size, (span, n) => f.LengthCheck(w, span, n),
            "written into <paramref name=\"" + f.Gradient + "\"/> in the flat layout (" + f.Layout + "). " + f.M.Name + " has loops, branches or arrays");
    }

    /// <summary>The full Hessian, one Hessian-vector product per unit direction, then symmetrized.</summary>
    /// <summary>The span parameters <c>MHessianVectorProduct</c> takes after the method's own.</summary>
    private static string HessianVectorProductSpans(ProgramFrame f) =>
        "global::System.ReadOnlySpan<" + f.M.Real + "> " + f.Direction + ", global::System.Span<" + f.M.Real + "> " + f.Gradient + ", global::System.Span<" + f.M.Real + "> " + f.Product;

    private static void WriteProgramHessian(SourceWriter w, ProgramFrame f)
    {
        MethodModel m = f.M;
        (Dictionary<int, string> _, string size) = f.Offsets(f.Slots);
        string n = f.Fresh("n");
        string unit = f.Fresh("unit");
        string e = f.Fresh("e");
        string i = f.Fresh("i");
        string j = f.Fresh("j");
        string h = f.Fresh("h");
        string args = f.ArgList + (f.ArgList.Length > 0 ? ", " : string.Empty);
        w.Line("/// <summary>");
        w.Line("/// Value, gradient and Hessian of <see cref=\"" + MethodCref(m) + "\"/> in the flat layout (" + f.Layout + "):");
        w.Line("/// <paramref name=\"" + f.Hessian + "\"/>[i·n + j] = ∂²" + m.Name + "/∂pᵢ∂pⱼ, row-major, n = " + size + ". Row i is the exact product H·eᵢ from");
        w.Line("/// <see cref=\"" + f.Cref("HessianVectorProduct", HessianVectorProductSpans(f)) + "\"/>; the result is symmetrized. The unit vector comes from the shared array pool.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span is too short.</exception>");
        w.Line(GeneratedCode);
        string real = m.Real;
        string Lit(double v) => m.RealType.Literal(v);
        w.Open(f.Signature("Hessian", "global::System.Span<" + real + "> " + f.Gradient + ", global::System.Span<" + real + "> " + f.Hessian));
        w.Line("int " + n + " = " + size + ";");
        f.LengthCheck(w, f.Gradient, n);
        f.LengthCheck(w, f.Hessian, n + " * " + n);
        w.Open("if (" + n + " == 0)");
        w.Line("return " + m.Name + "Gradient(" + args + f.Gradient + ");");
        w.Close();
        w.Line();
        w.Line(real + " " + f.Value + " = " + Lit(0.0) + ";");
        w.Line(real + "[] " + unit + " = global::System.Buffers.ArrayPool<" + real + ">.Shared.Rent(" + n + ");");
        w.Open("try");
        w.Line("global::System.Span<" + real + "> " + e + " = global::System.MemoryExtensions.AsSpan(" + unit + ", 0, " + n + ");");
        w.Line(e + ".Clear();");
        w.Open("for (int " + i + " = 0; " + i + " < " + n + "; " + i + "++)");
        w.Line(e + "[" + i + "] = " + Lit(1.0) + ";");
        w.Line(f.Value + " = " + m.Name + "HessianVectorProduct(" + args + e + ", " + f.Gradient + ", " + f.Hessian + ".Slice(" + i + " * " + n + ", " + n + "));");
        w.Line(e + "[" + i + "] = " + Lit(0.0) + ";");
        w.Close();
        w.Close();
        w.Open("finally");
        w.Line("global::System.Buffers.ArrayPool<" + real + ">.Shared.Return(" + unit + ");");
        w.Close();
        w.Line();
        w.Line("// H is symmetric; the two products that give each pair differ only by rounding.");
        w.Open("for (int " + i + " = 0; " + i + " < " + n + "; " + i + "++)");
        w.Open("for (int " + j + " = " + i + " + 1; " + j + " < " + n + "; " + j + "++)");
        w.Line(real + " " + h + " = " + Lit(0.5) + " * (" + f.Hessian + "[" + i + " * " + n + " + " + j + "] + " + f.Hessian + "[" + j + " * " + n + " + " + i + "]);");
        w.Line(f.Hessian + "[" + i + " * " + n + " + " + j + "] = " + h + ";");
        w.Line(f.Hessian + "[" + j + " * " + n + " + " + i + "] = " + h + ";");
        w.Close();
        w.Close();
        w.Line();
        w.Line("return " + f.Value + ";");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// MSample (the data arguments; spans are held as memory) and MObjective over a flat parameter vector in the gradient's
    /// layout, so the optimizers train array weights in place: a span parameter is a slice of the vector (no copy); a
    /// <c>double[]</c> parameter is copied into a per-thread buffer, since an array cannot alias a slice.
    /// </summary>
    private static void WriteProgramObjective(SourceWriter w, Graph g, ProgramFrame f)
    {
        MethodModel m = f.M;
        ParameterInfo[] ps = f.Ps;
        string[] names = f.Names;
        int[] arrays = f.Wrt.Where(i => ps[i].IsArray).ToArray();
        string LengthField(int i) => "_" + ps[i].Name + "Length";
        (Dictionary<int, string> offsets, string size) = f.Offsets(LengthField);

        static string SampleType(string type) => type switch
        {
            _ when type.StartsWith("global::System.ReadOnlySpan<", StringComparison.Ordinal) => "global::System.ReadOnlyMemory<" + type.Substring("global::System.ReadOnlySpan<".Length),
            _ when type.StartsWith("global::System.Span<", StringComparison.Ordinal) => "global::System.Memory<" + type.Substring("global::System.Span<".Length),
            "global::System.ReadOnlySpan<double>" => "global::System.ReadOnlyMemory<double>",
            "global::System.ReadOnlySpan<int>" => "global::System.ReadOnlyMemory<int>",
            "global::System.Span<double>" => "global::System.Memory<double>",
            "global::System.Span<int>" => "global::System.Memory<int>",
            _ => type,
        };

        string sample = f.Data.Length == 0 ? "global::SymGrad.NoData" : m.Name + "Sample";
        if (f.Data.Length > 0)
        {
            w.Line("/// <summary>The data (non-differentiated) arguments of <see cref=\"" + MethodCref(m) + "\"/> for one sample (spans are held as memory).</summary>");
            w.Line(GeneratedCode);
            w.Line(m.Accessibility + " readonly record struct " + sample + "(" + string.Join(", ", f.Data.Select(i => SampleType(ps[i].Type) + " " + names[i])) + ");");
            w.Line();
        }

        string objective = m.Name + "Objective";
        string iface = m.Hessian ? "global::SymGrad.ITwiceDifferentiableObjective<" + sample + ">" : "global::SymGrad.IObjective<" + sample + ">";
        w.Line("/// <summary>");
        w.Line("/// <see cref=\"" + MethodCref(m) + "\"/> as a trainable objective for the SymGrad optimizers: the sample holds the data");
        w.Line("/// arguments; the parameter vector holds (" + f.Layout + ") flat, in that order, the layout of <c>" + m.Name + "Gradient</c>.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Open(m.Accessibility + " readonly struct " + objective + " : " + iface);
        foreach (int i in arrays)
        {
            w.Line("private readonly int " + LengthField(i) + ";");
        }

        int[] context = Enumerable.Range(0, ps.Length).Where(i => ps[i].IsContext).ToArray();
        foreach (int i in context)
        {
            w.Line("private readonly " + ps[i].Type + " " + ContextField(ps[i]) + ";");
        }

        if (arrays.Length > 0 || context.Length > 0)
        {
            w.Line();
            w.Line("/// <summary>An objective whose array parameters have these lengths" + (context.Length == 0 ? string.Empty
                : ", over these values of the model's other fields (" + string.Join(", ", context.Select(i => ps[i].Name)) + ")") + ".</summary>");
            w.Open("public " + objective + "(" + string.Join(", ", arrays.Select(i => "int " + ps[i].Name + "Length").Concat(context.Select(i => ps[i].Type + " " + CSharp.Identifier(ps[i].Name)))) + ")");
            foreach (int i in arrays)
            {
                w.Open("if (" + ps[i].Name + "Length < 0)");
                w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(" + ps[i].Name + "Length), " + ps[i].Name + "Length, \"The length of " + ps[i].Name + " cannot be negative.\");");
                w.Close();
                w.Line(LengthField(i) + " = " + ps[i].Name + "Length;");
            }

            foreach (int i in context)
            {
                w.Line(ContextField(ps[i]) + " = " + CSharp.Identifier(ps[i].Name) + ";");
            }

            w.Close();
        }

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public int ParameterCount => " + size + ";");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public string GetParameterName(int index)");
        w.Line("int i = index;");
        foreach (int p in f.Wrt)
        {
            if (ps[p].IsArray)
            {
                w.Open("if (i >= 0 && i < " + LengthField(p) + ")");
                w.Line("return \"" + ps[p].Name + "[\" + i.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \"]\";");
                w.Close();
                w.Line("i -= " + LengthField(p) + ";");
            }
            else
            {
                w.Open("if (i == 0)");
                w.Line("return \"" + ps[p].Name + "\";");
                w.Close();
                w.Line("i--;");
            }
        }

        w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(index), index, \"The objective has \" + ParameterCount + \" parameters.\");");
        w.Close();

        string Call(string suffix, string extra)
        {
            IEnumerable<string> args = ps.Select((p, i) =>
            {
                if (p.IsContext)
                {
                    return ContextField(p);
                }

                if (!p.IsDifferentiated)
                {
                    return "sample." + names[i] + (SampleType(p.Type) != p.Type ? ".Span" : string.Empty);
                }

                if (!p.IsArray)
                {
                    return "parameters[" + offsets[i] + "]";
                }

                string slice = "parameters.Slice(" + offsets[i] + ", " + LengthField(i) + ")";
                return p.Type switch
                {
                    "double[]" => "Scratch(ref s_" + p.Name + ", " + slice + ")",
                    "global::System.Span<double>" => "global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(" + slice + "), " + LengthField(i) + ")",
                    _ => slice,
                };
            });
            string all = string.Join(", ", args);
            string callee = suffix == "Evaluate" ? "Evaluate" : ContainingType(m) + "." + m.Name + suffix;
            return callee + "(" + all + (extra.Length > 0 ? (all.Length > 0 ? ", " : string.Empty) + extra : string.Empty) + ")";
        }

        void Check()
        {
            w.Open("if (parameters.Length != ParameterCount)");
            w.Line("throw new global::System.ArgumentException(\"parameters needs \" + ParameterCount + \" elements (" + f.Layout.Replace(".Length", "Length") + ") but has \" + parameters.Length + \".\", nameof(parameters));");
            w.Close();
        }

        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public double Value(in " + sample + " sample, global::System.ReadOnlySpan<double> parameters)");
        Check();
        w.Line("return " + Call("Evaluate", string.Empty) + ";");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public double ValueAndGradient(in " + sample + " sample, global::System.ReadOnlySpan<double> parameters, global::System.Span<double> gradient)");
        Check();
        w.Line("return " + Call("Gradient", "gradient") + ";");
        w.Close();
        if (m.Hessian)
        {
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public double ValueGradientAndHessian(in " + sample + " sample, global::System.ReadOnlySpan<double> parameters, global::System.Span<double> gradient, global::System.Span<double> hessian)");
            Check();
            w.Line("return " + Call("Hessian", "gradient, hessian") + ";");
            w.Close();
        }

        w.Line();
        WriteEvaluateSummary(w, m);
        w.Open("private static double Evaluate(" + f.ParamList + ")");
        var primal = new AdjointPlan(g, f.Program, Array.Empty<int>(), Array.Empty<int>());
        new ProgramEmitter(g, f.Program, primal, m.Name, Array.Empty<(int, string)>(), f.Read, f.Used()).EmitPrimal(w);
        w.Close();

        int[] copied = arrays.Where(i => ps[i].Type == "double[]").ToArray();
        if (copied.Length > 0)
        {
            w.Line();
            foreach (int i in copied)
            {
                w.Line("[global::System.ThreadStatic]");
                w.Line("private static double[]? s_" + ps[i].Name + ";");
            }

            w.Line();
            w.Line("/// <summary>A <c>double[]</c> parameter's values in a per-thread buffer of exactly their length.</summary>");
            w.Open("private static double[] Scratch(ref double[]? buffer, global::System.ReadOnlySpan<double> values)");
            w.Open("if (buffer is null || buffer.Length != values.Length)");
            w.Line("buffer = new double[values.Length];");
            w.Close();
            w.Line();
            w.Line("values.CopyTo(buffer);");
            w.Line("return buffer;");
            w.Close();
        }

        w.Close();
    }
}
