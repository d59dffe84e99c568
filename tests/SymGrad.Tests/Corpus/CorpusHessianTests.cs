using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.Corpus;

/// <summary>
/// The <c>Hessian = true</c> corpus methods: <c>MHessian</c> against second-order finite differences of the method
/// and against first-order finite differences of the generated gradient; exact symmetry; <c>MHessianVectorProduct</c>
/// against H·v; the value and gradient of every entry point agree.
/// </summary>
public sealed class CorpusHessianTests
{
    public static TheoryData<string> HessianCases => CorpusCatalog.Names(CorpusCatalog.HessianCases);

    [Theory]
    [MemberData(nameof(HessianCases))]
    public void Hessian_matches_second_order_differences_of_the_method(string name)
    {
        var (c, compiled, wrt, f) = Setup(name);
        foreach (var p in c.Points(2))
        {
            var h = compiled.Hessian(c.Type, c.Method, p);
            var expected = Oracle.Hessian(f, p, wrt);
            Oracle.AssertClose(expected, h.Hessian, 1e-6, 1e-7, Labels(h.ParameterNames), c.Name + " at " + TinyNetSeed.FormatPoint(p));
        }
    }

    [Theory]
    [MemberData(nameof(HessianCases))]
    public void Hessian_matches_differences_of_the_generated_gradient(string name)
    {
        var (c, compiled, wrt, _) = Setup(name);
        int k = wrt.Length;
        foreach (var p in c.Points(2))
        {
            var h = compiled.Hessian(c.Type, c.Method, p);
            var fd = new double[k * k];
            for (int i = 0; i < k; i++)
            {
                int row = i;
                var dRow = Oracle.Gradient(q => compiled.Gradient(c.Type, c.Method, q).Gradient[row], p, wrt);
                Array.Copy(dRow, 0, fd, i * k, k);
            }

            Oracle.AssertClose(fd, h.Hessian, 1e-7, 1e-9, Labels(h.ParameterNames), c.Name + " at " + TinyNetSeed.FormatPoint(p));
        }
    }

    [Theory]
    [MemberData(nameof(HessianCases))]
    public void Hessian_is_exactly_symmetric_and_agrees_with_the_gradient(string name)
    {
        var (c, compiled, wrt, f) = Setup(name);
        int k = wrt.Length;
        foreach (var p in c.Points(2))
        {
            var h = compiled.Hessian(c.Type, c.Method, p);
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    Assert.Equal(h.Hessian[(i * k) + j], h.Hessian[(j * k) + i]);
                }
            }

            var (value, gradient) = compiled.Gradient(c.Type, c.Method, p);
            Oracle.AssertClose(f(p), h.Value, 1e-12, 1e-14, "value");
            Assert.Equal(value, h.Value);
            Oracle.AssertClose(gradient, h.Gradient, 1e-13, 1e-15, h.ParameterNames);
        }
    }

    [Theory]
    [MemberData(nameof(HessianCases))]
    public void Hessian_vector_product_equals_H_times_v(string name)
    {
        var (c, compiled, wrt, _) = Setup(name);
        int k = wrt.Length;
        var rng = new Random(17);
        foreach (var p in c.Points(2))
        {
            var h = compiled.Hessian(c.Type, c.Method, p);
            for (int trial = 0; trial < 3; trial++)
            {
                // Unit vectors pick out columns exactly; a random direction mixes them.
                double[] v = trial < 2 && trial < k
                    ? Enumerable.Range(0, k).Select(i => i == trial ? 1.0 : 0.0).ToArray()
                    : Enumerable.Range(0, k).Select(_ => (rng.NextDouble() * 4) - 2).ToArray();
                var gradient = new double[k];
                var product = new double[k];
                double value = (double)compiled.Invoke("HessianShims", c.Method + "Hvp", p, v, gradient, product)!;

                var expected = new double[k];
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        expected[i] += h.Hessian[(i * k) + j] * v[j];
                    }
                }

                string at = c.Name + " at " + TinyNetSeed.FormatPoint(p) + " along " + TinyNetSeed.FormatPoint(v);
                Oracle.AssertClose(expected, product, 1e-10, 1e-12, h.ParameterNames, at);
                Oracle.AssertClose(h.Gradient, gradient, 1e-13, 1e-15, h.ParameterNames, at);
                Assert.Equal(h.Value, value);
            }
        }
    }

    [Fact]
    public void Hessian_of_a_quadratic_is_exact()
    {
        var compiled = CorpusCatalog.Compile(CorpusCatalog.Second);
        var h = compiled.Hessian("Corpus.Second.Hess", "Quadratic", 0.7, -1.3);
        Assert.Equal(new[] { 6.0, 2.0, 2.0, 2.0 }, h.Hessian);
        Assert.Equal(new[] { (6 * 0.7) + (2 * -1.3), (2 * 0.7) + (2 * -1.3) }, h.Gradient);
    }

    [Fact]
    public void Objective_adapters_forward_to_the_generated_methods()
    {
        var compiled = CorpusCatalog.Compile(CorpusCatalog.Second);
        double[] a = { 0.4, 1.0, -0.7, 0.2 };
        var gradient = new double[2];
        var hessian = new double[4];
        double v = (double)compiled.Invoke("HessianShims", "LogisticObjective", a, gradient, hessian)!;
        var h = compiled.Hessian("Corpus.Second.Hess", "Logistic", a);
        Assert.Equal(h.Value, v);
        Assert.Equal(h.Gradient, gradient);
        Assert.Equal(h.Hessian, hessian);

        var g2 = new double[2];
        double q = (double)compiled.Invoke("HessianShims", "QuadraticObjective", new[] { 0.5, 2.0 }, g2)!;
        Assert.Equal(compiled.Call("Corpus.Second.Hess", "Quadratic", 0.5, 2.0), q);
        Assert.Equal(compiled.Gradient("Corpus.Second.Hess", "Quadratic", 0.5, 2.0).Gradient, g2);
    }

    [Fact]
    public void Short_hessian_and_product_spans_are_rejected()
    {
        var compiled = CorpusCatalog.Compile(CorpusCatalog.Second);
        var e = Assert.Throws<ArgumentException>(() =>
            compiled.Invoke("HessianShims", "PolyHvp", new[] { 1.0, 2.0 }, new double[2], new double[2], new double[1]));
        Assert.Equal("product", e.ParamName);
        e = Assert.Throws<ArgumentException>(() =>
            compiled.Invoke("HessianShims", "PolyHvp", new[] { 1.0, 2.0 }, new double[1], new double[2], new double[2]));
        Assert.Equal("direction", e.ParamName);
    }

    private static (CorpusCase Case, Compiled Compiled, int[] Wrt, Func<double[], double> F) Setup(string name)
    {
        var c = CorpusCatalog.Get(name);
        var compiled = CorpusCatalog.Compile(c.Group);
        var m = compiled.Method(c.Type, c.Method);
        int[] wrt = m.DifferentiatedParameterNames.Select(p => m.ParameterNames.IndexOf(p)).ToArray();
        return (c, compiled, wrt, compiled.Function(c.Type, c.Method));
    }

    private static string[] Labels(System.Collections.Generic.IReadOnlyList<string> names) =>
        names.SelectMany(a => names.Select(b => "∂²/∂" + a + "∂" + b)).ToArray();
}
