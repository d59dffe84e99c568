using System;
using System.Collections.Generic;
using System.Linq;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.Corpus;

/// <summary>An axis-aligned box of arguments (one interval per parameter) inside which a method is smooth.</summary>
public sealed record Region(double[] Lo, double[] Hi)
{
    /// <summary>A point drawn uniformly from the box.</summary>
    public double[] Sample(Random rng) => Lo.Select((lo, i) => lo + ((Hi[i] - lo) * rng.NextDouble())).ToArray();
}

/// <summary>
/// One corpus method and the regions to test it in. Regions keep every sampled point (and the oracle's steps around
/// it) away from kinks, branch boundaries and domain edges; a method with branches has one region per side.
/// </summary>
public sealed record CorpusCase(string Group, string Type, string Method, IReadOnlyList<Region> Regions)
{
    /// <summary>Unique, readable test-case name.</summary>
    public string Name => Group + ":" + Type.Split('.')[^1] + "." + Method;

    /// <summary>Seeded sample points: <paramref name="perRegion"/> from every region, reproducible run to run.</summary>
    public IEnumerable<double[]> Points(int perRegion = 3)
    {
        var rng = new Random(StableSeed(Name));
        foreach (var region in Regions)
        {
            for (int i = 0; i < perRegion; i++)
            {
                yield return region.Sample(rng);
            }
        }
    }

    private static int StableSeed(string s)
    {
        unchecked
        {
            uint h = 2166136261;
            foreach (char c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return (int)(h & 0x7FFFFFFF);
        }
    }
}

/// <summary>The corpus: source groups (each compiled once) and the numeric test cases for every method in them.</summary>
public static class CorpusCatalog
{
    public const string Elementary = nameof(Elementary);
    public const string Activations = nameof(Activations);
    public const string Flow = nameof(Flow);
    public const string Calls = nameof(Calls);
    public const string Second = nameof(Second);

    /// <summary>Source files of each group.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Groups = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Elementary] = new[] { CorpusSources.Elementary },
        [Activations] = new[] { CorpusSources.Activations },
        [Flow] = new[] { CorpusSources.Flow },
        [Calls] = new[] { CorpusSources.Calls },
        [Second] = new[] { CorpusSources.Second, HessianShims.Source },
    };

    /// <summary>Every gradient case.</summary>
    public static readonly IReadOnlyList<CorpusCase> Cases = Build();

    /// <summary>The cases of <see cref="Second"/> (methods with <c>Hessian = true</c>).</summary>
    public static IEnumerable<CorpusCase> HessianCases => Cases.Where(c => c.Group == Second);

    public static CorpusCase Get(string name) => Cases.Single(c => c.Name == name);

    /// <summary>The generated, compiled and loaded assembly of a group (compiled once per test run).</summary>
    public static Compiled Compile(string group) => GeneratorHarness.Compile(Groups[group]);

    /// <summary>The generator run of a group.</summary>
    public static GeneratorRun Run(string group) => Compile(group).Run;

    public static TheoryData<string> Names(IEnumerable<CorpusCase> cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    /// <summary>A region from interval bounds: <c>R(lo0, hi0, lo1, hi1, …)</c>.</summary>
    private static Region R(params double[] bounds)
    {
        var lo = new double[bounds.Length / 2];
        var hi = new double[bounds.Length / 2];
        for (int i = 0; i < lo.Length; i++)
        {
            lo[i] = bounds[2 * i];
            hi[i] = bounds[(2 * i) + 1];
        }

        return new Region(lo, hi);
    }

    /// <summary>The same interval for each of <paramref name="n"/> parameters.</summary>
    private static Region Cube(int n, double lo, double hi) => R(Enumerable.Range(0, n).SelectMany(_ => new[] { lo, hi }).ToArray());

    private static List<CorpusCase> Build()
    {
        var list = new List<CorpusCase>();
        void Add(string group, string type, string method, params Region[] regions) => list.Add(new CorpusCase(group, type, method, regions));

        // ---- Math
        const string fns = "Corpus.Elementary.Fns";
        Add(Elementary, fns, "Exp", Cube(2, -2, 2));
        Add(Elementary, fns, "Log", Cube(2, 0.5, 3));
        Add(Elementary, fns, "LogBase", R(0.5, 4, 2, 5));
        Add(Elementary, fns, "Log10", R(0.5, 4, -2, 2));
        Add(Elementary, fns, "Log2", R(0.5, 3, -2, 2));
        Add(Elementary, fns, "Sqrt", R(-2, 2, 0.5, 2));
        Add(Elementary, fns, "Cbrt", R(0.5, 3, -2, 2), R(-3, -0.5, -2, 2));
        Add(Elementary, fns, "Pow", R(0.5, 3, -2, 2));
        Add(Elementary, fns, "PowConstantExponents", Cube(2, 0.5, 2));
        Add(Elementary, fns, "PowConstantBase", R(-2, 2));
        Add(Elementary, fns, "Sin", Cube(2, -2, 2));
        Add(Elementary, fns, "Cos", Cube(2, -2, 2));
        Add(Elementary, fns, "Tan", R(-1.2, 1.2, -2, 2));
        Add(Elementary, fns, "Asin", R(-1.8, 1.8));
        Add(Elementary, fns, "Acos", R(-0.9, 0.9, -2, 2));
        Add(Elementary, fns, "Atan", R(-2, 2, 0.5, 2), R(-2, 2, -2, -0.5));
        Add(Elementary, fns, "Atan2", R(0.3, 2, -2, 2), R(-2, -0.3, 0.3, 2));
        Add(Elementary, fns, "Sinh", R(-3, 3));
        Add(Elementary, fns, "Cosh", Cube(2, -1.5, 1.5));
        Add(Elementary, fns, "Tanh", Cube(2, -2, 2));
        Add(Elementary, fns, "Asinh", R(-3, 3));
        Add(Elementary, fns, "Acosh", R(1.2, 4));
        Add(Elementary, fns, "Atanh", R(-0.8, 0.8));
        Add(Elementary, fns, "Abs", R(2, 3, 0, 1), R(-2, -1, 0, 1));
        Add(Elementary, fns, "Max", R(2, 3, 0.5, 1), R(-1, 0, 1, 2));
        Add(Elementary, fns, "Min", Cube(2, 2.5, 3), Cube(2, 0.2, 0.5));
        Add(Elementary, fns, "Clamp", R(-3, -2, -1, 0, 1, 2), R(-0.5, 0.5, -2, -1, 1, 2), R(2, 3, -1, 0, 0.5, 1.5));
        Add(Elementary, fns, "Sign", R(0.5, 2, -2, 2), R(-2, -0.5, -2, 2));
        Add(Elementary, fns, "Floor", R(1.2, 1.8, -2, 2), R(-2.8, -2.2, -2, 2));
        Add(Elementary, fns, "Ceiling", R(1.2, 1.8, -2, 2), R(-2.8, -2.2, -2, 2));
        Add(Elementary, fns, "Round", R(1.1, 1.2, 1.0, 1.1), R(-2.1, -2.0, 1.0, 1.05));
        Add(Elementary, fns, "Truncate", R(1.2, 1.8), R(-2.8, -2.2));
        Add(Elementary, fns, "Fma", Cube(3, -2, 2));
        Add(Elementary, fns, "MathConstants", R(-2, 2));

        // ---- SymMath
        const string act = "Corpus.Activations.Act";
        Add(Activations, act, "Sigmoid", R(-3, 3, -2, 2, -2, 2));
        Add(Activations, act, "SigmoidDerivative", Cube(2, -2, 2));
        Add(Activations, act, "Softplus", Cube(2, -3, 3));
        Add(Activations, act, "LogSigmoid", R(-3, 3));
        Add(Activations, act, "Relu", R(1, 2, -1, 0.5), R(-2, -1, 0, 1));
        Add(Activations, act, "LeakyRelu", R(0.5, 2, 0.01, 0.3), R(-2, -0.5, 0.01, 0.3));
        Add(Activations, act, "Tanh", Cube(2, -2, 2));
        Add(Activations, act, "TanhDerivative", R(-3, 3));
        Add(Activations, act, "Square", Cube(2, -2, 2));
        Add(Activations, act, "Silu", R(-4, 4));
        Add(Activations, act, "Softsign", R(0.5, 2, 0.5, 2), R(-2, -0.5, 0.5, 2));
        Add(Activations, act, "Log1p", Cube(2, -0.8, 0.8), Cube(2, 1, 3));
        Add(Activations, act, "Expm1", R(-1, 1));
        Add(Activations, act, "LogSumExp", Cube(2, -3, 3));
        Add(Activations, act, "Logit", R(0.1, 0.9));
        Add(Activations, act, "Hypot", R(0.5, 3, -3, 3), R(-3, -0.5, 0.5, 3));

        // ---- statements and operators
        const string st = "Corpus.Flow.Stmt";
        Region[] xGreater = { R(1, 2, -1, 0), R(-1, 0, 1, 2) };
        Region[] threeWay = { R(-3, -1.2), R(-0.8, 0.8), R(1.2, 3) };
        Add(Flow, st, "Poly", Cube(2, -2, 2));
        Add(Flow, st, "Locals", Cube(2, -2, 2));
        Add(Flow, st, "Reassign", Cube(2, -2, 2));
        Add(Flow, st, "CompoundAssign", Cube(2, -2, 2));
        Add(Flow, st, "IncrementDecrement", Cube(2, -2, 2));
        Add(Flow, st, "AssignParameters", Cube(2, -2, 2));
        Add(Flow, st, "BoolLocal", xGreater);
        Add(Flow, st, "BoolLocalsCombined", Cube(2, 0.5, 2), Cube(2, -2, -0.5), R(0.5, 2, -2, -0.5));
        Add(Flow, st, "Ternary", xGreater);
        Add(Flow, st, "NestedTernary", threeWay);
        Add(Flow, st, "IfElse", xGreater);
        Add(Flow, st, "IfElseIfElse", threeWay);
        Add(Flow, st, "IfWithoutElse", R(-2, 2, 0.5, 2), R(-2, 2, -2, -0.5));
        Add(Flow, st, "EarlyReturn", R(-2, -0.5, -2, 2), R(0.5, 2, -2, 2));
        Add(Flow, st, "MultipleEarlyReturns", threeWay);
        Add(Flow, st, "EarlyReturnInNestedBranch", R(0.5, 2, -2, 2), R(-2, -0.5, 0.5, 2), Cube(2, -2, -0.5));
        Add(Flow, st, "BothBranchesReturn", Cube(2, 1, 2), Cube(2, -1, 0));
        Add(Flow, st, "Comparisons", R(-2, -1, 0, 2), R(1, 2, -2, 0));
        Add(Flow, st, "EqualityOnData", R(-2, 2, 1, 1), R(-2, 2, 3, 3), R(-2, 2, 2, 2));
        Add(Flow, st, "LogicalOperators", Cube(2, 0.5, 2), R(0.5, 2, -2, -0.5), R(-2, -0.5, 0.5, 2), Cube(2, -2, -0.5));
        Add(Flow, st, "UnaryOperators", Cube(2, -2, 2));
        Add(Flow, st, "ConstFields", R(-2, 2));
        Add(Flow, st, "ConstLocals", R(-2, 2));
        Add(Flow, st, "IntegerConstants", Cube(2, -2, 2));
        Add(Flow, st, "DeepExpression", Cube(2, -1.5, 1.5));
        Add(Flow, st, "ManyParameters", Cube(6, -1.5, 1.5));
        Add(Flow, st, "HandWrittenSigmoid", R(-3, 3, -2, 2, -2, 2));
        Add(Flow, st, "BinaryCrossEntropy", R(-2, 2, 0, 1, -1.5, 1.5, -1.5, 1.5));
        Add(Flow, st, "StabilityRewrites", R(-2, 2, 0.5, 2), R(-2, 2, -2, -0.5));
        Add(Flow, st, "OneMinusSquashes", R(-3, 3));
        Add(Flow, st, "Casts", R(-2, 2));
        Add(Flow, st, "NestedBlocks", R(-2, 2));
        Add(Flow, st, "DeadCode", R(-3, -0.5), R(0.5, 2));
        Add(Flow, st, "BranchNotTakenIsNaN", R(-3, -0.5), R(0.5, 3));
        Add(Flow, st, "ProductOfForwardValues", R(-2, 2));
        Add(Flow, st, "SharedSubexpressions", Cube(2, -2, 2));
        Add(Flow, st, "SelectThenArithmetic", R(1.5, 2, 1, 1.5), R(0.1, 0.3, 0.5, 1), R(0.5, 0.8, -2, -1));

        // ---- calls and containing types
        const string callers = "Corpus.Calls.Callers";
        Add(Calls, callers, "SameType", Cube(2, -2, 2));
        Add(Calls, callers, "CrossType", R(-2, 2));
        Add(Calls, callers, "Nested", Cube(2, -1.5, 1.5));
        Add(Calls, callers, "OptionalArguments", R(-2, 2));
        Add(Calls, callers, "NamedArguments", Cube(2, -2, 2));
        Add(Calls, callers, "CalleeWithBranches", R(1.2, 3), R(-2, 0.8));
        Add(Calls, callers, "IntegerArguments", R(-2, 2));
        Add(Calls, callers, "CallsDifferentiable", R(-1.5, 1.5, -2, 2));
        Add(Calls, callers, "Inner", R(-2, 2));
        Add(Calls, callers, "CalleeLocalsDoNotClash", R(-2, 2));
        Add(Calls, callers, "StructCallee", R(-2, 2));
        Add(Calls, callers, "SameCalleeTwice", R(-2, 2));
        Add(Calls, "Corpus.Calls.PartialStruct", "Energy", Cube(2, -3, 3));
        Add(Calls, "Corpus.Calls.Outer.InnerType", "NestedMethod", Cube(2, -2, 2));
        Add(Calls, "Corpus.Calls.InternalType", "Cube", R(-2, 2));
        Add(Calls, "Corpus.Calls.Rec", "Kinetic", Cube(2, -2, 2));
        Add(Calls, "GlobalNamespaceType", "Smooth", R(-2, 2));

        // ---- Hessian = true
        const string hess = "Corpus.Second.Hess";
        Add(Second, hess, "Quadratic", Cube(2, -2, 2));
        Add(Second, hess, "Poly", Cube(2, -1.5, 1.5));
        Add(Second, hess, "Logistic", R(-2, 2, 0, 1, -1.5, 1.5, -1.5, 1.5));
        Add(Second, hess, "Branchy", R(2, 3, -1, 0), R(-1, 0, 2, 3));
        Add(Second, hess, "Three", R(0.5, 1.5, -1, 1, -1, 1));
        Add(Second, hess, "WithCallee", Cube(2, -2, 2));
        Add(Second, hess, "TinyNetLoss", R(-2, 2, 0, 1, -2, 2, -2, 2, -2, 2, -2, 2));
        Add(Second, hess, "Activations", Cube(2, 0.5, 2), R(-2, -0.5, 0.5, 2));
        Add(Second, hess, "Trig", R(0.3, 1.2, 0.5, 2));
        return list;
    }
}

/// <summary>
/// Forwarders from arrays to the generated <c>MHessianVectorProduct</c> and <c>MObjective</c> members, compiled next to
/// <see cref="CorpusSources.Second"/> (reflection cannot pass spans). Written by hand, so they compile only if the
/// generated signatures are the documented ones.
/// </summary>
public static class HessianShims
{
    /// <summary>Method name → arity of the Hessian methods.</summary>
    public static readonly (string Method, int Arity)[] Methods =
    {
        ("Quadratic", 2), ("Poly", 2), ("Logistic", 4), ("Branchy", 2), ("Three", 3), ("WithCallee", 2),
        ("TinyNetLoss", 6), ("Activations", 2), ("Trig", 2),
    };

    public static readonly string Source = BuildSource();

    private static string BuildSource()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("using Corpus.Second;\n\npublic static class HessianShims\n{\n");
        foreach (var (method, arity) in Methods)
        {
            string args = string.Join(", ", Enumerable.Range(0, arity).Select(i => "a[" + i + "]"));
            sb.Append("    public static double ").Append(method)
              .Append("Hvp(double[] a, double[] direction, double[] gradient, double[] product) => Hess.")
              .Append(method).Append("HessianVectorProduct(").Append(args).Append(", direction, gradient, product);\n");
        }

        sb.Append("""
                public static double LogisticObjective(double[] a, double[] gradient, double[] hessian)
                {
                    var objective = new Hess.LogisticObjective();
                    global::SymGrad.ITwiceDifferentiableObjective<Hess.LogisticSample> asInterface = objective;
                    var sample = new Hess.LogisticSample(a[0], a[1]);
                    double[] parameters = { a[2], a[3] };
                    if (objective.ParameterCount != 2 || objective.GetParameterName(0) != "w" || objective.GetParameterName(1) != "b")
                    {
                        throw new global::System.InvalidOperationException("objective metadata");
                    }

                    double v = objective.Value(sample, parameters);
                    double g = objective.ValueAndGradient(sample, parameters, gradient);
                    double h = asInterface.ValueGradientAndHessian(sample, parameters, new double[2], hessian);
                    if (v != g || v != h)
                    {
                        throw new global::System.InvalidOperationException("objective values differ");
                    }

                    return v;
                }

                public static double QuadraticObjective(double[] a, double[] gradient)
                {
                    global::SymGrad.IObjective<global::SymGrad.NoData> objective = new Hess.QuadraticObjective();
                    return objective.ValueAndGradient(default, a, gradient);
                }
            }

            """);
        return sb.ToString();
    }
}
