using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generator.Emit;
using SymGrad.Generator.Model;
using SymGrad.Generator.Parsing;

namespace SymGrad.Generator;

/// <summary>
/// The SymGrad source generator. Wiring only: each <c>[Differentiable]</c> method is parsed and lowered
/// to an equatable model (<see cref="TrackingNames.Methods"/>), then differentiated and emitted in its
/// own step (<see cref="TrackingNames.Differentiated"/>), so editing one method never re-derives another.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SymGradGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<MethodModel> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.DifferentiableAttribute,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Methods);

        IncrementalValuesProvider<GeneratedMethod> generated = methods
            .Select(static (model, ct) => MethodEmitter.Generate(model, ct))
            .WithTrackingName(TrackingNames.Differentiated);

        context.RegisterSourceOutput(generated, static (spc, output) =>
        {
            foreach (DiagnosticInfo d in output.Diagnostics)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }

            if (output.Source is not null)
            {
                spc.AddSource(output.HintName, output.Source);
            }
        });
    }
}
