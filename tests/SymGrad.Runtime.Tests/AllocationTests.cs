using System;
using SymGrad;
using SymGrad.Testing;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class AllocationTests
{
    public static TheoryData<string> Optimizers => new() { "sgd", "momentum", "adam" };

    private static Optimizer Make(string name) => name switch
    {
        "sgd" => new Sgd(0.01),
        "momentum" => new Momentum(0.01, 0.9, Nesterov: true),
        _ => new Adam(0.01),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_step_allocates_nothing_after_warm_up(string name)
    {
        var data = TestData.Regression(256, 0.1);
        var objective = new LinearRegressionObjective();
        var state = Make(name).CreateState(3);
        var p = new double[3];
        var order = new int[data.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = (i * 37) % order.Length;
        }

        void Epoch()
        {
            for (int i = 0; i < data.Length; i++)
            {
                state.Step(objective, data.AsSpan(i, 1), p); // per-sample
            }

            for (int start = 0; start < order.Length; start += 16)
            {
                state.Step(objective, data.AsSpan(), order.AsSpan(start, 16), p); // mini-batch by index
            }
        }

        for (int warm = 0; warm < 50; warm++)
        {
            Epoch();
        }

        long allocated = AllocationProbe.LeastBytes(() =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                Epoch();
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(state.Steps > 10_000);
    }

    [Fact]
    public void The_sequential_batch_gradient_allocates_nothing_after_warm_up()
    {
        var data = TestData.Regression(5000, 0.1);
        var objective = new LinearRegressionObjective();
        double[] p = [0.1, 0.2, 0.3];
        var g = new double[3];
        for (int warm = 0; warm < 20; warm++)
        {
            Gradients.MeanValueAndGradient(objective, data, p, g, maxDegreeOfParallelism: 1);
        }

        Assert.Equal(0, AllocationProbe.LeastBytes(() =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                Gradients.MeanValueAndGradient(objective, data, p, g, maxDegreeOfParallelism: 1);
            }
        }));
    }

    [Fact]
    public void Trainer_allocations_do_not_grow_with_the_number_of_steps()
    {
        // Same epochs and data, 256 steps per epoch versus 1: any per-step allocation would show up 5000-fold.
        var data = TestData.Regression(256, 0.1);
        long Measure(int batchSize)
        {
            var options = new TrainingOptions(new Adam(0.01)) { BatchSize = batchSize, MaxEpochs = 20, MaxDegreeOfParallelism = 1, StallPatience = int.MaxValue };
            var result = Trainer.Fit(new LinearRegressionObjective(), data, new double[3], options); // warm-up
            Assert.Equal(20 * (long)Math.Ceiling(256.0 / batchSize), result.Steps);
            return AllocationProbe.LeastBytes(() => Trainer.Fit(new LinearRegressionObjective(), data, new double[3], options));
        }

        long perSample = Measure(1);
        long fewSteps = Measure(128);
        Assert.True(Math.Abs(perSample - fewSteps) < 512, $"batch 1: {perSample} B, batch 128: {fewSteps} B");
    }
}
