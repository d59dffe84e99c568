using System;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// A 2-8-8-1 network (tanh, tanh, sigmoid) with squared loss, written the way a user writes it: one weight vector
/// and loops over units. h1_j = tanh(w1_0_j·x1 + w1_1_j·x2 + b1_j), h2_k = tanh(Σ_j w2_j_k·h1_j + b2_k),
/// o = σ(Σ_k w3_k·h2_k + b3), loss = (y − o)². Layout of w (= the gradient's): per hidden unit j of layer 1
/// (w1_0_j, w1_1_j, b1_j) at 3j; per unit k of layer 2 its 8 input weights then its bias at 24 + 9k; the 8
/// output weights at 96; b3 at 104. 105 weights.
/// </summary>
public static partial class Mlp
{
    /// <summary>Number of trainable parameters.</summary>
    public const int ParameterCount = 105;

    /// <summary>Hidden units per layer.</summary>
    public const int Hidden = 8;

    private const int Layer2 = 3 * Hidden;
    private const int Layer3 = Layer2 + Hidden * (Hidden + 1);

    /// <summary>The loss of one sample (x1, x2, y).</summary>
    [Differentiable]
    public static double Loss(double x1, double x2, double y, [Wrt] ReadOnlySpan<double> w)
    {
        double[] h1 = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            h1[j] = Math.Tanh(w[3 * j] * x1 + w[3 * j + 1] * x2 + w[3 * j + 2]);
        }

        double z3 = w[Layer3 + Hidden];
        for (int k = 0; k < Hidden; k++)
        {
            int row = Layer2 + (Hidden + 1) * k;
            double z = w[row + Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                z += w[row + j] * h1[j];
            }

            z3 += w[Layer3 + k] * Math.Tanh(z);
        }

        double e = y - SymMath.Sigmoid(z3);
        return e * e;
    }
}
