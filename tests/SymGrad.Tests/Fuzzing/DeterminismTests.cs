using System;
using System.Globalization;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using SymGrad.Tests.Numerics;
using SymGrad.Tests.Seeds;
using Xunit;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// The generator's output is a pure function of the source: generating twice gives byte-identical files (and hint
/// names), and the thread's culture (decimal comma in de-DE, Arabic digits and separators in ar-SA) changes nothing.
/// The sources carry many literals (0.5, 1e-3, 1e200, −1e-300, 62.5, …), Hessians and readable names.
/// </summary>
public sealed class DeterminismTests
{
    private static readonly string[] Sources =
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

    private static string Generate()
    {
        GeneratorRun run = GeneratorHarness.Run(Sources);
        run.AssertNoExceptions();
        return string.Join("\n", run.GeneratedSources.Select(kv => "// " + kv.Key + "\n" + kv.Value));
    }

    private static string GenerateIn(string culture)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo savedUi = CultureInfo.CurrentUICulture;
        try
        {
            // The driver runs the generator on the calling thread; the thread culture is what a locale changes.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return Generate();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    [Fact]
    public void Generating_twice_gives_byte_identical_output()
    {
        string first = Generate();
        string second = Generate();
        Assert.True(first.Length > 10_000, "the sources should produce substantial output");
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    [InlineData("fr-FR")]
    public void Output_does_not_depend_on_the_thread_culture(string culture)
    {
        // The culture really formats numbers differently, or the test would prove nothing.
        // (de-DE: "-1,5"; ar-SA: "\u061C-1\u066B5"; fr-FR: "-1,5").
        Assert.NotEqual((-1.5).ToString(CultureInfo.InvariantCulture), (-1.5).ToString(CultureInfo.GetCultureInfo(culture)));

        string invariant = GenerateIn(CultureInfo.InvariantCulture.Name);
        string local = GenerateIn(culture);
        Assert.Equal(invariant, local);
    }
}
