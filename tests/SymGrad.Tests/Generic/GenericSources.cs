namespace SymGrad.Tests.Generic;

/// <summary>
/// Generic-math models (<c>T M&lt;T&gt;(…) where T : IFloatingPointIeee754&lt;T&gt;</c> or <c>INumber&lt;T&gt;</c>) and, in
/// the same compilation, non-generic probes that instantiate each model and its generated members at double, float and
/// Half behind <c>double[]</c> (reflection cannot pass spans or call a generic method's Span overloads).
/// </summary>
internal static class GenericSources
{
    public const string Models = """
        using System;
        using System.Numerics;
        using SymGrad;

        namespace GenericModels;

        public static partial class Net
        {
            /// <summary>Logistic loss of one sample through SymMath&lt;T&gt;.Sigmoid and T.Log.</summary>
            [Differentiable]
            public static T LogLoss<T>([Wrt] T w, [Wrt] T b, T x, T y)
                where T : IFloatingPointIeee754<T>
            {
                T z = w * x + b;
                T p = SymMath<T>.Sigmoid(z);
                return -(y * T.Log(p) + (T.One - y) * T.Log(T.One - p));
            }

            /// <summary>A tanh unit and a sigmoid unit into softplus, constants from T.CreateChecked.</summary>
            [Differentiable]
            public static T Layer<T>(T w1, T w2, T v1, T v2, T c)
                where T : IFloatingPointIeee754<T>
            {
                T half = T.CreateChecked(0.5);
                T h1 = T.Tanh(w1 * half - w2);
                T h2 = SymMath<T>.Sigmoid(w2 * T.CreateChecked(1.5) + T.CreateTruncating(0.1));
                T o = v1 * h1 + v2 * h2 + c;
                return SymMath<T>.Softplus(o) + T.CreateChecked(0.01) * (w1 * w1 + w2 * w2);
            }

            /// <summary>Rosenbrock with only INumber&lt;T&gt;: arithmetic, T.Abs and T.Max.</summary>
            [Differentiable(Hessian = true)]
            public static T Rosen<T>(T x, T y)
                where T : INumber<T>
            {
                T one = T.One;
                T a = one - x;
                T b = y - x * x;
                return a * a + T.CreateChecked(100) * b * b + T.Abs(x - T.CreateChecked(3)) + T.Max(x, y) * T.CreateChecked(0.25);
            }

            /// <summary>A real branch (program mode), T.Sqrt, T.Exp, T.Atan2, T.Pi and a generic helper.</summary>
            [Differentiable(Hessian = true)]
            public static T Branchy<T>(T x, T y)
                where T : IFloatingPointIeee754<T>
            {
                T r;
                if (x > T.Zero)
                {
                    r = T.Sqrt(x * x + y * y) + T.Atan2(y, x + T.Pi);
                }
                else
                {
                    r = T.Exp(x) * Square(y) - T.Sin(y);
                }

                return r + T.Cos(x * y);
            }

            private static U Square<U>(U v)
                where U : INumber<U> => v * v;

            /// <summary>Least squares over data with a run-time loop, weights in a span.</summary>
            [Differentiable(Hessian = true)]
            public static T Lsq<T>([Wrt] ReadOnlySpan<T> w, ReadOnlySpan<T> xs, ReadOnlySpan<T> ys)
                where T : IFloatingPointIeee754<T>
            {
                T sum = T.Zero;
                for (int i = 0; i < xs.Length; i++)
                {
                    T r = w[0] * xs[i] + w[1] - ys[i];
                    sum += r * r;
                }

                return sum / T.CreateChecked(xs.Length);
            }

            /// <summary>A recurrence: h is overwritten every step, so the reverse loop reads it back from the tape.</summary>
            [Differentiable]
            public static T Recurrence<T>([Wrt] T a, [Wrt] T b, T[] xs)
                where T : IFloatingPointIeee754<T>
            {
                T h = T.Zero;
                foreach (T x in xs)
                {
                    h = T.Tanh(a * h + b * x);
                }

                return h * h;
            }

            /// <summary>log Σ exp(v − max) + max, through a local buffer of run-time length.</summary>
            [Differentiable]
            public static T LogSumExp<T>(T[] v)
                where T : IFloatingPointIeee754<T>
            {
                int n = v.Length;
                T m = v[0];
                for (int i = 1; i < n; i++)
                {
                    m = T.Max(m, v[i]);
                }

                T[] e = new T[n];
                T s = T.Zero;
                for (int i = 0; i < n; i++)
                {
                    e[i] = T.Exp(v[i] - m);
                    s += e[i];
                }

                return T.Log(s) + m;
            }

            // Saturation: σ′ and tanh′ stay nonzero where σ and tanh round to ±1.
            [Differentiable]
            public static T Sig<T>(T z)
                where T : IFloatingPointIeee754<T> => SymMath<T>.Sigmoid(z);

            [Differentiable]
            public static T Th<T>(T x)
                where T : IFloatingPointIeee754<T> => T.Tanh(x);
        }
        """;

    /// <summary>Scalar models: name → number of parameters.</summary>
    public static readonly (string Name, int Arity, string[] Wrt)[] Scalar =
    {
        ("LogLoss", 4, new[] { "w", "b" }),
        ("Layer", 5, new[] { "w1", "w2", "v1", "v2", "c" }),
        ("Rosen", 2, new[] { "x", "y" }),
        ("Branchy", 2, new[] { "x", "y" }),
        ("Sig", 1, new[] { "z" }),
        ("Th", 1, new[] { "x" }),
    };

    /// <summary>
    /// The probes: for each scalar model and each type, <c>double F_M_T(double[] a)</c> (the model itself) and
    /// <c>double G_M_T(double[] a, double[] g)</c> (its generated gradient); the array models by hand.
    /// </summary>
    public static string Probes()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("""
            using System;
            using GenericModels;

            namespace GenericProbes;

            public static class Probe
            {
                private static T[] To<T>(double[] a) where T : System.Numerics.INumberBase<T> => Array.ConvertAll(a, x => T.CreateTruncating(x));

                private static double Back<T>(T[] from, double[] to, T value) where T : System.Numerics.INumberBase<T>
                {
                    for (int i = 0; i < from.Length; i++)
                    {
                        to[i] = double.CreateTruncating(from[i]);
                    }

                    return double.CreateTruncating(value);
                }

            """);
        foreach (string t in new[] { "double", "float", "Half" })
        {
            foreach ((string name, int arity, string[] wrt) in Scalar)
            {
                string args = string.Join(", ", System.Linq.Enumerable.Select(System.Linq.Enumerable.Range(0, arity), i => "p[" + i + "]"));
                sb.Append($$"""
                        public static double F_{{name}}_{{t}}(double[] a) { var p = To<{{t}}>(a); return double.CreateTruncating(Net.{{name}}<{{t}}>({{args}})); }

                        public static double G_{{name}}_{{t}}(double[] a, double[] g) { var p = To<{{t}}>(a); var gt = new {{t}}[{{wrt.Length}}]; return Back(gt, g, Net.{{name}}Gradient<{{t}}>({{args}}, gt)); }

                    """);
            }

            sb.Append($$"""
                    public static double F_Lsq_{{t}}(double[] w, double[] xs, double[] ys) => double.CreateTruncating(Net.Lsq<{{t}}>(To<{{t}}>(w), To<{{t}}>(xs), To<{{t}}>(ys)));

                    public static double G_Lsq_{{t}}(double[] w, double[] xs, double[] ys, double[] g) { var gt = new {{t}}[w.Length]; return Back(gt, g, Net.LsqGradient<{{t}}>(To<{{t}}>(w), To<{{t}}>(xs), To<{{t}}>(ys), gt)); }

                    public static double F_Recurrence_{{t}}(double a, double b, double[] xs) => double.CreateTruncating(Net.Recurrence<{{t}}>({{t}}.CreateTruncating(a), {{t}}.CreateTruncating(b), To<{{t}}>(xs)));

                    public static double G_Recurrence_{{t}}(double a, double b, double[] xs, double[] g) { var gt = new {{t}}[2]; return Back(gt, g, Net.RecurrenceGradient<{{t}}>({{t}}.CreateTruncating(a), {{t}}.CreateTruncating(b), To<{{t}}>(xs), gt)); }

                    public static double F_LogSumExp_{{t}}(double[] v) => double.CreateTruncating(Net.LogSumExp<{{t}}>(To<{{t}}>(v)));

                    public static double G_LogSumExp_{{t}}(double[] v, double[] g) { var gt = new {{t}}[v.Length]; return Back(gt, g, Net.LogSumExpGradient<{{t}}>(To<{{t}}>(v), gt)); }

                """);
        }

        sb.Append("""
                public static double H_Rosen(double[] a, double[] g, double[] h) => Net.RosenHessian<double>(a[0], a[1], g, h);

                public static double H_Branchy(double[] a, double[] g, double[] h) => Net.BranchyHessian<double>(a[0], a[1], g, h);

                public static double H_Lsq(double[] w, double[] xs, double[] ys, double[] g, double[] h) => Net.LsqHessian<double>(w, xs, ys, g, h);

                public static double Hv_Lsq(double[] w, double[] xs, double[] ys, double[] v, double[] g, double[] hv) => Net.LsqHessianVectorProduct<double>(w, xs, ys, v, g, hv);

                public static double P_LogLoss(double[] a, double[] g)
                {
                    var r = Net.LogLossGradient<double>(a[0], a[1], a[2], a[3]);
                    g[0] = r.w;
                    g[1] = r.b;
                    return r.Value;
                }
            }

            """);
        return sb.ToString();
    }
}
