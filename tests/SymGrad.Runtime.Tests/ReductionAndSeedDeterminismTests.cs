using System;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>
/// Bit-identical results: the parallel reductions (batch gradient, mean value, Hessian) for every degree of
/// parallelism and chunk layout, and training for a given shuffling seed.
/// </summary>
public class ReductionAndSeedDeterminismTests
{
    /// <summary>
    /// Values spread over 16 orders of magnitude, so that summing them in a different order changes the
    /// rounding: a reduction whose order depended on thread scheduling would not give the same bits.
    /// </summary>
    private static RegressionSample[] OrderSensitiveData(int count)
    {
        var random = new Random(42);
        var data = new RegressionSample[count];
        for (int i = 0; i < count; i++)
        {
            double scale = Math.Pow(10, random.Next(-8, 8));
            data[i] = new RegressionSample(random.NextDouble() * scale, random.NextDouble() - 0.5, (random.NextDouble() - 0.5) * scale);
        }

        return data;
    }

    [Fact]
    public void The_test_data_is_order_sensitive()
    {
        // Guards the next test: if reversing the summation did not change the bits, that test could not fail.
        var data = OrderSensitiveData(20_000);
        var objective = new LinearRegressionObjective();
        double[] p = [0.7, -1.3, 0.2];
        var g = new double[3];
        double forward = 0;
        double backward = 0;
        for (int i = 0; i < data.Length; i++)
        {
            forward += objective.ValueAndGradient(data[i], p, g);
        }

        for (int i = data.Length - 1; i >= 0; i--)
        {
            backward += objective.ValueAndGradient(data[i], p, g);
        }

        Assert.NotEqual(BitConverter.DoubleToInt64Bits(forward), BitConverter.DoubleToInt64Bits(backward));
    }

    [Fact]
    public void Batch_gradient_is_bit_identical_for_every_degree_of_parallelism()
    {
        var data = OrderSensitiveData(20_000);
        var objective = new LinearRegressionObjective();
        double[] p = [0.7, -1.3, 0.2];

        var reference = new double[3];
        double referenceLoss = Gradients.MeanValueAndGradient(objective, data, p, reference, maxDegreeOfParallelism: 1);
        foreach (int dop in new[] { 1, 2, 4, 8, -1 })
        {
            for (int repeat = 0; repeat < 3; repeat++)
            {
                var g = new double[3];
                double loss = Gradients.MeanValueAndGradient(objective, data, p, g, dop);
                Assert.Equal(BitConverter.DoubleToInt64Bits(referenceLoss), BitConverter.DoubleToInt64Bits(loss));
                Assert.True(TestData.BitEqual(reference, g), $"degree {dop}: [{string.Join(", ", g)}] vs [{string.Join(", ", reference)}]");
            }
        }

        // The fixed order is also accurate: compare with a plain sequential mean.
        var naive = new double[3];
        var sample = new double[3];
        double naiveLoss = 0;
        foreach (var s in data)
        {
            naiveLoss += objective.ValueAndGradient(s, p, sample);
            for (int j = 0; j < 3; j++)
            {
                naive[j] += sample[j];
            }
        }

        Assert.Equal(naiveLoss / data.Length, referenceLoss, Math.Abs(referenceLoss) * 1e-12);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(naive[j] / data.Length, reference[j], Math.Abs(reference[j]) * 1e-10 + 1e-300);
        }
    }

    [Fact]
    public void Mean_value_and_Hessian_are_bit_identical_for_every_degree_of_parallelism()
    {
        var data = OrderSensitiveData(5_000);
        var objective = new LinearRegressionObjective();
        double[] p = [0.7, -1.3, 0.2];
        double value = Gradients.MeanValue(objective, data, p, 1);
        var g1 = new double[3];
        var h1 = new double[9];
        double hv = Gradients.MeanValueGradientAndHessian(objective, data, p, g1, h1, 1);
        foreach (int dop in new[] { 2, 4, 8, -1 })
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(Gradients.MeanValue(objective, data, p, dop)));
            var g = new double[3];
            var h = new double[9];
            Assert.Equal(BitConverter.DoubleToInt64Bits(hv), BitConverter.DoubleToInt64Bits(Gradients.MeanValueGradientAndHessian(objective, data, p, g, h, dop)));
            Assert.True(TestData.BitEqual(g1, g));
            Assert.True(TestData.BitEqual(h1, h));
        }
    }

    [Theory]
    [InlineData("adam", 8)]
    [InlineData("momentum", 1)]
    public void Same_seed_gives_bit_identical_parameters_and_another_seed_does_not(string optimizer, int batchSize)
    {
        var data = TestData.Regression(300, noise: 0.3);
        Optimizer make() => optimizer == "adam" ? new Adam(0.01) : new Momentum(0.01);

        double[] Train(long seed, int dop)
        {
            var p = new double[] { 0.1, 0.2, 0.3 };
            Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(make()) { BatchSize = batchSize, MaxEpochs = 15, Seed = seed, MaxDegreeOfParallelism = dop });
            return p;
        }

        double[] first = Train(123, -1);
        Assert.True(TestData.BitEqual(first, Train(123, -1)));
        Assert.True(TestData.BitEqual(first, Train(123, 1)));
        Assert.True(TestData.BitEqual(first, Train(123, 3)));
        Assert.False(TestData.BitEqual(first, Train(124, -1)));
    }

    [Fact]
    public void Without_shuffling_the_seed_does_not_matter()
    {
        var data = TestData.Regression(100, noise: 0.3);
        double[] Train(long seed)
        {
            var p = new double[3];
            Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(new Sgd(0.05)) { BatchSize = 10, MaxEpochs = 5, Seed = seed, Shuffle = false });
            return p;
        }

        Assert.True(TestData.BitEqual(Train(1), Train(2)));
    }

    [Fact]
    public void Chunk_layout_depends_only_on_count_and_width()
    {
        Assert.Equal(DeterministicReduction.MinChunkSize, DeterministicReduction.ChunkSize(10_000, 4));
        Assert.Equal(10, DeterministicReduction.ChunkSize(10, 4));
        int big = DeterministicReduction.ChunkSize(10_000_000, 4);
        Assert.True((10_000_000 + big - 1) / big <= DeterministicReduction.MaxChunks);
    }
}
