using System;
using System.Globalization;

namespace SymGrad;

/// <summary>Stall and divergence diagnosis shared by the trainer and the minimizers.</summary>
internal static class Diagnosis
{
    /// <summary>Fraction of the initial loss that must be gone before a gradient vanished from the start counts as convergence rather than a stall.</summary>
    private const double RequiredProgress = 1e-3;

    /// <summary>
    /// A plateau, not a minimum: the gradient was already vanished (‖g‖ ≤ tolerance) at the start and still is, while the
    /// loss is not zero, has not reached the target and is still where it started (within 0.1 % of its initial magnitude,
    /// up or down). A run whose gradient fell to the tolerance from above converged, however little the loss moved
    /// (a warm start near the minimum moves it very little).
    /// </summary>
    public static bool IsStalled(double initialLoss, double initialGradientNorm, double loss, double gradientNorm, double tolerance, double? targetLoss)
    {
        if (!(gradientNorm <= tolerance) || !(initialGradientNorm <= tolerance))
        {
            return false;
        }

        if (loss == 0.0 || (targetLoss is double target && loss <= target))
        {
            return false;
        }

        return Math.Abs(initialLoss - loss) <= RequiredProgress * Math.Abs(initialLoss);
    }

    public static string StallHint(double initialLoss, double loss, double gradientNorm) => string.Format(
        CultureInfo.InvariantCulture,
        "Training stalled: the gradient norm is {0:G3}, vanishingly small since the start, while the loss ({1:G6}) is still where it started ({2:G6}). " +
        "That is the signature of saturated units rather than of a minimum: for a sigmoid at |z| ≳ 37, σ(z) rounds to 1 and the " +
        "textbook derivative σ(z)(1 − σ(z)) rounds to 0, so no gradient reaches the weights (tanh saturates the same way). " +
        "Remedies: (1) normalise the inputs to zero mean and unit variance so pre-activations start small; " +
        "(2) re-initialise the weights with small random values (e.g. ±1/√fan-in, see ParameterInit); " +
        "(3) for classification use cross-entropy (SymMath.LogSigmoid / SymMath.Softplus), whose gradient does not vanish when a saturated unit is wrong; " +
        "(4) write the model with SymMath.Sigmoid / SymMath.Tanh so SymGrad emits its stable derivatives " +
        "(SymMath.SigmoidDerivative = e^(−|z|)/(1 + e^(−|z|))², tiny but never rounded to 0): an optimizer that rescales by the " +
        "gradient's size, such as Adam with a tiny Epsilon (new Adam(0.01, Epsilon: 1e-30)), can then still move. " +
        "If the initial parameters were already at a minimum, ignore this.",
        gradientNorm,
        loss,
        initialLoss);

    public static string? DivergenceHint(double initialLoss, double loss)
    {
        if (!(loss > initialLoss + RequiredProgress * Math.Abs(initialLoss)))
        {
            return null;
        }

        return string.Format(
            CultureInfo.InvariantCulture,
            "The loss rose from {0:G6} to {1:G6}: the learning rate is probably too large for this problem (try a tenth of it) or the inputs are badly scaled.",
            initialLoss,
            loss);
    }
}
