using System;
using MathNet.Numerics.LinearAlgebra;

namespace SymGrad.Runtime.Tests;

internal static class TestData
{
    /// <summary>y = 2·x1 − 3·x2 + 0.5 + noise, deterministic (System.Random with a fixed seed).</summary>
    public static RegressionSample[] Regression(int count, double noise, int seed = 1)
    {
        var random = new Random(seed);
        var data = new RegressionSample[count];
        for (int i = 0; i < count; i++)
        {
            double x1 = random.NextDouble() * 2 - 1;
            double x2 = random.NextDouble() * 2 - 1;
            double e = noise * (random.NextDouble() * 2 - 1);
            data[i] = new RegressionSample(x1, x2, 2 * x1 - 3 * x2 + 0.5 + e);
        }

        return data;
    }

    /// <summary>The least-squares solution from the normal equations (XᵀX)β = Xᵀy, solved by Math.NET's QR — an oracle independent of the optimizers.</summary>
    public static double[] LeastSquares(RegressionSample[] data)
    {
        var x = Matrix<double>.Build.Dense(data.Length, 3, (i, j) => j switch { 0 => data[i].x1, 1 => data[i].x2, _ => 1.0 });
        var y = Vector<double>.Build.Dense(data.Length, i => data[i].y);
        return x.TransposeThisAndMultiply(x).QR().Solve(x.TransposeThisAndMultiply(y)).ToArray();
    }

    /// <summary>Two overlapping Gaussian-ish classes: not separable, so the regularised optimum is interior.</summary>
    public static LabeledSample[] Classification(int count, int seed = 2)
    {
        var random = new Random(seed);
        var data = new LabeledSample[count];
        for (int i = 0; i < count; i++)
        {
            double label = i % 2;
            double shift = label == 1 ? 0.7 : -0.7;
            double x1 = shift + (random.NextDouble() + random.NextDouble() - 1) * 2;
            double x2 = -shift + (random.NextDouble() + random.NextDouble() - 1) * 2;
            data[i] = new LabeledSample(x1, 3 * x2, label);
        }

        return data;
    }

    public static bool BitEqual(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An IProgress that records synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    public sealed class Recorder<T> : IProgress<T>
    {
        public System.Collections.Generic.List<T> Items { get; } = new();

        public void Report(T value) => Items.Add(value);
    }
}
