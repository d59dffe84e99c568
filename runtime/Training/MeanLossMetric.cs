using System;

namespace SymGrad;

/// <summary>
/// The metric of <see cref="EarlyStopping.OnMeanLoss{TObjective, TSample}(TObjective, ReadOnlyMemory{TSample}, int)"/>: the mean
/// loss over held-out data. A NaN/∞ mean is an error in the data or the model, as it is for training data, not a
/// metric that merely failed to improve: <see cref="Locate"/> names the validation sample.
/// </summary>
internal sealed class MeanLossMetric<TObjective, TSample>(TObjective objective, ReadOnlyMemory<TSample> validationData, int maxDegreeOfParallelism) : IValidationData
    where TObjective : struct, IObjective<TSample>
    where TSample : struct
{
    public double Evaluate(ReadOnlySpan<double> parameters)
        => Gradients.MeanValue(objective, validationData, parameters, maxDegreeOfParallelism);

    public NonFiniteException Locate(ReadOnlySpan<double> parameters, double metric, int epoch)
    {
        TObjective f = objective;
        ReadOnlySpan<TSample> samples = validationData.Span;
        for (int index = 0; index < samples.Length; index++)
        {
            double loss = f.Value(in samples[index], parameters);
            if (!double.IsFinite(loss))
            {
                return NonFiniteException.ForValidationSample(loss, epoch, index);
            }
        }

        return NonFiniteException.ForValidationSum(metric, epoch);
    }
}

/// <summary>A validation metric over a data set whose non-finite value can be traced to a sample.</summary>
internal interface IValidationData
{
    /// <summary>The exception for a non-finite metric after <paramref name="epoch"/>, naming the first non-finite sample.</summary>
    NonFiniteException Locate(ReadOnlySpan<double> parameters, double metric, int epoch);
}
