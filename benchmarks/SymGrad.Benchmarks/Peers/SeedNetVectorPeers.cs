using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymGrad.Benchmarks.Peers;

/// <summary>
/// What a speed-minded engineer writes by hand for the seed network's batched gradient: Vector512 over the samples,
/// .NET's vector <c>Exp</c>, the textbook σ(1 − σ) derivative (branch-free, no care for saturation), and a scalar tail.
/// The yardstick of SymGrad's <c>LossBatchGradient</c>.
/// </summary>
public static class SeedNetVectorPeers
{
    /// <summary>Σ loss over the samples; writes Σ ∂loss/∂(w2, b2, w3, b3) into <paramref name="sum"/>.</summary>
    public static double HandVector512(double[] x, double[] y, ReadOnlySpan<double> p, Span<double> sum)
    {
        double w2 = p[0], b2 = p[1], w3 = p[2], b3 = p[3];
        Vector512<double> vw2 = Vector512.Create(w2), vb2 = Vector512.Create(b2), vw3 = Vector512.Create(w3), vb3 = Vector512.Create(b3);
        Vector512<double> one = Vector512<double>.One, two = Vector512.Create(2.0);
        Vector512<double> loss = default, gw2 = default, gb2 = default, gw3 = default, gb3 = default;
        ref double rx = ref MemoryMarshal.GetArrayDataReference(x);
        ref double ry = ref MemoryMarshal.GetArrayDataReference(y);
        int n = Math.Min(x.Length, y.Length);
        int i = 0;
        for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
        {
            Vector512<double> xv = Vector512.LoadUnsafe(ref rx, (nuint)i);
            Vector512<double> yv = Vector512.LoadUnsafe(ref ry, (nuint)i);
            Vector512<double> a2 = one / (one + Vector512.Exp(-(vw2 * xv + vb2)));
            Vector512<double> a3 = one / (one + Vector512.Exp(-(vw3 * a2 + vb3)));
            Vector512<double> e = yv - a3;
            loss += e * e;
            Vector512<double> d3 = -two * e * a3 * (one - a3);
            gw3 += d3 * a2;
            gb3 += d3;
            Vector512<double> d2 = d3 * vw3 * a2 * (one - a2);
            gw2 += d2 * xv;
            gb2 += d2;
        }

        double l = Vector512.Sum(loss), s0 = Vector512.Sum(gw2), s1 = Vector512.Sum(gb2), s2 = Vector512.Sum(gw3), s3 = Vector512.Sum(gb3);
        for (; i < n; i++)
        {
            double a2 = 1.0 / (1.0 + Math.Exp(-((w2 * x[i]) + b2)));
            double a3 = 1.0 / (1.0 + Math.Exp(-((w3 * a2) + b3)));
            double e = y[i] - a3;
            l += e * e;
            double d3 = -2.0 * e * a3 * (1.0 - a3);
            s2 += d3 * a2;
            s3 += d3;
            double d2 = d3 * w3 * a2 * (1.0 - a2);
            s0 += d2 * x[i];
            s1 += d2;
        }

        sum[0] = s0;
        sum[1] = s1;
        sum[2] = s2;
        sum[3] = s3;
        return l;
    }
}
