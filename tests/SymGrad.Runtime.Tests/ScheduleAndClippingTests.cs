using System;
using System.Linq;
using SymGrad;
using Xunit;

namespace SymGrad.Runtime.Tests;

public class ScheduleAndClippingTests
{
    [Fact]
    public void Cosine_schedule_has_its_textbook_values_at_known_steps()
    {
        var cosine = LearningRateSchedule.Cosine(decaySteps: 100, finalFactor: 0.1);

        Assert.Equal(1.0, cosine.GetFactor(0), 15);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Sqrt(0.5)), cosine.GetFactor(25), 15); // cos(π/4) = √½
        Assert.Equal(0.55, cosine.GetFactor(50), 15); // halfway: (1 + f)/2
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 - Math.Sqrt(0.5)), cosine.GetFactor(75), 15);
        Assert.Equal(0.1, cosine.GetFactor(100), 15);
        Assert.Equal(0.1, cosine.GetFactor(1_000), 15); // stays at the final factor
        Assert.Equal(0.0, LearningRateSchedule.Cosine(10).GetFactor(10), 15);
    }

    [Fact]
    public void Step_decay_and_constant_schedules()
    {
        var step = LearningRateSchedule.StepDecay(stepSize: 10, gamma: 0.5);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.25, 0.125], new[] { 0L, 9, 10, 19, 20, 35 }.Select(step.GetFactor));
        Assert.Equal(1.0, LearningRateSchedule.Constant.GetFactor(123_456));
    }

    [Fact]
    public void Linear_warm_up_rises_to_the_inner_schedule_then_runs_it_from_its_start()
    {
        var schedule = LearningRateSchedule.Cosine(decaySteps: 100).WithLinearWarmup(4);

        Assert.Equal([0.25, 0.5, 0.75, 1.0], new[] { 0L, 1, 2, 3 }.Select(schedule.GetFactor));
        Assert.Equal(1.0, schedule.GetFactor(4), 15);   // inner step 0
        Assert.Equal(0.5, schedule.GetFactor(54), 15);  // inner step 50: halfway down
        Assert.Equal(0.0, schedule.GetFactor(104), 15); // inner step 100: the end

        var decayed = LearningRateSchedule.StepDecay(2, 0.5).WithLinearWarmup(2);
        Assert.Equal([0.5, 1.0, 1.0, 1.0, 0.5], new[] { 0L, 1, 2, 3, 4 }.Select(decayed.GetFactor));
    }

    [Fact]
    public void Schedule_arguments_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(10, finalFactor: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(5, gamma: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant.WithLinearWarmup(0));
        Assert.Throws<ArgumentNullException>(() => Trainer.Minimize(new QuadraticObjective([1.0], [0.0]), [1.0], new TrainingOptions(new Sgd(0.1)) { LearningRateSchedule = null! }));
    }

    [Fact]
    public void The_trainer_applies_the_schedule_at_every_step()
    {
        // f = ½p², g = p, SGD η = 0.1 halved every step: p ← p·(1 − 0.1·0.5ᵗ) for t = 0, 1, 2.
        double[] p = [1.0];
        var options = new TrainingOptions(new Sgd(0.1)) { MaxEpochs = 3, LearningRateSchedule = LearningRateSchedule.StepDecay(1, 0.5) };
        var result = Trainer.Minimize(new QuadraticObjective([1.0], [0.0]), p, options);

        Assert.Equal(3, result.Steps);
        Assert.Equal((1 - 0.1) * (1 - 0.05) * (1 - 0.025), p[0], 15);
    }

    [Fact]
    public void Momentum_and_Adam_scale_their_steps_by_the_schedule()
    {
        // A constant factor ½ must give the same first step as half the learning rate.
        foreach (var (scheduled, halved) in new (Optimizer, Optimizer)[] { (new Momentum(0.2, 0.9), new Momentum(0.1, 0.9)), (new Adam(0.2), new Adam(0.1)), (new Sgd(0.2), new Sgd(0.1)) })
        {
            var a = scheduled.CreateState(1);
            a.LearningRateSchedule = LearningRateSchedule.StepDecay(1, 0.5).WithLinearWarmup(2); // factor ½ at step 0
            var b = halved.CreateState(1);
            double[] p = [3.0];
            double[] q = [3.0];
            a.Apply(p, [4.0]);
            b.Apply(q, [4.0]);
            Assert.Equal(0.5, a.LearningRateFactor);
            Assert.Equal(q[0], p[0], 15);
        }
    }

    [Fact]
    public void Clipping_scales_a_long_gradient_to_exactly_the_maximum_norm()
    {
        var state = new Sgd(1.0).CreateState(2);
        state.MaxGradientNorm = 1.0;
        double[] p = [0.0, 0.0];

        state.Apply(p, [3.0, 4.0]); // ‖g‖ = 5 → (0.6, 0.8)

        Assert.Equal(1.0, Gradients.Norm(state.LastGradient), 15);
        Assert.Equal(-0.6, p[0], 15);
        Assert.Equal(-0.8, p[1], 15);
        Assert.Equal(4.0 / 3.0, state.LastGradient[1] / state.LastGradient[0], 15); // the direction is kept
    }

    [Fact]
    public void Clipping_leaves_a_short_gradient_untouched()
    {
        var state = new Sgd(1.0).CreateState(2);
        state.MaxGradientNorm = 1.0;
        double[] p = [0.0, 0.0];

        state.Apply(p, [0.3, -0.4]);

        Assert.Equal([-0.3, 0.4], p);
        Assert.Throws<ArgumentOutOfRangeException>(() => state.MaxGradientNorm = 0.0);
    }

    [Fact]
    public void The_trainer_clips_every_step()
    {
        // f = ½‖p‖², g = p = (30, 40), ‖g‖ = 50, clipped to 5: the first step with η = 1 moves by (3, 4).
        double[] p = [30.0, 40.0];
        var options = new TrainingOptions(new Sgd(1.0)) { MaxEpochs = 2, MaxGradientNorm = 5.0 };
        Trainer.Minimize(new QuadraticObjective([1.0, 1.0], [0.0, 0.0]), p, options);

        // Second step: g = (27, 36), ‖g‖ = 45, clipped to (3, 4) again.
        Assert.Equal(24.0, p[0], 12);
        Assert.Equal(32.0, p[1], 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Minimize(new QuadraticObjective([1.0], [0.0]), [1.0], new TrainingOptions(new Sgd(1.0)) { MaxGradientNorm = -1 }));
    }
}
