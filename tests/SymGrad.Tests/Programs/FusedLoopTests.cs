using System;
using System.IO;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Fused loops (the adjoint of a loop that adds to a sum runs inside it, iteration by iteration): the generated code
/// fuses exactly the loops where that cannot change the result, and every model's gradient and Hessian, fused or
/// not, agree with finite differences.
/// </summary>
public sealed class FusedLoopTests
{
    private const string Marker = "each iteration's adjoint runs right after it";

    private static readonly Lazy<GeneratorRun> Generated = new(() =>
        GeneratorHarness.Run(File.ReadAllText(RepositoryFiles.PathOf("tests/SymGrad.Tests/Programs/FusedLoopModels.cs"))));

    private static double[] Points(int n, double phase) => FiniteDifferenceChecks.Points(n, phase);

    [Theory]
    [InlineData("MeanSquares", true)]
    [InlineData("TwoSums", true)]
    [InlineData("SkipNegative", true)]
    [InlineData("Subtracted", true)]
    [InlineData("Recurrence", false)]
    [InlineData("SumReadAfter", false)]
    [InlineData("SquaredSum", false)]
    [InlineData("SumReadInside", false)]
    [InlineData("CarriedBuffer", false)]
    [InlineData("PartialFill", false)]
    [InlineData("ReassignedAfter", false)]
    [InlineData("ReadBefore", false)]
    public void Only_loops_whose_iterations_are_independent_sums_are_fused(string method, bool fused)
    {
        string[] sources = Generated.Value.GeneratedSources.Where(s => s.Key.Contains(".FusedLoopModels." + method + "_", StringComparison.Ordinal)).Select(s => s.Value).ToArray();
        Assert.Single(sources);
        string gradient = sources[0].Substring(0, sources[0].IndexOf("HessianVectorProduct(", StringComparison.Ordinal));
        Assert.True(gradient.Contains(Marker, StringComparison.Ordinal) == fused, method + (fused ? " was not fused:\n" : " was fused:\n") + gradient);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    public void Mean_squares(int rows)
    {
        double[] x = Points(rows * 3, 0.1);
        double[] y = Points(rows, 1.3);
        FiniteDifferenceChecks.GradientAndHessian(
            p => FusedLoopModels.MeanSquares(p, x, y),
            (p, g) => FusedLoopModels.MeanSquaresGradient(p, x, y, g),
            (p, g, h) => FusedLoopModels.MeanSquaresHessian(p, x, y, g, h),
            Points(3, 0.4));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(0)]
    public void Two_sums_over_a_buffer_filled_every_iteration(int rows)
    {
        double[] x = Points(rows * 3, 0.9);
        FiniteDifferenceChecks.GradientAndHessian(
            p => FusedLoopModels.TwoSums(p, x, 3),
            (p, g) => FusedLoopModels.TwoSumsGradient(p, x, 3, g),
            (p, g, h) => FusedLoopModels.TwoSumsHessian(p, x, 3, g, h),
            Points(4, 0.2));
    }

    [Fact]
    public void A_sum_that_subtracts_each_term()
    {
        double[] x = Points(5 * 2, 0.15);
        FiniteDifferenceChecks.GradientAndHessian(
            p => FusedLoopModels.Subtracted(p, x, 2),
            (p, g) => FusedLoopModels.SubtractedGradient(p, x, 2, g),
            (p, g, h) => FusedLoopModels.SubtractedHessian(p, x, 2, g, h),
            Points(3 * 2, 0.55));
    }

    [Fact]
    public void Iterations_skipped_with_continue()
    {
        double[] x = Points(9, 0.5);
        Assert.Contains(x, v => v < 0);
        FiniteDifferenceChecks.GradientAndHessian(
            p => FusedLoopModels.SkipNegative(p, x),
            (p, g) => FusedLoopModels.SkipNegativeGradient(p, x, g),
            (p, g, h) => FusedLoopModels.SkipNegativeHessian(p, x, g, h),
            Points(2, 0.3));
    }

    [Theory]
    [InlineData("Recurrence")]
    [InlineData("SumReadAfter")]
    [InlineData("SquaredSum")]
    [InlineData("SumReadInside")]
    [InlineData("CarriedBuffer")]
    [InlineData("PartialFill")]
    [InlineData("ReassignedAfter")]
    [InlineData("ReadBefore")]
    public void Loops_that_are_not_fused_keep_their_gradients(string method)
    {
        double[] x = Points(7, 0.6);
        double[] w2 = Points(2, 1.9);
        double[] w3 = Points(3, 0.8);
        switch (method)
        {
            case "Recurrence":
                Check(p => FusedLoopModels.Recurrence(p, x), (p, g) => FusedLoopModels.RecurrenceGradient(p, x, g), (p, g, h) => FusedLoopModels.RecurrenceHessian(p, x, g, h), w2);
                break;
            case "SumReadAfter":
                Check(p => FusedLoopModels.SumReadAfter(p, x), (p, g) => FusedLoopModels.SumReadAfterGradient(p, x, g), (p, g, h) => FusedLoopModels.SumReadAfterHessian(p, x, g, h), w2);
                break;
            case "SquaredSum":
                Check(p => FusedLoopModels.SquaredSum(p, x), (p, g) => FusedLoopModels.SquaredSumGradient(p, x, g), (p, g, h) => FusedLoopModels.SquaredSumHessian(p, x, g, h), w2);
                break;
            case "SumReadInside":
                Check(p => FusedLoopModels.SumReadInside(p, x), (p, g) => FusedLoopModels.SumReadInsideGradient(p, x, g), (p, g, h) => FusedLoopModels.SumReadInsideHessian(p, x, g, h), w2);
                break;
            case "CarriedBuffer":
                Check(p => FusedLoopModels.CarriedBuffer(p, x), (p, g) => FusedLoopModels.CarriedBufferGradient(p, x, g), (p, g, h) => FusedLoopModels.CarriedBufferHessian(p, x, g, h), w2);
                break;
            case "PartialFill":
                Check(p => FusedLoopModels.PartialFill(p, x), (p, g) => FusedLoopModels.PartialFillGradient(p, x, g), (p, g, h) => FusedLoopModels.PartialFillHessian(p, x, g, h), w3);
                break;
            case "ReassignedAfter":
                Check(p => FusedLoopModels.ReassignedAfter(p, x), (p, g) => FusedLoopModels.ReassignedAfterGradient(p, x, g), (p, g, h) => FusedLoopModels.ReassignedAfterHessian(p, x, g, h), w2);
                break;
            case "ReadBefore":
                Check(p => FusedLoopModels.ReadBefore(p, x), (p, g) => FusedLoopModels.ReadBeforeGradient(p, x, g), (p, g, h) => FusedLoopModels.ReadBeforeHessian(p, x, g, h), w3);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "No such model.");
        }

        static void Check(Func<double[], double> f, Action<double[], double[]> gradient, Action<double[], double[], double[]> hessian, double[] w) =>
            FiniteDifferenceChecks.GradientAndHessian(f, gradient, hessian, w);
    }

    [Theory]
    [InlineData("CentredPoints", true)]
    [InlineData("RecurrentFill", true)]
    [InlineData("RefillReadByStep", true)]
    [InlineData("ScaledFill", false)]
    [InlineData("ReadBeforeFill", false)]
    [InlineData("ReadAfterLoop", false)]
    public void Only_fills_from_values_that_do_not_change_are_computed_again(string method, bool recomputed)
    {
        string source = Generated.Value.GeneratedSources.Single(s => s.Key.Contains(".FusedLoopModels." + method + "_", StringComparison.Ordinal)).Value;
        string gradient = source.Substring(0, source.IndexOf("HessianVectorProduct(", StringComparison.Ordinal));
        Assert.True(gradient.Contains("computed again rather than saved on the tape", StringComparison.Ordinal) == recomputed, method + (recomputed ? " was not recomputed:\n" : " was recomputed:\n") + gradient);
    }

    [Theory]
    [InlineData("CentredPoints")]
    [InlineData("RecurrentFill")]
    [InlineData("RefillReadByStep")]
    [InlineData("ScaledFill")]
    [InlineData("ReadBeforeFill")]
    [InlineData("ReadAfterLoop")]
    public void Buffers_filled_in_a_loop_body_give_the_right_gradients(string method)
    {
        double[] x = Points(4, 0.35);
        double[] w = Points(3, 1.1);
        switch (method)
        {
            case "CentredPoints":
                double[] data = Points(3 * 2, 0.7);
                double[] mu = Points(2 * 2, 0.2);
                FiniteDifferenceChecks.GradientAndHessian(p => FusedLoopModels.CentredPoints(p, data, 2), (p, g) => FusedLoopModels.CentredPointsGradient(p, data, 2, g), (p, g, h) => FusedLoopModels.CentredPointsHessian(p, data, 2, g, h), mu);
                break;
            case "RecurrentFill":
                double[] series = Points(3 * 4, 0.45);
                FiniteDifferenceChecks.GradientAndHessian(p => FusedLoopModels.RecurrentFill(p, series, 3), (p, g) => FusedLoopModels.RecurrentFillGradient(p, series, 3, g), (p, g, h) => FusedLoopModels.RecurrentFillHessian(p, series, 3, g, h), Points(4, 0.9));
                break;
            case "RefillReadByStep":
                FiniteDifferenceChecks.GradientAndHessian(p => FusedLoopModels.RefillReadByStep(p, x), (p, g) => FusedLoopModels.RefillReadByStepGradient(p, x, g), (p, g, h) => FusedLoopModels.RefillReadByStepHessian(p, x, g, h), Points(2, 0.6));
                break;
            case "ScaledFill":
                FiniteDifferenceChecks.GradientAndHessian(p => FusedLoopModels.ScaledFill(p, x), (p, g) => FusedLoopModels.ScaledFillGradient(p, x, g), (p, g, h) => FusedLoopModels.ScaledFillHessian(p, x, g, h), w);
                break;
            case "ReadBeforeFill":
                FiniteDifferenceChecks.GradientAndHessian(p => FusedLoopModels.ReadBeforeFill(p, x), (p, g) => FusedLoopModels.ReadBeforeFillGradient(p, x, g), (p, g, h) => FusedLoopModels.ReadBeforeFillHessian(p, x, g, h), w);
                break;
            case "ReadAfterLoop":
                FiniteDifferenceChecks.GradientAndHessian(p => FusedLoopModels.ReadAfterLoop(p, x), (p, g) => FusedLoopModels.ReadAfterLoopGradient(p, x, g), (p, g, h) => FusedLoopModels.ReadAfterLoopHessian(p, x, g, h), w);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "No such model.");
        }
    }
}
