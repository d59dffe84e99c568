using System;

namespace SymGrad.Orleans;

/// <summary>
/// The reduction across shards, in shard order (never in order of arrival): mean = Σₛ (nₛ/N)·meanₛ over the shards with
/// nₛ &gt; 0 rows, N = Σ nₛ. With each shard's mean deterministic, the result is the same bits on any number of silos.
/// </summary>
internal static class ShardCombiner
{
    public static double Combine(ShardEvaluation[] answers, Span<double> gradient, bool withGradient)
    {
        long total = 0;
        foreach (ShardEvaluation answer in answers)
        {
            total += answer.Rows;
        }

        if (total == 0)
        {
            throw new InvalidOperationException("No shard evaluated any row.");
        }

        gradient.Clear();
        double loss = 0.0;
        foreach (ShardEvaluation answer in answers)
        {
            if (answer.Rows == 0)
            {
                continue;
            }

            double weight = (double)answer.Rows / total;
            loss += weight * answer.Loss;
            if (withGradient)
            {
                double[] g = answer.Gradient;
                for (int i = 0; i < gradient.Length; i++)
                {
                    gradient[i] += weight * g[i];
                }
            }
        }

        return loss;
    }
}
