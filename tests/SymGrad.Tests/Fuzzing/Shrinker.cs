using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// Structural shrink candidates of a fuzz case, biggest simplifications first. CsCheck shrinks by looking for smaller
/// random inputs; a batch of 50 programs shrinks poorly that way, so the failing program itself is shrunk here.
/// </summary>
public static class Shrinker
{
    /// <summary>Candidates; for an unsupported case only those that keep its injected construct reachable.</summary>
    public static IEnumerable<FCase> Candidates(FCase c) => AllCandidates(c).Where(KeepsRawReachable);

    private static bool KeepsRawReachable(FCase c)
    {
        int raw = c.Main.Body.IndexOf(c.Main.Body.FirstOrDefault(s => s is FRaw) ?? new FRaw(string.Empty));
        return raw < 0 || !c.Main.Body.Take(raw).Any(s => s is FReturn or FIf);
    }

    private static IEnumerable<FCase> AllCandidates(FCase c)
    {
        // Plain type, no namespace, no Hessian.
        if (c.Namespace is not null || c.Outer is not null)
        {
            yield return c with { Namespace = null, Outer = null };
        }

        if (c.Main.Hessian)
        {
            yield return c with { Main = c.Main with { Hessian = false } };
        }

        // Unused helpers.
        for (int i = 0; i < c.Helpers.Length; i++)
        {
            yield return c with { Helpers = c.Helpers.RemoveAt(i) };
        }

        foreach (FMethod m in Method(c.Main))
        {
            yield return c with { Main = m };
        }

        for (int i = 0; i < c.Helpers.Length; i++)
        {
            foreach (FMethod m in Method(c.Helpers[i]))
            {
                yield return c with { Helpers = c.Helpers.SetItem(i, m) };
            }
        }

        if (c.TypeKeyword != "class" || !c.StaticType)
        {
            yield return c with { TypeKeyword = "class", StaticType = true };
        }
    }

    private static IEnumerable<FMethod> Method(FMethod m)
    {
        if (m.ExpressionBody is { } e)
        {
            foreach (FExpr s in Expr(e))
            {
                yield return m with { ExpressionBody = s };
            }

            yield break;
        }

        foreach (ImmutableArray<FStmt> b in Block(m.Body))
        {
            yield return m with { Body = b };
        }
    }

    private static IEnumerable<ImmutableArray<FStmt>> Block(ImmutableArray<FStmt> block)
    {
        for (int i = 0; i < block.Length; i++)
        {
            // The injected construct of an unsupported case stays.
            if (block[i] is not FRaw && (block[i] is not FReturn || i < block.Length - 1))
            {
                yield return block.RemoveAt(i);
            }
        }

        for (int i = 0; i < block.Length; i++)
        {
            if (block[i] is FIf f)
            {
                yield return block.RemoveAt(i).InsertRange(i, f.Then);
                if (f.Else is { } e)
                {
                    yield return block.RemoveAt(i).InsertRange(i, e);
                    yield return block.SetItem(i, f with { Else = null });
                }
            }
        }

        for (int i = 0; i < block.Length; i++)
        {
            foreach (FStmt s in Stmt(block[i]))
            {
                yield return block.SetItem(i, s);
            }
        }
    }

    private static IEnumerable<FStmt> Stmt(FStmt s)
    {
        switch (s)
        {
            case FDecl { Init: { } init } d:
                foreach (FExpr e in Expr(init))
                {
                    yield return d with { Init = e };
                }

                break;
            case FBoolDecl b:
                foreach (FBool e in Bool(b.Init))
                {
                    yield return b with { Init = e };
                }

                break;
            case FAssign a:
                if (a.Op != "=")
                {
                    yield return a with { Op = "=" };
                }

                foreach (FExpr e in Expr(a.Value))
                {
                    yield return a with { Value = e };
                }

                break;
            case FReturn r:
                foreach (FExpr e in Expr(r.Value))
                {
                    yield return r with { Value = e };
                }

                break;
            case FIf f:
                foreach (FBool c in Bool(f.C))
                {
                    yield return f with { C = c };
                }

                foreach (ImmutableArray<FStmt> t in Block(f.Then))
                {
                    yield return f with { Then = t };
                }

                if (f.Else is { } el)
                {
                    foreach (ImmutableArray<FStmt> t in Block(el))
                    {
                        yield return f with { Else = t };
                    }
                }

                break;
        }
    }

    private static IEnumerable<FExpr> Expr(FExpr e)
    {
        if (e is FNum or FVar)
        {
            if (!(e is FNum { Value: 1 }))
            {
                yield return FNum.Double(1);
            }

            yield break;
        }

        // Operands (the C# type may change; an invalid candidate just fails to compile and is skipped).
        foreach (FExpr child in Children(e))
        {
            yield return child;
        }

        yield return FNum.Double(1);
        switch (e)
        {
            case FCast c:
                foreach (FExpr a in Expr(c.A))
                {
                    yield return c with { A = a };
                }

                break;
            case FNeg n:
                foreach (FExpr a in Expr(n.A))
                {
                    yield return n with { A = a };
                }

                break;
            case FBin b:
                foreach (FExpr a in Expr(b.A))
                {
                    yield return b with { A = a };
                }

                foreach (FExpr a in Expr(b.B))
                {
                    yield return b with { B = a };
                }

                break;
            case FCall c:
                for (int i = 0; i < c.Args.Length; i++)
                {
                    foreach (FExpr a in Expr(c.Args[i]))
                    {
                        yield return c with { Args = c.Args.SetItem(i, a) };
                    }
                }

                break;
            case FHelperCall h:
                for (int i = 0; i < h.Args.Length; i++)
                {
                    if (h.Args[i] is { } arg)
                    {
                        foreach (FExpr a in Expr(arg))
                        {
                            yield return h with { Args = h.Args.SetItem(i, a) };
                        }
                    }
                }

                break;
            case FCond c:
                foreach (FBool b in Bool(c.C))
                {
                    yield return c with { C = b };
                }

                foreach (FExpr a in Expr(c.A))
                {
                    yield return c with { A = a };
                }

                foreach (FExpr a in Expr(c.B))
                {
                    yield return c with { B = a };
                }

                break;
        }
    }

    private static IEnumerable<FExpr> Children(FExpr e) => e switch
    {
        FCast c => new[] { c.A },
        FNeg n => new[] { n.A },
        FBin b => new[] { b.A, b.B },
        FCall c => c.Args,
        FHelperCall h => h.Args.Where(a => a is not null).Select(a => a!),
        FCond c => new[] { c.A, c.B },
        _ => Enumerable.Empty<FExpr>(),
    };

    private static IEnumerable<FBool> Bool(FBool b)
    {
        switch (b)
        {
            case FLogic l:
                yield return l.A;
                yield return l.B;
                foreach (FBool a in Bool(l.A))
                {
                    yield return l with { A = a };
                }

                foreach (FBool a in Bool(l.B))
                {
                    yield return l with { B = a };
                }

                break;
            case FNot n:
                yield return n.A;
                foreach (FBool a in Bool(n.A))
                {
                    yield return n with { A = a };
                }

                break;
            case FCmp c:
                foreach (FExpr a in Expr(c.A))
                {
                    yield return c with { A = a };
                }

                foreach (FExpr a in Expr(c.B))
                {
                    yield return c with { B = a };
                }

                break;
        }
    }
}
