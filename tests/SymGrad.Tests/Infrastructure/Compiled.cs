using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>Value and gradient of one call; <see cref="ParameterNames"/>[i] names <see cref="Gradient"/>[i].</summary>
public readonly record struct GradientResult(double Value, double[] Gradient, IReadOnlyList<string> ParameterNames)
{
    /// <summary>Deconstructs into <c>(value, gradient)</c>.</summary>
    public void Deconstruct(out double value, out double[] gradient)
    {
        value = Value;
        gradient = Gradient;
    }
}

/// <summary>Value, gradient and row-major n×n Hessian of one call.</summary>
public readonly record struct HessianResult(double Value, double[] Gradient, double[] Hessian, IReadOnlyList<string> ParameterNames);

/// <summary>
/// What the harness knows about one <c>[Differentiable]</c> method of the compiled source, read from the input
/// compilation's symbols (not from generated code).
/// </summary>
public sealed record DifferentiableMethod(
    string TypeMetadataName,
    string Name,
    ImmutableArray<string> ParameterNames,
    ImmutableArray<string> DifferentiatedParameterNames,
    bool HasSpanGradient,
    bool HasSpanHessian)
{
    internal string? GradientShim { get; init; }

    internal string? HessianShim { get; init; }

    /// <summary>Shim of the generated <c>MBatchGradient</c>, when there is one: (double[][] columns, double[] weights, double[] gradient).</summary>
    internal string? BatchGradientShim { get; init; }

    /// <summary>Shim of the generated <c>MBatchValue</c>: (double[][] columns, double[] weights).</summary>
    internal string? BatchValueShim { get; init; }

    /// <summary>Number of data spans <c>MBatchGradient</c> takes (0 when there is no batched form).</summary>
    public int BatchDataCount { get; init; }

    /// <summary>The fully qualified type holding <c>MBatchGradient</c>.</summary>
    internal string? BatchType { get; init; }
}

/// <summary>
/// An emitted and loaded harness compilation. Static methods are called by type name (full or simple name) and
/// method name. Because reflection cannot pass a <see cref="Span{T}"/>, the harness compiles a tiny shim next to
/// the generated code that forwards a <c>double[]</c> to the generated <c>MGradient(p1..pn, Span&lt;double&gt;)</c>
/// (and <c>MHessian</c>), so <see cref="Gradient(string, string, double[])"/> exercises exactly the span overload.
/// </summary>
public sealed class Compiled
{
    private const string ShimClass = "SymGradHarnessShims.Shims";
    private static int loadContextCounter;

    private readonly Dictionary<(string Type, string Method), List<DifferentiableMethod>> methods;

    private Compiled(GeneratorRun run, Assembly assembly, Dictionary<(string, string), List<DifferentiableMethod>> methods)
    {
        Run = run;
        Assembly = assembly;
        this.methods = methods;
    }

    /// <summary>The generator run this assembly was built from.</summary>
    public GeneratorRun Run { get; }

    /// <summary>The loaded assembly (in its own collectible load context).</summary>
    public Assembly Assembly { get; }

    /// <summary>Every <c>[Differentiable]</c> method found in the source.</summary>
    public IEnumerable<DifferentiableMethod> DifferentiableMethods => methods.Values.SelectMany(v => v);

    internal static Compiled Create(GeneratorRun run)
    {
        var found = FindDifferentiableMethods(run);
        var shimSource = BuildShims(found);
        var compilation = run.OutputCompilation.AddSyntaxTrees(GeneratorHarness.ParseTree(shimSource, "HarnessShims.cs"));

        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new XunitException(
                "Emitting the harness compilation failed:\n" +
                GeneratorHarness.Format(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) +
                "Shim source:\n" + shimSource);
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext(
            "SymGrad.Tests.Harness." + Interlocked.Increment(ref loadContextCounter).ToString(CultureInfo.InvariantCulture),
            isCollectible: true);
        foreach (var library in run.Libraries)
        {
            // Referenced in-memory libraries resolve from the same context.
            using var image = new MemoryStream(library.Image.ToArray());
            context.LoadFromStream(image);
        }

        var assembly = context.LoadFromStream(stream);

        var map = new Dictionary<(string, string), List<DifferentiableMethod>>();
        foreach (var (m, _, _) in found)
        {
            if (!map.TryGetValue((m.TypeMetadataName, m.Name), out var list))
            {
                map[(m.TypeMetadataName, m.Name)] = list = new List<DifferentiableMethod>();
            }

            list.Add(m);
        }

        return new Compiled(run, assembly, map);
    }

    /// <summary>
    /// Finds a type by <see cref="Type.FullName"/> (nested types with '+' or '.') or, if unique, by simple name.
    /// </summary>
    public Type GetType(string typeName)
    {
        var types = Assembly.GetTypes();
        var exact = types.FirstOrDefault(t => t.FullName == typeName || t.FullName?.Replace('+', '.') == typeName);
        if (exact is not null)
        {
            return exact;
        }

        var bySimpleName = types.Where(t => t.Name == typeName).ToList();
        return bySimpleName.Count switch
        {
            1 => bySimpleName[0],
            0 => throw new XunitException($"No type '{typeName}' in the compiled assembly. Types: [{string.Join(", ", types.Select(t => t.FullName))}]"),
            _ => throw new XunitException($"Type name '{typeName}' is ambiguous: [{string.Join(", ", bySimpleName.Select(t => t.FullName))}]"),
        };
    }

    /// <summary>
    /// Calls the static method <paramref name="methodName"/> of <paramref name="typeName"/> (any accessibility) whose
    /// parameter count matches and which takes no by-ref-like (Span) parameter. Exceptions it throws are rethrown
    /// unwrapped.
    /// </summary>
    public object? Invoke(string typeName, string methodName, params object?[] args)
    {
        var type = GetType(typeName);
        var candidates = type
            .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.Name == methodName && m.GetParameters().Length == args.Length && !m.GetParameters().Any(p => p.ParameterType.IsByRefLike))
            .ToList();
        if (candidates.Count != 1)
        {
            throw new XunitException(
                $"Expected exactly one static method {type.FullName}.{methodName} with {args.Length} parameter(s) and no Span parameter, found {candidates.Count}.");
        }

        return InvokeUnwrapped(candidates[0], args);
    }

    /// <summary>Calls a static method with double arguments that returns double.</summary>
    public double Call(string typeName, string methodName, params double[] args) =>
        (double)Invoke(typeName, methodName, args.Cast<object?>().ToArray())!;

    /// <summary><c>p => Call(typeName, methodName, p)</c>, handy as an <see cref="Oracle"/> input.</summary>
    public Func<double[], double> Function(string typeName, string methodName)
    {
        var method = GetType(typeName)
            .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Single(m => m.Name == methodName && m.ReturnType == typeof(double) && m.GetParameters().All(p => p.ParameterType == typeof(double)));
        return p => (double)InvokeUnwrapped(method, p.Cast<object?>().ToArray())!;
    }

    /// <summary>The harness's view of the <c>[Differentiable]</c> method <paramref name="methodName"/> with <paramref name="arity"/> parameters.</summary>
    public DifferentiableMethod Method(string typeName, string methodName, int? arity = null)
    {
        var type = GetType(typeName);
        var key = (type.FullName!, methodName);
        if (!methods.TryGetValue(key, out var list))
        {
            throw new XunitException(
                $"No [Differentiable] method {type.FullName}.{methodName} in the source. Found: [{string.Join(", ", DifferentiableMethods.Select(m => m.TypeMetadataName + "." + m.Name))}]");
        }

        var matches = list.Where(m => arity is null || m.ParameterNames.Length == arity).ToList();
        if (matches.Count != 1)
        {
            throw new XunitException($"{matches.Count} [Differentiable] methods {type.FullName}.{methodName} match arity {arity?.ToString(CultureInfo.InvariantCulture) ?? "any"}.");
        }

        return matches[0];
    }

    /// <summary>Calls the generated <c>MGradient(p1..pn, Span&lt;double&gt;)</c> with all-double arguments.</summary>
    public GradientResult Gradient(string typeName, string methodName, params double[] args) =>
        Gradient(typeName, methodName, args.Cast<object?>().ToArray());

    /// <summary>Calls the generated <c>MGradient(p1..pn, Span&lt;double&gt;)</c>; arguments may be of any type.</summary>
    public GradientResult Gradient(string typeName, string methodName, object?[] args)
    {
        var m = Method(typeName, methodName, args.Length);
        var gradient = new double[m.DifferentiatedParameterNames.Length];
        double value = GradientInto(typeName, methodName, args, gradient);
        return new GradientResult(value, gradient, m.DifferentiatedParameterNames);
    }

    /// <summary>
    /// Calls the generated <c>MGradient(p1..pn, Span&lt;double&gt;)</c> with a caller-sized gradient buffer (to test
    /// e.g. that a short buffer throws <see cref="ArgumentException"/>). Exceptions are rethrown unwrapped.
    /// </summary>
    public double GradientInto(string typeName, string methodName, object?[] args, double[] gradient)
    {
        var m = Method(typeName, methodName, args.Length);
        if (m.GradientShim is null)
        {
            throw new XunitException(
                $"{m.TypeMetadataName}.{m.Name}Gradient(..., Span<double>) was not found in the compilation (or is not accessible from " +
                "the assembly, or has ref/out parameters), so the harness could not build a shim for it. Generated hint names: [" +
                string.Join(", ", Run.GeneratedSources.Keys) + "]");
        }

        return (double)InvokeUnwrapped(ShimMethod(m.GradientShim), new object?[] { args, gradient })!;
    }

    /// <summary>Calls the generated <c>MHessian(p1..pn, Span&lt;double&gt; gradient, Span&lt;double&gt; hessian)</c>.</summary>
    public HessianResult Hessian(string typeName, string methodName, params double[] args)
    {
        var m = Method(typeName, methodName, args.Length);
        if (m.HessianShim is null)
        {
            throw new XunitException($"{m.TypeMetadataName}.{m.Name}Hessian(..., Span<double>, Span<double>) was not found in the compilation.");
        }

        int n = m.DifferentiatedParameterNames.Length;
        var gradient = new double[n];
        var hessian = new double[n * n];
        double value = (double)InvokeUnwrapped(ShimMethod(m.HessianShim), new object?[] { args.Cast<object?>().ToArray(), gradient, hessian })!;
        return new HessianResult(value, gradient, hessian, m.DifferentiatedParameterNames);
    }

    /// <summary>Whether the generator emitted <c>MBatchGradient</c> and <c>MBatchValue</c> for the method.</summary>
    public bool HasBatch(string typeName, string methodName) => Method(typeName, methodName).BatchGradientShim is not null;

    /// <summary>
    /// Calls the generated <c>MBatchGradient(d1..dk spans, weights…, Span&lt;double&gt; gradient)</c>: <paramref name="columns"/>
    /// holds one array per data parameter (in declaration order), <paramref name="weights"/> the differentiated parameters.
    /// </summary>
    public (double Value, double[] Gradient) BatchGradient(string typeName, string methodName, double[][] columns, double[] weights, int gradientLength = -1)
    {
        var m = Method(typeName, methodName);
        var gradient = new double[gradientLength < 0 ? weights.Length : gradientLength];
        double value = (double)InvokeUnwrapped(ShimMethod(m.BatchGradientShim ?? throw new XunitException(methodName + "BatchGradient was not generated.")), new object?[] { columns, weights, gradient })!;
        return (value, gradient);
    }

    /// <summary>Calls the generated <c>MBatchValue(d1..dk spans, weights…)</c>.</summary>
    public double BatchValue(string typeName, string methodName, double[][] columns, double[] weights)
    {
        var m = Method(typeName, methodName);
        return (double)InvokeUnwrapped(ShimMethod(m.BatchValueShim ?? throw new XunitException(methodName + "BatchValue was not generated.")), new object?[] { columns, weights })!;
    }

    /// <summary>
    /// Calls the generated <c>MGradient(p1..pn)</c> overload and reads the returned <c>MPartials</c> by reflection:
    /// <c>Value</c> and one property per differentiated parameter, named exactly like it.
    /// </summary>
    public GradientResult Partials(string typeName, string methodName, params double[] args) =>
        Partials(typeName, methodName, args.Cast<object?>().ToArray());

    /// <inheritdoc cref="Partials(string, string, double[])"/>
    public GradientResult Partials(string typeName, string methodName, object?[] args)
    {
        var m = Method(typeName, methodName, args.Length);
        var partials = Invoke(typeName, methodName + "Gradient", args)
            ?? throw new XunitException($"{methodName}Gradient returned null.");
        var type = partials.GetType();
        double Read(string name)
        {
            var property = type.GetProperty(name, BindingFlags.Instance | BindingFlags.Public)
                ?? throw new XunitException(
                    $"{type.FullName} has no public property '{name}'. Properties: [{string.Join(", ", type.GetProperties().Select(p => p.Name))}]");
            return Convert.ToDouble(property.GetValue(partials)!, CultureInfo.InvariantCulture); // float properties of a float method too
        }

        double value = Read("Value");
        var gradient = m.DifferentiatedParameterNames.Select(Read).ToArray();
        return new GradientResult(value, gradient, m.DifferentiatedParameterNames);
    }

    private MethodInfo ShimMethod(string name) =>
        Assembly.GetType(ShimClass, throwOnError: true)!.GetMethod(name, BindingFlags.Static | BindingFlags.Public)!;

    private static object? InvokeUnwrapped(MethodInfo method, object?[] args)
    {
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw; // unreachable
        }
    }

    private static List<(DifferentiableMethod Method, IMethodSymbol? Gradient, IMethodSymbol? Hessian)> FindDifferentiableMethods(GeneratorRun run)
    {
        var result = new List<(DifferentiableMethod Method, IMethodSymbol? Gradient, IMethodSymbol? Hessian)>();
        var input = run.InputCompilation;
        var output = run.OutputCompilation;
        int shimIndex = 0;
        foreach (var tree in input.SyntaxTrees)
        {
            var model = input.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            {
                if (declaration.AttributeLists.Count == 0 || model.GetDeclaredSymbol(declaration) is not IMethodSymbol method)
                {
                    continue;
                }

                if (!method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "SymGrad.DifferentiableAttribute"))
                {
                    continue;
                }

                var parameters = method.Parameters;
                bool anyWrt = parameters.Any(IsWrt);

                // A float method's generated members take Span<float>; its shims convert to and from double.
                SpecialType real = method.ReturnType.SpecialType == SpecialType.System_Single ? SpecialType.System_Single : SpecialType.System_Double;
                var differentiated = parameters
                    .Where(p => anyWrt ? IsWrt(p) : p.Type.SpecialType == real)
                    .Select(p => p.Name)
                    .ToImmutableArray();

                var typeName = MetadataName(method.ContainingType);
                var outputType = output.GetTypeByMetadataName(typeName);
                var gradientMethod = FindGenerated(output, outputType, method.Name + "Gradient", parameters.Length, 1, real);
                var hessianMethod = FindGenerated(output, outputType, method.Name + "Hessian", parameters.Length, 2, real);
                bool byValue = parameters.All(p => p.RefKind is RefKind.None or RefKind.In && !p.Type.IsRefLikeType); // a span cannot come out of an object[]
                var batchMethod = outputType?.GetMembers(method.Name + "BatchGradient").OfType<IMethodSymbol>().FirstOrDefault(x => x.IsStatic && x.Parameters.Length == parameters.Length + 1
                    && x.Parameters.Take(parameters.Length).All(p => p.Type is INamedTypeSymbol { Name: "ReadOnlySpan" } || p.Type.SpecialType == SpecialType.System_Double) && output.IsSymbolAccessibleWithin(x, output.Assembly));
                int batchData = batchMethod?.Parameters.Count(p => p.Type is INamedTypeSymbol { Name: "ReadOnlySpan" }) ?? 0;

                var info = new DifferentiableMethod(
                    typeName,
                    method.Name,
                    parameters.Select(p => p.Name).ToImmutableArray(),
                    differentiated,
                    gradientMethod is not null,
                    hessianMethod is not null)
                {
                    GradientShim = gradientMethod is not null && byValue ? "Gradient_" + shimIndex.ToString(CultureInfo.InvariantCulture) : null,
                    HessianShim = hessianMethod is not null && byValue ? "Hessian_" + shimIndex.ToString(CultureInfo.InvariantCulture) : null,
                    BatchGradientShim = batchMethod is not null ? "BatchGradient_" + shimIndex.ToString(CultureInfo.InvariantCulture) : null,
                    BatchValueShim = batchMethod is not null ? "BatchValue_" + shimIndex.ToString(CultureInfo.InvariantCulture) : null,
                    BatchDataCount = batchData,
                    BatchType = batchMethod?.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                };
                result.Add((info, gradientMethod, hessianMethod));
                shimIndex++;
            }
        }

        return result;
    }

    private static string BuildShims(List<(DifferentiableMethod Method, IMethodSymbol? Gradient, IMethodSymbol? Hessian)> found)
    {
        var sb = new StringBuilder();
        sb.Append("// <auto-generated/> test-harness shims: forward double[] to the generated Span<double> overloads.\n");
        sb.Append("#nullable enable\nnamespace SymGradHarnessShims\n{\n    internal static class Shims\n    {\n");
        foreach (var (m, gradient, hessian) in found)
        {
            if (m.GradientShim is not null && gradient!.Parameters[^1].Type is INamedTypeSymbol { TypeArguments: [{ SpecialType: SpecialType.System_Single }] })
            {
                // Float: the caller's double[] is filled from a float buffer (exactly), and the arguments are converted.
                sb.Append("        public static double ").Append(m.GradientShim)
                  .Append("(object?[] a, double[] gradient) { var g = new float[gradient.Length]; double v = ").Append(CallText(gradient, 1))
                  .Append("g); for (int i = 0; i < g.Length; i++) { gradient[i] = g[i]; } return v; }\n");
                if (m.HessianShim is not null)
                {
                    sb.Append("        public static double ").Append(m.HessianShim)
                      .Append("(object?[] a, double[] gradient, double[] hessian) { var g = new float[gradient.Length]; var h = new float[hessian.Length]; double v = ")
                      .Append(CallText(hessian!, 2))
                      .Append("g, h); for (int i = 0; i < g.Length; i++) { gradient[i] = g[i]; } for (int i = 0; i < h.Length; i++) { hessian[i] = h[i]; } return v; }\n");
                }

                continue;
            }

            if (m.GradientShim is not null)
            {
                sb.Append("        public static double ").Append(m.GradientShim)
                  .Append("(object?[] a, double[] gradient) => ").Append(CallText(gradient!, 1)).Append("gradient);\n");
            }

            if (m.HessianShim is not null)
            {
                sb.Append("        public static double ").Append(m.HessianShim)
                  .Append("(object?[] a, double[] gradient, double[] hessian) => ").Append(CallText(hessian!, 2)).Append("gradient, hessian);\n");
            }

            if (m.BatchGradientShim is not null)
            {
                string type = m.BatchType!;
                int weights = m.DifferentiatedParameterNames.Length;
                string args = string.Join(", ", Enumerable.Range(0, m.BatchDataCount).Select(i => "c[" + i.ToString(CultureInfo.InvariantCulture) + "]")
                    .Concat(Enumerable.Range(0, weights).Select(i => "w[" + i.ToString(CultureInfo.InvariantCulture) + "]")));
                sb.Append("        public static double ").Append(m.BatchGradientShim).Append("(double[][] c, double[] w, double[] gradient) => ")
                  .Append(type).Append('.').Append(m.Name).Append("BatchGradient(").Append(args).Append(", gradient);\n");
                sb.Append("        public static double ").Append(m.BatchValueShim).Append("(double[][] c, double[] w) => ")
                  .Append(type).Append('.').Append(m.Name).Append("BatchValue(").Append(args).Append(");\n");
            }
        }

        sb.Append("    }\n}\n");
        return sb.ToString();
    }

    private static string CallText(IMethodSymbol target, int spanCount)
    {
        var sb = new StringBuilder();
        sb.Append(target.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).Append('.').Append(target.Name).Append('(');
        int dataCount = target.Parameters.Length - spanCount;
        for (int i = 0; i < dataCount; i++)
        {
            if (target.Parameters[i].Type.SpecialType == SpecialType.System_Single)
            {
                // A float argument may be passed as a double (the point is converted; pick float-representable points).
                sb.Append("global::System.Convert.ToSingle(a[").Append(i.ToString(CultureInfo.InvariantCulture)).Append("], global::System.Globalization.CultureInfo.InvariantCulture), ");
                continue;
            }

            sb.Append('(').Append(target.Parameters[i].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
              .Append(")a[").Append(i.ToString(CultureInfo.InvariantCulture)).Append("]!, ");
        }

        return sb.ToString();
    }

    private static IMethodSymbol? FindGenerated(Compilation output, INamedTypeSymbol? type, string name, int arity, int spanCount, SpecialType real)
    {
        if (type is null)
        {
            return null;
        }

        return type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m =>
            m.IsStatic &&
            m.Parameters.Length == arity + spanCount &&
            m.Parameters.Skip(arity).All(p => IsSpanOf(p.Type, real)) &&
            output.IsSymbolAccessibleWithin(m, output.Assembly));
    }

    private static bool IsSpanOf(ITypeSymbol type, SpecialType element) =>
        type is INamedTypeSymbol { Name: "Span", IsGenericType: true } named &&
        named.ContainingNamespace.ToDisplayString() == "System" &&
        named.TypeArguments[0].SpecialType == element;

    private static bool IsWrt(IParameterSymbol p) =>
        p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "SymGrad.WrtAttribute");

    private static string MetadataName(INamedTypeSymbol type)
    {
        var chain = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            chain.Insert(0, t.MetadataName);
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return ns + string.Join("+", chain);
    }
}
