using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Tests.Fuzzing;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace SymGrad.Tests.Generic;

/// <summary>
/// Robustness of generic methods: the program fuzzers' supported programs, rewritten in generic math (every method
/// returning double becomes <c>T M&lt;T&gt;(…) where T : IFloatingPointIeee754&lt;T&gt;</c>, <c>double</c> → <c>T</c>,
/// <c>Math.F</c> → <c>T.F</c>, <c>SymMath.F</c> → <c>SymMath&lt;T&gt;.F</c>, a fraction literal c → <c>T.CreateChecked(c)</c>,
/// <c>(double)e</c> → <c>T.CreateChecked(e)</c>), never make the generator throw or fail internally (SG9999): each
/// program that is valid C# after the rewrite gets an error diagnostic or generated code that compiles with no error
/// or warning.
/// </summary>
public sealed class GenericFuzzTests
{
    private readonly ITestOutputHelper _output;

    public GenericFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Fuzzed_programs_in_generic_math_get_a_diagnostic_or_clean_code_and_never_an_exception()
    {
        var cases = new List<FCase>();
        ProgramGen.Batch(ProgramGen.Supported, 150).Sample(batch => cases.AddRange(batch), seed: new PCG(3_200_000u, FuzzSettings.DefaultSeed).ToString(), iter: 1, threads: 1);
        Check(cases.Select(c => ToGeneric(FuzzText.Source(c))).ToList(), 40);
    }

    [Fact]
    public void Fuzzed_loop_programs_in_generic_math_get_a_diagnostic_or_clean_code_and_never_an_exception()
    {
        LCase[] cases = LoopGen.Batch(LoopGen.Case(LoopGrammar.Current), 120).Generate(new PCG(3_300_000u, FuzzSettings.DefaultSeed), null, out Size _);
        Check(cases.Select(c => ToGeneric(LText.Source(c))).ToList(), 40);
    }

    private void Check(List<string> sources, int minimumGenerated) => RewrittenProgramsCheck.Check(sources, minimumGenerated, "generic math", _output);

    /// <summary>A double program rewritten in generic math (the semantic model finds the ints converted to double).</summary>
    public static string ToGeneric(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);
        SyntaxTree tree = compilation.SyntaxTrees[0];
        return new GenericRewriter(compilation.GetSemanticModel(tree)).Visit(tree.GetRoot())!.NormalizeWhitespace().ToFullString();
    }

    private sealed class GenericRewriter : CSharpSyntaxRewriter
    {
        private static readonly TypeSyntax T = SyntaxFactory.IdentifierName("T");

        private readonly SemanticModel _model;

        public GenericRewriter(SemanticModel model) => _model = model;

        public override SyntaxNode? Visit(SyntaxNode? node)
        {
            // An int (or long) expression converted to double (2 * x, x / n, an int argument of a double parameter): T.CreateChecked(it).
            if (node is ExpressionSyntax e && node is not (LiteralExpressionSyntax { Token.Value: double } or CastExpressionSyntax)
                && !(node.Parent is MemberAccessExpressionSyntax ma && ma.Name == node)
                && _model.GetTypeInfo(e) is { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64, ConvertedType.SpecialType: SpecialType.System_Double })
            {
                return CreateChecked((ExpressionSyntax)base.Visit(node)!);
            }

            return base.Visit(node);
        }

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            bool real = node.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.DoubleKeyword } && node.TypeParameterList is null;
            var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            if (!real)
            {
                return visited;
            }

            return visited
                .WithTypeParameterList(SyntaxFactory.TypeParameterList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.TypeParameter("T"))))
                .WithConstraintClauses(SyntaxFactory.SingletonList(SyntaxFactory.TypeParameterConstraintClause("T").AddConstraints(
                    SyntaxFactory.TypeConstraint(SyntaxFactory.ParseTypeName("System.Numerics.IFloatingPointIeee754<T>")))));
        }

        public override SyntaxNode? VisitPredefinedType(PredefinedTypeSyntax node) =>
            node.Keyword.IsKind(SyntaxKind.DoubleKeyword) ? T.WithTriviaFrom(node) : base.VisitPredefinedType(node);

        public override SyntaxNode? VisitLiteralExpression(LiteralExpressionSyntax node) =>
            node.IsKind(SyntaxKind.NumericLiteralExpression) && node.Token.Value is double
                ? CreateChecked(node)
                : base.VisitLiteralExpression(node);

        public override SyntaxNode? VisitCastExpression(CastExpressionSyntax node) =>
            node.Type is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.DoubleKeyword }
                ? CreateChecked((ExpressionSyntax)base.Visit(node.Expression)!)
                : base.VisitCastExpression(node);

        public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
        {
            if (node.Expression is IdentifierNameSyntax { Identifier.ValueText: "Math" })
            {
                return node.WithExpression(T);
            }

            if (node.Expression is IdentifierNameSyntax { Identifier.ValueText: "SymMath" })
            {
                return node.WithExpression(SyntaxFactory.ParseTypeName("SymMath<T>"));
            }

            return base.VisitMemberAccessExpression(node);
        }

        private static ExpressionSyntax CreateChecked(ExpressionSyntax value) =>
            SyntaxFactory.InvocationExpression(SyntaxFactory.ParseExpression("T.CreateChecked"), SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(value))));
    }
}
