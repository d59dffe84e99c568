using System;
using SymGrad.Tests.Infrastructure;

namespace SymGrad.Tests.CustomRules;

/// <summary>
/// The code the custom-rule tests compile: a library of functions the test compilation has only as metadata
/// (<see cref="Special"/>), a library of rules for them that references SymGrad and lists its rule type with
/// <c>[assembly: DerivativeRules]</c> (<see cref="Rules"/>), and models that call the functions.
/// </summary>
internal static class CustomRuleSources
{
    /// <summary>Functions without source in the compilations that use them; no SymGrad reference.</summary>
    public const string SpecialSource = """
        using System;

        namespace SpecialLib;

        public static class Special
        {
            /// <summary>log(cosh x), without overflow.</summary>
            public static double LogCosh(double x)
            {
                double a = Math.Abs(x);
                return a + Math.Log(1 + Math.Exp(-2 * a)) - Math.Log(2);
            }

            /// <summary>The Gudermannian function: d/dx gd(x) = sech x.</summary>
            public static double Gd(double x) => 2 * Math.Atan(Math.Tanh(x / 2));

            /// <summary>log(e^a + e^b), without overflow.</summary>
            public static double SoftMax2(double a, double b)
            {
                double m = Math.Max(a, b);
                return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
            }

            /// <summary>A function of four arguments: amplitude·sin(frequency·x + phase).</summary>
            public static double Wave(double amplitude, double frequency, double phase, double x) => amplitude * Math.Sin(frequency * x + phase);
        }
        """;

    /// <summary>
    /// Rules a library ships: first and second order for LogCosh and SoftMax2, first order only for Gd (so a Hessian
    /// through Gd is SG0016) and for Wave.
    /// </summary>
    public const string RulesSource = """
        using System;
        using SpecialLib;
        using SymGrad;

        [assembly: DerivativeRules(typeof(SpecialRules.LibraryRules))]

        namespace SpecialRules;

        public static class LibraryRules
        {
            [DerivativeOf(typeof(Special), nameof(Special.LogCosh))]
            public static double LogCoshDerivative(double x) => Math.Tanh(x);

            [DerivativeOf(typeof(LibraryRules), nameof(LogCoshDerivative))]
            public static double LogCoshSecondDerivative(double x)
            {
                double t = Math.Tanh(x);
                return 1 - t * t;
            }

            [DerivativeOf(typeof(Special), nameof(Special.Gd))]
            public static double GdDerivative(double x) => 1 / Math.Cosh(x);

            [DerivativeOf(typeof(Special), nameof(Special.SoftMax2), Argument = 0)]
            public static double SoftMax2A(double a, double b) => 1 / (1 + Math.Exp(b - a));

            [DerivativeOf(typeof(Special), nameof(Special.SoftMax2), Argument = 1)]
            public static double SoftMax2B(double a, double b) => 1 / (1 + Math.Exp(a - b));

            // ∂²/∂a² = ∂²/∂b² = σ(a − b)·σ(b − a); the mixed partials are its negative.
            [DerivativeOf(typeof(LibraryRules), nameof(SoftMax2A), Argument = 0)]
            [DerivativeOf(typeof(LibraryRules), nameof(SoftMax2B), Argument = 1)]
            public static double SoftMax2Curvature(double a, double b) => SoftMax2A(a, b) * SoftMax2B(a, b);

            [DerivativeOf(typeof(LibraryRules), nameof(SoftMax2A), Argument = 1)]
            [DerivativeOf(typeof(LibraryRules), nameof(SoftMax2B), Argument = 0)]
            public static double SoftMax2Mixed(double a, double b) => -SoftMax2A(a, b) * SoftMax2B(a, b);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 0)]
            public static double WaveAmplitude(double amplitude, double frequency, double phase, double x) => Math.Sin(frequency * x + phase);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 1)]
            public static double WaveFrequency(double amplitude, double frequency, double phase, double x) => amplitude * x * Math.Cos(frequency * x + phase);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 2)]
            public static double WavePhase(double amplitude, double frequency, double phase, double x) => amplitude * Math.Cos(frequency * x + phase);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 3)]
            public static double WaveX(double amplitude, double frequency, double phase, double x) => amplitude * frequency * Math.Cos(frequency * x + phase);
        }
        """;

    /// <summary>Methods that use the library's rules (a compilation referencing both libraries).</summary>
    public const string LibraryModels = """
        using System;
        using SpecialLib;
        using SymGrad;

        namespace Models;

        public static partial class WithLibraryRules
        {
            [Differentiable(Hessian = true)]
            public static double Smooth(double a, double b, double x) => Special.LogCosh(a * x - b) + Special.SoftMax2(a, b * x) * Special.LogCosh(b);

            // Four arguments, first order only; Gd's rule has no rule of its own, which a gradient does not need.
            [Differentiable]
            public static double Waves(double amplitude, double frequency, double phase, double x) => Special.Wave(amplitude, frequency, phase, x) * Special.Gd(x * phase);

            // Program mode: loops over arrays.
            [Differentiable(Hessian = true)]
            public static double Fit([Wrt] double[] w, double[] xs, double[] ys)
            {
                double loss = 0;
                for (int i = 0; i < xs.Length; i++)
                {
                    double r = Special.SoftMax2(w[0] * xs[i], w[1]) - ys[i];
                    loss += Special.LogCosh(r);
                }

                return loss;
            }

            // Gd(data) needs no derivative at all, so neither a Hessian rule: only the data argument reaches it.
            [Differentiable(Hessian = true)]
            public static double ScaledByData([Wrt] double w, double data) => w * w * Special.Gd(data);

            // The tests call the span overloads through these (reflection cannot pass a span).
            public static double CallSmoothHvp(double[] p, double[] v, double[] g, double[] hv) => SmoothHessianVectorProduct(p[0], p[1], p[2], v, g, hv);

            public static double CallFitGradient(double[] w, double[] xs, double[] ys, double[] g) => FitGradient(w, xs, ys, g);

            public static double CallFitHessian(double[] w, double[] xs, double[] ys, double[] g, double[] h) => FitHessian(w, xs, ys, g, h);

            public static double CallFitHvp(double[] w, double[] xs, double[] ys, double[] v, double[] g, double[] hv) => FitHessianVectorProduct(w, xs, ys, v, g, hv);
        }
        """;

    /// <summary>Rules declared next to the methods that use them (their bodies are differentiated for second order).</summary>
    public const string SourceModels = """
        using System;
        using SpecialLib;
        using SymGrad;

        namespace Models;

        public static class Growth
        {
            // A function with source: with a rule, it is called as is rather than inlined.
            public static double Pow2(double x) => Math.Pow(2, x);
        }

        public static partial class WithOwnRules
        {
            [DerivativeOf(typeof(Special), nameof(Special.Gd))]
            private static double GdDerivative(double x) => 1 / Math.Cosh(x);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 0)]
            private static double WaveAmplitude(double amplitude, double frequency, double phase, double x) => Math.Sin(frequency * x + phase);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 1)]
            private static double WaveFrequency(double amplitude, double frequency, double phase, double x) => amplitude * x * Math.Cos(frequency * x + phase);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 2)]
            private static double WavePhase(double amplitude, double frequency, double phase, double x) => amplitude * Math.Cos(frequency * x + phase);

            [DerivativeOf(typeof(Special), nameof(Special.Wave), Argument = 3)]
            private static double WaveX(double amplitude, double frequency, double phase, double x) => amplitude * frequency * Math.Cos(frequency * x + phase);

            // The rule calls the function itself: (2^x)′ = ln 2 · 2^x, so every order follows from it.
            [DerivativeOf(typeof(Growth), nameof(Growth.Pow2))]
            private static double Pow2Derivative(double x) => Math.Log(2) * Growth.Pow2(x);

            [Differentiable(Hessian = true)]
            public static double Scalar(double u, double v) => Special.Gd(u * v) + Special.Wave(u, v, 0.5, u - v) + Growth.Pow2(u - 2 * v);

            [Differentiable(Hessian = true)]
            public static double Loop([Wrt] double[] w, double[] xs)
            {
                double s = 0;
                for (int i = 0; i < xs.Length; i++)
                {
                    s += Special.Gd(w[0] * xs[i] + w[1]) * Special.Wave(w[2], w[3], 0.1, xs[i]);
                }

                return s + Growth.Pow2(w[0]);
            }

            public static double CallScalarHvp(double[] p, double[] v, double[] g, double[] hv) => ScalarHessianVectorProduct(p[0], p[1], v, g, hv);

            public static double CallLoopGradient(double[] w, double[] xs, double[] g) => LoopGradient(w, xs, g);

            public static double CallLoopHessian(double[] w, double[] xs, double[] g, double[] h) => LoopHessian(w, xs, g, h);

            public static double CallLoopHvp(double[] w, double[] xs, double[] v, double[] g, double[] hv) => LoopHessianVectorProduct(w, xs, v, g, hv);
        }
        """;

    /// <summary>A rule whose body SymGrad cannot lower (a loop on a double): called as is; a gradient works, a Hessian is SG0016.</summary>
    public const string OpaqueRuleModels = """
        using System;
        using SpecialLib;
        using SymGrad;

        namespace Models;

        public static partial class WithOpaqueRule
        {
            [DerivativeOf(typeof(Special), nameof(Special.LogCosh))]
            private static double LogCoshDerivative(double x)
            {
                // tanh x by argument halving: the loops' trip counts depend on x, so SymGrad cannot lower the body.
                double y = x;
                int halvings = 0;
                while (Math.Abs(y) > 0.5)
                {
                    y /= 2;
                    halvings++;
                }

                double t = Math.Tanh(y);
                for (int i = 0; i < halvings; i++)
                {
                    t = 2 * t / (1 + t * t); // tanh 2y = 2 tanh y / (1 + tanh² y)
                }

                return t;
            }

            [Differentiable]
            public static double Model(double a, double b) => Special.LogCosh(a * b) + a;
        }
        """;

    private static readonly Lazy<InMemoryLibrary> LazySpecial = new(() => GeneratorHarness.CreateLibrary("SpecialLib", SpecialSource));

    private static readonly Lazy<InMemoryLibrary> LazyRules = new(() => GeneratorHarness.CreateLibrary("SpecialRules", RulesSource, Special));

    /// <summary>The compiled function library.</summary>
    public static InMemoryLibrary Special => LazySpecial.Value;

    /// <summary>The compiled rule library (references <see cref="Special"/> and SymGrad).</summary>
    public static InMemoryLibrary Rules => LazyRules.Value;
}
