using System;
using SymGrad.Benchmarks.Models;

namespace SymGrad.Benchmarks.Peers;

/// <summary>
/// The alternatives to SymGrad for the 2-8-8-1 model. Weights live in one array in gradient order
/// (see <see cref="Mlp"/>): w1_i_j at 3j + i, b1_j at 3j + 2, w2_j_k at 24 + 9k + j, b2_k at 24 + 9k + 8,
/// w3_k at 96 + k, b3 at 104.
/// </summary>
public static class MlpPeers
{
    private const int H = 8;
    private const int Layer2 = 24;
    private const int Layer3 = 96;
    private const int B3 = 104;

    /// <summary>
    /// Hand-written reverse mode (backpropagation) over arrays: one forward pass keeping the activations,
    /// one backward pass; tanh′ = 1 − h², σ′ = o(1 − o).
    /// </summary>
    public static double HandWritten(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient)
    {
        if (p.Length < Mlp.ParameterCount || gradient.Length < Mlp.ParameterCount)
        {
            throw new ArgumentException("Expected 105 parameters.");
        }

        Span<double> h1 = stackalloc double[H];
        Span<double> h2 = stackalloc double[H];
        for (int j = 0; j < H; j++)
        {
            h1[j] = Math.Tanh(p[3 * j] * x1 + p[3 * j + 1] * x2 + p[3 * j + 2]);
        }

        double z3 = p[B3];
        for (int k = 0; k < H; k++)
        {
            int row = Layer2 + 9 * k;
            double z = p[row + 8];
            for (int j = 0; j < H; j++)
            {
                z += p[row + j] * h1[j];
            }

            h2[k] = Math.Tanh(z);
            z3 += p[Layer3 + k] * h2[k];
        }

        double o = SymMath.Sigmoid(z3);
        double e = y - o;

        // Backward: δ3 = ∂L/∂z3, δ2_k = ∂L/∂z2_k, δ1_j = ∂L/∂z1_j.
        double delta3 = -2.0 * e * o * (1.0 - o);
        gradient[B3] = delta3;
        Span<double> dh1 = stackalloc double[H];
        dh1.Clear();
        for (int k = 0; k < H; k++)
        {
            gradient[Layer3 + k] = delta3 * h2[k];
            double delta2 = delta3 * p[Layer3 + k] * (1.0 - h2[k] * h2[k]);
            int row = Layer2 + 9 * k;
            gradient[row + 8] = delta2;
            for (int j = 0; j < H; j++)
            {
                gradient[row + j] = delta2 * h1[j];
                dh1[j] += delta2 * p[row + j];
            }
        }

        for (int j = 0; j < H; j++)
        {
            double delta1 = dh1[j] * (1.0 - h1[j] * h1[j]);
            gradient[3 * j] = delta1 * x1;
            gradient[3 * j + 1] = delta1 * x2;
            gradient[3 * j + 2] = delta1;
        }

        return e * e;
    }

    /// <summary>
    /// The same backprop with tanh, tanh′, σ and σ′ from the runtime's fused <c>SymMath.Tanh(z, out d)</c> and
    /// <c>SymMath.Sigmoid(z, out d)</c> (accurate at saturation), the functions the generated code calls.
    /// </summary>
    public static double HandWrittenStableDerivative(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient)
    {
        if (p.Length < Mlp.ParameterCount || gradient.Length < Mlp.ParameterCount)
        {
            throw new ArgumentException("Expected 105 parameters.");
        }

        Span<double> h1 = stackalloc double[H];
        Span<double> d1 = stackalloc double[H]; // tanh′ of layer 1
        Span<double> d2 = stackalloc double[H]; // tanh′ of layer 2
        Span<double> h2 = stackalloc double[H];
        for (int j = 0; j < H; j++)
        {
            h1[j] = SymMath.Tanh(p[3 * j] * x1 + p[3 * j + 1] * x2 + p[3 * j + 2], out d1[j]);
        }

        double z3 = p[B3];
        for (int k = 0; k < H; k++)
        {
            int row = Layer2 + 9 * k;
            double z = p[row + 8];
            for (int j = 0; j < H; j++)
            {
                z += p[row + j] * h1[j];
            }

            h2[k] = SymMath.Tanh(z, out d2[k]);
            z3 += p[Layer3 + k] * h2[k];
        }

        double o = SymMath.Sigmoid(z3, out double d3);
        double e = y - o;

        // Backward: δ3 = ∂L/∂z3, δ2_k = ∂L/∂z2_k, δ1_j = ∂L/∂z1_j.
        double delta3 = -2.0 * e * d3;
        gradient[B3] = delta3;
        Span<double> dh1 = stackalloc double[H];
        dh1.Clear();
        for (int k = 0; k < H; k++)
        {
            gradient[Layer3 + k] = delta3 * h2[k];
            double delta2 = delta3 * p[Layer3 + k] * d2[k];
            int row = Layer2 + 9 * k;
            gradient[row + 8] = delta2;
            for (int j = 0; j < H; j++)
            {
                gradient[row + j] = delta2 * h1[j];
                dh1[j] += delta2 * p[row + j];
            }
        }

        for (int j = 0; j < H; j++)
        {
            double delta1 = dh1[j] * d1[j];
            gradient[3 * j] = delta1 * x1;
            gradient[3 * j + 1] = delta1 * x2;
            gradient[3 * j + 2] = delta1;
        }

        return e * e;
    }

    /// <summary>
    /// Central differences through the scalar-parameter model: 2·105 + 1 = 211 evaluations.
    /// <paramref name="scratch"/> (≥ 105 long) holds the perturbed weights.
    /// </summary>
    public static double FiniteDifferences(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient, Span<double> scratch)
    {
        p[..Mlp.ParameterCount].CopyTo(scratch);
        for (int i = 0; i < Mlp.ParameterCount; i++)
        {
            double pi = p[i];
            double h = 6.0554544523933395e-6 * Math.Max(1.0, Math.Abs(pi));
            scratch[i] = pi + h;
            double plus = Mlp.Loss(x1, x2, y, scratch);
            scratch[i] = pi - h;
            double minus = Mlp.Loss(x1, x2, y, scratch);
            scratch[i] = pi;
            gradient[i] = (plus - minus) / (2.0 * h);
        }

        return Mlp.Loss(x1, x2, y, p);
    }

    /// <summary>
    /// Forward mode: the model written over dual numbers, evaluated once per parameter with that
    /// parameter's tangent set to 1 (105 passes). <paramref name="scratch"/> (≥ 105 long) holds the dual weights.
    /// </summary>
    public static double DualNumbers(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient, Span<Dual<double>> scratch)
    {
        for (int i = 0; i < Mlp.ParameterCount; i++)
        {
            scratch[i] = p[i];
        }

        double value = 0.0;
        for (int i = 0; i < Mlp.ParameterCount; i++)
        {
            scratch[i] = new Dual<double>(p[i], 1.0);
            Dual<double> r = LossDual<double>(x1, x2, y, scratch);
            scratch[i] = p[i];
            gradient[i] = r.Tangent;
            value = r.Value;
        }

        return value;
    }

    /// <summary>The 2-8-8-1 loss written over dual-number weights, as a user of forward mode would write it.</summary>
    public static Dual<T> LossDual<T>(T x1, T x2, T y, ReadOnlySpan<Dual<T>> p)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Span<Dual<T>> h1 = stackalloc Dual<T>[H];
        for (int j = 0; j < H; j++)
        {
            h1[j] = Dual.Tanh(p[3 * j] * x1 + p[3 * j + 1] * x2 + p[3 * j + 2]);
        }

        Dual<T> z3 = p[B3];
        for (int k = 0; k < H; k++)
        {
            int row = Layer2 + 9 * k;
            Dual<T> z = p[row + 8];
            for (int j = 0; j < H; j++)
            {
                z += p[row + j] * h1[j];
            }

            z3 += p[Layer3 + k] * Dual.Tanh(z);
        }

        Dual<T> e = y - Dual.Sigmoid(z3);
        return e * e;
    }
}
