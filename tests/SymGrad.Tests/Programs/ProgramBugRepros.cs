using System;
using SymGrad;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Minimal reproductions of program-mode generator bugs found by <see cref="ProgramGradientTests"/>: each builds, but
/// its generated gradient (or value) is wrong. Their tests are skipped until the generator is fixed.
/// </summary>
public static partial class ProgramBugRepros
{
    private static double Sum(ReadOnlySpan<double> a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i];
        }

        return s;
    }

    /// <summary>Sum(u) + 10·Sum(v): the generated code returns 11·Sum(v) (both calls read the helper's last local s).</summary>
    [Differentiable]
    public static double HelperCalledTwice(double[] u, double[] v) => Sum(u) + (10 * Sum(v));

    /// <summary>The same with another [Differentiable] method as the callee: Total(u) + 10·Total(v) gives 11·Total(v).</summary>
    [Differentiable]
    public static double Total(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += x[i];
        }

        return s;
    }

    /// <summary>Calls <see cref="Total"/> twice.</summary>
    [Differentiable]
    public static double DifferentiableCalledTwice(double[] u, double[] v) => Total(u) + (10 * Total(v));

    /// <summary>
    /// Σ_t w^(2t) for t = 1..n: the loop saves the scalar a (pushed first) and h[0] (pushed before its store), but
    /// the reverse sweep pops a first, so a and h[0] are swapped.
    /// </summary>
    [Differentiable]
    public static double SavedScalarAndStore(double[] w, int n)
    {
        var h = new double[1];
        h[0] = 1;
        double s = 0;
        for (int t = 0; t < n; t++)
        {
            double a = w[0] * h[0];
            h[0] = a;
            s += a * a;
        }

        return s;
    }

    /// <summary>a^(2ⁿ): the loop reads the parameter a on every iteration instead of the value assigned to it.</summary>
    [Differentiable]
    public static double ParameterAssignedInLoop(double a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            a = a * a;
        }

        return a;
    }

    /// <summary>n &gt; 0 ? a² : a: the assignment in the branch is lost after it.</summary>
    [Differentiable]
    public static double ParameterAssignedInBranch(double a, int n)
    {
        if (n > 0)
        {
            a = a * a;
        }

        return a;
    }

    /// <summary>
    /// Σᵢ (x[i+1]² + x[i]²) over consecutive pairs, the loop bound i + 1 &lt; n sharing i + 1 with the body: the
    /// generated loop computed i + 1 once, before the loop, so its condition never changed (it ran past the array).
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double ConsecutivePairs(double[] x)
    {
        double s = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double d = Math.Sqrt((x[i + 1] * x[i + 1]) + (x[i] * x[i]));
            s += d * d;
        }

        return s + (0.1 * x[0]);
    }

    /// <summary>A while loop whose condition 2k + 1 &lt; n also indexes the body (the same bug, another shape).</summary>
    [Differentiable]
    public static double OddStrides(double[] x)
    {
        double s = 0;
        int k = 0;
        while ((2 * k) + 1 < x.Length)
        {
            s += x[(2 * k) + 1] * Math.Exp(x[2 * k]);
            k++;
        }

        return s;
    }

    /// <summary>
    /// A comparison of values that are equal in exact arithmetic but not in floating point: the stability rewrite
    /// log(exp(w)) → w made the generated branch differ from the method's where the two sides round apart.
    /// </summary>
    [Differentiable]
    public static double RoundTripBranch(double w) => Math.Log(Math.Exp(w)) == w ? w * w : 2 * w;

    /// <summary>
    /// A square root at 0 computed in a statement before the branch that would use it, the branch not taken: its
    /// adjoint is 0 and its derivative ∞, and 0·∞ was NaN in the gradient (found by the loop fuzzer).
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double RootUnused(double[] x, bool use)
    {
        double r = Math.Sqrt(x[0] * x[1]);
        double result = x[0] * x[0];
        if (use)
        {
            result += r;
        }

        return result;
    }

    /// <summary>The same through a helper with a loop in the arm of a ?: that is not taken (a cube root at 0).</summary>
    [Differentiable]
    public static double CubeRootInArm(int k, double[] x, int[] perm) => perm[0] > 0 ? CubeRoots(x) : k * x[0];

    private static double CubeRoots(ReadOnlySpan<double> q)
    {
        double[] tmp = new double[q.Length];
        for (int r = 0; r < q.Length; r++)
        {
            tmp[r] = Math.Cbrt(r * q[0]);
        }

        return tmp[0];
    }
}
