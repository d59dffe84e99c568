using System;

namespace SymGrad.Benchmarks.Peers;

/// <summary>
/// A frozen copy of <c>SymMath.Sigmoid(x, out σ′)</c> as it was before issue 11 (commit 95755c6): it branches on the
/// sign of x, which mispredicts on random inputs. Kept only so the benchmarks can time the generated code's old
/// runtime call beside the new one in the same run; nothing else uses it.
/// </summary>
public static class PreIssue11SymMath
{
    /// <summary>σ(x) and σ′(x), one exponential, branching on the sign of x.</summary>
    public static double Sigmoid(double x, out double derivative)
    {
        if (x >= 0)
        {
            double e = Math.Exp(-x);
            double s = 1.0 / (1.0 + e);
            derivative = e * s * s;
            return s;
        }
        else
        {
            double e = Math.Exp(x);
            double r = 1.0 / (1.0 + e);
            derivative = e * r * r;
            return e / (1.0 + e);
        }
    }
}
