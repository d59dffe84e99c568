using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SymGrad.Tests.Fuzzing;

// The random programs of the fuzzer as a small immutable AST. The same tree is rendered to C# (what the generator
// sees) and evaluated by FuzzEvaluator (to know which branch every comparison and kink took at a point, and how
// sensitive the value is to rounding), so the two must agree on C# semantics, including int arithmetic.

/// <summary>A numeric expression.</summary>
public abstract record FExpr
{
    /// <summary>True when C# types the expression as int (int literals, Math.Sign, int ∘ int).</summary>
    public abstract bool IsInt { get; }

    /// <summary>Number of nodes (the size CsCheck shrinks by and the fuzzer's complexity budget).</summary>
    public abstract int Size { get; }
}

/// <summary>A literal: <see cref="Text"/> is its C# spelling (int when <see cref="IsIntLiteral"/>).</summary>
public sealed record FNum(double Value, string Text, bool IsIntLiteral) : FExpr
{
    public override bool IsInt => IsIntLiteral;

    public override int Size => 1;

    public static FNum Double(double v) => new(v, FuzzText.Double(v), false);

    public static FNum Int(int v) => new(v, v.ToString(CultureInfo.InvariantCulture), true);
}

/// <summary>A parameter, a double local, or a named constant (Math.PI, a const local).</summary>
public sealed record FVar(string Name) : FExpr
{
    public override bool IsInt => false;

    public override int Size => 1;
}

/// <summary>(double)(e).</summary>
public sealed record FCast(FExpr A) : FExpr
{
    public override bool IsInt => false;

    public override int Size => 1 + A.Size;
}

/// <summary>−e.</summary>
public sealed record FNeg(FExpr A) : FExpr
{
    public override bool IsInt => A.IsInt;

    public override int Size => 1 + A.Size;
}

/// <summary>a op b with op one of + − * /.</summary>
public sealed record FBin(char Op, FExpr A, FExpr B) : FExpr
{
    public override bool IsInt => A.IsInt && B.IsInt;

    public override int Size => 1 + A.Size + B.Size;
}

/// <summary>A call of a Math/SymMath function with a derivative rule.</summary>
public sealed record FCall(FuzzFunction Fn, ImmutableArray<FExpr> Args) : FExpr
{
    public override bool IsInt => Fn.ReturnsInt;

    public override int Size => 1 + Args.Sum(a => a.Size);
}

/// <summary>A call of a helper method of the same class; a null argument is omitted (its default is used).</summary>
public sealed record FHelperCall(string Helper, ImmutableArray<FExpr?> Args, bool Named) : FExpr
{
    public override bool IsInt => false;

    public override int Size => 1 + Args.Sum(a => a?.Size ?? 0);
}

/// <summary>c ? a : b.</summary>
public sealed record FCond(FBool C, FExpr A, FExpr B) : FExpr
{
    public override bool IsInt => A.IsInt && B.IsInt;

    public override int Size => 1 + C.Size + A.Size + B.Size;
}

/// <summary>A condition.</summary>
public abstract record FBool
{
    public abstract int Size { get; }
}

/// <summary>a op b with op one of &lt; &lt;= &gt; &gt;= == !=.</summary>
public sealed record FCmp(string Op, FExpr A, FExpr B) : FBool
{
    public override int Size => 1 + A.Size + B.Size;
}

/// <summary>A bool local.</summary>
public sealed record FBoolVar(string Name) : FBool
{
    public override int Size => 1;
}

/// <summary>a &amp;&amp; b (And) or a || b.</summary>
public sealed record FLogic(bool And, FBool A, FBool B) : FBool
{
    public override int Size => 1 + A.Size + B.Size;
}

/// <summary>!a.</summary>
public sealed record FNot(FBool A) : FBool
{
    public override int Size => 1 + A.Size;
}

/// <summary>A statement.</summary>
public abstract record FStmt
{
    public abstract int Size { get; }
}

/// <summary><c>Type Name = Init;</c> (Init null: declared, assigned later); Type is double, var or const double.</summary>
public sealed record FDecl(string Type, string Name, FExpr? Init) : FStmt
{
    public override int Size => 1 + (Init?.Size ?? 0);
}

/// <summary><c>bool Name = Init;</c> or <c>var Name = Init;</c>.</summary>
public sealed record FBoolDecl(string Type, string Name, FBool Init) : FStmt
{
    public override int Size => 1 + Init.Size;
}

/// <summary><c>Name op Value;</c> with op one of = += −= *= /=.</summary>
public sealed record FAssign(string Name, string Op, FExpr Value) : FStmt
{
    public override int Size => 1 + Value.Size;
}

/// <summary><c>Name++;</c>, <c>--Name;</c>, ….</summary>
public sealed record FIncrement(string Name, bool Increment, bool Prefix) : FStmt
{
    public override int Size => 1;
}

/// <summary>if (C) { Then } [else { Else }].</summary>
public sealed record FIf(FBool C, ImmutableArray<FStmt> Then, ImmutableArray<FStmt>? Else) : FStmt
{
    public override int Size => 1 + C.Size + Then.Sum(s => s.Size) + (Else?.Sum(s => s.Size) ?? 0);
}

/// <summary>return Value;.</summary>
public sealed record FReturn(FExpr Value) : FStmt
{
    public override int Size => 1 + Value.Size;
}

/// <summary>A statement (or declaration) the generator does not support, as raw C#.</summary>
public sealed record FRaw(string Text) : FStmt
{
    public override int Size => 1;
}

/// <summary>A parameter: <see cref="Type"/> is double unless the case tests an unsupported signature.</summary>
public sealed record FParam(string Name, bool Wrt, double? Default, string Type = "double", string Modifier = "");

/// <summary>A static method: a block body, or an expression body when <see cref="ExpressionBody"/> is set.</summary>
public sealed record FMethod(
    string Name,
    ImmutableArray<FParam> Params,
    ImmutableArray<FStmt> Body,
    FExpr? ExpressionBody,
    bool Differentiable,
    bool Hessian,
    string Accessibility = "public",
    bool Static = true,
    string? RawSignature = null)
{
    public int Size => 1 + (ExpressionBody?.Size ?? Body.Sum(s => s.Size));
}

/// <summary>
/// One fuzz case: a [Differentiable] method <see cref="Main"/> with its helpers, in its own type (and file), plus the
/// points at which its gradient is checked.
/// </summary>
public sealed record FCase(
    int Index,
    FMethod Main,
    ImmutableArray<FMethod> Helpers,
    string TypeKeyword,
    bool StaticType,
    string? Namespace,
    bool FileScopedNamespace,
    string? Outer,
    ImmutableArray<ImmutableArray<double>> Points,
    ImmutableArray<string> ExtraMembers,
    string? Expectation = null,
    bool PartialType = true)
{
    public string TypeName => "F" + Index.ToString(CultureInfo.InvariantCulture);

    public string FilePath => TypeName + ".cs";

    public int Size => Main.Size + Helpers.Sum(h => h.Size);

    /// <summary>Name of the type as reflection sees it (namespace, nested types with '+').</summary>
    public string MetadataName => (Namespace is null ? string.Empty : Namespace + ".") + (Outer is null ? string.Empty : Outer + "+") + TypeName;

    public FMethod? Helper(string name) => Helpers.FirstOrDefault(h => h.Name == name);
}

/// <summary>A function of the Math/SymMath surface the generator differentiates.</summary>
public sealed record FuzzFunction(
    string CSharpName,
    int Arity,
    Func<double[], double> Evaluate,
    FuzzDomain Domain,
    FuzzKink Kink,
    bool ReturnsInt = false,
    bool HasIntOverload = false)
{
    public override string ToString() => CSharpName;
}

/// <summary>Where a function's first argument is defined (other arguments are unrestricted).</summary>
public enum FuzzDomain
{
    Any,
    Positive,
    OpenUnit,
    AboveOne,
    Probability,
    SmallMagnitude,
}

/// <summary>Which discrete decision a function makes at a point (part of the branch signature).</summary>
public enum FuzzKink
{
    None,
    SignOfFirst,
    CompareFirstTwo,
    ClampRegion,
    StepValue,
}

/// <summary>The function table: every Math and SymMath function the lowerer has a rule for.</summary>
public static class FuzzFunctions
{
    public static readonly ImmutableArray<FuzzFunction> All = ImmutableArray.Create(
        new FuzzFunction("Math.Exp", 1, a => Math.Exp(a[0]), FuzzDomain.SmallMagnitude, FuzzKink.None),
        new FuzzFunction("Math.Log", 1, a => Math.Log(a[0]), FuzzDomain.Positive, FuzzKink.None),
        new FuzzFunction("Math.Log", 2, a => Math.Log(a[0], a[1]), FuzzDomain.Positive, FuzzKink.None),
        new FuzzFunction("Math.Log10", 1, a => Math.Log10(a[0]), FuzzDomain.Positive, FuzzKink.None),
        new FuzzFunction("Math.Log2", 1, a => Math.Log2(a[0]), FuzzDomain.Positive, FuzzKink.None),
        new FuzzFunction("Math.Sqrt", 1, a => Math.Sqrt(a[0]), FuzzDomain.Positive, FuzzKink.None),
        new FuzzFunction("Math.Cbrt", 1, a => Math.Cbrt(a[0]), FuzzDomain.Any, FuzzKink.SignOfFirst),
        new FuzzFunction("Math.Pow", 2, a => Math.Pow(a[0], a[1]), FuzzDomain.Positive, FuzzKink.None),
        new FuzzFunction("Math.Sin", 1, a => Math.Sin(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("Math.Cos", 1, a => Math.Cos(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("Math.Tan", 1, a => Math.Tan(a[0]), FuzzDomain.OpenUnit, FuzzKink.None),
        new FuzzFunction("Math.Asin", 1, a => Math.Asin(a[0]), FuzzDomain.OpenUnit, FuzzKink.None),
        new FuzzFunction("Math.Acos", 1, a => Math.Acos(a[0]), FuzzDomain.OpenUnit, FuzzKink.None),
        new FuzzFunction("Math.Atan", 1, a => Math.Atan(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("Math.Atan2", 2, a => Math.Atan2(a[0], a[1]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("Math.Sinh", 1, a => Math.Sinh(a[0]), FuzzDomain.SmallMagnitude, FuzzKink.None),
        new FuzzFunction("Math.Cosh", 1, a => Math.Cosh(a[0]), FuzzDomain.SmallMagnitude, FuzzKink.None),
        new FuzzFunction("Math.Tanh", 1, a => Math.Tanh(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("Math.Asinh", 1, a => Math.Asinh(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("Math.Acosh", 1, a => Math.Acosh(a[0]), FuzzDomain.AboveOne, FuzzKink.None),
        new FuzzFunction("Math.Atanh", 1, a => Math.Atanh(a[0]), FuzzDomain.OpenUnit, FuzzKink.None),
        new FuzzFunction("Math.FusedMultiplyAdd", 3, a => Math.FusedMultiplyAdd(a[0], a[1], a[2]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("Math.Abs", 1, a => Math.Abs(a[0]), FuzzDomain.Any, FuzzKink.SignOfFirst, HasIntOverload: true),
        new FuzzFunction("Math.Max", 2, a => Math.Max(a[0], a[1]), FuzzDomain.Any, FuzzKink.CompareFirstTwo, HasIntOverload: true),
        new FuzzFunction("Math.Min", 2, a => Math.Min(a[0], a[1]), FuzzDomain.Any, FuzzKink.CompareFirstTwo, HasIntOverload: true),
        new FuzzFunction("Math.Clamp", 3, a => Math.Clamp(a[0], a[1], a[2]), FuzzDomain.Any, FuzzKink.ClampRegion, HasIntOverload: true),
        new FuzzFunction("Math.Sign", 1, a => Math.Sign(a[0]), FuzzDomain.Any, FuzzKink.StepValue, ReturnsInt: true, HasIntOverload: true),
        new FuzzFunction("Math.Floor", 1, a => Math.Floor(a[0]), FuzzDomain.Any, FuzzKink.StepValue),
        new FuzzFunction("Math.Ceiling", 1, a => Math.Ceiling(a[0]), FuzzDomain.Any, FuzzKink.StepValue),
        new FuzzFunction("Math.Round", 1, a => Math.Round(a[0]), FuzzDomain.Any, FuzzKink.StepValue),
        new FuzzFunction("Math.Truncate", 1, a => Math.Truncate(a[0]), FuzzDomain.Any, FuzzKink.StepValue),
        new FuzzFunction("SymMath.Sigmoid", 1, a => SymMath.Sigmoid(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.SigmoidDerivative", 1, a => SymMath.SigmoidDerivative(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.Softplus", 1, a => SymMath.Softplus(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.LogSigmoid", 1, a => SymMath.LogSigmoid(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.Relu", 1, a => SymMath.Relu(a[0]), FuzzDomain.Any, FuzzKink.SignOfFirst),
        new FuzzFunction("SymMath.LeakyRelu", 2, a => SymMath.LeakyRelu(a[0], a[1]), FuzzDomain.Any, FuzzKink.SignOfFirst),
        new FuzzFunction("SymMath.Tanh", 1, a => SymMath.Tanh(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.TanhDerivative", 1, a => SymMath.TanhDerivative(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.Square", 1, a => SymMath.Square(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.Silu", 1, a => SymMath.Silu(a[0]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.Softsign", 1, a => SymMath.Softsign(a[0]), FuzzDomain.Any, FuzzKink.SignOfFirst),
        new FuzzFunction("SymMath.Log1p", 1, a => SymMath.Log1p(a[0]), FuzzDomain.Positive, FuzzKink.None),
        new FuzzFunction("SymMath.Expm1", 1, a => SymMath.Expm1(a[0]), FuzzDomain.SmallMagnitude, FuzzKink.None),
        new FuzzFunction("SymMath.LogSumExp", 2, a => SymMath.LogSumExp(a[0], a[1]), FuzzDomain.Any, FuzzKink.None),
        new FuzzFunction("SymMath.Logit", 1, a => SymMath.Logit(a[0]), FuzzDomain.Probability, FuzzKink.None),
        new FuzzFunction("SymMath.Hypot", 2, a => SymMath.Hypot(a[0], a[1]), FuzzDomain.Any, FuzzKink.None));

    public static FuzzFunction Get(string name, int arity) => All.First(f => f.CSharpName == name && f.Arity == arity);
}

/// <summary>C# spelling of the AST.</summary>
public static class FuzzText
{
    public static string Double(double v)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0)
        {
            s += ".0";
        }

        return s;
    }

    /// <summary>The source file of one case: usings, namespace, containing types, the method, its helpers.</summary>
    public static string Source(FCase c)
    {
        var w = new StringBuilder();
        w.Append("using System;\nusing SymGrad;\n\n");
        string indent = string.Empty;
        if (c.Namespace is not null)
        {
            if (c.FileScopedNamespace)
            {
                w.Append("namespace ").Append(c.Namespace).Append(";\n\n");
            }
            else
            {
                w.Append("namespace ").Append(c.Namespace).Append("\n{\n");
                indent += "    ";
            }
        }

        if (c.Outer is not null)
        {
            w.Append(indent).Append("public static partial class ").Append(c.Outer).Append('\n').Append(indent).Append("{\n");
            indent += "    ";
        }

        w.Append(indent).Append(c.StaticType ? "public static " : "public ").Append(c.PartialType ? "partial " : string.Empty)
            .Append(c.TypeKeyword).Append(' ').Append(c.TypeName).Append('\n').Append(indent).Append("{\n");
        string inner = indent + "    ";
        foreach (string member in c.ExtraMembers)
        {
            w.Append(inner).Append(member).Append('\n');
        }

        Method(w, c.Main, inner);
        foreach (FMethod h in c.Helpers)
        {
            w.Append('\n');
            Method(w, h, inner);
        }

        w.Append(indent).Append("}\n");
        if (c.Outer is not null)
        {
            indent = indent.Substring(4);
            w.Append(indent).Append("}\n");
        }

        if (c.Namespace is not null && !c.FileScopedNamespace)
        {
            w.Append("}\n");
        }

        return w.ToString();
    }

    public static void Method(StringBuilder w, FMethod m, string indent)
    {
        if (m.Differentiable)
        {
            w.Append(indent).Append(m.Hessian ? "[Differentiable(Hessian = true)]\n" : "[Differentiable]\n");
        }

        if (m.RawSignature is not null)
        {
            w.Append(indent).Append(m.RawSignature);
        }
        else
        {
            w.Append(indent).Append(m.Accessibility).Append(m.Static ? " static double " : " double ").Append(m.Name).Append('(');
            for (int i = 0; i < m.Params.Length; i++)
            {
                FParam p = m.Params[i];
                w.Append(i == 0 ? string.Empty : ", ")
                    .Append(p.Wrt ? "[Wrt] " : string.Empty)
                    .Append(p.Modifier.Length > 0 ? p.Modifier + " " : string.Empty)
                    .Append(p.Type).Append(' ').Append(p.Name)
                    .Append(p.Default is double d ? " = " + Double(d) : string.Empty);
            }

            w.Append(')');
        }

        if (m.ExpressionBody is not null)
        {
            w.Append("\n").Append(indent).Append("    => ").Append(Expr(m.ExpressionBody)).Append(";\n");
            return;
        }

        w.Append('\n');
        Block(w, m.Body, indent);
    }

    private static void Block(StringBuilder w, ImmutableArray<FStmt> body, string indent)
    {
        w.Append(indent).Append("{\n");
        foreach (FStmt s in body)
        {
            Stmt(w, s, indent + "    ");
        }

        w.Append(indent).Append("}\n");
    }

    /// <summary>A branch: a block, or a lone assignment/return/increment without braces (an embedded statement).</summary>
    private static void Branch(StringBuilder w, ImmutableArray<FStmt> body, string indent)
    {
        if (body.Length == 1 && body[0] is FAssign or FReturn or FIncrement)
        {
            Stmt(w, body[0], indent + "    ");
            return;
        }

        Block(w, body, indent);
    }

    private static void Stmt(StringBuilder w, FStmt s, string indent)
    {
        switch (s)
        {
            case FDecl d:
                w.Append(indent).Append(d.Type).Append(' ').Append(d.Name);
                if (d.Init is not null)
                {
                    w.Append(" = ").Append(Expr(d.Init));
                }

                w.Append(";\n");
                break;
            case FBoolDecl b:
                w.Append(indent).Append(b.Type).Append(' ').Append(b.Name).Append(" = ").Append(Bool(b.Init)).Append(";\n");
                break;
            case FAssign a:
                w.Append(indent).Append(a.Name).Append(' ').Append(a.Op).Append(' ').Append(Expr(a.Value)).Append(";\n");
                break;
            case FIncrement inc:
                string op = inc.Increment ? "++" : "--";
                w.Append(indent).Append(inc.Prefix ? op + inc.Name : inc.Name + op).Append(";\n");
                break;
            case FIf f:
                w.Append(indent).Append("if (").Append(Bool(f.C)).Append(")\n");
                Branch(w, f.Then, indent);
                if (f.Else is { } e)
                {
                    if (e.Length == 1 && e[0] is FIf)
                    {
                        // else if (…): the else branch is an if statement, not a block.
                        w.Append(indent).Append("else ");
                        var inner = new StringBuilder();
                        Stmt(inner, e[0], indent);
                        w.Append(inner.ToString().TrimStart());
                    }
                    else
                    {
                        w.Append(indent).Append("else\n");
                        Branch(w, e, indent);
                    }
                }

                break;
            case FReturn r:
                w.Append(indent).Append("return ").Append(Expr(r.Value)).Append(";\n");
                break;
            case FRaw raw:
                foreach (string line in raw.Text.Split('\n'))
                {
                    w.Append(indent).Append(line).Append('\n');
                }

                break;
            default:
                throw new InvalidOperationException(s.GetType().Name);
        }
    }

    public static string Expr(FExpr e) => e switch
    {
        FNum n => n.Value < 0 || n.Text.StartsWith('-') ? "(" + n.Text + ")" : n.Text,
        FVar v => v.Name,
        FCast c => "(double)(" + Expr(c.A) + ")",
        FNeg n => "-" + Operand(n.A),
        FBin b => Operand(b.A) + " " + b.Op + " " + Operand(b.B),
        FCall c => c.Fn.CSharpName + "(" + string.Join(", ", c.Args.Select(Expr)) + ")",
        FHelperCall h => h.Helper + "(" + HelperArgs(h) + ")",
        FCond c => Bool(c.C) + " ? " + Operand(c.A) + " : " + Operand(c.B),
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    private static string HelperArgs(FHelperCall h)
    {
        // Named arguments go in reverse order (legal for named arguments, and a test of argument binding).
        var parts = new List<string>();
        for (int i = 0; i < h.Args.Length; i++)
        {
            if (h.Args[i] is { } a)
            {
                parts.Add(h.Named ? "p" + i.ToString(CultureInfo.InvariantCulture) + ": " + Expr(a) : Expr(a));
            }
        }

        if (h.Named)
        {
            parts.Reverse();
        }

        return string.Join(", ", parts);
    }

    private static string Operand(FExpr e) => e is FVar or FCall or FHelperCall or FCast || (e is FNum n && n.Value >= 0 && !n.Text.StartsWith('-'))
        ? Expr(e)
        : "(" + Expr(e) + ")";

    public static string Bool(FBool b) => b switch
    {
        FCmp c => Operand(c.A) + " " + c.Op + " " + Operand(c.B),
        FBoolVar v => v.Name,
        FLogic l => "(" + Bool(l.A) + (l.And ? " && " : " || ") + Bool(l.B) + ")",
        FNot n => "!(" + Bool(n.A) + ")",
        _ => throw new InvalidOperationException(b.GetType().Name),
    };
}
