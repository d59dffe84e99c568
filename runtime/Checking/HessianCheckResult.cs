using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SymGrad;

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
