using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Seeds;
using Xunit;
using Xunit.Sdk;

namespace SymGrad.Tests.Pending;

/// <summary>Same input → byte-identical output, whatever the run and whatever the thread's culture.</summary>
public sealed class DeterminismTests
{
    // Constants whose formatting a culture could change (decimal comma, exponent, minus sign).
    private const string Constants = """
        using SymGrad;

        public static partial class Constants
        {
            [Differentiable]
            public static double Shaped(double x, double w)
                => 0.5 * w * x * x - 1.25e-3 * SymMath.Sigmoid(-2.5 * w) + 1234567.875 * x;
        }
        """;

    private static readonly string[] Sources = { TinyNetSeed.Source, Constants };

    private static string Generate() => GeneratorHarness.Run(Sources).AllGeneratedText();

    [Fact]
    public void Two_runs_produce_byte_identical_output()
    {
        var first = GeneratorHarness.Run(Sources);
        var second = GeneratorHarness.Run(Sources);
        Assert.NotEmpty(first.GeneratedSources);
        Assert.Equal(first.GeneratedSources.Keys, second.GeneratedSources.Keys);
        foreach (var hint in first.GeneratedSources.Keys)
        {
            Assert.True(
                Encoding.UTF8.GetBytes(first.GeneratedSources[hint]).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(second.GeneratedSources[hint])),
                $"{hint} differs between two runs:\n" + Snapshot.UnifiedDiff(first.GeneratedSources[hint], second.GeneratedSources[hint]));
        }
    }

    [Fact]
    public void Source_order_does_not_change_the_output()
    {
        var forward = GeneratorHarness.Run(Sources).AllGeneratedText();
        var backward = GeneratorHarness.Run(Sources.Reverse()).AllGeneratedText();
        Assert.True(forward == backward, "output depends on file order:\n" + Snapshot.UnifiedDiff(forward, backward));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public void Output_is_identical_under_culture(string cultureName)
    {
        var culture = CultureInfo.GetCultureInfo(cultureName);

        // Guard against a vacuous pass under invariant globalization (no ICU): the culture must really differ.
        Assert.NotEqual(
            CultureInfo.InvariantCulture.NumberFormat.NumberDecimalSeparator + CultureInfo.InvariantCulture.NumberFormat.NegativeSign,
            culture.NumberFormat.NumberDecimalSeparator + culture.NumberFormat.NegativeSign);

        string baseline = RunUnder(CultureInfo.InvariantCulture);
        string localized = RunUnder(culture);
        if (baseline != localized)
        {
            throw new XunitException($"Generated code differs under {cultureName}:\n" + Snapshot.UnifiedDiff(baseline, localized));
        }
    }

    private static string RunUnder(CultureInfo culture)
    {
        var thread = Thread.CurrentThread;
        var (oldCulture, oldUi) = (thread.CurrentCulture, thread.CurrentUICulture);
        try
        {
            thread.CurrentCulture = culture;
            thread.CurrentUICulture = culture;
            return Generate();
        }
        finally
        {
            thread.CurrentCulture = oldCulture;
            thread.CurrentUICulture = oldUi;
        }
    }
}
