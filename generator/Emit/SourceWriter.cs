using System.Text;

namespace SymGrad.Generator.Emit;

/// <summary>A minimal indented text writer for generated source (always '\n' line endings).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _sb.Append(' ', _indent * 4);
            _sb.Append(text);
        }

        _sb.Append('\n');
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    /// <summary>The current indentation level.</summary>
    public int Depth => _indent;

    /// <summary>Starts at indentation level <paramref name="depth"/> (a writer whose text is appended to another later).</summary>
    public void Indent(int depth) => _indent = depth;

    /// <summary>Appends another writer's text as it is.</summary>
    public void Append(SourceWriter other) => _sb.Append(other._sb);

    /// <summary>Replaces every occurrence of <paramref name="text"/> in what has been written.</summary>
    public void Replace(string text, string with) => _sb.Replace(text, with);

    /// <summary>Whether nothing has been written.</summary>
    public bool IsEmpty => _sb.Length == 0;

    public override string ToString() => _sb.ToString();
}
