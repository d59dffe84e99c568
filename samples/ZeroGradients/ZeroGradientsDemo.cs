using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SymGrad.Samples.ZeroGradients;

/// <summary>
/// Seed 000's question, "if the output layer's gradients are all 0, are the hidden layer's 0 too?", answered with
/// the generated gradients of a 1-2-1 network:
/// (1) one sample whose output-bias gradient is 0: yes, every lower gradient is 0;
/// (2) a batch: no, the output layer's mean gradients can all be 0 while the hidden layer's are not;
/// (3) output-weight gradients alone: no, they are 0 whenever the hidden outputs are 0, which says nothing about the hidden layer.
/// </summary>
public static class ZeroGradientsDemo
{
    /// <summary>Below this magnitude a gradient prints as ≈0 (rounding of residuals that were solved for in double).</summary>
    public const double RoundingLevel = 1e-14;

    private static readonly string[] Names = ["w1", "b1", "w2", "b2", "v1", "v2", "c"];

    /// <summary>The network's parameters (w1, b1, w2, b2, v1, v2, c) for cases 1 and 2.</summary>
    private static readonly double[] Parameters = [0.9, -0.3, -1.4, 0.5, 1.2, -0.7, 0.1];

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="outDir">Unused (this sample writes no files); kept so every sample has the same entry point.</param>
    /// <returns>0 when all three claims hold in the numbers.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        _ = outDir;
        output.WriteLine("ZeroGradients: seed 000 on a 1-2-1 network h_j = f1(w_j·x + b_j), z = v1·h1 + v2·h2 + c, L = ½(z − y)²");
        output.WriteLine(Invariant($"Parameters (w1, b1, w2, b2, v1, v2, c) = ({string.Join(", ", Parameters.Select(p => p.ToString(CultureInfo.InvariantCulture)))}); f1 = tanh unless stated."));
        output.WriteLine();

        // (1) One sample at its target: ∂L/∂c = z − y = 0, and everything below is multiplied by it.
        double x1 = 0.8;
        double[] single = Gradient(x1, Net.Output(x1, Parameters), Parameters);
        output.WriteLine(Invariant($"(1) one sample, x = {x1}, y = z(x) = {Net.Output(x1, Parameters):G6}: ∂L/∂c = ∂L/∂z = 0."));

        // (2) A batch of four whose residuals r_i = z(x_i) − y_i are chosen so that the mean output-layer
        //     gradients Σr_i/4 = ∂L/∂c, Σr_i·h1_i/4 = ∂L/∂v1 and Σr_i·h2_i/4 = ∂L/∂v2 all vanish.
        double[] xs = [-1.5, -0.4, 0.7, 1.8];
        double[] residuals = NullResidual(xs, Parameters);
        var batch = xs.Select((x, i) => new Net.LossSample(x, Net.Output(x, Parameters) - residuals[i])).ToArray();
        double[] batchGradient = new double[7];
        Gradients.MeanValueAndGradient(new Net.LossObjective(), batch, Parameters, batchGradient);
        double[] perSampleC = batch.Select(s => Gradient(s.x, s.y, Parameters)[6]).ToArray();
        output.WriteLine(Invariant($"(2) a batch of 4, x = ({string.Join(", ", xs)}), targets chosen so that the mean ∂L/∂c, ∂L/∂v1, ∂L/∂v2 are 0;"));
        output.WriteLine(Invariant($"    each sample's own ∂L/∂c is not: {string.Join(", ", perSampleC.Select(g => g.ToString("G4", CultureInfo.InvariantCulture)))}."));

        // (3) Hidden outputs 0: biases b_j = −w_j·x put both tanh units at z_j = 0, where tanh = 0 but tanh′ = 1.
        double x3 = 0.8;
        double[] atZero = (double[])Parameters.Clone();
        atZero[1] = -(atZero[0] * x3);
        atZero[3] = -(atZero[2] * x3);
        double y3 = Net.Output(x3, atZero) + 0.5;
        double[] hiddenOff = Gradient(x3, y3, atZero);
        output.WriteLine(Invariant($"(3) one sample, x = {x3}, y = {y3:G6}, biases b1 = {atZero[1]:G4}, b2 = {atZero[3]:G4} so h1 = tanh(0) = {Net.Hidden1(x3, atZero)}, h2 = {Net.Hidden2(x3, atZero)}."));

        // (4) The same with ReLU units that are off (z_j < 0): h = 0, but ReLU′ = 0 there too.
        double[] reluOff = (double[])Parameters.Clone();
        reluOff[1] = -(reluOff[0] * x3) - 1.0;
        reluOff[3] = -(reluOff[2] * x3) - 1.0;
        var relu = Net.ReluLossGradient(x3, y3, reluOff[0], reluOff[1], reluOff[2], reluOff[3], reluOff[4], reluOff[5], reluOff[6]);
        double[] reluGradient = [relu.w1, relu.b1, relu.w2, relu.b2, relu.v1, relu.v2, relu.c];
        output.WriteLine(Invariant($"(4) as (3) with ReLU units switched off (z1 = z2 = −1): h = 0, but ReLU′(−1) = 0 as well."));
        output.WriteLine();

        output.WriteLine(Invariant($"{"layer",-8} {"∂L/∂",-6} {"(1) one sample",16} {"(2) batch mean",16} {"(3) tanh, h = 0",16} {"(4) ReLU off",16}"));
        for (int i = 0; i < 7; i++)
        {
            string layer = i == 0 ? "hidden" : i == 4 ? "output" : "";
            if (i == 4)
            {
                output.WriteLine(new string('-', 83));
            }

            output.WriteLine(Invariant($"{layer,-8} {Names[i],-6} {Format(single[i]),16} {Format(batchGradient[i]),16} {Format(hiddenOff[i]),16} {Format(reluGradient[i]),16}"));
        }

        double rounding = new[] { batchGradient[4], batchGradient[5], batchGradient[6] }.Max(Math.Abs);
        output.WriteLine(Invariant($"≈0: |value| < {RoundingLevel:0E+0} (in (2) the largest is {rounding:0.0E+0}, rounding in the residuals solved for in double)."));
        output.WriteLine();

        bool claim1 = single.All(g => g == 0);
        bool claim2 = rounding < RoundingLevel && batchGradient[..4].All(g => Math.Abs(g) > 1e-3);
        bool claim3 = hiddenOff[4] == 0 && hiddenOff[5] == 0 && hiddenOff[..4].Any(g => Math.Abs(g) > 1e-3);
        output.WriteLine(Invariant($"Claim 1 (one sample, ∂L/∂c = 0 ⇒ every lower gradient is 0): {Verdict(claim1)}, all 7 partials are 0."));
        output.WriteLine(Invariant($"Claim 2 (a batch: output layer all 0 does not make the hidden layer 0): {Verdict(claim2)}, hidden partials up to {batchGradient[..4].Max(Math.Abs):G3}."));
        output.WriteLine(Invariant($"Claim 3 (∂L/∂v = 0 alone does not make the hidden layer 0): {Verdict(claim3)}, ∂L/∂v1 = ∂L/∂v2 = 0 but ∂L/∂w1 = {hiddenOff[0]:G3}, ∂L/∂c = {hiddenOff[6]:G3}."));
        output.WriteLine("    (ReLU units that are off do not show it: their incoming gradients are 0 too, column (4).)");
        return claim1 && claim2 && claim3 ? 0 : 1;
    }

    /// <summary>The generated gradient of one sample, in the order (w1, b1, w2, b2, v1, v2, c).</summary>
    private static double[] Gradient(double x, double y, double[] p)
    {
        double[] g = new double[7];
        Net.LossGradient(x, y, p[0], p[1], p[2], p[3], p[4], p[5], p[6], g);
        return g;
    }

    /// <summary>
    /// Residuals r (with r_4 = 0.5) orthogonal to (1, …), (h1(x_i)), (h2(x_i)): then the mean output-layer
    /// gradient (Σr_i, Σr_i·h1_i, Σr_i·h2_i)/n is 0. Solves the 3×3 system for r_1..r_3 by Cramer's rule.
    /// </summary>
    private static double[] NullResidual(double[] xs, double[] p)
    {
        double[][] rows = [xs.Select(_ => 1.0).ToArray(), xs.Select(x => Net.Hidden1(x, p)).ToArray(), xs.Select(x => Net.Hidden2(x, p)).ToArray()];
        const double last = 0.5;
        double[,] m = new double[3, 3];
        double[] rhs = new double[3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                m[i, j] = rows[i][j];
            }

            rhs[i] = -last * rows[i][3];
        }

        double det = Det(m);
        double[] r = new double[4];
        for (int k = 0; k < 3; k++)
        {
            double[,] mk = (double[,])m.Clone();
            for (int i = 0; i < 3; i++)
            {
                mk[i, k] = rhs[i];
            }

            r[k] = Det(mk) / det;
        }

        r[3] = last;
        return r;
    }

    private static double Det(double[,] m)
        => m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
         - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
         + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);

    private static string Format(double value) => value == 0 ? "0" : Math.Abs(value) < RoundingLevel ? "≈0" : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Verdict(bool holds) => holds ? "holds" : "DOES NOT HOLD";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
