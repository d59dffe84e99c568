using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Corpus;
using SymGrad.Tests.CustomRules;
using SymGrad.Tests.Float;
using SymGrad.Tests.Generic;
using SymGrad.Tests.Infrastructure;
using Xunit;

namespace SymGrad.Tests.GeneratorTests;

/// <summary>
/// The generated XML doc comments are valid in a project with <c>GenerateDocumentationFile</c>: the other tests parse
/// with <see cref="DocumentationMode.Parse"/>, which reports no doc-comment diagnostic at all, so an ambiguous
/// <c>&lt;see cref="LossBatchGradient"/&gt;</c> (two overloads: CS0419) went unnoticed there and broke a user's
/// <c>TreatWarningsAsErrors</c> build. Here every representative model is compiled with
/// <see cref="DocumentationMode.Diagnose"/>, and the generated files must have no warning at all.
/// </summary>
public sealed class DocumentationCommentTests
{
    /// <summary>Field models whose members are overloaded in every way the emitters know, and a user overload of M.</summary>
    private const string Overloads = """
        using System;
        using SymGrad;

        namespace Docs
        {
            /// <summary>Static [Param] fields and scalar data: two MBatchGradient and MBatchValue overloads (explicit fields, the type's own).</summary>
            public static partial class Line
            {
                /// <summary>Slope.</summary>
                [Param] public static double A = 1.0;

                /// <summary>Intercept.</summary>
                [Param] public static double B;

                /// <summary>Squared error.</summary>
                [Differentiable(Hessian = true)]
                public static double Loss(double x, double y)
                {
                    double e = A * x + B - y;
                    return e * e;
                }
            }

            /// <summary>Instance [Param] fields, scalar data, a Hessian.</summary>
            public partial class Unit
            {
                /// <summary>Weight.</summary>
                [Param] public double W = 0.5;

                /// <summary>Bias.</summary>
                [Param] public double Bias;

                /// <summary>Squared error of a tanh unit.</summary>
                [Differentiable(Hessian = true)]
                public double Loss(double x, double y)
                {
                    double e = Math.Tanh(W * x + Bias) - y;
                    return e * e;
                }
            }

            /// <summary>Array [Param] fields in loops (program mode) with scalar data: the sequential batch members.</summary>
            public partial class Net
            {
                /// <summary>Weights.</summary>
                [Param] public double[] W = new double[3];

                /// <summary>Bias.</summary>
                [Param] public double Bias;

                /// <summary>A loss.</summary>
                [Differentiable(Hessian = true)]
                public double Loss(double x, double y)
                {
                    double s = Bias;
                    for (int i = 0; i < W.Length; i++)
                    {
                        s += Math.Tanh(W[i] * x);
                    }

                    return (s - y) * (s - y);
                }
            }

            /// <summary>The user's own overload of a differentiated method's name, and methods of every shape.</summary>
            public static partial class Plain
            {
                /// <summary>A scalar method with a Hessian.</summary>
                [Differentiable(Hessian = true)]
                public static double Rosen(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

                /// <summary>Not differentiated: another overload of the name.</summary>
                public static double Rosen(double x) => Rosen(x, x);

                /// <summary>Program mode with a Hessian.</summary>
                [Differentiable(Hessian = true)]
                public static double Sum(double[] x, ReadOnlySpan<double> c)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s += c[i] * Math.Exp(x[i]);
                    }

                    return s;
                }

                /// <summary>Scalar data: batched.</summary>
                [Differentiable(Hessian = true)]
                public static double Fit(double t, double y, [Wrt] double a, [Wrt] double k)
                {
                    double e = a * Math.Exp(-k * t) - y;
                    return e * e;
                }

                /// <summary>Scalar data, program mode (a loop with an int data bound): batched through the unroller or sample by sample.</summary>
                [Differentiable]
                public static double Poly(double t, int n, [Wrt] double[] a)
                {
                    double s = 0;
                    double p = 1;
                    for (int i = 0; i < n; i++)
                    {
                        s += a[i] * p;
                        p *= t;
                    }

                    return s;
                }

                /// <summary>A constant-size program over scalar data: unrolled and batched.</summary>
                [Differentiable]
                public static double Cubic(double t, double y, [Wrt] double[] a)
                {
                    double s = 0;
                    for (int i = 0; i < 3; i++)
                    {
                        s += a[i] * Math.Pow(t, i);
                    }

                    return (s - y) * (s - y);
                }
            }
        }
        """;

    public static TheoryData<string> Groups => new()
    {
        "Overloads", "TinyNet", "Loops", "Fields", "Float", "FloatProgram", "Generic", "CustomRules",
        CorpusCatalog.Elementary, CorpusCatalog.Activations, CorpusCatalog.Flow, CorpusCatalog.Calls, CorpusCatalog.Second,
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Generated_doc_comments_have_no_warnings_when_documentation_is_diagnosed(string group)
    {
        var run = Run(group);
        run.AssertNoExceptions();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.NotEmpty(run.GeneratedSources);

        // The doc-comment checks really ran: the generated trees were parsed in Diagnose mode.
        var generatedTrees = run.OutputCompilation.SyntaxTrees.Except(run.InputCompilation.SyntaxTrees).ToList();
        Assert.NotEmpty(generatedTrees);
        Assert.All(generatedTrees, t => Assert.Equal(DocumentationMode.Diagnose, t.Options.DocumentationMode));

        var problems = run.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } t && generatedTrees.Contains(t))
            .ToList();
        Assert.True(problems.Count == 0, "generated code has warnings when documentation is diagnosed:\n" + GeneratorHarness.Format(problems));
    }

    [Fact]
    public void Diagnose_mode_reports_an_ambiguous_cref_that_parse_mode_hides()
    {
        // The check above would pass vacuously if the harness dropped the mode: CS0419 must show in Diagnose mode only.
        const string source = """
            /// <summary>See <see cref="M"/>.</summary>
            public static class C
            {
                /// <summary>One.</summary>
                public static void M() { }

                /// <summary>Two.</summary>
                public static void M(int i) { }
            }
            """;
        var diagnosed = GeneratorHarness.RunWithDocumentationDiagnostics(new[] { source });
        Assert.Contains(diagnosed.CompilationDiagnostics, d => d.Id == "CS0419");
        var parsed = GeneratorHarness.Run(source);
        Assert.DoesNotContain(parsed.CompilationDiagnostics, d => d.Id == "CS0419");
    }

    private static GeneratorRun Run(string group)
    {
        string Model(string file) => File.ReadAllText(Path.Combine(Snapshot.SnapshotDirectory(), "..", "Models", file));
        return group switch
        {
            "Overloads" => GeneratorHarness.RunWithDocumentationDiagnostics(new[] { Overloads }),
            "TinyNet" => GeneratorHarness.RunWithDocumentationDiagnostics(new[] { Model("TinyNet.cs") }),
            "Loops" => GeneratorHarness.RunWithDocumentationDiagnostics(new[] { Model("Loops.cs") }),
            "Fields" => GeneratorHarness.RunWithDocumentationDiagnostics(new[] { Model("FieldModels.cs") }),
            "Float" => GeneratorHarness.RunWithDocumentationDiagnostics(new[] { FloatSources.Models }),
            "FloatProgram" => GeneratorHarness.RunWithDocumentationDiagnostics(new[] { FloatProgramTests.Source }),
            "Generic" => GeneratorHarness.RunWithDocumentationDiagnostics(new[] { GenericSources.Models }),
            "CustomRules" => GeneratorHarness.RunWithDocumentationDiagnostics(
                new[] { CustomRuleSources.LibraryModels }, CustomRuleSources.Special, CustomRuleSources.Rules),
            _ => GeneratorHarness.RunWithDocumentationDiagnostics(CorpusCatalog.Groups[group]),
        };
    }
}
