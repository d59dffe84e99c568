using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Models;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Models with [Param] fields: the gradient with respect to the fields (flat, declaration order) against Richardson
/// finite differences of the method itself with the fields perturbed; the Hessian likewise; the bridge to the
/// optimizers (get, train, set).
/// </summary>
public sealed class FieldModelTests
{
    [Theory]
    [InlineData(0.3, -1.2, 2.0, 0.5)]
    [InlineData(-2.0, 0.7, -0.5, 1.5)]
    public void Scalar_fields_get_their_gradient_in_declaration_order(double slope, double intercept, double x, double y)
    {
        var model = new LineModel { Slope = slope, Intercept = intercept };
        Span<double> g = stackalloc double[2];
        double value = model.LossGradient(x, y, g);

        double F(double[] p) => new LineModel { Slope = p[0], Intercept = p[1] }.Loss(x, y);
        double[] at = [slope, intercept];
        Oracle.AssertClose(F(at), value, 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(F, at), g.ToArray(), 1e-8, 1e-10, ["Slope", "Intercept"]);

        var partials = model.LossGradient(x, y);
        Assert.Equal(g[0], partials.Slope);
        Assert.Equal(g[1], partials.Intercept);
        Assert.Equal(2, model.LossParameterCount);
    }

    [Fact]
    public void An_array_field_and_a_scalar_field_get_the_gradient_and_Hessian_through_a_loop()
    {
        var model = new TanhUnit { Weights = [0.4, -0.3, 0.8], Bias = 0.1 };
        double[] x = [0.5, -1.0, 0.25];
        const double target = 0.2;
        int n = model.OutputParameterCount;
        Assert.Equal(4, n);
        double[] g = new double[n], h = new double[n * n];
        double value = model.OutputHessian(x, target, g, h);

        double F(double[] p) => new TanhUnit { Weights = p[..3], Bias = p[3] }.Output(x, target);
        double[] at = new double[n];
        model.OutputGetParameters(at);
        Assert.Equal([0.4, -0.3, 0.8, 0.1], at);
        Oracle.AssertClose(F(at), value, 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(F, at), g, 1e-8, 1e-10, ["W0", "W1", "W2", "Bias"]);
        Oracle.AssertClose(Oracle.Hessian(F, at), h, 1e-6, 1e-8, Enumerable.Range(0, n * n).Select(i => "H" + i).ToArray());
    }

    [Fact]
    public void Static_fields_are_the_parameters_of_a_static_method()
    {
        StaticCurve.A = 2.0;
        StaticCurve.K = 0.3;
        Span<double> g = stackalloc double[2];
        double value = StaticCurve.FitGradient(1.5, 0.4, g);
        double F(double[] p) => (p[0] * Math.Exp(-p[1] * 1.5) - 0.4) * (p[0] * Math.Exp(-p[1] * 1.5) - 0.4);
        Oracle.AssertClose(F([2.0, 0.3]), value, 1e-14, 1e-15);
        Oracle.AssertClose(Oracle.Gradient(F, [2.0, 0.3]), g.ToArray(), 1e-8, 1e-10, ["A", "K"]);
    }

    [Fact]
    public void A_static_method_that_reads_no_param_field_differentiates_its_own_parameters()
    {
        // Regression: every static method of a type with static [Param] fields was made a field model, so Square's
        // gradient was ∂/∂A = ∂/∂K = 0 and its own x was data.
        Span<double> g = stackalloc double[1];
        Assert.Equal(9.0, StaticCurve.SquareGradient(3.0, g));
        Assert.Equal(6.0, g[0]);

        double[] v = [1.0, -2.0, 0.5];
        double[] gv = new double[3];
        Assert.Equal(5.25, StaticCurve.SumOfSquaresGradient(v, gv));
        Oracle.AssertClose(Oracle.Gradient(p => StaticCurve.SumOfSquares(p), v), gv, 1e-9, 1e-12, ["v[0]", "v[1]", "v[2]"]);
    }

    [Fact]
    public void A_static_method_that_reads_a_param_field_through_a_helper_is_a_field_model()
    {
        StaticCurve.A = 1.5;
        StaticCurve.K = 0.25;
        Span<double> g = stackalloc double[2];
        double value = StaticCurve.ThroughHelperGradient(2.0, g);
        Assert.Equal(9.25, value);
        Assert.Equal(2 * 1.5 * 4.0, g[0]); // ∂/∂A of (A·t)² + K = 2A·t²
        Assert.Equal(1.0, g[1]);
    }

    [Fact]
    public void Array_fields_read_in_loops_with_scalar_data_get_batch_members_that_sum_the_samples()
    {
        // Regression: the sample-by-sample BatchValue of a field model called a static Loss(fields…, data) that does
        // not exist, so the model did not build.
        var net = new SineNet { W1 = [0.5, -1.25, 0.75, 2.0], B1 = [0.1, 0.3, -0.2, 0.0], W2 = [1.5, -0.5, 0.25, -1.0], B2 = 0.2 };
        double[] xs = [-1.5, -0.25, 0.5, 1.75, 3.0];
        double[] ys = xs.Select(Math.Sin).ToArray();
        int n = net.LossParameterCount;
        double[] batch = new double[n];
        double value = net.LossBatchGradient(xs, ys, batch);
        double expectedValue = xs.Zip(ys, (x, y) => net.Loss(x, y)).Sum();
        Oracle.AssertClose(expectedValue, value, 1e-13, 1e-14, "BatchGradient's value");
        Oracle.AssertClose(expectedValue, net.LossBatchValue(xs, ys), 1e-13, 1e-14, "BatchValue");

        double[] p = new double[n];
        net.LossGetParameters(p);
        double Sum(double[] q)
        {
            var copy = new SineNet();
            copy.LossSetParameters(q);
            return xs.Zip(ys, (x, y) => copy.Loss(x, y)).Sum();
        }

        Oracle.AssertClose(Oracle.Gradient(Sum, p), batch, 1e-7, 1e-9, context: "BatchGradient against finite differences of Σ Loss");
    }

    [Fact]
    public void A_field_model_reads_its_other_fields_as_data_in_its_gradient_and_its_objective()
    {
        // Hidden (int), Lambda (double) and Mask (int[]) are read, not trained: the gradient covers W and Bias only.
        var net = new MaskedNet(4, 2) { Bias = 0.1 };
        double[] x = { 0.5, -1.25 };
        Assert.Equal(9, net.LossParameterCount);
        double[] g = new double[9];
        double value = net.LossGradient(x, 0.3, g);
        Assert.Equal(net.Loss(x, 0.3), value, 14);
        double[] p = new double[9];
        net.LossGetParameters(p);
        double F(double[] q)
        {
            var copy = new MaskedNet(4, 2) { Lambda = net.Lambda };
            copy.LossSetParameters(q);
            return copy.Loss(x, 0.3);
        }

        Oracle.AssertClose(Oracle.Gradient(F, p), g, 1e-8, 1e-10, context: "W[0..8], Bias");
        // The masked unit (h = 2) contributes only its penalty: 2λw.
        Assert.Equal(2 * net.Lambda * net.W[4], g[4], 14);
        Assert.Equal(2 * net.Lambda * net.W[5], g[5], 14);

        // The objective holds the model's other fields as they are when it is created.
        net.Lambda = 0.5;
        var objective = net.CreateLossObjective();
        double[] og = new double[9];
        double ov = objective.ValueAndGradient(new MaskedNet.LossSample(x, 0.3), p, og);
        Assert.Equal(net.Loss(x, 0.3), ov, 14);
        net.LossGradient(x, 0.3, g);
        Assert.Equal(g, og);

        // Scalar mode: the objective's constructor takes the double field.
        var line = new ScaledLine { Slope = 0.5, Intercept = -1, Scale = 3 };
        var data = new[] { new ScaledLine.LossSample(0, -1), new ScaledLine.LossSample(1, 5), new ScaledLine.LossSample(2, 11) };
        double[] q = new double[2];
        line.LossGetParameters(q);
        Lbfgs.Minimize(line.CreateLossObjective(), data, q);
        line.LossSetParameters(q);
        Assert.Equal(2.0, line.Slope, 6); // 3·2·x − 1 fits y = 6x − 1
        Assert.Equal(-1.0, line.Intercept, 6);
    }

    [Fact]
    public void A_field_model_trains_with_Adam_and_gets_its_fields_back()
    {
        // y = 3x − 1 exactly: Adam on the field model's objective recovers the line, and SetParameters stores it.
        var data = Enumerable.Range(-10, 21).Select(i => new LineModel.LossSample(i / 5.0, (3 * i / 5.0) - 1)).ToArray();
        var model = new LineModel();
        double[] p = new double[model.LossParameterCount];
        model.LossGetParameters(p);
        var result = Trainer.Fit(model.CreateLossObjective(), data, p, new TrainingOptions(new Adam(0.05)) { MaxEpochs = 2000, BatchSize = data.Length, TargetLoss = 1e-12 });
        model.LossSetParameters(p);
        Assert.True(result.FinalLoss < 1e-10, result.ToString());
        Assert.Equal(3.0, model.Slope, 4);
        Assert.Equal(-1.0, model.Intercept, 4);
    }
}
