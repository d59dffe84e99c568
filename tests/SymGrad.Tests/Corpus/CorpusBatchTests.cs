using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Corpus;

/// <summary>
/// The batched kernels (<c>MBatchGradient</c>, <c>MBatchValue</c>) of every corpus method that has them, against the
/// scalar <c>MGradient</c> (itself checked against the Richardson oracle by <see cref="CorpusGradientTests"/>) summed
/// over the same samples in order: to 1e-12 relative to Σ|term|. Batch sizes cover an empty batch, a scalar tail
/// alone, whole vectors, and vectors plus a tail. Most corpus methods differentiate every parameter (no data, so no
/// batch); each group is therefore also compiled with only the first parameter differentiated (<c>[Wrt]</c> added), which
/// makes the others data and gives every function and construct of the corpus a batched kernel to check.
/// </summary>
public sealed class CorpusBatchTests
{
    private const double RelTol = 1e-12;

    public static TheoryData<string> AllCases => CorpusCatalog.Names(CorpusCatalog.Cases);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Batched_sums_match_the_scalar_gradient_summed_over_the_samples(string name)
    {
        var c = CorpusCatalog.Get(name);
        foreach (var compiled in new[] { CorpusCatalog.Compile(c.Group), FirstParameterOnly(c.Group) })
        {
            if (compiled.HasBatch(c.Type, c.Method))
            {
                CheckSums(compiled, c, name);
            }
        }
    }

    private static void CheckSums(Compiled compiled, CorpusCase c, string name)
    {
        var method = compiled.Method(c.Type, c.Method);
        int[] wrt = method.DifferentiatedParameterNames.Select(p => method.ParameterNames.IndexOf(p)).ToArray();
        int[] data = Enumerable.Range(0, method.ParameterNames.Length).Except(wrt).ToArray();
        var points = c.Points(40).ToArray();
        double[] weights = wrt.Select(i => points[0][i]).ToArray();

        foreach (int count in new[] { 0, 1, 7, 8, 9, 16, 24, 31, 67 })
        {
            // Sample s takes the data of point s and the weights of point 0: still inside the region's box.
            double[][] columns = data.Select(j => Enumerable.Range(0, count).Select(s => points[s % points.Length][j]).ToArray()).ToArray();
            double expectedValue = 0.0;
            double valueScale = 0.0;
            var expected = new double[wrt.Length];
            var scale = new double[wrt.Length];
            for (int s = 0; s < count; s++)
            {
                double[] args = points[s % points.Length].ToArray();
                for (int k = 0; k < wrt.Length; k++)
                {
                    args[wrt[k]] = weights[k];
                }

                var (value, gradient) = compiled.Gradient(c.Type, c.Method, args);
                expectedValue += value;
                valueScale += Math.Abs(value);
                for (int k = 0; k < wrt.Length; k++)
                {
                    expected[k] += gradient[k];
                    scale[k] += Math.Abs(gradient[k]);
                }
            }

            var (batchValue, batchGradient) = compiled.BatchGradient(c.Type, c.Method, columns, weights);
            double valueOnly = compiled.BatchValue(c.Type, c.Method, columns, weights);
            string at = name + " with " + count + " samples";
            AssertSum(expectedValue, valueScale, batchValue, at + ": value");
            AssertSum(expectedValue, valueScale, valueOnly, at + ": BatchValue");
            for (int k = 0; k < wrt.Length; k++)
            {
                AssertSum(expected[k], scale[k], batchGradient[k], at + ": ∂/∂" + method.DifferentiatedParameterNames[k]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Batches_reject_data_spans_of_different_lengths_and_a_short_gradient(string name)
    {
        var c = CorpusCatalog.Get(name);
        var compiled = FirstParameterOnly(c.Group);
        if (!compiled.HasBatch(c.Type, c.Method))
        {
            return;
        }

        var method = compiled.Method(c.Type, c.Method);
        int k = method.DifferentiatedParameterNames.Length;
        int d = method.ParameterNames.Length - k;
        double[] weights = new double[k];
        var e = Assert.Throws<ArgumentException>(() => compiled.BatchGradient(c.Type, c.Method, Enumerable.Range(0, d).Select(_ => new double[3]).ToArray(), weights, k - 1));
        Assert.Equal("gradient", e.ParamName);
        if (d > 1)
        {
            var columns = Enumerable.Range(0, d).Select(j => new double[j == d - 1 ? 4 : 3]).ToArray();
            e = Assert.Throws<ArgumentException>(() => compiled.BatchGradient(c.Type, c.Method, columns, weights));
            Assert.Contains("same length", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => compiled.BatchValue(c.Type, c.Method, columns, weights));
            Assert.Contains("same length", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Batches_exist_where_the_data_are_doubles()
    {
        int withBatch = CorpusCatalog.Cases.Count(c => FirstParameterOnly(c.Group).HasBatch(c.Type, c.Method));
        Assert.True(withBatch >= 40, withBatch + " corpus methods have a batched gradient");
    }

    private static readonly ConcurrentDictionary<string, Compiled> Variants = new(StringComparer.Ordinal);

    /// <summary>The group with <c>[Wrt]</c> on the first parameter of every method that has no <c>[Wrt]</c> and two or more parameters.</summary>
    /// <remarks>The Second group is left as it is: its source uses its objectives as data-free <c>IObjective&lt;NoData&gt;</c>.</remarks>
    private static Compiled FirstParameterOnly(string group) => group == CorpusCatalog.Second
        ? CorpusCatalog.Compile(group)
        : Variants.GetOrAdd(group, g => GeneratorHarness.Compile(CorpusCatalog.Groups[g].Select(WrtOnFirstParameter).ToArray()));

    private static string WrtOnFirstParameter(string source)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.Count > 0 && m.ParameterList.Parameters.Count >= 2 && m.ParameterList.Parameters.All(p => p.AttributeLists.Count == 0));
        var wrt = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::SymGrad.Wrt"))));
        return root.ReplaceNodes(methods, (_, m) =>
        {
            var parameters = m.ParameterList.Parameters;
            return m.WithParameterList(m.ParameterList.WithParameters(parameters.Replace(parameters[0], parameters[0].AddAttributeLists(wrt))));
        }).ToFullString();
    }

    private static void AssertSum(double expected, double scale, double actual, string what)
    {
        double tolerance = (RelTol * scale) + 1e-300;
        Assert.True(
            Math.Abs(actual - expected) <= tolerance || (double.IsNaN(expected) && double.IsNaN(actual)),
            $"{what}: batched {actual:R}, scalar sum {expected:R} (tolerance {tolerance:G3})");
    }
}
