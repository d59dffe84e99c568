using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generator.Ir;
using SymGrad.Generator.Model;

namespace SymGrad.Generator.Parsing;

/// <summary>
/// Calls of functions with custom derivative rules (<c>[DerivativeOf]</c>, Clad's custom derivatives, JAX's
/// <c>custom_jvp</c>). The call stays a call (<see cref="Fn.Custom"/>); each partial derivative becomes an expression over
/// the call's arguments: the rule's body, lowered like any helper when its source is here and SymGrad can lower it (so
/// it is differentiated again for second order), else a call of the rule itself, whose own derivatives then come from
/// rules declared on it. A call is checked where it is lowered: every partial a gradient needs must exist (else
/// SG0003), and for a Hessian every partial's derivative too (else SG0016) — never a silently wrong derivative.
/// </summary>
internal sealed partial class Lowerer
{
    /// <summary>Custom functions met so far, shared with the lowerers of rule bodies (their graphs share its tables).</summary>
    private readonly CustomRegistry? _customs;

    /// <summary>This lowerer lowers a rule's body into a template: its calls are not checked (the call sites of the method are).</summary>
    private readonly bool _isRuleBody;

    private readonly Dictionary<Node, bool> _varied = new();

    /// <summary>Whether the method has <c>Hessian = true</c>: calls then need second-order rules.</summary>
    public bool Hessian { get; init; }

    /// <summary>The differentiated parameters of the method (by position); null: all.</summary>
    public IReadOnlyCollection<int>? Differentiated { get; init; }

    /// <summary>
    /// The <c>[Param]</c> fields of a field model: the lowered method's leading parameters (field k is parameter k, the
    /// method's own parameter i is parameter <c>Fields.Length + i</c>). Read-only in the body.
    /// </summary>
    public IFieldSymbol[] Fields { get; init; } = System.Array.Empty<IFieldSymbol>();

    /// <summary>Scalar <c>[Param]</c> fields and the parameter node each reads as.</summary>
    private readonly Dictionary<ISymbol, Node> _fieldNodes = new(SymbolEqualityComparer.Default);

    private sealed class CustomRegistry
    {
        public CustomRegistry(Graph graph, RuleIndex rules)
        {
            Graph = graph;
            Rules = rules;
        }

        /// <summary>The method's graph, whose custom table the indices point into.</summary>
        public Graph Graph { get; }

        public RuleIndex Rules { get; }

        public Dictionary<IMethodSymbol, int> Indices { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>The function of each custom-table index.</summary>
        public Dictionary<int, IMethodSymbol> Functions { get; } = new();

        /// <summary>For a rule the generated code calls as is: why it is not differentiated from its body.</summary>
        public Dictionary<IMethodSymbol, string> CalledAsIs { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>Diagnostics of rule bodies lowered successfully (warnings such as SG0103 inside a rule).</summary>
        public List<DiagnosticInfo> BodyNotes { get; } = new();
    }

    /// <summary>
    /// <paramref name="target"/>(<paramref name="args"/>) as a custom call when rules are declared for this overload;
    /// null when none is (the call is then inlined or reported as usual).
    /// </summary>
    private Node? LowerCustom(InvocationExpressionSyntax inv, IMethodSymbol target, Node[] args)
    {
        if (_customs is null)
        {
            return null;
        }

        // Only a static function of doubles can have rules (a rule naming another overload is SG0017 where it is declared).
        IMethodSymbol f = target.OriginalDefinition;
        if (!RuleIndex.IsFunction(f) || f.Parameters.Length != args.Length)
        {
            return null;
        }

        List<RuleDeclaration> rules = _customs.Rules.RulesNaming(f).Where(d => d.Rule.Parameters.Length == f.Parameters.Length).ToList();
        if (rules.Count == 0)
        {
            return null;
        }

        string display = DisplayName(f);
        if (!_compilation.IsSymbolAccessibleWithin(f, _customs.Rules.EntryType))
        {
            return Report(Diagnostics.NoSource, inv, display, "it has derivative rules, but the generated code in '" + _customs.Rules.EntryType.Name
                + "' calls it and cannot: it is not accessible there");
        }

        int index = Register(f, rules, depth: 0);
        Node call = G.CustomCall(index, (Node[])args.Clone());
        if (!_isRuleBody)
        {
            CheckCall(inv, display, index, args);
        }

        return call;
    }

    /// <summary>The function's index in the custom table, adding it (with its partials) the first time.</summary>
    private int Register(IMethodSymbol f, List<RuleDeclaration> rules, int depth)
    {
        CustomRegistry r = _customs!;
        if (r.Indices.TryGetValue(f, out int known))
        {
            return known;
        }

        string method = f.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + CSharpName(f.Name);
        var pending = Enumerable.Range(0, f.Parameters.Length).Select(_ => CustomPartial.None("its rules are being read")).ToEquatableArray();
        int index = r.Graph.AddCustom(new CustomFunction(method, f.Name, pending));
        r.Indices[f] = index; // before the partials: a rule may call the function itself (e′ = e)
        r.Functions[index] = f;

        var partials = new CustomPartial[f.Parameters.Length];
        for (int k = 0; k < partials.Length; k++)
        {
            partials[k] = BuildPartial(f, k, rules, depth);
        }

        r.Graph.SetCustom(index, new CustomFunction(method, f.Name, partials.ToEquatableArray()));
        return index;
    }

    /// <summary>∂f/∂(argument k) from the one valid rule declared for it, or why there is none.</summary>
    private CustomPartial BuildPartial(IMethodSymbol f, int k, List<RuleDeclaration> rules, int depth)
    {
        CustomRegistry r = _customs!;
        string wanted = "∂" + f.Name + "/∂" + f.Parameters[k].Name;
        var forK = rules.Where(d => d.Argument == k).ToList();
        var valid = new List<IMethodSymbol>();
        string? problem = null;
        int tier = int.MaxValue;
        foreach (RuleDeclaration d in forK)
        {
            string? p = RuleIndex.Problem(d, out IMethodSymbol? of);
            if (p is null && SymbolEqualityComparer.Default.Equals(of?.OriginalDefinition, f))
            {
                // The nearest rule wins (the method's own types, then the function's type, then listed types; the rules
                // come in that order); two rules equally near are ambiguous.
                if (d.Tier <= tier && !valid.Contains(d.Rule, SymbolEqualityComparer.Default))
                {
                    tier = d.Tier;
                    valid.Add(d.Rule);
                }
            }
            else
            {
                problem ??= "its rule '" + DisplayName(d.Rule) + "' is not valid (SG0017): " + (p ?? "it names another function");
            }
        }

        if (valid.Count == 0)
        {
            string why = problem ?? "no [DerivativeOf] rule gives " + wanted + AsIsNote(f);
            return CustomPartial.None(why + "; declare it with [DerivativeOf(typeof(" + f.ContainingType.Name + "), nameof(" + f.ContainingType.Name + "." + f.Name + ")"
                + (k == 0 ? string.Empty : ", Argument = " + k.ToString(CultureInfo.InvariantCulture)) + ")] on a static method returning it");
        }

        if (valid.Count > 1)
        {
            return CustomPartial.None("more than one rule gives " + wanted + " ('" + DisplayName(valid[0]) + "' and '" + DisplayName(valid[1]) + "'); keep one");
        }

        IMethodSymbol rule = valid[0];
        string ruleName = DisplayName(rule);
        string asIs;
        MethodDeclarationSyntax? decl = rule.DeclaringSyntaxReferences.Select(s => s.GetSyntax(_ct)).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
        if (decl is not null)
        {
            // Plain C#: lowered like a helper, so second order differentiates the rule's own formula.
            var scratch = new List<DiagnosticInfo>();
            var body = new Lowerer(_compilation, scratch, _ct, r.Graph.Sibling(), r);
            Node? root = body.LowerRuleBody(rule, decl);
            DiagnosticInfo? error = scratch.FirstOrDefault(d => Diagnostics.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
            if (root is not null && error is null)
            {
                r.BodyNotes.AddRange(scratch);
                EquatableArray<NodeRecord> template = body.Graph.Export(root, out int rootIndex);
                return new CustomPartial(template, rootIndex, ruleName, null);
            }

            asIs = "its body cannot be differentiated: " + (error?.Message ?? "it has no value");
        }
        else
        {
            asIs = "it has no source in this compilation";
        }

        // Called as is: the generated code calls the rule, and its derivatives come from rules declared on it.
        if (!_compilation.IsSymbolAccessibleWithin(rule, r.Rules.EntryType))
        {
            return CustomPartial.None("its rule '" + ruleName + "' must be called as is (" + asIs + "), but it is not accessible from '" + r.Rules.EntryType.Name + "', where the generated code is");
        }

        if (depth > 32)
        {
            return CustomPartial.None("its rules form a chain of more than 32 rules of rules");
        }

        IMethodSymbol ruleFunction = rule.OriginalDefinition;
        if (!r.CalledAsIs.ContainsKey(ruleFunction))
        {
            r.CalledAsIs[ruleFunction] = "the rule '" + ruleName + "' is called as is: " + asIs;
        }

        List<RuleDeclaration> ruleRules = r.Rules.RulesNaming(ruleFunction).Where(d => d.Rule.Parameters.Length == ruleFunction.Parameters.Length).ToList();
        int ruleIndex = Register(ruleFunction, ruleRules, depth + 1);
        Graph t = r.Graph.Sibling();
        Node call = t.CustomCall(ruleIndex, Enumerable.Range(0, rule.Parameters.Length).Select(i => t.Param(i)).ToArray());
        return new CustomPartial(t.Export(call, out int callIndex), callIndex, ruleName, null);
    }

    /// <summary>A rule's body with its parameters as the template's arguments (<see cref="Op.Param"/> k = argument k).</summary>
    private Node? LowerRuleBody(IMethodSymbol rule, MethodDeclarationSyntax decl)
    {
        var args = new Node[rule.Parameters.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = G.Param(i);
        }

        return LowerBody(rule, decl, args);
    }

    /// <summary>For a rule called as is, why (appended to "no rule gives ∂R/∂x").</summary>
    private string AsIsNote(IMethodSymbol f) => _customs!.CalledAsIs.TryGetValue(f, out string? why) ? " (" + why + ")" : string.Empty;

    /// <summary>
    /// Every partial the derivatives need at this call exists: the first-order ones for arguments that depend on a
    /// differentiated parameter, and for a Hessian the derivatives of those partials.
    /// </summary>
    private void CheckCall(InvocationExpressionSyntax inv, string display, int index, Node[] args)
    {
        if (_customs!.BodyNotes.Count > 0)
        {
            _diagnostics.AddRange(_customs.BodyNotes);
            _customs.BodyNotes.Clear();
        }

        CustomFunction cf = G.Customs[index];
        bool[] varied = args.Select(IsVaried).ToArray();
        for (int k = 0; k < cf.Arity; k++)
        {
            if (!varied[k])
            {
                continue;
            }

            CustomPartial p = cf.Partials[k];
            if (!p.Exists)
            {
                Report(Diagnostics.NoSource, inv, display, p.Missing ?? "no rule gives its derivative");
            }
            else if (Hessian && SecondOrderGap(index, k, varied) is string gap)
            {
                Report(Diagnostics.NoSecondOrderRule, inv, display, gap);
            }
        }
    }

    /// <summary>Why ∂f/∂(argument k) cannot be differentiated again where the arguments marked <paramref name="varied"/> vary, or null.</summary>
    private string? SecondOrderGap(int index, int k, bool[] varied)
    {
        CustomFunction f = G.Customs[index];
        CustomPartial p = f.Partials[k];
        var dependent = new bool[p.Root + 1];
        for (int i = 0; i <= p.Root; i++)
        {
            NodeRecord r = p.Template[i];
            bool d = r.Op == Op.Param ? varied[r.Index] : false;
            for (int a = 0; a < r.Arity && !d; a++)
            {
                d = dependent[r.Arg(a)];
            }

            dependent[i] = d;
            if (r.Op != Op.Call || r.Fn != Fn.Custom)
            {
                continue;
            }

            CustomFunction g = G.Customs[r.Index];
            for (int j = 0; j < r.Arity; j++)
            {
                if (dependent[r.Arg(j)] && !g.Partials[j].Exists)
                {
                    return "the derivative of ∂" + f.Name + "/∂" + ParameterName(index, k) + " (its rule '" + p.Rule + "') needs ∂" + g.Name + "/∂" + ParameterName(r.Index, j)
                        + ": " + g.Partials[j].Missing + ", or remove Hessian = true";
                }
            }
        }

        return null;
    }

    /// <summary>The name of argument <paramref name="k"/> of custom function <paramref name="index"/>.</summary>
    private string ParameterName(int index, int k) =>
        _customs!.Functions.TryGetValue(index, out IMethodSymbol? f) && k < f.Parameters.Length ? f.Parameters[k].Name : "x" + k.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether <paramref name="n"/> may depend on a differentiated parameter (conservatively: a program variable or a
    /// local array element may).
    /// </summary>
    private bool IsVaried(Node n)
    {
        if (_varied.TryGetValue(n, out bool known))
        {
            return known;
        }

        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // deep input: SG0013, not a crash
        bool result = n.IsReal && n.Op switch
        {
            Op.Param => Differentiated?.Contains(n.Index) ?? true,
            Op.Var => true,
            Op.Load => _program is null || n.Index >= _program.Arrays.Count
                || _program.Arrays[n.Index] is not { Kind: ArrayKind.Parameter } a || Differentiated is null || Differentiated.Contains(a.ParamIndex),
            Op.Const or Op.Extern => false,
            _ => n.Args.Any(IsVaried),
        };
        _varied[n] = result;
        return result;
    }

    private static string DisplayName(IMethodSymbol m) => m.ContainingType is null ? m.Name : m.ContainingType.Name + "." + m.Name;

    private static string CSharpName(string name) => Emit.CSharp.Identifier(name);
}
