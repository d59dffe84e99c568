using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// "Never wrong, never crash": random programs over the supported grammar must differentiate correctly (or be
/// diagnosed), random programs with an unsupported construct must be rejected with an error diagnostic, and no
/// exception may escape the generator. Set SYMGRAD_FUZZ_CASES=10000 for the long run (see <see cref="FuzzSettings"/>).
/// </summary>
public sealed class ProgramFuzzTests
{
    private readonly ITestOutputHelper _output;

    public ProgramFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Supported_programs_get_the_right_value_gradient_and_Hessian()
    {
        FuzzSettings s = FuzzSettings.Current;
        FuzzDriver.Run(ProgramGen.Supported, s.SupportedCases, unsupported: false, s, _output);
    }

    [Fact]
    public void Unsupported_programs_get_an_error_diagnostic_and_no_exception()
    {
        FuzzSettings s = FuzzSettings.Current;
        FuzzDriver.Run(ProgramGen.Unsupported, s.UnsupportedCases, unsupported: true, s, _output);
    }
}
