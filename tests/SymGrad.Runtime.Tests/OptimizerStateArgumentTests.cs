using System;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary>What a hand-written loop may pass to <see cref="OptimizerState.Apply"/> and <see cref="OptimizerState.Step{TObjective, TSample}(TObjective, ReadOnlySpan{TSample}, ReadOnlySpan{int}, Span{double})"/>.</summary>
public class OptimizerStateArgumentTests
{
    public static TheoryData<double, bool> BadGradients => new()
    {
        { double.PositiveInfinity, true },
        { double.PositiveInfinity, false },
        { double.NegativeInfinity, false },
        { double.NaN, true },
        { double.NaN, false },
    };

    [Theory]
    [MemberData(nameof(BadGradients))]
    public void Apply_rejects_a_non_finite_gradient_and_leaves_parameters_and_state_alone(double bad, bool clip)
    {
        double[] good = [0.3, -1.2, 0.7];
        var state = new Adam(0.1).CreateState(3);
        var fresh = new Adam(0.1).CreateState(3);
        if (clip)
        {
            state.MaxGradientNorm = 1;
            fresh.MaxGradientNorm = 1;
        }

        double[] p = [1, 2, 3];
        var error = Assert.Throws<NonFiniteException>(() => state.Apply(p, new[] { 0, bad, 0 }));

        Assert.Equal([1.0, 2.0, 3.0], p);
        Assert.Equal(0, state.Steps);
        Assert.Equal(NonFiniteQuantity.Gradient, error.Quantity);
        Assert.Equal(1, error.ParameterIndex);
        Assert.Equal(bad, error.Value);
        Assert.Contains("Component 1 of the gradient", error.Message);
        Assert.Contains("left unchanged", error.Message);

        // The rejected call left no trace: the next update is the one a fresh state makes.
        double[] expected = [1, 2, 3];
        fresh.Apply(expected, good);
        state.Apply(p, good);
        Assert.Equal(expected, p);
    }

    [Theory]
    [InlineData(5000)]
    [InlineData(1000)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Step_rejects_a_batch_index_outside_the_data_naming_it_and_the_data_length(int badIndex)
    {
        var data = TestData.Regression(1000, 0.1);
        var state = new Sgd(0.1).CreateState(3);
        double[] p = [0.5, 0.5, 0.5];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => state.Step(new LinearRegressionObjective(), data, new[] { 3, badIndex, 4 }, p));

        Assert.Equal("batchIndices", error.ParamName);
        Assert.Equal(badIndex, error.ActualValue);
        Assert.Contains("Batch index " + badIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (at position 1", error.Message);
        Assert.Contains("1000 samples, indices 0 to 999", error.Message);
        Assert.Equal([0.5, 0.5, 0.5], p);
        Assert.Equal(0, state.Steps);

        // The last valid index is accepted.
        state.Step(new LinearRegressionObjective(), data, new[] { 0, 999 }, p);
        Assert.Equal(1, state.Steps);
    }
}
