using System;
using System.Collections.Generic;
using System.Linq;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// Evaluates a fuzz case with C#'s semantics (int arithmetic included) and records every discrete decision it takes:
/// comparison outcomes, the side of each kink (|x|, max/min, clamp, relu) and the plateau of each step function. Two
/// points with the same <see cref="Result.Signature"/> lie on the same smooth piece, so a finite difference between
/// them is meaningful. With <see cref="Noise"/> set, every rounded operation is perturbed by a few ulps: the spread
/// of such runs estimates how much rounding alone moves the value (the tolerance of the value comparison).
/// </summary>
public sealed class FuzzEvaluator
{
    private readonly FCase _case;
    private readonly List<long> _signature = new();
    private readonly Random? _noise;
    private readonly double _noiseScale;
    private bool _nonFinite;

    public FuzzEvaluator(FCase c, Random? noise = null, double noiseScale = 8.8817841970012523E-16)
    {
        _case = c;
        _noise = noise;
        _noiseScale = noiseScale;
    }

    public Random? Noise => _noise;

    /// <summary>
    /// The value and the decisions taken, or an exception the C# code would also throw. <see cref="NonFinite"/>: some
    /// value computed on the way was ±∞ or NaN (the function is then not differentiable there in any useful sense,
    /// and SymGrad's rewrites may legitimately give a finite, more accurate answer than the original).
    /// </summary>
    public readonly record struct Result(double Value, long[] Signature, Exception? Error, bool NonFinite = false);

    public Result Run(IReadOnlyList<double> args)
    {
        _signature.Clear();
        _nonFinite = false;
        try
        {
            double v = Call(_case.Main, args.Select(a => (double?)a).ToArray());
            return new Result(v, _signature.ToArray(), null, _nonFinite || !double.IsFinite(v));
        }
        catch (Exception e) when (e is DivideByZeroException or ArithmeticException or ArgumentException)
        {
            return new Result(double.NaN, _signature.ToArray(), e);
        }
    }

    private sealed class Frame
    {
        public Dictionary<string, double> Numbers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, bool> Bools { get; } = new(StringComparer.Ordinal);
    }

    private double Call(FMethod m, double?[] args)
    {
        var f = new Frame();
        for (int i = 0; i < m.Params.Length; i++)
        {
            f.Numbers[m.Params[i].Name] = args.Length > i && args[i] is double v ? v : m.Params[i].Default ?? throw new InvalidOperationException("missing argument");
        }

        if (m.ExpressionBody is not null)
        {
            return Eval(m.ExpressionBody, f);
        }

        double? r = Exec(m.Body, f);
        return r ?? throw new InvalidOperationException(m.Name + " fell off its end");
    }

    private double? Exec(IEnumerable<FStmt> body, Frame f)
    {
        foreach (FStmt s in body)
        {
            switch (s)
            {
                case FDecl d:
                    if (d.Init is not null)
                    {
                        f.Numbers[d.Name] = ToDouble(d.Init, f);
                    }

                    break;
                case FBoolDecl b:
                    f.Bools[b.Name] = Test(b.Init, f);
                    break;
                case FAssign a:
                {
                    double rhs = ToDouble(a.Value, f);
                    double cur = a.Op == "=" ? 0 : f.Numbers[a.Name];
                    f.Numbers[a.Name] = a.Op switch
                    {
                        "=" => rhs,
                        "+=" => Round(cur + rhs),
                        "-=" => Round(cur - rhs),
                        "*=" => Round(cur * rhs),
                        "/=" => Round(cur / rhs),
                        _ => throw new InvalidOperationException(a.Op),
                    };
                    break;
                }

                case FIncrement inc:
                    f.Numbers[inc.Name] = Round(f.Numbers[inc.Name] + (inc.Increment ? 1 : -1));
                    break;
                case FIf i:
                {
                    double? r = Test(i.C, f) ? Exec(i.Then, f) : i.Else is { } e ? Exec(e, f) : null;
                    if (r is not null)
                    {
                        return r;
                    }

                    break;
                }

                case FReturn ret:
                    return ToDouble(ret.Value, f);
                default:
                    throw new InvalidOperationException("cannot evaluate " + s.GetType().Name);
            }
        }

        return null;
    }

    private double ToDouble(FExpr e, Frame f) => Eval(e, f);

    /// <summary>Rounds an operation's result, perturbed by a few ulps in noise mode.</summary>
    private double Round(double v)
    {
        _nonFinite |= !double.IsFinite(v);
        if (_noise is null || v == 0 || !double.IsFinite(v))
        {
            return v;
        }

        return v * (1 + (((_noise.NextDouble() * 2) - 1) * _noiseScale));
    }

    private double Eval(FExpr e, Frame f)
    {
        switch (e)
        {
            case FNum n:
                return n.Value;
            case FVar v:
                return v.Name switch
                {
                    "Math.PI" => Math.PI,
                    "Math.E" => Math.E,
                    _ => f.Numbers[v.Name],
                };
            case FCast c:
                return Eval(c.A, f);
            case FNeg n:
                return -Eval(n.A, f);
            case FBin b:
            {
                double l = Eval(b.A, f);
                double r = Eval(b.B, f);
                if (b.IsInt)
                {
                    return b.Op switch
                    {
                        '+' => l + r,
                        '-' => l - r,
                        '*' => l * r,
                        '/' => r == 0 ? throw new DivideByZeroException() : Math.Truncate(l / r),
                        _ => throw new InvalidOperationException(b.Op.ToString()),
                    };
                }

                return Round(b.Op switch
                {
                    '+' => l + r,
                    '-' => l - r,
                    '*' => l * r,
                    '/' => l / r,
                    _ => throw new InvalidOperationException(b.Op.ToString()),
                });
            }

            case FCall c:
            {
                double[] a = c.Args.Select(x => Eval(x, f)).ToArray();
                Decide(c.Fn, a);
                double r = c.Fn.Evaluate(a);
                _nonFinite |= !double.IsFinite(r);
                return c.Fn.Kink == FuzzKink.StepValue ? r : Round(r);
            }

            case FHelperCall h:
            {
                FMethod m = _case.Helper(h.Helper) ?? throw new InvalidOperationException("no helper " + h.Helper);
                double?[] args = h.Args.Select(a => a is null ? (double?)null : Eval(a, f)).ToArray();
                return Call(m, args);
            }

            case FCond c:
                return Test(c.C, f) ? Eval(c.A, f) : Eval(c.B, f);
            default:
                throw new InvalidOperationException(e.GetType().Name);
        }
    }

    private void Decide(FuzzFunction fn, double[] a)
    {
        switch (fn.Kink)
        {
            case FuzzKink.SignOfFirst:
                _signature.Add(Math.Sign(a[0]));
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

    private bool Test(FBool b, Frame f)
    {
        switch (b)
        {
            case FCmp c:
            {
                double l = Eval(c.A, f);
                double r = Eval(c.B, f);
                bool result = c.Op switch
                {
                    "<" => l < r,
                    "<=" => l <= r,
                    ">" => l > r,
                    ">=" => l >= r,
                    "==" => l == r,
                    "!=" => l != r,
                    _ => throw new InvalidOperationException(c.Op),
                };

                // The comparison's outcome, and whether it sat on the boundary (== and != flip only there).
                _signature.Add((result ? 1 : 0) + (l == r ? 2 : 0));
                return result;
            }

            case FBoolVar v:
                return f.Bools[v.Name];
            case FLogic l:
            {
                // Evaluate both sides (no side effects) so the signature does not depend on short-circuiting.
                bool x = Test(l.A, f);
                bool y = Test(l.B, f);
                return l.And ? x && y : x || y;
            }

            case FNot n:
                return !Test(n.A, f);
            default:
                throw new InvalidOperationException(b.GetType().Name);
        }
    }
}
