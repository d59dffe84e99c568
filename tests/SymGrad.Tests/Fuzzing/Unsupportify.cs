using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// Turns a supported case into one SymGrad must reject: one construct outside the grammar (a loop, an array, a
/// lambda, <c>new</c>, an instance or static-field access, a string/int/out/ref/params parameter, recursion, a call
/// without source or derivative rule, …) is injected at a reachable top-level position. Every injected program is
/// valid C#. <see cref="FCase.Expectation"/> names the construct and the diagnostic IDs that may report it.
/// </summary>
internal static class Unsupportify
{
    /// <summary>A construct: its name, the acceptable diagnostic IDs, and how to inject it.</summary>
    private sealed record Construct(string Name, string[] Ids, Func<FCase, Rng, string, FCase> Apply);

    private static readonly Construct[] Constructs =
    {
        // Loops whose trip count is known at compile time are unrolled; one that depends on a double is not.
        // foreach over a local double array is unrolled; over a string (or anything else) it is not.
        Stmt("foreach over a string", "SG0001", p => $"foreach (char __ch in \"ab\")\n{{\n    {p} = {p} + 1.0;\n}}"),
        // A local array may be read through a second name, not written through one.
        Stmt("write through a second name for an array", "SG0002", p => $"double[] __arr = {{ {p}, 2.0 }};\ndouble[] __alias = __arr;\n__alias[0] = 1.0;\n{p} = __arr[{p} > 0 ? 1 : 0];"),
        Stmt("array creation", "SG0002", p => $"{p} = new[] {{ {p}, 1.0 }}[1] * {p};"),
        Stmt("lambda", "SG0005,SG0002,SG0003", p => $"Func<double, double> __f = __t => __t * 2;\n{p} = __f({p});"),
        Stmt("object creation", "SG0005,SG0002,SG0003", p => $"var __r = new Random(1);\n{p} = {p} * __r.NextDouble();"),
        Stmt("Console.Read", "SG0003", p => $"{p} = {p} * (double)Console.Read();"),
        Stmt("double.Parse", "SG0003", p => $"{p} = {p} + double.Parse(\"1.5\", System.Globalization.CultureInfo.InvariantCulture);"),
        Stmt("Math.Round(x, digits)", "SG0003", p => $"{p} = Math.Round({p}, 2);"),
        Stmt("Math.BitIncrement", "SG0003", p => $"{p} = Math.BitIncrement({p});"),
        Stmt("Math.Clamp(int, int, int)", "SG0003", p => $"{p} = {p} * Math.Clamp(3, 1, 2);"),
        Stmt("shift", "SG0002", p => $"int __n = 3;\n{p} = {p} * (1 << __n);"),
        Stmt("float local", "SG0005", p => $"float __k = 3;\n{p} = {p} * __k;"),
        // switch sections are lowered as if/else; a goto between them is not supported.
        Stmt("switch with goto", "SG0001", p => $"switch ({p} > 0 ? 1 : 0)\n{{\n    case 1:\n        {p} = {p} * 2;\n        goto default;\n    default:\n        break;\n}}"),
        Stmt("try/finally", "SG0001", p => $"try\n{{\n    {p} = {p} * 2;\n}}\nfinally\n{{\n}}"),
        // Local functions are inlined; one that assigns a variable of the enclosing method is not supported.
        Stmt("local function assigning a captured variable", "SG0002", p => $"double __Bump(double __t)\n{{\n    {p} = __t;\n    return __t;\n}}\n{p} = __Bump({p});"),
        Stmt("throw expression", "SG0002", p => $"{p} = {p} > -1e308 ? {p} : throw new ArgumentException(\"x\");"),
        // Declaration and var patterns are supported (they name the tested value); a property pattern is not.
        Stmt("property pattern", "SG0002", p => $"{p} = {p} is {{ }} __d ? __d : 0.0;"),
        Stmt("nested assignment", "SG0002", p => $"double __a;\n{p} = (__a = {p}) * 2;"),
        Stmt("increment in expression", "SG0002", p => $"{p} = {p}++ * 2;"),
        // Deconstruction into double variables is supported; a tuple-typed local is not.
        Stmt("tuple local", "SG0002,SG0005", p => $"var __t = ({p}, 2.0);\n{p} = __t.Item1 + __t.Item2;"),
        Stmt("property", "SG0002", p => $"{p} = {p} * Environment.ProcessorCount;"),
        Stmt("DateTime.Now", "SG0002", p => $"{p} = {p} + DateTime.Now.Second;"),
        Stmt("cast to float", "SG0002", p => $"{p} = (double)(float){p};"),
        Stmt("cast to decimal", "SG0002,SG0005", p => $"{p} = (double)(decimal){p};"),
        Stmt("string member", "SG0002", p => $"{p} = {p} * \"abc\".Length;"),
        Stmt("lock", "SG0001", p => $"lock (typeof(string))\n{{\n    {p} = {p} * 2;\n}}"),
        Stmt("using", "SG0001", p => $"using (var __ms = new System.IO.MemoryStream())\n{{\n    {p} = {p} * 2;\n}}"),
        Stmt("checked block", "SG0001", p => $"checked\n{{\n    {p} = {p} * 2;\n}}"),
        Stmt("goto", "SG0001", p => $"goto __end;\n__end:\n{p} = {p} * 2;"),
        Stmt("bitwise int", "SG0002,SG0005", p => $"{p} = {p} * (3 & (int){p});"),
        Stmt("int static field", "SG0002", p => $"{p} = {p} * s_scale;", "private static int s_scale = 2;"),
        Stmt("bool-returning helper", "SG0003", p => $"{p} = {p} * (BoolHelper(2) ? 2.0 : 1.0);", "private static bool BoolHelper(int k) => k > 1;"),
        Stmt("extern method", "SG0003", p => $"{p} = Native({p});", "[System.Runtime.InteropServices.DllImport(\"libm\")] private static extern double Native(double x);"),
        Stmt("recursive helper", "SG0004", p => $"{p} = Halve({p});", "private static double Halve(double t) => t > 1 ? Halve(t / 2) : t;"),
        Stmt("mutually recursive helpers", "SG0004", p => $"{p} = Ping({p});", "private static double Ping(double t) => t > 1 ? Pong(t / 2) : t;", "private static double Pong(double t) => Ping(t - 1);"),
        new("direct recursion", new[] { "SG0004" }, (c, r, p) =>
        {
            string args = string.Join(", ", c.Main.Params.Select(q => q.Name == p ? p + " * 0.5" : q.Name));
            // At the top: after an assignment of a constant to p, the guard would fold to false and the call be dead code.
            // (A parameter or local with the method's name hides it inside the method: the recursion goes through a
            // helper then; seed 2002630002 at 10,000 cases declared `var Value = 10;` in a method named Value.)
            return c.Main.Params.Any(q => q.Name == c.Main.Name) || DeclaresLocal(c, c.Main.Name)
                ? ThroughHelper(c, r, p)
                : Insert(c, r, new FRaw($"if ({p} > 1e300)\n{{\n    return {c.Main.Name}({args});\n}}"), atStart: true);
        }),
        new("mutual recursion through the method", new[] { "SG0004" }, ThroughHelper),
        Param("string parameter", "SG0005", "string", "__s", "", p => $"{p} = {p} * __s.Length;"),
        Param("out parameter", "SG0010", "double", "__o", "out", p => $"__o = {p};"),
        Param("ref parameter", "SG0010", "double", "__rf", "ref", p => $"{p} = {p} * __rf;"),
        Param("in parameter", "SG0010", "double", "__in", "in", p => $"{p} = {p} * __in;"),
        Param("params parameter", "SG0010,SG0005", "double[]", "__ps", "params", p => $"{p} = {p} * 2;"),
        Param("[Wrt] int parameter", "SG0008", "int", "__w", "[Wrt]", p => $"{p} = {p} * __w;"),
        new("instance method", new[] { "SG0006" }, (c, r, p) => c with { StaticType = false, Main = c.Main with { Static = false } }),
        new("generic method", new[] { "SG0011" }, (c, r, p) => c with { Main = c.Main with { Name = c.Main.Name + "<T>" } }),
        new("non-partial type", new[] { "SG0007" }, (c, r, p) => c with { PartialType = false, Helpers = c.Helpers.Select(h => h with { Differentiable = false }).ToImmutableArray() }),
        new("float return with double parameters", new[] { "SG0018" }, (c, r, p) => c with
        {
            Main = c.Main with
            {
                RawSignature = "public static float " + c.Main.Name + "(" + string.Join(", ", c.Main.Params.Select(q => "double " + q.Name)) + ")",
                Body = ImmutableArray.Create<FStmt>(new FRaw("return (float)(" + string.Join(" + ", c.Main.Params.Select(q => q.Name)) + ");")),
                ExpressionBody = null,
            },
        }),
        new("name clash", new[] { "SG0009" }, (c, r, p) => c with
        {
            ExtraMembers = c.ExtraMembers.Add("public static double " + c.Main.Name + r.Pick(new[] { "Gradient", "Partials", "Objective", "Sample" }) + "(double t, double u, double v, double q, double s) => t;"),
        }),
        new("overloaded [Differentiable]", new[] { "SG0014" }, (c, r, p) => c with
        {
            ExtraMembers = c.ExtraMembers.Add("[Differentiable] public static double " + c.Main.Name + "(double t1, double t2, double t3, double t4, double t5) => t1 * t2;"),
        }),
    };

    /// <summary>Whether the case's source declares a local named <paramref name="name"/> (<c>var name =</c>, <c>double name =</c>, …).</summary>
    private static bool DeclaresLocal(FCase c, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(FuzzText.Source(c), @"\b(?:var|double|int|long|bool|float|const double|const int)\s+" + System.Text.RegularExpressions.Regex.Escape(name) + @"\s*[=;]");

    private static FCase ThroughHelper(FCase c, Rng r, string p)
    {
        string args = string.Join(", ", c.Main.Params.Select(q => "t"));
        return Insert(c, r, new FRaw($"{p} = Back({p});"), atStart: true) with
        {
            ExtraMembers = c.ExtraMembers.Add($"private static double Back(double t) => t > 1e300 ? {c.Main.Name}({args}) : t;"),
        };
    }

    public static FCase Inject(FCase c, CaseBuilder b)
    {
        Rng r = b.Random;
        if (c.Main.ExpressionBody is { } e)
        {
            c = c with { Main = c.Main with { ExpressionBody = null, Body = ImmutableArray.Create<FStmt>(new FReturn(e)) } };
        }

        // Only double parameters can be assigned by the injected code; every generated parameter is one.
        string p = r.Pick(c.Main.Params.Where(q => !q.Name.StartsWith('@')).Select(q => q.Name).DefaultIfEmpty(c.Main.Params[0].Name).ToList());
        Construct k = r.Pick(Constructs);
        FCase result = k.Apply(c, r, p);
        return result with { Expectation = k.Name + "|" + string.Join(",", k.Ids), Points = ImmutableArray<ImmutableArray<double>>.Empty };
    }

    private static Construct Stmt(string name, string ids, Func<string, string> code, params string[] members) =>
        new(name, ids.Split(','), (c, r, p) => Insert(c, r, new FRaw(code(p))) with { ExtraMembers = c.ExtraMembers.AddRange(members) });

    private static Construct Param(string name, string ids, string type, string pname, string modifier, Func<string, string> code) =>
        new(name, ids.Split(','), (c, r, p) =>
        {
            bool wrt = modifier == "[Wrt]";
            var param = new FParam(pname, wrt, null, type, wrt ? string.Empty : modifier);
            var ps = c.Main.Params.Select(q => q with { Default = null });
            if (wrt)
            {
                ps = ps.Select(q => q with { Wrt = false });
            }

            // params must be last; others go anywhere.
            var list = ps.ToList();
            list.Insert(modifier == "params" ? list.Count : r.Next(list.Count + 1), param);
            FCase withParam = c with { Main = c.Main with { Params = list.ToImmutableArray() } };
            return modifier == "out" ? Insert(withParam, r, new FRaw(code(p)), atStart: true) : Insert(withParam, r, new FRaw(code(p)));
        });

    private static FCase Insert(FCase c, Rng r, FStmt s, bool atStart = false)
    {
        ImmutableArray<FStmt> body = c.Main.Body;

        // Before the first if statement (its condition may fold to a constant, making what follows dead code
        // that SymGrad rightly never lowers) and before the final return: always reachable.
        int firstIf = body.IndexOf(body.FirstOrDefault(s => s is FIf) ?? body[^1]);
        int at = atStart ? 0 : r.Next(Math.Min(firstIf, body.Length - 1) + 1);
        return c with { Main = c.Main with { Body = body.Insert(at, s) } };
    }
}
