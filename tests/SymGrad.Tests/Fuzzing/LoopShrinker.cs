using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// Shrinks a failing program-mode case: keep only the failing point, drop helpers, statements and branches, simplify
/// expressions and loop bounds, drop [Wrt], Hessian, spans and the namespace, shorten arrays and simplify argument
/// values, as long as the failure keeps its kind. Candidates that are invalid C# or break the fuzzer's own invariants
/// fail with another kind and are skipped.
/// </summary>
public static class LoopShrinker
{
    public static (LCase Case, LoopFailure Failure, int Steps) Shrink(LoopFailure failure, TimeSpan budget)
    {
        LCase current = failure.Case with { Index = 0 };
        if (failure.Point >= 0 && failure.Point < current.Points.Length)
        {
            current = current with { Points = ImmutableArray.Create(current.Points[failure.Point]) };
        }

        LoopFailure? last = LoopRunner.RunOne(current);
        if (last is null || last.Kind != failure.Kind)
        {
            // Reproduces only with all points (or not alone): shrink the program with all of them.
            current = failure.Case with { Index = 0 };
            last = LoopRunner.RunOne(current);
            if (last is null || last.Kind != failure.Kind)
            {
                return (failure.Case, failure, 0);
            }
        }

        var clock = Stopwatch.StartNew();
        int steps = 0;
        bool progress = true;
        while (progress && clock.Elapsed < budget)
        {
            progress = false;
            long size = Measure(current);
            foreach (LCase candidate in Candidates(current))
            {
                if (clock.Elapsed >= budget)
                {
                    break;
                }

                if (Measure(candidate) >= size)
                {
                    continue;
                }

                LoopFailure? f = LoopRunner.RunOne(candidate);
                if (f is not null && f.Kind == failure.Kind)
                {
                    current = candidate;
                    last = f;
                    steps++;
                    progress = true;
                    break;
                }
            }
        }

        return (current, last, steps);
    }

    /// <summary>Source length plus the size of the arguments (array elements, int magnitudes, non-round doubles).</summary>
    private static long Measure(LCase c)
    {
        long size = LText.Source(c).Length * 16L;
        foreach (LPoint p in c.Points)
        {
            foreach (object a in p.Args)
            {
                size += a switch
                {
                    double[] d => (d.Length * 8) + d.Count(v => v != Math.Round(v, 1)),
                    int[] i => (i.Length * 8) + i.Sum(),
                    int i => i,
                    long l => l,
                    bool b => b ? 1 : 0,
                    double d => d != Math.Round(d, 1) ? 1 : 0,
                    _ => 0,
                };
            }
        }

        return size;
    }

    public static IEnumerable<LCase> Candidates(LCase c)
    {
        if (c.Points.Length > 1)
        {
            for (int i = 0; i < c.Points.Length; i++)
            {
                yield return c with { Points = ImmutableArray.Create(c.Points[i]) };
            }
        }

        if (c.Namespace is not null)
        {
            yield return c with { Namespace = null };
        }

        if (c.Main.Hessian)
        {
            yield return c with { Main = c.Main with { Hessian = false } };
        }

        for (int i = 0; i < c.Helpers.Length; i++)
        {
            yield return c with { Helpers = c.Helpers.RemoveAt(i) };
        }

        foreach (ImmutableArray<LStmt> b in Block(c.Main.Body, top: true))
        {
            yield return c with { Main = c.Main with { Body = b } };
        }

        for (int i = 0; i < c.Helpers.Length; i++)
        {
            foreach (ImmutableArray<LStmt> b in Block(c.Helpers[i].Body, top: true))
            {
                yield return c with { Helpers = c.Helpers.SetItem(i, c.Helpers[i] with { Body = b }) };
            }

            if (c.Helpers[i].Differentiable)
            {
                yield return c with { Helpers = c.Helpers.SetItem(i, c.Helpers[i] with { Differentiable = false }) };
            }
        }

        // Parameters: no [Wrt], plain arrays instead of spans, public.
        if (c.Main.Params.Any(p => p.Wrt))
        {
            yield return c with { Main = c.Main with { Params = c.Main.Params.Select(p => p with { Wrt = false }).ToImmutableArray() } };
        }

        for (int i = 0; i < c.Main.Params.Length; i++)
        {
            LParam p = c.Main.Params[i];
            if (p.TypeText.Contains("Span", StringComparison.Ordinal))
            {
                yield return c with { Main = c.Main with { Params = c.Main.Params.SetItem(i, p with { TypeText = p.Element == LType.Int ? "int[]" : "double[]" }) } };
            }
        }

        if (c.Main.Accessibility != "public")
        {
            yield return c with { Main = c.Main with { Accessibility = "public" } };
        }

        // Arguments: shorter arrays, smaller ints, rounder doubles.
        for (int pi = 0; pi < c.Points.Length; pi++)
        {
            ImmutableArray<object> args = c.Points[pi].Args;
            for (int i = 0; i < args.Length; i++)
            {
                foreach (object smaller in Smaller(args[i]))
                {
                    yield return c with { Points = c.Points.SetItem(pi, new LPoint(args.SetItem(i, smaller))) };
                }
            }
        }
    }

    private static IEnumerable<object> Smaller(object a)
    {
        switch (a)
        {
            case double[] d:
                if (d.Length > 1)
                {
                    yield return d[..^1];
                    yield return d[1..];
                }

                for (int j = 0; j < d.Length; j++)
                {
                    foreach (double v in Rounder(d[j]))
                    {
                        double[] copy = (double[])d.Clone();
                        copy[j] = v;
                        yield return copy;
                    }
                }

                break;
            case int[] ia:
                if (ia.Length > 1)
                {
                    yield return ia[..^1];
                }

                for (int j = 0; j < ia.Length; j++)
                {
                    if (ia[j] > 0)
                    {
                        int[] copy = (int[])ia.Clone();
                        copy[j] = 0;
                        yield return copy;
                    }
                }

                break;
            case int i when i > 0:
                yield return 0;
                yield return i - 1;
                break;
            case long l when l > 0:
                yield return 0L;
                yield return l - 1;
                break;
            case double v:
                foreach (double r in Rounder(v))
                {
                    yield return r;
                }

                break;
        }
    }

    private static IEnumerable<double> Rounder(double v)
    {
        if (v != Math.Round(v, 1))
        {
            yield return Math.Round(v, 1);
            yield return v < 0 ? -0.5 : 0.5;
        }
    }

    private static IEnumerable<ImmutableArray<LStmt>> Block(ImmutableArray<LStmt> block, bool top)
    {
        for (int i = 0; i < block.Length; i++)
        {
            if (!(top && i == block.Length - 1 && block[i] is LReturn))
            {
                yield return block.RemoveAt(i);
            }
        }

        for (int i = 0; i < block.Length; i++)
        {
            switch (block[i])
            {
                case LIf f:
                    yield return block.RemoveAt(i).InsertRange(i, f.Then);
                    if (f.Else is { } e)
                    {
                        yield return block.RemoveAt(i).InsertRange(i, e);
                        yield return block.SetItem(i, f with { Else = null });
                    }

                    break;
                case LSwitch sw:
                    foreach (LSection s in sw.Sections)
                    {
                        yield return block.RemoveAt(i).InsertRange(i, s.Body);
                    }

                    break;
            }
        }

        for (int i = 0; i < block.Length; i++)
        {
            foreach (LStmt s in Stmt(block[i]))
            {
                yield return block.SetItem(i, s);
            }
        }
    }

    private static IEnumerable<LStmt> Stmt(LStmt s)
    {
        switch (s)
        {
            case LDecl d:
                foreach (LExpr e in Expr(d.Init))
                {
                    yield return d with { Init = e };
                }

                break;
            case LBoolDecl b:
                foreach (LBool e in Bool(b.Init))
                {
                    yield return b with { Init = e };
                }

                break;
            case LAssign a:
                if (a.Op != "=")
                {
                    yield return a with { Op = "=" };
                }

                foreach (LExpr e in Expr(a.Value))
                {
                    yield return a with { Value = e };
                }

                break;
            case LStore st:
                if (st.Op != "=")
                {
                    yield return st with { Op = "=" };
                }

                foreach (LExpr e in Expr(st.Value))
                {
                    yield return st with { Value = e };
                }

                foreach (LExpr e in Expr(st.Index))
                {
                    yield return st with { Index = e };
                }

                break;
            case LArrayDecl ad:
                if (ad.StackAlloc)
                {
                    yield return ad with { StackAlloc = false };
                }

                foreach (LExpr e in Expr(ad.Length))
                {
                    yield return ad with { Length = e };
                }

                break;
            case LReturn r:
                foreach (LExpr e in Expr(r.Value))
                {
                    yield return r with { Value = e };
                }

                break;
            case LIf f:
                foreach (LBool c in Bool(f.C))
                {
                    yield return f with { C = c };
                }

                foreach (ImmutableArray<LStmt> t in Block(f.Then, false))
                {
                    yield return f with { Then = t };
                }

                if (f.Else is { } el)
                {
                    foreach (ImmutableArray<LStmt> t in Block(el, false))
                    {
                        yield return f with { Else = t };
                    }
                }

                break;
            case LFor loop:
                if (loop.Cond is LCmp cmp)
                {
                    foreach (LExpr e in new[] { LNum.Int(1), LNum.Int(2) }.Concat(Expr(cmp.B)))
                    {
                        yield return loop with { Cond = cmp with { B = e } };
                    }
                }

                foreach (ImmutableArray<LStmt> t in Block(loop.Body, false))
                {
                    yield return loop with { Body = t };
                }

                break;
            case LWhile w:
                foreach (LBool c in Bool(w.Cond))
                {
                    yield return w with { Cond = c };
                }

                foreach (ImmutableArray<LStmt> t in Block(w.Body, false))
                {
                    yield return w with { Body = t };
                }

                break;
            case LDo d:
                foreach (LBool c in Bool(d.Cond))
                {
                    yield return d with { Cond = c };
                }

                foreach (ImmutableArray<LStmt> t in Block(d.Body, false))
                {
                    yield return d with { Body = t };
                }

                break;
            case LForEach fe:
                if (fe.TypeText == "var")
                {
                    yield return fe with { TypeText = fe.VarType == LType.Double ? "double" : "int" };
                }

                foreach (ImmutableArray<LStmt> t in Block(fe.Body, false))
                {
                    yield return fe with { Body = t };
                }

                break;
            case LSwitch sw:
                for (int i = 0; i < sw.Sections.Length; i++)
                {
                    if (sw.Sections.Length > 1)
                    {
                        yield return sw with { Sections = sw.Sections.RemoveAt(i) };
                    }

                    foreach (ImmutableArray<LStmt> t in Block(sw.Sections[i].Body, false))
                    {
                        yield return sw with { Sections = sw.Sections.SetItem(i, sw.Sections[i] with { Body = t }) };
                    }
                }

                break;
        }
    }

    private static IEnumerable<LExpr> Expr(LExpr e)
    {
        if (e is LNum or LVar or LLen)
        {
            if (e.IsIntegral && e is not LNum { Value: 0 })
            {
                yield return LNum.Int(0);
            }
            else if (!e.IsIntegral && e is not LNum { Value: 1 })
            {
                yield return LNum.Double(1);
            }

            yield break;
        }

        foreach (LExpr child in Children(e))
        {
            yield return child;
        }

        yield return e.IsIntegral ? LNum.Int(0) : LNum.Double(1);
        switch (e)
        {
            case LLoad l:
                foreach (LExpr a in Expr(l.Index))
                {
                    yield return l with { Index = a };
                }

                break;
            case LCast c:
                foreach (LExpr a in Expr(c.A))
                {
                    yield return c with { A = a };
                }

                break;
            case LNeg n:
                foreach (LExpr a in Expr(n.A))
                {
                    yield return n with { A = a };
                }

                break;
            case LBin b:
                foreach (LExpr a in Expr(b.A))
                {
                    yield return b with { A = a };
                }

                foreach (LExpr a in Expr(b.B))
                {
                    yield return b with { B = a };
                }

                break;
            case LCall c:
                for (int i = 0; i < c.Args.Length; i++)
                {
                    foreach (LExpr a in Expr(c.Args[i]))
                    {
                        yield return c with { Args = c.Args.SetItem(i, a) };
                    }
                }

                break;
            case LHelperCall h:
                for (int i = 0; i < h.Args.Length; i++)
                {
                    if (h.Args[i].Scalar is { } arg)
                    {
                        foreach (LExpr a in Expr(arg))
                        {
                            yield return h with { Args = h.Args.SetItem(i, new LArg(a, null)) };
                        }
                    }
                }

                break;
            case LCond c:
                foreach (LBool b in Bool(c.C))
                {
                    yield return c with { C = b };
                }

                foreach (LExpr a in Expr(c.A))
                {
                    yield return c with { A = a };
                }

                foreach (LExpr a in Expr(c.B))
                {
                    yield return c with { B = a };
                }

                break;
        }
    }

    private static IEnumerable<LExpr> Children(LExpr e) => e switch
    {
        LCast c => new[] { c.A },
        LNeg n => new[] { n.A },
        LBin b => new[] { b.A, b.B },
        LCall c => c.Args,
        LHelperCall h => h.Args.Where(a => a.Scalar is not null).Select(a => a.Scalar!),
        LCond c => new[] { c.A, c.B },
        LLoad l => new[] { l.Index },
        _ => Enumerable.Empty<LExpr>(),
    };

    private static IEnumerable<LBool> Bool(LBool b)
    {
        switch (b)
        {
            case LLogic l:
                yield return l.A;
                yield return l.B;
                foreach (LBool a in Bool(l.A))
                {
                    yield return l with { A = a };
                }

                foreach (LBool a in Bool(l.B))
                {
                    yield return l with { B = a };
                }

                break;
            case LNot n:
                yield return n.A;
                foreach (LBool a in Bool(n.A))
                {
                    yield return n with { A = a };
                }

                break;
            case LCmp c:
                foreach (LExpr a in Expr(c.A))
                {
                    yield return c with { A = a };
                }

                foreach (LExpr a in Expr(c.B))
                {
                    yield return c with { B = a };
                }

                break;
        }
    }
}
