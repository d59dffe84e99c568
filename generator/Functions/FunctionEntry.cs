using System;
using System.Text;
using SymGrad.Generator.Ir;

namespace SymGrad.Generator.Functions;

/// <summary>The class whose static method the lowerer maps to a built-in function.</summary>
internal enum FunctionContainer : byte
{
    /// <summary><c>System.Math</c> (and, through it, the generic-math statics of <c>double</c>).</summary>
    Math,

    /// <summary><c>SymGrad.SymMath</c>.</summary>
    SymMath,

    /// <summary><c>double</c>'s own statics that <c>Math</c> does not have (<c>double.Hypot</c>, <c>double.LogP1</c>, …).</summary>
    Double,
}

/// <summary>∂n/∂(argument i) of a call node n = f(args), built in graph g from n and its arguments.</summary>
internal delegate Node PartialRule(Graph g, Node n, int i);

/// <summary>How the lowerer reports a call whose derivative is a convention rather than a limit.</summary>
internal sealed record KinkNote(string Where, string Value);

/// <summary>
/// Everything the generator knows about one built-in function, in one place: the C# methods the lowerer maps to it,
/// its derivative rule, how it folds on constants, the C# it is emitted as and how the formula comments show it.
/// Templates use {0}, {1}, {2} for the arguments.
/// </summary>
internal sealed record FunctionEntry
{
    public FunctionEntry(Fn fn, int arity, (FunctionContainer Container, string Name)[] accepts, PartialRule partial, Func<double[], double> fold, string csharp, string display)
    {
        Fn = fn;
        Arity = arity;
        Accepts = accepts;
        Partial = partial;
        Fold = fold;
        CSharp = csharp;
        Display = display;
    }

    public Fn Fn { get; }

    /// <summary>The number of (double) arguments.</summary>
    public int Arity { get; }

    /// <summary>The static methods, each taking <see cref="Arity"/> doubles, that lower to this function.</summary>
    public (FunctionContainer Container, string Name)[] Accepts { get; init; }

    /// <summary>The first-order rule; second order differentiates the nodes it builds.</summary>
    public PartialRule Partial { get; }

    /// <summary>The value on constant arguments, as the emitted code computes it at run time.</summary>
    public Func<double[], double> Fold { get; }

    /// <summary>The emitted C# expression (a call, unless <see cref="CSharpIsConditional"/>).</summary>
    public string CSharp { get; }

    /// <summary>The emitted C# is a conditional expression (its arguments are printed as comparison operands).</summary>
    public bool CSharpIsConditional { get; init; }

    /// <summary>The formula-comment text.</summary>
    public string Display { get; }

    /// <summary>Arguments in <see cref="Display"/> are printed as atoms (parenthesised unless primary), e.g. for a^b.</summary>
    public bool DisplayAtoms { get; init; }

    /// <summary>The prefix of an emitted temporary holding the call (<c>exp3</c>, <c>dsigmoid5</c>).</summary>
    public string? LocalPrefix { get; init; }

    /// <summary>A kink where the lowerer reports the subgradient chosen (SG diagnostic Kink).</summary>
    public KinkNote? Kink { get; init; }

    /// <summary>A step function: the lowerer reports that its derivative is 0 (SG diagnostic NonDifferentiable).</summary>
    public bool NonDifferentiable { get; init; }

    /// <summary>
    /// The derivative function this one is emitted together with when both are needed for one argument, and the C#
    /// method returning both (<c>SymMath.Sigmoid(x, out σ′)</c>): one exponential instead of two.
    /// </summary>
    public (Fn Derivative, string Method)? Fused { get; init; }

    /// <summary>The emitted C# for printed arguments.</summary>
    public string EmitCSharp(string[] args) => Fill(CSharp, args);

    /// <summary>
    /// The emitted C# in a method computing in <paramref name="real"/>: <see cref="CSharp"/> for double; for float
    /// <see cref="FloatCSharp"/>, or by default MathF for Math and SymMathF for SymMath; for a type parameter T
    /// <see cref="GenericCSharp"/> (with T for <c>{T}</c>), or by default SymMath&lt;T&gt; for both.
    /// </summary>
    public string EmitCSharp(string[] args, Emit.RealType real) => real.Kind switch
    {
        RealKind.Float => Fill(FloatCSharp ?? real.Functions(CSharp), args),
        RealKind.Generic => Fill(GenericCSharp is null ? real.Functions(CSharp) : GenericCSharp.Replace("{T}", real.Name), args),
        _ => Fill(CSharp, args),
    };

    /// <summary>The emitted C# in a float method, where the default (see <see cref="EmitCSharp(string[], Emit.RealType)"/>) does not fit.</summary>
    public string? FloatCSharp { get; init; }

    /// <summary>The emitted C# in a generic method (<c>{T}</c>: the type parameter), where the default does not fit.</summary>
    public string? GenericCSharp { get; init; }

    /// <summary>The formula-comment text for printed arguments.</summary>
    public string EmitDisplay(string[] args) => Fill(Display, args);

    /// <summary>How many times argument <paramref name="i"/> is printed in <see cref="CSharp"/>.</summary>
    public int CSharpUses(int i)
    {
        string marker = "{" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
        int count = 0;
        for (int at = CSharp.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = CSharp.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Fill(string template, string[] args)
    {
        var sb = new StringBuilder();
        for (int k = 0; k < template.Length; k++)
        {
            if (template[k] == '{' && k + 2 < template.Length && template[k + 2] == '}' && template[k + 1] is >= '0' and <= '9')
            {
                sb.Append(args[template[k + 1] - '0']);
                k += 2;
            }
            else
            {
                sb.Append(template[k]);
            }
        }

        return sb.ToString();
    }
}
