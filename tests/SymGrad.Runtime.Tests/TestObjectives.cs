using System;
using SymGrad;

namespace SymGrad.Runtime.Tests;

// Objectives written by hand in the shape of the generated MObjective structs (a readonly struct implementing
// IObjective<TSample>), so that these tests of the runtime do not depend on the generator. Derivatives are
// derived by hand (formula in each comment) and independently verified by GradientCheck in GradientCheckTests.

/// <summary>f(p) = ½ Σ aᵢ (pᵢ − cᵢ)²; minimum p = c, f = 0. Hessian diag(a).</summary>
public readonly struct QuadraticObjective(double[] curvature, double[] center) : ITwiceDifferentiableObjective<NoData>
{
    public int ParameterCount => center.Length;

    public string GetParameterName(int index) => "p" + index;

    public double Value(in NoData sample, ReadOnlySpan<double> parameters)
    {
        double f = 0;
        for (int i = 0; i < center.Length; i++)
        {
            double d = parameters[i] - center[i];
            f += 0.5 * curvature[i] * d * d;
        }

        return f;
    }

    public double ValueAndGradient(in NoData sample, ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        double f = 0;
        for (int i = 0; i < center.Length; i++)
        {
            double d = parameters[i] - center[i];
            f += 0.5 * curvature[i] * d * d;
            gradient[i] = curvature[i] * d; // ∂f/∂pᵢ = aᵢ(pᵢ − cᵢ)
        }

        return f;
    }

    public double ValueGradientAndHessian(in NoData sample, ReadOnlySpan<double> parameters, Span<double> gradient, Span<double> hessian)
    {
        hessian.Clear();
        for (int i = 0; i < center.Length; i++)
        {
            hessian[i * center.Length + i] = curvature[i];
        }

        return ValueAndGradient(sample, parameters, gradient);
    }
}

public readonly record struct RegressionSample(double x1, double x2, double y);

/// <summary>L = ½(w1·x1 + w2·x2 + b − y)²; ∇ = r·(x1, x2, 1) with r the residual; H = (x1, x2, 1)(x1, x2, 1)ᵀ.</summary>
public readonly struct LinearRegressionObjective : ITwiceDifferentiableObjective<RegressionSample>
{
    private static readonly string[] Names = ["w1", "w2", "b"];

    public int ParameterCount => 3;

    public string GetParameterName(int index) => Names[index];

    public double Value(in RegressionSample s, ReadOnlySpan<double> p)
    {
        double r = p[0] * s.x1 + p[1] * s.x2 + p[2] - s.y;
        return 0.5 * r * r;
    }

    public double ValueAndGradient(in RegressionSample s, ReadOnlySpan<double> p, Span<double> g) => LossGradient(s.x1, s.x2, s.y, p[0], p[1], p[2], g);

    public double ValueGradientAndHessian(in RegressionSample s, ReadOnlySpan<double> p, Span<double> g, Span<double> h)
    {
        ReadOnlySpan<double> x = [s.x1, s.x2, 1.0];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                h[i * 3 + j] = x[i] * x[j];
            }
        }

        return LossGradient(s.x1, s.x2, s.y, p[0], p[1], p[2], g);
    }

    // In the shape of a generated LossGradient.
    private static double LossGradient(double x1, double x2, double y, double w1, double w2, double b, Span<double> g)
    {
        double r = w1 * x1 + w2 * x2 + b - y; // r = ŷ − y
        g[0] = r * x1;                        // ∂L/∂w1 = r·x1
        g[1] = r * x2;                        // ∂L/∂w2 = r·x2
        g[2] = r;                             // ∂L/∂b  = r
        return 0.5 * r * r;
    }
}

/// <summary>The same model with a bug: ∂L/∂b comes out doubled. GradientCheck must catch it.</summary>
public readonly struct WrongBiasGradientObjective : IObjective<RegressionSample>
{
    public int ParameterCount => 3;

    public string GetParameterName(int index) => index switch { 0 => "w1", 1 => "w2", _ => "b" };

    public double Value(in RegressionSample s, ReadOnlySpan<double> p) => default(LinearRegressionObjective).Value(s, p);

    public double ValueAndGradient(in RegressionSample s, ReadOnlySpan<double> p, Span<double> g)
    {
        double loss = default(LinearRegressionObjective).ValueAndGradient(s, p, g);
        g[2] *= 2.0; // the bug
        return loss;
    }
}

/// <summary>Rosenbrock f = (1 − x)² + 100(y − x²)²; minimum (1, 1).</summary>
public readonly struct RosenbrockObjective : ITwiceDifferentiableObjective<NoData>
{
    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "x" : "y";

    public double Value(in NoData sample, ReadOnlySpan<double> p)
    {
        double a = 1 - p[0];
        double b = p[1] - p[0] * p[0];
        return a * a + 100 * b * b;
    }

    public double ValueAndGradient(in NoData sample, ReadOnlySpan<double> p, Span<double> g)
    {
        double x = p[0];
        double b = p[1] - x * x;
        g[0] = -2 * (1 - x) - 400 * x * b; // ∂f/∂x
        g[1] = 200 * b;                    // ∂f/∂y
        return (1 - x) * (1 - x) + 100 * b * b;
    }

    public double ValueGradientAndHessian(in NoData sample, ReadOnlySpan<double> p, Span<double> g, Span<double> h)
    {
        double x = p[0];
        double y = p[1];
        h[0] = 2 - 400 * (y - x * x) + 800 * x * x; // ∂²f/∂x²
        h[1] = -400 * x;                            // ∂²f/∂x∂y
        h[2] = -400 * x;
        h[3] = 200;                                 // ∂²f/∂y²
        return ValueAndGradient(default, p, g);
    }
}

/// <summary>f = x⁴/4 − x²/2 + y²/2: a saddle at (0, 0), minima at (±1, 0) with f = −¼. Indefinite Hessian for |x| &lt; 1/√3.</summary>
public readonly struct DoubleWellObjective : ITwiceDifferentiableObjective<NoData>
{
    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "x" : "y";

    public double Value(in NoData sample, ReadOnlySpan<double> p) => Math.Pow(p[0], 4) / 4 - p[0] * p[0] / 2 + p[1] * p[1] / 2;

    public double ValueAndGradient(in NoData sample, ReadOnlySpan<double> p, Span<double> g)
    {
        g[0] = p[0] * p[0] * p[0] - p[0];
        g[1] = p[1];
        return Value(sample, p);
    }

    public double ValueGradientAndHessian(in NoData sample, ReadOnlySpan<double> p, Span<double> g, Span<double> h)
    {
        h[0] = 3 * p[0] * p[0] - 1;
        h[1] = 0;
        h[2] = 0;
        h[3] = 1;
        return ValueAndGradient(sample, p, g);
    }
}

public readonly record struct LabeledSample(double x1, double x2, double label);

/// <summary>
/// L2-regularised logistic regression, strictly convex: L = softplus(z) − t·z + (μ/2)(w1² + w2² + b²),
/// z = w1·x1 + w2·x2 + b. ∇ = (σ(z) − t)·x + μ·w, H = σ′(z)·x·xᵀ + μI with x = (x1, x2, 1).
/// </summary>
public readonly struct LogisticObjective : ITwiceDifferentiableObjective<LabeledSample>
{
    public const double Mu = 1e-2;

    public int ParameterCount => 3;

    public string GetParameterName(int index) => index switch { 0 => "w1", 1 => "w2", _ => "b" };

    public double Value(in LabeledSample s, ReadOnlySpan<double> p)
    {
        double z = p[0] * s.x1 + p[1] * s.x2 + p[2];
        return SymMath.Softplus(z) - s.label * z + 0.5 * Mu * (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
    }

    public double ValueAndGradient(in LabeledSample s, ReadOnlySpan<double> p, Span<double> g)
    {
        double z = p[0] * s.x1 + p[1] * s.x2 + p[2];
        double e = SymMath.Sigmoid(z) - s.label;
        g[0] = e * s.x1 + Mu * p[0];
        g[1] = e * s.x2 + Mu * p[1];
        g[2] = e + Mu * p[2];
        return Value(s, p);
    }

    public double ValueGradientAndHessian(in LabeledSample s, ReadOnlySpan<double> p, Span<double> g, Span<double> h)
    {
        double z = p[0] * s.x1 + p[1] * s.x2 + p[2];
        double d = SymMath.SigmoidDerivative(z);
        ReadOnlySpan<double> x = [s.x1, s.x2, 1.0];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                h[i * 3 + j] = d * x[i] * x[j] + (i == j ? Mu : 0.0);
            }
        }

        return ValueAndGradient(s, p, g);
    }
}

/// <summary>The logistic objective with a wrong off-diagonal ∂²L/∂w1∂b (both halves, so it stays symmetric).</summary>
public readonly struct WrongHessianObjective : ITwiceDifferentiableObjective<LabeledSample>
{
    public int ParameterCount => 3;

    public string GetParameterName(int index) => default(LogisticObjective).GetParameterName(index);

    public double Value(in LabeledSample s, ReadOnlySpan<double> p) => default(LogisticObjective).Value(s, p);

    public double ValueAndGradient(in LabeledSample s, ReadOnlySpan<double> p, Span<double> g) => default(LogisticObjective).ValueAndGradient(s, p, g);

    public double ValueGradientAndHessian(in LabeledSample s, ReadOnlySpan<double> p, Span<double> g, Span<double> h)
    {
        double value = default(LogisticObjective).ValueGradientAndHessian(s, p, g, h);
        h[0 * 3 + 2] += 0.05;
        h[2 * 3 + 0] += 0.05;
        return value;
    }
}

public readonly record struct NeuronSample(double x, double y);

/// <summary>
/// One sigmoid neuron with squared error, L = (σ(w·x + b) − y)², differentiated the textbook way
/// (seed 002): ∂L/∂w = 2(a − y)·a(1 − a)·x. At z = 50, a rounds to 1 and a(1 − a) to exactly 0.
/// </summary>
public readonly struct NaiveSigmoidNeuronObjective : IObjective<NeuronSample>
{
    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "w" : "b";

    public double Value(in NeuronSample s, ReadOnlySpan<double> p)
    {
        double a = 1.0 / (1.0 + Math.Exp(-(p[0] * s.x + p[1])));
        return (a - s.y) * (a - s.y);
    }

    public double ValueAndGradient(in NeuronSample s, ReadOnlySpan<double> p, Span<double> g)
    {
        double a = 1.0 / (1.0 + Math.Exp(-(p[0] * s.x + p[1])));
        double delta = 2 * (a - s.y) * a * (1 - a);
        g[0] = delta * s.x;
        g[1] = delta;
        return (a - s.y) * (a - s.y);
    }
}

/// <summary>The same neuron with SymMath's stable σ′ = e^(−|z|)/(1 + e^(−|z|))², which is tiny but never 0.</summary>
public readonly struct StableSigmoidNeuronObjective : IObjective<NeuronSample>
{
    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "w" : "b";

    public double Value(in NeuronSample s, ReadOnlySpan<double> p)
    {
        double a = SymMath.Sigmoid(p[0] * s.x + p[1]);
        return (a - s.y) * (a - s.y);
    }

    public double ValueAndGradient(in NeuronSample s, ReadOnlySpan<double> p, Span<double> g)
    {
        double z = p[0] * s.x + p[1];
        double a = SymMath.Sigmoid(z);
        double delta = 2 * (a - s.y) * SymMath.SigmoidDerivative(z);
        g[0] = delta * s.x;
        g[1] = delta;
        return (a - s.y) * (a - s.y);
    }
}

/// <summary>
/// The neuron with cross-entropy instead: L = softplus(z) − y·z (= −log σ(z) for y = 1, −log(1 − σ(z)) for y = 0),
/// ∂L/∂z = σ(z) − y, which stays near ±1 when a saturated unit is wrong.
/// </summary>
public readonly struct CrossEntropyNeuronObjective : IObjective<NeuronSample>
{
    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "w" : "b";

    public double Value(in NeuronSample s, ReadOnlySpan<double> p)
    {
        double z = p[0] * s.x + p[1];
        return SymMath.Softplus(z) - s.y * z;
    }

    public double ValueAndGradient(in NeuronSample s, ReadOnlySpan<double> p, Span<double> g)
    {
        double z = p[0] * s.x + p[1];
        double delta = SymMath.Sigmoid(z) - s.y;
        g[0] = delta * s.x;
        g[1] = delta;
        return SymMath.Softplus(z) - s.y * z;
    }
}

public readonly record struct TrapSample(double x, double y, bool trap);

/// <summary>
/// Linear regression whose ∂L/∂b is NaN on a "trap" sample once w &gt; 0.5 (as a generated gradient with a
/// domain error would be): the training starts clean and fails later, at a known sample.
/// </summary>
public readonly struct TrapObjective : IObjective<TrapSample>
{
    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "w" : "b";

    public double Value(in TrapSample s, ReadOnlySpan<double> p)
    {
        double r = p[0] * s.x + p[1] - s.y;
        return 0.5 * r * r;
    }

    public double ValueAndGradient(in TrapSample s, ReadOnlySpan<double> p, Span<double> g)
    {
        double r = p[0] * s.x + p[1] - s.y;
        g[0] = r * s.x;
        g[1] = s.trap && p[0] > 0.5 ? Math.Sqrt(-1.0 - p[0]) : r;
        return 0.5 * r * r;
    }
}

/// <summary>Objective with no trainable parameters (malformed).</summary>
public readonly struct EmptyObjective : IObjective<NoData>
{
    public int ParameterCount => 0;

    public string GetParameterName(int index) => throw new ArgumentOutOfRangeException(nameof(index));

    public double Value(in NoData sample, ReadOnlySpan<double> parameters) => 0;

    public double ValueAndGradient(in NoData sample, ReadOnlySpan<double> parameters, Span<double> gradient) => 0;
}

public readonly record struct CurvePoint(double x, double y);

/// <summary>
/// NIST StRD Misra1a: y = b1·(1 − e^(−b2·x)), L = r² with r = y − ŷ. The parameters differ in scale by six orders
/// (b1 ≈ 239, b2 ≈ 5.5e−4), so the Hessian's diagonal does too (≈ 0.5 against ≈ 1e11).
/// ∇ = −2r·(1 − e, b1·x·e); H = 2·∂ŷ∂ŷᵀ − 2r·∂²ŷ with ∂²ŷ/∂b1∂b2 = x·e, ∂²ŷ/∂b2² = −b1·x²·e.
/// </summary>
public readonly struct Misra1aObjective : ITwiceDifferentiableObjective<CurvePoint>
{
    public static CurvePoint[] Data { get; } =
    [
        new(77.6, 10.07), new(114.9, 14.73), new(141.1, 17.94), new(190.8, 23.93), new(239.9, 29.61), new(289.0, 35.18), new(332.8, 40.02),
        new(378.4, 44.82), new(434.8, 50.76), new(477.3, 55.05), new(536.8, 61.01), new(593.1, 66.40), new(689.1, 75.47), new(760.0, 81.78),
    ];

    public int ParameterCount => 2;

    public string GetParameterName(int index) => index == 0 ? "b1" : "b2";

    public double Value(in CurvePoint s, ReadOnlySpan<double> p)
    {
        double r = s.y - (p[0] * (1 - Math.Exp(-p[1] * s.x)));
        return r * r;
    }

    public double ValueAndGradient(in CurvePoint s, ReadOnlySpan<double> p, Span<double> g)
    {
        double e = Math.Exp(-p[1] * s.x);
        double r = s.y - (p[0] * (1 - e));
        g[0] = -2 * r * (1 - e);
        g[1] = -2 * r * p[0] * s.x * e;
        return r * r;
    }

    public double ValueGradientAndHessian(in CurvePoint s, ReadOnlySpan<double> p, Span<double> g, Span<double> h)
    {
        double e = Math.Exp(-p[1] * s.x);
        double r = s.y - (p[0] * (1 - e));
        double d1 = 1 - e, d2 = p[0] * s.x * e;
        g[0] = -2 * r * d1;
        g[1] = -2 * r * d2;
        h[0] = 2 * d1 * d1;
        h[1] = h[2] = (2 * d1 * d2) - (2 * r * s.x * e);
        h[3] = (2 * d2 * d2) + (2 * r * p[0] * s.x * s.x * e);
        return r * r;
    }
}
