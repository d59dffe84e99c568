using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>Local arrays are element-wise SSA variables, so C# aliasing must be refused rather than mis-modelled.</summary>
public class LocalArrayDiagnosticsTests
{
    [Fact]
    public void Aliasing_a_local_array_is_an_error_not_a_silent_copy()
    {
        var run = GeneratorHarness.Run("""
            using SymGrad;
            public static partial class Alias
            {
                [Differentiable]
                public static double F(double x)
                {
                    double[] a = { x, 2 * x };
                    double[] b = a;
                    b[0] = 5;
                    return a[0];
                }
            }
            """);
        run.AssertNoExceptions();
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG0002", d.Id);
        Assert.Equal("a", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Writing_the_array_a_foreach_iterates_is_an_error()
    {
        var run = GeneratorHarness.Run("""
            using SymGrad;
            public static partial class Iterated
            {
                [Differentiable]
                public static double F(double x)
                {
                    double[] a = { x, 2 * x };
                    double s = 0;
                    foreach (double v in a) { a[1] = v; s += v; }
                    return s;
                }
            }
            """);
        run.AssertNoExceptions();

        // Program mode reads a[i] when the iteration reaches it, as C# does: writing the array is supported.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.NotEmpty(run.GeneratedSources);
    }
}
