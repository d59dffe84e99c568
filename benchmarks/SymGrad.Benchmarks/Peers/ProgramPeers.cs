using System;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// Bundle adjustment, one observation (ADBench's reprojection error, squared): one forward pass keeping every
    /// intermediate in a local, then one reverse pass through the same Rodrigues branch; gradient layout cam (11), X (3),
    /// w, every slot written once.
    /// </summary>
    public static double BundleAdjustment(ReadOnlySpan<double> cam, ReadOnlySpan<double> X, double w, double featX, double featY, Span<double> gradient) =>
        BundleAdjustmentCore(cam, X, w, featX, featY, gradient, sinCos: true);

    /// <summary>
    /// Diagnostic: <see cref="BundleAdjustment"/> with <c>Math.Sin</c> and <c>Math.Cos</c> called separately, as the model
    /// (and so the generated code) calls them, instead of one <c>Math.SinCos</c>.
    /// </summary>
    public static double BundleAdjustmentSeparateSinCos(ReadOnlySpan<double> cam, ReadOnlySpan<double> X, double w, double featX, double featY, Span<double> gradient) =>
        BundleAdjustmentCore(cam, X, w, featX, featY, gradient, sinCos: false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double BundleAdjustmentCore(ReadOnlySpan<double> cam, ReadOnlySpan<double> X, double w, double featX, double featY, Span<double> gradient, bool sinCos)
    {
        ReadOnlySpan<double> c = cam[..11];
        ReadOnlySpan<double> pt = X[..3];
        Span<double> g = gradient[..15];

        // Forward.
        double x0 = pt[0] - c[3];
        double x1 = pt[1] - c[4];
        double x2 = pt[2] - c[5];
        double r0 = c[0];
        double r1 = c[1];
        double r2 = c[2];
        double theta2 = r0 * r0 + r1 * r1 + r2 * r2;
        bool full = theta2 != 0;
        double p0, p1, p2;
        double theta = 0, cosT = 0, sinT = 0, inv = 0, w0 = 0, w1 = 0, w2 = 0, k0 = 0, k1 = 0, k2 = 0, dot = 0, om = 0, tmp = 0;
        if (full)
        {
            theta = Math.Sqrt(theta2);
            if (sinCos)
            {
                (sinT, cosT) = Math.SinCos(theta);
            }
            else
            {
                sinT = Math.Sin(theta);
                cosT = Math.Cos(theta);
            }

            inv = 1.0 / theta;
            w0 = r0 * inv;
            w1 = r1 * inv;
            w2 = r2 * inv;
            k0 = w1 * x2 - w2 * x1;
            k1 = w2 * x0 - w0 * x2;
            k2 = w0 * x1 - w1 * x0;
            dot = w0 * x0 + w1 * x1 + w2 * x2;
            om = 1.0 - cosT;
            tmp = dot * om;
            p0 = x0 * cosT + k0 * sinT + w0 * tmp;
            p1 = x1 * cosT + k1 * sinT + w1 * tmp;
            p2 = x2 * cosT + k2 * sinT + w2 * tmp;
        }
        else
        {
            p0 = x0 + (r1 * x2 - r2 * x1);
            p1 = x1 + (r2 * x0 - r0 * x2);
            p2 = x2 + (r0 * x1 - r1 * x0);
        }

        double iz = 1.0 / p2;
        double u = p0 * iz;
        double v = p1 * iz;
        double rsq = u * u + v * v;
        double ka = c[9];
        double kb = c[10];
        double l = 1.0 + ka * rsq + kb * rsq * rsq;
        double f = c[6];
        double du = u * l;
        double dv = v * l;
        double d0 = du * f + c[7] - featX;
        double d1 = dv * f + c[8] - featY;
        double e0 = w * d0;
        double e1 = w * d1;

        // Reverse: ∂/∂e = 2e, then back through the projection.
        double ge0 = 2.0 * e0;
        double ge1 = 2.0 * e1;
        g[14] = ge0 * d0 + ge1 * d1;
        double gq0 = ge0 * w;
        double gq1 = ge1 * w;
        g[7] = gq0;
        g[8] = gq1;
        g[6] = gq0 * du + gq1 * dv;
        double gdu = gq0 * f;
        double gdv = gq1 * f;
        double gl = gdu * u + gdv * v;
        g[9] = gl * rsq;
        g[10] = gl * rsq * rsq;
        double grsq2 = 2.0 * gl * (ka + 2.0 * kb * rsq);
        double gu = gdu * l + grsq2 * u;
        double gv = gdv * l + grsq2 * v;
        double gp0 = gu * iz;
        double gp1 = gv * iz;
        double gp2 = -(gp0 * u + gp1 * v);

        double gx0, gx1, gx2, gr0, gr1, gr2;
        if (full)
        {
            // p = x·cos θ + k·sin θ + w·tmp, k = w × x, tmp = (w·x)(1 − cos θ), w = r/θ.
            double gk0 = gp0 * sinT;
            double gk1 = gp1 * sinT;
            double gk2 = gp2 * sinT;
            double gtmp = gp0 * w0 + gp1 * w1 + gp2 * w2;
            double gdot = gtmp * om;
            double gcos = gp0 * x0 + gp1 * x1 + gp2 * x2 - gtmp * dot;
            double gsin = gp0 * k0 + gp1 * k1 + gp2 * k2;
            // x: direct, through w·x, through w × x (gk × w).
            gx0 = gp0 * cosT + gdot * w0 + (gk1 * w2 - gk2 * w1);
            gx1 = gp1 * cosT + gdot * w1 + (gk2 * w0 - gk0 * w2);
            gx2 = gp2 * cosT + gdot * w2 + (gk0 * w1 - gk1 * w0);
            // w: through tmp, w·x and w × x (x × gk).
            double gw0 = gp0 * tmp + gdot * x0 + (x1 * gk2 - x2 * gk1);
            double gw1 = gp1 * tmp + gdot * x1 + (x2 * gk0 - x0 * gk2);
            double gw2 = gp2 * tmp + gdot * x2 + (x0 * gk1 - x1 * gk0);
            // θ: through 1/θ, cos θ and sin θ; then θ² = r·r, so ∂/∂r gets 2r·∂/∂θ² = r·∂/∂θ / θ.
            double gtheta = -(gw0 * r0 + gw1 * r1 + gw2 * r2) * inv * inv - gcos * sinT + gsin * cosT;
            double gth = gtheta * inv;
            gr0 = gw0 * inv + r0 * gth;
            gr1 = gw1 * inv + r1 * gth;
            gr2 = gw2 * inv + r2 * gth;
        }
        else
        {
            // p = x + r × x: ∂/∂x = gp + gp × r, ∂/∂r = x × gp.
            gx0 = gp0 + (gp1 * r2 - gp2 * r1);
            gx1 = gp1 + (gp2 * r0 - gp0 * r2);
            gx2 = gp2 + (gp0 * r1 - gp1 * r0);
            gr0 = x1 * gp2 - x2 * gp1;
            gr1 = x2 * gp0 - x0 * gp2;
            gr2 = x0 * gp1 - x1 * gp0;
        }

        g[0] = gr0;
        g[1] = gr1;
        g[2] = gr2;
        g[3] = -gx0;
        g[4] = -gx1;
        g[5] = -gx2;
        g[11] = gx0;
        g[12] = gx1;
        g[13] = gx2;
        return e0 * e0 + e1 * e1;
    }
}
