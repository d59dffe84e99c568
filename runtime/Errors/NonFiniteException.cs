using System;
using System.Globalization;
using System.Text;

namespace SymGrad;

/// <summary>
/// Thrown when a loss, a gradient component or a parameter becomes NaN or ±∞ during training or
/// minimisation. The message names the epoch (or iteration), the data index of the offending sample and
/// the parameter whose derivative failed (or "loss"), so the cause can be found without a debugger.
/// </summary>
public sealed class NonFiniteException : ArithmeticException
{
    /// <summary>Creates an exception with a default message.</summary>
    public NonFiniteException()
        : base("A loss, gradient or parameter became NaN or infinite.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public NonFiniteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NonFiniteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private NonFiniteException(string message, NonFiniteQuantity quantity, string name, int? parameterIndex, double value, int? epoch, int? sampleIndex)
        : base(message)
    {
        Quantity = quantity;
        Name = name;
        ParameterIndex = parameterIndex;
        Value = value;
        Epoch = epoch;
        SampleIndex = sampleIndex;
    }

    /// <summary>Which kind of value was not finite.</summary>
    public NonFiniteQuantity Quantity { get; }

    /// <summary>"loss", or the name of the parameter whose derivative or value was not finite.</summary>
    public string Name { get; } = "loss";

    /// <summary>Index of that parameter; null for the loss.</summary>
    public int? ParameterIndex { get; }

    /// <summary>The offending value (NaN, +∞ or −∞).</summary>
    public double Value { get; } = double.NaN;

    /// <summary>
    /// The epoch (trainer) or iteration (minimizers) during which it happened; 0 is the evaluation of the
    /// initial parameters; null when not known (a manual <see cref="OptimizerState.Step{TObjective, TSample}(TObjective, ReadOnlySpan{TSample}, Span{double})"/>).
    /// </summary>
    public int? Epoch { get; }

    /// <summary>Index of the sample in the data set; null when no single sample is to blame (e.g. a diverged parameter or an overflowing sum).</summary>
    public int? SampleIndex { get; }

    internal static NonFiniteException ForSample(NonFiniteQuantity quantity, string name, int? parameterIndex, double value, int? epoch, int sampleIndex, double loss, string stage, LossTrend trend = default)
    {
        var text = new StringBuilder();
        text.Append(quantity == NonFiniteQuantity.Loss ? "The loss" : quantity == NonFiniteQuantity.Hessian ? "The Hessian entry " + name : "The gradient ∂loss/∂" + name);
        text.Append(" is ").Append(Format(value));
        AppendWhere(text, epoch, stage);
        text.Append(epoch is null ? " at sample " : ", sample ").Append(sampleIndex.ToString(CultureInfo.InvariantCulture));
        if (quantity != NonFiniteQuantity.Loss)
        {
            text.Append(" (parameter '").Append(name).Append("'; the loss there is ").Append(Format(loss)).Append(')');
        }

        string sample = sampleIndex.ToString(CultureInfo.InvariantCulture);
        if (trend.IsDiverging)
        {
            text.Append(". The parameters going in were finite, but ");
            AppendDivergence(text, trend);
            return new NonFiniteException(text.ToString(), quantity, quantity == NonFiniteQuantity.Loss ? "loss" : name, parameterIndex, value, epoch, sampleIndex);
        }

        text.Append(". The parameters going in were finite. Likely causes: the data of sample ").Append(sample)
            .Append(" (NaN/∞ or extreme inputs); the model's domain (log or sqrt of a non-positive value, division by zero, exp overflow — ")
            .Append("SymMath's Softplus, LogSigmoid, LogSumExp and Log1p avoid most of these); or, if the loss grew over the previous ")
            .Append(stage).Append("s, a diverging optimizer (lower the learning rate).");
        return new NonFiniteException(text.ToString(), quantity, quantity == NonFiniteQuantity.Loss ? "loss" : name, parameterIndex, value, epoch, sampleIndex);
    }

    internal static NonFiniteException ForParameter(string name, int index, double value, int? epoch, long step, string stage)
    {
        var text = new StringBuilder();
        text.Append("Parameter '").Append(name).Append("' became ").Append(Format(value));
        text.Append(" after optimizer step ").Append(step.ToString(CultureInfo.InvariantCulture));
        AppendWhere(text, epoch, stage);
        text.Append(" although the loss and gradient were finite: the optimizer diverged. Lower the learning rate, normalise the inputs, or use Adam.");
        return new NonFiniteException(text.ToString(), NonFiniteQuantity.Parameter, name, index, value, epoch, null);
    }

    internal static NonFiniteException ForSum(NonFiniteQuantity quantity, string name, int? parameterIndex, double value, int? epoch, string stage, LossTrend trend = default)
    {
        var text = new StringBuilder();
        text.Append(quantity switch
        {
            NonFiniteQuantity.Loss => "The summed loss",
            NonFiniteQuantity.Hessian => "The summed Hessian row of " + name,
            _ => "The summed gradient ∂loss/∂" + name,
        });
        text.Append(" is ").Append(Format(value));
        AppendWhere(text, epoch, stage);
        if (trend.IsDiverging)
        {
            text.Append(" (every sample's value is finite: the sum overflowed), and ");
            AppendDivergence(text, trend);
        }
        else
        {
            text.Append(" although every sample's value is finite: the sum overflowed. Scale the loss or the inputs down.");
        }

        return new NonFiniteException(text.ToString(), quantity, quantity == NonFiniteQuantity.Loss ? "loss" : name, parameterIndex, value, epoch, null);
    }

    internal static NonFiniteException ForAppliedGradient(int index, double value)
    {
        string position = index.ToString(CultureInfo.InvariantCulture);
        string text = "Component " + position + " of the gradient given to OptimizerState.Apply is " + Format(value)
            + "; the parameters were left unchanged (a NaN/∞ gradient can be neither clipped nor applied). Find where that gradient was computed: "
            + "with Gradients.MeanValueAndGradient, NaN/∞ data or a model outside its domain; with a sum of your own, an overflow.";
        return new NonFiniteException(text, NonFiniteQuantity.Gradient, "gradient[" + position + "]", index, value, null, null);
    }

    internal static NonFiniteException ForValidationSample(double value, int epoch, int sampleIndex)
    {
        var text = new StringBuilder();
        string sample = sampleIndex.ToString(CultureInfo.InvariantCulture);
        text.Append("The validation loss is ").Append(Format(value));
        AppendWhere(text, epoch, NonFiniteGuard.Epoch);
        text.Append(", validation sample ").Append(sample)
            .Append(" (index ").Append(sample).Append(" of the data given to EarlyStopping.OnMeanLoss). The parameters were finite. Likely causes: the data of validation sample ")
            .Append(sample).Append(" (NaN/∞ or extreme inputs), or the model's domain (log or sqrt of a non-positive value, division by zero, exp overflow).");
        return new NonFiniteException(text.ToString(), NonFiniteQuantity.Loss, "loss", null, value, epoch, sampleIndex);
    }

    internal static NonFiniteException ForValidationSum(double value, int epoch)
    {
        var text = new StringBuilder();
        text.Append("The mean validation loss is ").Append(Format(value));
        AppendWhere(text, epoch, NonFiniteGuard.Epoch);
        text.Append(" although every validation sample's loss is finite: the sum overflowed. Scale the loss or the inputs down.");
        return new NonFiniteException(text.ToString(), NonFiniteQuantity.Loss, "loss", null, value, epoch, null);
    }

    /// <summary>"the mean loss grew from … to … over the preceding steps: the optimizer diverged. Lower the learning rate …"</summary>
    private static void AppendDivergence(StringBuilder text, LossTrend trend)
        => text.Append("the mean loss grew from ").Append(trend.Lowest.ToString("G3", CultureInfo.InvariantCulture))
            .Append(" to ").Append(trend.Last.ToString("G3", CultureInfo.InvariantCulture))
            .Append(" over the preceding steps: the optimizer diverged. Lower the learning rate (try a tenth of it), clip the gradient (MaxGradientNorm), or use Adam.");

    private static void AppendWhere(StringBuilder text, int? epoch, string stage)
    {
        if (epoch is int e)
        {
            text.Append(" at ").Append(stage).Append(' ').Append(e.ToString(CultureInfo.InvariantCulture));
            if (e == 0)
            {
                text.Append(" (the initial parameters)");
            }
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
