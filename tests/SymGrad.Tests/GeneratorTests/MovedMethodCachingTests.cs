using SymGrad.Generator;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>An edit that only moves a method (typing above it) must not re-run differentiation or emission.</summary>
public class MovedMethodCachingTests
{
    private const string Source = """
        using SymGrad;
        public static partial class Moved
        {
            public static double Unrelated(double x) => x + 1;

            [Differentiable]
            public static double F(double x, double w) => SymMath.Sigmoid(w * x);
        }
        """;

    [Fact]
    public void Editing_a_method_above_only_moves_the_model_and_hits_the_differentiation_cache()
    {
        IncrementalRun run = IncrementalAssert.Start(Source)
            .ReplaceText("x + 1;", "x + 1 + 2 * x;  // a longer, unrelated edit");

        // The located model moved …
        run.AssertSomeModified(TrackingNames.Methods);

        // … but what differentiation depends on did not, so the expensive step is cached.
        run.AssertAllCachedOrUnchanged(TrackingNames.Normalized, TrackingNames.Differentiated);
        run.AssertModelsAreClean(TrackingNames.Methods, TrackingNames.Normalized, TrackingNames.Differentiated);
    }

    [Fact]
    public void A_moved_method_still_reports_its_warning_at_the_new_position()
    {
        const string source = """
            using SymGrad;
            public static partial class MovedWarning
            {
                [Differentiable]
                public static double F(double x, double unused) => x * x;
            }
            """;
        IncrementalRun run = IncrementalAssert.Start(source).ReplaceText("public static partial class MovedWarning", "public static partial class MovedWarning // moved\n");
        var warning = Assert.Single(run.Result.Diagnostics, d => d.Id == "SG0100");
        string text = run.Compilation.SyntaxTrees[0].GetText().ToString(warning.Location.SourceSpan);
        Assert.Equal("unused", text);
    }
}
