using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SymGrad.Tests.Fuzzing;

/// <summary>
/// Which constructs the program-mode fuzzer generates. Every construct is on by default except those listed in
/// <see cref="ExcludedByDefault"/> (each excluded because of a known generator bug, named there). The environment
/// variable <c>SYMGRAD_FUZZ_PROGRAM_ENABLE</c> (comma-separated names, or <c>all</c>) turns excluded ones back on;
/// <c>SYMGRAD_FUZZ_PROGRAM_DISABLE</c> turns constructs off (to isolate a failure).
/// </summary>
public sealed class LoopGrammar
{
    public const string EnableVariable = "SYMGRAD_FUZZ_PROGRAM_ENABLE";
    public const string DisableVariable = "SYMGRAD_FUZZ_PROGRAM_DISABLE";

    /// <summary>Every construct the builder knows, with what it means.</summary>
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["for"] = "for (int i = 0; i < bound; i++) over a.Length, an int parameter, a constant, an outer counter",
        ["for-down"] = "for (int i = bound - 1; i >= 0; i--)",
        ["for-step"] = "for (int i = 0; i < bound; i += 2) and for (int i = 1; i <= bound; i++)",
        ["while"] = "int k = 0; while (k < bound) { k++; … } (the counter stepped first or last)",
        ["while-value"] = "while (k < bound && s < c): a loop exit that depends on a differentiated value",
        ["do"] = "do { …; k++; } while (k < bound);",
        ["foreach"] = "foreach (double v in a) / foreach (int v in idx)",
        ["triangular"] = "an inner loop bounded by the outer counter (j < i, j <= i): zero-trip iterations",
        ["break"] = "if (cond) break; inside loops",
        ["continue"] = "if (cond) continue; inside loops",
        ["return-in-loop"] = "if (cond) return e; inside loops",
        ["early-return"] = "if (cond) return e; outside loops",
        ["switch"] = "switch (intExpr % k) { case …: …; break; default: … }",
        ["switch-return"] = "a switch section that ends in return",
        ["buffer"] = "double[] buf = new double[len]; written then read",
        ["buffer-in-loop"] = "a buffer declared inside a loop, or inside a helper (which may be called in a loop)",
        ["buffer-int-length"] = "new double[n] / new double[n + 1] with an int parameter n",
        ["buffer-in-loop-int-length"] = "a buffer of int-parameter length declared inside a loop",
        ["stackalloc"] = "Span<double> buf = stackalloc double[len];",
        ["store-compound"] = "buf[i] += e, -=, *=",
        ["foreach-buffer"] = "foreach over a local buffer",
        ["helper"] = "calls to static helpers with source taking spans/arrays, doubles and ints",
        ["helper-nested"] = "a helper calling another helper",
        ["helper-differentiable"] = "a helper that is itself [Differentiable]",
        ["int-array"] = "int[] / ReadOnlySpan<int> data parameters, gathers a[idx[i] % a.Length]",
        ["long"] = "long data parameters as loop bounds and in double arithmetic",
        ["bool"] = "bool data parameters and locals in conditions",
        ["span"] = "ReadOnlySpan<double> / Span<double> parameters",
        ["wrt"] = "[Wrt] on some parameters (the others are data, double arrays included)",
        ["int-local"] = "int locals and int arithmetic (+ − * / %)",
        ["int-counter"] = "mutable int counters (cnt++, cnt += e)",
        ["sign-index"] = "an index or bound computed from a double: Math.Sign(x) + 1",
        ["int-select"] = "int-valued ?: in int expressions and indices (x > 0 ? 1 : 0, n > 2 ? i : j)",
        ["int-double-mix"] = "int values in double arithmetic (i * x, n / 2 * x, (double)i)",
        ["kinks"] = "Abs/Max/Min/Clamp/Relu/Floor/… in expressions",
        ["recurrence"] = "h = f(w * h + x[i])",
        ["double-param-assign"] = "assignments to double parameters",
        ["hessian"] = "[Differentiable(Hessian = true)]: MHessian and MHessianVectorProduct checked",
        ["no-array"] = "a method without array parameters whose loops run to an int parameter",
        ["objective"] = "MObjective.ValueAndGradient checked against MGradient",
        ["store-in-loop"] = "stores into buffers in loop bodies (other than a fill loop's buf[i] = …)",
        ["hessian-store-in-loop"] = "Hessian = true with stores into buffers inside loops (other than a fill loop's buf[i] = …)",
        ["switch-after-update"] = "switch inside a loop on a counter stepped earlier in the iteration (k++; switch (k % 3) …)",
        ["select-bool-var"] = "?: whose condition reads a bool variable (train ? … : …)",
        ["switch-nested-jump"] = "break/continue inside a loop inside a switch section, and a switch inside a switch section",
        ["param-named-tape"] = "an array parameter named 'tape' (the name of the generated code's tape local)",
        ["hessian-bool-state"] = "Hessian = true with bool locals holding value comparisons, and value conditions of if/break/continue/return",
        ["helper-reuse"] = "a helper called from two call sites of one method (directly or through another helper)",
        ["warning-cs0219"] = "a check, not a construct: CS0219 (variable assigned but never used) in generated code is a failure",
        ["guarded-read"] = "an element that exists only where the arm of a ?: that reads it is taken (i + 1 < a.Length ? a[i + 1] * a[i + 1] : e), read in the arm once, twice or under Math.Exp",
        ["refill"] = "a buffer refilled at the top of every iteration from a parameter and the counter, then read (the generated reverse sweep fills it again instead of taping it)",
        ["offset-bound"] = "a for loop bounded by an offset counter (for (int i = 0; i + 1 < n; i++)), the condition sharing i + 1 with the step",
    };

    /// <summary>Constructs off by default, each with the bug that blocks it (re-enable with SYMGRAD_FUZZ_PROGRAM_ENABLE).</summary>
    public static readonly IReadOnlyDictionary<string, string> ExcludedByDefault = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Empty: every construct excluded when the fuzzer was written (a double parameter assigned in a loop, a helper
        // with a loop called twice, the tape's order for a saved scalar and an element or a whole buffer, a switch on
        // a value updated before it, a store in a loop under Hessian = true, bool variables under Hessian = true, ?: on
        // a bool variable, int ?: and Math.Sign as ints, new double[intParam] in a loop, jumps nested in switch
        // sections, a parameter named tape, CS0219 in generated code) is fixed, each with a regression test in
        // tests/SymGrad.Tests/Programs. A construct that hits a new bug goes here, with the bug, until it is fixed.
    };

    private readonly HashSet<string> _enabled;

    public LoopGrammar(IEnumerable<string> enabled) => _enabled = new HashSet<string>(enabled, StringComparer.Ordinal);

    public static LoopGrammar Current
    {
        get
        {
            var on = new HashSet<string>(All.Keys.Where(k => !ExcludedByDefault.ContainsKey(k)), StringComparer.Ordinal);
            foreach (string name in Split(Environment.GetEnvironmentVariable(EnableVariable)))
            {
                if (name == "all")
                {
                    on.UnionWith(All.Keys);
                }
                else
                {
                    on.Add(Known(name));
                }
            }

            foreach (string name in Split(Environment.GetEnvironmentVariable(DisableVariable)))
            {
                on.Remove(Known(name));
            }

            return new LoopGrammar(on);
        }
    }

    public IEnumerable<string> Disabled => All.Keys.Where(k => !_enabled.Contains(k)).OrderBy(k => k, StringComparer.Ordinal);

    public bool On(string construct) => All.ContainsKey(construct)
        ? _enabled.Contains(construct)
        : throw new ArgumentException("unknown construct " + construct, nameof(construct));

    private static IEnumerable<string> Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Known(string name) => All.ContainsKey(name) || name == "all"
        ? name
        : throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "unknown program-fuzzer construct '{0}'; known: {1}", name, string.Join(", ", All.Keys)));
}
