using System;
using System.Collections.Generic;

namespace SymGrad;

/// <summary>The trainer's bookkeeping for <see cref="EarlyStopping"/>: the metric history, the best epoch and its parameters.</summary>
internal sealed class EarlyStoppingMonitor(EarlyStopping rule, int parameterCount)
{
    private readonly double[] _best = new double[parameterCount];
    private readonly List<double> _history = new();
    private int _epochsWithoutImprovement;

    public IReadOnlyList<double> History => _history;

    /// <summary>The epoch with the lowest metric so far; 0 before one improved on +∞.</summary>
    public int BestEpoch { get; private set; }

    public double BestMetric { get; private set; } = double.PositiveInfinity;

    /// <summary>True once <see cref="EarlyStopping.Patience"/> epochs in a row did not improve.</summary>
    public bool ShouldStop => _epochsWithoutImprovement >= rule.Patience;

    /// <summary>Evaluates the metric after <paramref name="epoch"/> and updates the best epoch and patience count.</summary>
    public double Observe(int epoch, ReadOnlySpan<double> parameters)
    {
        double metric = rule.Metric(parameters);
        if (!double.IsFinite(metric) && rule.Metric.Target is IValidationData data)
        {
            throw data.Locate(parameters, metric, epoch);
        }

        _history.Add(metric);
        if (metric < BestMetric - rule.MinDelta)
        {
            BestMetric = metric;
            BestEpoch = epoch;
            parameters.CopyTo(_best);
            _epochsWithoutImprovement = 0;
        }
        else
        {
            _epochsWithoutImprovement++;
        }

        return metric;
    }

    /// <summary>Copies the best epoch's parameters back when the rule asks for it; true when it did.</summary>
    public bool Restore(Span<double> parameters, int lastEpoch)
    {
        if (!rule.RestoreBestParameters || BestEpoch == 0 || BestEpoch == lastEpoch)
        {
            return false;
        }

        _best.CopyTo(parameters);
        return true;
    }
}
