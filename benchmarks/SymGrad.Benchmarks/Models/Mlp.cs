// Written by benchmarks/tools/gen_mlp.py; regenerate rather than edit by hand.
using SymGrad;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// A 2-8-8-1 network (tanh, tanh, sigmoid) with squared loss, every weight a scalar parameter:
/// h1_j = tanh(w1_0_j·x1 + w1_1_j·x2 + b1_j), h2_k = tanh(Σ_j w2_j_k·h1_j + b2_k),
/// o = σ(Σ_k w3_k·h2_k + b3), loss = (y − o)². 2·8+8 + 8·8+8 + 8+1 = 105 trainable parameters,
/// in the order <see cref="ParameterNames"/> lists them (the order of the gradient).
/// </summary>
public static partial class Mlp
{
    /// <summary>Number of trainable parameters.</summary>
    public const int ParameterCount = 105;

    /// <summary>Trainable parameters in declaration (= gradient) order.</summary>
    public static readonly string[] ParameterNames =
    [
        "w1_0_0", "w1_1_0", "b1_0", "w1_0_1", "w1_1_1", "b1_1", "w1_0_2", "w1_1_2", "b1_2", "w1_0_3", "w1_1_3", "b1_3",
        "w1_0_4", "w1_1_4", "b1_4", "w1_0_5", "w1_1_5", "b1_5", "w1_0_6", "w1_1_6", "b1_6", "w1_0_7", "w1_1_7", "b1_7",
        "w2_0_0", "w2_1_0", "w2_2_0", "w2_3_0", "w2_4_0", "w2_5_0", "w2_6_0", "w2_7_0", "b2_0", "w2_0_1", "w2_1_1",
        "w2_2_1", "w2_3_1", "w2_4_1", "w2_5_1", "w2_6_1", "w2_7_1", "b2_1", "w2_0_2", "w2_1_2", "w2_2_2", "w2_3_2",
        "w2_4_2", "w2_5_2", "w2_6_2", "w2_7_2", "b2_2", "w2_0_3", "w2_1_3", "w2_2_3", "w2_3_3", "w2_4_3", "w2_5_3",
        "w2_6_3", "w2_7_3", "b2_3", "w2_0_4", "w2_1_4", "w2_2_4", "w2_3_4", "w2_4_4", "w2_5_4", "w2_6_4", "w2_7_4",
        "b2_4", "w2_0_5", "w2_1_5", "w2_2_5", "w2_3_5", "w2_4_5", "w2_5_5", "w2_6_5", "w2_7_5", "b2_5", "w2_0_6",
        "w2_1_6", "w2_2_6", "w2_3_6", "w2_4_6", "w2_5_6", "w2_6_6", "w2_7_6", "b2_6", "w2_0_7", "w2_1_7", "w2_2_7",
        "w2_3_7", "w2_4_7", "w2_5_7", "w2_6_7", "w2_7_7", "b2_7", "w3_0", "w3_1", "w3_2", "w3_3", "w3_4", "w3_5",
        "w3_6", "w3_7", "b3",
    ];

    /// <summary>The loss of one sample (x1, x2, y).</summary>
    [Differentiable]
    public static double Loss(
        double x1, double x2, double y, [Wrt] double w1_0_0, [Wrt] double w1_1_0, [Wrt] double b1_0,
        [Wrt] double w1_0_1, [Wrt] double w1_1_1, [Wrt] double b1_1, [Wrt] double w1_0_2, [Wrt] double w1_1_2,
        [Wrt] double b1_2, [Wrt] double w1_0_3, [Wrt] double w1_1_3, [Wrt] double b1_3, [Wrt] double w1_0_4,
        [Wrt] double w1_1_4, [Wrt] double b1_4, [Wrt] double w1_0_5, [Wrt] double w1_1_5, [Wrt] double b1_5,
        [Wrt] double w1_0_6, [Wrt] double w1_1_6, [Wrt] double b1_6, [Wrt] double w1_0_7, [Wrt] double w1_1_7,
        [Wrt] double b1_7, [Wrt] double w2_0_0, [Wrt] double w2_1_0, [Wrt] double w2_2_0, [Wrt] double w2_3_0,
        [Wrt] double w2_4_0, [Wrt] double w2_5_0, [Wrt] double w2_6_0, [Wrt] double w2_7_0, [Wrt] double b2_0,
        [Wrt] double w2_0_1, [Wrt] double w2_1_1, [Wrt] double w2_2_1, [Wrt] double w2_3_1, [Wrt] double w2_4_1,
        [Wrt] double w2_5_1, [Wrt] double w2_6_1, [Wrt] double w2_7_1, [Wrt] double b2_1, [Wrt] double w2_0_2,
        [Wrt] double w2_1_2, [Wrt] double w2_2_2, [Wrt] double w2_3_2, [Wrt] double w2_4_2, [Wrt] double w2_5_2,
        [Wrt] double w2_6_2, [Wrt] double w2_7_2, [Wrt] double b2_2, [Wrt] double w2_0_3, [Wrt] double w2_1_3,
        [Wrt] double w2_2_3, [Wrt] double w2_3_3, [Wrt] double w2_4_3, [Wrt] double w2_5_3, [Wrt] double w2_6_3,
        [Wrt] double w2_7_3, [Wrt] double b2_3, [Wrt] double w2_0_4, [Wrt] double w2_1_4, [Wrt] double w2_2_4,
        [Wrt] double w2_3_4, [Wrt] double w2_4_4, [Wrt] double w2_5_4, [Wrt] double w2_6_4, [Wrt] double w2_7_4,
        [Wrt] double b2_4, [Wrt] double w2_0_5, [Wrt] double w2_1_5, [Wrt] double w2_2_5, [Wrt] double w2_3_5,
        [Wrt] double w2_4_5, [Wrt] double w2_5_5, [Wrt] double w2_6_5, [Wrt] double w2_7_5, [Wrt] double b2_5,
        [Wrt] double w2_0_6, [Wrt] double w2_1_6, [Wrt] double w2_2_6, [Wrt] double w2_3_6, [Wrt] double w2_4_6,
        [Wrt] double w2_5_6, [Wrt] double w2_6_6, [Wrt] double w2_7_6, [Wrt] double b2_6, [Wrt] double w2_0_7,
        [Wrt] double w2_1_7, [Wrt] double w2_2_7, [Wrt] double w2_3_7, [Wrt] double w2_4_7, [Wrt] double w2_5_7,
        [Wrt] double w2_6_7, [Wrt] double w2_7_7, [Wrt] double b2_7, [Wrt] double w3_0, [Wrt] double w3_1,
        [Wrt] double w3_2, [Wrt] double w3_3, [Wrt] double w3_4, [Wrt] double w3_5, [Wrt] double w3_6,
        [Wrt] double w3_7, [Wrt] double b3)
    {
        double h1_0 = SymMath.Tanh(w1_0_0 * x1 + w1_1_0 * x2 + b1_0);
        double h1_1 = SymMath.Tanh(w1_0_1 * x1 + w1_1_1 * x2 + b1_1);
        double h1_2 = SymMath.Tanh(w1_0_2 * x1 + w1_1_2 * x2 + b1_2);
        double h1_3 = SymMath.Tanh(w1_0_3 * x1 + w1_1_3 * x2 + b1_3);
        double h1_4 = SymMath.Tanh(w1_0_4 * x1 + w1_1_4 * x2 + b1_4);
        double h1_5 = SymMath.Tanh(w1_0_5 * x1 + w1_1_5 * x2 + b1_5);
        double h1_6 = SymMath.Tanh(w1_0_6 * x1 + w1_1_6 * x2 + b1_6);
        double h1_7 = SymMath.Tanh(w1_0_7 * x1 + w1_1_7 * x2 + b1_7);
        double h2_0 = SymMath.Tanh(w2_0_0 * h1_0 + w2_1_0 * h1_1 + w2_2_0 * h1_2 + w2_3_0 * h1_3 + w2_4_0 * h1_4 + w2_5_0 * h1_5 + w2_6_0 * h1_6 + w2_7_0 * h1_7 + b2_0);
        double h2_1 = SymMath.Tanh(w2_0_1 * h1_0 + w2_1_1 * h1_1 + w2_2_1 * h1_2 + w2_3_1 * h1_3 + w2_4_1 * h1_4 + w2_5_1 * h1_5 + w2_6_1 * h1_6 + w2_7_1 * h1_7 + b2_1);
        double h2_2 = SymMath.Tanh(w2_0_2 * h1_0 + w2_1_2 * h1_1 + w2_2_2 * h1_2 + w2_3_2 * h1_3 + w2_4_2 * h1_4 + w2_5_2 * h1_5 + w2_6_2 * h1_6 + w2_7_2 * h1_7 + b2_2);
        double h2_3 = SymMath.Tanh(w2_0_3 * h1_0 + w2_1_3 * h1_1 + w2_2_3 * h1_2 + w2_3_3 * h1_3 + w2_4_3 * h1_4 + w2_5_3 * h1_5 + w2_6_3 * h1_6 + w2_7_3 * h1_7 + b2_3);
        double h2_4 = SymMath.Tanh(w2_0_4 * h1_0 + w2_1_4 * h1_1 + w2_2_4 * h1_2 + w2_3_4 * h1_3 + w2_4_4 * h1_4 + w2_5_4 * h1_5 + w2_6_4 * h1_6 + w2_7_4 * h1_7 + b2_4);
        double h2_5 = SymMath.Tanh(w2_0_5 * h1_0 + w2_1_5 * h1_1 + w2_2_5 * h1_2 + w2_3_5 * h1_3 + w2_4_5 * h1_4 + w2_5_5 * h1_5 + w2_6_5 * h1_6 + w2_7_5 * h1_7 + b2_5);
        double h2_6 = SymMath.Tanh(w2_0_6 * h1_0 + w2_1_6 * h1_1 + w2_2_6 * h1_2 + w2_3_6 * h1_3 + w2_4_6 * h1_4 + w2_5_6 * h1_5 + w2_6_6 * h1_6 + w2_7_6 * h1_7 + b2_6);
        double h2_7 = SymMath.Tanh(w2_0_7 * h1_0 + w2_1_7 * h1_1 + w2_2_7 * h1_2 + w2_3_7 * h1_3 + w2_4_7 * h1_4 + w2_5_7 * h1_5 + w2_6_7 * h1_6 + w2_7_7 * h1_7 + b2_7);
        double o = SymMath.Sigmoid(w3_0 * h2_0 + w3_1 * h2_1 + w3_2 * h2_2 + w3_3 * h2_3 + w3_4 * h2_4 + w3_5 * h2_5 + w3_6 * h2_6 + w3_7 * h2_7 + b3);
        double e = y - o;
        return e * e;
    }
}
