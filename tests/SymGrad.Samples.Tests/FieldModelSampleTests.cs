using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SymGrad.Samples.FieldModel;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Samples.Tests;

/// <summary>
/// The FieldModel sample: the instance gradient <c>model.LossGradient(x, y, gradient)</c> against finite differences of
/// <c>model.Loss</c> taken by perturbing the [Param] fields one element at a time, training with Adam through
/// <c>CreateLossObjective()</c>, and the fields holding the trained values after <c>LossSetParameters</c>.
/// </summary>
public sealed class FieldModelSampleTests : IDisposable
{
    private readonly ITestOutputHelper _log;
    private readonly string _outDir = Path.Combine(Path.GetTempPath(), "symgrad-fieldmodel-" + Guid.NewGuid().ToString("N"));

    public FieldModelSampleTests(ITestOutputHelper log) => _log = log;

    public void Dispose()
    {
        if (Directory.Exists(_outDir))
        {
            Directory.Delete(_outDir, recursive: true);
        }
    }

    public static TheoryData<int> SampleIndices => new() { 0, 1, 17, 100, 255 };

    [Theory]
    [MemberData(nameof(SampleIndices))]
    public void Instance_gradient_matches_finite_differences_over_the_fields_at_the_initial_weights(int index)
    {
        AssertGradientMatchesFieldPerturbation(FieldModelDemo.CreateModel(), FieldModelDemo.TrainingData()[index]);
    }

    [Theory]
    [MemberData(nameof(SampleIndices))]
    public void Instance_gradient_matches_finite_differences_over_the_fields_at_the_trained_weights(int index)
    {
        MoonsNet model = FieldModelDemo.CreateModel();
        MoonsNet.LossSample[] train = FieldModelDemo.TrainingData();
        FieldModelDemo.Train(model, train, FieldModelDemo.TestData());
        AssertGradientMatchesFieldPerturbation(model, train[index]);
    }

    [Fact]
    public void Gradient_layout_is_the_fields_in_declaration_order()
    {
        MoonsNet model = FieldModelDemo.CreateModel();
        Assert.Equal(16 + 8 + 8 + 1, model.LossParameterCount);
        double[] p = new double[model.LossParameterCount];
        model.LossGetParameters(p);
        double[] expected = [.. model.W1, .. model.B1, .. model.W2, model.B2];
        Assert.Equal(expected, p);

        // ∂L/∂B2 (the last slot) of the cross-entropy on the logit is σ(z) − y.
        MoonsNet.LossSample s = FieldModelDemo.TrainingData()[3];
        double[] gradient = new double[model.LossParameterCount];
        model.LossGradient(s.x.Span, s.y, gradient);
        Oracle.AssertClose(SymMath.Sigmoid(model.Logit(s.x.Span)) - s.y, gradient[^1], 1e-14, 1e-16, "∂L/∂B2");
    }

    [Fact]
    public void Training_with_adam_cuts_the_mean_loss_and_classifies_held_out_moons()
    {
        MoonsNet model = FieldModelDemo.CreateModel();
        FieldModelResult result = FieldModelDemo.Train(model, FieldModelDemo.TrainingData(), FieldModelDemo.TestData());
        _log.WriteLine(result.Training.ToString());
        _log.WriteLine(FormattableString.Invariant($"initial {result.InitialLoss}, final {result.FinalLoss}, held-out accuracy {result.TestAccuracy} (from {result.InitialAccuracy})"));
        Assert.InRange(result.InitialLoss, 0.5, 1.0); // the seeded start is near ln 2
        Assert.True(result.FinalLoss < 0.2 * result.InitialLoss, $"final {result.FinalLoss} vs initial {result.InitialLoss}");
        Assert.InRange(result.InitialAccuracy, 0.2, 0.8); // not already solved at the start
        Assert.InRange(result.TestAccuracy, 0.95, 1.0);
        Assert.InRange(result.TrainAccuracy, 0.95, 1.0);
        Assert.Equal(FieldModelDemo.Epochs, result.Training.Epochs);
    }

    [Fact]
    public void After_LossSetParameters_the_fields_hold_the_trained_values()
    {
        MoonsNet model = FieldModelDemo.CreateModel();
        double[] initial = new double[model.LossParameterCount];
        model.LossGetParameters(initial);
        MoonsNet.LossSample[] train = FieldModelDemo.TrainingData();
        FieldModelResult result = FieldModelDemo.Train(model, train, FieldModelDemo.TestData());

        // The fields are the trained vector, bit for bit, and they moved from the start.
        double[] fields = new double[model.LossParameterCount];
        model.LossGetParameters(fields);
        Assert.Equal(result.Parameters, fields);
        Assert.Equal(result.Parameters[..16], model.W1);
        Assert.Equal(result.Parameters[16..24], model.B1);
        Assert.Equal(result.Parameters[24..32], model.W2);
        Assert.Equal(result.Parameters[32], model.B2);
        Assert.True(initial.Zip(fields, (a, b) => Math.Abs(a - b)).Max() > 0.5, "the fields did not move");

        // Evaluating the model through its fields reproduces the trainer's final mean loss, and the objective at the vector.
        double throughFields = FieldModelDemo.MeanLoss(model, train);
        Assert.Equal(result.FinalLoss, throughFields);
        Oracle.AssertClose(result.Training.FinalLoss, throughFields, 1e-12, 0, "final mean loss");
        Oracle.AssertClose(Gradients.MeanValue(model.CreateLossObjective(), train, result.Parameters, maxDegreeOfParallelism: 1), throughFields, 1e-12, 0, "objective at the trained vector");
    }

    [Fact]
    public void Training_is_deterministic()
    {
        FieldModelResult a = FieldModelDemo.Train(FieldModelDemo.CreateModel(), FieldModelDemo.TrainingData(), FieldModelDemo.TestData());
        FieldModelResult b = FieldModelDemo.Train(FieldModelDemo.CreateModel(), FieldModelDemo.TrainingData(), FieldModelDemo.TestData());
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Training.LossHistory, b.Training.LossHistory);
    }

    [Fact]
    public void FieldModel_sample_runs_checks_its_gradient_trains_and_writes_a_png()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        int exit = FieldModelDemo.Run(writer, _outDir);
        string text = writer.ToString();
        _log.WriteLine(text);
        Assert.Equal(0, exit);
        Assert.Contains("LossParameterCount = 33", text);
        Assert.Contains("Gradient check passed", text);
        Assert.Contains("(the two agree)", text);
        Match m = Regex.Match(text, @"Initial mean loss (\S+), final mean loss (\S+) ");
        Assert.True(m.Success, text);
        double initial = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        double final = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(final < 0.2 * initial, m.Value);
        Match accuracy = Regex.Match(text, @"final held-out (\S+) %");
        Assert.True(accuracy.Success, text);
        Assert.InRange(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture), 95.0, 100.0);
        Assert.Contains("Result: trained.", text);
        string png = Path.Combine(_outDir, FieldModelDemo.PlotFileName);
        Assert.True(File.Exists(png), png);
        Assert.True(new FileInfo(png).Length > 10_000, png);
    }

    /// <summary>
    /// Each component of <c>model.LossGradient</c> against the Richardson central difference of <c>model.Loss</c>
    /// with that one field element moved (W1[k], B1[k], W2[k], then B2: the documented flat order); the fields are put
    /// back afterwards and must be unchanged by the gradient call.
    /// </summary>
    private static void AssertGradientMatchesFieldPerturbation(MoonsNet model, MoonsNet.LossSample s)
    {
        double[] before = new double[model.LossParameterCount];
        model.LossGetParameters(before);
        double[] gradient = new double[model.LossParameterCount];
        double value = model.LossGradient(s.x.Span, s.y, gradient);
        double[] after = new double[model.LossParameterCount];
        model.LossGetParameters(after);
        Assert.Equal(before, after);
        Oracle.AssertClose(model.Loss(s.x.Span, s.y), value, 1e-14, 1e-16, "value");

        var slots = new List<(string Name, Func<double> Get, Action<double> Set)>();
        foreach ((string name, double[] field) in new[] { ("W1", model.W1), ("B1", model.B1), ("W2", model.W2) })
        {
            for (int k = 0; k < field.Length; k++)
            {
                int i = k;
                slots.Add((name + "[" + i + "]", () => field[i], v => field[i] = v));
            }
        }

        slots.Add(("B2", () => model.B2, v => model.B2 = v));
        Assert.Equal(model.LossParameterCount, slots.Count);

        double[] numeric = new double[slots.Count];
        for (int k = 0; k < slots.Count; k++)
        {
            (string _, Func<double> get, Action<double> set) = slots[k];
            double original = get();
            numeric[k] = Oracle.Derivative(
                t =>
                {
                    set(t);
                    return model.Loss(s.x.Span, s.y);
                },
                original);
            set(original);
        }

        model.LossGetParameters(after);
        Assert.Equal(before, after);
        Oracle.AssertClose(numeric, gradient, 1e-7, 1e-11, slots.Select(t => t.Name).ToArray(), FormattableString.Invariant($"x = ({s.x.Span[0]}, {s.x.Span[1]}), y = {s.y}"));
    }
}
