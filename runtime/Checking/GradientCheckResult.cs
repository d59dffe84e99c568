using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SymGrad;

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
