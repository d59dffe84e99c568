using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.Pending;

/// <summary>
/// Seed 002 end to end through the real generator: TinyNet.Predict / TinyNet.Loss → generated gradients, checked
/// against the seed's hand-derived closed forms (computed in the test) and the numerical oracle.
/// </summary>
public sealed class TinyNetSeedTests
{
    private static Compiled Compiled => GeneratorHarness.Compile(TinyNetSeed.Source);

    [Fact]
    public void Generated_code_compiles_with_zero_errors_and_zero_warnings()
    {
        GeneratorHarness.Run(TinyNetSeed.Source).AssertNoGeneratorDiagnostics().AssertCompilesCleanly();
    }

    [Fact]
    public void LossGradient_matches_the_seed_closed_forms_at_1000_random_points()
    {
        TinyNetSeed.AssertLossGradientMatchesSeed(Compiled, count: 1000, relTol: 1e-12);
    }

    [Fact]
    public void PredictGradient_matches_the_chain_rule_at_1000_random_points()
    {
        TinyNetSeed.AssertPredictGradientMatchesSeed(Compiled, count: 1000, relTol: 1e-12);
    }

    [Fact]
    public void LossGradient_at_the_seeds_starting_point_is_exact()
    {
        // Seed: start at w3 = w2 = b3 = b2 = 0 and x = 2, y = 1. Then z2 = z3 = 0, a2 = f = 1/2, σ′(0) = 1/4, so
        // ∂C/∂w3 = −2(1 − 1/2)(1/4)(1/2) = −1/8, ∂C/∂b3 = −1/4, and ∂C/∂w2 = ∂C/∂b2 = 0 (they carry the factor w3 = 0).
        var (value, gradient) = Compiled.Gradient("TinyNet", "Loss", 2.0, 1.0, 0.0, 0.0, 0.0, 0.0);
        Assert.Equal(0.25, value);
        Assert.Equal(new[] { 0.0, 0.0, -0.125, -0.25 }, gradient);
    }

    [Fact]
    public void A_saturated_output_sigmoid_still_has_a_nonzero_gradient()
    {
        // Seed 002's question: with z = 50, σ(z) rounds to 1 and the textbook σ(1 − σ) gives 0. σ′(50) ≈ 1.93e−22.
        // x = 0, w3 = 0, b3 = 50 → z3 = 50; y = 0 → ∂C/∂b3 = −2(0 − σ(50))σ′(50) ≈ 3.86e−22.
        var (_, gradient) = Compiled.Gradient("TinyNet", "Loss", 0.0, 0.0, 1.0, 0.0, 0.0, 50.0);
        var (_, expected) = TinyNetSeed.LossClosedForm(0.0, 0.0, 1.0, 0.0, 0.0, 50.0);
        Assert.True(expected[3] > 3e-22 && expected[3] < 4e-22, "closed form sanity");
        Oracle.AssertClose(expected, gradient, 1e-12, 1e-300, TinyNetSeed.Trainable, "at z3 = 50");
    }

    [Fact]
    public void Value_equals_the_original_method()
    {
        var loss = Compiled.Function("TinyNet", "Loss");
        foreach (var p in TinyNetSeed.RandomLossPoints(100))
        {
            Oracle.AssertClose(loss(p), Compiled.Gradient("TinyNet", "Loss", p).Value, 1e-15, 1e-300, "Loss", "at " + TinyNetSeed.FormatPoint(p));
        }
    }

    [Fact]
    public void Gradient_agrees_with_the_numerical_oracle()
    {
        var loss = Compiled.Function("TinyNet", "Loss");
        foreach (var p in TinyNetSeed.RandomLossPoints(50))
        {
            var numeric = Oracle.Gradient(loss, p, new[] { 2, 3, 4, 5 });
            Oracle.AssertClose(numeric, Compiled.Gradient("TinyNet", "Loss", p).Gradient, 1e-7, 1e-11, TinyNetSeed.Trainable, "at " + TinyNetSeed.FormatPoint(p));
        }
    }

    [Fact]
    public void Partials_overload_returns_the_span_overloads_numbers_under_the_parameter_names()
    {
        foreach (var p in TinyNetSeed.RandomLossPoints(100))
        {
            var span = Compiled.Gradient("TinyNet", "Loss", p);
            var partials = Compiled.Partials("TinyNet", "Loss", p);
            Assert.Equal(span.Value, partials.Value);
            Assert.Equal(span.Gradient, partials.Gradient);
        }

        var type = Compiled.GetType("TinyNet+LossPartials");
        Assert.True(type.IsValueType);
        foreach (var name in new[] { "Value" }.Concat(TinyNetSeed.Trainable))
        {
            Assert.Equal(typeof(double), type.GetProperty(name)?.PropertyType);
        }
    }

    [Fact]
    public void A_too_short_gradient_throws_ArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() =>
            Compiled.GradientInto("TinyNet", "Loss", new object?[] { 1.0, 0.5, 0.1, 0.2, 0.3, 0.4 }, new double[3]));
    }

    [Fact]
    public void A_longer_gradient_buffer_is_accepted_and_only_the_first_n_entries_are_written()
    {
        var buffer = Enumerable.Repeat(double.NaN, 6).ToArray();
        Compiled.GradientInto("TinyNet", "Loss", new object?[] { 1.0, 0.5, 0.1, 0.2, 0.3, 0.4 }, buffer);
        Assert.All(buffer.Take(4), g => Assert.False(double.IsNaN(g)));
        Assert.All(buffer.Skip(4), g => Assert.True(double.IsNaN(g)));
    }

    [Fact]
    public void Sample_and_objective_follow_the_contract()
    {
        // A probe compiled next to the user's code calls the objective through its interface.
        const string probe = """
            using System;
            using System.Linq;
            using SymGrad;

            public static class ObjectiveProbe
            {
                public static double[] Run(double x, double y, double[] parameters)
                {
                    IObjective<TinyNet.LossSample> objective = new TinyNet.LossObjective();
                    var sample = new TinyNet.LossSample(x, y);
                    var gradient = new double[objective.ParameterCount];
                    double value = objective.ValueAndGradient(in sample, parameters, gradient);
                    if (objective.Value(in sample, parameters) != value) throw new InvalidOperationException("Value != ValueAndGradient");
                    var names = string.Join(",", new[] { 0, 1, 2, 3 }.Select(objective.GetParameterName));
                    if (names != "w2,b2,w3,b3") throw new InvalidOperationException("names: " + names);
                    return new[] { value, gradient[0], gradient[1], gradient[2], gradient[3] };
                }
            }
            """;
        var compiled = GeneratorHarness.Compile(new[] { TinyNetSeed.Source, probe });
        foreach (var p in TinyNetSeed.RandomLossPoints(20))
        {
            var result = (double[])compiled.Invoke("ObjectiveProbe", "Run", p[0], p[1], new[] { p[2], p[3], p[4], p[5] })!;
            var (value, gradient) = TinyNetSeed.LossClosedForm(p[0], p[1], p[2], p[3], p[4], p[5]);
            Oracle.AssertClose(new[] { value }.Concat(gradient).ToArray(), result, 1e-12, 1e-300, null, "at " + TinyNetSeed.FormatPoint(p));
        }
    }

    [Fact]
    public void Generated_code_matches_the_snapshot()
    {
        // First run: fails and writes Snapshots/TinyNet.received.cs; review it and accept with SYMGRAD_ACCEPT=1.
        Snapshot.Verify(GeneratorHarness.Run(TinyNetSeed.Source).AllGeneratedText(), "TinyNet");
    }
}
