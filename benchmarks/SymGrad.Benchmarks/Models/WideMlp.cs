using System;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// A 16-64-64-1 network (tanh, tanh, linear) with squared loss on one sample, all weights in one vector:
/// W1 row by row (64 rows of 16), b1, W2 row by row (64 rows of 64), b2, w3 (64), b3: 5,313 weights.
/// </summary>
public static partial class WideMlp
{
    /// <summary>Inputs.</summary>
    public const int Inputs = 16;

    /// <summary>Units per hidden layer.</summary>
    public const int Hidden = 64;

    /// <summary>Length of the weight vector.</summary>
    public const int ParameterCount = Hidden * Inputs + Hidden + Hidden * Hidden + Hidden + Hidden + 1;

    /// <summary>(y − f(x))² for one sample.</summary>
    [Differentiable]
    public static double Loss(ReadOnlySpan<double> x, double y, [Wrt] ReadOnlySpan<double> w)
    {
        int b1 = Hidden * Inputs;
        int w2 = b1 + Hidden;
        int b2 = w2 + Hidden * Hidden;
        int w3 = b2 + Hidden;
        double[] h1 = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            double z = w[b1 + j];
            for (int i = 0; i < Inputs; i++)
            {
                z += w[j * Inputs + i] * x[i];
            }

            h1[j] = Math.Tanh(z);
        }

        double output = w[w3 + Hidden];
        for (int k = 0; k < Hidden; k++)
        {
            double z = w[b2 + k];
            for (int j = 0; j < Hidden; j++)
            {
                z += w[w2 + k * Hidden + j] * h1[j];
            }

            output += w[w3 + k] * Math.Tanh(z);
        }

        double e = y - output;
        return e * e;
    }
}
