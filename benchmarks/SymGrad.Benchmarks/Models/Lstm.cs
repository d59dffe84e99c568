using System;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// A one-layer LSTM run over a sequence, with a linear read-out and squared loss per step:
/// [f, i, o, g]_t = [σ, σ, σ, tanh](W·x_t + U·h_{t−1} + b), c_t = f⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t),
/// ŷ_t = v·h_t + b_out, L = Σ_t (ŷ_t − y_t)². Parameters (one vector, the gradient's layout): per gate row r
/// (4H rows, gate-major: f, i, o, g) its D input weights, its H recurrent weights and its bias (D + H + 1 numbers);
/// then v (H) and b_out. Data: the inputs x (T·D, row by step) and targets y (T).
/// </summary>
public static partial class Lstm
{
    /// <summary>The summed squared error of the read-out over the sequence.</summary>
    [Differentiable]
    public static double Loss(double[] x, double[] y, int hidden, [Wrt] ReadOnlySpan<double> w)
    {
        int steps = y.Length;
        int inputs = x.Length / steps;
        int rowSize = inputs + hidden + 1;
        int readout = 4 * hidden * rowSize;
        double[] h = new double[hidden];
        double[] c = new double[hidden];
        double[] gates = new double[4 * hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int r = 0; r < 4 * hidden; r++)
            {
                int row = r * rowSize;
                double z = w[row + inputs + hidden];
                for (int i = 0; i < inputs; i++)
                {
                    z += w[row + i] * x[t * inputs + i];
                }

                for (int j = 0; j < hidden; j++)
                {
                    z += w[row + inputs + j] * h[j];
                }

                gates[r] = z;
            }

            double yhat = w[readout + hidden];
            for (int j = 0; j < hidden; j++)
            {
                double f = SymMath.Sigmoid(gates[j]);
                double ig = SymMath.Sigmoid(gates[hidden + j]);
                double o = SymMath.Sigmoid(gates[2 * hidden + j]);
                double g = Math.Tanh(gates[3 * hidden + j]);
                c[j] = f * c[j] + ig * g;
                h[j] = o * Math.Tanh(c[j]);
                yhat += w[readout + j] * h[j];
            }

            double e = yhat - y[t];
            loss += e * e;
        }

        return loss;
    }
}
