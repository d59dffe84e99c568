using System;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Numerics;

/// <summary>
/// The generator folds calls on constants at compile time; the folded value must be what the call computes at run
/// time (Math in .NET, SymMath), also where textbook formulas lose digits or overflow. Each method returns
/// x·f(constant), so the gradient is the folded constant itself.
/// </summary>
public sealed class ConstantFoldingTests
{
    private const string Source = """
        using System;
        using SymGrad;

        public static partial class Folded
        {
            [Differentiable] public static double Asinh1(double x) => x * Math.Asinh(1e-10);
            [Differentiable] public static double Asinh2(double x) => x * Math.Asinh(-1e-3);
            [Differentiable] public static double Asinh3(double x) => x * Math.Asinh(1e200);
            [Differentiable] public static double Acosh1(double x) => x * Math.Acosh(1.0000000001);
            [Differentiable] public static double Acosh2(double x) => x * Math.Acosh(1e200);
            [Differentiable] public static double Atanh1(double x) => x * Math.Atanh(1e-10);
            [Differentiable] public static double Atanh2(double x) => x * Math.Atanh(-0.5);
            [Differentiable] public static double Cbrt1(double x) => x * Math.Cbrt(1e-300);
            [Differentiable] public static double Cbrt2(double x) => x * Math.Cbrt(-2.0);
            [Differentiable] public static double Expm1(double x) => x * SymMath.Expm1(1e-4);
            [Differentiable] public static double Hypot(double x) => x * SymMath.Hypot(1e200, 3e200);
            [Differentiable] public static double Log1pInf(double x) => x * SymMath.Log1p(double.PositiveInfinity);
            [Differentiable] public static double LseNegInf(double x) => x * SymMath.LogSumExp(double.NegativeInfinity, double.NegativeInfinity);
            [Differentiable] public static double Softplus(double x) => x * SymMath.Softplus(-40.0);
            [Differentiable] public static double Sigmoid(double x) => x * SymMath.Sigmoid(-800.0);
        }
        """;

    public static TheoryData<string, double> Cases => new()
    {
        { "Asinh1", Math.Asinh(1e-10) },
        { "Asinh2", Math.Asinh(-1e-3) },
        { "Asinh3", Math.Asinh(1e200) },
        { "Acosh1", Math.Acosh(1.0000000001) },
        { "Acosh2", Math.Acosh(1e200) },
        { "Atanh1", Math.Atanh(1e-10) },
        { "Atanh2", Math.Atanh(-0.5) },
        { "Cbrt1", Math.Cbrt(1e-300) },
        { "Cbrt2", Math.Cbrt(-2.0) },
        { "Expm1", SymMath.Expm1(1e-4) },
        { "Hypot", SymMath.Hypot(1e200, 3e200) },
        { "Log1pInf", double.PositiveInfinity },
        { "LseNegInf", double.NegativeInfinity },
        { "Softplus", SymMath.Softplus(-40.0) },
        { "Sigmoid", SymMath.Sigmoid(-800.0) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_folded_constant_equals_the_runtime_value(string method, double runtime)
    {
        var (_, gradient) = GeneratorHarness.Compile(Source).Gradient("Folded", method, 1.0);

        // Within 2 ulps: .NET's Math and the generator's netstandard2.0 replacements are different implementations.
        if (double.IsInfinity(runtime) || runtime == 0)
        {
            Assert.Equal(runtime, gradient[0]);
            return;
        }

        Oracle.AssertClose(runtime, gradient[0], 5e-16, 0, method);
    }
}
