using System;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Functions;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Emit;

/// <summary>Prints a node in the seeds' mathematical notation (σ, σ′, ·, ln, √) for the formula comments.</summary>
internal static class MathText
{
    private const int MaxLength = 120;

    public static string Print(Node n, Func<Node, string?> name, int depth)
    {
        string s = P(n, name, depth, 0);
        return s.Length > MaxLength ? s.Substring(0, MaxLength) + "…" : s;
    }

    private static string P(Node n, Func<Node, string?> name, int depth, int minPrec)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        string? named = name(n);
        if (named is not null)
        {
            return named;
        }

        string s;
        int prec;
        switch (n.Op)
        {
            case Op.Extern:
            case Op.Var:
            case Op.Length:
                s = n.Name ?? "?";
                prec = 4;
                break;
            case Op.IConst:
                s = ((long)n.Value).ToString(CultureInfo.InvariantCulture);
                prec = 4;
                break;
            case Op.ToDouble:
                return P(n.A, name, depth, minPrec);
            case Op.ToInt:
                s = "(int)" + P(n.A, name, depth, 4);
                prec = 4;
                break;
            case Op.Load:
                s = "[" + string.Join(", ", n.Args.Select(i => P(i, name, depth, 0))) + "]";
                prec = 4;
                break;
            case Op.IAdd or Op.ISub or Op.IMul or Op.IDiv or Op.IRem:
                s = P(n.A, name, depth, 2) + (n.Op switch { Op.IAdd => " + ", Op.ISub => " − ", Op.IMul => "·", Op.IDiv => " / ", _ => " mod " }) + P(n.B, name, depth, 3);
                prec = 1;
                break;
            case Op.Const:
                s = n.Value.ToString("R", CultureInfo.InvariantCulture).Replace('-', '−');
                prec = n.Value < 0 ? 2 : 4;
                break;
            case Op.Neg or Op.INeg:
                s = "−" + P(n.A, name, depth, 3);
                prec = 2;
                break;
            case Op.Add:
                s = P(n.A, name, depth, 1) + " + " + P(n.B, name, depth, 2);
                prec = 1;
                break;
            case Op.Sub:
                s = P(n.A, name, depth, 1) + " − " + P(n.B, name, depth, 2);
                prec = 1;
                break;
            case Op.Mul:
            case Op.SafeMul:
                s = P(n.A, name, depth, 2) + "·" + P(n.B, name, depth, 3);
                prec = 2;
                break;
            case Op.Div:
                s = P(n.A, name, depth, 2) + "/" + P(n.B, name, depth, 3);
                prec = 2;
                break;
            case Op.Call:
                s = Function(n, name, depth);
                prec = 4;
                break;
            case Op.Select:
                s = "[" + Condition(n.A, name, depth) + " ? " + P(n.B, name, depth, 0) + " : " + P(n.C, name, depth, 0) + "]";
                prec = 4;
                break;
            default:
                s = Condition(n, name, depth);
                prec = 0;
                break;
        }

        return prec < minPrec ? "(" + s + ")" : s;
    }

    private static string Function(Node n, Func<Node, string?> name, int depth)
    {
        FunctionEntry f = FunctionTable.Of(n);
        var args = new string[n.Args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = P(n.Args[i], name, depth, 0);
        }

        if (f.DisplayAtoms)
        {
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = P(n.Args[i], name, depth, 4);
            }
        }

        return f.EmitDisplay(args);
    }

    private static string Condition(Node n, Func<Node, string?> name, int depth)
    {
        string op = n.Op switch
        {
            Op.Less => " < ",
            Op.LessEq => " ≤ ",
            Op.Greater => " > ",
            Op.GreaterEq => " ≥ ",
            Op.Eq => " = ",
            Op.NotEq => " ≠ ",
            Op.And => " ∧ ",
            Op.Or => " ∨ ",
            _ => string.Empty,
        };
        return n.Op switch
        {
            Op.True => "true",
            Op.False => "false",
            Op.Not => "¬(" + Condition(n.A, name, depth) + ")",
            Op.Var or Op.Load or Op.Extern => P(n, name, depth, 4),
            Op.And or Op.Or => "(" + Condition(n.A, name, depth) + op + Condition(n.B, name, depth) + ")",
            _ => P(n.A, name, depth, 1) + op + P(n.B, name, depth, 1),
        };
    }
}
