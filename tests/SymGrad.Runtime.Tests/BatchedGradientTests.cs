using System;
using System.Linq;
using SymGrad;
using SymGrad.Testing;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>Models compiled with the generator, for the runtime's batched paths.</summary>
public static partial class BatchModels
{
    /// <summary>Logistic regression's negative log-likelihood of one sample (x1, x2, y ∈ {0, 1}).</summary>
    [Differentiable]
    public static double Logistic(double x1, double x2, double y, [Wrt] double w1, [Wrt] double w2, [Wrt] double b)
    {
        double z = (w1 * x1) + (w2 * x2) + b;
        return -((y * SymMath.LogSigmoid(z)) + ((1 - y) * SymMath.LogSigmoid(-z)));
    }

    /// <summary>σ(w·z): ∂/∂w = σ′(w·z)·z, the seed's saturated neuron.</summary>
    [Differentiable]
    public static double Neuron(double z, [Wrt] double w) => SymMath.Sigmoid(w * z);

    /// <summary>tanh(w·z): ∂/∂w = tanh′(w·z)·z.</summary>
    [Differentiable]
    public static double TanhNeuron(double z, [Wrt] double w) => Math.Tanh(w * z);
}

/// <summary>
/// The batched kernels as the runtime uses them: <see cref="Gradients"/> and the optimizers' step go through the
/// generated objective's <c>SumValueAndGradient</c>, which must agree with the sample-by-sample sums (themselves the
/// oracle-checked scalar gradient) to 1e-12 relative, stay bit-identical for every degree of parallelism, and keep the
/// saturation guarantees of the scalar σ′ and tanh′.
/// </summary>
public sealed class BatchedGradientTests
{
    private static BatchModels.LogisticSample[] Data(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            double x1 = (rng.NextDouble() * 8) - 4, x2 = (rng.NextDouble() * 8) - 4;
            return new BatchModels.LogisticSample(x1, x2, (x1 - (0.5 * x2) + rng.NextDouble() - 0.5) > 0 ? 1.0 : 0.0);
        }).ToArray();
    }

    private static (double Value, double[] Gradient, double[] Scale) SampleBySample(BatchModels.LogisticSample[] data, double[] p)
    {
        var objective = default(BatchModels.LogisticObjective);
        var sum = new double[3];
        var scale = new double[3];
        var g = new double[3];
        double value = 0.0;
        foreach (var s in data)
        {
            value += objective.ValueAndGradient(in s, p, g);
            for (int k = 0; k < 3; k++)
            {
                sum[k] += g[k];
                scale[k] += Math.Abs(g[k]);
            }
        }

        return (value, sum, scale);
    }

    [Fact]
    public void Generated_objectives_take_the_batched_path_and_hand_written_ones_do_not()
    {
        Assert.True(BatchSupport<BatchModels.LogisticObjective, BatchModels.LogisticSample>.IsImplemented);
        Assert.False(BatchSupport<LinearRegressionObjective, RegressionSample>.IsImplemented);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(10_007)]
    public void The_mean_gradient_matches_the_sample_by_sample_mean(int count)
    {
        var data = Data(count, count);
        double[] p = [0.7, -0.4, 0.2];
        var (value, expected, scale) = SampleBySample(data, p);
        var g = new double[3];
        double mean = Gradients.MeanValueAndGradient(default(BatchModels.LogisticObjective), data, p, g);
        Assert.Equal(value / count, mean, 12);
        Assert.Equal(value / count, Gradients.MeanValue(default(BatchModels.LogisticObjective), data, p), 12);
        for (int k = 0; k < 3; k++)
        {
            Assert.True(Math.Abs((g[k] * count) - expected[k]) <= 1e-12 * scale[k], $"∂/∂p{k}: {g[k] * count:R} vs {expected[k]:R}");
        }
    }

    [Fact]
    public void The_batched_mean_is_bit_identical_for_every_degree_of_parallelism()
    {
        var data = Data(50_001, 3);
        double[] p = [0.3, 0.9, -1.1];
        var g1 = new double[3];
        double v1 = Gradients.MeanValueAndGradient(default(BatchModels.LogisticObjective), data, p, g1, maxDegreeOfParallelism: 1);
        foreach (int dop in new[] { 2, 3, -1 })
        {
            var g = new double[3];
            double v = Gradients.MeanValueAndGradient(default(BatchModels.LogisticObjective), data, p, g, dop);
            Assert.Equal(BitConverter.DoubleToInt64Bits(v1), BitConverter.DoubleToInt64Bits(v));
            Assert.Equal(g1.Select(BitConverter.DoubleToInt64Bits), g.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void A_shuffled_mini_batch_step_uses_the_batch_gradient_of_exactly_those_samples()
    {
        var data = Data(1000, 5);
        int[] batch = [17, 3, 999, 250, 251, 4, 600, 42, 8, 77, 500];
        double[] p = [0.1, 0.2, 0.3];
        double[] stepped = (double[])p.Clone();
        var optimizer = new Sgd(0.5);
        double loss = optimizer.CreateState(3).Step(default(BatchModels.LogisticObjective), data, batch, stepped);

        var (value, sum, scale) = SampleBySample(batch.Select(i => data[i]).ToArray(), p);
        Assert.Equal(value / batch.Length, loss, 12);
        for (int k = 0; k < 3; k++)
        {
            double expected = p[k] - (0.5 * sum[k] / batch.Length);
            Assert.True(Math.Abs(stepped[k] - expected) <= 1e-12 * (1 + (scale[k] / batch.Length)), $"p{k}: {stepped[k]:R} vs {expected:R}");
        }
    }

    [Fact]
    public void The_span_form_checks_its_arguments_and_allocates_nothing()
    {
        double[] x1 = new double[100], x2 = new double[100], y = new double[100];
        var g = new double[3];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => BatchModels.LogisticBatchGradient(x1, x2, y, 0, 0, 0, new double[2])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => BatchModels.LogisticBatchGradient(x1, x2, new double[99], 0, 0, 0, g)).ParamName);
        BatchModels.LogisticBatchGradient(x1, x2, y, 0.1, 0.2, 0.3, g);
        Assert.Equal(0, AllocationProbe.LeastBytes(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                BatchModels.LogisticBatchGradient(x1, x2, y, 0.1, 0.2, 0.3, g);
                BatchModels.LogisticBatchValue(x1, x2, y, 0.1, 0.2, 0.3);
            }
        }));
    }

    public static TheoryData<double> SaturatedPoints => new() { 30, -30, 50, -50, 400, -400, 745, -745 };

    /// <summary>
    /// σ′ and tanh′ at saturation through the vector lanes (9 equal samples: 8 in a vector, 1 in the scalar tail): each
    /// lane agrees with the scalar gradient to 4 ulp and is nonzero wherever the exact value is representable.
    /// </summary>
    [Theory]
    [MemberData(nameof(SaturatedPoints))]
    public void Saturated_derivatives_stay_exact_in_the_lanes(double z)
    {
        double[] zs = Enumerable.Repeat(z, 9).ToArray();
        var g = new double[1];
        BatchModels.NeuronBatchGradient(zs, 1.0, g);
        double scalar = BatchModels.NeuronGradient(z, 1.0).w; // σ′(z)·z
        AssertUlps(9 * scalar, g[0], 4 * 9);
        Assert.NotEqual(0.0, g[0]);

        BatchModels.TanhNeuronBatchGradient(zs, 1.0, g);
        double tanhScalar = BatchModels.TanhNeuronGradient(z, 1.0).w; // tanh′(z)·z = 4e^(−2|z|)/(1 + e^(−2|z|))²·z
        AssertUlps(9 * tanhScalar, g[0], 4 * 9);
        if (Math.Abs(z) < 370)
        {
            Assert.NotEqual(0.0, g[0]); // 4e^(−2|z|) underflows past |z| ≈ 372.5
        }
    }

    private static void AssertUlps(double expected, double actual, int ulps)
    {
        double tolerance = ulps * Math.Max(double.Epsilon, Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{actual:R} vs {expected:R}");
    }
}
