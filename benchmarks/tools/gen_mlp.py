#!/usr/bin/env python3
"""Writes the 2-8-8-1 scalar-parameter model used by the benchmarks.

Run from the repository root:  python3 benchmarks/tools/gen_mlp.py
Writes benchmarks/SymGrad.Benchmarks/Models/Mlp.cs (the [Differentiable] method),
Models/Mlp.Calls.cs (array -> 105 arguments) and SymGradVariants/Mlp.Gradient.cs (the same for
the generated gradient). Parameter order (= gradient order) is, per hidden unit j of layer 1,
w1_0_j, w1_1_j, b1_j; then per unit k of layer 2, w2_0_k .. w2_7_k, b2_k; then w3_0 .. w3_7, b3.
"""
import os

H1 = H2 = 8
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SymGrad.Benchmarks")
HEADER = "// Written by benchmarks/tools/gen_mlp.py; regenerate rather than edit by hand.\n"


def names():
    out = []
    for j in range(H1):
        out += [f"w1_0_{j}", f"w1_1_{j}", f"b1_{j}"]
    for k in range(H2):
        out += [f"w2_{j}_{k}" for j in range(H1)] + [f"b2_{k}"]
    out += [f"w3_{k}" for k in range(H2)] + ["b3"]
    assert len(out) == 105
    return out


def wrap(items, indent, width=118):
    lines, line = [], ""
    for item in items:
        cand = f"{line}, {item}" if line else item
        if len(cand) + indent > width:
            lines.append(line + ",")
            line = item
        else:
            line = cand
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def model(wrt):
    body = []
    for j in range(H1):
        body.append(f"        double h1_{j} = SymMath.Tanh(w1_0_{j} * x1 + w1_1_{j} * x2 + b1_{j});")
    for k in range(H2):
        terms = " + ".join(f"w2_{j}_{k} * h1_{j}" for j in range(H1))
        body.append(f"        double h2_{k} = SymMath.Tanh({terms} + b2_{k});")
    terms = " + ".join(f"w3_{k} * h2_{k}" for k in range(H2))
    body.append(f"        double o = SymMath.Sigmoid({terms} + b3);")
    body.append("        double e = y - o;")
    body.append("        return e * e;")
    params = ["double x1", "double x2", "double y"] + [f"[Wrt] double {n}" for n in wrt]
    quoted = wrap([f'"{n}"' for n in wrt], 8) + ","
    return f"""{HEADER}using SymGrad;

namespace SymGrad.Benchmarks.Models;

/// <summary>
/// A 2-8-8-1 network (tanh, tanh, sigmoid) with squared loss, every weight a scalar parameter:
/// h1_j = tanh(w1_0_j·x1 + w1_1_j·x2 + b1_j), h2_k = tanh(Σ_j w2_j_k·h1_j + b2_k),
/// o = σ(Σ_k w3_k·h2_k + b3), loss = (y − o)². 2·8+8 + 8·8+8 + 8+1 = 105 trainable parameters,
/// in the order <see cref="ParameterNames"/> lists them (the order of the gradient).
/// </summary>
public static partial class Mlp
{{
    /// <summary>Number of trainable parameters.</summary>
    public const int ParameterCount = 105;

    /// <summary>Trainable parameters in declaration (= gradient) order.</summary>
    public static readonly string[] ParameterNames =
    [
        {quoted}
    ];

    /// <summary>The loss of one sample (x1, x2, y).</summary>
    [Differentiable]
    public static double Loss(
        {wrap(params, 8)})
    {{
{chr(10).join(body)}
    }}
}}
"""


def adapter(gradient):
    args = wrap([f"p[{i}]" for i in range(105)] + (["gradient"] if gradient else []), 12)
    if gradient:
        doc = """    /// <summary>
    /// Calls the generated <c>LossGradient</c> with the 105 weights taken from <paramref name="p"/>;
    /// writes the 105 partial derivatives into <paramref name="gradient"/> and returns the loss.
    /// </summary>
    public static double LossGradientAt(double x1, double x2, double y, ReadOnlySpan<double> p, Span<double> gradient)"""
        call = "LossGradient"
    else:
        doc = """    /// <summary>Calls <see cref="Loss"/> with the 105 weights taken from <paramref name="p"/> (gradient order).</summary>
    public static double LossAt(double x1, double x2, double y, ReadOnlySpan<double> p)"""
        call = "Loss"
    return f"""{HEADER}using System;

namespace SymGrad.Benchmarks.Models;

public static partial class Mlp
{{
{doc}
    {{
        if (p.Length < ParameterCount)
        {{
            throw new ArgumentException("Expected 105 parameters.", nameof(p));
        }}

        return {call}(
            x1, x2, y,
            {args});
    }}
}}
"""


def main():
    wrt = names()
    files = {
        os.path.join(ROOT, "Models", "Mlp.cs"): model(wrt),
        os.path.join(ROOT, "Models", "Mlp.Calls.cs"): adapter(False),
        os.path.join(ROOT, "SymGradVariants", "Mlp.Gradient.cs"): adapter(True),
    }
    for path, text in files.items():
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote", os.path.relpath(path))


if __name__ == "__main__":
    main()
