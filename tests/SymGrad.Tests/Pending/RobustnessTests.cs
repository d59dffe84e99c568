using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace SymGrad.Tests.Pending;

/// <summary>
/// Whatever the user writes, the generator must not crash (an escaped exception drops all output and shows only
/// CS8785): it either generates code that compiles, or reports an SG diagnostic at the user's code.
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string, string> OddInputs => new()
    {
        { "not partial", "public static class C { [Differentiable] public static double M(double x) => x * x; }" },
        { "instance method", "public partial class C { [Differentiable] public double M(double x) => x * x; }" },
        { "returns float", "public static partial class C { [Differentiable] public static float M(float x) => x * x; }" },
        { "generic method", "public static partial class C { [Differentiable] public static double M<T>(double x) => x * x; }" },
        { "no parameters", "public static partial class C { [Differentiable] public static double M() => 1.0; }" },
        { "recursion", "public static partial class C { [Differentiable] public static double M(double x) => x < 1 ? x : M(x / 2); }" },
        { "loop", "public static partial class C { [Differentiable] public static double M(double x) { double s = 0; for (int i = 0; i < 3; i++) s += x * i; return s; } }" },
        { "unknown call", "public static partial class C { [Differentiable] public static double M(double x) => System.Math.BitIncrement(x); }" },
        { "ref parameter", "public static partial class C { [Differentiable] public static double M(ref double x) => x * x; }" },
        { "Wrt on data type", "public static partial class C { [Differentiable] public static double M([Wrt] int k, double x) => k * x; }" },
        { "does not compile", "public static partial class C { [Differentiable] public static double M(double x) => x * undefined; }" },
        { "nested in generic", "public static partial class G<T> { public static partial class C { [Differentiable] public static double M(double x) => x * x; } }" },
        { "missing body", "public static partial class C { [Differentiable] public static partial double M(double x); }" },
    };

    [Theory]
    [MemberData(nameof(OddInputs))]
    public void Odd_input_yields_code_or_an_SG_diagnostic_never_a_crash(string description, string body)
    {
        var source = "using SymGrad;\n" + body;
        var run = GeneratorHarness.Run(source);

        run.AssertNoExceptions();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8785" or "SG9999");

        var ownErrors = GeneratorHarness.CreateCompilation(source).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToHashSet();
        var newErrors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !ownErrors.Contains(d.Id)).ToList();
        var sgErrors = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("SG", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
        if (newErrors.Count > 0 && sgErrors.Count == 0)
        {
            throw new XunitException(
                $"[{description}] The generated code adds compile errors and the generator reported no SG error:\n" +
                GeneratorHarness.Format(newErrors) + run.AllGeneratedText());
        }

        foreach (var d in run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("SG", StringComparison.Ordinal)))
        {
            Assert.True(d.Location.IsInSource && d.Location.SourceTree!.FilePath == "Source0.cs", $"[{description}] {d} should point at the user's code");
        }
    }
}
