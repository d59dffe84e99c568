using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

        // Source positions are dropped before the expensive step, so an edit that only moves a method (typing
        // above it) re-runs neither differentiation nor emission; diagnostics get their positions back below.
        IncrementalValuesProvider<MethodModel> normalized = methods
            .Select(static (model, _) => model.WithoutLocations())
            .WithTrackingName(TrackingNames.Normalized);

        IncrementalValuesProvider<GeneratedMethod> generated = normalized
            .Select(static (model, ct) => MethodEmitter.Generate(model, ct))
            .WithTrackingName(TrackingNames.Differentiated);

        // Cheap assembly only: the expensive per-method work is cached above. All methods are seen together so that
        // hint names can be made unique; Roslyn compares them case-insensitively and throws on a duplicate, which
        // would drop every generated file (methods F and f of one type, or types G<T> and G_T_, share a name).
        context.RegisterSourceOutput(methods.Collect().Combine(generated.Collect()), static (spc, pair) =>
        {
            (var models, var outputs) = pair;
            for (int i = 0; i < models.Length; i++)
            {
                foreach (DiagnosticInfo d in models[i].Diagnostics)
                {
                    spc.ReportDiagnostic(d.ToDiagnostic());
                }
            }

            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var order = Enumerable.Range(0, outputs.Length)
                .OrderBy(i => outputs[i].HintName, StringComparer.Ordinal)
                .ThenBy(i => outputs[i].Source, StringComparer.Ordinal);
            foreach (int i in order)
            {
                GeneratedMethod output = outputs[i];
                MethodModel? located = i < models.Length && models[i].HintName == output.HintName ? models[i] : null;
                foreach (DiagnosticInfo d in output.Diagnostics)
                {
                    spc.ReportDiagnostic(Relocate(d, located).ToDiagnostic());
                }

                if (output.Source is not null)
                {
                    spc.AddSource(UniqueHintName(output.HintName, used), output.Source);
                }
            }
        });
    }

    /// <summary>Puts a diagnostic from the location-free step back at its place: the parameter it names, or the method.</summary>
    private static DiagnosticInfo Relocate(DiagnosticInfo d, MethodModel? located)
    {
        if (d.Location is not null || located is null)
        {
            return d;
        }

        if (d.Id == Diagnostics.ZeroDerivative.Id && d.MessageArgs.Count > 1)
        {
            foreach (ParameterInfo p in located.Parameters)
            {
                if (p.Name == d.MessageArgs[1] && p.Location is not null)
                {
                    return d with { Location = p.Location };
                }
            }
        }

        return d with { Location = located.Location };
    }

    /// <summary><paramref name="hintName"/>, or for a repeat <c>X.2.g.cs</c>, <c>X.3.g.cs</c>, … (a method name cannot be a number).</summary>
    private static string UniqueHintName(string hintName, HashSet<string> used)
    {
        string candidate = hintName;
        string stem = hintName.EndsWith(".g.cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 5) : hintName;
        for (int i = 2; !used.Add(candidate); i++)
        {
            candidate = stem + "." + i.ToString(CultureInfo.InvariantCulture) + ".g.cs";
        }

        return candidate;
    }
}
