using System;

namespace SymGrad.Samples.Xor;

/// <summary>
/// A sigmoid network with one hidden layer, its weights in one vector: for inputs x (length n) and H hidden
/// units, w holds, per hidden unit j, its n input weights and its bias (n + 1 numbers), then the H output
/// weights and the output bias. XOR uses n = 2, H = 2: 9 weights.
/// </summary>
public static partial class XorNet
{
    /// <summary>
    /// Binary cross-entropy of one sample, −[t·log f + (1 − t)·log(1 − f)], written on the output's logit z
    /// (log σ(z) and log σ(−z)) so it stays finite however confident the network is.
    /// </summary>
    [Differentiable]
    public static double Loss(ReadOnlySpan<double> x, double t, [Wrt] ReadOnlySpan<double> w)
    {
        double z = Logit(x, w);
        return -(t * SymMath.LogSigmoid(z) + (1 - t) * SymMath.LogSigmoid(-z));
    }

    /// <summary>The output's logit z = Σ_j v_j·σ(Σ_i w_ji·x_i + b_j) + c; the network's output is σ(z).</summary>
    public static double Logit(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        int n = x.Length;
        int hidden = (w.Length - 1) / (n + 2);
        int output = hidden * (n + 1);
        double z = w[output + hidden];
        for (int j = 0; j < hidden; j++)
        {
            int row = j * (n + 1);
            double s = w[row + n];
            for (int i = 0; i < n; i++)
            {
                s += w[row + i] * x[i];
            }

            z += w[output + j] * SymMath.Sigmoid(s);
        }

        return z;
    }
}
