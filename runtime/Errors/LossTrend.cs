using System;

namespace SymGrad;

/// <summary>
/// The lowest and the latest finite mean loss seen so far (per step or per epoch), so that a NaN/∞ sum can be told apart:
/// after a loss that grew by orders of magnitude the optimizer diverged; otherwise the loss was too large from the start.
/// Two doubles, updated without allocating.
/// </summary>
internal struct LossTrend
{
    /// <summary>How many times the lowest loss (in magnitude) the latest must be to count as divergence: three orders of magnitude.</summary>
    private const double GrowthFactor = 1e3;

    private bool _observed;

    public double Lowest { get; private set; }

    public double Last { get; private set; }

    /// <summary>True when the latest loss is positive and at least 1000 times the lowest one's magnitude.</summary>
    public readonly bool IsDiverging => _observed && Last > 0.0 && Last >= GrowthFactor * Math.Abs(Lowest);

    /// <summary>Records a mean loss; NaN/∞ are ignored.</summary>
    public void Observe(double meanLoss)
    {
        if (!double.IsFinite(meanLoss))
        {
            return;
        }

        if (!_observed || meanLoss < Lowest)
        {
            Lowest = meanLoss;
        }

        Last = meanLoss;
        _observed = true;
    }
}
