using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

/// <summary><see cref="TrainingOptions.StopAfterEpoch"/>, the rules Trainer (and the distributed trainer) apply after each epoch.</summary>
public sealed class StoppingRuleTests
{
    [Fact]
    public void Each_rule_stops_in_its_order_and_stalled_epochs_are_counted_in_a_row()
    {
        var options = new TrainingOptions(new Sgd(0.1)) { TargetLoss = 0.5, GradientTolerance = 1e-6, LossTolerance = 1e-3, StallPatience = 2 };
        int stalled = 0;
        Assert.Equal(StopReason.TargetLoss, options.StopAfterEpoch(10, 1, 0.4, 1e-9, ref stalled));
        stalled = 0;
        Assert.Equal(StopReason.GradientTolerance, options.StopAfterEpoch(10, 5, 1, 1e-7, ref stalled));
        stalled = 0;
        Assert.Equal(StopReason.LossTolerance, options.StopAfterEpoch(10, 1.0005, 1, 0.1, ref stalled));
        stalled = 0;
        Assert.Null(options.StopAfterEpoch(10, 5, 1, 0.1, ref stalled));

        // Stalled: the gradient below StallGradientTolerance while the loss has barely moved from its start.
        var patient = new TrainingOptions(new Sgd(0.1)) { StallPatience = 2 };
        stalled = 0;
        Assert.Null(patient.StopAfterEpoch(10, 10, 10, 1e-12, ref stalled));
        Assert.Equal(1, stalled);
        Assert.Equal(StopReason.Stalled, patient.StopAfterEpoch(10, 10, 10, 1e-12, ref stalled));
        Assert.Null(patient.StopAfterEpoch(10, 10, 10, 0.5, ref stalled));
        Assert.Equal(0, stalled);
    }
}
