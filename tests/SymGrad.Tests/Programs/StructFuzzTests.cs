using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Random models written with a vector struct (operators, methods, a computed property, with, ?:, locals reassigned,
/// a mutable struct's void method with a branch),
/// in scalar mode and inside a run-time loop: each gradient against Richardson finite differences of the model
/// itself. The generator replaces the struct by its fields; this checks that the replacement is exact on programs
/// nobody wrote by hand.
/// </summary>
public sealed class StructFuzzTests
{
    private const int Programs = 60;

    private readonly ITestOutputHelper _output;

    public StructFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_struct_programs_match_finite_differences()
    {
        var random = new Random(20261126);
        var source = new StringBuilder("""
            using System;
            using SymGrad;

            namespace StructFuzz;

            public readonly record struct V3(double X, double Y, double Z)
            {
                public static V3 operator +(V3 a, V3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
                public static V3 operator -(V3 a, V3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
                public static V3 operator -(V3 a) => new(-a.X, -a.Y, -a.Z);
                public static V3 operator *(double s, V3 a) => new(s * a.X, s * a.Y, s * a.Z);
                public static double operator *(V3 a, V3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;
                public V3 Cross(V3 o) => new(Y * o.Z - Z * o.Y, Z * o.X - X * o.Z, X * o.Y - Y * o.X);
                public double Norm => Math.Sqrt(1 + this * this);
                public V3 Scaled(double s) { double t = Math.Tanh(s); return t * this; }
            }

            public struct Acc
            {
                public double X;
                public double Y;
                public void Push(V3 v, double w)
                {
                    X += w * v.X;
                    if (v.Y > X) { Y = Y * 0.5 + v.Y; } else { Y -= w; }
                }
                public readonly double Total => X * Y + Y;
            }

            public static partial class P
            {

            """);
        for (int k = 0; k < Programs; k++)
        {
            source.Append(Method(random, k));
        }

        source.Append("}\n");
        Compiled c = GeneratorHarness.Compile(source.ToString());
        Assert.DoesNotContain(c.Run.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error || d.Id != "SG0100" && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        Assert.DoesNotContain(c.Run.CompilationDiagnostics, d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && d.Id != "SG0100");

        int checkedPoints = 0;
        for (int k = 0; k < Programs; k++)
        {
            string name = "M" + k.ToString(CultureInfo.InvariantCulture);
            Func<double[], double> f = c.Function("P", name);
            for (int point = 0; point < 2; point++)
            {
                double[] x = Enumerable.Range(0, 4).Select(_ => Math.Round((random.NextDouble() * 3) - 1.5, 3)).ToArray();
                var (value, gradient) = c.Gradient("P", name, x);
                Oracle.AssertClose(f(x), value, 1e-12, 1e-12, "value", name);
                Oracle.AssertClose(Oracle.Gradient(f, x), gradient, 1e-6, 1e-8, context: name + " at " + string.Join(", ", x));
                checkedPoints++;
            }
        }

        _output.WriteLine($"{Programs} struct programs, {checkedPoints} points checked");
    }

    private static string Method(Random r, int k)
    {
        string Scalar(int depth, IReadOnlyList<string> vecs)
        {
            if (depth == 0)
            {
                return r.Next(4) switch
                {
                    0 => r.Next(2) == 0 ? "a" : "b",
                    1 => Vec(0, vecs) + "." + "XYZ"[r.Next(3)],
                    2 => "(" + Vec(0, vecs) + ").Norm",
                    _ => (r.Next(1, 9) / 4.0).ToString(CultureInfo.InvariantCulture),
                };
            }

            return r.Next(5) switch
            {
                0 => "(" + Scalar(depth - 1, vecs) + " + " + Scalar(depth - 1, vecs) + ")",
                1 => "(" + Vec(depth - 1, vecs) + " * " + Vec(depth - 1, vecs) + ")",
                2 => "Math.Sin(" + Scalar(depth - 1, vecs) + ")",
                3 => "(" + Vec(depth - 1, vecs) + ").Norm",
                _ => "(" + Scalar(depth - 1, vecs) + " * " + Scalar(depth - 1, vecs) + ")",
            };
        }

        string Vec(int depth, IReadOnlyList<string> vecs)
        {
            if (depth == 0)
            {
                return r.Next(3) == 0 ? "new V3(a, b, 0.5)" : vecs[r.Next(vecs.Count)];
            }

            return r.Next(7) switch
            {
                0 => "(" + Vec(depth - 1, vecs) + " + " + Vec(depth - 1, vecs) + ")",
                1 => "(" + Vec(depth - 1, vecs) + " - " + Vec(depth - 1, vecs) + ")",
                2 => "(" + Scalar(depth - 1, vecs) + " * " + Vec(depth - 1, vecs) + ")",
                3 => Vec(depth - 1, vecs) + ".Cross(" + Vec(depth - 1, vecs) + ")",
                4 => "(" + Vec(depth - 1, vecs) + " with { Y = " + Scalar(depth - 1, vecs) + " })",
                5 => "(a > b ? " + Vec(depth - 1, vecs) + " : " + Vec(depth - 1, vecs) + ")",
                _ => Vec(depth - 1, vecs) + ".Scaled(" + Scalar(depth - 1, vecs) + ")",
            };
        }

        var vecs = new List<string> { "u", "w" };
        var sb = new StringBuilder();
        string name = "M" + k.ToString(CultureInfo.InvariantCulture);
        sb.Append("    [Differentiable]\n    public static double ").Append(name).Append("(double a, double b, double c, double d)\n    {\n");
        sb.Append("        var u = new V3(a, b, c);\n        V3 w = new(d, a * b, 1.0);\n");
        if (k % 3 == 0)
        {
            // A run-time loop (program mode) reassigning a struct local.
            sb.Append("        V3 acc = default;\n        for (int i = 0; i < 3; i++)\n        {\n            acc = acc + ").Append(Vec(1, vecs)).Append(";\n            u = 0.5 * u;\n        }\n");
            vecs.Add("acc");
        }
        else
        {
            sb.Append("        u = ").Append(Vec(2, vecs)).Append(";\n");
        }

        if (k % 2 == 1)
        {
            // A mutating method (this assigned in both branches of an if) called twice on a local.
            sb.Append("        var m = new Acc();\n        m.Push(").Append(Vec(1, vecs)).Append(", ").Append(Scalar(1, vecs)).Append(");\n");
            sb.Append("        m.Push(").Append(Vec(1, vecs)).Append(", 0.5);\n");
            sb.Append("        return m.Total + ").Append(Scalar(1, vecs)).Append(";\n    }\n\n");
            return sb.ToString();
        }

        sb.Append("        return ").Append(Scalar(2, vecs)).Append(";\n    }\n\n");
        return sb.ToString();
    }
}
