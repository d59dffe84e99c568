using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SymGrad.Samples.TinyNet;

/// <summary>
/// Seed 002 end to end: the generated derivative code of the 1-1-1 sigmoid network, a check of it against
/// the seed's hand-derived formulas, and a training run with the SymGrad runtime.
/// </summary>
public static class TinyNetDemo
{
    /// <summary>Parameters of the "teacher" network whose outputs the training run learns to reproduce.</summary>
    public static readonly double[] Teacher = [3.0, -1.5, 6.0, -3.0];

    private static readonly string[] Names = ["w2", "b2", "w3", "b3"];

    /// <summary>Runs the sample, writing its report to <paramref name="output"/>.</summary>
    /// <param name="output">Where the report goes (the console, or a writer in tests).</param>
    /// <param name="outDir">Unused here (this sample writes no files); kept so every sample has the same entry point.</param>
    /// <returns>0 when the generated gradient matches the seed's formulas and the training run fits the data.</returns>
    public static int Run(TextWriter output, string outDir)
    {
        ArgumentNullException.ThrowIfNull(output);
        _ = outDir;
        output.WriteLine("TinyNet: seed 002's network f(x) = σ(w3·σ(w2·x + b2) + b3), cost C = (y − f(x))²");
        output.WriteLine();

        PrintGeneratedCode(output);
        double maxError = CheckAgainstSeed(output);
        double finalLoss = Train(output);

        bool gradientOk = maxError <= 1e-12;
        bool fitOk = finalLoss <= 1e-10;
        output.WriteLine();
        output.WriteLine(Invariant($"Result: generated gradient {(gradientOk ? "matches" : "DOES NOT match")} the seed's formulas (max relative error {maxError:0.00E+0}); training {(fitOk ? "fits" : "DOES NOT fit")} the data (final loss {finalLoss:0.00E+0})."));
        return gradientOk && fitOk ? 0 : 1;
    }

    /// <summary>Prints <c>LossGradient</c> as the generator emitted it (the .g.cs file copied next to the program).</summary>
    private static void PrintGeneratedCode(TextWriter output)
    {
        output.WriteLine("1. The code SymGrad generated for Network.LossGradient at compile time");
        output.WriteLine("   (from obj/generated/…/SymGrad.Samples.TinyNet.Network.Loss_6.g.cs):");
        output.WriteLine();
        string? source = GeneratedSource.TryExtractMethod("Network.Loss.g.cs", "public static double LossGradient(");
        if (source is null)
        {
            output.WriteLine("   (generated/Network.Loss.g.cs was not found next to the program; build with EmitCompilerGeneratedFiles=true)");
        }
        else
        {
            foreach (string line in source.Split('\n'))
            {
                output.WriteLine("    " + line.TrimEnd('\r'));
            }
        }

        output.WriteLine();
    }

    /// <summary>Compares LossGradient with the seed's closed forms at a few points; returns the largest relative error.</summary>
    private static double CheckAgainstSeed(TextWriter output)
    {
        output.WriteLine("2. LossGradient against the seed's hand-derived formulas (computed independently in SeedFormulas.cs)");
        output.WriteLine();
        var points = new (string What, double X, double Y, double W2, double B2, double W3, double B3)[]
        {
            ("seed's first step, all parameters 0", 2.0, 1.0, 0.0, 0.0, 0.0, 0.0),
            ("a generic point", 0.7, 0.2, 1.3, -0.4, 2.1, 0.3),
            ("negative input, large weights", -1.5, 1.0, -4.0, 2.0, -3.0, 1.0),
            ("output unit saturated, z3 ≈ 50", 1.0, 0.0, 2.0, 1.0, 44.0, 8.0),
            ("hidden unit saturated, z2 = 40", 10.0, 1.0, 4.0, 0.0, -2.5, 0.5),
        };

        output.WriteLine(Invariant($"   {"partial",-8} {"generated LossGradient",24} {"seed's formula",24} {"rel. error",10}"));
        double maxError = 0.0;
        foreach (var p in points)
        {
            var generated = Network.LossGradient(p.X, p.Y, p.W2, p.B2, p.W3, p.B3);
            double[] g = [generated.w2, generated.b2, generated.w3, generated.b3];
            (double cost, double[] h) = SeedFormulas.Gradient(p.X, p.Y, p.W2, p.B2, p.W3, p.B3);
            maxError = Math.Max(maxError, RelativeError(generated.Value, cost));
            output.WriteLine(Invariant($"   {p.What}: x = {Num(p.X)}, y = {Num(p.Y)}, (w2, b2, w3, b3) = ({Num(p.W2)}, {Num(p.B2)}, {Num(p.W3)}, {Num(p.B3)})"));
            for (int i = 0; i < 4; i++)
            {
                double error = RelativeError(g[i], h[i]);
                maxError = Math.Max(maxError, error);
                output.WriteLine(Invariant($"   ∂C/∂{Names[i],-4} {g[i],24:R} {h[i],24:R} {error,10:0.0E+0}"));
            }
        }

        output.WriteLine();
        output.WriteLine(Invariant($"   max relative error over {points.Length} points × 4 partials (and the costs): {maxError:0.00E+0}"));
        output.WriteLine("   (at the seed's first step f(2) = σ(0) = 0.5, not 0 as the seed writes; only w3 and b3 move: ∂C/∂w2 = ∂C/∂b2 = 0 because w3 = 0.)");
        output.WriteLine();
        return maxError;
    }

    /// <summary>
    /// Starts from all-zero parameters, as the seed suggests, and learns to reproduce the teacher network's
    /// outputs on 25 inputs: Adam first, then a few Newton steps with the generated Hessian.
    /// </summary>
    private static double Train(TextWriter output)
    {
        output.WriteLine(Invariant($"3. Training from w2 = b2 = w3 = b3 = 0 on 25 points y = f_teacher(x), x ∈ [−2, 2], teacher (w2, b2, w3, b3) = ({string.Join(", ", Teacher.Select(Num))})"));
        output.WriteLine();
        var data = new Network.LossSample[25];
        for (int i = 0; i < data.Length; i++)
        {
            double x = -2.0 + 4.0 * i / (data.Length - 1);
            data[i] = new Network.LossSample(x, Network.Predict(x, Teacher[0], Teacher[1], Teacher[2], Teacher[3]));
        }

        double[] parameters = new double[4];
        var options = new TrainingOptions(new Adam(0.05)) { MaxEpochs = 3000, BatchSize = data.Length, TargetLoss = 1e-7, MaxDegreeOfParallelism = 1 };
        TrainingResult adam;
        using (var bar = new ConsoleProgressBar(output, lines: 5))
        {
            adam = Trainer.Fit(new Network.LossObjective(), data, parameters, options, bar);
        }

        output.WriteLine("   " + adam);
        output.WriteLine();
        output.WriteLine("   Newton (Levenberg–Marquardt) from there, with the generated LossHessian:");
        MinimizationResult newton;
        using (var bar = new ConsoleProgressBar(output, lines: 5, label: "iteration"))
        {
            newton = Newton.Minimize(new Network.LossObjective(), data, parameters, new NewtonOptions { MaxIterations = 50, GradientTolerance = 1e-14, MaxDegreeOfParallelism = 1 }, bar);
        }

        output.WriteLine("   " + newton);
        output.WriteLine();
        output.WriteLine("   σ(−z) = 1 − σ(z), so (−w2, −b2, −w3, b3 + w3) computes exactly the same f as (w2, b2, w3, b3):");
        output.WriteLine("   either twin is a perfect fit.");
        output.WriteLine();
        output.WriteLine(Invariant($"   {"",8} {"teacher",10} {"learned",12}"));
        for (int i = 0; i < 4; i++)
        {
            output.WriteLine(Invariant($"   {Names[i],8} {Teacher[i],10:F4} {parameters[i],12:F6}"));
        }

        output.WriteLine();
        output.WriteLine(Invariant($"   {"x",8} {"y",10} {"f(x)",10}"));
        for (int i = 0; i < data.Length; i += 4)
        {
            double f = Network.Predict(data[i].x, parameters[0], parameters[1], parameters[2], parameters[3]);
            output.WriteLine(Invariant($"   {data[i].x,8:F3} {data[i].y,10:F6} {f,10:F6}"));
        }

        return newton.FinalLoss;
    }

    private static double RelativeError(double a, double b)
    {
        double scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return scale == 0.0 ? 0.0 : Math.Abs(a - b) / scale;
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
