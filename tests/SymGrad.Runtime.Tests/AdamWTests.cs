using System;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class AdamWTests
{
    private const double LearningRate = 0.1;
    private const double WeightDecay = 0.5;
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    /// <summary>
    /// torch.optim.AdamW's step, written out as in its documentation (single tensor, amsgrad off):
    /// p ← p·(1 − lr·λ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − lr/(1 − β₁ᵗ)·m / (√v/√(1 − β₂ᵗ) + ε),
    /// with g the gradient of ½·2(p − 1)² = (p − 1)², i.e. g = 2(p − 1), taken before the decay.
    /// </summary>
    private static double[] PyTorchSequence(double start, int steps)
    {
        var points = new double[steps];
        double p = start;
        double m = 0.0;
        double v = 0.0;
        for (int t = 1; t <= steps; t++)
        {
            double g = 2.0 * (p - 1.0);
            p *= 1.0 - LearningRate * WeightDecay;
            m = Beta1 * m + (1.0 - Beta1) * g;
            v = Beta2 * v + (1.0 - Beta2) * g * g;
            double biasCorrection1 = 1.0 - Math.Pow(Beta1, t);
            double biasCorrection2 = 1.0 - Math.Pow(Beta2, t);
            p -= LearningRate / biasCorrection1 * m / (Math.Sqrt(v) / Math.Sqrt(biasCorrection2) + Epsilon);
            points[t - 1] = p;
        }

        return points;
    }

    [Fact]
    public void Three_steps_follow_the_PyTorch_formula()
    {
        var objective = new QuadraticObjective([2.0], [1.0]);
        NoData[] none = [default];
        var state = new AdamW(LearningRate, Beta1, Beta2, Epsilon, WeightDecay).CreateState(1);
        double[] p = [3.0];
        double[] expected = PyTorchSequence(3.0, 3);

        for (int step = 0; step < 3; step++)
        {
            state.Step(objective, none.AsSpan(), p);
            Assert.Equal(expected[step], p[0], 1e-14);
        }

        // By hand for step 1: g = 4, the decay gives 3·0.95 = 2.85, then m̂ = 4, v̂ = 16 and the Adam step is 0.1·4/(4 + 1e−8).
        // Decaying after the Adam step instead would give (3 − 0.1)·0.95 = 2.755.
        Assert.Equal(2.85 - 0.4 / (4.0 + 1e-8), expected[0], 15);
    }

    [Fact]
    public void Without_weight_decay_AdamW_is_Adam_to_the_bit()
    {
        var data = TestData.Regression(64, 0.2);
        double[] Train(Optimizer optimizer)
        {
            var p = new double[] { 0.1, -0.2, 0.3 };
            Trainer.Fit(new LinearRegressionObjective(), data, p, new TrainingOptions(optimizer) { BatchSize = 8, MaxEpochs = 5, Seed = 4 });
            return p;
        }

        Assert.True(TestData.BitEqual(Train(new Adam(0.01)), Train(new AdamW(0.01, WeightDecay: 0.0))));
        Assert.False(TestData.BitEqual(Train(new Adam(0.01)), Train(new AdamW(0.01, WeightDecay: 0.1))));
    }

    [Fact]
    public void Decoupled_decay_shrinks_the_solution_towards_zero()
    {
        // With g = p − c and decay λ, AdamW's fixed point is where the Adam step balances the decay: |p| < |c|.
        var objective = new QuadraticObjective([1.0], [2.0]);
        double[] p = [0.0];
        var result = Trainer.Minimize(objective, p, new TrainingOptions(new AdamW(0.01, WeightDecay: 0.2)) { MaxEpochs = 3000, StallPatience = int.MaxValue });

        Assert.Equal("AdamW", result.Method);
        Assert.InRange(p[0], 1.0, 1.999);
    }

    [Fact]
    public void Weight_decay_is_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(WeightDecay: -0.1).CreateState(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(WeightDecay: double.NaN).CreateState(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(LearningRate: 0).CreateState(1));
    }
}
