using System;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Float;

/// <summary>
/// Constant folding in a float method gives what the float code computes: sums, products and quotients of constants
/// are rounded to float at each step, and calls of constants are left to MathF at run time, so the generated value
/// has the bits of the user's own method where no stability rewrite applies.
/// </summary>
public sealed class FloatFoldingTests
{
    private const string Source = """
        using System;
        using SymGrad;

        namespace Folding;

        public static partial class F
        {
            // 0.1f + 0.2f is 0.3f in float (so b − 0.3f is 0), but 0.30000000447 in double (b − 0.3f would be −7.45e−9).
            [Differentiable]
            public static float Chain(float x)
            {
                float a = 0.1f;
                float b = a + 0.2f;
                float c = b - 0.3f;
                float third = 1f / 3f;
                float d = third * 3f - 1f;
                return x * (1 + c) + d * x + 1e-8f;
            }

            // exp(2), sin(0.5) and ∛2 of constants: MathF computes them at run time; √(1/3) is folded (correctly rounded either way).
            [Differentiable]
            public static float Calls(float x)
            {
                float two = 2f;
                float half = 0.5f;
                return x * MathF.Exp(two) + MathF.Sqrt(1f / 3f + two * 0f) * x + MathF.Sin(half) + MathF.Cbrt(two);
            }
        }
        """;

    private static Compiled Compiled => GeneratorHarness.Compile(Source);

    [Theory]
    [InlineData("Chain")]
    [InlineData("Calls")]
    public void The_generated_value_has_the_bits_of_the_float_method(string method)
    {
        Compiled.Run.AssertCompilesCleanly();
        foreach (float x in new[] { 0f, 1f, -2.5f, 3.25f, 1e-3f, 123.456f })
        {
            float own = (float)Compiled.Invoke("F", method, x)!;
            var (value, _) = Compiled.Gradient("F", method, x);
            Assert.Equal(BitConverter.SingleToInt32Bits(own), BitConverter.SingleToInt32Bits((float)value));
        }
    }

    [Fact]
    public void Folded_constants_are_float_literals_and_calls_of_constants_stay_calls()
    {
        string chain = Compiled.Run.GeneratedSource("Chain");
        Assert.DoesNotContain("E-09", chain, StringComparison.Ordinal); // b − 0.3f folded in float is 0, not −7.45e−9
        string calls = Compiled.Run.GeneratedSource("Calls");
        Assert.Contains("global::System.MathF.Exp(2.0f)", calls, StringComparison.Ordinal);
        Assert.Contains("global::System.MathF.Sin(0.5f)", calls, StringComparison.Ordinal);
        Assert.DoesNotContain("Sqrt", calls, StringComparison.Ordinal); // √ is correctly rounded in float as in double: folded
    }
}
