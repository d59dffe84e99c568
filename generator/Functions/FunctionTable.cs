using System;
using System.Collections.Generic;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Functions;

/// <summary>
/// The built-in function registry: one <see cref="FunctionEntry"/> per <see cref="Ir.Fn"/>, read by the lowerer
/// (which C# calls map to it), the derivative rules (reverse, reverse-over-reverse and forward mode all use
/// <see cref="FunctionEntry.Partial"/>), constant folding, the C# emitter and the formula comments.
/// Adding a function = one entry here + its oracle test (tests/SymGrad.Tests/Ir/FunctionTableTests.cs). Functions
/// with user-declared rules (<c>[DerivativeOf]</c>) are not here: they are <see cref="Fn.Custom"/> calls whose entries
/// the graph builds from its <see cref="Graph.Customs"/> table.
/// Subgradients at kinks: |x|′(0) = 0, max/min split 1/2–1/2 at ties, relu′(0) = 0, clamp′ = 1 on the closed
/// interval. Step functions (floor, round, sign, …) have derivative 0.
/// </summary>
internal static class FunctionTable
{
    private const string SystemMath = "global::System.Math.";
    private const string SymMathType = "global::SymGrad.SymMath.";

    private static readonly FunctionEntry[] ByFn;
    private static readonly Dictionary<(FunctionContainer, string, int), FunctionEntry> ByName = new();
    private static readonly Dictionary<Fn, Fn> FusedPrimalByDerivative = new();

    static FunctionTable()
    {
        FunctionEntry[] all = Entries();
        ByFn = new FunctionEntry[(int)MaxFn() + 1];
        foreach (FunctionEntry e in all)
        {
            if (ByFn[(int)e.Fn] is not null)
            {
                throw new InvalidOperationException("two entries for " + e.Fn);
            }

            ByFn[(int)e.Fn] = e;
            foreach ((FunctionContainer container, string name) in e.Accepts)
            {
                ByName.Add((container, name, e.Arity), e);
            }

            if (e.Fused is (Fn derivative, _))
            {
                FusedPrimalByDerivative.Add(derivative, e.Fn);
            }
        }
    }

    /// <summary>Every entry, in <see cref="Fn"/> order.</summary>
    public static IEnumerable<FunctionEntry> All
    {
        get
        {
            foreach (FunctionEntry? e in ByFn)
            {
                if (e is not null)
                {
                    yield return e;
                }
            }
        }
    }

    /// <summary>The entry of <paramref name="fn"/> (a built-in function; a custom one's entry is on its call node, see <see cref="Of"/>).</summary>
    public static FunctionEntry Get(Fn fn) =>
        (int)fn < ByFn.Length && ByFn[(int)fn] is FunctionEntry e ? e : throw new InvalidOperationException("no function entry for " + fn);

    /// <summary>The entry of call node <paramref name="call"/>: its built-in function's, or its custom function's (<see cref="Fn.Custom"/>).</summary>
    public static FunctionEntry Of(Node call) =>
        call.Fn == Fn.Custom ? call.Function ?? throw new InvalidOperationException("a custom call without its entry") : Get(call.Fn);

    /// <summary>The entry a call of <paramref name="container"/>.<paramref name="name"/> with <paramref name="arity"/> doubles lowers to, if any.</summary>
    public static FunctionEntry? Find(FunctionContainer container, string name, int arity) =>
        ByName.TryGetValue((container, name, arity), out FunctionEntry? e) ? e : null;

    /// <summary>The function emitted together with the derivative <paramref name="derivative"/> (σ for σ′), if any.</summary>
    public static Fn? FusedPrimalOf(Fn derivative) => FusedPrimalByDerivative.TryGetValue(derivative, out Fn primal) ? primal : null;

    /// <summary>
    /// Functions a generic method can call with only <c>T : INumber&lt;T&gt;</c> (their generic C# is T's own member); every
    /// other function's generated code calls SymMath&lt;T&gt;, which needs <c>T : IFloatingPointIeee754&lt;T&gt;</c>.
    /// </summary>
    public static bool NeedsOnlyINumber(Fn fn) => fn is Fn.Abs or Fn.Max or Fn.Min or Fn.Clamp or Fn.Sign;

    /// <summary>fn evaluated on constants (constant folding): what the emitted code computes at run time.</summary>
    public static double Fold(Fn fn, double[] args) => Get(fn).Fold(args);

    private static Fn MaxFn()
    {
        Fn max = Fn.None;
        foreach (Fn fn in (Fn[])Enum.GetValues(typeof(Fn)))
        {
            max = fn > max ? fn : max;
        }

        return max;
    }

    // ---------------------------------------------------------------- entry builders

    private static (FunctionContainer, string)[] In(FunctionContainer container, string name) => new[] { (container, name) };

    /// <summary>A System.Math function of one argument, emitted as itself.</summary>
    private static FunctionEntry Math1(Fn fn, Func<double, double> fold, PartialRule partial, string? display = null) =>
        new(fn, 1, In(FunctionContainer.Math, fn.ToString()), partial, a => fold(a[0]), SystemMath + fn + "({0})", (display ?? Lower(fn)) + "({0})");

    /// <summary>A System.Math function of two arguments, emitted as itself.</summary>
    private static FunctionEntry Math2(Fn fn, Func<double, double, double> fold, PartialRule partial) =>
        new(fn, 2, In(FunctionContainer.Math, fn.ToString()), partial, a => fold(a[0], a[1]), SystemMath + fn + "({0}, {1})", Lower(fn) + "({0}, {1})");

    /// <summary>A SymMath function of one argument, folded and emitted with the runtime's code.</summary>
    private static FunctionEntry Sym1(Fn fn, Func<double, double> fold, PartialRule partial, string? display = null) =>
        new(fn, 1, In(FunctionContainer.SymMath, fn.ToString()), partial, a => fold(a[0]), SymMathType + fn + "({0})", (display ?? Lower(fn)) + "({0})");

    /// <summary>A SymMath function of two arguments, folded and emitted with the runtime's code.</summary>
    private static FunctionEntry Sym2(Fn fn, Func<double, double, double> fold, PartialRule partial) =>
        new(fn, 2, In(FunctionContainer.SymMath, fn.ToString()), partial, a => fold(a[0], a[1]), SymMathType + fn + "({0}, {1})", Lower(fn) + "({0}, {1})");

    /// <summary>A step function (derivative 0, reported as not differentiable).</summary>
    private static FunctionEntry Step(Fn fn, Func<double, double> fold) =>
        Math1(fn, fold, (g, n, i) => g.Zero) with { NonDifferentiable = true };

    private static string Lower(Fn fn) => fn.ToString().ToLowerInvariant();

    /// <summary><paramref name="e"/>, also accepting <paramref name="container"/>.<paramref name="name"/>.</summary>
    private static FunctionEntry Also(FunctionEntry e, FunctionContainer container, string name)
    {
        var accepts = new (FunctionContainer, string)[e.Accepts.Length + 1];
        e.Accepts.CopyTo(accepts, 0);
        accepts[accepts.Length - 1] = (container, name);
        return e with { Accepts = accepts };
    }

    // ---------------------------------------------------------------- the entries

    private static FunctionEntry[] Entries() => new[]
    {
        Math1(Fn.Exp, Math.Exp, (g, n, i) => n),
        Math1(Fn.Log, Math.Log, (g, n, i) => g.Div(g.One, n.A), display: "ln"),
        Math1(Fn.Log10, Math.Log10, (g, n, i) => g.Div(g.One, g.Mul(g.Const(Math.Log(10.0)), n.A))),
        Math1(Fn.Log2, x => Math.Log(x) / Math.Log(2.0), (g, n, i) => g.Div(g.One, g.Mul(g.Const(Math.Log(2.0)), n.A))),
        Math1(Fn.Sqrt, Math.Sqrt, (g, n, i) => g.Div(g.Const(0.5), n), display: "√"),
        Math1(Fn.Cbrt, Folding.Cbrt, (g, n, i) => g.Div(g.One, g.Mul(g.Const(3.0), g.Mul(n, n))), display: "∛"),
        new FunctionEntry(Fn.Pow, 2, In(FunctionContainer.Math, "Pow"), PowPartial, a => Math.Pow(a[0], a[1]), SystemMath + "Pow({0}, {1})", "{0}^{1}")
        {
            DisplayAtoms = true,
        },
        Math1(Fn.Sin, Math.Sin, (g, n, i) => g.Call(Fn.Cos, n.A)),
        Math1(Fn.Cos, Math.Cos, (g, n, i) => g.Neg(g.Call(Fn.Sin, n.A))),
        Math1(Fn.Tan, Math.Tan, (g, n, i) => g.Add(g.One, g.Mul(n, n))),
        Math1(Fn.Asin, Math.Asin, (g, n, i) => g.Div(g.One, g.Call(Fn.Sqrt, g.Sub(g.One, g.Mul(n.A, n.A))))),
        Math1(Fn.Acos, Math.Acos, (g, n, i) => g.Neg(g.Div(g.One, g.Call(Fn.Sqrt, g.Sub(g.One, g.Mul(n.A, n.A)))))),
        Math1(Fn.Atan, Math.Atan, (g, n, i) => g.Div(g.One, g.Add(g.One, g.Mul(n.A, n.A)))),
        Math2(Fn.Atan2, Math.Atan2, (g, n, i) =>
        {
            // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
            Node r2 = g.Add(g.Mul(n.B, n.B), g.Mul(n.A, n.A));
            return i == 0 ? g.Div(n.B, r2) : g.Neg(g.Div(n.A, r2));
        }),
        Math1(Fn.Sinh, Math.Sinh, (g, n, i) => g.Call(Fn.Cosh, n.A)),
        Math1(Fn.Cosh, Math.Cosh, (g, n, i) => g.Call(Fn.Sinh, n.A)),
        // Math.Tanh too is emitted (and folded) as SymMath.Tanh: the fused SymMath.Tanh(x, out tanh′) the gradients call
        // computes its value its own way (branch-free, within 2 ulps), and a value-only tanh must give the same bits,
        // or an objective's Value and ValueAndGradient would differ in the last place.
        Also(Sym1(Fn.Tanh, SymMath.Tanh, (g, n, i) => g.Call(Fn.TanhDerivative, n.A)), FunctionContainer.Math, "Tanh") with
        {
            Fused = (Fn.TanhDerivative, SymMathType + "Tanh"),
        },
        Math1(Fn.Asinh, Folding.Asinh, (g, n, i) => g.Div(g.One, g.Call(Fn.Sqrt, g.Add(g.Mul(n.A, n.A), g.One)))),
        Math1(Fn.Acosh, Folding.Acosh, (g, n, i) => g.Div(g.One, g.Call(Fn.Sqrt, g.Sub(g.Mul(n.A, n.A), g.One)))),
        Math1(Fn.Atanh, Folding.Atanh, (g, n, i) => g.Div(g.One, g.Sub(g.One, g.Mul(n.A, n.A)))),
        // Abs, Max, Min, Clamp and Sign are T's own in a generic method (INumber<T> has them): a method that uses only
        // these and arithmetic needs no more than T : INumber<T>.
        new FunctionEntry(Fn.Abs, 1, In(FunctionContainer.Math, "Abs"), AbsPartial, a => Math.Abs(a[0]), SystemMath + "Abs({0})", "|{0}|")
        {
            Kink = new KinkNote("x = 0", "0"),
            GenericCSharp = "{T}.Abs({0})",
        },
        Math2(Fn.Max, Math.Max, MaxMinPartial) with { Kink = new KinkNote("a = b", "1/2 for each argument"), GenericCSharp = "{T}.Max({0}, {1})" },
        Math2(Fn.Min, Math.Min, MaxMinPartial) with { Kink = new KinkNote("a = b", "1/2 for each argument"), GenericCSharp = "{T}.Min({0}, {1})" },
        new FunctionEntry(
            Fn.Clamp,
            3,
            In(FunctionContainer.Math, "Clamp"),
            ClampPartial,
            a => Math.Min(Math.Max(a[0], a[1]), a[2]),
            // Not Math.Clamp, which throws when min > max: generated code also evaluates the side of a branch not
            // taken, where the bounds may be crossed. Equal to Math.Clamp whenever min ≤ max.
            SystemMath + "Min(" + SystemMath + "Max({0}, {1}), {2})",
            "clamp({0}, {1}, {2})")
        {
            GenericCSharp = "{T}.Min({T}.Max({0}, {1}), {2})",
            Kink = new KinkNote("x = min or x = max", "1 for x (the interval is closed)"),
        },
        new FunctionEntry(
            Fn.Sign,
            1,
            In(FunctionContainer.Math, "Sign"),
            (g, n, i) => g.Zero,
            a => Folding.Sign(a[0]),
            // Not Math.Sign: it returns int (Math.Floor(Math.Sign(x)) is ambiguous, Math.Sign(x) / Math.Sign(y) would
            // truncate) and throws for NaN, while generated code evaluates both sides of a branch: sign(NaN) from
            // the branch not taken must not throw.
            "{0} > 0.0 ? 1.0 : {0} < 0.0 ? -1.0 : {0} == 0.0 ? 0.0 : double.NaN",
            "sign({0})")
        {
            FloatCSharp = "{0} > 0.0f ? 1.0f : {0} < 0.0f ? -1.0f : {0} == 0.0f ? 0.0f : float.NaN",
            GenericCSharp = "{0} > {T}.Zero ? {T}.One : {0} < {T}.Zero ? -{T}.One : {0} == {T}.Zero ? {T}.Zero : {0}",
            CSharpIsConditional = true,
            NonDifferentiable = true,
        },
        Step(Fn.Floor, Math.Floor),
        Step(Fn.Ceiling, Math.Ceiling),
        Step(Fn.Round, Math.Round),
        Step(Fn.Truncate, Math.Truncate),
        new FunctionEntry(Fn.Sigmoid, 1, In(FunctionContainer.SymMath, "Sigmoid"), (g, n, i) => g.Call(Fn.SigmoidDerivative, n.A), a => SymMath.Sigmoid(a[0]), SymMathType + "Sigmoid({0})", "σ({0})")
        {
            Fused = (Fn.SigmoidDerivative, SymMathType + "Sigmoid"),
        },
        Sym1(Fn.SigmoidDerivative, SymMath.SigmoidDerivative, (g, n, i) =>
            // σ″(z) = σ′(z)·(1 − 2σ(z)) = σ′(z)·(σ(−z) − σ(z))
            g.Mul(n, g.Sub(g.Call(Fn.Sigmoid, g.Neg(n.A)), g.Call(Fn.Sigmoid, n.A))), display: "σ′") with
        {
            LocalPrefix = "dsigmoid",
        },
        Sym1(Fn.Softplus, SymMath.Softplus, (g, n, i) => g.Call(Fn.Sigmoid, n.A)),
        Sym1(Fn.LogSigmoid, SymMath.LogSigmoid, (g, n, i) => g.Call(Fn.Sigmoid, g.Neg(n.A))),
        Sym1(Fn.Relu, SymMath.Relu, (g, n, i) => g.Select(g.Compare(Op.Greater, n.A, g.Zero), g.One, g.Zero)),
        Sym2(Fn.LeakyRelu, SymMath.LeakyRelu, (g, n, i) => i == 0
            ? g.Select(g.Compare(Op.Greater, n.A, g.Zero), g.One, n.B)
            : g.Select(g.Compare(Op.Greater, n.A, g.Zero), g.Zero, n.A)),
        Sym1(Fn.TanhDerivative, SymMath.TanhDerivative, (g, n, i) =>
            // (sech² x)′ = −2·tanh x·sech² x
            g.Mul(g.Const(-2.0), g.Mul(g.Call(Fn.Tanh, n.A), n)), display: "tanh′") with
        {
            LocalPrefix = "dtanh",
        },
        Also(Sym1(Fn.Log1p, SymMath.Log1p, (g, n, i) => g.Div(g.One, g.Add(g.One, n.A))), FunctionContainer.Double, "LogP1"),
        Also(Sym1(Fn.Expm1, SymMath.Expm1, (g, n, i) => g.Call(Fn.Exp, n.A)), FunctionContainer.Double, "ExpM1"),
        Sym2(Fn.LogSumExp, SymMath.LogSumExp, (g, n, i) =>
            // ∂/∂a log(e^a + e^b) = σ(a − b)
            i == 0 ? g.Call(Fn.Sigmoid, g.Sub(n.A, n.B)) : g.Call(Fn.Sigmoid, g.Sub(n.B, n.A))),
        Sym1(Fn.Logit, SymMath.Logit, (g, n, i) => g.Div(g.One, g.Mul(n.A, g.Sub(g.One, n.A)))),
        // ∂hypot(a, b)/∂a = a/hypot, and 0 at the origin (the subgradient, as |x|′(0) = 0), not 0/0.
        Also(Sym2(Fn.Hypot, SymMath.Hypot, (g, n, i) => g.Select(g.Compare(Op.Eq, n, g.Zero), g.Zero, g.Div(n.Args[i], n))), FunctionContainer.Double, "Hypot"),
        // a % b on reals (the lowerer's %, and SymMath.Remainder): ∂/∂a = 1, ∂/∂b = −trunc(a/b).
        Sym2(Fn.Remainder, SymMath.Remainder, (g, n, i) => i == 0 ? g.One : g.Neg(g.Call(Fn.Truncate, g.Div(n.A, n.B)))),
    };

    private static Node PowPartial(Graph g, Node n, int i)
    {
        Node x = n.A;
        if (i == 0)
        {
            // ∂(a^b)/∂a = b·a^(b−1), taken as 0 at b = 0 (a^0 is constant 1, also at a = 0 where 0·0^(−1) is NaN).
            return g.Select(g.Compare(Op.Eq, n.B, g.Zero), g.Zero, g.Mul(n.B, g.Call(Fn.Pow, x, g.Sub(n.B, g.One))));
        }

        // ∂(a^b)/∂b = a^b·ln a, taken as 0 at a = 0 (where a^b is constant 0 for b > 0).
        return g.Select(g.Compare(Op.Eq, x, g.Zero), g.Zero, g.Mul(n, g.Call(Fn.Log, x)));
    }

    // sign(x), with the subgradient 0 at x = 0
    private static Node AbsPartial(Graph g, Node n, int i) =>
        g.Select(g.Compare(Op.Greater, n.A, g.Zero), g.One, g.Select(g.Compare(Op.Less, n.A, g.Zero), g.Const(-1), g.Zero));

    private static Node MaxMinPartial(Graph g, Node n, int i)
    {
        Node self = n.Args[i];
        Node other = n.Args[1 - i];
        Op wins = n.Fn == Fn.Max ? Op.Greater : Op.Less;
        return g.Select(g.Compare(wins, self, other), g.One, g.Select(g.Compare(Op.Eq, self, other), g.Const(0.5), g.Zero));
    }

    private static Node ClampPartial(Graph g, Node n, int i)
    {
        Node v = n.A;
        Node lo = n.B;
        Node hi = n.C;
        return i switch
        {
            0 => g.Select(g.Compare(Op.Less, v, lo), g.Zero, g.Select(g.Compare(Op.Greater, v, hi), g.Zero, g.One)),
            1 => g.Select(g.Compare(Op.Less, v, lo), g.One, g.Zero),
            _ => g.Select(g.Compare(Op.Greater, v, hi), g.One, g.Zero),
        };
    }
}
