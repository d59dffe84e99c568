using System;

namespace SymGrad;

/// <summary>
/// A differentiable objective over data samples of type <typeparamref name="TSample"/>: the contract
/// between generated code and the runtime's optimizers. The generator implements it for every
/// <c>[Differentiable]</c> method <c>M</c> as the struct <c>MObjective</c>, whose sample type
/// <c>MSample</c> holds M's data (non-differentiated) parameters and whose parameter vector holds the
/// differentiated ones, in declaration order. Optimizers take it as a generic struct argument, so calls
/// are direct (no interface dispatch, no allocation).
/// </summary>
/// <typeparam name="TSample">The data of one sample (an empty struct when the method has no data parameters).</typeparam>
public interface IObjective<TSample> where TSample : struct
{
    /// <summary>Number of differentiated (trainable) parameters.</summary>
    int ParameterCount { get; }

    /// <summary>Name of trainable parameter <paramref name="index"/> as written in the source.</summary>
    string GetParameterName(int index);

    /// <summary>The objective's value for one sample.</summary>
    double Value(in TSample sample, ReadOnlySpan<double> parameters);

    /// <summary>The objective's value for one sample; writes ∂value/∂parameters[i] into <paramref name="gradient"/>[i].</summary>
    double ValueAndGradient(in TSample sample, ReadOnlySpan<double> parameters, Span<double> gradient);

    /// <summary>
    /// Σ of <see cref="Value"/> over <paramref name="samples"/>. Generated objectives whose data are doubles implement it
    /// with the batched kernel (several samples per instruction); the default adds <see cref="Value"/> sample by sample.
    /// </summary>
    /// <param name="samples">The samples, in order.</param>
    /// <param name="parameters">The parameter vector.</param>
    /// <returns>The sum of the per-sample values.</returns>
    double SumValue(ReadOnlySpan<TSample> samples, ReadOnlySpan<double> parameters)
    {
        double sum = 0.0;
        foreach (ref readonly TSample sample in samples)
        {
            sum += Value(in sample, parameters);
        }

        return sum;
    }

    /// <summary>
    /// Σ of <see cref="ValueAndGradient"/> over <paramref name="samples"/>: returns the sum of the values and ADDS the sum
    /// of the gradients into <paramref name="gradientSum"/> (it is not cleared first). Generated objectives whose data are
    /// doubles implement it with the batched kernel; the default adds the samples one by one.
    /// </summary>
    /// <param name="samples">The samples, in order.</param>
    /// <param name="parameters">The parameter vector.</param>
    /// <param name="gradientSum">Receives += Σ ∂value/∂parameters; at least <see cref="ParameterCount"/> long.</param>
    /// <returns>The sum of the per-sample values.</returns>
    double SumValueAndGradient(ReadOnlySpan<TSample> samples, ReadOnlySpan<double> parameters, Span<double> gradientSum)
    {
        int n = ParameterCount;
        double[] rented = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(1, n));
        try
        {
            Span<double> g = rented.AsSpan(0, n);
            double sum = 0.0;
            foreach (ref readonly TSample sample in samples)
            {
                sum += ValueAndGradient(in sample, parameters, g);
                Vectors.Add(gradientSum[..n], g);
            }

            return sum;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(rented);
        }
    }
}

/// <summary>
/// Whether <typeparamref name="TObjective"/> implements the batched members of <see cref="IObjective{TSample}"/> itself
/// (generated objectives with double data do): only then do the runtime's batch paths call them, so that other
/// objectives keep the sample-by-sample path, which calls them without boxing the struct.
/// </summary>
internal static class BatchSupport<TObjective, TSample>
    where TObjective : struct, IObjective<TSample>
    where TSample : struct
{
    /// <summary>True when the objective's own type implements <c>SumValueAndGradient</c> and <c>SumValue</c>.</summary>
    public static readonly bool IsImplemented = Implements();

    private static bool Implements()
    {
        System.Reflection.InterfaceMapping map = typeof(TObjective).GetInterfaceMap(typeof(IObjective<TSample>));
        int found = 0;
        for (int i = 0; i < map.InterfaceMethods.Length; i++)
        {
            string name = map.InterfaceMethods[i].Name;
            if ((name == nameof(IObjective<TSample>.SumValue) || name == nameof(IObjective<TSample>.SumValueAndGradient))
                && map.TargetMethods[i].DeclaringType == typeof(TObjective))
            {
                found++;
            }
        }

        return found == 2;
    }
}
