using System;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;
using F = SymGrad.Tests.TestFunctions.NDimensionalFunctions;

namespace SymGrad.Tests.TestFunctions;

/// <summary>
/// The d-dimensional test functions of <see cref="NDimensionalFunctions"/>, at d = 2, 5 and 8 and seeded points away
/// from their kinks: the generated gradient against Richardson finite differences of the function (1e-7 relative), the
/// generated Hessian against finite differences of the gradient's oracle (second differences, 1e-5 relative), and the
/// Hessian's own gradient output against the gradient.
/// </summary>
public sealed class NDimensionalFunctionTests
{
    private delegate double Gradient(double[] x, double[] g);

    private delegate double Hessian(double[] x, double[] g, double[] h);

    public static TheoryData<string> Names => new(Cases.Select(c => c.Name));

    private static readonly (string Name, Func<double[], double> F, Gradient G, Hessian H, int Block)[] Cases =
    {
        ("Rosenbrock", F.Rosenbrock, (x, g) => F.RosenbrockGradient(x, g), (x, g, h) => F.RosenbrockHessian(x, g, h), 1),
        ("Griewank", x => F.Griewank(x), (x, g) => F.GriewankGradient(x, g), (x, g, h) => F.GriewankHessian(x, g, h), 1),
        ("Levy", F.Levy, (x, g) => F.LevyGradient(x, g), (x, g, h) => F.LevyHessian(x, g, h), 1),
        ("Zakharov", F.Zakharov, (x, g) => F.ZakharovGradient(x, g), (x, g, h) => F.ZakharovHessian(x, g, h), 1),
        ("Michalewicz", x => F.Michalewicz(x, 10), (x, g) => F.MichalewiczGradient(x, 10, g), (x, g, h) => F.MichalewiczHessian(x, 10, g, h), 1),
        ("Schwefel", x => F.Schwefel(x), (x, g) => F.SchwefelGradient(x, g), (x, g, h) => F.SchwefelHessian(x, g, h), 1),
        ("DixonPrice", F.DixonPrice, (x, g) => F.DixonPriceGradient(x, g), (x, g, h) => F.DixonPriceHessian(x, g, h), 1),
        ("SumOfDifferentPowers", F.SumOfDifferentPowers, (x, g) => F.SumOfDifferentPowersGradient(x, g), (x, g, h) => F.SumOfDifferentPowersHessian(x, g, h), 1),
        ("Powell", F.Powell, (x, g) => F.PowellGradient(x, g), (x, g, h) => F.PowellHessian(x, g, h), 4),
        // Perm's β is a double parameter, so it is differentiated too: the layout is x, then β.
        ("Perm", p => F.Perm(p[..^1], p[^1]), (p, g) => F.PermGradient(p[..^1], p[^1], g), (p, g, h) => F.PermHessian(p[..^1], p[^1], g, h), 1),
        ("RotatedHyperEllipsoid", F.RotatedHyperEllipsoid, (x, g) => F.RotatedHyperEllipsoidGradient(x, g), (x, g, h) => F.RotatedHyperEllipsoidHessian(x, g, h), 1),
        ("Qing", x => F.Qing(x), (x, g) => F.QingGradient(x, g), (x, g, h) => F.QingHessian(x, g, h), 1),
        ("Alpine1", F.Alpine1, (x, g) => F.Alpine1Gradient(x, g), (x, g, h) => F.Alpine1Hessian(x, g, h), 1),
        ("Salomon", F.Salomon, (x, g) => F.SalomonGradient(x, g), (x, g, h) => F.SalomonHessian(x, g, h), 1),
        ("Ackley", F.Ackley, (x, g) => F.AckleyGradient(x, g), (x, g, h) => F.AckleyHessian(x, g, h), 1),
        ("StyblinskiTang", x => F.StyblinskiTang(x), (x, g) => F.StyblinskiTangGradient(x, g), (x, g, h) => F.StyblinskiTangHessian(x, g, h), 1),
        ("Trid", F.Trid, (x, g) => F.TridGradient(x, g), (x, g, h) => F.TridHessian(x, g, h), 1),
        ("ChainedWood", F.ChainedWood, (x, g) => F.ChainedWoodGradient(x, g), (x, g, h) => F.ChainedWoodHessian(x, g, h), 2),
        ("Sawtooth", F.Sawtooth, (x, g) => F.SawtoothGradient(x, g), (x, g, h) => F.SawtoothHessian(x, g, h), 1),
        ("PiFunctions", F.PiFunctions, (x, g) => F.PiFunctionsGradient(x, g), (x, g, h) => F.PiFunctionsHessian(x, g, h), 1),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_and_Hessian_match_finite_differences_in_several_dimensions(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        foreach (int d in new[] { 2, 5, 8 })
        {
            int n = Math.Max(c.Block, d / c.Block * c.Block) + (name == "Perm" ? 1 : 0);
            double[] x = Point(name.Length * 31 + d, n);
            string where = $"{name}, d = {d}, x = [{string.Join(", ", x.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}]";

            double[] g = new double[n];
            double value = c.G(x, g);
            Oracle.AssertClose(c.F(x), value, 1e-12, 1e-12, "value", where);
            Oracle.AssertClose(Oracle.Gradient(c.F, x), g, 1e-7, 1e-8, context: where + ", gradient");

            double[] g2 = new double[n];
            double[] h = new double[n * n];
            Oracle.AssertClose(value, c.H(x, g2, h), 1e-12, 1e-12, "Hessian's value", where);
            Oracle.AssertClose(g, g2, 1e-12, 1e-12, context: where + ", the Hessian's gradient");
            Oracle.AssertClose(Oracle.Hessian(c.F, x), h, 1e-5, 1e-6, context: where + ", Hessian");
        }
    }

    /// <summary>A seeded point in [−2, 2]ⁿ with every |xᵢ| ≥ 0.2 (away from the kinks of |x| and √|x| at 0).</summary>
    private static double[] Point(int seed, int n)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            double v = 0.2 + 1.8 * random.NextDouble();
            return random.Next(2) == 0 ? -v : v;
        }).ToArray();
    }
}
