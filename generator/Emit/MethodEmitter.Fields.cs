using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Emit;

/// <summary>
/// The members of a field model: a method that reads the type's <c>[Param]</c> fields. It is lowered and
/// differentiated as a static method whose leading parameters are the fields (those static members are emitted as for
/// any method, e.g. <c>LossGradient(W, b, x, y, gradient)</c>); this writes the forms a user calls on the model itself,
/// which pass the fields in (<c>model.LossGradient(x, y, gradient)</c>), and the bridge between the fields and the
/// optimizers' flat parameter vector (<c>LossGetParameters</c>, <c>LossSetParameters</c>, <c>CreateLossObjective</c>).
/// </summary>
internal static partial class MethodEmitter
{
    private static void WriteFieldMembers(SourceWriter w, MethodModel m, bool partials, bool batch)
    {
        ParameterInfo[] ps = m.Parameters.ToArray();
        int fieldCount = m.FieldCount;
        ParameterInfo[] allFields = ps.Take(fieldCount).ToArray();
        ParameterInfo[] fields = allFields.Where(p => !p.IsContext).ToArray(); // the trained ones, the parameter vector's layout
        ParameterInfo[] context = allFields.Where(p => p.IsContext).ToArray(); // the other fields the method reads
        ParameterInfo[] own = ps.Skip(fieldCount).ToArray();
        string acc = m.Accessibility;
        string mod = m.IsInstance ? string.Empty : "static ";
        var userNames = new HashSet<string>(own.Select(p => p.Name));
        string Fresh(string name)
        {
            while (userNames.Contains(name))
            {
                name += "_";
            }

            return name;
        }

        string gradient = Fresh("gradient");
        string hessian = Fresh("hessian");
        string direction = Fresh("direction");
        string product = Fresh("product");
        string ownList = string.Join(", ", own.Select(p => p.Type + " " + CSharp.Identifier(p.Name)));
        string allArgs = string.Join(", ", allFields.Select(p => p.Field!).Concat(own.Select(p => CSharp.Identifier(p.Name))));
        string Params(params string[] extra) => string.Join(", ", new[] { ownList }.Concat(extra).Where(s => s.Length > 0));
        string Args(params string[] extra) => string.Join(", ", new[] { allArgs }.Concat(extra).Where(s => s.Length > 0));

        // The flat layout of the fields: scalars one slot each, arrays their length.
        var offsets = new List<string>();
        var terms = new List<string>();
        int scalars = 0;
        foreach (ParameterInfo f in fields)
        {
            offsets.Add(string.Join(" + ", terms.Concat(scalars > 0 ? new[] { scalars.ToString(CultureInfo.InvariantCulture) } : new string[0]).DefaultIfEmpty("0")));
            if (f.IsArray)
            {
                terms.Add(f.Field + ".Length");
            }
            else
            {
                scalars++;
            }
        }

        string size = string.Join(" + ", (scalars > 0 || terms.Count == 0 ? new[] { scalars.ToString(CultureInfo.InvariantCulture) } : new string[0]).Concat(terms));
        string layout = string.Join(", ", fields.Select(f => f.IsArray ? f.Name + "[0.." + f.Name + ".Length]" : f.Name));
        string owner = m.IsInstance ? "this object's" : "the type's";

        w.Line("/// <summary>");
        w.Line("/// Value and gradient of <see cref=\"" + MethodCref(m) + "\"/> with respect to " + owner + " [Param] fields: writes ∂" + m.Name + "/∂p into");
        w.Line("/// <paramref name=\"" + gradient + "\"/> for p = " + layout + ", flat, in that order (then any [Wrt] parameters).");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Line(acc + " " + mod + "double " + m.Name + "Gradient(" + Params("global::System.Span<double> " + gradient) + ")");
        w.Line("    => " + m.Name + "Gradient(" + Args(gradient) + ");");
        w.Line();
        if (partials)
        {
            w.Line("/// <summary>Value and gradient of <see cref=\"" + MethodCref(m) + "\"/> with respect to " + owner + " [Param] fields, one property per field.</summary>");
            w.Line(GeneratedCode);
            w.Line(acc + " " + mod + m.Name + "Partials " + m.Name + "Gradient(" + ownList + ")");
            w.Line("    => " + m.Name + "Gradient(" + allArgs + ");");
            w.Line();
        }

        if (batch)
        {
            // MBatchGradient(data spans…, weights…, gradient): the weights are the fields (and any [Wrt] parameters).
            ParameterInfo[] data = own.Where(p => !p.IsDifferentiated).ToArray();
            ParameterInfo[] wrtOwn = own.Where(p => p.IsDifferentiated).ToArray();
            string spans = string.Join(", ", data.Select(p => "global::System.ReadOnlySpan<double> " + CSharp.Identifier(p.Name)).Concat(wrtOwn.Select(p => p.Type + " " + CSharp.Identifier(p.Name))));
            string batchArgs = string.Join(", ", data.Select(p => CSharp.Identifier(p.Name)).Concat(fields.Select(p => p.Field!)).Concat(wrtOwn.Select(p => CSharp.Identifier(p.Name))));
            w.Line("/// <summary>Σ over a batch (one span per data parameter) of <see cref=\"" + MethodCref(m) + "\"/> and of its gradient with respect to " + owner + " [Param] fields.</summary>");
            w.Line(GeneratedCode);
            w.Line(acc + " " + mod + "double " + m.Name + "BatchGradient(" + spans + ", global::System.Span<double> " + gradient + ")");
            w.Line("    => " + m.Name + "BatchGradient(" + batchArgs + ", " + gradient + ");");
            w.Line();
            w.Line("/// <summary>Σ over a batch (one span per data parameter) of <see cref=\"" + MethodCref(m) + "\"/> at " + owner + " [Param] fields.</summary>");
            w.Line(GeneratedCode);
            w.Line(acc + " " + mod + "double " + m.Name + "BatchValue(" + spans + ")");
            w.Line("    => " + m.Name + "BatchValue(" + batchArgs + ");");
            w.Line();
        }

        if (m.Hessian)
        {
            w.Line("/// <summary>Value, gradient and Hessian (row-major, the gradient's layout) with respect to " + owner + " [Param] fields.</summary>");
            w.Line(GeneratedCode);
            w.Line(acc + " " + mod + "double " + m.Name + "Hessian(" + Params("global::System.Span<double> " + gradient, "global::System.Span<double> " + hessian) + ")");
            w.Line("    => " + m.Name + "Hessian(" + Args(gradient, hessian) + ");");
            w.Line();
            w.Line("/// <summary>Value, gradient and H·<paramref name=\"" + direction + "\"/> with respect to " + owner + " [Param] fields.</summary>");
            w.Line(GeneratedCode);
            w.Line(acc + " " + mod + "double " + m.Name + "HessianVectorProduct(" + Params("global::System.ReadOnlySpan<double> " + direction, "global::System.Span<double> " + gradient, "global::System.Span<double> " + product) + ")");
            w.Line("    => " + m.Name + "HessianVectorProduct(" + Args(direction, gradient, product) + ");");
            w.Line();
        }

        w.Line("/// <summary>Number of doubles in " + owner + " [Param] fields (" + layout + "): the length of the parameter vector.</summary>");
        w.Line(GeneratedCode);
        w.Line(acc + " " + mod + "int " + m.Name + "ParameterCount => " + size + ";");
        w.Line();
        w.Line("/// <summary>Copies " + owner + " [Param] fields into <paramref name=\"parameters\"/>, flat (" + layout + "), e.g. to start an optimizer.</summary>");
        w.Line(GeneratedCode);
        w.Open(acc + " " + mod + "void " + m.Name + "GetParameters(global::System.Span<double> parameters)");
        FieldLengthCheck(w, size, layout);
        for (int i = 0; i < fields.Length; i++)
        {
            w.Line(fields[i].IsArray
                ? "global::System.MemoryExtensions.AsSpan(" + fields[i].Field + ").CopyTo(parameters.Slice(" + offsets[i] + ", " + fields[i].Field + ".Length));"
                : "parameters[" + offsets[i] + "] = " + fields[i].Field + ";");
        }

        w.Close();
        w.Line();
        w.Line("/// <summary>Sets " + owner + " [Param] fields from <paramref name=\"parameters\"/>, flat (" + layout + "), e.g. after training.</summary>");
        w.Line(GeneratedCode);
        w.Open(acc + " " + mod + "void " + m.Name + "SetParameters(global::System.ReadOnlySpan<double> parameters)");
        FieldLengthCheck(w, size, layout);
        for (int i = 0; i < fields.Length; i++)
        {
            w.Line(fields[i].IsArray
                ? "parameters.Slice(" + offsets[i] + ", " + fields[i].Field + ".Length).CopyTo(" + fields[i].Field + ");"
                : fields[i].Field + " = parameters[" + offsets[i] + "];");
        }

        w.Close();
        w.Line();
        string objective = m.Name + "Objective";
        if (own.Any(p => p.IsDifferentiated && p.IsArray))
        {
            return; // the objective also needs the length of a [Wrt] array parameter: construct it directly
        }

        string lengths = string.Join(", ", fields.Where(p => p.IsArray).Select(p => p.Field + ".Length").Concat(context.Select(p => p.Field!)));
        w.Line("/// <summary>");
        w.Line("/// <see cref=\"" + objective + "\"/> for " + owner + " [Param] fields as they are sized now: train a vector filled by");
        w.Line("/// <see cref=\"" + m.Name + "GetParameters\"/>, then store the result with <see cref=\"" + m.Name + "SetParameters\"/>.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Line(acc + " " + mod + objective + " Create" + objective + "() => new " + objective + "(" + lengths + ");");
    }

    private static void FieldLengthCheck(SourceWriter w, string size, string layout)
    {
        w.Open("if (parameters.Length < " + size + ")");
        w.Line("throw new global::System.ArgumentException(\"parameters needs \" + (" + size + ") + \" elements (" + layout + ") but has \" + parameters.Length + \".\", nameof(parameters));");
        w.Close();
        w.Line();
    }
}
