namespace SymGrad.Samples.ZeroGradients;

/// <summary>
/// Seed 000's network with one input, two hidden units and a scalar output:
/// h_j = f1(w_j·x + b_j) (j = 1, 2), output z = v1·h1 + v2·h2 + c (linear), loss L = ½(z − y)².
/// Hidden layer: (w1, b1, w2, b2); output layer: (v1, v2, c).
/// </summary>
public static partial class Net
{
    /// <summary>The loss of one sample with tanh hidden units.</summary>
    [Differentiable]
    public static double Loss(double x, double y,
        [Wrt] double w1, [Wrt] double b1, [Wrt] double w2, [Wrt] double b2,
        [Wrt] double v1, [Wrt] double v2, [Wrt] double c)
    {
        double h1 = SymMath.Tanh(w1 * x + b1);
        double h2 = SymMath.Tanh(w2 * x + b2);
        double z = v1 * h1 + v2 * h2 + c;
        return 0.5 * (z - y) * (z - y);
    }

    /// <summary>The same network with ReLU hidden units.</summary>
    [Differentiable]
    public static double ReluLoss(double x, double y,
        [Wrt] double w1, [Wrt] double b1, [Wrt] double w2, [Wrt] double b2,
        [Wrt] double v1, [Wrt] double v2, [Wrt] double c)
    {
        double h1 = SymMath.Relu(w1 * x + b1);
        double h2 = SymMath.Relu(w2 * x + b2);
        double z = v1 * h1 + v2 * h2 + c;
        return 0.5 * (z - y) * (z - y);
    }

    /// <summary>The tanh network's output for the parameters (w1, b1, w2, b2, v1, v2, c).</summary>
    public static double Output(double x, double[] p) => p[4] * Hidden1(x, p) + p[5] * Hidden2(x, p) + p[6];

    /// <summary>h1 = tanh(w1·x + b1).</summary>
    public static double Hidden1(double x, double[] p) => SymMath.Tanh(p[0] * x + p[1]);

    /// <summary>h2 = tanh(w2·x + b2).</summary>
    public static double Hidden2(double x, double[] p) => SymMath.Tanh(p[2] * x + p[3]);
}
