using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using SymGrad.Tests.Corpus;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>Generating twice gives byte-identical output, and the current culture never changes a character.</summary>
public sealed class DeterminismTests
{
    private static readonly string[] Sources =
    {
        CorpusSources.Elementary, CorpusSources.Flow, CorpusSources.Second, CorpusSources.Activations, CorpusSources.Calls,
    };

    /// <summary>
    /// Every generated file of every corpus group with its hint name, plus the generator diagnostics, in one string;
    /// each call parses the sources afresh and uses a new driver (generator only, no compilation of the output).
    /// </summary>
    private static string GenerateAll()
    {
        var parts = Sources.Select(source =>
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

    [Fact]
    public void Generating_twice_is_byte_identical()
    {
        string first = GenerateAll();
        string second = GenerateAll();
        Assert.Equal(first, second);
        Assert.Equal(CorpusCatalog.Groups.Keys.Sum(g => CorpusCatalog.Run(g).GeneratedSources.Count), first.Split("// ---- ").Length - 1);
    }

    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        string invariant = WithCulture(CultureInfo.InvariantCulture, GenerateAll);
        foreach (var name in new[] { "de-DE", "fr-FR", "ar-SA" })
        {
            var culture = CultureInfo.GetCultureInfo(name);

            // Make sure the culture really is different (no invariant-globalization mode), or the test proves nothing.
            Assert.NotEqual("0.5", WithCulture(culture, () => 0.5.ToString(CultureInfo.CurrentCulture)));
            string localized = WithCulture(culture, GenerateAll);
            Assert.True(invariant == localized, $"output under {name} differs:\n" + Snapshot.UnifiedDiff(invariant, localized));
        }
    }

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
