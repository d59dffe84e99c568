using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Functions;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Ir;

/// <summary>
/// Functions with custom derivative rules (<c>[DerivativeOf]</c>): a call is a <see cref="Fn.Custom"/> node that the
/// generated code computes by calling the function itself; its partial derivatives are expressions over the call's
/// arguments (<see cref="CustomPartial.Template"/>), instantiated into this graph when differentiation asks for them,
/// so they are differentiated again like any other node (second order).
/// </summary>
internal sealed partial class Graph
{
    private readonly Dictionary<int, FunctionEntry> _customEntries = new();
    private readonly Dictionary<(Node, int), Node?> _customPartials = new();

    /// <summary>The custom functions the <see cref="Fn.Custom"/> calls of this graph index.</summary>
    public IReadOnlyList<CustomFunction> Customs => _customs;

    /// <summary>Adds a custom function (its partials may be filled in later by <see cref="SetCustom"/>); returns its index.</summary>
    public int AddCustom(CustomFunction f)
    {
        _customs.Add(f);
        return _customs.Count - 1;
    }

    /// <summary>Replaces custom function <paramref name="index"/> (its partials once they are known).</summary>
    public void SetCustom(int index, CustomFunction f) => _customs[index] = f;

    /// <summary>A call of custom function <paramref name="index"/>: never folded or rewritten (its value is the function's own).</summary>
    public Node CustomCall(int index, Node[] args)
    {
        for (int k = 0; k < args.Length; k++)
        {
            args[k] = D(args[k]);
        }

        Node n = Intern(Op.Call, Fn.Custom, 0, index, args);
        n.Function ??= CustomEntry(index);
        return n;
    }

    /// <summary>The <see cref="FunctionEntry"/> of custom function <paramref name="index"/>: how it is printed and named.</summary>
    public FunctionEntry CustomEntry(int index)
    {
        if (_customEntries.TryGetValue(index, out FunctionEntry? e))
        {
            return e;
        }

        CustomFunction f = _customs[index];
        string placeholders = string.Join(", ", Enumerable.Range(0, f.Arity).Select(i => "{" + i.ToString(CultureInfo.InvariantCulture) + "}"));
        e = new FunctionEntry(
            Fn.Custom,
            f.Arity,
            Array.Empty<(FunctionContainer, string)>(),
            (g, n, i) => g.CustomPartial(n, i) ?? throw new InvalidOperationException("no derivative rule for argument " + i.ToString(CultureInfo.InvariantCulture) + " of " + f.Name),
            _ => throw new InvalidOperationException(f.Name + " has a custom rule and is never folded"),
            f.Method + "(" + placeholders + ")",
            f.Name + "(" + placeholders + ")")
        {
            LocalPrefix = char.ToLowerInvariant(f.Name[0]) + f.Name.Substring(1),
        };
        _customEntries[index] = e;
        return e;
    }

    /// <summary>∂n/∂(argument i) of a custom call n from its rule, or null when no rule gives it.</summary>
    public Node? CustomPartial(Node n, int i)
    {
        if (_customPartials.TryGetValue((n, i), out Node? known))
        {
            return known;
        }

        CustomPartial p = _customs[n.Index].Partials[i];
        Node? result = p.Exists ? Instantiate(p.Template, p.Root, n.Args) : null;
        _customPartials[(n, i)] = result;
        return result;
    }

    /// <summary>
    /// The expression <paramref name="template"/> (node <paramref name="root"/>) with its parameter k replaced by
    /// <paramref name="args"/>[k], built in this graph through the simplifying constructors.
    /// </summary>
    public Node Instantiate(EquatableArray<NodeRecord> template, int root, IReadOnlyList<Node> args)
    {
        var nodes = new Node[root + 1];
        for (int i = 0; i <= root; i++)
        {
            NodeRecord r = template[i];
            var a = new Node[r.Arity];
            for (int k = 0; k < a.Length; k++)
            {
                a[k] = nodes[r.Arg(k)];
            }

            Node n = r.Op switch
            {
                Op.Const => Const(r.Value),
                Op.Param => args[r.Index],
                Op.Extern => Intern(Op.Extern, Fn.None, 0, r.Index, a),
                Op.True => Bool(true),
                Op.False => Bool(false),
                Op.Neg => Neg(a[0]),
                Op.Add => Add(a[0], a[1]),
                Op.Sub => Sub(a[0], a[1]),
                Op.Mul => Mul(a[0], a[1]),
                Op.SafeMul => SafeMul(a[0], a[1]),
                Op.Div => Div(a[0], a[1]),
                Op.Call when r.Fn == Fn.Custom => CustomCall(r.Index, a),
                Op.Call => Call(r.Fn, a),
                Op.Select => Select(a[0], a[1], a[2]),
                Op.Less or Op.LessEq or Op.Greater or Op.GreaterEq or Op.Eq or Op.NotEq => Compare(r.Op, a[0], a[1]),
                Op.And => And(a[0], a[1]),
                Op.Or => Or(a[0], a[1]),
                Op.Not => Not(a[0]),
                _ => throw new InvalidOperationException("a derivative rule's expression cannot hold " + r.Op),
            };
            if (r.Op == Op.Extern)
            {
                n.Name ??= r.Name;
            }

            nodes[i] = n;
        }

        return nodes[root];
    }
}
