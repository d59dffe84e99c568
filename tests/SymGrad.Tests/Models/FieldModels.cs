using System;
using SymGrad;

namespace SymGrad.Tests.Models;

/// <summary>A model whose weights are fields: a line fitted by squared error.</summary>
public partial class LineModel
{
    [Param] public double Slope;
    [Param] public double Intercept;

    /// <summary>Not a [Param]: a constant of the model (read as data would be an error).</summary>
    public const double Scale = 1.0;

    [Differentiable]
    public double Loss(double x, double y)
    {
        double e = (Scale * Slope * x) + this.Intercept - y;
        return e * e;
    }
}

/// <summary>A one-hidden-layer net whose weights are an array field and a scalar field, with a Hessian.</summary>
public partial class TanhUnit
{
    [Param] public double[] Weights = new double[3];
    [Param] public double Bias;

    [Differentiable(Hessian = true)]
    public double Output(ReadOnlySpan<double> x, double target)
    {
        double z = Bias;
        for (int i = 0; i < x.Length; i++)
        {
            z += Weights[i] * x[i];
        }

        double e = Math.Tanh(z) - target;
        return 0.5 * e * e;
    }
}

/// <summary>Static [Param] fields read by a static method.</summary>
public static partial class StaticCurve
{
    [Param] public static double A = 1.0;
    [Param] public static double K = 0.5;

    [Differentiable]
    public static double Fit(double t, double y)
    {
        double e = (A * Math.Exp(-K * t)) - y;
        return e * e;
    }

    /// <summary>Reads no [Param] field: an ordinary method, its own parameter differentiated.</summary>
    [Differentiable]
    public static double Square(double x) => x * x;

    /// <summary>Reads no [Param] field, in program mode.</summary>
    [Differentiable]
    public static double SumOfSquares(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * v[i];
        }

        return s;
    }

    /// <summary>Reads A only through a helper: still a field model.</summary>
    [Differentiable]
    public static double ThroughHelper(double t) => (Scaled(t) * Scaled(t)) + K;

    private static double Scaled(double t) => A * t;
}

/// <summary>A 1-4-1 tanh net over scalar data: array fields read in loops (program mode) with double data, so it gets the sample-by-sample batch members.</summary>
public partial class SineNet
{
    [Param] public double[] W1 = new double[4];
    [Param] public double[] B1 = new double[4];
    [Param] public double[] W2 = new double[4];
    [Param] public double B2;

    [Differentiable]
    public double Loss(double x, double y)
    {
        double output = B2;
        for (int j = 0; j < W1.Length; j++)
        {
            output += W2[j] * Math.Tanh(W1[j] * x + B1[j]);
        }

        double e = output - y;
        return e * e;
    }
}

/// <summary>A field model reading its other fields: a size (int), a penalty weight (double) and a mask (int[]) in program mode.</summary>
public partial class MaskedNet
{
    [Param] public double[] W;
    [Param] public double Bias;
    public readonly int Hidden;
    public double Lambda = 0.05;
    public int[] Mask;

    public MaskedNet(int hidden, int inputs)
    {
        Hidden = hidden;
        W = new double[hidden * inputs];
        Mask = new int[hidden];
        for (int i = 0; i < W.Length; i++)
        {
            W[i] = 0.3 * Math.Sin(i + 1);
        }

        for (int h = 0; h < hidden; h++)
        {
            Mask[h] = h % 3 == 2 ? 0 : 1;
        }
    }

    [Differentiable]
    public double Loss(double[] x, double y)
    {
        double s = Bias;
        for (int h = 0; h < Hidden; h++)
        {
            if (Mask[h] == 0)
            {
                continue;
            }

            double z = 0;
            for (int j = 0; j < x.Length; j++)
            {
                z += W[(h * x.Length) + j] * x[j];
            }

            s += Math.Tanh(z);
        }

        double penalty = 0;
        for (int i = 0; i < W.Length; i++)
        {
            penalty += W[i] * W[i];
        }

        return ((s - y) * (s - y)) + (Lambda * penalty);
    }
}

/// <summary>A scalar field model reading a double field that is not trained (scalar mode, its objective holds it).</summary>
public partial class ScaledLine
{
    [Param] public double Slope;
    [Param] public double Intercept;
    public double Scale = 2.0;

    [Differentiable]
    public double Loss(double x, double y)
    {
        double e = (Scale * Slope * x) + Intercept - y;
        return e * e;
    }
}
