using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// A chain of k sigmoid layers z_{i+1} = σ(w_i·z_i + b_i), every w_i and b_i trainable: reverse mode must emit code
/// linear in k (no expression swell), fast, and right.
/// </summary>
public sealed class SizeLinearityTests
{
    private readonly ITestOutputHelper output;

    public SizeLinearityTests(ITestOutputHelper output) => this.output = output;

    public static string Chain(int k)
    {
        var sb = new StringBuilder("using SymGrad;\n\nnamespace Deep\n{\n    public static partial class Chain\n    {\n        [Differentiable]\n        public static double Net(double x");
        for (int i = 0; i < k; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $", [Wrt] double w{i}, [Wrt] double b{i}");
        }

        sb.Append(")\n        {\n            double z = x;\n");
        for (int i = 0; i < k; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"            z = SymMath.Sigmoid(w{i} * z + b{i});\n");
        }

        sb.Append("            return z;\n        }\n    }\n}\n");
        return sb.ToString();
    }

    /// <summary>Length of the whole generated file, of the span-gradient method alone, and the generator's run time.</summary>
    private static (int File, int Method, TimeSpan Elapsed) Generate(int k)
    {
        var compilation = GeneratorHarness.CreateCompilation(Chain(k));
        var driver = GeneratorHarness.CreateDriver();
        var watch = Stopwatch.StartNew();
        driver = driver.RunGenerators(compilation);
        watch.Stop();
        var result = driver.GetRunResult();
        Assert.Empty(result.Diagnostics);
        string text = result.GeneratedTrees.Single().GetText().ToString();

        // The batched members are the vectorised kernel below a size limit and a short per-sample loop above it: not a
        // measure of expression swell, so they are left out (the objective's batch members are a constant ~1.5 KB).
        int batchStart = text.IndexOf("/// Σᵢ Net", StringComparison.Ordinal);
        int batchEnd = text.IndexOf("/// <summary>The data (non-differentiated)", StringComparison.Ordinal);
        if (batchStart > 0 && batchEnd > batchStart)
        {
            text = text.Remove(text.LastIndexOf("/// <summary>", batchStart, StringComparison.Ordinal), batchEnd - text.LastIndexOf("/// <summary>", batchStart, StringComparison.Ordinal));
        }

        int start = text.IndexOf("public static double NetGradient(", StringComparison.Ordinal);
        int end = text.IndexOf("/// <summary>", start, StringComparison.Ordinal);
        return (text.Length, end - start, watch.Elapsed);
    }

    [Fact]
    public void Emitted_code_grows_linearly_with_depth_and_stays_fast()
    {
        var (f1, m1, _) = Generate(1);
        var (f8, m8, _) = Generate(8);
        var (f64, m64, t64) = Generate(64);
        string sizes = $"file: k=1 {f1}, k=8 {f8}, k=64 {f64} chars (ratio 64/8 {(double)f64 / f8:F2}); " +
            $"gradient method: {m1}, {m8}, {m64} (ratio 64/8 {(double)m64 / m8:F2}); k=64 generated in {t64.TotalMilliseconds:F0} ms";

        output.WriteLine(sizes);

        // The gradient method, where expression swell would show: 8× the layers, 6–10× the code.
        Assert.True((double)m64 / m8 is >= 6 and <= 10, sizes);

        // The whole file has ~4 KB of fixed boilerplate (docs, Partials, Objective), so compare growth: 63 layers added
        // vs 7 added is 9× for exactly linear code; a quadratic term would show far above.
        double marginal = (double)(f64 - f1) / (f8 - f1);
        Assert.True(marginal is >= 7.2 and <= 10.8, sizes + $"; marginal ratio {marginal:F2}");
        Assert.True((double)f64 / f8 <= 10, sizes);

        // Loosely: well under the IDE's patience (the measured time is ~0.1 s).
        Assert.True(t64 < TimeSpan.FromSeconds(5), sizes);
    }

    [Fact]
    public void The_eight_layer_chain_matches_the_oracle()
    {
        var compiled = GeneratorHarness.Compile(Chain(8));
        compiled.Run.AssertCompilesCleanly();
        var rng = new Random(8);
        var f = compiled.Function("Deep.Chain", "Net");
        int[] wrt = Enumerable.Range(1, 16).ToArray();
        for (int trial = 0; trial < 5; trial++)
        {
            double[] p = Enumerable.Range(0, 17).Select(_ => (rng.NextDouble() * 4) - 2).ToArray();
            var (value, gradient) = compiled.Gradient("Deep.Chain", "Net", p);
            Assert.Equal(f(p), value, 12);
            Oracle.AssertClose(Oracle.Gradient(f, p, wrt), gradient, 1e-7, 1e-10, compiled.Method("Deep.Chain", "Net").DifferentiatedParameterNames);
        }
    }

    [Theory]
    [InlineData(20, 200_000)]
    [InlineData(1234, 987_654)]
    public void Emitted_code_does_not_grow_with_trip_counts(int a, int b)
    {
        // The same recurrence over a loop of a and of b steps (constants above the tiny unrolling limit, and a run-time
        // count): the generated sources are the same text up to the digits of the trip count.
        static string Source(string steps) => $$"""
            using System;
            using SymGrad;
            public static partial class Rec
            {
                [Differentiable(Hessian = true)]
                public static double F(double x, double w, int n)
                {
                    double h = x;
                    for (int t = 0; t < {{steps}}; t++)
                    {
                        h = Math.Tanh(w * h + x);
                    }

                    return h * h;
                }
            }
            """;
        string Run(string steps)
        {
            var run = GeneratorHarness.Run(Source(steps));
            run.AssertNoExceptions();
            Assert.Empty(run.GeneratorDiagnostics);
            return run.GeneratedSources.Single().Value;
        }

        string small = Run(a.ToString(CultureInfo.InvariantCulture));
        string large = Run(b.ToString(CultureInfo.InvariantCulture));
        string runTime = Run("n");
        Assert.Equal(small.Replace(a.ToString(CultureInfo.InvariantCulture), "N", StringComparison.Ordinal), large.Replace(b.ToString(CultureInfo.InvariantCulture), "N", StringComparison.Ordinal));
        Assert.InRange(runTime.Length, small.Length - 200, small.Length + 200);
        output.WriteLine($"{a} steps: {small.Length} chars; {b} steps: {large.Length}; run-time count: {runTime.Length}");
    }
}
