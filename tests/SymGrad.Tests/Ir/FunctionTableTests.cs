using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SymGrad.Generator.Differentiation;
using SymGrad.Generator.Functions;
using SymGrad.Generator.Ir;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Ir;

/// <summary>
/// Every built-in function has one complete <see cref="FunctionTable"/> entry, its emitted C# compiles and computes
/// what constant folding computes, and its derivative rule matches a finite-difference oracle. Adding a function:
/// its entry, plus its sample points in <see cref="Points"/>.
/// </summary>
public sealed class FunctionTableTests
{
    /// <summary>Argument tuples inside each function's domain and away from its kinks and jumps.</summary>
    internal static readonly Dictionary<Fn, double[][]> Points = new()
    {
        [Fn.Exp] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Log] = P1(0.1, 0.7, 2.0, 1e3),
        [Fn.Log10] = P1(0.1, 0.7, 2.0, 1e3),
        [Fn.Log2] = P1(0.1, 0.7, 2.0, 1e3),
        [Fn.Sqrt] = P1(0.1, 0.7, 2.0, 1e3),
        [Fn.Cbrt] = P1(-8.5, -0.2, 0.7, 27.3),
        [Fn.Pow] = new[] { new[] { 1.7, 2.3 }, new[] { 0.4, -1.5 }, new[] { 3.0, 0.5 }, new[] { 2.2, 3.0 } },
        [Fn.Sin] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Cos] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Tan] = P1(-1.2, -0.3, 0.7, 1.4),
        [Fn.Asin] = P1(-0.9, -0.3, 0.2, 0.8),
        [Fn.Acos] = P1(-0.9, -0.3, 0.2, 0.8),
        [Fn.Atan] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Atan2] = new[] { new[] { 1.0, 2.0 }, new[] { -0.5, 0.3 }, new[] { 2.0, -1.0 }, new[] { -1.5, -2.5 } },
        [Fn.Sinh] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Cosh] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Tanh] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Asinh] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Acosh] = P1(1.1, 1.7, 3.0, 40.0),
        [Fn.Atanh] = P1(-0.9, -0.3, 0.2, 0.8),
        [Fn.Abs] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Max] = new[] { new[] { 1.0, 2.0 }, new[] { -0.5, -0.7 }, new[] { 3.0, -1.0 } },
        [Fn.Min] = new[] { new[] { 1.0, 2.0 }, new[] { -0.5, -0.7 }, new[] { 3.0, -1.0 } },
        [Fn.Clamp] = new[] { new[] { 0.5, 0.0, 1.0 }, new[] { -2.0, -1.0, 1.0 }, new[] { 3.0, -1.0, 2.0 } },
        [Fn.Sign] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Floor] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Ceiling] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Round] = P1(-2.3, -0.3, 0.7, 3.1),
        [Fn.Truncate] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Sigmoid] = P1(-4.0, -0.3, 0.7, 5.0),
        [Fn.SigmoidDerivative] = P1(-4.0, -0.3, 0.7, 5.0),
        [Fn.Softplus] = P1(-4.0, -0.3, 0.7, 5.0),
        [Fn.LogSigmoid] = P1(-4.0, -0.3, 0.7, 5.0),
        [Fn.Relu] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.LeakyRelu] = new[] { new[] { -2.0, 0.1 }, new[] { 1.5, 0.2 }, new[] { -0.3, 0.01 } },
        [Fn.TanhDerivative] = P1(-2.5, -0.3, 0.7, 3.1),
        [Fn.Log1p] = P1(-0.5, -1e-3, 0.7, 30.0),
        [Fn.Expm1] = P1(-2.5, -1e-3, 0.2, 3.1),
        [Fn.LogSumExp] = new[] { new[] { 1.0, 2.0 }, new[] { -0.5, 0.3 }, new[] { 5.0, -3.0 } },
        [Fn.Logit] = P1(0.1, 0.3, 0.6, 0.9),
        [Fn.Hypot] = new[] { new[] { 1.0, 2.0 }, new[] { -0.5, 0.3 }, new[] { 3.0, -4.0 } },
        [Fn.Remainder] = new[] { new[] { 5.3, 2.0 }, new[] { -7.5, 2.25 }, new[] { 1.1, -0.4 } }, // away from the jumps at a/b ∈ ℤ
    };

    // Fn.Custom is not a function but the kind of a call with user rules ([DerivativeOf]): its entries are per call, see
    // tests/SymGrad.Tests/CustomRules.
    public static IEnumerable<object[]> Functions =>
        Enum.GetValues<Fn>().Where(f => f is not (Fn.None or Fn.Custom)).Select(f => new object[] { f.ToString() });

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_function_has_a_complete_entry(string function)
    {
        Fn fn = Enum.Parse<Fn>(function);
        FunctionEntry e = FunctionTable.Get(fn);
        Assert.Equal(fn, e.Fn);
        Assert.InRange(e.Arity, 1, 3);
        Assert.NotEmpty(e.Accepts);
        foreach ((FunctionContainer container, string name) in e.Accepts)
        {
            Assert.Same(e, FunctionTable.Find(container, name, e.Arity)); // the lowerer reaches it
        }

        Assert.NotNull(e.Partial);
        Assert.NotNull(e.Fold);
        string[] args = Enumerable.Range(0, e.Arity).Select(i => "a" + i).ToArray();
        string csharp = e.EmitCSharp(args);
        string display = e.EmitDisplay(args);
        for (int i = 0; i < e.Arity; i++)
        {
            Assert.Contains("a" + i, csharp);
            Assert.Contains("a" + i, display);
        }

        Assert.DoesNotContain("{", csharp);
        Assert.DoesNotContain("{", display);
        Assert.True(Points.ContainsKey(fn), fn + " has no oracle sample points in FunctionTableTests.Points");
        Assert.All(Points[fn], p => Assert.Equal(e.Arity, p.Length));
        if (e.Fused is (Fn derivative, _))
        {
            Assert.Equal(fn, FunctionTable.FusedPrimalOf(derivative));
        }
    }

    [Fact]
    public void Emitted_csharp_compiles_and_agrees_with_folding()
    {
        var source = new StringBuilder("public static class Emitted\n{\n");
        foreach (FunctionEntry e in FunctionTable.All)
        {
            string[] names = Enumerable.Range(0, e.Arity).Select(i => "x" + i).ToArray();
            source.Append("    public static double ").Append(e.Fn).Append('(').Append(string.Join(", ", names.Select(n => "double " + n)))
                .Append(") => ").Append(e.EmitCSharp(names)).Append(";\n");
            if (e.Fused is (Fn derivative, string method))
            {
                source.Append("    public static double ").Append(e.Fn).Append("Fused(double x0, out double d) => ").Append(method).Append("(x0, out d);\n");
            }
        }

        source.Append("}\n");
        var compilation = CSharpCompilation.Create(
            "EmittedFunctions",
            new[] { CSharpSyntaxTree.ParseText(source.ToString()) },
            Basic.Reference.Assemblies.Net100.References.All.Append(MetadataReference.CreateFromFile(typeof(SymMath).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics) + "\n" + source);
        Type type = Assembly.Load(stream.ToArray()).GetType("Emitted")!;

        foreach (FunctionEntry e in FunctionTable.All)
        {
            MethodInfo method = type.GetMethod(e.Fn.ToString())!;
            foreach (double[] p in Points[e.Fn].Append(Enumerable.Repeat(0.25, e.Arity).ToArray()))
            {
                double emitted = (double)method.Invoke(null, p.Cast<object>().ToArray())!;
                double folded = FunctionTable.Fold(e.Fn, p);
                Assert.True(Close(emitted, folded, 2e-15), $"{e.Fn}({string.Join(", ", p)}): emitted {emitted:R}, folded {folded:R}");
            }

            if (e.Fused is (Fn derivative, _))
            {
                MethodInfo fused = type.GetMethod(e.Fn + "Fused")!;
                foreach (double[] p in Points[e.Fn])
                {
                    object[] call = { p[0], 0.0 };
                    double value = (double)fused.Invoke(null, call)!;
                    Assert.True(Close(value, FunctionTable.Fold(e.Fn, p), 2e-15), e.Fn + " fused value");
                    Assert.True(Close((double)call[1], FunctionTable.Fold(derivative, p), 1e-15), e.Fn + " fused derivative");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Rule_matches_finite_differences(string function)
    {
        Fn fn = Enum.Parse<Fn>(function);
        FunctionEntry e = FunctionTable.Get(fn);
        foreach (double[] p in Points[fn])
        {
            var g = new Graph();
            Node[] args = Enumerable.Range(0, e.Arity).Select(g.Param).ToArray();
            Node n = g.Call(fn, (Node[])args.Clone());
            Assert.Equal(Op.Call, n.Op);
            for (int i = 0; i < e.Arity; i++)
            {
                Node? partial = Rules.Partial(g, n, i);
                Assert.NotNull(partial);
                double symbolic = NodeEvaluator.Value(partial!, p);
                double numeric = Oracle.Derivative(x => FunctionTable.Fold(fn, With(p, i, x)), p[i]);
                Assert.True(Close(symbolic, numeric, 1e-7), $"∂{fn}/∂x{i} at ({string.Join(", ", p)}): rule {symbolic:R}, finite differences {numeric:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Second_order_from_differentiating_the_rule_matches_finite_differences(string function)
    {
        Fn fn = Enum.Parse<Fn>(function);
        FunctionEntry e = FunctionTable.Get(fn);
        foreach (double[] p in Points[fn])
        {
            var g = new Graph();
            Node[] args = Enumerable.Range(0, e.Arity).Select(g.Param).ToArray();
            Node n = g.Call(fn, (Node[])args.Clone());
            ReverseSweep first = Reverse.Differentiate(g, n, args);
            for (int i = 0; i < e.Arity; i++)
            {
                ReverseSweep second = Reverse.Differentiate(g, first.Gradient[i], args);
                double symbolic = NodeEvaluator.Value(second.Gradient[i], p);
                int at = i;
                double numeric = Oracle.Derivative(x => NodeEvaluator.Value(first.Gradient[at], With(p, at, x)), p[i]);
                Assert.True(Close(symbolic, numeric, 1e-6), $"∂²{fn}/∂x{i}² at ({string.Join(", ", p)}): {symbolic:R} vs {numeric:R}");
            }
        }
    }

    private static double[][] P1(params double[] xs) => xs.Select(x => new[] { x }).ToArray();

    private static double[] With(double[] p, int i, double x)
    {
        double[] q = (double[])p.Clone();
        q[i] = x;
        return q;
    }

    internal static bool Close(double a, double b, double relative) =>
        a.Equals(b) || Math.Abs(a - b) <= relative * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));
}
