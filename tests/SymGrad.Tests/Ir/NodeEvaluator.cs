using System;
using SymGrad.Generator.Functions;
using SymGrad.Generator.Ir;

namespace SymGrad.Tests.Ir;

/// <summary>Evaluates a scalar-mode node numerically (parameters by index), for testing the simplifier and the rules.</summary>
internal static class NodeEvaluator
{
    public static double Value(Node n, params double[] p) => n.Op switch
    {
        Op.Const => n.Value,
        Op.Param => p[n.Index],
        Op.Neg => -Value(n.A, p),
        Op.Add => Value(n.A, p) + Value(n.B, p),
        Op.Sub => Value(n.A, p) - Value(n.B, p),
        Op.Mul => Value(n.A, p) * Value(n.B, p),
        Op.SafeMul => Value(n.A, p) is var a && a == 0 ? 0 : a * Value(n.B, p),
        Op.Div => Value(n.A, p) / Value(n.B, p),
        Op.Call => Call(n, p),
        Op.Select => Truth(n.A, p) ? Value(n.B, p) : Value(n.C, p),
        _ => throw new NotSupportedException(n.ToString()),
    };

    public static bool Truth(Node n, params double[] p) => n.Op switch
    {
        Op.True => true,
        Op.False => false,
        Op.Not => !Truth(n.A, p),
        Op.And => Truth(n.A, p) && Truth(n.B, p),
        Op.Or => Truth(n.A, p) || Truth(n.B, p),
        Op.Less => Value(n.A, p) < Value(n.B, p),
        Op.LessEq => Value(n.A, p) <= Value(n.B, p),
        Op.Greater => Value(n.A, p) > Value(n.B, p),
        Op.GreaterEq => Value(n.A, p) >= Value(n.B, p),
        Op.Eq => Value(n.A, p) == Value(n.B, p),
        Op.NotEq => Value(n.A, p) != Value(n.B, p),
        _ => throw new NotSupportedException(n.ToString()),
    };

    private static double Call(Node n, double[] p)
    {
        var args = new double[n.Args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Value(n.Args[i], p);
        }

        return FunctionTable.Fold(n.Fn, args);
    }
}
