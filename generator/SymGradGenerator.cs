using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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

        // Differentiation sees the model without source locations, so an edit that only moves a method (typing above
        // it) does not re-derive it; its diagnostics name the method or a parameter and are located in the output step.
        IncrementalValuesProvider<GeneratedMethod> generated = methods
            .Select(static (model, _) => model.ForDerivation())
            .Select(static (model, ct) => MethodEmitter.Generate(model, ct))
            .WithTrackingName(TrackingNames.Differentiated);

        // Cheap assembly only: the expensive per-method work is cached above. All methods are seen together so that
        // hint names can be made unique; Roslyn compares them case-insensitively and throws on a duplicate, which
        // would drop every generated file (methods F and f of one type, or types G<T> and G_T_, share a name).
        context.RegisterSourceOutput(generated.Collect(), static (spc, outputs) =>
        {
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (GeneratedMethod output in outputs.OrderBy(o => o.HintName, StringComparer.Ordinal).ThenBy(o => o.Source, StringComparer.Ordinal))
            {
                if (output.Source is not null)
                {
                    spc.AddSource(UniqueHintName(output.HintName, used), output.Source);
                }
            }
        });

        // Custom derivative rules declared in this compilation are checked where they are declared (calls find and check
        // the rules they use by themselves, so this step only reports).
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> ruleChecks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                RuleIndex.DerivativeOfAttribute,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, ct) => RuleChecker.Check(ctx, ct))
            .WithTrackingName(TrackingNames.Rules);

        // Diagnostics are reported against the user's syntax trees (found by path), so that #pragma warning disable
        // and .editorconfig severities apply to them; the models themselves hold only plain positions. This step
        // re-runs on every edit, but it only reports diagnostics.
        IncrementalValueProvider<ImmutableArray<SyntaxTree>> trees = context.CompilationProvider
            .Select(static (compilation, _) => compilation.SyntaxTrees.ToImmutableArray());
        context.RegisterSourceOutput(ruleChecks.Collect().Combine(trees), static (spc, input) =>
        {
            Dictionary<string, SyntaxTree> byPath = ByPath(input.Right);
            foreach (DiagnosticInfo d in input.Left.SelectMany(static checks => checks))
            {
                spc.ReportDiagnostic(d.ToDiagnostic(path => byPath.TryGetValue(path, out SyntaxTree? tree) ? tree : null));
            }
        });
        context.RegisterSourceOutput(methods.Collect().Combine(generated.Collect()).Combine(trees), static (spc, input) =>
        {
            // generated is methods mapped item by item, so the two arrays line up.
            ((ImmutableArray<MethodModel> models, ImmutableArray<GeneratedMethod> outputs), ImmutableArray<SyntaxTree> syntaxTrees) = input;
            Dictionary<string, SyntaxTree> byPath = ByPath(syntaxTrees);
            SyntaxTree? TreeAt(string path) => byPath.TryGetValue(path, out SyntaxTree? tree) ? tree : null;
            for (int i = 0; i < models.Length && i < outputs.Length; i++)
            {
                foreach (DiagnosticInfo d in models[i].Diagnostics)
                {
                    spc.ReportDiagnostic(d.ToDiagnostic(TreeAt));
                }

                foreach (DiagnosticInfo d in outputs[i].Diagnostics)
                {
                    spc.ReportDiagnostic(d.Resolve(models[i]).ToDiagnostic(TreeAt));
                }
            }
        });
    }

    private static Dictionary<string, SyntaxTree> ByPath(ImmutableArray<SyntaxTree> trees)
    {
        var byPath = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in trees)
        {
            byPath[tree.FilePath] = tree;
        }

        return byPath;
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
