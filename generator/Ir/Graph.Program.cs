using System;

namespace SymGrad.Generator.Ir;

/// <summary>Program-mode nodes: variables read at the start of a block, array elements and lengths, and integers.</summary>
internal sealed partial class Graph
{
    /// <summary>The value of program variable <paramref name="id"/> at the start of the enclosing block.</summary>
    public Node Var(int id, VarType type, string name)
    {
        Node n = Intern(Op.Var, Fn.None, (double)type, id, Array.Empty<Node>());
        n.Name ??= name;
        return n;
    }

    /// <summary>Element <paramref name="index"/> of array <paramref name="array"/>.</summary>
    public Node Load(int array, VarType elementType, Node index) => Intern(Op.Load, Fn.None, (double)elementType, array, new[] { I(index) });

    public Node Length(int array) => Intern(Op.Length, Fn.None, 0, array, Array.Empty<Node>());

    /// <summary><c>X[row, column]</c> of a matrix, <c>X[row][column]</c> of a jagged array (see <see cref="ArrayShape"/>).</summary>
    public Node Load2(int array, VarType elementType, Node row, Node column) => Intern(Op.Load, Fn.None, (double)elementType, array, new[] { I(row), I(column) });

    /// <summary><c>X.GetLength(dimension)</c> of a matrix (dimension 0 or 1).</summary>
    public Node Dimension(int array, int dimension) => Intern(Op.Length, Fn.None, dimension + 1, array, Array.Empty<Node>());

    /// <summary>The number of structs in an array of structs read through a flat view (printed on the parameter itself).</summary>
    public Node StructCount(int array) => Intern(Op.Length, Fn.None, -1, array, Array.Empty<Node>());

    /// <summary><c>X[row].Length</c> of a jagged array.</summary>
    public Node RowLength(int array, Node row) => Intern(Op.Length, Fn.None, 0, array, new[] { I(row) });

    public Node IConst(long value) => Intern(Op.IConst, Fn.None, value, 0, Array.Empty<Node>());

    /// <summary>Whether <paramref name="n"/> can be used as an int: an int node or an integral double constant.</summary>
    public static bool IsIntLike(Node n) => n.IsInt || (n.IsConst && n.Value == Math.Floor(n.Value) && Math.Abs(n.Value) < 9.0e15)
        || (n.Op == Op.Select && IsIntLike(n.Args[1]) && IsIntLike(n.Args[2]));

    /// <summary><paramref name="n"/> as an int node (an integral double constant becomes an int constant).</summary>
    public Node I(Node n)
    {
        if (n.IsInt)
        {
            return n;
        }

        if (n.IsConst)
        {
            return IConst((long)n.Value);
        }

        if (n.Op == Op.Select && IsIntLike(n.B) && IsIntLike(n.C))
        {
            return Intern(Op.Select, Fn.None, 0, 0, new[] { n.A, I(n.B), I(n.C) });
        }

        throw new InvalidOperationException("not an integer: " + n);
    }

    /// <summary><paramref name="n"/> as a double: an int becomes a conversion (or a double constant).</summary>
    public Node D(Node n)
    {
        if (!n.IsInt)
        {
            return n;
        }

        return n.Op == Op.IConst ? Const(n.Value) : Intern(Op.ToDouble, Fn.None, 0, 0, new[] { n });
    }

    /// <summary>
    /// <c>(int)x</c> of a real: truncation toward zero, as C# converts; a constant within int's range folds. Its derivative
    /// is 0 (an int), so a table index computed from a parameter, <c>(int)((q − x0) / dx)</c>, carries none.
    /// </summary>
    public Node ToInt(Node real)
    {
        real = D(real);
        if (real.IsConst && Math.Abs(real.Value) < int.MaxValue)
        {
            return IConst((long)Math.Truncate(real.Value));
        }

        return Intern(Op.ToInt, Fn.None, 0, 0, new[] { real });
    }

    /// <summary>Integer arithmetic with C# semantics (truncating division); constants fold.</summary>
    public Node IntOp(Op op, Node a, Node b)
    {
        a = I(a);
        b = I(b);
        if (a.Op == Op.IConst && b.Op == Op.IConst && !(op is Op.IDiv or Op.IRem && b.Value == 0))
        {
            long x = (long)a.Value;
            long y = (long)b.Value;
            return IConst(op switch
            {
                Op.IAdd => x + y,
                Op.ISub => x - y,
                Op.IMul => x * y,
                Op.IDiv => x / y,
                _ => x % y,
            });
        }

        switch (op)
        {
            case Op.IAdd when a.Op == Op.IConst && a.Value == 0:
                return b;
            case Op.IAdd or Op.ISub when b.Op == Op.IConst && b.Value == 0:
                return a;
            case Op.IMul or Op.IDiv when b.Op == Op.IConst && b.Value == 1:
                return a;
            case Op.IMul when a.Op == Op.IConst && a.Value == 1:
                return b;
            case Op.IMul when (a.Op == Op.IConst && a.Value == 0) || (b.Op == Op.IConst && b.Value == 0):
                return IConst(0);
            case Op.ISub when a == b:
                return IConst(0);
        }

        return Intern(op, Fn.None, 0, 0, new[] { a, b });
    }

    public Node INeg(Node a)
    {
        a = I(a);
        return a.Op == Op.IConst ? IConst(-(long)a.Value) : a.Op == Op.INeg ? a.A : Intern(Op.INeg, Fn.None, 0, 0, new[] { a });
    }

    /// <summary>Interns a node exactly as given (no simplification): used when a program is read back from its model.</summary>
    internal Node Raw(Op op, Fn fn, double value, int index, Node[] args) => Intern(op, fn, value, index, args);
}
