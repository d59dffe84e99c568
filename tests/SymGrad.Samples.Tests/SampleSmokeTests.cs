using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using SymGrad.Samples.ClosedForm;
using SymGrad.Samples.Distributed;
using SymGrad.Samples.Iris;
using SymGrad.Samples.LargeData;
using SymGrad.Samples.Saturation;
using SymGrad.Samples.TinyNet;
using SymGrad.Samples.Xor;
using SymGrad.Samples.ZeroGradients;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Samples.Tests;

/// <summary>Runs every sample in-process and checks the outcomes it prints (PNGs go to a temporary directory).</summary>
public sealed class SampleSmokeTests : IDisposable
{
    private readonly ITestOutputHelper _log;
    private readonly string _outDir = Path.Combine(Path.GetTempPath(), "symgrad-samples-" + Guid.NewGuid().ToString("N"));

    public SampleSmokeTests(ITestOutputHelper log) => _log = log;

    public void Dispose()
    {
        if (Directory.Exists(_outDir))
        {
            Directory.Delete(_outDir, recursive: true);
        }
    }

    [Fact]
    public void TinyNet_prints_generated_code_matches_seed_formulas_and_fits()
    {
        string text = Run(TinyNetDemo.Run, out int exit);
        Assert.Equal(0, exit);
        Assert.Contains("public static double LossGradient(double x, double y, double w2, double b2, double w3, double b3, global::System.Span<double> gradient)", text);
        Assert.Contains("Sigmoid(z3, out double da3_dz3)", text); // σ and σ′ from one exponential
        Assert.Contains("∂Loss/∂a3 · σ′(z3)", text);
        Assert.Contains("// ∂Loss/∂z2 = ∂Loss/∂a2 · σ′(z2)", text);
        double maxError = Number(text, @"max relative error over 5 points × 4 partials \(and the costs\): (\S+)");
        Assert.InRange(maxError, 0.0, 1e-12);
        Assert.Contains("epoch 1/3000", text);
        double finalLoss = Number(text, @"final loss (\S+)\)");
        Assert.InRange(finalLoss, 0.0, 1e-10);
    }

    [Fact]
    public void LargeData_trains_logistic_regression_with_full_batch_lbfgs_and_reports_throughput()
    {
        var writer = new StringWriter();
        int exit = LargeDataDemo.Run(writer, 200_000);
        string text = writer.ToString();
        _log.WriteLine(text);
        Assert.Equal(0, exit);
        Assert.Contains("Recovered the true weights.", text);
        Assert.InRange(Number(text, @"Largest error against the true weights: (\S+)"), 0.0, 0.03);
        Assert.True(Number(text, @"batched SIMD kernel, one thread +\S+ ms +(\S+) M samples/s") > 0);
        Assert.Matches(@"Trained on 200,000 samples with full-batch L-BFGS in \S+ s: \d+ evaluations of the mean loss and gradient, \S+ M samples/s\.", text);
    }

    [Fact]
    public void Distributed_trains_on_three_silos_survives_a_killed_silo_with_the_same_parameters_and_shuts_down()
    {
        var writer = new StringWriter();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int exit = DistributedDemo.Run(writer, 300_000);
        string text = writer.ToString();
        _log.WriteLine(text);
        Assert.Equal(0, exit);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 120);
        Assert.Contains("300,000 synthetic rows in 6 shards on a 3-silo Orleans cluster", text);
        // Two shards per silo (shard k on the (k mod 3)-th silo in address order; which silo that is depends on the
        // ports the run got), so killing silo 3 moves two.
        string loaded = text[..text.IndexOf("Run 1", StringComparison.Ordinal)];
        foreach (string silo in new[] { "silo 1", "silo 2", "silo 3" })
        {
            Assert.Equal(2, Regex.Matches(loaded, @"shard \d: +50,000 rows on " + silo + @"\b").Count);
        }
        Assert.Equal(2, Regex.Matches(text, @"L-BFGS: converged after \d+ iterations").Count);
        foreach (string silo in new[] { "silo 1", "silo 2", "silo 3" })
        {
            Assert.True(Number(text, silo + @": +[\d,]+ rows in +\S+ s of compute: +(\S+) M rows/s") > 0, silo);
        }

        Assert.Matches(@"killing the process of silo 3, \S+ s into iteration \d+", text);
        Assert.Matches(@"(shard [0-5]|checkpoint): \w+Exception", text); // a call that silo 3 was answering, or would have answered, was sent again
        string after = text[text.IndexOf("Shards after the crash", StringComparison.Ordinal)..];
        Assert.Equal(6, Regex.Matches(after, @"shard \d: +50,000 rows on silo [12]").Count); // silo 3's shards moved
        Assert.Contains("Same parameters as the undisturbed run, bit for bit.", text);
        Assert.InRange(Number(text, @"Largest error against the true weights: (\S+)"), 0.0, 0.05);
    }

    [Fact]
    public void Xor_weight_vector_passes_gradient_check_reaches_100_percent_and_writes_a_png()
    {
        string text = Run(XorDemo.Run, out int exit);
        Assert.Equal(0, exit);
        Assert.Contains("a 2-2-1 sigmoid network, one weight vector of 9", text);
        Assert.InRange(Number(text, @"Gradient check passed: .*relative (\S+);"), 0.0, 1e-6);
        Assert.Contains("reached the target loss", text);
        Assert.DoesNotContain("✗", text);
        Assert.Matches(@"Accuracy: 100 % \(4/4\)", text);
        AssertPng(Path.Combine(_outDir, XorDemo.PlotFileName));
    }

    [Fact]
    public void Iris_logistic_regression_above_90_percent_for_sgd_and_adam()
    {
        string text = Run(IrisDemo.Run, out int exit);
        Assert.Equal(0, exit);
        Match m = Regex.Match(text, @"Held-out accuracy: SGD (\S+) %, Adam (\S+) %");
        Assert.True(m.Success, text);
        Assert.True(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 90, m.Value);
        Assert.True(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) > 90, m.Value);
        AssertPng(Path.Combine(_outDir, IrisDemo.PlotFileName));
    }

    [Fact]
    public void Iris_softmax_network_passes_gradient_check_and_classifies_three_species_at_90_percent()
    {
        string text = Run(IrisDemo.Run, out int exit);
        Assert.Equal(0, exit);
        Assert.Contains("a 4-16-3 tanh network with a softmax output (131 weights in one vector)", text);
        string part2 = text[text.IndexOf("Iris, part 2", StringComparison.Ordinal)..];
        Assert.InRange(Number(part2, @"Gradient check passed: .*relative (\S+);"), 0.0, 1e-6);
        Match m = Regex.Match(part2, @"Held-out accuracy \(softmax network\): (\S+) % \((\d+)/(\d+)\)");
        Assert.True(m.Success, part2);
        double accuracy = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int correct = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        int heldOut = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.Equal(45, heldOut); // 30 % of 150 flowers
        Assert.InRange(correct, 41, 45); // ≥ 90 %
        Assert.Equal(100.0 * correct / heldOut, accuracy, 0.05);
        Assert.InRange(Number(part2, @"Training accuracy (\S+) %"), 90.0, 100.0);

        // The confusion matrix's diagonal is the correct count, and its rows add up to the held-out flowers.
        int diagonal = 0, total = 0;
        string[] species = ["setosa", "versicolor", "virginica"];
        for (int k = 0; k < species.Length; k++)
        {
            Match row = Regex.Match(part2, "^" + species[k] + @"\s+(\d+)\s+(\d+)\s+(\d+)\s*$", RegexOptions.Multiline);
            Assert.True(row.Success, species[k] + " row missing:\n" + part2);
            diagonal += int.Parse(row.Groups[k + 1].Value, CultureInfo.InvariantCulture);
            for (int c = 1; c <= 3; c++)
            {
                total += int.Parse(row.Groups[c].Value, CultureInfo.InvariantCulture);
            }
        }

        Assert.Equal(correct, diagonal);
        Assert.Equal(heldOut, total);
        AssertPng(Path.Combine(_outDir, IrisDemo.SoftmaxPlotFileName));
    }

    [Fact]
    public void Saturation_generated_gradient_is_nonzero_and_recovers_while_naive_stalls()
    {
        string text = Run(SaturationDemo.Run, out int exit);
        Assert.Equal(0, exit);
        Match m = Regex.Match(text, @"Result: naive gradient (\S+), SymGrad gradient (\S+) \(exact (\S+)\)");
        Assert.True(m.Success, text);
        Assert.Equal(0.0, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        double generated = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        double exact = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.NotEqual(0.0, generated);
        Assert.InRange(Math.Abs(generated - exact) / exact, 0.0, 1e-12);

        // e^−50/(1 + e^−50)² · 2 · 62.5 ≈ 2.41e−20 (σ(50) = 1 in double).
        Assert.InRange(generated, 2.41e-20, 2.42e-20);
        Assert.Contains("Training stalled", text);
        Assert.Contains("naive run stalled", text);
        Assert.Contains("SymGrad run recovered", text);
    }

    [Fact]
    public void ZeroGradients_bears_out_seed_000s_three_claims()
    {
        string text = Run(ZeroGradientsDemo.Run, out int exit);
        Assert.Equal(0, exit);
        Assert.Contains("Claim 1 (one sample, ∂L/∂c = 0 ⇒ every lower gradient is 0): holds", text);
        Assert.Contains("Claim 2 (a batch: output layer all 0 does not make the hidden layer 0): holds", text);
        Assert.Contains("Claim 3 (∂L/∂v = 0 alone does not make the hidden layer 0): holds", text);
    }

    [Fact]
    public void ClosedForm_newton_needs_fewer_iterations_than_gradient_descent()
    {
        string text = Run(ClosedFormDemo.Run, out int exit);
        Assert.Equal(0, exit);
        Assert.Contains("no finite zero of the gradient (confirmed on the grid)", text);
        Match m = Regex.Match(text, @"Newton (\d+) iterations, gradient descent at best (\d+) iterations");
        Assert.True(m.Success, text);
        int newton = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int descent = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(newton, 1, 8);
        Assert.True(newton < descent, m.Value);
    }

    private string Run(Func<TextWriter, string, int> sample, out int exit)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        exit = sample(writer, _outDir);
        string text = writer.ToString();
        _log.WriteLine(text);
        return text;
    }

    private static double Number(string text, string pattern)
    {
        Match m = Regex.Match(text, pattern);
        Assert.True(m.Success, $"'{pattern}' not found in:\n{text}");
        return double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10_000, $"{path}: {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }
}
