using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>Messages for two natural patterns SymGrad does not lower: re-pointing a buffer name, and foreach with deconstruction.</summary>
public sealed class BufferAndForeachMessageTests
{
    [Theory]
    [InlineData("(u, v) = (v, u);", 1)]
    [InlineData("var t = u; u = v; v = t;", 2)] // two assignments, two errors; nothing about the names read
    public void Swapping_two_buffers_says_to_copy_the_elements(string swap, int assignments)
    {
        string source = """
            using System;
            using SymGrad;

            public static partial class Stepper
            {
                [Differentiable]
                public static double Run(double[] x)
                {
                    double[] u = new double[x.Length];
                    double[] v = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) u[i] = x[i];
                    for (int s = 0; s < 3; s++)
                    {
                        for (int i = 1; i < x.Length - 1; i++) v[i] = 0.5 * (u[i - 1] + u[i + 1]);
                        SWAP
                    }
                    return u[1];
                }
            }
            """.Replace("SWAP", swap, StringComparison.Ordinal);
        var run = GeneratorHarness.Run(source);
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(assignments, errors.Count); // one per cause
        Assert.All(errors, error =>
        {
            Assert.Equal("SG0002", error.Id);
            string message = error.GetMessage(CultureInfo.InvariantCulture);
            Assert.Contains("assignment to buffer", message, StringComparison.Ordinal);
            Assert.Contains("CopyTo", message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Foreach_with_deconstruction_is_named_as_written()
    {
        const string source = """
            using System;
            using SymGrad;

            public static partial class Pairs
            {
                [Differentiable]
                public static double Sum(double a)
                {
                    double s = 0;
                    foreach (var (x, y) in new[] { (1.0, 2.0) }) s += a * x * y;
                    return s;
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        Diagnostic error = run.GeneratorDiagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
        string message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("foreach with deconstruction", message, StringComparison.Ordinal);
        Assert.DoesNotContain("for each variable", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_of_structs_with_an_int_field_names_the_field()
    {
        const string source = """
            using SymGrad;

            public readonly record struct Spring(int A, int B, double Rest);

            public static partial class Net
            {
                [Differentiable]
                public static double Energy(double[] x, Spring[] springs)
                {
                    double e = 0;
                    foreach (Spring s in springs) e += (x[s.A] - x[s.B] - s.Rest) * (x[s.A] - x[s.B] - s.Rest);
                    return e;
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        Diagnostic error = run.GeneratorDiagnostics.First(d => d.Id == "SG0005");
        Assert.Contains("'Spring' has 'A' of type 'int'", error.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("springs", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
    }
}
