using System;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Programs;

/// <summary>Programs the loop fuzzer found wrong (or not compiling) before they were fixed, kept as oracle tests.</summary>
public static partial class FuzzFoundModels
{
    /// <summary>A switch on a counter stepped earlier in the iteration: the later case tests saw it stepped twice.</summary>
    [Differentiable]
    public static double SwitchAfterUpdate(double[] p)
    {
        double s = 0;
        int step = 0;
        while (step < 6)
        {
            step++;
            switch (step % 3)
            {
                case 1:
                    s += p[0] * step;
                    break;
                case 2:
                    s += p[1] * p[1];
                    break;
                default:
                    s += Math.Sin(p[2]);
                    break;
            }
        }

        return s;
    }

    /// <summary>Math.Sign returns an int: usable as an index (was CS0266 in the generated code); it is piecewise constant (SG0101) as anywhere.</summary>
    [Differentiable]
    public static double SignIndex(double[] p)
    {
#pragma warning disable SG0101 // no gradient flows through the sign: intended, it only picks an element
        int k = Math.Sign(p[0]) + 1;
#pragma warning restore SG0101
        return (p[k] * p[k]) + k;
    }

    /// <summary>A buffer declared inside a loop (saved whole each iteration) and a scalar saved after it.</summary>
    [Differentiable(Hessian = true)]
    public static double BufferInLoop(double[] p)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++)
        {
            var t = new double[2];
            t[0] = p[i];
            t[1] = s;
            s = (s * 0.5) + Math.Sin((t[0] * t[1]) + t[0]);
        }

        return s;
    }

    /// <summary>A loop with break and a nested switch inside a switch section (was SG0001: their jumps were counted as the section's).</summary>
    [Differentiable]
    public static double NestedInSection(double[] p, int mode)
    {
        double s = 0;
        switch (mode)
        {
            case 1:
                for (int i = 0; i < p.Length; i++)
                {
                    if (p[i] < 0)
                    {
                        break;
                    }

                    s += p[i] * p[i];
                }

                switch (mode + 1)
                {
                    case 2:
                        s *= 2;
                        break;
                    default:
                        s += 1;
                        break;
                }

                break;
            default:
                s = p[0];
                break;
        }

        return s;
    }

    /// <summary>
    /// A helper call after a subexpression that reads a pending update (value − 1): the helper's blocks must not make
    /// that subexpression read the update twice.
    /// </summary>
    [Differentiable]
    public static double PendingBeforeCall(double value)
    {
        value -= 1.0;
        if ((value * value) + Identity(value, 1.0) <= 1.0)
        {
            return 1.0;
        }

        return value;
    }

    private static double Identity(double p0, double p1 = 2.0) => p0 + (0 * p1);

    /// <summary>foreach over a buffer the body writes: the element is read before the hidden index steps.</summary>
    [Differentiable]
    public static double ForEachOverWrittenBuffer(double[] x)
    {
        double[] acts = new double[3];
        acts[0] = x[0];
        acts[2] = x[1];
        double s = 0;
        foreach (double a in acts)
        {
            acts[1] = a * 2;
            s += a * acts[1];
        }

        return s;
    }

    /// <summary>Hypot at the origin (a partial 0/0) reached by a zero tangent: the Hessian must stay finite.</summary>
    [Differentiable(Hessian = true)]
    public static double HypotOfUnwrittenElement(double[] x, [Wrt] double c)
    {
        double[] buf = new double[2];
        for (int j = 0; j < 2; j++)
        {
            buf[j] = (c * c) + SymMath.Hypot(j, buf[0]);
        }

        return buf[1] + (0 * x[0]);
    }

    /// <summary>A parameter named like the generated code's tape.</summary>
    [Differentiable]
    public static double NamedTape(double[] tape)
    {
        double s = 0;
        for (int i = 0; i < tape.Length; i++)
        {
            s = (s * tape[i]) + 1;
        }

        return s;
    }

    /// <summary>A store in a nested loop with a local read by it: the HVP's tangent store keeps its index.</summary>
    [Differentiable(Hessian = true)]
    public static double StoreInNestedLoop(double[] x)
    {
        double[] p = new double[x.Length];
        for (int j = 0; j < 2; j++)
        {
            double w = x[j] * 2;
            for (int k = 0; k < p.Length; k++)
            {
                p[k] += Math.Sin(p[k] + (w * x[k]));
            }
        }

        double s = 0;
        foreach (double v in p)
        {
            s += v * v;
        }

        return s;
    }
}

public sealed class FuzzFoundTests
{
    private static readonly double[] X = { 0.3, 0.7, -0.4, 0.9, 0.2 };

    private delegate double Gradient(double[] p, Span<double> g);

    private static void Check(Func<double[], double> f, Gradient gradient, double[] x)
    {
        double[] g = new double[x.Length];
        double value = gradient(x, g);
        Oracle.AssertClose(f(x), value, 1e-14, 1e-14, "value");
        Oracle.AssertClose(Oracle.Gradient(f, x), g, 1e-7, 1e-8);
    }

    [Fact]
    public void Switch_on_a_counter_stepped_before_it() => Check(FuzzFoundModels.SwitchAfterUpdate, (p, g) => FuzzFoundModels.SwitchAfterUpdateGradient(p, g), X);

    [Theory]
    [InlineData(0.3)]
    [InlineData(-0.3)]
    public void Sign_as_an_index(double first) => Check(FuzzFoundModels.SignIndex, (p, g) => FuzzFoundModels.SignIndexGradient(p, g), new[] { first, 0.7, -0.4 });

    [Fact]
    public void Buffer_declared_in_a_loop_and_a_saved_scalar()
    {
        Check(FuzzFoundModels.BufferInLoop, (p, g) => FuzzFoundModels.BufferInLoopGradient(p, g), X);
        double[] h = new double[25];
        FuzzFoundModels.BufferInLoopHessian(X, new double[5], h);
        Oracle.AssertClose(Oracle.Hessian(FuzzFoundModels.BufferInLoop, X), h, 1e-6, 1e-6, context: "Hessian");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void A_loop_and_a_switch_inside_a_switch_section(int mode)
        => Check(p => FuzzFoundModels.NestedInSection(p, mode), (p, g) => FuzzFoundModels.NestedInSectionGradient(p, mode, g), X);

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.7)]
    [InlineData(2.5)]
    public void A_helper_call_after_a_pending_update(double x)
        => Check(p => FuzzFoundModels.PendingBeforeCall(p[0]), (p, g) => FuzzFoundModels.PendingBeforeCallGradient(p[0], g), new[] { x });

    [Fact]
    public void Foreach_over_a_buffer_the_body_writes()
        => Check(FuzzFoundModels.ForEachOverWrittenBuffer, (p, g) => FuzzFoundModels.ForEachOverWrittenBufferGradient(p, g), new[] { 0.7, -1.3 });

    [Fact]
    public void A_zero_tangent_through_a_partial_that_is_not_finite()
    {
        // f = c² + hypot(1, c²): f′ = 2c + 2c³/√(1 + c⁴), f″ = 2 + (6c²(1 + c⁴) − 4c⁶)/(1 + c⁴)^(3/2).
        double c = 0.4, q = 1 + Math.Pow(c, 4);
        double[] g = new double[1], h = new double[1];
        FuzzFoundModels.HypotOfUnwrittenElementHessian(new[] { 1.0 }, c, g, h);
        Oracle.AssertClose((2 * c) + (2 * Math.Pow(c, 3) / Math.Sqrt(q)), g[0], 1e-14, 1e-14, "gradient");
        Oracle.AssertClose(2 + (((6 * c * c * q) - (4 * Math.Pow(c, 6))) / Math.Pow(q, 1.5)), h[0], 1e-13, 1e-13, "Hessian");
    }

    [Fact]
    public void A_parameter_named_tape() => Check(FuzzFoundModels.NamedTape, (p, g) => FuzzFoundModels.NamedTapeGradient(p, g), X);

    [Fact]
    public void Hessian_of_a_store_in_a_nested_loop()
    {
        Check(FuzzFoundModels.StoreInNestedLoop, (p, g) => FuzzFoundModels.StoreInNestedLoopGradient(p, g), X);
        double[] h = new double[25];
        FuzzFoundModels.StoreInNestedLoopHessian(X, new double[5], h);
        Oracle.AssertClose(Oracle.Hessian(FuzzFoundModels.StoreInNestedLoop, X), h, 1e-6, 1e-6, context: "Hessian");
    }
}
