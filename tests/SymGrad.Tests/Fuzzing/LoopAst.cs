using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SymGrad.Tests.Fuzzing;

// The AST of the program-mode fuzzer ("loop programs"): methods with array/span parameters, int/long/bool data,
// run-time loops, break/continue/return inside loops, switch, int arithmetic, run-time indices and local buffers.
// The same tree is rendered to C# (what the generator sees) and interpreted by LoopEvaluator with dual numbers (the
// reference value, gradient and Hessian), so both must agree on C# semantics, including int arithmetic and implicit
// int → double conversions.

/// <summary>The C# type of a scalar expression or variable.</summary>
public enum LType
{
    Double,
    Int,
    Long,
    Bool,
}

/// <summary>An expression of type double, int or long.</summary>
public abstract record LExpr
{
    public abstract LType Type { get; }

    public abstract int Size { get; }

    public bool IsIntegral => Type is LType.Int or LType.Long;
}

/// <summary>A literal; <see cref="Text"/> is its C# spelling.</summary>
public sealed record LNum(double Value, string Text, LType NumType) : LExpr
{
    public override LType Type => NumType;

    public override int Size => 1;

    public static LNum Double(double v) => new(v, FuzzText.Double(v), LType.Double);

    public static LNum Int(int v) => new(v, v.ToString(CultureInfo.InvariantCulture), LType.Int);
}

/// <summary>A scalar parameter or local (double, int or long).</summary>
public sealed record LVar(string Name, LType VarType) : LExpr
{
    public override LType Type => VarType;

    public override int Size => 1;
}

/// <summary><c>a[i]</c> of a double or int array/span.</summary>
public sealed record LLoad(string Array, LExpr Index, LType Element) : LExpr
{
    public override LType Type => Element;

    public override int Size => 1 + Index.Size;
}

/// <summary><c>a.Length</c>.</summary>
public sealed record LLen(string Array) : LExpr
{
    public override LType Type => LType.Int;

    public override int Size => 1;
}

/// <summary>(double)(e) of an int expression.</summary>
public sealed record LCast(LExpr A) : LExpr
{
    public override LType Type => LType.Double;

    public override int Size => 1 + A.Size;
}

/// <summary>−e.</summary>
public sealed record LNeg(LExpr A) : LExpr
{
    public override LType Type => A.Type;

    public override int Size => 1 + A.Size;
}

/// <summary>a op b with op one of + − * / % (% on integers only); C#'s binary numeric promotion.</summary>
public sealed record LBin(char Op, LExpr A, LExpr B) : LExpr
{
    public override LType Type => A.Type == LType.Double || B.Type == LType.Double ? LType.Double
        : A.Type == LType.Long || B.Type == LType.Long ? LType.Long : LType.Int;

    public override int Size => 1 + A.Size + B.Size;
}

/// <summary>A Math/SymMath function with a derivative rule (double arguments; Math.Sign returns int).</summary>
public sealed record LCall(FuzzFunction Fn, ImmutableArray<LExpr> Args) : LExpr
{
    public override LType Type => Fn.ReturnsInt ? LType.Int : LType.Double;

    public override int Size => 1 + Args.Sum(a => a.Size);
}

/// <summary>An argument of a helper call: a scalar expression or a whole array (passed as array/span).</summary>
public sealed record LArg(LExpr? Scalar, string? Array)
{
    public int Size => Scalar?.Size ?? 1;

    public override string ToString() => Array ?? LText.Expr(Scalar!);
}

/// <summary>A call of a helper method with source in the same type.</summary>
public sealed record LHelperCall(string Helper, ImmutableArray<LArg> Args) : LExpr
{
    public override LType Type => LType.Double;

    public override int Size => 1 + Args.Sum(a => a.Size);
}

/// <summary>c ? a : b.</summary>
public sealed record LCond(LBool C, LExpr A, LExpr B) : LExpr
{
    public override LType Type => new LBin('+', A, B).Type;

    public override int Size => 1 + C.Size + A.Size + B.Size;
}

/// <summary>A condition.</summary>
public abstract record LBool
{
    public abstract int Size { get; }
}

/// <summary>a op b with op one of &lt; &lt;= &gt; &gt;= == !=.</summary>
public sealed record LCmp(string Op, LExpr A, LExpr B) : LBool
{
    public override int Size => 1 + A.Size + B.Size;
}

/// <summary>A bool parameter or local.</summary>
public sealed record LBoolVar(string Name) : LBool
{
    public override int Size => 1;
}

/// <summary>a &amp;&amp; b (And) or a || b.</summary>
public sealed record LLogic(bool And, LBool A, LBool B) : LBool
{
    public override int Size => 1 + A.Size + B.Size;
}

/// <summary>!a.</summary>
public sealed record LNot(LBool A) : LBool
{
    public override int Size => 1 + A.Size;
}

/// <summary>A statement.</summary>
public abstract record LStmt
{
    public abstract int Size { get; }
}

/// <summary><c>Type Name = Init;</c> for double, int, long or var.</summary>
public sealed record LDecl(string TypeText, string Name, LType VarType, LExpr Init) : LStmt
{
    public override int Size => 1 + Init.Size;
}

/// <summary><c>bool Name = Init;</c>.</summary>
public sealed record LBoolDecl(string Name, LBool Init) : LStmt
{
    public override int Size => 1 + Init.Size;
}

/// <summary><c>Name op Value;</c> with op one of = += −= *= /=.</summary>
public sealed record LAssign(string Name, string Op, LExpr Value) : LStmt
{
    public override int Size => 1 + Value.Size;
}

/// <summary><c>Name++;</c> or <c>Name--;</c> (or the prefix forms).</summary>
public sealed record LIncr(string Name, bool Increment, bool Prefix) : LStmt
{
    public override int Size => 1;
}

/// <summary><c>a[Index] op Value;</c> into a local buffer.</summary>
public sealed record LStore(string Array, LExpr Index, string Op, LExpr Value) : LStmt
{
    public override int Size => 1 + Index.Size + Value.Size;
}

/// <summary><c>double[] Name = new double[Length];</c> or <c>Span&lt;double&gt; Name = stackalloc double[Length];</c>.</summary>
public sealed record LArrayDecl(string Name, LExpr Length, bool StackAlloc) : LStmt
{
    public override int Size => 1 + Length.Size;
}

/// <summary>if (C) { Then } [else { Else }].</summary>
public sealed record LIf(LBool C, ImmutableArray<LStmt> Then, ImmutableArray<LStmt>? Else) : LStmt
{
    public override int Size => 1 + C.Size + Then.Sum(s => s.Size) + (Else?.Sum(s => s.Size) ?? 0);
}

/// <summary><c>for (int Var = Start; Cond; Step) { Body }</c>; Step is an increment or a compound assignment of Var.</summary>
public sealed record LFor(string Var, LExpr Start, LBool Cond, LStmt Step, ImmutableArray<LStmt> Body) : LStmt
{
    public override int Size => 1 + Start.Size + Cond.Size + Body.Sum(s => s.Size);
}

/// <summary>while (Cond) { Body }.</summary>
public sealed record LWhile(LBool Cond, ImmutableArray<LStmt> Body) : LStmt
{
    public override int Size => 1 + Cond.Size + Body.Sum(s => s.Size);
}

/// <summary>do { Body } while (Cond);.</summary>
public sealed record LDo(ImmutableArray<LStmt> Body, LBool Cond) : LStmt
{
    public override int Size => 1 + Cond.Size + Body.Sum(s => s.Size);
}

/// <summary>foreach (TypeText Var in Array) { Body }.</summary>
public sealed record LForEach(string TypeText, string Var, LType VarType, string Array, ImmutableArray<LStmt> Body) : LStmt
{
    public override int Size => 1 + Body.Sum(s => s.Size);
}

/// <summary>break;.</summary>
public sealed record LBreak : LStmt
{
    public override int Size => 1;
}

/// <summary>continue;.</summary>
public sealed record LContinue : LStmt
{
    public override int Size => 1;
}

/// <summary>return Value;.</summary>
public sealed record LReturn(LExpr Value) : LStmt
{
    public override int Size => 1 + Value.Size;
}

/// <summary>One switch section: <c>case Label:</c> (null: <c>default:</c>), its statements, then <c>break;</c> unless it returns.</summary>
public sealed record LSection(int? Label, ImmutableArray<LStmt> Body);

/// <summary>switch (Value) { sections }.</summary>
public sealed record LSwitch(LExpr Value, ImmutableArray<LSection> Sections) : LStmt
{
    public override int Size => 1 + Value.Size + Sections.Sum(s => 1 + s.Body.Sum(b => b.Size));
}

/// <summary>
/// A parameter. <see cref="TypeText"/> is its C# type (double, int, long, bool, double[], int[], ReadOnlySpan&lt;double&gt;,
/// Span&lt;double&gt;, ReadOnlySpan&lt;int&gt;).
/// </summary>
public sealed record LParam(string Name, string TypeText, bool Wrt)
{
    public bool IsArray => TypeText.EndsWith("[]", StringComparison.Ordinal) || TypeText.Contains('<', StringComparison.Ordinal);

    /// <summary>double, or the element type of an array/span.</summary>
    public LType Element => TypeText switch
    {
        "double" or "double[]" or "ReadOnlySpan<double>" or "Span<double>" => LType.Double,
        "int" or "int[]" or "ReadOnlySpan<int>" => LType.Int,
        "long" => LType.Long,
        "bool" => LType.Bool,
        _ => throw new InvalidOperationException(TypeText),
    };

    public bool IsDoubleLike => Element == LType.Double;
}

/// <summary>A static method with a block body.</summary>
public sealed record LMethod(string Name, ImmutableArray<LParam> Params, ImmutableArray<LStmt> Body, bool Differentiable, bool Hessian, string Accessibility = "public")
{
    public int Size => 1 + Body.Sum(s => s.Size);

    /// <summary>Indices of the differentiated parameters: the [Wrt] ones, or every double-like one when none is marked.</summary>
    public List<int> Differentiated()
    {
        bool any = Params.Any(p => p.Wrt);
        return Enumerable.Range(0, Params.Length).Where(i => Params[i].IsDoubleLike && (!any || Params[i].Wrt)).ToList();
    }
}

/// <summary>The arguments of one call: a double, int, long or bool per scalar parameter, a double[] or int[] per array.</summary>
public sealed record LPoint(ImmutableArray<object> Args)
{
    public object[] Copy() => Args.Select(a => a switch
    {
        double[] d => (object)(double[])d.Clone(),
        int[] i => (int[])i.Clone(),
        _ => a,
    }).ToArray();

    public string Describe(LMethod m) => string.Join(", ", m.Params.Select((p, i) => p.Name + " = " + LText.Value(Args[i])));
}

/// <summary>One case of the program-mode fuzzer: a [Differentiable] method, its helpers, and candidate points.</summary>
public sealed record LCase(int Index, LMethod Main, ImmutableArray<LMethod> Helpers, ImmutableArray<LPoint> Points, string? Namespace)
{
    public string TypeName => "L" + Index.ToString(CultureInfo.InvariantCulture);

    public string FilePath => TypeName + ".cs";

    public string MetadataName => (Namespace is null ? string.Empty : Namespace + ".") + TypeName;

    public int Size => Main.Size + Helpers.Sum(h => h.Size);

    public LMethod? Helper(string name) => Helpers.FirstOrDefault(h => h.Name == name);
}

/// <summary>C# spelling of the loop-program AST.</summary>
public static class LText
{
    public static string Value(object v) => v switch
    {
        double d => FuzzText.Double(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        bool b => b ? "true" : "false",
        double[] a => "new double[] { " + string.Join(", ", a.Select(FuzzText.Double)) + " }",
        int[] a => "new int[] { " + string.Join(", ", a.Select(x => x.ToString(CultureInfo.InvariantCulture))) + " }",
        _ => v.ToString() ?? "?",
    };

    public static string Source(LCase c)
    {
        var w = new StringBuilder();
        w.Append("using System;\nusing SymGrad;\n\n");
        if (c.Namespace is not null)
        {
            w.Append("namespace ").Append(c.Namespace).Append(";\n\n");
        }

        w.Append("public static partial class ").Append(c.TypeName).Append("\n{\n");
        Method(w, c.Main, "    ");
        foreach (LMethod h in c.Helpers)
        {
            w.Append('\n');
            Method(w, h, "    ");
        }

        w.Append("}\n");
        return w.ToString();
    }

    public static void Method(StringBuilder w, LMethod m, string indent)
    {
        if (m.Differentiable)
        {
            w.Append(indent).Append(m.Hessian ? "[Differentiable(Hessian = true)]\n" : "[Differentiable]\n");
        }

        w.Append(indent).Append(m.Accessibility).Append(" static double ").Append(m.Name).Append('(')
            .Append(string.Join(", ", m.Params.Select(p => (p.Wrt ? "[Wrt] " : string.Empty) + p.TypeText + " " + p.Name)))
            .Append(")\n");
        Block(w, m.Body, indent);
    }

    private static void Block(StringBuilder w, ImmutableArray<LStmt> body, string indent)
    {
        w.Append(indent).Append("{\n");
        foreach (LStmt s in body)
        {
            Stmt(w, s, indent + "    ");
        }

        w.Append(indent).Append("}\n");
    }

    /// <summary>A branch body: a block, or a lone simple statement without braces.</summary>
    private static void Branch(StringBuilder w, ImmutableArray<LStmt> body, string indent)
    {
        if (body.Length == 1 && body[0] is LAssign or LReturn or LIncr or LBreak or LContinue or LStore)
        {
            Stmt(w, body[0], indent + "    ");
            return;
        }

        Block(w, body, indent);
    }

    public static string Simple(LStmt s) => s switch
    {
        LAssign a => a.Name + " " + a.Op + " " + Expr(a.Value),
        LIncr inc => inc.Prefix ? (inc.Increment ? "++" : "--") + inc.Name : inc.Name + (inc.Increment ? "++" : "--"),
        _ => throw new InvalidOperationException(s.GetType().Name),
    };

    private static void Stmt(StringBuilder w, LStmt s, string indent)
    {
        switch (s)
        {
            case LDecl d:
                w.Append(indent).Append(d.TypeText).Append(' ').Append(d.Name).Append(" = ").Append(Expr(d.Init)).Append(";\n");
                break;
            case LBoolDecl b:
                w.Append(indent).Append("bool ").Append(b.Name).Append(" = ").Append(Bool(b.Init)).Append(";\n");
                break;
            case LAssign or LIncr:
                w.Append(indent).Append(Simple(s)).Append(";\n");
                break;
            case LStore st:
                w.Append(indent).Append(st.Array).Append('[').Append(Expr(st.Index)).Append("] ").Append(st.Op).Append(' ').Append(Expr(st.Value)).Append(";\n");
                break;
            case LArrayDecl a:
                w.Append(indent).Append(a.StackAlloc ? "Span<double> " : "double[] ").Append(a.Name)
                    .Append(a.StackAlloc ? " = stackalloc double[" : " = new double[").Append(Expr(a.Length)).Append("];\n");
                break;
            case LIf f:
                w.Append(indent).Append("if (").Append(Bool(f.C)).Append(")\n");
                Branch(w, f.Then, indent);
                if (f.Else is { } e)
                {
                    w.Append(indent).Append("else\n");
                    Branch(w, e, indent);
                }

                break;
            case LFor f:
                w.Append(indent).Append("for (int ").Append(f.Var).Append(" = ").Append(Expr(f.Start)).Append("; ").Append(Bool(f.Cond)).Append("; ").Append(Simple(f.Step)).Append(")\n");
                Block(w, f.Body, indent);
                break;
            case LWhile wh:
                w.Append(indent).Append("while (").Append(Bool(wh.Cond)).Append(")\n");
                Block(w, wh.Body, indent);
                break;
            case LDo d:
                w.Append(indent).Append("do\n");
                Block(w, d.Body, indent);
                w.Append(indent).Append("while (").Append(Bool(d.Cond)).Append(");\n");
                break;
            case LForEach fe:
                w.Append(indent).Append("foreach (").Append(fe.TypeText).Append(' ').Append(fe.Var).Append(" in ").Append(fe.Array).Append(")\n");
                Block(w, fe.Body, indent);
                break;
            case LBreak:
                w.Append(indent).Append("break;\n");
                break;
            case LContinue:
                w.Append(indent).Append("continue;\n");
                break;
            case LReturn r:
                w.Append(indent).Append("return ").Append(Expr(r.Value)).Append(";\n");
                break;
            case LSwitch sw:
                w.Append(indent).Append("switch (").Append(Expr(sw.Value)).Append(")\n").Append(indent).Append("{\n");
                foreach (LSection section in sw.Sections)
                {
                    w.Append(indent).Append("    ").Append(section.Label is int l ? "case " + l.ToString(CultureInfo.InvariantCulture) + ":" : "default:").Append('\n');
                    foreach (LStmt b in section.Body)
                    {
                        Stmt(w, b, indent + "        ");
                    }

                    if (!LoopShapes.AlwaysReturns(section.Body))
                    {
                        w.Append(indent).Append("        break;\n");
                    }
                }

                w.Append(indent).Append("}\n");
                break;
            default:
                throw new InvalidOperationException(s.GetType().Name);
        }
    }

    public static string Expr(LExpr e) => e switch
    {
        LNum n => n.Value < 0 || n.Text.StartsWith('-') ? "(" + n.Text + ")" : n.Text,
        LVar v => v.Name,
        LLoad l => l.Array + "[" + Expr(l.Index) + "]",
        LLen l => l.Array + ".Length",
        LCast c => "(double)(" + Expr(c.A) + ")",
        LNeg n => "-" + Operand(n.A),
        LBin b => Operand(b.A) + " " + b.Op + " " + Operand(b.B),
        LCall c => c.Fn.CSharpName + "(" + string.Join(", ", c.Args.Select(Expr)) + ")",
        LHelperCall h => h.Helper + "(" + string.Join(", ", h.Args.Select(a => a.ToString())) + ")",
        LCond c => "(" + Bool(c.C) + " ? " + Operand(c.A) + " : " + Operand(c.B) + ")",
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    private static string Operand(LExpr e) => e is LVar or LCall or LHelperCall or LCast or LLoad or LLen or LCond || (e is LNum n && n.Value >= 0 && !n.Text.StartsWith('-'))
        ? Expr(e)
        : "(" + Expr(e) + ")";

    public static string Bool(LBool b) => b switch
    {
        LCmp c => Operand(c.A) + " " + c.Op + " " + Operand(c.B),
        LBoolVar v => v.Name,
        LLogic l => "(" + Bool(l.A) + (l.And ? " && " : " || ") + Bool(l.B) + ")",
        LNot n => "!(" + Bool(n.A) + ")",
        _ => throw new InvalidOperationException(b.GetType().Name),
    };
}

/// <summary>Structural facts about statement lists.</summary>
public static class LoopShapes
{
    /// <summary>Whether every path through the block ends in return (so nothing after it runs).</summary>
    public static bool AlwaysReturns(ImmutableArray<LStmt> block) =>
        block.Any(s => s is LReturn || (s is LIf { Else: { } e } f && AlwaysReturns(f.Then) && AlwaysReturns(e)));
}
