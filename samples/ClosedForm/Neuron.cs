namespace SymGrad.Samples.ClosedForm;

/// <summary>Seed 001: one sigmoid neuron, one data point (x, t), MSE loss L = ½(t − σ(w·x))².</summary>
public static partial class Neuron
{
    /// <summary>The loss for a target t; with Hessian = true SymGrad also emits LossHessian, so Newton can use it.</summary>
    [Differentiable(Hessian = true)]
    public static double Loss(double x, double t, [Wrt] double w)
    {
        double s = SymMath.Sigmoid(w * x);
        return 0.5 * (t - s) * (t - s);
    }

    /// <summary>
    /// The same loss with t = 1 written in: SymGrad rewrites 1 − σ(wx) as σ(−wx), so neither the loss nor the
    /// gradient cancels to 0 when σ(wx) rounds to 1.
    /// </summary>
    [Differentiable]
    public static double LossTargetOne(double x, [Wrt] double w)
    {
        double s = SymMath.Sigmoid(w * x);
        return 0.5 * (1 - s) * (1 - s);
    }

    /// <summary>The same loss with t = 0 written in: ½σ(wx)².</summary>
    [Differentiable]
    public static double LossTargetZero(double x, [Wrt] double w)
    {
        double s = SymMath.Sigmoid(w * x);
        return 0.5 * s * s;
    }
}
