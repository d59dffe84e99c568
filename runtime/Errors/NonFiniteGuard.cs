using System;

namespace SymGrad;

/// <summary>
/// The slow path taken only after a sum came out NaN/∞: re-evaluates the samples one by one, in order,
/// to name the first sample and the first quantity that is not finite.
/// </summary>
internal static class NonFiniteGuard
{
    public const string Epoch = "epoch";
    public const string Iteration = "iteration";

    /// <summary>Builds the exception for a non-finite batch sum over data[indices] (or all of data when <paramref name="indices"/> is empty).</summary>
    public static NonFiniteException Locate<TObjective, TSample>(
        in TObjective objective,
        ReadOnlySpan<TSample> data,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<double> parameters,
        double lossSum,
        ReadOnlySpan<double> gradientSum,
        int? epoch,
        string stage,
        LossTrend trend = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        TObjective f = objective;
        int n = parameters.Length;
        double[] gradient = new double[n];
        int count = indices.IsEmpty ? data.Length : indices.Length;
        for (int k = 0; k < count; k++)
        {
            int index = indices.IsEmpty ? k : indices[k];
            double loss = f.ValueAndGradient(in data[index], parameters, gradient);
            if (!double.IsFinite(loss))
            {
                return NonFiniteException.ForSample(NonFiniteQuantity.Loss, "loss", null, loss, epoch, index, loss, stage, trend);
            }

            int bad = Vectors.IndexOfNonFinite(gradient);
            if (bad >= 0)
            {
                return NonFiniteException.ForSample(NonFiniteQuantity.Gradient, Guard.Name<TObjective, TSample>(f, bad), bad, gradient[bad], epoch, index, loss, stage, trend);
            }
        }

        if (!double.IsFinite(lossSum))
        {
            return NonFiniteException.ForSum(NonFiniteQuantity.Loss, "loss", null, lossSum, epoch, stage, trend);
        }

        int component = Math.Max(0, Vectors.IndexOfNonFinite(gradientSum));
        return NonFiniteException.ForSum(NonFiniteQuantity.Gradient, Guard.Name<TObjective, TSample>(f, component), component, gradientSum[component], epoch, stage, trend);
    }

    /// <summary>
    /// Throws when the batch loss or gradient is not finite (the check itself is O(ParameterCount)); <paramref name="trend"/>,
    /// the mean losses before this one, tells an overflowing sum after divergence from one that was too large from the start.
    /// </summary>
    public static void ThrowIfNonFinite<TObjective, TSample>(
        in TObjective objective,
        ReadOnlySpan<TSample> data,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<double> parameters,
        double loss,
        ReadOnlySpan<double> gradient,
        int? epoch,
        string stage,
        LossTrend trend = default)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        if (!double.IsFinite(loss) || Vectors.IndexOfNonFinite(gradient) >= 0)
        {
            throw Locate(objective, data, indices, parameters, loss, gradient, epoch, stage, trend);
        }
    }

    /// <summary>As <see cref="Locate"/>, but also inspects each sample's Hessian.</summary>
    public static NonFiniteException LocateWithHessian<TObjective, TSample>(
        in TObjective objective,
        ReadOnlySpan<TSample> data,
        ReadOnlySpan<double> parameters,
        double lossSum,
        ReadOnlySpan<double> gradientSum,
        ReadOnlySpan<double> hessianSum,
        int? epoch,
        string stage)
        where TObjective : struct, ITwiceDifferentiableObjective<TSample>
        where TSample : struct
    {
        TObjective f = objective;
        int n = parameters.Length;
        double[] gradient = new double[n];
        double[] hessian = new double[n * n];
        for (int index = 0; index < data.Length; index++)
        {
            double loss = f.ValueGradientAndHessian(in data[index], parameters, gradient, hessian);
            if (!double.IsFinite(loss))
            {
                return NonFiniteException.ForSample(NonFiniteQuantity.Loss, "loss", null, loss, epoch, index, loss, stage);
            }

            int bad = Vectors.IndexOfNonFinite(gradient);
            if (bad >= 0)
            {
                return NonFiniteException.ForSample(NonFiniteQuantity.Gradient, Guard.Name<TObjective, TSample>(f, bad), bad, gradient[bad], epoch, index, loss, stage);
            }

            bad = Vectors.IndexOfNonFinite(hessian);
            if (bad >= 0)
            {
                string name = "∂²loss/∂" + Guard.Name<TObjective, TSample>(f, bad / n) + "∂" + Guard.Name<TObjective, TSample>(f, bad % n);
                return NonFiniteException.ForSample(NonFiniteQuantity.Hessian, name, bad / n, hessian[bad], epoch, index, loss, stage);
            }
        }

        if (!double.IsFinite(lossSum))
        {
            return NonFiniteException.ForSum(NonFiniteQuantity.Loss, "loss", null, lossSum, epoch, stage);
        }

        int component = Vectors.IndexOfNonFinite(gradientSum);
        if (component >= 0)
        {
            return NonFiniteException.ForSum(NonFiniteQuantity.Gradient, Guard.Name<TObjective, TSample>(f, component), component, gradientSum[component], epoch, stage);
        }

        component = Math.Max(0, Vectors.IndexOfNonFinite(hessianSum));
        return NonFiniteException.ForSum(NonFiniteQuantity.Hessian, Guard.Name<TObjective, TSample>(f, component / n), component / n, hessianSum[component], epoch, stage);
    }

    /// <summary>Throws when a parameter became non-finite after an update.</summary>
    public static void ThrowIfParameterNonFinite<TObjective, TSample>(in TObjective objective, ReadOnlySpan<double> parameters, int? epoch, long step, string stage)
        where TObjective : struct, IObjective<TSample>
        where TSample : struct
    {
        int bad = Vectors.IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            throw NonFiniteException.ForParameter(Guard.Name<TObjective, TSample>(objective, bad), bad, parameters[bad], epoch, step, stage);
        }
    }
}
