using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using SymGrad.Benchmarks.Workloads;

namespace SymGrad.Benchmarks.Reporting;

/// <summary>Runs benchmarks/python/peers.py on the same inputs and reads its JSON.</summary>
public static class PythonPeers
{
    /// <summary>The outcome of the Python run.</summary>
    public sealed record Outcome(JsonObject? Document, string? Problem, TimeSpan Elapsed);

    /// <summary>Writes the shared inputs and the hand-written reference gradients for peers.py.</summary>
    public static void WriteInputs(string path)
    {
        Inputs i = Inputs.Shared;
        var doc = new Dictionary<string, object>
        {
            ["seed"] = new Dictionary<string, double[]> { ["parameters"] = i.SeedParameters, ["x"] = i.SeedX, ["y"] = i.SeedY },
            ["mlp"] = new Dictionary<string, double[]> { ["parameters"] = i.MlpParameters, ["x1"] = i.MlpX1, ["x2"] = i.MlpX2, ["y"] = i.MlpY },
            ["reference"] = PeerGradientCheck.References(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(doc));
    }

    /// <summary>
    /// Runs peers.py with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment only (they
    /// pin an older OpenBLAS kernel on some processors and would slow NumPy); the script reports which
    /// BLAS it then loads.
    /// </summary>
    public static Outcome Run(string python, string script, string inputs, bool shortRun, bool cpuClock, bool allowInstall)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(python))
        {
            return new Outcome(null, $"{python} not found: Python peers (PyTorch, SymPy) not measured", clock.Elapsed);
        }

        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("--inputs");
        psi.ArgumentList.Add(inputs);
        if (shortRun)
        {
            psi.ArgumentList.Add("--short");
        }

        psi.ArgumentList.Add("--clock");
        psi.ArgumentList.Add(cpuClock ? "cpu" : "wall");
        if (!allowInstall)
        {
            psi.ArgumentList.Add("--no-install");
        }

        psi.Environment.Remove("OPENBLAS_CORETYPE");
        psi.Environment.Remove("OPENBLAS_L2_SIZE");
        Console.WriteLine($"== Python peers: {python} {string.Join(' ', psi.ArgumentList)} ==");
        try
        {
            using Process process = Process.Start(psi)!;
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(20)))
            {
                process.Kill(entireProcessTree: true);
                return new Outcome(null, "peers.py timed out after 20 minutes", clock.Elapsed);
            }

            if (process.ExitCode != 0)
            {
                return new Outcome(null, $"peers.py exited with {process.ExitCode}", clock.Elapsed);
            }

            return new Outcome(JsonNode.Parse(stdout)?.AsObject(), null, clock.Elapsed);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or InvalidOperationException)
        {
            return new Outcome(null, $"peers.py failed: {e.Message}", clock.Elapsed);
        }
    }
}
