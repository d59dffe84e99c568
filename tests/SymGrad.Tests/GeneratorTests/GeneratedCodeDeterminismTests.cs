using System;
using System.Globalization;
using System.Linq;
using SymGrad.Tests.Corpus;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Numerics;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// The generator's output is a pure function of the source: generating twice gives byte-identical files, hint names
/// and diagnostics, and the thread's culture (decimal comma in de-DE and fr-FR, Arabic digits and separators in ar-SA)
/// changes no character. Two source sets: every corpus group, each in its own compilation and driver; and one
/// compilation of literal-heavy sources (0.5, 1e-3, 1e200, −1e-300, 62.5, …) with Hessians and readable names.
/// </summary>
public sealed class GeneratedCodeDeterminismTests
{
    private static readonly string[] CorpusGroups =
    {
        CorpusSources.Elementary, CorpusSources.Flow, CorpusSources.Second, CorpusSources.Activations, CorpusSources.Calls,
    };

    private static readonly string[] LiteralSources =
    {
        NumericsModels.Source,
        TinyNetSeed.Source.Replace("[Differentiable]\n        public static double Loss", "[Differentiable(Hessian = true)]\n        public static double Loss", StringComparison.Ordinal),
        """
        using System;
        using SymGrad;

        namespace Literals;

        public static partial class Consts
        {
            [Differentiable(Hessian = true)]
            public static double Mixed(double x, [Wrt] double y, [Wrt] double w = 0.5)
            {
                const double k = 1.5e-3;
                double a = x * 1e200 * y - 2.25 * w + k;
                double b = a > -1e-300 ? Math.Pow(a, 2.5) : Math.Exp(-0.125 * a);
                return Math.Log(1 + b * b) / (3.75 + w * w) + Math.Max(y, 0.1);
            }
        }
        """,
    };

    /// <summary>
    /// Every generated file of every corpus group with its hint name, plus the generator diagnostics, in one string;
    /// each call parses the sources afresh and uses a new driver (generator only, no compilation of the output).
    /// </summary>
    private static string GenerateCorpus()
    {
        var parts = CorpusGroups.Select(source =>
        {
            var result = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(source)).GetRunResult();
            var files = result.Results.Single().GeneratedSources
                .OrderBy(s => s.HintName, StringComparer.Ordinal)
                .Select(s => "// ---- " + s.HintName + "\n" + s.SourceText.ToString());
            var diagnostics = result.Diagnostics.Select(d => d.ToString());
            return string.Join("\n", files) + "\n// diagnostics\n" + string.Join("\n", diagnostics);
        });
        return string.Join("\n// ==== next group\n", parts);
    }

    /// <summary>Every generated file of the literal-heavy sources (one compilation) with its hint name.</summary>
    private static string GenerateLiterals()
    {
        GeneratorRun run = GeneratorHarness.Run(LiteralSources);
        run.AssertNoExceptions();
        return string.Join("\n", run.GeneratedSources.Select(kv => "// " + kv.Key + "\n" + kv.Value));
    }

    [Fact]
    public void Generating_the_corpus_twice_is_byte_identical()
    {
        string first = GenerateCorpus();
        string second = GenerateCorpus();
        Assert.Equal(first, second);
        Assert.Equal(CorpusCatalog.Groups.Keys.Sum(g => CorpusCatalog.Run(g).GeneratedSources.Count), first.Split("// ---- ").Length - 1);
    }

    [Fact]
    public void Generating_the_literal_heavy_sources_twice_is_byte_identical()
    {
        string first = GenerateLiterals();
        string second = GenerateLiterals();
        Assert.True(first.Length > 10_000, "the sources should produce substantial output");
        Assert.Equal(first, second);
    }

    [Fact]
    public void Corpus_output_does_not_depend_on_the_current_culture()
    {
        string invariant = WithCulture(CultureInfo.InvariantCulture, GenerateCorpus);
        foreach (var name in new[] { "de-DE", "fr-FR", "ar-SA" })
        {
            var culture = CultureInfo.GetCultureInfo(name);
            AssertFormatsDifferently(culture);
            string localized = WithCulture(culture, GenerateCorpus);
            Assert.True(invariant == localized, $"output under {name} differs:\n" + Snapshot.UnifiedDiff(invariant, localized));
        }
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    [InlineData("fr-FR")]
    public void Literal_heavy_output_does_not_depend_on_the_current_culture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        AssertFormatsDifferently(culture);
        string invariant = WithCulture(CultureInfo.InvariantCulture, GenerateLiterals);
        string local = WithCulture(culture, GenerateLiterals);
        Assert.Equal(invariant, local);
    }

    /// <summary>
    /// The culture really formats numbers differently (no invariant-globalization mode), or the tests prove nothing
    /// (de-DE: "-1,5"; ar-SA: "\u061C-1\u066B5"; fr-FR: "-1,5").
    /// </summary>
    private static void AssertFormatsDifferently(CultureInfo culture) =>
        Assert.NotEqual((-1.5).ToString(CultureInfo.InvariantCulture), (-1.5).ToString(culture));

    /// <summary>Runs <paramref name="action"/> with the thread's culture set: the driver runs the generator on the calling thread.</summary>
    private static T WithCulture<T>(CultureInfo culture, Func<T> action)
    {
        var (culture0, ui0) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture0;
            CultureInfo.CurrentUICulture = ui0;
        }
    }
}
