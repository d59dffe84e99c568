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
    };

    /// <summary>Constructs off by default, each with the bug that blocks it (re-enable with SYMGRAD_FUZZ_PROGRAM_ENABLE).</summary>
    public static readonly IReadOnlyDictionary<string, string> ExcludedByDefault = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // SG0002 "a buffer declared inside a loop must have a length that does not change inside the loop (parameters,
        // their lengths, constants)" for new double[n + 1] with n an int parameter: the check treats int parameters,
        // which are program variables, as loop-variant state.
        ["buffer-in-loop-int-length"] = "bug: new double[n] inside a loop with n an int parameter is rejected (SG0002)",

        // SG0001 "a section may end in break or return, but contain no other break, continue or goto": the switch check
        // also counts the break/continue of a loop nested inside the section, and the breaks ending the sections of a
        // nested switch, which belong to that loop or switch (scalar mode too).
        ["switch-nested-jump"] = "bug: a loop with break/continue, or a switch, inside a switch section is rejected (SG0001)",

        // The program emitter declares `using Tape tape` although a parameter is named tape (CS0841, CS0136, CS1061).
        ["param-named-tape"] = "bug: a parameter named 'tape' makes the generated code not compile",

        // Program mode types an int-valued ?: as double: w[x > 0 ? 1 : 0] and int k = x > 0 ? 1 : 0; w[k] are rejected
        // with SG0002 "an index must be an int".
        ["int-select"] = "bug: an int-valued ?: is not an int in program mode (SG0002 \"an index must be an int\")",

        // Program mode types Math.Sign(double) as double: `int k = Math.Sign(b) + 1;` becomes
        // `double k_1 = (b > 0.0 ? 1.0 : …) + 1.0; k = k_1;` (CS0266 in generated code), and w[(Math.Sign(b) + 1) % w.Length]
        // is rejected with SG0002 "an index must be an int".
        ["sign-index"] = "bug: Math.Sign(double) is a double in program mode (CS0266 for int locals, SG0002 for indices)",

        // SG9999 "no derivative rule for Greater" (Less, LessEq, …) from Hessian = true when a program variable of type bool
        // holds a comparison of values: a bool local (bool c = x[0] > 0.1; if (c) …), or the temporary an if gets when
        // its condition reads a variable updated since the last control flow (s += x[i]; if (s > 1) … in a loop;
        // cnt += x.Length; if ((0 <= cnt ? 1.0 : b) > 1.0) … after one).
        ["hessian-bool-state"] = "bug: Hessian = true with a bool variable holding a value comparison fails (SG9999)",

        // Program mode loses assignments to double parameters: c = c * 0.5 + b[i] in a loop reads the original c every
        // time, and if (…) c = 1.0; is dropped (wrong value and gradient, no diagnostic).
        ["double-param-assign"] = "bug: assigning a double parameter is ignored in program mode (wrong value and gradient)",

        // Forward: tape.Push(u); tape.Push(t[i % 2]); reverse: u = tape.Pop(); t[i % 2] = tape.Pop(); (not LIFO): in a loop
        // body that saves a scalar and then overwrites a buffer element whose old value is needed (t[i % 2] *= u), each
        // gets the other's value (wrong gradient, IndexOutOfRangeException when the scalar is an index).
        ["store-in-loop"] = "bug: a loop that saves a scalar and then a buffer element restores them in the wrong order (wrong gradient)",

        // Forward: tape.Push(s); tape.PushAll(t); reverse: s = tape.Pop(); tape.PopAll(t); (not LIFO): a buffer declared
        // inside a loop, saved whole at the top of each iteration, is restored after a scalar saved after it, so both
        // get each other's values (wrong gradients, NaN from cbrt′(0)).
        ["buffer-in-loop"] = "bug: a buffer declared inside a loop is restored from the tape in the wrong order (wrong gradient)",

        // The Hessian-vector product's tangent store keeps its index in a temporary (p_index) that is pushed before, but
        // popped after, the value the store overwrites: p[k] += Math.Sin(p[k] + w * x[k]) with a local w in a nested loop
        // gives a wrong Hessian (or an IndexOutOfRangeException in MHessianVectorProduct).
        ["hessian-store-in-loop"] = "bug: Hessian = true with a buffer store inside a loop: wrong Hessian or IndexOutOfRangeException",

        // while (…) { step++; switch (step % 3) { case 1: …; case 2: …; } }: the second and later case tests use the
        // switch value lowered before the first case's flush, so they see step + 1 again (wrong value and gradient;
        // an endless loop when a case returns).
        ["switch-after-update"] = "bug: a switch in a loop on a value updated earlier in the iteration tests later cases with a stale value",

        // Inlined helpers share one program variable per local and parameter: double a = H(v, 1); double b = H(v, 2);
        // return a * b; with a loop in H reads the second call's result for both (a's value stays symbolic, s * s), and
        // so does H(v, 2.0) * H(v, c) (wrong value and gradient).
        ["helper-reuse"] = "bug: a helper with a loop called twice returns the second call's result for both calls",

        // SG9999 IndexOutOfRangeException for s += train ? (i == 2 ? r : x[i]) : 0; in a loop, and for
        // double t = first ? Math.Tanh(w[m]) : 2; followed by a buffer declaration (a ?: on a bool variable, then a flush).
        ["select-bool-var"] = "bug: a ?: on a bool variable crashes the generator (SG9999 IndexOutOfRangeException)",

        // `continue` as the last statement of a loop body leaves the generated `continued` flag set but never read; also
        // value_dot in MHessianVectorProduct of a constant function, copies of reassigned parameters (b2_1), … CS0219 is
        // a warning, so TreatWarningsAsErrors builds fail on code the user cannot change.
        ["warning-cs0219"] = "bug: generated code has CS0219 warnings (e.g. the `continued` flag of a trailing continue)",
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
