using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;
using S = SymGrad.Tests.Programs.StructModels;

namespace SymGrad.Tests.Programs;

/// <summary>
/// Models written with users' structs (<see cref="StructModels"/>): gradients (and Hessians) against Richardson
/// finite differences of the user's own methods, in scalar and program mode; the generated code holds each struct
/// as its fields (no struct in it).
/// </summary>
public sealed class StructModelTests
{
    [Theory]
    [InlineData(0.5, -1.25, 2.0)]
    [InlineData(-0.75, 0.3, -1.5)]
    public void Operators_methods_with_and_a_computed_property_match_finite_differences(double a, double b, double c)
    {
        double[] p = { a, b, c };
        double[] g = new double[3];
        double value = S.GeometryGradient(p, g);
        Oracle.AssertClose(S.Geometry(p), value, 1e-13, 1e-13);
        Oracle.AssertClose(Oracle.Gradient(S.Geometry, p), g, 1e-8, 1e-10);
        double[] h = new double[9];
        S.GeometryHessian(p, new double[3], h);
        Oracle.AssertClose(Oracle.Hessian(S.Geometry, p), h, 1e-5, 1e-7);
    }

    [Theory]
    [InlineData(0.3, 0.7)]
    [InlineData(2.1, -1.4)]
    public void A_struct_with_a_constructor_body_an_initializer_and_fields_updated_in_place_matches_finite_differences(double a, double b)
    {
        var g = S.PhasorGradient(a, b);
        Func<double[], double> f = q => S.Phasor(q[0], q[1]);
        Oracle.AssertClose(S.Phasor(a, b), g.Value, 1e-13, 1e-13);
        Oracle.AssertClose(Oracle.Gradient(f, [a, b]), new[] { g.a, g.b }, 1e-8, 1e-10);
        double[] h = new double[4];
        S.PhasorHessian(a, b, new double[2], h);
        Oracle.AssertClose(Oracle.Hessian(f, [a, b]), h, 1e-6, 1e-8);
    }

    [Fact]
    public void A_struct_accumulated_in_a_run_time_loop_with_a_branch_matches_finite_differences()
    {
        double[] xs = { 1.0, 2.0, 3.0, -0.5, 1.5 };
        foreach (double[] w in new[] { new[] { 0.45, -0.25 }, new[] { 0.9, 0.4 } }) // away from acc.X = 2, where the branch flips
        {
            double[] g = new double[2];
            double value = S.AccumulateGradient(w, xs, g);
            Oracle.AssertClose(S.Accumulate(w, xs), value, 1e-13, 1e-13);
            Oracle.AssertClose(Oracle.Gradient(q => S.Accumulate(q, xs), w), g, 1e-8, 1e-10);
        }
    }

    [Fact]
    public void Data_given_as_arrays_and_spans_of_structs_matches_finite_differences()
    {
        Vec3[] points = { new(1.0, 2.0, 0.5), new(-0.5, 0.25, 1.5), new(3.0, -1.0, 0.75) };
        Vec3[] weights = { new(1.0, 0, 0), new(0.5, 0, 0), new(2.0, 0, 0) };
        double[] center = { 0.2, -0.3, 0.4 };
        double[] g = new double[3];
        double value = S.SpreadGradient(center, points, weights, g);
        Oracle.AssertClose(S.Spread(center, points, weights), value, 1e-13, 1e-13);
        Oracle.AssertClose(Oracle.Gradient(q => S.Spread(q, points, weights), center), g, 1e-8, 1e-10);
        double[] h = new double[9];
        S.SpreadHessian(center, points, weights, new double[3], h);
        Oracle.AssertClose(Oracle.Hessian(q => S.Spread(q, points, weights), center), h, 1e-6, 1e-8);
    }

    [Fact]
    public void A_differentiated_array_of_structs_takes_one_slot_per_field_and_matches_finite_differences()
    {
        Vec3[] points = { new(0.0, 0.0, 0.0), new(1.2, 0.1, -0.3), new(2.0, 0.8, 0.4), new(2.5, 1.9, 0.1) };
        double[] p = points.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray();
        Vec3[] Unpack(double[] q) => Enumerable.Range(0, q.Length / 3).Select(i => new Vec3(q[3 * i], q[(3 * i) + 1], q[(3 * i) + 2])).ToArray();
        double F(double[] q) => S.Chain(Unpack(q), 1.0);

        double[] g = new double[12];
        double value = S.ChainGradient(points, 1.0, g);
        Oracle.AssertClose(F(p), value, 1e-13, 1e-13);
        Oracle.AssertClose(Oracle.Gradient(F, p), g, 1e-8, 1e-10, context: "layout points[0].X, points[0].Y, points[0].Z, points[1].X, …");
        double[] h = new double[144];
        S.ChainHessian(points, 1.0, new double[12], h);
        Oracle.AssertClose(Oracle.Hessian(F, p), h, 1e-5, 1e-7);
        Assert.Throws<ArgumentException>(() => S.ChainGradient(points, 1.0, new double[11]));
    }

    [Fact]
    public void Math_SinCos_deconstructed_matches_finite_differences()
    {
        var g = S.TurnGradient(0.7, 1.5, -0.5);
        Oracle.AssertClose(S.Turn(0.7, 1.5, -0.5), g.Value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(q => S.Turn(q[0], q[1], q[2]), [0.7, 1.5, -0.5]), new[] { g.theta, g.x, g.y }, 1e-8, 1e-10);
        double[] angles = { 0.3, -1.1, 2.0 };
        double[] ga = new double[3];
        double value = S.TurnManyGradient(angles, ga);
        Oracle.AssertClose(S.TurnMany(angles), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(S.TurnMany, angles), ga, 1e-8, 1e-10);
    }

    [Theory]
    [InlineData(0.8, 0.6)]
    [InlineData(1.9, 1.3)]
    [InlineData(-0.4, 2.2)]
    public void Mutating_struct_methods_with_a_branch_and_a_loop_match_finite_differences(double a, double b)
    {
        var g = S.SampleGradient(a, b);
        Oracle.AssertClose(S.Sample(a, b), g.Value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(q => S.Sample(q[0], q[1]), [a, b]), new[] { g.a, g.b }, 1e-8, 1e-10);
        double[] xs = { a, b, a * b, 0.3 };
        double[] gs = new double[4];
        double value = S.SeriesGradient(xs, 0.9, gs);
        Oracle.AssertClose(S.Series(xs, 0.9), value, 1e-14, 1e-14);
        Oracle.AssertClose(Oracle.Gradient(q => S.Series(q, 0.9), xs), gs, 1e-8, 1e-10);
    }

    [Fact]
    public void Rodrigues_with_a_vector_type_and_helpers_matches_finite_differences()
    {
        double[] camera = { 0.1, -0.2, 0.3, 0.5, -0.4, 5.0, 1.2 };
        double[] g = new double[7];
        double value = S.ReprojectionGradient(camera, 0.3, 0.8, 1.5, 0.2, -0.1, g);
        Oracle.AssertClose(S.Reprojection(camera, 0.3, 0.8, 1.5, 0.2, -0.1), value, 1e-13, 1e-13);
        Oracle.AssertClose(Oracle.Gradient(q => S.Reprojection(q, 0.3, 0.8, 1.5, 0.2, -0.1), camera), g, 1e-7, 1e-9);
    }

    [Fact]
    public void The_generated_code_of_a_struct_model_matches_the_approved_snapshot()
    {
        var run = GeneratorHarness.Run(System.IO.File.ReadAllText(RepositoryFiles.PathOf("tests/SymGrad.Tests/Programs/StructModels.cs")));
        Snapshot.Verify(run.GeneratedSources["SymGrad.Tests.Programs.StructModels.Phasor_2.g.cs"], "Structs.Phasor");
    }

    [Fact]
    public void The_generated_code_holds_each_struct_as_its_fields()
    {
        var run = GeneratorHarness.Run(System.IO.File.ReadAllText(RepositoryFiles.PathOf("tests/SymGrad.Tests/Programs/StructModels.cs")));
        foreach (string file in new[] { "SymGrad.Tests.Programs.StructModels.Geometry_1.g.cs", "SymGrad.Tests.Programs.StructModels.Phasor_2.g.cs" })
        {
            string code = string.Concat(run.GeneratedSources[file].Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            Assert.DoesNotContain("Vec3", code, StringComparison.Ordinal);
            Assert.DoesNotContain("Complex2", code, StringComparison.Ordinal);
        }

        Assert.Contains("double v_X", run.GeneratedSources["SymGrad.Tests.Programs.StructModels.Geometry_1.g.cs"], StringComparison.Ordinal);
        Assert.Contains("global::System.Runtime.InteropServices.MemoryMarshal.Cast<global::SymGrad.Tests.Programs.Vec3, double>", run.AllGeneratedText(), StringComparison.Ordinal);
    }
}
