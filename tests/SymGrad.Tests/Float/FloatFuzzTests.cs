using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Fuzzing;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Tests.Float;

/// <summary>
/// Robustness of float methods: the program fuzzer's supported programs, rewritten in float (<c>double</c> →
/// <c>float</c>, <c>Math</c> → <c>MathF</c>, <c>SymMath</c> → <c>SymMathF</c>, <c>f</c> on every literal with a fraction),
/// never make the generator throw or fail internally (SG9999): each either gets an error diagnostic (SG0018 for the
/// loops, arrays and int data program mode would need) or generated code that compiles with no error or warning.
/// </summary>
public sealed partial class FloatFuzzTests
{
    private readonly ITestOutputHelper _output;

    public FloatFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Fuzzed_programs_in_float_get_a_diagnostic_or_clean_code_and_never_an_exception()
    {
        var cases = new List<FCase>();
        ProgramGen.Batch(ProgramGen.Supported, 150).Sample(batch => cases.AddRange(batch), seed: new PCG(3_000_000u, FuzzSettings.DefaultSeed).ToString(), iter: 1, threads: 1);
        Check(cases.Select(c => ToFloat(FuzzText.Source(c))).ToList(), 10);
    }

    [Fact]
    public void Fuzzed_loop_programs_in_float_get_a_diagnostic_or_clean_code_and_never_an_exception()
    {
        // Program mode: loops with run-time trip counts, arrays and spans, int data, local buffers, the tape.
        LCase[] cases = LoopGen.Batch(LoopGen.Case(LoopGrammar.Current), 120).Generate(new PCG(3_100_000u, FuzzSettings.DefaultSeed), null, out Size _);
        Check(cases.Select(c => ToFloat(LText.Source(c))).ToList(), 10);
    }

    private void Check(List<string> sources, int minimumGenerated) => RewrittenProgramsCheck.Check(sources, minimumGenerated, "float", _output);

    /// <summary>A double program rewritten in float.</summary>
    private static string ToFloat(string source)
    {
        string s = source.Replace("double", "float", StringComparison.Ordinal).Replace("Math.", "MathF.", StringComparison.Ordinal);
        return FractionLiteral().Replace(s, "$1f");
    }

    [GeneratedRegex(@"(?<![\w.])(\d+\.\d+(?:E[+-]?\d+)?|\d+E[+-]?\d+)(?![\w.])")]
    private static partial Regex FractionLiteral();
}
