using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SymGrad;

/// <summary>Step and tolerances of <see cref="GradientCheck"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>
    /// Relative finite-difference step: parameter i is perturbed by h = Step·max(1, |pᵢ|) and h/2. Central
    /// differences combined by Richardson extrapolation have error O(h⁴) + O(ε·|f|/h), balanced near h ≈ 1e−3.
    /// </summary>
    public double Step { get; init; } = 1e-3;

    /// <summary>Absolute tolerance: a component passes when |analytic − numeric| ≤ atol + rtol·|numeric|. Default 1e−6.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;

    /// <summary>Relative tolerance (see <see cref="AbsoluteTolerance"/>). Default 1e−5.</summary>
    public double RelativeTolerance { get; init; } = 1e-5;

    /// <summary>Most threads for <see cref="GradientCheck.CheckDataset{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, GradientCheckOptions?)"/>; −1 for all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        Validation.CheckPositive(Step, nameof(Step));
        Validation.CheckNonNegative(AbsoluteTolerance, nameof(AbsoluteTolerance));
        Validation.CheckNonNegative(RelativeTolerance, nameof(RelativeTolerance));
        Validation.CheckParallelism(MaxDegreeOfParallelism);
    }

    internal bool Accepts(double analytic, double numeric) => Score(analytic, numeric) <= 1.0;

    /// <summary>|a − n| / (atol + rtol·|n|): ≤ 1 passes; NaN counts as +∞.</summary>
    internal double Score(double analytic, double numeric)
    {
        double error = Math.Abs(analytic - numeric);
        double allowed = AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric);
        if (double.IsNaN(error))
        {
            return double.PositiveInfinity;
        }

        return allowed > 0.0 ? error / allowed : (error == 0.0 ? 0.0 : double.PositiveInfinity);
    }
}

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

    /// <summary>Checks the gradient of the mean loss over a data set (using <see cref="Gradients.Batch{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, ReadOnlySpan{double}, Span{double}, int)"/>).</summary>
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
        Validation.CheckData(data.Length, nameof(data));
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
        int n = Validation.CheckParameterCount<TObjective, TSample>(objective, parameters.Length);
        Validation.CheckFiniteParameters<TObjective, TSample>(objective, parameters);
        var names = new string[n];
        for (int i = 0; i < n; i++)
        {
            names[i] = Validation.Name<TObjective, TSample>(objective, i);
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
            => Gradients.Batch(objective, data, parameters, gradient, maxDegreeOfParallelism);
    }
}

/// <summary>The outcome of a gradient check: pass/fail, the worst component, and both gradients.</summary>
public sealed class GradientCheckResult
{
    private readonly GradientCheckOptions _options;

    internal GradientCheckResult(string[] names, double[] analytic, double[] numeric, double[] estimate, int worst, bool passed, double value, double valueFromGradient, bool valueConsistent, GradientCheckOptions options)
    {
        ParameterNames = names;
        AnalyticGradient = analytic;
        NumericGradient = numeric;
        NumericErrorEstimate = estimate;
        WorstIndex = worst;
        Passed = passed;
        Value = value;
        ValueFromGradient = valueFromGradient;
        ValueConsistent = valueConsistent;
        _options = options;
    }

    /// <summary>True when every component is within tolerance and Value agrees with ValueAndGradient.</summary>
    public bool Passed { get; }

    /// <summary>Index of the component that is furthest out of tolerance (relative to what is allowed).</summary>
    public int WorstIndex { get; }

    /// <summary>Name of that parameter, from <see cref="IObjective{TSample}.GetParameterName"/>.</summary>
    public string WorstName => ParameterNames[WorstIndex];

    /// <summary>The analytic derivative of the worst component.</summary>
    public double Analytic => AnalyticGradient[WorstIndex];

    /// <summary>The finite-difference derivative of the worst component.</summary>
    public double Numeric => NumericGradient[WorstIndex];

    /// <summary>|analytic − numeric| of the worst component.</summary>
    public double AbsoluteError => Math.Abs(Analytic - Numeric);

    /// <summary>|analytic − numeric| / max(|analytic|, |numeric|) of the worst component (0 when both are 0).</summary>
    public double RelativeError => Relative(Analytic, Numeric);

    /// <summary>The parameter names, in order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The gradient returned by the objective.</summary>
    public IReadOnlyList<double> AnalyticGradient { get; }

    /// <summary>The Richardson-extrapolated central-difference gradient.</summary>
    public IReadOnlyList<double> NumericGradient { get; }

    /// <summary>Per component, |D(h/2) − D(h)|/3: an estimate of the finite-difference error itself.</summary>
    public IReadOnlyList<double> NumericErrorEstimate { get; }

    /// <summary>The loss from <see cref="IObjective{TSample}.Value"/>.</summary>
    public double Value { get; }

    /// <summary>The loss returned by <see cref="IObjective{TSample}.ValueAndGradient"/>.</summary>
    public double ValueFromGradient { get; }

    /// <summary>Whether the two agree within tolerance.</summary>
    public bool ValueConsistent { get; }

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="ToString"/> as message unless <see cref="Passed"/>.</summary>
    /// <returns>This result, when it passed.</returns>
    public GradientCheckResult EnsurePassed() => Passed ? this : throw new InvalidOperationException(ToString());

    /// <summary>A one-line verdict naming the worst component.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Passed ? "Gradient check passed" : "Gradient check FAILED");
        text.AppendFormat(
            CultureInfo.InvariantCulture,
            ": worst component ∂loss/∂{0} (index {1}): analytic {2:R}, numeric {3:R} (|Δ| {4:G3}, relative {5:G3}; allowed {6:G3} + {7:G3}·|numeric|).",
            WorstName,
            WorstIndex,
            Analytic,
            Numeric,
            AbsoluteError,
            RelativeError,
            _options.AbsoluteTolerance,
            _options.RelativeTolerance);
        if (!ValueConsistent)
        {
            text.AppendFormat(CultureInfo.InvariantCulture, " Value() returned {0:R} but ValueAndGradient() returned {1:R}.", Value, ValueFromGradient);
        }

        return text.ToString();
    }

    internal static double Relative(double a, double b)
    {
        double scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return scale == 0.0 ? 0.0 : Math.Abs(a - b) / scale;
    }
}

/// <summary>The outcome of a Hessian check: pass/fail, the worst entry, symmetry and consistency.</summary>
public sealed class HessianCheckResult
{
    private readonly GradientCheckOptions _options;
    private readonly string[] _names;

    internal HessianCheckResult(string[] names, double[] analytic, double[] numeric, int worstRow, int worstColumn, bool passed, double asymmetry, bool consistent, GradientCheckOptions options)
    {
        _names = names;
        AnalyticHessian = analytic;
        NumericHessian = numeric;
        WorstRow = worstRow;
        WorstColumn = worstColumn;
        Passed = passed;
        MaxAsymmetry = asymmetry;
        GradientConsistent = consistent;
        _options = options;
    }

    /// <summary>True when every entry is within tolerance, the Hessian is symmetric, and value and gradient agree with ValueAndGradient.</summary>
    public bool Passed { get; }

    /// <summary>Row of the entry furthest out of tolerance.</summary>
    public int WorstRow { get; }

    /// <summary>Column of that entry.</summary>
    public int WorstColumn { get; }

    /// <summary>Name of the row parameter.</summary>
    public string WorstRowName => _names[WorstRow];

    /// <summary>Name of the column parameter.</summary>
    public string WorstColumnName => _names[WorstColumn];

    /// <summary>The analytic ∂²loss/∂row∂column.</summary>
    public double Analytic => AnalyticHessian[WorstRow * _names.Length + WorstColumn];

    /// <summary>The finite-difference value of that entry.</summary>
    public double Numeric => NumericHessian[WorstRow * _names.Length + WorstColumn];

    /// <summary>|analytic − numeric| of the worst entry.</summary>
    public double AbsoluteError => Math.Abs(Analytic - Numeric);

    /// <summary>|analytic − numeric| / max(|analytic|, |numeric|) of the worst entry.</summary>
    public double RelativeError => GradientCheckResult.Relative(Analytic, Numeric);

    /// <summary>max |H_ij − H_ji| of the analytic Hessian.</summary>
    public double MaxAsymmetry { get; }

    /// <summary>Whether the value and gradient from ValueGradientAndHessian agree with ValueAndGradient.</summary>
    public bool GradientConsistent { get; }

    /// <summary>The analytic Hessian, row-major.</summary>
    public IReadOnlyList<double> AnalyticHessian { get; }

    /// <summary>The Richardson-extrapolated finite-difference Hessian (of the gradient), row-major.</summary>
    public IReadOnlyList<double> NumericHessian { get; }

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="ToString"/> as message unless <see cref="Passed"/>.</summary>
    /// <returns>This result, when it passed.</returns>
    public HessianCheckResult EnsurePassed() => Passed ? this : throw new InvalidOperationException(ToString());

    /// <summary>A one-line verdict naming the worst entry.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Passed ? "Hessian check passed" : "Hessian check FAILED");
        text.AppendFormat(
            CultureInfo.InvariantCulture,
            ": worst entry ∂²loss/∂{0}∂{1} ({2}, {3}): analytic {4:R}, numeric {5:R} (|Δ| {6:G3}, relative {7:G3}; allowed {8:G3} + {9:G3}·|numeric|); max asymmetry {10:G3}.",
            WorstRowName,
            WorstColumnName,
            WorstRow,
            WorstColumn,
            Analytic,
            Numeric,
            AbsoluteError,
            RelativeError,
            _options.AbsoluteTolerance,
            _options.RelativeTolerance,
            MaxAsymmetry);
        if (!GradientConsistent)
        {
            text.Append(" The value or gradient from ValueGradientAndHessian() disagrees with ValueAndGradient().");
        }

        return text.ToString();
    }
}
