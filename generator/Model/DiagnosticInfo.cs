using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SymGrad.Generator.Model;

/// <summary>A source location as plain data (a <see cref="Location"/> holds a syntax tree and breaks caching).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

    public static LocationInfo? From(Location location)
    {
        if (location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}

/// <summary>A diagnostic as plain, equatable data; turned into a <see cref="Diagnostic"/> only when reported.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    private const int NotAnchored = int.MinValue;
    private const int AtMethod = -1;

    /// <summary>
    /// For a diagnostic found while differentiating the location-free model: where it belongs, <see cref="AtMethod"/>
    /// or a parameter index; <see cref="Resolve"/> turns it into a location.
    /// </summary>
    public int Anchor { get; init; } = NotAnchored;

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args)
        => new(descriptor.Id, location, new EquatableArray<string>(args));

    /// <summary>A diagnostic at the method's name, located later by <see cref="Resolve"/>.</summary>
    public static DiagnosticInfo AtMethodName(DiagnosticDescriptor descriptor, params string[] args)
        => Create(descriptor, null, args) with { Anchor = AtMethod };

    /// <summary>A diagnostic at parameter <paramref name="index"/>, located later by <see cref="Resolve"/>.</summary>
    public static DiagnosticInfo AtParameter(DiagnosticDescriptor descriptor, int index, params string[] args)
        => Create(descriptor, null, args) with { Anchor = index };

    /// <summary>This diagnostic with its anchor replaced by the location in <paramref name="model"/>.</summary>
    public DiagnosticInfo Resolve(MethodModel model) => Anchor switch
    {
        NotAnchored => this,
        AtMethod => this with { Location = model.Location, Anchor = NotAnchored },
        _ => this with { Location = Anchor < model.Parameters.Count ? model.Parameters[Anchor].Location : model.Location, Anchor = NotAnchored },
    };

    public Diagnostic ToDiagnostic() => ToDiagnostic(static _ => null);

    /// <summary>The formatted message (invariant culture).</summary>
    public string Message
    {
        get
        {
            object[] args = new object[MessageArgs.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = MessageArgs[i];
            }

            return string.Format(System.Globalization.CultureInfo.InvariantCulture, Diagnostics.ById(Id).MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), args);
        }
    }

    /// <summary>The diagnostic, located in the syntax tree at its path when there is one (so #pragma applies).</summary>
    public Diagnostic ToDiagnostic(System.Func<string, SyntaxTree?> treeAt)
    {
        DiagnosticDescriptor descriptor = Diagnostics.ById(Id);
        object[] args = new object[MessageArgs.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = MessageArgs[i];
        }

        Location location = Location is null
            ? Microsoft.CodeAnalysis.Location.None
            : treeAt(Location.FilePath) is SyntaxTree tree && Location.Span.End <= tree.Length
                ? Microsoft.CodeAnalysis.Location.Create(tree, Location.Span)
                : Location.ToLocation();
        return Diagnostic.Create(descriptor, location, args);
    }
}
