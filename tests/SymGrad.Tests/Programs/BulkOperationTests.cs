using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Models;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// CopyTo, Fill, Clear and Array.Copy/Fill/Clear are loops of stores into local buffers: their gradients and Hessians
/// against Richardson finite differences of the method itself.
/// </summary>
public sealed class BulkOperationTests
{
    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(0.3, 5)]
    public void A_stepper_that_copies_its_next_state_back_gets_the_right_gradient_and_Hessian(double kappa, int steps)
    {
        double[] u0 = [0.0, 0.4, -0.7, 1.1, 0.3, 0.0];
        double[] p = [.. u0, kappa];
        double F(double[] q) => BulkModels.Heat(q.AsSpan(0, u0.Length), q[^1], steps);
        double[] g = new double[p.Length];
        double value = BulkModels.HeatGradient(u0, kappa, steps, g);
        Oracle.AssertClose(F(p), value, 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(F, p), g, 1e-8, 1e-10);

        double[] h = new double[p.Length * p.Length];
        BulkModels.HeatHessian(u0, kappa, steps, g, h);
        Oracle.AssertClose(Oracle.Hessian(F, p), h, 1e-6, 1e-7);
    }

    [Fact]
    public void Array_copy_fill_and_clear_with_offsets_and_slices()
    {
        double[] x = [0.5, -1.0, 2.0, 0.25];
        double[] p = [.. x, 0.7];
        double F(double[] q) => BulkModels.Mixed(q[..x.Length], q[^1]);
        double[] g = new double[p.Length];
        Oracle.AssertClose(F(p), BulkModels.MixedGradient(x, 0.7, g), 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(F, p), g, 1e-8, 1e-10);
        Assert.Equal(0.0, g[0]); // x[0] is never copied
    }

    [Fact]
    public void Writing_a_parameter_or_copying_within_one_buffer_is_an_error_at_the_destination()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Bad
            {
                [Differentiable]
                public static double IntoParameter(double[] x, double[] y)
                {
                    x.CopyTo(y, 0);
                    return y[0];
                }

                [Differentiable]
                public static double Overlap(double[] x)
                {
                    double[] b = new double[x.Length];
                    x.CopyTo(b, 0);
                    b.AsSpan(0, b.Length - 1).CopyTo(b.AsSpan(1));
                    return b[1];
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("write into parameter 'y'", errors[0].GetMessage(), StringComparison.Ordinal);
        Assert.Equal("y", errors[0].Location.SourceTree!.GetText().ToString(errors[0].Location.SourceSpan));
        Assert.Contains("copy within one buffer", errors[1].GetMessage(), StringComparison.Ordinal);
    }
}
