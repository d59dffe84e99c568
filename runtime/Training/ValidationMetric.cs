using System;

namespace SymGrad;

/// <summary>
/// A validation metric, evaluated by <see cref="Trainer"/> after every epoch for <see cref="EarlyStopping"/>:
/// lower is better (a loss, an error rate; return −accuracy for an accuracy). Typically the mean loss over a
/// held-out data set, see <see cref="EarlyStopping.OnMeanLoss{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, int)"/>.
/// </summary>
/// <param name="parameters">The parameters after the epoch (read them; do not keep the span).</param>
/// <returns>The metric; NaN counts as no improvement (except for <see cref="EarlyStopping.OnMeanLoss{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, int)"/>, whose NaN/∞ throws <see cref="NonFiniteException"/>).</returns>
public delegate double ValidationMetric(ReadOnlySpan<double> parameters);
