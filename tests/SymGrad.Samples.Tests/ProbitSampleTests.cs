using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using MathNet.Numerics;
using SymGrad.Samples.Probit;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Samples.Tests;

/// <summary>
/// The Probit sample and the MathNet rules it ships: each rule against Richardson finite differences of MathNet's own
/// function, the generated Hessians (second order through the rules' derivatives) against finite differences of the
/// methods, and the sample's run.
/// </summary>
public sealed class ProbitSampleTests : IDisposable
{
    private readonly ITestOutputHelper _log;
    private readonly string _outDir = Path.Combine(Path.GetTempPath(), "symgrad-probit-" + Guid.NewGuid().ToString("N"));

    public ProbitSampleTests(ITestOutputHelper log) => _log = log;

    public void Dispose()
    {
        if (Directory.Exists(_outDir))
        {
            Directory.Delete(_outDir, recursive: true);
        }
    }

    public static TheoryData<double> Points => new() { -2.5, -0.7, 0.0, 0.3, 1.4, 3.0 };

    // Finite differences of MathNet's ψ lose digits near its pole at 0 (at 0.05 the trigamma series is right to 1e-12 and the
    // difference quotient off by 4e-9): small x is checked against closed forms below.
    public static TheoryData<double> PositivePoints => new() { 0.25, 0.4, 1.0, 2.5, 7.9, 8.0, 30.0, 1e3 };

    [Theory]
    [MemberData(nameof(Points))]
    public void Erf_and_erfc_rules_match_finite_differences_of_MathNet(double x)
    {
        Oracle.AssertClose(Oracle.Derivative(SpecialFunctions.Erf, x), MathNetRules.ErfDerivative(x), 1e-10, 1e-12, "erf′");
        Oracle.AssertClose(Oracle.Derivative(SpecialFunctions.Erfc, x), MathNetRules.ErfcDerivative(x), 1e-10, 1e-12, "erfc′");
    }

    [Theory]
    [MemberData(nameof(PositivePoints))]
    public void GammaLn_and_DiGamma_rules_match_finite_differences_of_MathNet(double x)
    {
        double step = Math.Min(Oracle.DefaultFirstStep, x / 8) / Math.Max(1, Math.Abs(x));
        Oracle.AssertClose(Oracle.Derivative(SpecialFunctions.GammaLn, x, step), MathNetRules.GammaLnDerivative(x), 1e-9, 1e-12, "(ln Γ)′");
        Oracle.AssertClose(Oracle.Derivative(SpecialFunctions.DiGamma, x, step), MathNetRules.DiGammaDerivative(x), 1e-9, 1e-12, "ψ′");
    }

    [Theory]
    [InlineData(1.0, 1.6449340668482264)] // π²/6
    [InlineData(0.5, 4.934802200544679)] // π²/2
    [InlineData(2.0, 0.6449340668482264)] // π²/6 − 1
    [InlineData(0.05, 401.53235734)] // 1/0.05² + ψ₁(1.05), the latter from Σₖ (−1)ᵏ (k + 1) ζ(k + 2) 0.05ᵏ
    public void Trigamma_matches_its_closed_forms(double x, double exact)
    {
        Oracle.AssertClose(exact, MathNetRules.Trigamma(x), x == 0.05 ? 1e-10 : 1e-14, 0, "ψ₁");
        Assert.True(double.IsNaN(MathNetRules.Trigamma(0)) && double.IsNaN(MathNetRules.Trigamma(-1.5)));
    }

    [Theory]
    [InlineData(0.7, 0.2, -0.3)]
    [InlineData(4.5, 1.4, 0.9)]
    [InlineData(0.05, -0.6, 1.1)]
    public void The_gamma_likelihoods_generated_Hessian_matches_finite_differences(double x, double logShape, double logRate)
    {
        Func<double[], double> f = p => GammaFit.NegLogLikelihood(x, p[0], p[1]);
        double[] p = [logShape, logRate];
        double[] gradient = new double[2], hessian = new double[4];
        double value = GammaFit.NegLogLikelihoodHessian(x, logShape, logRate, gradient, hessian);
        Oracle.AssertClose(f(p), value, 1e-14, 1e-14, "value");
        Oracle.AssertClose(Oracle.Gradient(f, p), gradient, 1e-9, 1e-11, context: "gradient");
        // ∂²/∂(ln α)² is a difference of terms of size ~10 (αψ(α) + α²ψ₁(α) − α(ln β + ln x)): absolute 1e-8.
        Oracle.AssertClose(Oracle.Hessian(f, p), hessian, 1e-7, 1e-8, context: "Hessian");
    }

    [Theory]
    [InlineData(true, 0.4, -1.2)]
    [InlineData(false, -0.8, 0.3)]
    [InlineData(true, 2.5, 1.5)] // far in the tail: Φ(−s) ≈ 1e-9
    public void The_probit_losss_generated_Hessian_matches_finite_differences(bool y, double x0, double x1)
    {
        double[] x = [x0, x1];
        Func<double[], double> f = w => ProbitModel.Loss(x, y, w);
        double[] w = [1.3, -1.7, 0.4];
        if (!y)
        {
            w = [-w[0], -w[1], -w[2]];
        }

        double[] gradient = new double[3], hessian = new double[9];
        ProbitModel.LossHessian(x, y, w, gradient, hessian);
        Oracle.AssertClose(Oracle.Gradient(f, w), gradient, 1e-8, 1e-12, context: "gradient");
        Oracle.AssertClose(Oracle.Hessian(f, w), hessian, 1e-6, 1e-9, context: "Hessian");
    }

    [Fact]
    public void Probit_fits_with_adam_and_newton_and_gamma_recovers_shape_and_rate()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        int exit = ProbitDemo.Run(writer, _outDir);
        string text = writer.ToString();
        _log.WriteLine(text);
        Assert.Equal(0, exit);
        Assert.Equal(5, Regex.Matches(text, "Gradient check passed|Hessian check passed").Count);
        Match newton = Regex.Match(text, @"Newton: (\d+) iterations to the maximum-likelihood weights, max \|ŵ − w\| = (\S+);");
        Assert.True(newton.Success, text);
        Assert.InRange(int.Parse(newton.Groups[1].Value, CultureInfo.InvariantCulture), 1, 12);
        Assert.InRange(double.Parse(newton.Groups[2].Value, CultureInfo.InvariantCulture), 0.0, 0.5);
        Match gamma = Regex.Match(text, @"Maximum likelihood: α = (\S+), β = (\S+);");
        Assert.True(gamma.Success, text);
        Assert.Equal(ProbitDemo.TrueShape, double.Parse(gamma.Groups[1].Value, CultureInfo.InvariantCulture), 0.3);
        Assert.Equal(ProbitDemo.TrueRate, double.Parse(gamma.Groups[2].Value, CultureInfo.InvariantCulture), 0.2);
        string png = Path.Combine(_outDir, ProbitDemo.PlotFileName);
        Assert.True(File.Exists(png), png);
    }
}
