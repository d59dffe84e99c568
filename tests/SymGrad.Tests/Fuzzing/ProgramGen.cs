using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using CsCheck;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// CsCheck generators of random C# programs over SymGrad's whole supported grammar: depth-bounded expressions over
/// parameters, locals and constants (int and double literals, const locals, Math.PI) with + − * / and unary minus,
/// every Math/SymMath function with a derivative rule (arguments usually kept inside the function's domain), the
/// patterns the stability rewrites look for, <c>?:</c>, comparisons and &amp;&amp; || !, bool locals, locals with
/// reassignment, compound assignment and ++/--, if/else blocks assigning locals, early returns, and calls to generated
/// static helper methods (positional, named, with defaults). Programs are built from the CsCheck PCG, and a program's
/// CsCheck size is its node count, so CsCheck's shrinking prefers smaller failing programs.
/// </summary>
public static class ProgramGen
{
    /// <summary>One supported-grammar case (Index 0; the batch renumbers).</summary>
    public static readonly Gen<FCase> Supported = new CaseGen(unsupported: false);

    /// <summary>One case with exactly one construct SymGrad must reject with an error diagnostic.</summary>
    public static readonly Gen<FCase> Unsupported = new CaseGen(unsupported: true);

    /// <summary>A batch of <paramref name="count"/> cases numbered 0…count−1 (one compilation).</summary>
    public static Gen<FCase[]> Batch(Gen<FCase> one, int count) => new BatchGen(one, count);

    private sealed class CaseGen : Gen<FCase>
    {
        private readonly bool _unsupported;

        public CaseGen(bool unsupported) => _unsupported = unsupported;

        public override FCase Generate(PCG pcg, Size? min, out Size size)
        {
            var b = new CaseBuilder(pcg);
            FCase c = b.Build();
            if (_unsupported)
            {
                c = Unsupportify.Inject(c, b);
            }

            size = new Size((ulong)c.Size);
            return c;
        }
    }

    private sealed class BatchGen : Gen<FCase[]>
    {
        private readonly Gen<FCase> _one;
        private readonly int _count;

        public BatchGen(Gen<FCase> one, int count)
        {
            _one = one;
            _count = count;
        }

        public override FCase[] Generate(PCG pcg, Size? min, out Size size)
        {
            var cases = new FCase[_count];
            ulong total = 0;
            for (int i = 0; i < _count; i++)
            {
                cases[i] = _one.Generate(pcg, null, out Size s) with { Index = i };
                total += s.I;
            }

            size = new Size(total);
            return cases;
        }
    }
}

/// <summary>Random choices over a CsCheck PCG.</summary>
internal sealed class Rng
{
    private readonly PCG _pcg;

    public Rng(PCG pcg) => _pcg = pcg;

    public int Next(int n) => (int)_pcg.Next((uint)n);

    public double NextDouble() => (_pcg.Next64() >> 11) * 1.1102230246251565E-16;

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public double Uniform(double lo, double hi) => lo + ((hi - lo) * NextDouble());

    /// <summary>Index chosen with the given weights.</summary>
    public int Weighted(params int[] weights)
    {
        int total = weights.Sum();
        int r = Next(total);
        for (int i = 0; i < weights.Length; i++)
        {
            if (r < weights[i])
            {
                return i;
            }

            r -= weights[i];
        }

        return weights.Length - 1;
    }
}

/// <summary>Builds one supported-grammar case.</summary>
internal sealed class CaseBuilder
{
    // Names that exercise the emitter's naming: generated parameter/local names, keywords, the partials struct's
    // property names.
    private static readonly string[] ParamNames =
    {
        "x", "y", "w", "b", "w2", "b3", "z", "t", "q", "r", "gradient", "value", "Value", "hessian", "direction", "product",
        "t0", "@double", "@in", "dM_dx", "Result", "sample", "parameters", "sigmoid0", "c0",
    };

    private static readonly string[] LocalNames =
    {
        "a", "h", "s", "acc", "tmp", "z1", "u", "result", "gradient", "value", "t1", "c1", "exp0", "sigmoid1", "dM_dz1",
        "hessian", "product", "v", "e", "@fixed", "Value", "a2", "z3",
    };

    private static readonly string[] MethodNames = { "M", "Loss", "F", "Predict", "Value", "Energy", "Gradient" };

    private readonly Rng _r;
    private readonly List<string> _helperNames = new();
    private readonly Dictionary<string, FMethod> _helpers = new(StringComparer.Ordinal);
    private HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private int _budget;
    private int _maxDepth;

    public CaseBuilder(PCG pcg) => _r = new Rng(pcg);

    public Rng Random => _r;

    public FCase Build()
    {
        _maxDepth = 1 + _r.Next(4);
        int helperCount = _r.Weighted(5, 3, 2);
        var helpers = new List<FMethod>();
        for (int k = 0; k < helperCount; k++)
        {
            FMethod h = BuildHelper("H" + k.ToString(CultureInfo.InvariantCulture));
            helpers.Add(h);
            _helpers[h.Name] = h;
            _helperNames.Add(h.Name);
        }

        int paramCount = 1 + _r.Weighted(3, 4, 2, 1);
        var names = new List<string>();
        while (names.Count < paramCount)
        {
            string n = _r.Chance(0.7) ? ParamNames[_r.Next(10)] : _r.Pick(ParamNames);
            if (!names.Contains(n))
            {
                names.Add(n);
            }
        }

        bool wrt = _r.Chance(0.25) && paramCount > 1;
        var ps = new List<FParam>();
        for (int i = 0; i < paramCount; i++)
        {
            bool isWrt = wrt && (i == 0 || _r.Chance(0.5));
            double? def = i == paramCount - 1 && _r.Chance(0.1) ? 0.5 : null;
            ps.Add(new FParam(names[i], isWrt, def));
        }

        _usedNames = new HashSet<string>(names, StringComparer.Ordinal);
        var scope = new Scope(names);
        _budget = 60 + _r.Next(60);
        FExpr? exprBody = null;
        ImmutableArray<FStmt> body = ImmutableArray<FStmt>.Empty;
        if (_r.Chance(0.2))
        {
            exprBody = Expr(scope, _maxDepth);
        }
        else
        {
            body = Block(scope, 0, mustReturn: true);
        }

        string keyword = _r.Pick(new[] { "class", "class", "class", "struct", "record", "record struct" });
        bool staticType = keyword == "class" && _r.Chance(0.7);
        int ns = _r.Next(3);
        var main = new FMethod(
            _r.Pick(MethodNames),
            ps.ToImmutableArray(),
            body,
            exprBody,
            Differentiable: true,
            Hessian: _r.Chance(0.15),
            Accessibility: _r.Pick(new[] { "public", "public", "internal", "private" }));
        return new FCase(
            0,
            main,
            helpers.ToImmutableArray(),
            keyword,
            staticType,
            ns == 0 ? null : _r.Chance(0.5) ? "Fuzz" : "Fuzz.Deep",
            ns == 2,
            _r.Chance(0.2) ? "Outer" : null,
            Points(paramCount),
            ImmutableArray<string>.Empty);
    }

    private ImmutableArray<ImmutableArray<double>> Points(int n)
    {
        var points = ImmutableArray.CreateBuilder<ImmutableArray<double>>();
        for (int k = 0; k < 6; k++)
        {
            var p = ImmutableArray.CreateBuilder<double>();
            for (int i = 0; i < n; i++)
            {
                p.Add(_r.Weighted(14, 4, 2) switch
                {
                    0 => Math.Round(_r.Uniform(-2, 2), 6),
                    1 => Math.Round(_r.Uniform(0.05, 3), 6),
                    _ => _r.Pick(new[] { 0.0, 1.0, -1.0, 0.5, 2.0, 0.3 }),
                });
            }

            points.Add(p.ToImmutable());
        }

        return points.ToImmutable();
    }

    private FMethod BuildHelper(string name)
    {
        int n = 1 + _r.Next(3);
        var ps = new List<FParam>();
        var names = new List<string>();
        for (int i = 0; i < n; i++)
        {
            string pn = "p" + i.ToString(CultureInfo.InvariantCulture);
            names.Add(pn);
            ps.Add(new FParam(pn, false, i == n - 1 && _r.Chance(0.3) ? 2.0 : null));
        }

        _usedNames = new HashSet<string>(names, StringComparer.Ordinal);
        var scope = new Scope(names);
        _budget = 25 + _r.Next(25);
        int depth = Math.Max(1, _maxDepth - 1);
        bool differentiable = _r.Chance(0.1);
        if (_r.Chance(0.5))
        {
            return new FMethod(name, ps.ToImmutableArray(), ImmutableArray<FStmt>.Empty, Expr(scope, depth), differentiable, false, "private");
        }

        return new FMethod(name, ps.ToImmutableArray(), Block(scope, 1, mustReturn: true), null, differentiable, false, "private");
    }

    // ------------------------------------------------------------------ statements

    /// <summary>What a block can read and assign.</summary>
    private sealed class Scope
    {
        public Scope(IEnumerable<string> parameters)
        {
            Numbers = new List<string>(parameters);
            Assignable = new List<string>(Numbers);
        }

        private Scope(Scope s)
        {
            Numbers = new List<string>(s.Numbers);
            Assignable = new List<string>(s.Assignable);
            Bools = new List<string>(s.Bools);
        }

        public List<string> Numbers { get; }

        public List<string> Assignable { get; }

        public List<string> Bools { get; } = new();

        public Scope Clone() => new(this);
    }

    private string NewName(bool isBool)
    {
        string baseName = isBool ? _r.Pick(new[] { "c", "flag", "isPos", "c0", "value" }) : _r.Pick(LocalNames);
        string name = baseName;
        for (int i = 2; !_usedNames.Add(name.TrimStart('@')); i++)
        {
            name = baseName + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    private ImmutableArray<FStmt> Block(Scope scope, int depth, bool mustReturn)
    {
        var list = ImmutableArray.CreateBuilder<FStmt>();
        int count = _r.Next(depth == 0 ? 6 : 3);
        for (int i = 0; i < count && _budget > 0; i++)
        {
            list.AddRange(Statement(scope, depth, out bool returnsAlways));
            if (returnsAlways)
            {
                return list.ToImmutable();
            }
        }

        if (mustReturn)
        {
            list.Add(new FReturn(Expr(scope, _maxDepth)));
        }

        return list.ToImmutable();
    }

    private FStmt[] Statement(Scope scope, int depth, out bool returnsAlways)
    {
        returnsAlways = false;
        int kind = _r.Weighted(25, 4, 5, 20, 4, 8, 10, 10);
        if (depth >= 2 && kind >= 5)
        {
            kind = 0;
        }

        switch (kind)
        {
            case 0:
            {
                FExpr init = Expr(scope, _maxDepth);
                string name = NewName(false);
                scope.Numbers.Add(name);
                scope.Assignable.Add(name);
                return new FStmt[] { new FDecl(!init.IsInt && _r.Chance(0.3) ? "var" : "double", name, init) };
            }

            case 1:
            {
                string name = NewName(false);
                scope.Numbers.Add(name);
                return new FStmt[] { new FDecl("const double", name, _r.Chance(0.5) ? Number() : new FBin('*', Number(), FNum.Double(0.5))) };
            }

            case 2:
            {
                FBool init = Condition(scope, _maxDepth);
                string name = NewName(true);
                scope.Bools.Add(name);
                return new FStmt[] { new FBoolDecl(_r.Chance(0.3) ? "var" : "bool", name, init) };
            }

            case 3:
            {
                string target = _r.Pick(scope.Assignable);
                string op = _r.Pick(new[] { "=", "=", "+=", "-=", "*=", "/=" });
                return new FStmt[] { new FAssign(target, op, Expr(scope, _maxDepth)) };
            }

            case 4:
                return new FStmt[] { new FIncrement(_r.Pick(scope.Assignable), _r.Chance(0.5), _r.Chance(0.5)) };

            case 5:
            {
                // double r; if (c) { r = …; … } else { r = …; … }
                string name = NewName(false);
                FBool c = Condition(scope, _maxDepth);
                Scope t = scope.Clone();
                Scope e = scope.Clone();
                ImmutableArray<FStmt> then = ImmutableArray.Create<FStmt>(new FAssign(name, "=", Expr(scope, _maxDepth))).AddRange(Block(t, depth + 1, false));
                ImmutableArray<FStmt> @else = ImmutableArray.Create<FStmt>(new FAssign(name, "=", Expr(scope, _maxDepth))).AddRange(Block(e, depth + 1, false));
                scope.Numbers.Add(name);
                scope.Assignable.Add(name);
                return new FStmt[] { new FDecl("double", name, null), new FIf(c, then, @else) };
            }

            case 6:
            {
                FBool c = Condition(scope, _maxDepth);
                ImmutableArray<FStmt> then = Block(scope.Clone(), depth + 1, mustReturn: _r.Chance(0.5));
                return new FStmt[] { new FIf(c, then, null) };
            }

            default:
            {
                FBool c = Condition(scope, _maxDepth);
                bool r1 = _r.Chance(0.4);
                bool r2 = _r.Chance(0.4);
                ImmutableArray<FStmt> then = Block(scope.Clone(), depth + 1, r1);
                ImmutableArray<FStmt> @else = Block(scope.Clone(), depth + 1, r2);
                returnsAlways = AlwaysReturns(then) && AlwaysReturns(@else);
                return new FStmt[] { new FIf(c, then, @else) };
            }
        }
    }

    public static bool AlwaysReturns(ImmutableArray<FStmt> block) => block.Any(s => s is FReturn || (s is FIf { Else: { } e } f && AlwaysReturns(f.Then) && AlwaysReturns(e)));

    // ------------------------------------------------------------------ expressions

    private FNum Number()
    {
        if (_r.Chance(0.4))
        {
            return FNum.Int(_r.Pick(new[] { 0, 1, 2, 3, 4, 10 }));
        }

        return _r.Weighted(5, 2, 2, 1) switch
        {
            0 => FNum.Double(Math.Round(_r.Uniform(0.05, 3), 3)),
            1 => FNum.Double(_r.Pick(new[] { 0.5, 1.5, 0.25, 2.0, 1e-3, 3.14159, 0.1, 1.0, 0.0 })),
            2 => _r.Pick(Spellings),
            _ => FNum.Double(Math.Round(_r.Uniform(-3, -0.05), 3)),
        };
    }

    // Other spellings of double literals.
    private static readonly FNum[] Spellings =
    {
        new(2.0, "2d", false), new(0.5, "5E-1", false), new(1e-3, "1e-3", false), new(1.5, "1.5e0", false), new(0.5, ".5", false),
    };

    private FExpr Leaf(Scope scope)
    {
        _budget--;
        int k = _r.Weighted(55, 40, 5);
        if (k == 0 && scope.Numbers.Count > 0)
        {
            return new FVar(_r.Pick(scope.Numbers));
        }

        if (k == 2)
        {
            return new FVar(_r.Chance(0.5) ? "Math.PI" : "Math.E");
        }

        return Number();
    }

    private FExpr Expr(Scope scope, int depth)
    {
        if (depth <= 0 || _budget <= 0 || _r.Chance(0.25))
        {
            return Leaf(scope);
        }

        _budget--;
        int kind = _r.Weighted(30, 5, 28, 12, 7, _helperNames.Count > 0 ? 6 : 0, 2);
        switch (kind)
        {
            case 0:
                return Bin(_r.Pick(new[] { '+', '-', '*', '/' }), Expr(scope, depth - 1), Expr(scope, depth - 1));
            case 1:
                return new FNeg(Expr(scope, depth - 1));
            case 2:
                return Call(scope, depth);
            case 3:
                return Pattern(scope, depth);
            case 4:
                return new FCond(Condition(scope, depth - 1), Expr(scope, depth - 1), Expr(scope, depth - 1));
            case 5:
                return HelperCall(scope, depth);
            default:
                return new FCast(Expr(scope, depth - 1));
        }
    }

    /// <summary>a op b, keeping int ∘ int to what C# computes the same way at compile time and run time.</summary>
    public static FExpr Bin(char op, FExpr a, FExpr b)
    {
        if (a.IsInt && b.IsInt)
        {
            bool ok = op switch
            {
                '+' or '-' => true,
                '*' => a is FCall || b is FCall,
                _ => b is FNum { Value: not 0 },
            };
            if (!ok)
            {
                b = ToDouble(b);
            }
        }

        return new FBin(op, a, b);
    }

    public static FExpr ToDouble(FExpr e) => e switch
    {
        FNum { IsIntLiteral: true } n => FNum.Double(n.Value),
        _ when e.IsInt => new FCast(e),
        _ => e,
    };

    private FExpr Call(Scope scope, int depth)
    {
        FuzzFunction fn = _r.Pick(FuzzFunctions.All);
        var args = new FExpr[fn.Arity];
        for (int i = 0; i < fn.Arity; i++)
        {
            args[i] = Expr(scope, depth - 1);
        }

        if (_r.Chance(0.7))
        {
            args[0] = InDomain(fn.Domain, args[0], scope, depth);
        }

        if (fn.CSharpName == "Math.Clamp")
        {
            // lo ≤ hi, or Math.Clamp throws.
            double lo = Math.Round(_r.Uniform(-2, 0.5), 2);
            args[1] = FNum.Double(lo);
            args[2] = FNum.Double(lo + Math.Round(_r.Uniform(0.1, 2), 2));
        }

        if (fn.CSharpName == "Math.Log" && fn.Arity == 2 && _r.Chance(0.7))
        {
            args[1] = FNum.Double(_r.Pick(new[] { 2.0, 10.0, 3.5 }));
        }

        // Math functions with int (or decimal) overloads would bind to those; SymGrad rules cover the double ones.
        if (fn.CSharpName.StartsWith("Math.", StringComparison.Ordinal) && args.All(a => a.IsInt))
        {
            args[0] = ToDouble(args[0]);
        }

        return new FCall(fn, args.ToImmutableArray());
    }

    private static FCall F(string name, params FExpr[] args) => new(FuzzFunctions.Get(name, args.Length), args.ToImmutableArray());

    /// <summary>Usually wraps <paramref name="e"/> so it lies in the function's domain.</summary>
    private FExpr InDomain(FuzzDomain d, FExpr e, Scope scope, int depth)
    {
        switch (d)
        {
            case FuzzDomain.Positive:
                return _r.Next(6) switch
                {
                    0 => F("Math.Exp", F("Math.Sin", e)),
                    1 => new FBin('+', FNum.Int(1), new FBin('*', e, e)),
                    2 => new FBin('+', F("Math.Abs", ToDouble(e)), FNum.Double(0.5)),
                    3 => new FBin('+', F("SymMath.Softplus", e), FNum.Double(0.25)),
                    4 => F("SymMath.Sigmoid", e),
                    _ => F("Math.Cosh", F("Math.Tanh", e)),
                };
            case FuzzDomain.OpenUnit:
                return _r.Next(4) switch
                {
                    0 => new FBin('*', FNum.Double(0.9), F("Math.Tanh", e)),
                    1 => new FBin('*', F("Math.Sin", e), FNum.Double(0.5)),
                    2 => new FBin('-', F("SymMath.Sigmoid", e), FNum.Double(0.5)),
                    _ => F("SymMath.Softsign", e),
                };
            case FuzzDomain.AboveOne:
                return _r.Next(3) switch
                {
                    0 => new FBin('+', FNum.Double(1.5), new FBin('*', e, e)),
                    1 => new FBin('+', F("Math.Cosh", e), FNum.Double(0.25)),
                    _ => new FBin('+', FNum.Int(2), F("Math.Exp", F("Math.Sin", e))),
                };
            case FuzzDomain.Probability:
                return _r.Chance(0.5) ? F("SymMath.Sigmoid", e) : new FBin('+', FNum.Double(0.5), new FBin('*', FNum.Double(0.4), F("Math.Sin", e)));
            case FuzzDomain.SmallMagnitude:
                return _r.Chance(0.5) ? new FBin('*', FNum.Int(3), F("Math.Tanh", e)) : F("Math.Sin", e);
            default:
                return e;
        }
    }

    /// <summary>The shapes the simplifier and the stability rewrites look for, around random subexpressions.</summary>
    private FExpr Pattern(Scope scope, int depth)
    {
        FExpr e = Expr(scope, depth - 1);
        FExpr One() => _r.Chance(0.5) ? FNum.Int(1) : FNum.Double(1);
        FExpr Sig(FExpr z) => F("SymMath.Sigmoid", z);
        FExpr Exp(FExpr z) => F("Math.Exp", z);
        FExpr Log(FExpr z) => F("Math.Log", z);
        switch (_r.Next(30))
        {
            // int arithmetic (C# divides ints with truncation): Math.Sign and int ?: are the int-valued sources.
            case 26: return new FBin('/', F("Math.Sign", ToDouble(e)), FNum.Int(_r.Pick(new[] { 2, 3, -2 })));
            case 27: return new FBin('/', new FCond(Condition(scope, depth - 1), FNum.Int(3), FNum.Int(2)), FNum.Int(2));
            case 28: return new FBin('/', new FBin('+', F("Math.Sign", ToDouble(e)), FNum.Int(1)), FNum.Int(2));
            case 29: return new FBin('*', e, new FBin('/', FNum.Int(_r.Pick(new[] { 1, 3, 7 })), FNum.Int(2)));
            case 0: return new FBin('-', One(), Sig(e));
            case 1: return new FBin('/', One(), new FBin('+', One(), Exp(new FNeg(e))));
            case 2: return new FBin('/', FNum.Double(1), new FBin('+', Exp(new FNeg(e)), FNum.Int(1)));
            case 3: return new FBin('/', Exp(e), new FBin('+', One(), Exp(e)));
            case 4: return Log(Sig(e));
            case 5: return Log(new FBin('-', One(), Sig(e)));
            case 6: return Log(new FBin('+', One(), Exp(e)));
            case 7: return Log(new FBin('+', One(), new FBin('*', e, e)));
            case 8: return Log(new FBin('+', Exp(e), Exp(Expr(scope, depth - 1))));
            case 9: return new FBin('-', Exp(e), One());
            case 10: return new FBin('-', One(), new FBin('*', F("Math.Tanh", e), F("Math.Tanh", e)));
            case 11: return new FBin('*', Sig(e), Sig(new FNeg(e)));
            case 12: return new FBin('*', Sig(e), new FBin('-', One(), Sig(e)));
            case 13:
            {
                FExpr k = _r.Chance(0.8)
                    ? _r.Chance(0.5) ? FNum.Int(_r.Pick(new[] { -3, -2, -1, 0, 1, 2, 3, 4, 5 })) : FNum.Double(_r.Pick(new[] { 2.0, 3.0, -1.0, 0.5 }))
                    : FNum.Double(_r.Pick(new[] { 1.5, -0.5, 2.5 }));
                FExpr b = k is FNum { Value: var kv } && kv == Math.Floor(kv) ? e : InDomain(FuzzDomain.Positive, e, scope, depth);
                if (k is FNum { Value: < 0 } neg)
                {
                    k = new FNeg(neg with { Value = -neg.Value, Text = neg.Text.TrimStart('-') });
                }

                return F("Math.Pow", b, k);
            }

            case 14: return F("Math.Sqrt", new FBin('*', e, e));
            case 15: return Log(Exp(e));
            case 16: return Bin(_r.Pick(new[] { '+', '-', '*', '/' }), e, e);
            case 17: return new FNeg(new FNeg(e));
            case 18: return _r.Chance(0.5) ? new FBin('*', FNum.Int(0), e) : new FBin('+', e, FNum.Double(0));
            case 19:
            {
                // Binary cross-entropy on a sigmoid, the seed's loss shape; y is any readable value.
                FExpr y = Leaf(scope);
                return new FNeg(new FBin('+', new FBin('*', y, Log(Sig(e))), new FBin('*', new FBin('-', One(), y), Log(new FBin('-', One(), Sig(e))))));
            }

            case 20: return new FCond(new FCmp(">", e, FNum.Int(0)), F("Math.Sqrt", e), FNum.Double(0));
            case 21: return new FCond(new FCmp(">", e, FNum.Int(0)), Log(e), e);
            case 22: return new FCond(new FCmp("==", e, FNum.Int(0)), FNum.Int(1), new FBin('/', F("Math.Sin", e), e));
            case 23: return new FCond(new FCmp(">=", e, FNum.Int(0)), e, new FBin('-', Exp(e), One()));
            case 24: return new FBin('*', e, Sig(e));
            default: return new FBin('/', One(), new FBin('+', One(), F("Math.Exp", new FNeg(Sig(e)))));
        }
    }

    private FExpr HelperCall(Scope scope, int depth)
    {
        FMethod h = _helpers[_r.Pick(_helperNames)];
        var args = new FExpr?[h.Params.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = h.Params[i].Default is not null && _r.Chance(0.4) ? null : Expr(scope, depth - 1);
        }

        return new FHelperCall(h.Name, args.ToImmutableArray(), _r.Chance(0.25));
    }

    private FBool Condition(Scope scope, int depth)
    {
        _budget--;
        int k = _r.Weighted(70, 12, 8, scope.Bools.Count > 0 ? 10 : 0);
        switch (k)
        {
            case 1 when depth > 0:
                return new FLogic(_r.Chance(0.5), Condition(scope, depth - 1), Condition(scope, depth - 1));
            case 2 when depth > 0:
                return new FNot(Condition(scope, depth - 1));
            case 3:
                return new FBoolVar(_r.Pick(scope.Bools));
            default:
            {
                string op = _r.Pick(new[] { "<", "<", "<=", ">", ">", ">=", "==", "!=" });
                FExpr a = Expr(scope, Math.Max(0, depth - 1));
                FExpr b = _r.Chance(0.5) ? Leaf(scope) : Expr(scope, Math.Max(0, depth - 1));
                return new FCmp(op, a, b);
            }
        }
    }
}
