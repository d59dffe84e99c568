using System;
using SymGrad;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Standard objectives written with arrays and run-time loops, as a user would write them (the ADBench problems
/// among them: GMM, LSTM, and the usual least squares, k-means, ODE fitting, MLP and softmax regression).
/// </summary>
public static partial class ObjectiveModels
{
    /// <summary>Linear least squares Σᵢ (yᵢ − Σⱼ Xᵢⱼ wⱼ)² with X row-major rows × cols.</summary>
    [Differentiable]
    public static double LeastSquares([Wrt] double[] w, double[] X, ReadOnlySpan<double> y, int rows, int cols)
    {
        double loss = 0;
        for (int i = 0; i < rows; i++)
        {
            double prediction = 0;
            for (int j = 0; j < cols; j++)
            {
                prediction += X[(i * cols) + j] * w[j];
            }

            double e = y[i] - prediction;
            loss += e * e;
        }

        return loss;
    }

    /// <summary>log Σ exp(xᵢ), shifted by the maximum.</summary>
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            m = Math.Max(m, x[i]);
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Exp(x[i] - m);
        }

        return m + Math.Log(s);
    }

    private static double Lse(ReadOnlySpan<double> v)
    {
        double m = v[0];
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > m)
            {
                m = v[i];
            }
        }

        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += Math.Exp(v[i] - m);
        }

        return m + Math.Log(s);
    }

    /// <summary>
    /// The log-likelihood of a Gaussian mixture with diagonal covariances (ADBench's GMM with a diagonal
    /// inverse-covariance factor): k components, d dimensions, n = x.Length / d points; per component the
    /// unnormalised log-weight αₖ, the mean μₖ and log σₖ. Σᵢ log Σₖ exp(αₖ − Σⱼ log σₖⱼ − ½‖(xᵢ − μₖ)/σₖ‖²) − n·lse(α) − n·d/2·log 2π.
    /// </summary>
    [Differentiable]
    public static double GmmLogLikelihood([Wrt] double[] alphas, [Wrt] double[] means, [Wrt] double[] logSigmas, ReadOnlySpan<double> x, int d)
    {
        int k = alphas.Length;
        int n = x.Length / d;
        var terms = new double[k];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double q = 0;
                double sumLog = 0;
                for (int j = 0; j < d; j++)
                {
                    double z = (x[(i * d) + j] - means[(c * d) + j]) * Math.Exp(-logSigmas[(c * d) + j]);
                    q += z * z;
                    sumLog += logSigmas[(c * d) + j];
                }

                terms[c] = alphas[c] - sumLog - (0.5 * q);
            }

            total += Lse(terms);
        }

        return total - (n * Lse(alphas)) - (n * d * 0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>
    /// An LSTM over a sequence with squared-error readout. w holds, for the gates i, f, o, g in turn, rows
    /// j = 0 … hidden−1 of [W (inputs) | U (hidden) | b], then the readout weights (hidden) and bias.
    /// </summary>
    [Differentiable]
    public static double Lstm([Wrt] double[] w, ReadOnlySpan<double> xs, ReadOnlySpan<double> targets, int inputs, int hidden)
    {
        int steps = targets.Length;
        int stride = inputs + hidden + 1;
        int gate = hidden * stride;
        int readout = 4 * gate;
        var h = new double[hidden];
        var c = new double[hidden];
        var next = new double[hidden];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < hidden; j++)
            {
                int row = j * stride;
                double zi = w[row + inputs + hidden];
                double zf = w[gate + row + inputs + hidden];
                double zo = w[(2 * gate) + row + inputs + hidden];
                double zg = w[(3 * gate) + row + inputs + hidden];
                for (int k = 0; k < inputs; k++)
                {
                    double xk = xs[(t * inputs) + k];
                    zi += w[row + k] * xk;
                    zf += w[gate + row + k] * xk;
                    zo += w[(2 * gate) + row + k] * xk;
                    zg += w[(3 * gate) + row + k] * xk;
                }

                for (int k = 0; k < hidden; k++)
                {
                    double hk = h[k];
                    zi += w[row + inputs + k] * hk;
                    zf += w[gate + row + inputs + k] * hk;
                    zo += w[(2 * gate) + row + inputs + k] * hk;
                    zg += w[(3 * gate) + row + inputs + k] * hk;
                }

                double ig = SymMath.Sigmoid(zi);
                double fg = SymMath.Sigmoid(zf);
                double og = SymMath.Sigmoid(zo);
                double gg = Math.Tanh(zg);
                c[j] = (fg * c[j]) + (ig * gg);
                next[j] = og * Math.Tanh(c[j]);
            }

            double y = w[readout + hidden];
            for (int j = 0; j < hidden; j++)
            {
                h[j] = next[j];
                y += w[readout + j] * h[j];
            }

            double e = y - targets[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>
    /// A one-unit LSTM (scalar hidden and cell state, no buffers) over a sequence: w = (Wi, Ui, bi, Wf, Uf, bf, Wo,
    /// Uo, bo, Wg, Ug, bg, v, c). Its gradient must not allocate.
    /// </summary>
    [Differentiable]
    public static double LstmCell([Wrt] double[] w, ReadOnlySpan<double> xs, ReadOnlySpan<double> targets)
    {
        double h = 0;
        double c = 0;
        double loss = 0;
        for (int t = 0; t < xs.Length; t++)
        {
            double x = xs[t];
            double ig = SymMath.Sigmoid((w[0] * x) + (w[1] * h) + w[2]);
            double fg = SymMath.Sigmoid((w[3] * x) + (w[4] * h) + w[5]);
            double og = SymMath.Sigmoid((w[6] * x) + (w[7] * h) + w[8]);
            double gg = Math.Tanh((w[9] * x) + (w[10] * h) + w[11]);
            c = (fg * c) + (ig * gg);
            h = og * Math.Tanh(c);
            double e = (w[12] * h) + w[13] - targets[t];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>The k-means objective Σᵢ minₖ ‖xᵢ − cₖ‖² (centroids row-major k × d).</summary>
    [Differentiable]
    public static double KMeans([Wrt] double[] centroids, ReadOnlySpan<double> x, int d)
    {
        int k = centroids.Length / d;
        int n = x.Length / d;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double best = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                double dist = 0;
                for (int j = 0; j < d; j++)
                {
                    double e = x[(i * d) + j] - centroids[(c * d) + j];
                    dist += e * e;
                }

                best = Math.Min(best, dist);
            }

            total += best;
        }

        return total;
    }

    /// <summary>
    /// Lotka–Volterra x′ = ax − bxy, y′ = cxy − dy with p = (a, b, c, d), integrated by classical RK4 over [0, t1] in a
    /// run-time number of steps; the squared distance of the end state from (1, 0.5).
    /// </summary>
    [Differentiable]
    public static double LotkaVolterraRk4([Wrt] double[] p, double x0, double y0, double t1, int steps)
    {
        double h = t1 / steps;
        double x = x0;
        double y = y0;
        for (int s = 0; s < steps; s++)
        {
            double k1x = (p[0] * x) - (p[1] * x * y);
            double k1y = (p[2] * x * y) - (p[3] * y);
            double x2 = x + (0.5 * h * k1x);
            double y2 = y + (0.5 * h * k1y);
            double k2x = (p[0] * x2) - (p[1] * x2 * y2);
            double k2y = (p[2] * x2 * y2) - (p[3] * y2);
            double x3 = x + (0.5 * h * k2x);
            double y3 = y + (0.5 * h * k2y);
            double k3x = (p[0] * x3) - (p[1] * x3 * y3);
            double k3y = (p[2] * x3 * y3) - (p[3] * y3);
            double x4 = x + (h * k3x);
            double y4 = y + (h * k3y);
            double k4x = (p[0] * x4) - (p[1] * x4 * y4);
            double k4y = (p[2] * x4 * y4) - (p[3] * y4);
            x += h / 6 * (k1x + (2 * k2x) + (2 * k3x) + k4x);
            y += h / 6 * (k1y + (2 * k2y) + (2 * k3y) + k4y);
        }

        return ((x - 1) * (x - 1)) + ((y - 0.5) * (y - 0.5));
    }

    /// <summary>
    /// A linear ODE system u′ = A u (A row-major n × n, the parameters) by explicit Euler, the state in local buffers
    /// and a derivative buffer; returns Σ uᵢ(t1)².
    /// </summary>
    [Differentiable]
    public static double LinearOdeEuler([Wrt] double[] a, ReadOnlySpan<double> u0, double t1, int steps)
    {
        int n = u0.Length;
        double h = t1 / steps;
        var u = new double[n];
        var du = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = u0[i];
        }

        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < n; i++)
            {
                double r = 0;
                for (int j = 0; j < n; j++)
                {
                    r += a[(i * n) + j] * u[j];
                }

                du[i] = r;
            }

            for (int i = 0; i < n; i++)
            {
                u[i] += h * du[i];
            }
        }

        double total = 0;
        for (int i = 0; i < n; i++)
        {
            total += u[i] * u[i];
        }

        return total;
    }

    /// <summary>
    /// An MLP with one tanh hidden layer and a sigmoid output, mean binary cross-entropy over samples. w holds the
    /// hidden rows [weights (inputs) | bias], then the output weights (hidden) and bias.
    /// </summary>
    [Differentiable]
    public static double Mlp([Wrt] double[] w, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int inputs, int hidden)
    {
        int n = y.Length;
        int stride = inputs + 1;
        int o = hidden * stride;
        var h = new double[hidden];
        double loss = 0;
        for (int s = 0; s < n; s++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double z = w[(j * stride) + inputs];
                for (int i = 0; i < inputs; i++)
                {
                    z += w[(j * stride) + i] * x[(s * inputs) + i];
                }

                h[j] = Math.Tanh(z);
            }

            double zo = w[o + hidden];
            for (int j = 0; j < hidden; j++)
            {
                zo += w[o + j] * h[j];
            }

            double p = SymMath.Sigmoid(zo);
            loss -= (y[s] * Math.Log(p)) + ((1 - y[s]) * Math.Log(1 - p));
        }

        return loss / n;
    }

    /// <summary>Softmax regression with int labels: mean −log softmax(W xₛ + b)[labelₛ]; W rows [weights | bias].</summary>
    [Differentiable]
    public static double SoftmaxCrossEntropy([Wrt] double[] w, ReadOnlySpan<double> x, ReadOnlySpan<int> labels, int inputs, int classes)
    {
        int stride = inputs + 1;
        var logits = new double[classes];
        double loss = 0;
        for (int s = 0; s < labels.Length; s++)
        {
            double m = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double z = w[(c * stride) + inputs];
                for (int i = 0; i < inputs; i++)
                {
                    z += w[(c * stride) + i] * x[(s * inputs) + i];
                }

                logits[c] = z;
                m = Math.Max(m, z);
            }

            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.Exp(logits[c] - m);
            }

            loss += m + Math.Log(sum) - logits[labels[s]];
        }

        return loss / labels.Length;
    }
}
