using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using CsCheck;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// CsCheck generators of random program-mode methods: array and span parameters (differentiated or data), int, long,
/// bool and int-array data, nested run-time loops (for over lengths, int parameters, outer counters; while and do with
/// counters; foreach), break/continue/return guarded by conditions on data or values, if/else and switch inside
/// loops, int locals and arithmetic, run-time indices kept in range by construction (every int expression is
/// non-negative and bounded by an interval the builder tracks; an index is a counter below the array's length, or
/// reduced modulo the length), local buffers written then read, accumulations, recurrences, and helpers with source
/// taking spans.
/// </summary>
public static class LoopGen
{
    /// <summary>One case (Index 0; the batch renumbers) over the grammar of <paramref name="grammar"/>.</summary>
    public static Gen<LCase> Case(LoopGrammar grammar) => new CaseGen(grammar);

    /// <summary>A batch of <paramref name="count"/> cases numbered 0…count−1 (one compilation).</summary>
    public static Gen<LCase[]> Batch(Gen<LCase> one, int count) => new BatchGen(one, count);

    private sealed class CaseGen : Gen<LCase>
    {
        private readonly LoopGrammar _grammar;

        public CaseGen(LoopGrammar grammar) => _grammar = grammar;

        public override LCase Generate(PCG pcg, Size? min, out Size size)
        {
            LCase c = new LoopBuilder(pcg, _grammar).Build();
            size = new Size((ulong)c.Size);
            return c;
        }
    }

    private sealed class BatchGen : Gen<LCase[]>
    {
        private readonly Gen<LCase> _one;
        private readonly int _count;

        public BatchGen(Gen<LCase> one, int count)
        {
            _one = one;
            _count = count;
        }

        public override LCase[] Generate(PCG pcg, Size? min, out Size size)
        {
            var cases = new LCase[_count];
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

/// <summary>Builds one program-mode case.</summary>
internal sealed class LoopBuilder
{
    public const int MaxArrayLength = 5;
    public const int MaxHessianArrayLength = 3;
    public const int MaxInt = 4;
    public const int MaxIntElement = 9;
    private const long MaxTrips = 300;

    private static readonly string[] ArrayNames = { "x", "w", "a", "v", "xs", "weights", "data", "b", "e", "unit", "tape", "h", "s_a", "product", "gradient", "direction" };
    private static readonly string[] ScalarNames = { "b", "c", "w0", "bias", "scale", "value", "gradient", "i", "n_", "dM_dx", "result", "hessian" };
    private static readonly string[] IntNames = { "n", "m", "k", "steps", "count", "len", "trips_0", "j" };
    private static readonly string[] BoolNames = { "flag", "train", "first", "taken" };
    private static readonly string[] IntArrayNames = { "idx", "perm", "order", "sel" };
    private static readonly string[] LocalNames = { "s", "h", "acc", "t", "tmp", "u", "z", "result", "value", "broke", "continued", "returned", "first", "taken", "dM_ds", "tape", "trips_1", "k", "e" };
    private static readonly string[] IntLocalNames = { "m", "cnt", "q", "off", "pos", "k", "trips_2", "idx2" };
    private static readonly string[] CounterNames = { "i", "j", "k", "l", "r", "p", "q", "c" };
    private static readonly string[] BufferNames = { "buf", "tmp", "hs", "acts", "prev", "d", "unit" };
    private static readonly string[] MethodNames = { "M", "Loss", "F", "Predict", "Energy", "Run" };

    private readonly Rng _r;
    private readonly LoopGrammar _g;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<Helper> _helpers = new();
    private int _budget;
    private int _loopsLeft;
    private bool _hessian;
    private int _maxLen;

    public LoopBuilder(PCG pcg, LoopGrammar grammar)
    {
        _r = new Rng(pcg);
        _g = grammar;
    }

    private sealed class Arr
    {
        public required string Name { get; init; }

        public required LType Elem { get; init; }

        /// <summary>double[], int[], Span&lt;double&gt;, ReadOnlySpan&lt;double&gt;, ReadOnlySpan&lt;int&gt;.</summary>
        public required string CsType { get; init; }

        public bool Writable { get; init; }

        public required int MinLen { get; init; }

        public required int MaxLen { get; init; }

        /// <summary>Arrays with the same key have the same length at run time.</summary>
        public required string LenKey { get; init; }
    }

    private sealed class IntV
    {
        public required string Name { get; init; }

        public LType Type { get; init; } = LType.Int;

        public required long Lo { get; init; }

        public required long Hi { get; init; }

        /// <summary>A counter the program may step (cnt++, cnt += e) within <see cref="Room"/>.</summary>
        public bool Mutable { get; init; }

        /// <summary>The length key this variable is known to be strictly below (a loop counter over a.Length).</summary>
        public string? Below { get; init; }

        public long Room { get; set; }

        /// <summary>A parameter of the [Differentiable] method itself (loop-invariant everywhere).</summary>
        public bool IsParam { get; init; }

        /// <summary>A loop counter (a bound made of it gives triangular nests).</summary>
        public bool IsCounter { get; init; }

        /// <summary>Updated inside loop bodies before other statements read it (k++ first, cnt += e).</summary>
        public bool Stepped { get; init; }
    }

    private sealed class Helper
    {
        public required LMethod Method { get; init; }

        /// <summary>This helper and every helper its body calls, transitively.</summary>
        public required HashSet<string> Reaches { get; init; }
    }

    /// <summary>Helpers the method being built calls (see "helper-reuse").</summary>
    private readonly HashSet<string> _calledInMethod = new(StringComparer.Ordinal);

    private sealed class Scope
    {
        public List<string> Doubles { get; private init; } = new();

        public List<string> DoubleTargets { get; private init; } = new();

        public List<IntV> Ints { get; private init; } = new();

        public List<string> Bools { get; private init; } = new();

        public List<Arr> Arrays { get; private init; } = new();

        public int Depth { get; set; }

        public long Trips { get; set; } = 1;

        public bool InLoop { get; set; }

        public bool InSwitch { get; set; }

        /// <summary>Somewhere inside a switch section (also inside loops nested in it).</summary>
        public bool UnderSwitch { get; set; }

        public bool ContinueOk { get; set; }

        public bool InHelper { get; set; }

        /// <summary>Helpers this scope may call (a helper only calls those built before it).</summary>
        public int HelpersVisible { get; set; }

        public Scope Clone() => new()
        {
            Doubles = new List<string>(Doubles),
            DoubleTargets = new List<string>(DoubleTargets),
            Ints = new List<IntV>(Ints),
            Bools = new List<string>(Bools),
            Arrays = new List<Arr>(Arrays),
            Depth = Depth,
            Trips = Trips,
            InLoop = InLoop,
            InSwitch = InSwitch,
            UnderSwitch = UnderSwitch,
            ContinueOk = ContinueOk,
            InHelper = InHelper,
            HelpersVisible = HelpersVisible,
        };
    }

    // ------------------------------------------------------------------ case

    public LCase Build()
    {
        _hessian = _g.On("hessian") && _r.Chance(0.2);
        _maxLen = _hessian ? MaxHessianArrayLength : MaxArrayLength;
        int helperCount = _g.On("helper") ? _r.Weighted(5, 4, 2) : 0;
        for (int k = 0; k < helperCount; k++)
        {
            _helpers.Add(BuildHelper("H" + k.ToString(CultureInfo.InvariantCulture)));
        }

        _used.Clear();
        foreach (Helper h in _helpers)
        {
            _used.Add(h.Method.Name);
        }

        ImmutableArray<LParam> ps = MainParams();
        _calledInMethod.Clear();
        var scope = new Scope { HelpersVisible = _helpers.Count };
        AddParams(scope, ps, helper: false);
        _budget = 90 + _r.Next(90);
        _loopsLeft = 2 + _r.Next(4);
        ImmutableArray<LStmt> body = Block(scope, 0, mustReturn: true);

        string name = _r.Pick(MethodNames);
        var main = new LMethod(name, ps, body, Differentiable: true, Hessian: _hessian, Accessibility: _r.Pick(new[] { "public", "public", "internal", "private" }));
        return new LCase(0, main, _helpers.Select(h => h.Method).ToImmutableArray(), Points(main), _r.Chance(0.3) ? "Fuzz.Loops" : null);
    }

    private string Unique(string baseName)
    {
        string name = baseName;
        for (int i = 2; !_used.Add(name); i++)
        {
            name = baseName + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    private ImmutableArray<LParam> MainParams()
    {
        var ps = new List<LParam>();
        bool noArray = _g.On("no-array") && _r.Chance(0.08);
        int arrays = noArray ? 0 : 1 + _r.Weighted(4, 4, 2);
        if (_hessian)
        {
            arrays = Math.Min(arrays, 2);
        }

        for (int k = 0; k < arrays; k++)
        {
            string type = _g.On("span") ? _r.Pick(new[] { "double[]", "double[]", "double[]", "ReadOnlySpan<double>", "ReadOnlySpan<double>", "Span<double>" }) : "double[]";
            string name = _r.Chance(0.7) ? ArrayNames[_r.Next(5)] : _r.Pick(ArrayNames);
            if (name == "tape" && !_g.On("param-named-tape"))
            {
                name = "tapes";
            }

            ps.Add(new LParam(Unique(name), type, false));
        }

        int scalars = noArray ? 1 + _r.Next(2) : _r.Weighted(4, 3, 1);
        for (int k = 0; k < scalars; k++)
        {
            ps.Add(new LParam(Unique(_r.Chance(0.6) ? ScalarNames[_r.Next(5)] : _r.Pick(ScalarNames)), "double", false));
        }

        int ints = noArray ? 1 : _r.Weighted(3, 4, 2);
        for (int k = 0; k < ints; k++)
        {
            ps.Add(new LParam(Unique(_r.Chance(0.7) ? IntNames[_r.Next(3)] : _r.Pick(IntNames)), _g.On("long") && _r.Chance(0.2) ? "long" : "int", false));
        }

        if (_g.On("bool") && _r.Chance(0.35))
        {
            ps.Add(new LParam(Unique(_r.Pick(BoolNames)), "bool", false));
        }

        if (_g.On("int-array") && _r.Chance(0.4))
        {
            ps.Add(new LParam(Unique(_r.Pick(IntArrayNames)), _g.On("span") && _r.Chance(0.4) ? "ReadOnlySpan<int>" : "int[]", false));
        }

        // Shuffle (data and differentiated parameters interleave; the gradient layout follows declaration order).
        for (int i = ps.Count - 1; i > 0; i--)
        {
            int j = _r.Next(i + 1);
            (ps[i], ps[j]) = (ps[j], ps[i]);
        }

        if (_g.On("wrt") && _r.Chance(0.3))
        {
            var doubles = Enumerable.Range(0, ps.Count).Where(i => ps[i].IsDoubleLike).ToList();
            if (doubles.Count > 1)
            {
                int first = _r.Pick(doubles);
                for (int i = 0; i < ps.Count; i++)
                {
                    if (i == first || (doubles.Contains(i) && _r.Chance(0.4)))
                    {
                        ps[i] = ps[i] with { Wrt = true };
                    }
                }
            }
        }

        return ps.ToImmutableArray();
    }

    private void AddParams(Scope scope, IEnumerable<LParam> ps, bool helper)
    {
        foreach (LParam p in ps)
        {
            switch (p.TypeText)
            {
                case "double":
                    scope.Doubles.Add(p.Name);
                    if (_g.On("double-param-assign") && _r.Chance(0.3))
                    {
                        scope.DoubleTargets.Add(p.Name);
                    }

                    break;
                case "int" or "long":
                    scope.Ints.Add(new IntV { Name = p.Name, Type = p.TypeText == "int" ? LType.Int : LType.Long, Lo = 0, Hi = helper ? MaxIntElement : MaxInt, IsParam = !helper });
                    break;
                case "bool":
                    scope.Bools.Add(p.Name);
                    break;
                default:
                    scope.Arrays.Add(new Arr
                    {
                        Name = p.Name,
                        Elem = p.Element,
                        CsType = p.TypeText,
                        MinLen = 1,
                        MaxLen = helper ? 2 * (MaxArrayLength + MaxInt) : p.Element == LType.Int ? MaxArrayLength : _maxLen,
                        LenKey = p.Name,
                    });
                    break;
            }
        }
    }

    private ImmutableArray<LPoint> Points(LMethod m)
    {
        var points = ImmutableArray.CreateBuilder<LPoint>();
        for (int k = 0; k < 4; k++)
        {
            var args = ImmutableArray.CreateBuilder<object>();
            foreach (LParam p in m.Params)
            {
                args.Add(p.TypeText switch
                {
                    "double" => Value(),
                    "int" => _r.Next(MaxInt + 1),
                    "long" => (long)_r.Next(MaxInt + 1),
                    "bool" => _r.Chance(0.5),
                    "int[]" or "ReadOnlySpan<int>" => Enumerable.Range(0, 1 + _r.Next(MaxArrayLength)).Select(_ => _r.Next(MaxIntElement + 1)).ToArray(),
                    _ => Enumerable.Range(0, 1 + _r.Next(_maxLen)).Select(_ => Value()).ToArray(),
                });
            }

            points.Add(new LPoint(args.ToImmutable()));
        }

        return points.ToImmutable();
    }

    private double Value() => _r.Weighted(14, 4, 2) switch
    {
        0 => Math.Round(_r.Uniform(-2, 2), 6),
        1 => Math.Round(_r.Uniform(0.05, 3), 6),
        _ => _r.Pick(new[] { 0.0, 1.0, -1.0, 0.5, 2.0, 0.3 }),
    };

    private Helper BuildHelper(string name)
    {
        _used.Clear();
        var ps = new List<LParam>();
        int arrays = 1 + _r.Weighted(3, 2);
        for (int k = 0; k < arrays; k++)
        {
            string type = _g.On("span") ? _r.Pick(new[] { "ReadOnlySpan<double>", "ReadOnlySpan<double>", "double[]", "Span<double>" }) : "double[]";
            ps.Add(new LParam(Unique(_r.Pick(new[] { "u", "v", "p", "q" })), type, false));
        }

        if (_r.Chance(0.6))
        {
            ps.Add(new LParam(Unique(_r.Pick(new[] { "c", "t", "alpha" })), "double", false));
        }

        if (_r.Chance(0.4))
        {
            ps.Add(new LParam(Unique(_r.Pick(new[] { "k", "off", "n" })), "int", false));
        }

        _calledInMethod.Clear();
        var scope = new Scope { InHelper = true, HelpersVisible = _g.On("helper-nested") ? _helpers.Count : 0 };
        AddParams(scope, ps, helper: true);
        _budget = 25 + _r.Next(30);
        _loopsLeft = 1 + _r.Next(2);
        ImmutableArray<LStmt> body = Block(scope, 1, mustReturn: true);
        bool differentiable = _g.On("helper-differentiable") && _r.Chance(0.12);
        var reaches = new HashSet<string>(StringComparer.Ordinal) { name };
        foreach (Helper callee in _helpers.Where(x => Calls(body, x.Method.Name)))
        {
            reaches.UnionWith(callee.Reaches);
        }

        return new Helper { Method = new LMethod(name, ps.ToImmutableArray(), body, differentiable, false, differentiable ? "internal" : "private"), Reaches = reaches };
    }

    private static bool Calls(ImmutableArray<LStmt> body, string helper) => LText.Source(new LCase(0, new LMethod("X", ImmutableArray<LParam>.Empty, body, false, false), ImmutableArray<LMethod>.Empty, ImmutableArray<LPoint>.Empty, null))
        .Contains(helper + "(", StringComparison.Ordinal);

    // ------------------------------------------------------------------ statements

    private ImmutableArray<LStmt> Block(Scope scope, int depth, bool mustReturn)
    {
        var list = ImmutableArray.CreateBuilder<LStmt>();
        int count = depth == 0 ? 2 + _r.Next(6) : 1 + _r.Next(3);
        for (int i = 0; i < count && _budget > 0; i++)
        {
            list.AddRange(Statement(scope, depth));
            if (LoopShapes.AlwaysReturns(list.ToImmutable()))
            {
                return list.ToImmutable();
            }
        }

        if (mustReturn)
        {
            list.Add(new LReturn(DExpr(scope, 3)));
        }

        return list.ToImmutable();
    }

    private IEnumerable<LStmt> Statement(Scope scope, int depth)
    {
        bool canLoop = _loopsLeft > 0 && scope.Depth < 3;
        bool writable = scope.Arrays.Any(a => a.Writable && CanIndex(scope, a))
            && !(scope.InLoop && !_g.On("store-in-loop"))
            && !(_hessian && (scope.InLoop || scope.InHelper) && !_g.On("hessian-store-in-loop"));
        int kind = _r.Weighted(
            14,                                                                  // 0 double local
            scope.DoubleTargets.Count > 0 ? 18 : 0,                              // 1 assignment / accumulation
            scope.DoubleTargets.Count > 0 && _g.On("recurrence") ? 8 : 0,        // 2 recurrence
            _g.On("int-local") ? 5 : 0,                                          // 3 int local
            scope.Ints.Any(v => v.Mutable) && _g.On("int-counter") ? 5 : 0,      // 4 int counter step
            _g.On("bool") ? 2 : 0,                                               // 5 bool local
            writable ? 12 : 0,                                                   // 6 store
            depth < 4 ? 8 : 0,                                                   // 7 if / if-else
            canLoop ? (depth == 0 ? 40 : 16) : 0,                                // 8 loop
            scope.InLoop && !scope.InSwitch && (!scope.UnderSwitch || _g.On("switch-nested-jump")) && (_g.On("break") || _g.On("continue")) ? 7 : 0, // 9 break/continue
            scope.InLoop && !scope.InSwitch && _g.On("return-in-loop") ? 3 : 0, // 10 return in loop
            !scope.InLoop && depth > 0 && _g.On("early-return") ? 2 : 0,         // 11 early return
            _g.On("switch") && depth < 4 && !scope.InSwitch && (!scope.UnderSwitch || _g.On("switch-nested-jump")) ? 3 : 0, // 12 switch
            _g.On("buffer") && depth < 4 ? 7 : 0);                               // 13 buffer
        switch (kind)
        {
            case 0:
            {
                string name = Unique(_r.Pick(LocalNames));
                LExpr init = DExpr(scope, 3);
                scope.Doubles.Add(name);
                scope.DoubleTargets.Add(name);
                return new LStmt[] { new LDecl(_r.Chance(0.2) ? "var" : "double", name, LType.Double, init) };
            }

            case 1:
            {
                string target = PickTarget(scope);
                string op = _r.Pick(new[] { "=", "+=", "+=", "+=", "-=", "*=", "/=" });
                LExpr value = DExpr(scope, 3);
                if (op == "/=")
                {
                    value = new LBin('+', LNum.Double(1.5), Call1("SymMath.Square", value));
                }

                return new LStmt[] { new LAssign(target, op, value) };
            }

            case 2:
            {
                string t = PickTarget(scope);
                LExpr inner = new LBin('+', new LBin('*', DLeaf(scope), new LVar(t, LType.Double)), DLeaf(scope));
                LExpr value = _r.Next(6) switch
                {
                    0 => Call1("Math.Tanh", inner),
                    1 => Call1("SymMath.Sigmoid", inner),
                    2 => Call1("Math.Sin", inner),
                    3 => Call1("Math.Atan", inner),
                    4 => Call1("SymMath.Softsign", inner),
                    _ => new LBin('+', new LBin('*', LNum.Double(0.5), new LVar(t, LType.Double)), DExpr(scope, 2)),
                };
                return new LStmt[] { new LAssign(t, "=", value) };
            }

            case 3:
            {
                if (_r.Chance(0.4) && _g.On("int-counter"))
                {
                    string cname = Unique(_r.Pick(IntLocalNames));
                    scope.Ints.Add(new IntV { Name = cname, Lo = 0, Hi = 500, Mutable = true, Room = 500, Stepped = true });
                    return new LStmt[] { new LDecl("int", cname, LType.Int, LNum.Int(0)) };
                }

                (LExpr e, long lo, long hi) = IntExpr(scope, 2);
                string name = Unique(_r.Pick(IntLocalNames));
                scope.Ints.Add(new IntV { Name = name, Lo = lo, Hi = hi });
                return new LStmt[] { new LDecl(_r.Chance(0.2) ? "var" : "int", name, LType.Int, e) };
            }

            case 4:
            {
                IntV c = _r.Pick(scope.Ints.Where(v => v.Mutable).ToList());
                (LExpr e, long lo, long hi) = IntExpr(scope, 1);
                if (_r.Chance(0.4) && c.Room >= scope.Trips)
                {
                    c.Room -= scope.Trips;
                    return new LStmt[] { new LIncr(c.Name, true, _r.Chance(0.3)) };
                }

                if (hi * scope.Trips <= c.Room)
                {
                    c.Room -= hi * scope.Trips;
                    return new LStmt[] { new LAssign(c.Name, "+=", e) };
                }

                // No room left: keep it bounded by a remainder.
                return new LStmt[] { new LAssign(c.Name, "=", new LBin('%', new LBin('+', new LVar(c.Name, LType.Int), e), LNum.Int(_r.Pick(new[] { 7, 10, 13 })))) };
            }

            case 5:
            {
                string name = Unique(_r.Pick(new[] { "c", "flag", "pos", "keep" }));
                LBool init = Cond(scope, 2, _hessian && !_g.On("hessian-bool-state"));
                scope.Bools.Add(name);
                return new LStmt[] { new LBoolDecl(name, init) };
            }

            case 6:
            {
                Arr a = _r.Pick(scope.Arrays.Where(x => x.Writable && CanIndex(scope, x)).ToList());
                string op = _g.On("store-compound") ? _r.Pick(new[] { "=", "=", "+=", "+=", "-=", "*=" }) : "=";
                return new LStmt[] { new LStore(a.Name, Index(scope, a), op, DExpr(scope, 3)) };
            }

            case 7:
            {
                LBool c = Cond(scope, 2, DataOnly(scope));
                ImmutableArray<LStmt> then = Block(scope.Clone(), depth + 1, mustReturn: false);
                ImmutableArray<LStmt>? @else = _r.Chance(0.4) ? Block(scope.Clone(), depth + 1, mustReturn: false) : null;
                if (then.Length == 0)
                {
                    then = ImmutableArray.Create<LStmt>(SimpleUpdate(scope));
                }

                if (@else is { Length: 0 })
                {
                    @else = null;
                }

                return new LStmt[] { new LIf(c, then, @else) };
            }

            case 8:
                return Loop(scope, depth);
            case 9:
            {
                bool brk = !_g.On("continue") || (_g.On("break") && _r.Chance(0.5)) || !scope.ContinueOk;
                if (brk && !_g.On("break"))
                {
                    return new LStmt[] { SimpleUpdate(scope) };
                }

                LBool c = Cond(scope, 1, DataOnly(scope));
                LStmt jump = brk ? new LBreak() : new LContinue();
                ImmutableArray<LStmt> then = _r.Chance(0.3) ? ImmutableArray.Create(SimpleUpdate(scope), jump) : ImmutableArray.Create(jump);
                return new LStmt[] { new LIf(c, then, null) };
            }

            case 10:
            case 11:
                return new LStmt[] { new LIf(Cond(scope, 1, DataOnly(scope)), ImmutableArray.Create<LStmt>(new LReturn(DExpr(scope, 2))), null) };
            case 12:
                return new LStmt[] { Switch(scope, depth) };
            default:
                return Buffer(scope, depth);
        }
    }

    /// <summary>Statement conditions that may not test values (Hessian cases inside loops and helpers; see LoopGrammar).</summary>
    private bool DataOnly(Scope scope) => _hessian && !_g.On("hessian-bool-state");

    private string PickTarget(Scope scope) => _r.Chance(0.6) && scope.DoubleTargets.Count > 1
        ? scope.DoubleTargets[scope.DoubleTargets.Count - 1 - _r.Next(Math.Min(3, scope.DoubleTargets.Count))]
        : _r.Pick(scope.DoubleTargets);

    /// <summary>An accumulation into a double target, or a fresh local when there is none.</summary>
    private LStmt SimpleUpdate(Scope scope)
    {
        if (scope.DoubleTargets.Count == 0)
        {
            string name = Unique(_r.Pick(LocalNames));
            return new LDecl("double", name, LType.Double, DExpr(scope, 2));
        }

        return new LAssign(PickTarget(scope), _r.Pick(new[] { "+=", "-=", "=" }), DExpr(scope, 2));
    }

    private LSwitch Switch(Scope scope, int depth)
    {
        int k = 2 + _r.Next(2);
        Scope valueScope = scope;
        if (!_g.On("switch-after-update"))
        {
            valueScope = scope.Clone();
            valueScope.Ints.RemoveAll(v => v.Stepped);
        }

        (LExpr e, _, _) = IntExpr(valueScope, 1);
        var labels = Enumerable.Range(0, k).Where(_ => _r.Chance(0.8)).ToList();
        bool dflt = labels.Count == 0 || _r.Chance(0.5);
        var sections = ImmutableArray.CreateBuilder<LSection>();
        foreach (int? label in labels.Select(l => (int?)l).Concat(dflt ? new int?[] { null } : Array.Empty<int?>()))
        {
            Scope inner = scope.Clone();
            inner.InSwitch = true;
            inner.UnderSwitch = true;
            ImmutableArray<LStmt> body = Block(inner, depth + 1, mustReturn: false);
            if (body.Length == 0)
            {
                body = ImmutableArray.Create(SimpleUpdate(inner));
            }

            if (_g.On("switch-return") && _r.Chance(0.15) && !LoopShapes.AlwaysReturns(body))
            {
                body = body.Add(new LReturn(DExpr(inner, 2)));
            }

            sections.Add(new LSection(label, body));
        }

        return new LSwitch(new LBin('%', e, LNum.Int(k)), sections.ToImmutable());
    }

    private IEnumerable<LStmt> Buffer(Scope scope, int depth)
    {
        // A helper's buffer is inside a loop when the helper is called in one.
        bool inLoop = scope.InLoop || scope.InHelper;
        if (inLoop && !_g.On("buffer-in-loop"))
        {
            return new[] { SimpleUpdate(scope) };
        }

        if (!inLoop && _g.On("refill") && _r.Chance(0.3) && Refill(scope) is { } refill)
        {
            return refill;
        }

        // The length: another array's (same key), an int parameter's (+ 1), or a constant.
        var choices = new List<(LExpr Length, int Min, int Max, string Key)>();
        foreach (Arr a in scope.Arrays.Where(a => !a.Writable || !inLoop))
        {
            choices.Add((new LLen(a.Name), a.MinLen, a.MaxLen, a.LenKey));
            choices.Add((new LBin('+', new LLen(a.Name), LNum.Int(1)), a.MinLen + 1, a.MaxLen + 1, a.LenKey + "+1"));
        }

        if (_g.On("buffer-int-length") && (!inLoop || _g.On("buffer-in-loop-int-length")))
        {
            foreach (IntV v in scope.Ints.Where(v => v.Type == LType.Int && v.IsParam))
            {
                choices.Add((new LBin('+', new LVar(v.Name, LType.Int), LNum.Int(1)), (int)v.Lo + 1, (int)v.Hi + 1, v.Name + "+1"));
                choices.Add((new LVar(v.Name, LType.Int), (int)v.Lo, (int)v.Hi, v.Name));
            }
        }

        int c = 1 + _r.Next(4);
        choices.Add((LNum.Int(c), c, c, "c" + c.ToString(CultureInfo.InvariantCulture)));
        (LExpr length, int min, int max, string key) = _r.Pick(choices);
        bool stack = !inLoop && _g.On("stackalloc") && _r.Chance(0.2);
        string name = Unique(_r.Pick(BufferNames));
        var arr = new Arr { Name = name, Elem = LType.Double, CsType = stack ? "Span<double>" : "double[]", Writable = true, MinLen = min, MaxLen = max, LenKey = key };
        var result = new List<LStmt> { new LArrayDecl(name, length, stack) };
        scope.Arrays.Add(arr);
        if (_r.Chance(0.7) && scope.Trips * max <= MaxTrips)
        {
            // Fill it: for (int i = 0; i < buf.Length; i++) buf[i] = f(…);
            string i = Unique(_r.Pick(CounterNames));
            Scope body = scope.Clone();
            body.Ints.Add(new IntV { Name = i, Lo = 0, Hi = Math.Max(0, max - 1), Below = key });
            body.Trips = scope.Trips * Math.Max(1, max);
            LExpr value = DExpr(body, 3);
            result.Add(new LFor(
                i,
                LNum.Int(0),
                new LCmp("<", new LVar(i, LType.Int), new LLen(name)),
                new LIncr(i, true, false),
                ImmutableArray.Create<LStmt>(new LStore(name, new LVar(i, LType.Int), "=", value))));
        }

        return result;
    }

    /// <summary>
    /// <c>double[] rb = new double[p.Length]; for (int o = 0; o &lt; T; o++) { for (int j = 0; j &lt; rb.Length; j++) rb[j] = p[j]·c − o·c′; acc += rb[o % rb.Length]·rb[rb.Length − 1]; }</c>:
    /// a buffer every iteration fills whole from a parameter and the counter before reading it, which the generated
    /// reverse sweep fills again instead of taping (construct <c>refill</c>). Null when no double array parameter or
    /// double target is in scope, or the trips would run past the budget.
    /// </summary>
    private IEnumerable<LStmt>? Refill(Scope scope)
    {
        var sources = scope.Arrays.Where(a => a.Elem == LType.Double && !a.Writable && a.MinLen >= 1).ToList();
        int trips = 1 + _r.Next(3);
        if (sources.Count == 0 || scope.DoubleTargets.Count == 0)
        {
            return null;
        }

        Arr source = _r.Pick(sources);
        if (scope.Trips * trips * source.MaxLen > MaxTrips)
        {
            return null;
        }

        string name = Unique(_r.Pick(BufferNames));
        string o = Unique(_r.Pick(CounterNames));
        string j = Unique(_r.Pick(CounterNames));
        string target = PickTarget(scope);
        LExpr value = new LBin('-', new LBin('*', new LLoad(source.Name, new LVar(j, LType.Int), LType.Double), Num(0.5 + _r.Next(4) * 0.25)),
            new LBin('*', new LCast(new LVar(o, LType.Int)), Num(0.125 * (1 + _r.Next(3)))));
        var fill = new LFor(
            j,
            LNum.Int(0),
            new LCmp("<", new LVar(j, LType.Int), new LLen(name)),
            new LIncr(j, true, false),
            ImmutableArray.Create<LStmt>(new LStore(name, new LVar(j, LType.Int), "=", value)));
        LExpr read = new LBin('*',
            new LLoad(name, new LBin('%', new LVar(o, LType.Int), new LLen(name)), LType.Double),
            new LLoad(name, new LBin('-', new LLen(name), LNum.Int(1)), LType.Double));
        var outer = new LFor(
            o,
            LNum.Int(0),
            new LCmp("<", new LVar(o, LType.Int), LNum.Int(trips)),
            new LIncr(o, true, false),
            ImmutableArray.Create<LStmt>(fill, new LAssign(target, "+=", read)));
        return new LStmt[] { new LArrayDecl(name, new LLen(source.Name), false), outer };

        static LExpr Num(double v) => LNum.Double(v);
    }

    // ------------------------------------------------------------------ loops

    private IEnumerable<LStmt> Loop(Scope scope, int depth)
    {
        _loopsLeft--;
        var kinds = new List<(string Name, int Weight)>
        {
            ("for", 30), ("for-down", 6), ("for-step", 6), ("while", 10), ("do", 5), ("foreach", 10),
        };
        kinds.RemoveAll(k => !_g.On(k.Name));
        if (kinds.Count == 0)
        {
            return new[] { SimpleUpdate(scope) };
        }

        string kind = kinds[_r.Weighted(kinds.Select(k => k.Weight).ToArray())].Name;
        if (kind == "foreach")
        {
            var arrays = scope.Arrays.Where(a => (_g.On("foreach-buffer") || !a.Writable) && scope.Trips * a.MaxLen <= MaxTrips).ToList();
            if (arrays.Count == 0)
            {
                kind = "for";
            }
            else
            {
                Arr a = _r.Pick(arrays);
                string v = Unique(_r.Pick(new[] { "xi", "item", "val", "wi", "ix" }));
                Scope body = Inner(scope, a.MaxLen, continueOk: true);
                if (a.Elem == LType.Double)
                {
                    body.Doubles.Add(v);
                }
                else
                {
                    // Bound from the hidden index stepped at the top of each iteration (see "switch-after-update").
                    body.Ints.Add(new IntV { Name = v, Lo = 0, Hi = MaxIntElement, Stepped = true });
                }

                ImmutableArray<LStmt> stmts = LoopBody(body, depth);
                string typeText = _r.Chance(0.3) ? "var" : a.Elem == LType.Double ? "double" : "int";
                return new[] { new LForEach(typeText, v, a.Elem, a.Name, stmts) };
            }
        }

        // The bound: an array length, an int parameter (or long), a constant, an outer counter.
        (LExpr bound, long lo, long hi, string? key) = Bound(scope);
        long trips = kind == "for-step" ? (hi + 1) / 2 + 1 : kind == "do" ? Math.Max(1, hi) : hi;
        if (scope.Trips * Math.Max(1, trips) > MaxTrips)
        {
            (bound, lo, hi, key) = (LNum.Int(2), 2, 2, "c2");
            trips = 2;
            if (scope.Trips * 2 > MaxTrips)
            {
                return new[] { SimpleUpdate(scope) };
            }
        }

        string i = Unique(kind is "while" or "do" ? _r.Pick(new[] { "k", "step", "t", "iter" }) : _r.Pick(CounterNames));
        LExpr iv = new LVar(i, LType.Int);
        switch (kind)
        {
            case "for":
            {
                Scope body = Inner(scope, trips, continueOk: true);
                body.Ints.Add(new IntV { Name = i, Lo = 0, Hi = Math.Max(0, hi - 1), Below = key, IsCounter = true });
                if (_g.On("offset-bound") && bound.Type != LType.Long && hi >= 2 && _r.Chance(0.25))
                {
                    // for (int i = 0; i + 1 < n; i++): i stays below n − 1 (the condition's i + 1 is the step's value too).
                    Scope offsetBody = Inner(scope, trips, continueOk: true);
                    offsetBody.Ints.Add(new IntV { Name = i, Lo = 0, Hi = Math.Max(0, hi - 2), Below = key, IsCounter = true });
                    return new[] { new LFor(i, LNum.Int(0), new LCmp("<", new LBin('+', iv, LNum.Int(1)), bound), new LIncr(i, true, false), LoopBody(offsetBody, depth)) };
                }

                string op = bound.Type == LType.Long || _r.Chance(0.8) ? "<" : "!=";
                return new[] { new LFor(i, LNum.Int(0), new LCmp(op, iv, bound), new LIncr(i, true, _r.Chance(0.2)), LoopBody(body, depth)) };
            }

            case "for-down":
            {
                if (bound.Type == LType.Long)
                {
                    goto case "for";
                }

                Scope body = Inner(scope, trips, continueOk: true);
                body.Ints.Add(new IntV { Name = i, Lo = 0, Hi = Math.Max(0, hi - 1), Below = key, IsCounter = true });
                return new[] { new LFor(i, new LBin('-', bound, LNum.Int(1)), new LCmp(">=", iv, LNum.Int(0)), new LIncr(i, false, false), LoopBody(body, depth)) };
            }

            case "for-step":
            {
                Scope body = Inner(scope, trips, continueOk: true);
                if (_r.Chance(0.5))
                {
                    body.Ints.Add(new IntV { Name = i, Lo = 0, Hi = Math.Max(0, hi - 1), Below = key, IsCounter = true });
                    return new[] { new LFor(i, LNum.Int(0), new LCmp("<", iv, bound), new LAssign(i, "+=", LNum.Int(2)), LoopBody(body, depth)) };
                }

                body.Ints.Add(new IntV { Name = i, Lo = 1, Hi = Math.Max(1, hi), IsCounter = true });
                return new[] { new LFor(i, LNum.Int(1), new LCmp("<=", iv, bound), new LIncr(i, true, false), LoopBody(body, depth)) };
            }

            default:
            {
                // while / do with a counter: stepped first (continue is then safe) or last (no continue of this loop).
                bool first = _r.Chance(0.5);
                Scope body = Inner(scope, trips, continueOk: first);
                body.Ints.Add(first
                    ? new IntV { Name = i, Lo = 1, Hi = Math.Max(1, hi), IsCounter = true, Stepped = true }
                    : new IntV { Name = i, Lo = 0, Hi = Math.Max(0, hi - 1), Below = kind == "while" ? key : null, IsCounter = true });
                ImmutableArray<LStmt> stmts = LoopBody(body, depth);
                var step = new LIncr(i, true, _r.Chance(0.3));
                stmts = first ? stmts.Insert(0, step) : stmts.Add(step);
                LBool cond = new LCmp("<", iv, bound);
                if (_g.On("while-value") && _r.Chance(0.3) && scope.Doubles.Count > 0 && !DataOnly(body))
                {
                    LBool extra = new LCmp(_r.Pick(new[] { "<", ">" }), new LVar(_r.Pick(scope.Doubles), LType.Double), LNum.Double(Math.Round(_r.Uniform(-2, 3), 2)));
                    cond = new LLogic(true, cond, extra);
                }

                var decl = new LDecl("int", i, LType.Int, LNum.Int(0));
                scope.Ints.Add(new IntV { Name = i, Lo = 0, Hi = Math.Max(1, hi), IsCounter = true });
                return kind == "do"
                    ? new LStmt[] { decl, new LDo(stmts, cond) }
                    : new LStmt[] { decl, new LWhile(cond, stmts) };
            }
        }
    }

    private Scope Inner(Scope scope, long trips, bool continueOk)
    {
        Scope body = scope.Clone();
        body.Depth++;
        body.Trips = scope.Trips * Math.Max(1, trips);
        body.InLoop = true;
        body.InSwitch = false;
        body.ContinueOk = continueOk;
        return body;
    }

    private ImmutableArray<LStmt> LoopBody(Scope body, int depth)
    {
        ImmutableArray<LStmt> stmts = Block(body, depth + 1, mustReturn: false);
        return stmts.Length == 0 ? ImmutableArray.Create(SimpleUpdate(body)) : stmts;
    }

    private (LExpr Bound, long Lo, long Hi, string? Key) Bound(Scope scope)
    {
        var choices = new List<(LExpr, long, long, string?, int)>();
        foreach (Arr a in scope.Arrays)
        {
            choices.Add((new LLen(a.Name), a.MinLen, a.MaxLen, a.LenKey, 8));
        }

        foreach (IntV v in scope.Ints.Where(v => !v.Mutable && v.Hi <= 2 * MaxIntElement))
        {
            if (v.IsCounter && !_g.On("triangular"))
            {
                continue;
            }

            if (v.Type == LType.Long && !_g.On("long"))
            {
                continue;
            }

            choices.Add((new LVar(v.Name, v.Type), v.Lo, v.Hi, null, 4));
            if (v.Type == LType.Int)
            {
                choices.Add((new LBin('+', new LVar(v.Name, v.Type), LNum.Int(1)), v.Lo + 1, v.Hi + 1, null, 2));
            }
        }

        int c = 1 + _r.Next(4);
        choices.Add((LNum.Int(c), c, c, "c" + c.ToString(CultureInfo.InvariantCulture), 2));
        if (_g.On("sign-index") && scope.Doubles.Count > 0)
        {
            LExpr sign = new LBin('+', Call1("Math.Sign", new LVar(_r.Pick(scope.Doubles), LType.Double)), LNum.Int(1));
            choices.Add((sign, 0, 2, null, 1));
        }

        var pick = choices[_r.Weighted(choices.Select(x => x.Item5).ToArray())];
        return (pick.Item1, pick.Item2, pick.Item3, pick.Item4);
    }

    // ------------------------------------------------------------------ int expressions (always ≥ 0, bounded)

    private bool CanIndex(Scope scope, Arr a) => a.MinLen >= 1 || scope.Ints.Any(v => v.Below == a.LenKey);

    /// <summary>An index that is in range by construction.</summary>
    private LExpr Index(Scope scope, Arr a)
    {
        var counters = scope.Ints.Where(v => v.Below == a.LenKey).ToList();
        int k = _r.Weighted(counters.Count > 0 ? 8 : 0, counters.Count > 0 ? 2 : 0, a.MinLen >= 1 ? 1 : 0, a.MinLen >= 1 ? 1 : 0, a.MinLen >= 1 ? 7 : 0);
        switch (k)
        {
            case 0:
                return new LVar(_r.Pick(counters).Name, LType.Int);
            case 1:
                return new LBin('-', new LBin('-', new LLen(a.Name), LNum.Int(1)), new LVar(_r.Pick(counters).Name, LType.Int));
            case 2:
                return LNum.Int(0);
            case 3:
                return new LBin('-', new LLen(a.Name), LNum.Int(1));
            default:
            {
                (LExpr e, _, long hi) = IntExpr(scope, 2);
                return hi < a.MinLen && _r.Chance(0.7) ? e : new LBin('%', e, new LLen(a.Name));
            }
        }
    }

    private (LExpr E, long Lo, long Hi) IntLeaf(Scope scope)
    {
        _budget--;
        var ints = scope.Ints.Where(v => v.Type == LType.Int).ToList();
        var intArrays = scope.Arrays.Where(a => a.Elem == LType.Int && CanIndex(scope, a)).ToList();
        int k = _r.Weighted(ints.Count > 0 ? 10 : 0, scope.Arrays.Count > 0 ? 3 : 0, 3, intArrays.Count > 0 ? 3 : 0);
        switch (k)
        {
            case 0:
            {
                IntV v = _r.Pick(ints);
                return (new LVar(v.Name, LType.Int), v.Lo, v.Hi);
            }

            case 1:
            {
                Arr a = _r.Pick(scope.Arrays);
                return (new LLen(a.Name), a.MinLen, a.MaxLen);
            }

            case 2:
            {
                int c = _r.Next(6);
                return (LNum.Int(c), c, c);
            }

            default:
            {
                Arr a = _r.Pick(intArrays);
                return (new LLoad(a.Name, Index(scope, a), LType.Int), 0, MaxIntElement);
            }
        }
    }

    private (LExpr E, long Lo, long Hi) IntExpr(Scope scope, int depth)
    {
        if (depth <= 0 || _budget <= 0 || _r.Chance(0.35) || !_g.On("int-local"))
        {
            return IntLeaf(scope);
        }

        _budget--;
        (LExpr a, long alo, long ahi) = IntExpr(scope, depth - 1);
        switch (_r.Weighted(10, 6, 3, 4, 3, _g.On("sign-index") && scope.Doubles.Count > 0 ? 1 : 0, _g.On("int-select") ? 2 : 0))
        {
            case 0:
            {
                (LExpr b, long blo, long bhi) = IntExpr(scope, depth - 1);
                return (new LBin('+', a, b), alo + blo, ahi + bhi);
            }

            case 1:
            {
                (LExpr b, long blo, long bhi) = IntExpr(scope, depth - 1);
                if (ahi * bhi > 10_000)
                {
                    return (new LBin('+', a, b), alo + blo, ahi + bhi);
                }

                return (new LBin('*', a, b), alo * blo, ahi * bhi);
            }

            case 2:
            {
                int c = 1 + _r.Next(3);
                return (new LBin('/', a, LNum.Int(c)), alo / c, ahi / c);
            }

            case 3:
            {
                // a % c or a % arr.Length (arrays that are never empty).
                var arrays = scope.Arrays.Where(x => x.MinLen >= 1).ToList();
                if (arrays.Count > 0 && _r.Chance(0.4))
                {
                    Arr arr = _r.Pick(arrays);
                    return (new LBin('%', a, new LLen(arr.Name)), 0, Math.Min(ahi, arr.MaxLen - 1));
                }

                int c = 2 + _r.Next(4);
                return (new LBin('%', a, LNum.Int(c)), 0, Math.Min(ahi, c - 1));
            }

            case 4:
            {
                // (a + K − b) with K = max(b): never negative.
                (LExpr b, long blo, long bhi) = IntExpr(scope, depth - 1);
                return (new LBin('-', new LBin('+', a, LNum.Int((int)bhi)), b), alo + bhi - bhi, ahi + bhi - blo);
            }

            case 5:
            {
                LExpr sign = Call1("Math.Sign", DExpr(scope, 1));
                return (new LBin('+', sign, LNum.Int(1)), 0, 2);
            }

            default:
            {
                // c ? a : b on ints: the condition tests data or values (then the index depends on a decision).
                (LExpr b, long blo, long bhi) = IntExpr(scope, depth - 1);
                return (new LCond(Cond(scope, 0, DataOnly(scope), boolVars: _g.On("select-bool-var")), a, b), Math.Min(alo, blo), Math.Max(ahi, bhi));
            }
        }
    }

    // ------------------------------------------------------------------ double expressions

    private static LCall Call1(string name, LExpr a) => new(FuzzFunctions.Get(name, 1), ImmutableArray.Create(a));

    private static LCall CallN(string name, params LExpr[] a) => new(FuzzFunctions.Get(name, a.Length), a.ToImmutableArray());

    private LNum Literal()
    {
        if (_r.Chance(0.2))
        {
            return LNum.Int(_r.Pick(new[] { 0, 1, 2, 3 }));
        }

        return _r.Weighted(5, 2, 1) switch
        {
            0 => LNum.Double(Math.Round(_r.Uniform(0.05, 2), 3)),
            1 => LNum.Double(_r.Pick(new[] { 0.5, 1.5, 0.25, 2.0, 0.1, 1.0, 0.0 })),
            _ => LNum.Double(Math.Round(_r.Uniform(-2, -0.05), 3)),
        };
    }

    /// <summary>A double literal (an int literal would bind Math.Abs(int), Math.Floor(decimal), … or make `var` an int).</summary>
    private LNum DLiteral() => Literal() is { Type: LType.Double } d ? d : LNum.Double(_r.Pick(new[] { 0.5, 1.0, 2.0 }));

    /// <summary>A double-typed leaf: a double variable, an element, a literal, or an int value in double arithmetic.</summary>
    private LExpr DLeaf(Scope scope)
    {
        _budget--;
        var doubleArrays = scope.Arrays.Where(a => a.Elem == LType.Double && CanIndex(scope, a)).ToList();
        int k = _r.Weighted(scope.Doubles.Count > 0 ? 10 : 0, doubleArrays.Count > 0 ? 12 : 0, 5, _g.On("int-double-mix") ? 3 : 0);
        switch (k)
        {
            case 0:
                return new LVar(_r.Pick(scope.Doubles), LType.Double);
            case 1:
            {
                Arr a = _r.Pick(doubleArrays);
                var counters = scope.Ints.Where(v => v.Below == a.LenKey).ToList();
                if (_g.On("guarded-read") && counters.Count > 0 && _r.Chance(0.15))
                {
                    // i + k < a.Length ? …a[i + k]… : e: the element exists only where the arm is taken.
                    LExpr index = new LBin('+', new LVar(_r.Pick(counters).Name, LType.Int), LNum.Int(1 + _r.Next(2)));
                    var element = new LLoad(a.Name, index, LType.Double);
                    LExpr arm = _r.Next(3) switch
                    {
                        0 => element,
                        1 => new LBin('*', element, element),
                        _ => new LBin('*', new LCall(FuzzFunctions.All[0], ImmutableArray.Create<LExpr>(element)), DLeaf(scope)),
                    };
                    return new LCond(new LCmp("<", index, new LLen(a.Name)), arm, DLeaf(scope));
                }

                return new LLoad(a.Name, Index(scope, a), LType.Double);
            }

            case 3:
            {
                (LExpr e, _, _) = _r.Chance(0.5) ? IntLeaf(scope) : IntExpr(scope, 1);
                return _r.Next(3) switch
                {
                    0 => new LCast(e),
                    1 => new LBin('*', LNum.Double(_r.Pick(new[] { 0.5, 0.25, 0.1 })), e),
                    _ => new LBin('/', e, LNum.Double(_r.Pick(new[] { 2.0, 4.0, 3.0 }))),
                };
            }

            default:
                return DLiteral();
        }
    }

    private LExpr DExpr(Scope scope, int depth)
    {
        if (depth <= 0 || _budget <= 0 || _r.Chance(0.25))
        {
            return DLeaf(scope);
        }

        _budget--;
        bool helpers = scope.HelpersVisible > 0 && _budget > 10;
        switch (_r.Weighted(30, 4, 25, 6, helpers ? 6 : 0, _g.On("int-double-mix") ? 3 : 0))
        {
            case 0:
                return Bin(_r.Pick(new[] { '+', '+', '-', '*', '*', '/' }), DExpr(scope, depth - 1), DExpr(scope, depth - 1));
            case 1:
                return new LNeg(DExpr(scope, depth - 1));
            case 2:
                return Call(scope, depth);
            case 3:
                return new LCond(Cond(scope, depth - 1, boolVars: _g.On("select-bool-var")), DExpr(scope, depth - 1), DExpr(scope, depth - 1));
            case 4:
                return HelperCall(scope, depth);
            default:
            {
                // i * x, n / 2 * x: int arithmetic (truncating) inside double arithmetic.
                (LExpr e, _, _) = IntExpr(scope, 1);
                return new LBin(_r.Pick(new[] { '*', '+', '-' }), e, DExpr(scope, depth - 1));
            }
        }
    }

    /// <summary>a op b on doubles; a division's denominator is kept away from 0.</summary>
    private static LExpr Bin(char op, LExpr a, LExpr b)
    {
        if (op == '/')
        {
            b = new LBin('+', LNum.Double(1.25), Call1("SymMath.Square", b));
        }

        return new LBin(op, a, b);
    }

    private LExpr Call(Scope scope, int depth)
    {
        FuzzFunction fn;
        do
        {
            fn = _r.Pick(FuzzFunctions.All);
        }
        while (fn.ReturnsInt || (!_g.On("kinks") && fn.Kink != FuzzKink.None));

        var args = new LExpr[fn.Arity];
        for (int i = 0; i < fn.Arity; i++)
        {
            args[i] = DExpr(scope, depth - 1);
        }

        args[0] = InDomain(fn.Domain, args[0]);
        switch (fn.CSharpName)
        {
            case "Math.Clamp":
            {
                double lo = Math.Round(_r.Uniform(-2, 0.5), 2);
                args[1] = LNum.Double(lo);
                args[2] = LNum.Double(lo + Math.Round(_r.Uniform(0.1, 2), 2));
                break;
            }

            case "Math.Log" when fn.Arity == 2:
                args[1] = _r.Chance(0.7) ? LNum.Double(_r.Pick(new[] { 2.0, 10.0, 3.5 })) : new LBin('+', LNum.Double(1.5), Call1("SymMath.Square", args[1]));
                break;
            case "Math.Pow":
                if (_r.Chance(0.5))
                {
                    args[1] = LNum.Double(_r.Pick(new[] { 2.0, 3.0, 0.5, -1.0, 1.5 }));
                }

                break;
            case "SymMath.LeakyRelu":
                args[1] = _r.Chance(0.7) ? LNum.Double(_r.Pick(new[] { 0.01, 0.1, 0.2 })) : args[1];
                break;
        }

        return new LCall(fn, args.ToImmutableArray());
    }

    /// <summary>Wraps <paramref name="e"/> so it lies in the function's domain (and keeps exponentials small).</summary>
    private LExpr InDomain(FuzzDomain d, LExpr e)
    {
        switch (d)
        {
            case FuzzDomain.Positive:
                return _r.Next(5) switch
                {
                    0 => Call1("Math.Exp", Call1("Math.Sin", e)),
                    1 => new LBin('+', LNum.Double(1), new LBin('*', e, e)),
                    2 => new LBin('+', Call1("Math.Abs", e), LNum.Double(0.5)),
                    3 => new LBin('+', Call1("SymMath.Softplus", e), LNum.Double(0.25)),
                    _ => Call1("SymMath.Sigmoid", e),
                };
            case FuzzDomain.OpenUnit:
                return _r.Next(3) switch
                {
                    0 => new LBin('*', LNum.Double(0.9), Call1("Math.Tanh", e)),
                    1 => new LBin('*', Call1("Math.Sin", e), LNum.Double(0.5)),
                    _ => Call1("SymMath.Softsign", e),
                };
            case FuzzDomain.AboveOne:
                return new LBin('+', LNum.Double(1.5), new LBin('*', e, e));
            case FuzzDomain.Probability:
                return Call1("SymMath.Sigmoid", e);
            case FuzzDomain.SmallMagnitude:
                return _r.Chance(0.5) ? new LBin('*', LNum.Int(3), Call1("Math.Tanh", e)) : Call1("Math.Sin", e);
            default:
                return e;
        }
    }

    private LExpr HelperCall(Scope scope, int depth)
    {
        var candidates = Enumerable.Range(0, scope.HelpersVisible)
            .Where(i => _g.On("helper-reuse") || !_helpers[i].Reaches.Overlaps(_calledInMethod))
            .ToList();
        if (candidates.Count == 0)
        {
            return DLeaf(scope);
        }

        Helper chosen = _helpers[_r.Pick(candidates)];
        _calledInMethod.UnionWith(chosen.Reaches);
        LMethod h = chosen.Method;
        var args = ImmutableArray.CreateBuilder<LArg>();
        foreach (LParam p in h.Params)
        {
            if (p.IsArray)
            {
                // An argument the parameter type accepts (T[] → T[]/Span/ReadOnlySpan; Span → Span/ReadOnlySpan), never empty.
                var ok = scope.Arrays.Where(a => a.MinLen >= 1 && a.Elem == p.Element && Accepts(p.TypeText, a.CsType)).ToList();
                if (ok.Count == 0)
                {
                    return DLeaf(scope);
                }

                args.Add(new LArg(null, _r.Pick(ok).Name));
            }
            else if (p.TypeText == "double")
            {
                args.Add(new LArg(DExpr(scope, depth - 2), null));
            }
            else
            {
                (LExpr e, _, long hi) = IntExpr(scope, 1);
                args.Add(new LArg(hi <= MaxIntElement ? e : new LBin('%', e, LNum.Int(MaxIntElement + 1)), null));
            }
        }

        return new LHelperCall(h.Name, args.ToImmutable());
    }

    private static bool Accepts(string parameter, string argument) => parameter switch
    {
        "ReadOnlySpan<double>" => argument is "double[]" or "Span<double>" or "ReadOnlySpan<double>",
        "Span<double>" => argument is "double[]" or "Span<double>",
        "ReadOnlySpan<int>" => argument is "int[]" or "ReadOnlySpan<int>",
        _ => parameter == argument,
    };

    // ------------------------------------------------------------------ conditions

    private LBool Cond(Scope scope, int depth, bool dataOnly = false, bool boolVars = true)
    {
        _budget--;
        int k = _r.Weighted(dataOnly ? 0 : 40, 30, scope.Bools.Count > 0 && boolVars ? 10 : 0, depth > 0 ? 8 : 0, depth > 0 ? 4 : 0);
        string op = _r.Pick(new[] { "<", "<", "<=", ">", ">", ">=", "==", "!=" });
        switch (k)
        {
            case 0:
            {
                // On values: the branch depends on differentiated parameters.
                LExpr a = DExpr(scope, Math.Max(0, depth - 1));
                LExpr b = _r.Chance(0.6) ? Literal() : DExpr(scope, Math.Max(0, depth - 1));
                return new LCmp(op, a, b);
            }

            case 1:
            {
                // On data: ints only.
                var allInts = scope.Ints.ToList();
                (LExpr a, _, _) = IntExpr(scope, 1);
                if (_g.On("long") && allInts.Any(v => v.Type == LType.Long) && _r.Chance(0.3))
                {
                    a = new LVar(_r.Pick(allInts.Where(v => v.Type == LType.Long).ToList()).Name, LType.Long);
                }

                LExpr b = _r.Chance(0.6) ? LNum.Int(_r.Next(5)) : IntExpr(scope, 1).E;
                return new LCmp(op, a, b);
            }

            case 2:
                return new LBoolVar(_r.Pick(scope.Bools));
            case 3:
                return new LLogic(_r.Chance(0.5), Cond(scope, depth - 1, dataOnly, boolVars), Cond(scope, depth - 1, dataOnly, boolVars));
            default:
                return new LNot(Cond(scope, depth - 1, dataOnly, boolVars));
        }
    }
}
