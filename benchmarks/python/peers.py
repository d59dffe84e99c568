#!/usr/bin/python3
"""Python peers of the SymGrad benchmarks: PyTorch autograd and SymPy (diff + cse + lambdify to NumPy).

Measures the same two workloads as benchmarks/SymGrad.Benchmarks, on the same inputs, and prints JSON
with nanoseconds per sample gradient:

  seed  C = (y - sigma(w3*sigma(w2*x + b2) + b3))^2, gradient w.r.t. w2, b2, w3, b3
  mlp   2-8-8-1 network (tanh, tanh, sigmoid), squared loss, gradient w.r.t. all 105 weights

Each workload is timed per sample (one gradient per call, sample 0) and batched (the summed gradient
over 4,096 samples in one call, reported per sample).

Timing: timeit. Each callable is first warmed up (called for >= 0.2 s, so lazy initialisation, caches
and the lambdify'd code are hot), then a loop count is chosen (doubling, as timeit.Timer.autorange does)
whose total runs for >= 0.1 s (0.2 s without --short), and Timer.repeat() takes 11 (25) repeats of that
count. The clock is time.thread_time (this thread's CPU time, so time spent preempted by other processes
is not counted; --clock wall uses time.perf_counter). Reported per sample: "ns_min", the MINIMUM over the
repeats, and "ns", the median. The summary
table uses the minimum, for Python and BenchmarkDotNet alike: the machine is shared, and contention only
ever adds time.

Threads: PyTorch runs with torch.set_num_threads(1) and NumPy/BLAS with a threadpoolctl limit of 1 (when
threadpoolctl is present), so every peer, C# included, uses one core; --threads N changes that.

Inputs: --inputs FILE is the JSON written by the C# driver (same parameters, samples and reference
gradients); without it the script makes its own (deterministic) inputs and skips the reference check.

Dependencies: python3-torch, python3-sympy and python3-numpy from Debian, for /usr/bin/python3. When
one is missing and the script runs as root, it installs them with apt-get; otherwise it says which are
missing (in stderr and in the JSON "missing" list) and skips those peers.

Run it with /usr/bin/python3 (not a pyenv or venv python, which does not see Debian's packages); when
started by another interpreter that lacks the packages it re-executes itself under /usr/bin/python3.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import timeit

SYSTEM_PYTHON = "/usr/bin/python3"
DEBIAN_PACKAGES = {"torch": "python3-torch", "sympy": "python3-sympy", "numpy": "python3-numpy"}
BATCH = 4096


def log(msg):
    print(f"[peers.py] {msg}", file=sys.stderr, flush=True)


def missing_modules():
    import importlib.util

    return [m for m in DEBIAN_PACKAGES if importlib.util.find_spec(m) is None]


def ensure_dependencies(allow_install):
    """Returns the list of modules still missing after trying to get them."""
    missing = missing_modules()
    if not missing:
        return []
    if os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON) and os.path.exists(SYSTEM_PYTHON) \
            and not os.environ.get("SYMGRAD_PEERS_REEXEC"):
        log(f"{sys.executable} lacks {', '.join(missing)}; re-running under {SYSTEM_PYTHON}")
        env = dict(os.environ, SYMGRAD_PEERS_REEXEC="1")
        os.execve(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv, env)
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if allow_install and is_root and shutil.which("apt-get"):
        pkgs = [DEBIAN_PACKAGES[m] for m in missing]
        log(f"installing {' '.join(pkgs)} with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        rc = subprocess.call(["apt-get", "install", "-y"] + pkgs, env=env, stdout=sys.stderr)
        if rc != 0:
            subprocess.call(["apt-get", "update"], env=env, stdout=sys.stderr)
            subprocess.call(["apt-get", "install", "-y"] + pkgs, env=env, stdout=sys.stderr)
        import importlib

        importlib.invalidate_caches()
        missing = missing_modules()
    if missing:
        why = "not root or no apt-get" if not (is_root and shutil.which("apt-get")) else "apt-get failed"
        if not allow_install:
            why = "--no-install"
        log(f"MISSING: {', '.join(missing)} ({why}); install with: apt-get install -y "
            + " ".join(DEBIAN_PACKAGES[m] for m in missing) + f" (for {SYSTEM_PYTHON}); skipping those peers")
    return missing


# ----------------------------------------------------------------------------------------------
# Inputs


def own_inputs():
    """Deterministic stand-in inputs (used only without --inputs)."""
    import random

    r = random.Random(2)
    seed = {
        "parameters": [r.uniform(-1.5, 1.5), r.uniform(-1, 1), r.uniform(-1.5, 1.5), r.uniform(-1, 1)],
        "x": [r.uniform(-3, 3) for _ in range(BATCH)],
        "y": [r.uniform(0, 1) for _ in range(BATCH)],
    }
    x1 = [r.uniform(-2, 2) for _ in range(BATCH)]
    x2 = [r.uniform(-2, 2) for _ in range(BATCH)]
    mlp = {
        "parameters": [r.uniform(-0.7, 0.7) for _ in range(105)],
        "x1": x1,
        "x2": x2,
        "y": [1.0 if a * b > 0 else 0.0 for a, b in zip(x1, x2)],
    }
    return {"seed": seed, "mlp": mlp}


def mlp_names():
    names = []
    for j in range(8):
        names += [f"w1_0_{j}", f"w1_1_{j}", f"b1_{j}"]
    for k in range(8):
        names += [f"w2_{j}_{k}" for j in range(8)] + [f"b2_{k}"]
    names += [f"w3_{k}" for k in range(8)] + ["b3"]
    return names


# ----------------------------------------------------------------------------------------------
# Timing


class Timer:
    def __init__(self, short, cpu_clock):
        self.min_time = 0.1 if short else 0.2
        self.repeats = 11 if short else 25
        # time.thread_time: CPU time of this thread (CLOCK_THREAD_CPUTIME_ID), so time spent preempted
        # by other processes on a shared machine is not counted; perf_counter: wall-clock time.
        self.clock = time.thread_time if cpu_clock else time.perf_counter

    def measure(self, fn, samples_per_call):
        """Median and min ns per sample over repeats of an autoranged loop, after a warm-up."""
        end = time.perf_counter() + 0.2
        calls = 0
        while time.perf_counter() < end or calls < 3:
            fn()
            calls += 1
        timer = timeit.Timer(fn, timer=self.clock)
        number = 1
        while True:
            t = timer.timeit(number)
            if t >= self.min_time:
                break
            number = max(number * 2, int(number * self.min_time / max(t, 1e-9) * 1.1))
        runs = timer.repeat(repeat=self.repeats, number=number)
        per = [r / number / samples_per_call * 1e9 for r in runs]
        return {"ns": statistics.median(per), "ns_min": min(per), "loops": number, "repeats": self.repeats}


def max_rel_err(got, want):
    worst = 0.0
    for g, w in zip(got, want):
        worst = max(worst, abs(g - w) / max(1e-12, abs(w)))
    return worst


# ----------------------------------------------------------------------------------------------
# PyTorch


def torch_peers(inputs, timer, threads):
    import torch

    torch.set_num_threads(threads)
    f64 = torch.float64
    out = {}

    # Seed net -------------------------------------------------------------------------------
    sp = inputs["seed"]["parameters"]
    params = [torch.tensor(v, dtype=f64, requires_grad=True) for v in sp]
    w2, b2, w3, b3 = params
    x0, y0 = inputs["seed"]["x"][0], inputs["seed"]["y"][0]

    def seed_sample():
        for p in params:
            p.grad = None
        loss = (y0 - torch.sigmoid(w3 * torch.sigmoid(w2 * x0 + b2) + b3)) ** 2
        loss.backward()
        return loss

    X = torch.tensor(inputs["seed"]["x"], dtype=f64)
    Y = torch.tensor(inputs["seed"]["y"], dtype=f64)

    def seed_batch():
        for p in params:
            p.grad = None
        loss = ((Y - torch.sigmoid(w3 * torch.sigmoid(w2 * X + b2) + b3)) ** 2).sum()
        loss.backward()
        return loss

    seed_sample()
    g_sample = [p.grad.item() for p in params]
    seed_batch()
    g_batch = [p.grad.item() for p in params]
    out["seed/sample/torch"] = dict(timer.measure(seed_sample, 1), grad=g_sample,
                                    note="scalar float64 tensors, loss.backward()")
    out["seed/batch/torch"] = dict(timer.measure(seed_batch, BATCH), grad=g_batch,
                                   note="float64 tensors of 4,096 samples, sum().backward()")

    # 2-8-8-1 ------------------------------------------------------------------------------------
    m = inputs["mlp"]
    p = m["parameters"]
    W1 = torch.tensor([[p[3 * j + i] for j in range(8)] for i in range(2)], dtype=f64, requires_grad=True)
    B1 = torch.tensor([p[3 * j + 2] for j in range(8)], dtype=f64, requires_grad=True)
    W2 = torch.tensor([[p[24 + 9 * k + j] for k in range(8)] for j in range(8)], dtype=f64, requires_grad=True)
    B2 = torch.tensor([p[24 + 9 * k + 8] for k in range(8)], dtype=f64, requires_grad=True)
    W3 = torch.tensor([p[96 + k] for k in range(8)], dtype=f64, requires_grad=True)
    B3 = torch.tensor(p[104], dtype=f64, requires_grad=True)
    mparams = [W1, B1, W2, B2, W3, B3]
    xs = torch.tensor([m["x1"][0], m["x2"][0]], dtype=f64)
    ys = m["y"][0]
    XB = torch.tensor(list(zip(m["x1"], m["x2"])), dtype=f64)
    YB = torch.tensor(m["y"], dtype=f64)

    def forward(xin):
        h1 = torch.tanh(xin @ W1 + B1)
        h2 = torch.tanh(h1 @ W2 + B2)
        return torch.sigmoid(h2 @ W3 + B3)

    def mlp_sample():
        for q in mparams:
            q.grad = None
        loss = (ys - forward(xs)) ** 2
        loss.backward()
        return loss

    def mlp_batch():
        for q in mparams:
            q.grad = None
        loss = ((YB - forward(XB)) ** 2).sum()
        loss.backward()
        return loss

    def flat():
        g = [0.0] * 105
        for j in range(8):
            g[3 * j] = W1.grad[0, j].item()
            g[3 * j + 1] = W1.grad[1, j].item()
            g[3 * j + 2] = B1.grad[j].item()
        for k in range(8):
            for j in range(8):
                g[24 + 9 * k + j] = W2.grad[j, k].item()
            g[24 + 9 * k + 8] = B2.grad[k].item()
            g[96 + k] = W3.grad[k].item()
        g[104] = B3.grad.item()
        return g

    mlp_sample()
    g_sample = flat()
    mlp_batch()
    g_batch = flat()
    out["mlp/sample/torch"] = dict(timer.measure(mlp_sample, 1), grad=g_sample,
                                   note="weight tensors W1 2x8, W2 8x8, w3 8 (float64), one sample, loss.backward()")
    out["mlp/batch/torch"] = dict(timer.measure(mlp_batch, BATCH), grad=g_batch,
                                  note="4,096x2 input tensor through the same weight tensors, sum().backward()")
    return out


# ----------------------------------------------------------------------------------------------
# SymPy: diff + cse + lambdify (NumPy)


def sympy_peers(inputs, timer):
    import numpy as np
    import sympy

    out = {}

    def sigmoid(z):
        return 1 / (1 + sympy.exp(-z))

    # Seed net -------------------------------------------------------------------------------
    t0 = time.perf_counter()
    x, y, w2, b2, w3, b3 = sympy.symbols("x y w2 b2 w3 b3")
    C = (y - sigmoid(w3 * sigmoid(w2 * x + b2) + b3)) ** 2
    params = [w2, b2, w3, b3]
    grads = [sympy.diff(C, q) for q in params]
    t1 = time.perf_counter()
    f = sympy.lambdify([x, y] + params, [C] + grads, modules="numpy", cse=True)
    t2 = time.perf_counter()
    setup = {"diff_s": t1 - t0, "cse_lambdify_s": t2 - t1}

    sp = inputs["seed"]["parameters"]
    X = np.asarray(inputs["seed"]["x"], dtype=np.float64)
    Y = np.asarray(inputs["seed"]["y"], dtype=np.float64)
    x0, y0 = float(X[0]), float(Y[0])

    def seed_call():
        return f(x0, y0, *sp)

    def seed_batch():
        r = f(X, Y, *sp)
        return [float(np.sum(v)) if np.ndim(v) else float(v) * BATCH for v in r[1:]]

    g_sample = [float(v) for v in seed_call()[1:]]
    g_batch = seed_batch()
    out["seed/sample/sympy"] = dict(timer.measure(seed_call, 1), grad=g_sample, setup=setup,
                                    note="lambdify(cse=True) to NumPy, called on Python floats")
    out["seed/batch/sympy"] = dict(timer.measure(seed_batch, BATCH), grad=g_batch, setup=setup,
                                   note="same function on 4,096-sample NumPy arrays, gradients summed")

    # 2-8-8-1 ------------------------------------------------------------------------------------
    t0 = time.perf_counter()
    x1, x2, yy = sympy.symbols("x1 x2 y")
    names = mlp_names()
    S = {n: sympy.Symbol(n) for n in names}
    h1 = [sympy.tanh(S[f"w1_0_{j}"] * x1 + S[f"w1_1_{j}"] * x2 + S[f"b1_{j}"]) for j in range(8)]
    h2 = [sympy.tanh(sum(S[f"w2_{j}_{k}"] * h1[j] for j in range(8)) + S[f"b2_{k}"]) for k in range(8)]
    o = sigmoid(sum(S[f"w3_{k}"] * h2[k] for k in range(8)) + S["b3"])
    L = (yy - o) ** 2
    mp = [S[n] for n in names]
    mgrads = [sympy.diff(L, q) for q in mp]
    t1 = time.perf_counter()
    g = sympy.lambdify([x1, x2, yy] + mp, [L] + mgrads, modules="numpy", cse=True)
    t2 = time.perf_counter()
    msetup = {"diff_s": t1 - t0, "cse_lambdify_s": t2 - t1}

    m = inputs["mlp"]
    p = m["parameters"]
    X1 = np.asarray(m["x1"], dtype=np.float64)
    X2 = np.asarray(m["x2"], dtype=np.float64)
    YB = np.asarray(m["y"], dtype=np.float64)
    a, b, c = float(X1[0]), float(X2[0]), float(YB[0])

    def mlp_call():
        return g(a, b, c, *p)

    def mlp_batch():
        r = g(X1, X2, YB, *p)
        # Gradients of parameters that do not depend on the sample come back as scalars.
        return [float(np.sum(v)) if np.ndim(v) else float(v) * BATCH for v in r[1:]]

    g_sample = [float(v) for v in mlp_call()[1:]]
    g_batch = mlp_batch()
    out["mlp/sample/sympy"] = dict(timer.measure(mlp_call, 1), grad=g_sample, setup=msetup,
                                   note="lambdify(cse=True) to NumPy, called on Python floats")
    out["mlp/batch/sympy"] = dict(timer.measure(mlp_batch, BATCH), grad=g_batch, setup=msetup,
                                  note="same function on 4,096-sample NumPy arrays, gradients summed")
    return out


# ----------------------------------------------------------------------------------------------


def blas_report():
    info = {"OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}
    try:
        import numpy as np

        info["numpy"] = np.__version__
        for cand in ("/usr/lib/x86_64-linux-gnu/libblas.so.3", "/usr/lib/aarch64-linux-gnu/libblas.so.3"):
            if os.path.exists(cand):
                info["libblas.so.3"] = os.path.realpath(cand)
    except ImportError:
        pass
    try:
        from threadpoolctl import threadpool_info

        info["threadpoolctl"] = [
            {k: d.get(k) for k in ("user_api", "internal_api", "version", "architecture", "num_threads", "filepath")}
            for d in threadpool_info()
        ]
    except ImportError:
        info["threadpoolctl"] = "not installed (apt-get install python3-threadpoolctl)"
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", help="JSON inputs written by the C# driver")
    ap.add_argument("--output", help="also write the JSON result here")
    ap.add_argument("--short", action="store_true", help="fewer, shorter repeats")
    ap.add_argument("--threads", type=int, default=1, help="threads for PyTorch and BLAS (default 1)")
    ap.add_argument("--no-install", action="store_true", help="never apt-get install missing packages")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                    help="cpu (default): this thread's CPU time (time.thread_time); wall: time.perf_counter")
    args = ap.parse_args()

    missing = ensure_dependencies(not args.no_install)
    if args.inputs:
        with open(args.inputs, encoding="utf-8") as fh:
            inputs = json.load(fh)
    else:
        inputs = own_inputs()

    timer = Timer(args.short, args.clock == "cpu")
    results = {}
    started = time.perf_counter()
    limiter = None
    try:
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(limits=args.threads)
    except ImportError:
        pass
    if "torch" not in missing and "numpy" not in missing:
        import torch

        log(f"PyTorch {torch.__version__}")
        results.update(torch_peers(inputs, timer, args.threads))
    if "sympy" not in missing and "numpy" not in missing:
        import sympy

        log(f"SymPy {sympy.__version__}")
        results.update(sympy_peers(inputs, timer))
    if limiter is not None:
        limiter.restore_original_limits()

    ref = inputs.get("reference")
    if ref:
        for key, r in results.items():
            workload, shape, _ = key.split("/")
            want = ref.get(f"{workload}/{shape}")
            if want:
                r["max_rel_err_vs_hand_written"] = max_rel_err(r["grad"], want)
    for r in results.values():
        r.pop("grad", None)

    versions = {"python": platform.python_version(), "executable": sys.executable}
    for mod in ("torch", "sympy", "numpy"):
        if mod not in missing:
            versions[mod] = __import__(mod).__version__
    doc = {
        "statistic": "ns per sample gradient: ns_min = minimum over timeit repeats (used in the summary), ns = median",
        "threads": args.threads,
        "clock": "time.thread_time (thread CPU time)" if args.clock == "cpu" else "time.perf_counter (wall)",
        "missing": missing,
        "versions": versions,
        "blas": blas_report(),
        "results": results,
        "elapsed_s": time.perf_counter() - started,
    }
    text = json.dumps(doc, indent=1, sort_keys=True)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
