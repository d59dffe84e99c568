using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// Interprets a loop program with C#'s semantics (int arithmetic, implicit int → double conversions, zeroed buffers,
/// break/continue/return) over <see cref="Dual"/> numbers: the reference value, gradient and Hessian with respect to
/// the flat differentiated parameters (scalars one slot each, arrays one slot per element, declaration order). It
/// records every decision that depends on a double (comparison outcomes, the side of each kink, the plateau of each
/// step function): points with equal signatures lie on one smooth piece. Thrown exceptions other than
/// <see cref="FuzzerBugException"/> are what C# would throw too.
/// </summary>
public sealed class LoopEvaluator
{
    private const long MaxSteps = 2_000_000;
    private readonly LCase _case;
    private readonly DualSpace _s;
    private readonly List<long> _signature = new();
    private long _steps;

    public LoopEvaluator(LCase c, int order, Random? noise = null, double noiseScale = 4 * 2.220446049250313E-16)
    {
        _case = c;
        Order = order;
        Noise = noise;
        NoiseScale = noiseScale;
        _s = new DualSpace(0, 0);
    }

    private LoopEvaluator(LCase c, DualSpace s)
    {
        _case = c;
        _s = s;
        Order = s.Order;
    }

    public int Order { get; }

    public Random? Noise { get; }

    public double NoiseScale { get; }

    /// <summary>A mistake of the fuzzer itself (an index out of range, an endless loop): never expected.</summary>
    public sealed class FuzzerBugException : Exception
    {
        public FuzzerBugException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }

    public readonly record struct Result(Dual Value, long[] Signature, Exception? Error, bool NonFinite, int Dimension);

    /// <summary>The number of flat differentiated slots for these arguments.</summary>
    public static int Dimension(LMethod m, IReadOnlyList<object> args)
        => m.Differentiated().Sum(i => args[i] is double[] a ? a.Length : 1);

    public Result Run(IReadOnlyList<object> args)
    {
        int n = Dimension(_case.Main, args);
        var ev = new LoopEvaluator(_case, new DualSpace(n, Order, Noise, NoiseScale));
        return ev.RunMain(args);
    }

    private Result RunMain(IReadOnlyList<object> args)
    {
        LMethod m = _case.Main;
        var f = new Frame();
        var wrt = new HashSet<int>(m.Differentiated());
        int slot = 0;
        for (int i = 0; i < m.Params.Length; i++)
        {
            LParam p = m.Params[i];
            object a = args[i];
            switch (a)
            {
                case double d:
                    f.D[p.Name] = wrt.Contains(i) ? _s.Variable(d, slot++) : _s.Const(d);
                    break;
                case double[] arr:
                    f.DA[p.Name] = arr.Select(v => wrt.Contains(i) ? _s.Variable(v, slot++) : _s.Const(v)).ToArray();
                    break;
                case int[] ia:
                    f.IA[p.Name] = (int[])ia.Clone();
                    break;
                case int iv:
                    f.I[p.Name] = iv;
                    break;
                case long lv:
                    f.I[p.Name] = lv;
                    break;
                case bool b:
                    f.B[p.Name] = b;
                    break;
                default:
                    throw new FuzzerBugException("bad argument " + a);
            }
        }

        try
        {
            (Flow flow, Dual? value) = Exec(m.Body, f);
            if (flow != Flow.Return || value is null)
            {
                throw new FuzzerBugException(m.Name + " fell off its end");
            }

            return new Result(value, _signature.ToArray(), null, _s.NonFinite || !double.IsFinite(value.V), _s.N);
        }
        catch (FuzzerBugException)
        {
            throw;
        }
        catch (IndexOutOfRangeException e)
        {
            throw new FuzzerBugException("index out of range", e);
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException)
        {
            return new Result(_s.Const(double.NaN), _signature.ToArray(), e, true, _s.N);
        }
    }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
        Return,
    }

    private sealed class Frame
    {
        public Dictionary<string, Dual> D { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> I { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, bool> B { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Dual[]> DA { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int[]> IA { get; } = new(StringComparer.Ordinal);
    }

    private void Step()
    {
        if (++_steps > MaxSteps)
        {
            throw new FuzzerBugException("more than " + MaxSteps + " steps: an endless loop?");
        }
    }

    private (Flow, Dual?) Exec(ImmutableArray<LStmt> body, Frame f)
    {
        foreach (LStmt s in body)
        {
            (Flow flow, Dual? v) = Exec(s, f);
            if (flow != Flow.Normal)
            {
                return (flow, v);
            }
        }

        return (Flow.Normal, null);
    }

    private (Flow, Dual?) Exec(LStmt s, Frame f)
    {
        Step();
        switch (s)
        {
            case LDecl d:
                if (d.VarType == LType.Double)
                {
                    f.D[d.Name] = D(d.Init, f);
                }
                else
                {
                    f.I[d.Name] = Int(d.Init, f, d.VarType);
                }

                break;
            case LBoolDecl b:
                f.B[b.Name] = Test(b.Init, f);
                break;
            case LAssign a:
                if (f.D.TryGetValue(a.Name, out Dual? cur))
                {
                    Dual rhs = D(a.Value, f);
                    f.D[a.Name] = a.Op switch
                    {
                        "=" => rhs,
                        "+=" => _s.Add(cur, rhs),
                        "-=" => _s.Sub(cur, rhs),
                        "*=" => _s.Mul(cur, rhs),
                        "/=" => _s.Div(cur, rhs),
                        _ => throw new FuzzerBugException(a.Op),
                    };
                }
                else
                {
                    long c = f.I[a.Name];
                    long r = I(a.Value, f);
                    f.I[a.Name] = Wrap(a.Op switch
                    {
                        "=" => r,
                        "+=" => c + r,
                        "-=" => c - r,
                        "*=" => c * r,
                        _ => throw new FuzzerBugException(a.Op),
                    });
                }

                break;
            case LIncr inc:
                if (f.D.TryGetValue(inc.Name, out Dual? dv))
                {
                    f.D[inc.Name] = inc.Increment ? _s.Add(dv, _s.Const(1)) : _s.Sub(dv, _s.Const(1));
                }
                else
                {
                    f.I[inc.Name] = Wrap(f.I[inc.Name] + (inc.Increment ? 1 : -1));
                }

                break;
            case LStore st:
            {
                Dual[] arr = f.DA[st.Array];
                long index = I(st.Index, f);
                Dual rhs = D(st.Value, f);
                Dual old = arr[index];
                arr[index] = st.Op switch
                {
                    "=" => rhs,
                    "+=" => _s.Add(old, rhs),
                    "-=" => _s.Sub(old, rhs),
                    "*=" => _s.Mul(old, rhs),
                    _ => throw new FuzzerBugException(st.Op),
                };
                break;
            }

            case LArrayDecl a:
            {
                long length = I(a.Length, f);
                var arr = new Dual[length];
                for (int i = 0; i < arr.Length; i++)
                {
                    arr[i] = _s.Const(0);
                }

                f.DA[a.Name] = arr;
                break;
            }

            case LIf i:
                return Test(i.C, f) ? Exec(i.Then, f) : i.Else is { } e ? Exec(e, f) : (Flow.Normal, null);
            case LFor loop:
                f.I[loop.Var] = I(loop.Start, f);
                while (Test(loop.Cond, f))
                {
                    Step();
                    (Flow flow, Dual? v) = Exec(loop.Body, f);
                    if (flow == Flow.Return)
                    {
                        return (flow, v);
                    }

                    if (flow == Flow.Break)
                    {
                        break;
                    }

                    Exec(loop.Step, f);
                }

                break;
            case LWhile loop:
                while (Test(loop.Cond, f))
                {
                    Step();
                    (Flow flow, Dual? v) = Exec(loop.Body, f);
                    if (flow == Flow.Return)
                    {
                        return (flow, v);
                    }

                    if (flow == Flow.Break)
                    {
                        break;
                    }
                }

                break;
            case LDo loop:
                do
                {
                    Step();
                    (Flow flow, Dual? v) = Exec(loop.Body, f);
                    if (flow == Flow.Return)
                    {
                        return (flow, v);
                    }

                    if (flow == Flow.Break)
                    {
                        break;
                    }
                }
                while (Test(loop.Cond, f));
                break;
            case LForEach each:
                if (each.VarType == LType.Double)
                {
                    Dual[] arr = f.DA[each.Array];
                    foreach (Dual item in arr)
                    {
                        Step();
                        f.D[each.Var] = item;
                        (Flow flow, Dual? v) = Exec(each.Body, f);
                        if (flow == Flow.Return)
                        {
                            return (flow, v);
                        }

                        if (flow == Flow.Break)
                        {
                            break;
                        }
                    }
                }
                else
                {
                    int[] arr = f.IA[each.Array];
                    foreach (int item in arr)
                    {
                        Step();
                        f.I[each.Var] = item;
                        (Flow flow, Dual? v) = Exec(each.Body, f);
                        if (flow == Flow.Return)
                        {
                            return (flow, v);
                        }

                        if (flow == Flow.Break)
                        {
                            break;
                        }
                    }
                }

                break;
            case LBreak:
                return (Flow.Break, null);
            case LContinue:
                return (Flow.Continue, null);
            case LReturn r:
                return (Flow.Return, D(r.Value, f));
            case LSwitch sw:
            {
                long v = I(sw.Value, f);
                LSection? section = sw.Sections.FirstOrDefault(x => x.Label == v) ?? sw.Sections.FirstOrDefault(x => x.Label is null);
                if (section is not null)
                {
                    (Flow flow, Dual? r) = Exec(section.Body, f);
                    if (flow == Flow.Return)
                    {
                        return (flow, r);
                    }

                    if (flow != Flow.Normal)
                    {
                        throw new FuzzerBugException("break/continue inside a switch section");
                    }
                }

                break;
            }

            default:
                throw new FuzzerBugException("cannot execute " + s.GetType().Name);
        }

        return (Flow.Normal, null);
    }

    private static long Wrap(long v) => unchecked((int)v) == v ? v : throw new FuzzerBugException("int overflow: " + v);

    /// <summary>An integer expression of type int or long (C# semantics: truncating / and %).</summary>
    private long I(LExpr e, Frame f)
    {
        switch (e)
        {
            case LNum n:
                return (long)n.Value;
            case LVar v:
                return f.I[v.Name];
            case LLen l:
                return f.DA.TryGetValue(l.Array, out Dual[]? da) ? da.Length : f.IA[l.Array].Length;
            case LLoad l:
                return f.IA[l.Array][I(l.Index, f)];
            case LNeg n:
                return -I(n.A, f);
            case LBin b:
            {
                long x = I(b.A, f);
                long y = I(b.B, f);
                long r = b.Op switch
                {
                    '+' => x + y,
                    '-' => x - y,
                    '*' => x * y,
                    '/' => y == 0 ? throw new DivideByZeroException() : x / y,
                    '%' => y == 0 ? throw new DivideByZeroException() : x % y,
                    _ => throw new FuzzerBugException(b.Op.ToString()),
                };
                return b.Type == LType.Int ? Wrap(r) : r;
            }

            case LCall c when c.Fn.ReturnsInt:
            {
                Dual[] args = c.Args.Select(a => D(a, f)).ToArray();
                Decide(c.Fn, args);
                return (long)c.Fn.Evaluate(args.Select(a => a.V).ToArray());
            }

            case LCond c:
                return Test(c.C, f) ? I(c.A, f) : I(c.B, f);
            default:
                throw new FuzzerBugException("not an integer expression: " + e.GetType().Name);
        }
    }

    private long Int(LExpr e, Frame f, LType target) => target == LType.Int ? Wrap(I(e, f)) : I(e, f);

    /// <summary>A double expression, or an integer one converted to double (C#'s implicit conversion).</summary>
    private Dual D(LExpr e, Frame f)
    {
        if (e.IsIntegral)
        {
            return _s.Const(I(e, f));
        }

        switch (e)
        {
            case LNum n:
                return _s.Const(n.Value);
            case LVar v:
                return f.D[v.Name];
            case LLoad l:
                return f.DA[l.Array][I(l.Index, f)];
            case LCast c:
                return D(c.A, f);
            case LNeg n:
                return _s.Neg(D(n.A, f));
            case LBin b:
            {
                Dual x = D(b.A, f);
                Dual y = D(b.B, f);
                return b.Op switch
                {
                    '+' => _s.Add(x, y),
                    '-' => _s.Sub(x, y),
                    '*' => _s.Mul(x, y),
                    '/' => _s.Div(x, y),
                    _ => throw new FuzzerBugException("double " + b.Op),
                };
            }

            case LCall c:
            {
                Dual[] args = c.Args.Select(a => D(a, f)).ToArray();
                Decide(c.Fn, args);
                return DualRules.Call(_s, c.Fn, args);
            }

            case LHelperCall h:
                return CallHelper(h, f);
            case LCond c:
                return Test(c.C, f) ? D(c.A, f) : D(c.B, f);
            default:
                throw new FuzzerBugException("cannot evaluate " + e.GetType().Name);
        }
    }

    private Dual CallHelper(LHelperCall h, Frame f)
    {
        LMethod m = _case.Helper(h.Helper) ?? throw new FuzzerBugException("no helper " + h.Helper);
        var callee = new Frame();
        for (int i = 0; i < m.Params.Length; i++)
        {
            LParam p = m.Params[i];
            LArg a = h.Args[i];
            if (a.Array is { } name)
            {
                if (p.Element == LType.Double)
                {
                    callee.DA[p.Name] = f.DA[name];
                }
                else
                {
                    callee.IA[p.Name] = f.IA[name];
                }
            }
            else if (p.Element == LType.Double)
            {
                callee.D[p.Name] = D(a.Scalar!, f);
            }
            else if (p.Element == LType.Bool)
            {
                throw new FuzzerBugException("bool helper parameter");
            }
            else
            {
                callee.I[p.Name] = Int(a.Scalar!, f, p.Element);
            }
        }

        (Flow flow, Dual? value) = Exec(m.Body, callee);
        if (flow != Flow.Return || value is null)
        {
            throw new FuzzerBugException(m.Name + " fell off its end");
        }

        return value;
    }

    private void Decide(FuzzFunction fn, Dual[] d)
    {
        double[] a = d.Select(x => x.V).ToArray();
        switch (fn.Kink)
        {
            case FuzzKink.SignOfFirst:
                // Math.Sign throws on NaN; Math.Abs(NaN) and friends do not.
                _signature.Add(double.IsNaN(a[0]) ? 2 : Math.Sign(a[0]));
                break;
            case FuzzKink.CompareFirstTwo:
                _signature.Add(a[0].CompareTo(a[1]));
                break;
            case FuzzKink.ClampRegion:
                _signature.Add(a[0] < a[1] ? -1 : a[0] > a[2] ? 1 : a[0] == a[1] || a[0] == a[2] ? 2 : 0);
                break;
            case FuzzKink.StepValue:
                _signature.Add(BitConverter.DoubleToInt64Bits(fn.Evaluate(a)));
                break;
        }
    }

    private bool Test(LBool b, Frame f)
    {
        switch (b)
        {
            case LCmp c:
            {
                if (c.A.IsIntegral && c.B.IsIntegral)
                {
                    long x = I(c.A, f);
                    long y = I(c.B, f);
                    return Compare(c.Op, x.CompareTo(y));
                }

                double l = D(c.A, f).V;
                double r = D(c.B, f).V;
                bool result = c.Op switch
                {
                    "<" => l < r,
                    "<=" => l <= r,
                    ">" => l > r,
                    ">=" => l >= r,
                    "==" => l == r,
                    "!=" => l != r,
                    _ => throw new FuzzerBugException(c.Op),
                };

                // The outcome, and whether it sat on the boundary (== and != flip only there).
                _signature.Add((result ? 1 : 0) + (l == r ? 2 : 0));
                return result;
            }

            case LBoolVar v:
                return f.B[v.Name];
            case LLogic l:
            {
                // Both sides (they have no effects and cannot throw), so the signature does not depend on short-circuiting.
                bool x = Test(l.A, f);
                bool y = Test(l.B, f);
                return l.And ? x && y : x || y;
            }

            case LNot n:
                return !Test(n.A, f);
            default:
                throw new FuzzerBugException(b.GetType().Name);
        }
    }

    private static bool Compare(string op, int c) => op switch
    {
        "<" => c < 0,
        "<=" => c <= 0,
        ">" => c > 0,
        ">=" => c >= 0,
        "==" => c == 0,
        "!=" => c != 0,
        _ => throw new FuzzerBugException(op),
    };
}
