using System;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Peers;

/// <summary>
/// Hand-written reverse sweeps of the program-mode models, as a speed-minded engineer writes them: arrays and loops,
/// no allocation (stack buffers or a caller-owned scratch array), every forward value the backward pass needs kept
/// rather than recomputed, derivatives of σ and tanh from their values (σ(1 − σ), 1 − tanh²).
/// </summary>
public static class ProgramPeers
{
    /// <summary>Least squares: one pass; the residual of a row feeds its gradient immediately.</summary>
    public static double LeastSquares(double[] x, double[] y, ReadOnlySpan<double> beta, Span<double> gradient)
    {
        int d = beta.Length;
        Span<double> g = gradient[..d];
        g.Clear();
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            ReadOnlySpan<double> row = x.AsSpan(i * d, d);
            double r = -y[i];
            for (int j = 0; j < row.Length; j++)
            {
                r += row[j] * beta[j];
            }

            sum += r * r;
            double s = 2.0 * r;
            for (int j = 0; j < row.Length; j++)
            {
                g[j] += s * row[j];
            }
        }

        return sum;
    }

    /// <summary>
    /// The GMM objective and its gradient: per point, the components' Q·(x − μ) and log-sum-exp are kept, then the
    /// softmax weights p_c flow back into α, μ, the log-diagonal and L; per-component sums are chained through exp(q)
    /// and the prior once at the end.
    /// </summary>
    public static double Gmm(double[] x, int d, int k, double gamma, int m, ReadOnlySpan<double> w, Span<double> gradient)
    {
        int n = x.Length / d;
        int icfSize = d * (d + 1) / 2;
        int means = k;
        int icf = k + k * d;
        Span<double> g = gradient[..w.Length];
        g.Clear();
        Span<double> qdiag = stackalloc double[k * d];
        Span<double> sumQs = stackalloc double[k];
        Span<double> xc = stackalloc double[k * d];
        Span<double> qx = stackalloc double[k * d];
        Span<double> main = stackalloc double[k];
        Span<double> pSum = stackalloc double[k];     // Σ_i p_ic
        Span<double> dQdiag = stackalloc double[k * d]; // ∂f/∂exp(q) from the data term
        Span<double> dxc = stackalloc double[d];
        pSum.Clear();
        dQdiag.Clear();
        for (int c = 0; c < k; c++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                double q = w[icf + c * icfSize + j];
                s += q;
                qdiag[c * d + j] = Math.Exp(q);
            }

            sumQs[c] = s;
        }

        double slse = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> xi = x.AsSpan(i * d, d);
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                int ic = icf + c * icfSize + d;
                Span<double> xcc = xc.Slice(c * d, d);
                Span<double> qxc = qx.Slice(c * d, d);
                for (int j = 0; j < d; j++)
                {
                    xcc[j] = xi[j] - w[means + c * d + j];
                }

                double sq = 0;
                for (int r = 0; r < d; r++)
                {
                    double v = qdiag[c * d + r] * xcc[r];
                    for (int col = 0; col < r; col++)
                    {
                        v += w[ic + col * d - col * (col + 1) / 2 + (r - col - 1)] * xcc[col];
                    }

                    qxc[r] = v;
                    sq += v * v;
                }

                double mc = w[c] + sumQs[c] - 0.5 * sq;
                main[c] = mc;
                max = Math.Max(max, mc);
            }

            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                double e = Math.Exp(main[c] - max);
                main[c] = e;
                sum += e;
            }

            slse += max + Math.Log(sum);
            double inv = 1.0 / sum;
            for (int c = 0; c < k; c++)
            {
                // ∂f/∂main_c = −p_c; ∂f/∂(Q·xc)_r = p_c·(Q·xc)_r.
                double p = main[c] * inv;
                pSum[c] += p;
                int ic = icf + c * icfSize + d;
                Span<double> xcc = xc.Slice(c * d, d);
                Span<double> qxc = qx.Slice(c * d, d);
                dxc.Clear();
                for (int r = 0; r < d; r++)
                {
                    double dv = p * qxc[r];
                    dQdiag[c * d + r] += dv * xcc[r];
                    dxc[r] += dv * qdiag[c * d + r];
                    for (int col = 0; col < r; col++)
                    {
                        int li = ic + col * d - col * (col + 1) / 2 + (r - col - 1);
                        g[li] += dv * xcc[col];
                        dxc[col] += dv * w[li];
                    }
                }

                for (int j = 0; j < d; j++)
                {
                    g[means + c * d + j] -= dxc[j];
                }
            }
        }

        // −n·logsumexp(α) enters f with a plus sign (f = −(slse − n·lse(α)) + prior): ∂/∂α_c = n·softmax(α)_c.
        double amax = double.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            amax = Math.Max(amax, w[c]);
        }

        double asum = 0;
        for (int c = 0; c < k; c++)
        {
            asum += Math.Exp(w[c] - amax);
        }

        double lseAlpha = amax + Math.Log(asum);
        double prior = 0;
        double g2 = gamma * gamma;
        for (int c = 0; c < k; c++)
        {
            g[c] += -pSum[c] + n * Math.Exp(w[c] - lseAlpha);
            double frobenius = 0;
            for (int j = 0; j < d; j++)
            {
                double e = qdiag[c * d + j];
                frobenius += e * e;
                g[icf + c * icfSize + j] += -pSum[c] - m + (dQdiag[c * d + j] + g2 * e) * e;
            }

            for (int j = d; j < icfSize; j++)
            {
                double l = w[icf + c * icfSize + j];
                frobenius += l * l;
                g[icf + c * icfSize + j] += g2 * l;
            }

            prior += 0.5 * g2 * frobenius - m * sumQs[c];
        }

        return -(slse - n * lseAlpha) + prior;
    }

    /// <summary>Scratch doubles <see cref="Lstm"/> needs for <paramref name="steps"/> steps of <paramref name="hidden"/> units.</summary>
    public static int LstmScratchLength(int steps, int hidden) => steps * 8 * hidden + 4 * hidden + steps;

    /// <summary>
    /// Backpropagation through time: the forward pass keeps every step's gate activations, c_t, tanh(c_t) and h_t in
    /// <paramref name="scratch"/> (<see cref="LstmScratchLength"/> long, owned by the caller), the backward pass runs
    /// the steps in reverse carrying ∂L/∂h and ∂L/∂c.
    /// </summary>
    public static double Lstm(double[] x, double[] y, int hidden, ReadOnlySpan<double> w, Span<double> gradient, Span<double> scratch)
    {
        int steps = y.Length;
        int inputs = x.Length / steps;
        int rowSize = inputs + hidden + 1;
        int readout = 4 * hidden * rowSize;
        int per = 8 * hidden; // per step: f, i, o, g (4H), c (H), tanh c (H), h (H), spare (H)
        Span<double> g = gradient[..w.Length];
        g.Clear();
        Span<double> dz = scratch.Slice(steps * per, 4 * hidden);
        Span<double> err = scratch.Slice(steps * per + 4 * hidden, steps);
        ReadOnlySpan<double> v = w.Slice(readout, hidden);
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            Span<double> s = scratch.Slice(t * per, per);
            ReadOnlySpan<double> hPrev = t == 0 ? default : scratch.Slice((t - 1) * per + 6 * hidden, hidden);
            ReadOnlySpan<double> cPrev = t == 0 ? default : scratch.Slice((t - 1) * per + 4 * hidden, hidden);
            ReadOnlySpan<double> xt = x.AsSpan(t * inputs, inputs);
            for (int r = 0; r < 4 * hidden; r++)
            {
                ReadOnlySpan<double> row = w.Slice(r * rowSize, rowSize);
                double z = row[inputs + hidden];
                for (int i = 0; i < xt.Length; i++)
                {
                    z += row[i] * xt[i];
                }

                for (int j = 0; j < hPrev.Length; j++)
                {
                    z += row[inputs + j] * hPrev[j];
                }

                s[r] = r < 3 * hidden ? SymMath.Sigmoid(z) : Math.Tanh(z);
            }

            double yhat = w[readout + hidden];
            for (int j = 0; j < hidden; j++)
            {
                double c = s[j] * (t == 0 ? 0.0 : cPrev[j]) + s[hidden + j] * s[3 * hidden + j];
                double tc = Math.Tanh(c);
                double h = s[2 * hidden + j] * tc;
                s[4 * hidden + j] = c;
                s[5 * hidden + j] = tc;
                s[6 * hidden + j] = h;
                yhat += v[j] * h;
            }

            double e = yhat - y[t];
            err[t] = e;
            loss += e * e;
        }

        // Backward through time. dhNext/dcNext: ∂L/∂h_t and ∂L/∂c_t from step t + 1 (kept in the spare slot of step t).
        Span<double> dcNext = stackalloc double[hidden];
        Span<double> dhNext = stackalloc double[hidden];
        dcNext.Clear();
        dhNext.Clear();
        for (int t = steps - 1; t >= 0; t--)
        {
            Span<double> s = scratch.Slice(t * per, per);
            ReadOnlySpan<double> hPrev = t == 0 ? default : scratch.Slice((t - 1) * per + 6 * hidden, hidden);
            double de = 2.0 * err[t];
            g[readout + hidden] += de;
            for (int j = 0; j < hidden; j++)
            {
                double f = s[j], ig = s[hidden + j], o = s[2 * hidden + j], gg = s[3 * hidden + j];
                double tc = s[5 * hidden + j];
                g[readout + j] += de * s[6 * hidden + j];
                double dh = de * v[j] + dhNext[j];
                double dc = dh * o * (1.0 - tc * tc) + dcNext[j];
                double cPrev = t == 0 ? 0.0 : scratch[(t - 1) * per + 4 * hidden + j];
                dz[j] = dc * cPrev * f * (1.0 - f);
                dz[hidden + j] = dc * gg * ig * (1.0 - ig);
                dz[2 * hidden + j] = dh * tc * o * (1.0 - o);
                dz[3 * hidden + j] = dc * ig * (1.0 - gg * gg);
                dcNext[j] = dc * f;
            }

            dhNext.Clear();
            ReadOnlySpan<double> xt = x.AsSpan(t * inputs, inputs);
            for (int r = 0; r < 4 * hidden; r++)
            {
                double dzr = dz[r];
                ReadOnlySpan<double> row = w.Slice(r * rowSize, rowSize);
                Span<double> grow = g.Slice(r * rowSize, rowSize);
                grow[inputs + hidden] += dzr;
                for (int i = 0; i < xt.Length; i++)
                {
                    grow[i] += dzr * xt[i];
                }

                for (int j = 0; j < hPrev.Length; j++)
                {
                    grow[inputs + j] += dzr * hPrev[j];
                    dhNext[j] += dzr * row[inputs + j];
                }
            }
        }

        return loss;
    }

    /// <summary>Backprop through the 16-64-64-1 network; weight rows as spans so the inner loops carry no bounds checks.</summary>
    public static double WideMlp(ReadOnlySpan<double> x, double y, ReadOnlySpan<double> w, Span<double> gradient)
    {
        const int I = Models.WideMlp.Inputs, H = Models.WideMlp.Hidden;
        const int B1 = H * I, W2 = B1 + H, B2 = W2 + H * H, W3 = B2 + H;
        Span<double> g = gradient[..Models.WideMlp.ParameterCount];
        Span<double> h1 = stackalloc double[H];
        Span<double> h2 = stackalloc double[H];
        Span<double> dh1 = stackalloc double[H];
        x = x[..I];
        for (int j = 0; j < H; j++)
        {
            ReadOnlySpan<double> row = w.Slice(j * I, I);
            double z = w[B1 + j];
            for (int i = 0; i < row.Length; i++)
            {
                z += row[i] * x[i];
            }

            h1[j] = Math.Tanh(z);
        }

        double output = w[W3 + H];
        for (int k = 0; k < H; k++)
        {
            ReadOnlySpan<double> row = w.Slice(W2 + k * H, H);
            double z = w[B2 + k];
            for (int j = 0; j < row.Length; j++)
            {
                z += row[j] * h1[j];
            }

            double h = Math.Tanh(z);
            h2[k] = h;
            output += w[W3 + k] * h;
        }

        double e = y - output;
        double dOut = -2.0 * e;
        g[W3 + H] = dOut;
        dh1.Clear();
        for (int k = 0; k < H; k++)
        {
            double h = h2[k];
            g[W3 + k] = dOut * h;
            double dz = dOut * w[W3 + k] * (1.0 - h * h);
            g[B2 + k] = dz;
            ReadOnlySpan<double> row = w.Slice(W2 + k * H, H);
            Span<double> grow = g.Slice(W2 + k * H, H);
            for (int j = 0; j < row.Length; j++)
            {
                grow[j] = dz * h1[j];
                dh1[j] += dz * row[j];
            }
        }

        for (int j = 0; j < H; j++)
        {
            double h = h1[j];
            double dz = dh1[j] * (1.0 - h * h);
            g[B1 + j] = dz;
            Span<double> grow = g.Slice(j * I, I);
            for (int i = 0; i < grow.Length; i++)
            {
                grow[i] = dz * x[i];
            }
        }

        return e * e;
    }
}
