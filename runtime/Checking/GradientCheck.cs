using System;

namespace SymGrad;

/// <summary>
/// Compares an objective's analytic gradient (and Hessian) with central finite differences refined by
/// Richardson extrapolation, like PyTorch's <c>gradcheck</c>: an oracle that shares no code with the
/// generator. Use it in tests of generated code, or once before a long training run.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks the gradient of one sample's loss at <paramref name="parameters"/>.</summary>
    /// <param name="objective">The objective under test.</param>
    /// <param name="sample">The sample.</param>
    /// <param name="parameters">Where to check (finite, length ParameterCount).</param>
    /// <param name="options">Step and tolerances; null for the defaults.</param>
    /// <returns>Pass/fail and the worst component.</returns>
    public static GradientCheckResult Check<TObjective, TSample>(TObjective objective, in TSample sample, ReadOnlySpan<double> parameters, GradientCheckOptions? options = null)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        options ??= new GradientCheckOptions();
        options.Validate();
        string[] names = Prepare<TObjective, TSample>(objective, parameters);
        return CheckCore(new SampleFunction<TObjective, TSample>(objective, sample), parameters, names, options);
    }

    /// <summary>Checks the gradient of a function of the parameters alone (an objective over <see cref="NoData"/>).</summary>
    /// <param name="objective">The objective under test.</param>
    /// <param name="parameters">Where to check.</param>
    /// <param name="options">Step and tolerances; null for the defaults.</param>
    /// <returns>Pass/fail and the worst component.</returns>
    public static GradientCheckResult Check<TObjective>(TObjective objective, ReadOnlySpan<double> parameters, GradientCheckOptions? options = null)
        where TObjective : struct, IObjective<NoData>
        => Check(objective, default(NoData), parameters, options);

    /// <summary>Checks the gradient of the mean loss over a data set (using <see cref="Gradients.MeanValueAndGradient{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>).</summary>
    /// <param name="objective">The objective under test.</param>
    /// <param name="data">The samples (not empty).</param>
    /// <param name="parameters">Where to check.</param>
    /// <param name="options">Step and tolerances; null for the defaults.</param>
    /// <returns>Pass/fail and the worst component.</returns>
    public static GradientCheckResult CheckDataset<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, ReadOnlySpan<double> parameters, GradientCheckOptions? options = null)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        options ??= new GradientCheckOptions();
        options.Validate();
        string[] names = Prepare<TObjective, TSample>(objective, parameters);
        Guard.CheckData(data.Length, nameof(data));
        return CheckCore(new DatasetFunction<TObjective, TSample>(objective, data, options.MaxDegreeOfParallelism), parameters, names, options);
    }

    /// <inheritdoc cref="CheckDataset{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, GradientCheckOptions?)"/>
    public static GradientCheckResult CheckDataset<TObjective, TSample>(TObjective objective, TSample[] data, ReadOnlySpan<double> parameters, GradientCheckOptions? options = null)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        ArgumentNullException.ThrowIfNull(data);
        return CheckDataset(objective, new ReadOnlyMemory<TSample>(data), parameters, options);
    }

    /// <summary>
    /// Checks the Hessian of one sample's loss against finite differences of the (analytic) gradient, its
    /// symmetry, and that its value and gradient agree with <see cref="IObjective{TSample}.ValueAndGradient"/>.
    /// Check the gradient first: this test trusts it.
    /// </summary>
    /// <param name="objective">An objective with a generated Hessian.</param>
    /// <param name="sample">The sample.</param>
    /// <param name="parameters">Where to check.</param>
    /// <param name="options">Step and tolerances; null for the defaults.</param>
    /// <returns>Pass/fail and the worst entry.</returns>
    public static HessianCheckResult CheckHessian<TObjective, TSample>(TObjective objective, in TSample sample, ReadOnlySpan<double> parameters, GradientCheckOptions? options = null)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        options ??= new GradientCheckOptions();
        options.Validate();
        string[] names = Prepare<TObjective, TSample>(objective, parameters);
        int n = names.Length;
        TObjective f = objective;

        var analytic = new double[n * n];
        var gradientFromHessian = new double[n];
        var gradient = new double[n];
        double valueFromHessian = f.ValueGradientAndHessian(in sample, parameters, gradientFromHessian, analytic);
        double value = f.ValueAndGradient(in sample, parameters, gradient);
        bool consistent = options.Accepts(valueFromHessian, value);
        for (int i = 0; i < n; i++)
        {
            consistent &= options.Accepts(gradientFromHessian[i], gradient[i]);
        }

        // Column j of the numeric Hessian: Richardson-extrapolated central differences of the gradient along e_j.
        var numeric = new double[n * n];
        var x = parameters.ToArray();
        var plus = new double[n];
        var minus = new double[n];
        var coarse = new double[n];
        for (int j = 0; j < n; j++)
        {
            double h = StepFor(x[j], options.Step);
            for (int pass = 0; pass < 2; pass++)
            {
                double step = pass == 0 ? h : h / 2;
                double original = x[j];
                x[j] = original + step;
                f.ValueAndGradient(in sample, x, plus);
                x[j] = original - step;
                f.ValueAndGradient(in sample, x, minus);
                x[j] = original;
                for (int i = 0; i < n; i++)
                {
                    double difference = (plus[i] - minus[i]) / (2 * step);
                    if (pass == 0)
                    {
                        coarse[i] = difference;
                    }
                    else
                    {
                        numeric[i * n + j] = difference + (difference - coarse[i]) / 3.0;
                    }
                }
            }
        }

        int worst = 0;
        double worstScore = -1.0;
        double asymmetry = 0.0;
        bool symmetric = true;
        for (int k = 0; k < n * n; k++)
        {
            double score = options.Score(analytic[k], numeric[k]);
            if (score > worstScore)
            {
                worstScore = score;
                worst = k;
            }

            int i = k / n;
            int j = k % n;
            double gap = Math.Abs(analytic[i * n + j] - analytic[j * n + i]);
            asymmetry = Math.Max(asymmetry, double.IsNaN(gap) ? double.PositiveInfinity : gap);
            symmetric &= options.Accepts(analytic[i * n + j], analytic[j * n + i]);
        }

        return new HessianCheckResult(names, analytic, numeric, worst / n, worst % n, worstScore <= 1.0 && symmetric && consistent, asymmetry, consistent, options);
    }

    /// <summary>Checks the Hessian of a function of the parameters alone (an objective over <see cref="NoData"/>).</summary>
    /// <param name="objective">An objective with a generated Hessian.</param>
    /// <param name="parameters">Where to check.</param>
    /// <param name="options">Step and tolerances; null for the defaults.</param>
    /// <returns>Pass/fail and the worst entry.</returns>
    public static HessianCheckResult CheckHessian<TObjective>(TObjective objective, ReadOnlySpan<double> parameters, GradientCheckOptions? options = null)
        where TObjective : struct, ITwiceDifferentiableObjective<NoData>
        => CheckHessian(objective, default(NoData), parameters, options);

    private static string[] Prepare<TObjective, TSample>(in TObjective objective, ReadOnlySpan<double> parameters)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int n = Guard.CheckParameterCount<TObjective, TSample>(objective, parameters.Length);
        Guard.CheckFiniteParameters<TObjective, TSample>(objective, parameters);
        var names = new string[n];
        for (int i = 0; i < n; i++)
        {
            names[i] = Guard.Name<TObjective, TSample>(objective, i);
        }

        return names;
    }

    /// <summary>h = step·max(1, |x|), rounded so that x ± h is exact: the difference quotient then divides by the true step.</summary>
    private static double StepFor(double x, double step)
    {
        double h = step * Math.Max(1.0, Math.Abs(x));
        double shifted = x + h;
        return shifted - x;
    }

    private static GradientCheckResult CheckCore<TFunction>(TFunction f, ReadOnlySpan<double> parameters, string[] names, GradientCheckOptions options)
        where TFunction : struct, ICheckedFunction
    {
        int n = names.Length;
        var analytic = new double[n];
        double value = f.Value(parameters);
        double valueFromGradient = f.ValueAndGradient(parameters, analytic);

        var numeric = new double[n];
        var estimate = new double[n];
        var x = parameters.ToArray();
        for (int i = 0; i < n; i++)
        {
            double h = StepFor(x[i], options.Step);
            double original = x[i];
            double coarse = Central(ref f, x, i, original, h);
            double fine = Central(ref f, x, i, original, h / 2);
            numeric[i] = fine + (fine - coarse) / 3.0;
            estimate[i] = Math.Abs(fine - coarse) / 3.0;
        }

        int worst = 0;
        double worstScore = -1.0;
        for (int i = 0; i < n; i++)
        {
            double score = options.Score(analytic[i], numeric[i]);
            if (score > worstScore)
            {
                worstScore = score;
                worst = i;
            }
        }

        bool consistent = options.Accepts(valueFromGradient, value);
        return new GradientCheckResult(names, analytic, numeric, estimate, worst, worstScore <= 1.0 && consistent, value, valueFromGradient, consistent, options);
    }

    private static double Central<TFunction>(ref TFunction f, double[] x, int i, double original, double h)
        where TFunction : struct, ICheckedFunction
    {
        x[i] = original + h;
        double up = f.Value(x);
        x[i] = original - h;
        double down = f.Value(x);
        x[i] = original;
        return (up - down) / (2 * h);
    }

    private interface ICheckedFunction
    {
        double Value(ReadOnlySpan<double> parameters);

        double ValueAndGradient(ReadOnlySpan<double> parameters, Span<double> gradient);
    }

    private readonly struct SampleFunction<TObjective, TSample>(TObjective objective, TSample sample) : ICheckedFunction
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public double Value(ReadOnlySpan<double> parameters)
        {
            TObjective f = objective;
            return f.Value(in sample, parameters);
        }

        public double ValueAndGradient(ReadOnlySpan<double> parameters, Span<double> gradient)
        {
            TObjective f = objective;
            return f.ValueAndGradient(in sample, parameters, gradient);
        }
    }

    private readonly struct DatasetFunction<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> data, int maxDegreeOfParallelism) : ICheckedFunction
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        public double Value(ReadOnlySpan<double> parameters)
            => Gradients.MeanValue(objective, data, parameters, maxDegreeOfParallelism);

        public double ValueAndGradient(ReadOnlySpan<double> parameters, Span<double> gradient)
            => Gradients.MeanValueAndGradient(objective, data, parameters, gradient, maxDegreeOfParallelism);
    }
}
