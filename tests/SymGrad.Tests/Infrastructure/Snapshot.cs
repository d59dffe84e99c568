using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.Renderer;
using Xunit.Sdk;

namespace SymGrad.Tests.Infrastructure;

/// <summary>
/// Approval ("snapshot") testing of generated code. The expected text lives in
/// <c>tests/SymGrad.Tests/Snapshots/{name}.verified.cs</c> in the source tree. On a mismatch the actual text is
/// written to <c>{name}.received.cs</c> beside it (git-ignored) and the test fails with a unified diff.
/// Set <c>SYMGRAD_ACCEPT=1</c> (or <c>VERIFY_ACCEPT=1</c>) to overwrite the verified files instead.
/// </summary>
public static class Snapshot
{
    /// <summary>Environment variables that switch on accept mode (value <c>1</c> or <c>true</c>).</summary>
    public static readonly string[] AcceptVariables = { "SYMGRAD_ACCEPT", "VERIFY_ACCEPT" };

    /// <summary>True when an accept variable is set.</summary>
    public static bool AcceptFromEnvironment =>
        AcceptVariables.Any(v => Environment.GetEnvironmentVariable(v) is "1" or "true" or "True" or "TRUE");

    /// <summary>
    /// Compares <paramref name="actual"/> to <c>Snapshots/{name}.verified.cs</c> of the test project that contains the
    /// calling source file. Line endings are normalised to <c>\n</c> on both sides.
    /// </summary>
    public static void Verify(string actual, string name, [CallerFilePath] string callerFilePath = "") =>
        VerifyIn(SnapshotDirectory(callerFilePath), actual, name, AcceptFromEnvironment);

    /// <summary>
    /// <see cref="Verify"/> against an explicit directory and accept flag (the self-tests use a temp directory).
    /// Returns what happened; throws <see cref="XunitException"/> on a mismatch or a missing verified file.
    /// </summary>
    public static SnapshotOutcome VerifyIn(string directory, string actual, string name, bool accept)
    {
        ValidateName(name);
        actual = Normalize(actual);
        var verifiedPath = Path.Combine(directory, name + ".verified.cs");
        var receivedPath = Path.Combine(directory, name + ".received.cs");

        if (accept)
        {
            Directory.CreateDirectory(directory);
            bool existed = File.Exists(verifiedPath);
            bool same = existed && Normalize(File.ReadAllText(verifiedPath)) == actual;
            if (!same)
            {
                File.WriteAllText(verifiedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }

            DeleteIfExists(receivedPath);
            return same ? SnapshotOutcome.Matched : existed ? SnapshotOutcome.Updated : SnapshotOutcome.Created;
        }

        if (!File.Exists(verifiedPath))
        {
            WriteReceived(directory, receivedPath, actual);
            throw new XunitException(
                $"Snapshot '{name}' has no verified file yet: {verifiedPath}\n" +
                $"The output was written to {receivedPath}.\n" +
                "Review it, then either rename it to .verified.cs, or run the tests with SYMGRAD_ACCEPT=1 to accept every pending snapshot:\n" +
                "    SYMGRAD_ACCEPT=1 dotnet test tests/SymGrad.Tests\n" +
                "and commit the .verified.cs file.");
        }

        var expected = Normalize(File.ReadAllText(verifiedPath));
        if (expected == actual)
        {
            DeleteIfExists(receivedPath);
            return SnapshotOutcome.Matched;
        }

        WriteReceived(directory, receivedPath, actual);
        throw new XunitException(
            $"Snapshot '{name}' does not match {verifiedPath}\n" +
            $"Received output written to {receivedPath}. If the change is intended, accept it with SYMGRAD_ACCEPT=1 (or copy received over verified).\n" +
            "--- verified\n+++ received\n" +
            UnifiedDiff(expected, actual));
    }

    /// <summary>A unified-style line diff (3 lines of context), <c>-</c> for verified, <c>+</c> for received.</summary>
    public static string UnifiedDiff(string expected, string actual)
    {
        var diff = UnidiffRenderer.GenerateUnidiff(
            Normalize(expected),
            Normalize(actual),
            oldFileName: "verified",
            newFileName: "received",
            ignoreWhitespace: false,
            ignoreCase: false,
            contextLines: 3);

        // The renderer's own file header repeats what our message says; keep the hunks.
        return string.Join("\n", diff.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .SkipWhile(l => l.StartsWith("---", StringComparison.Ordinal) || l.StartsWith("+++", StringComparison.Ordinal)));
    }

    /// <summary>The <c>Snapshots</c> folder of the test project that holds <paramref name="callerFilePath"/>.</summary>
    public static string SnapshotDirectory([CallerFilePath] string callerFilePath = "")
    {
        // Normal case: walk up from the calling source file to the folder that has a .csproj.
        if (!string.IsNullOrEmpty(callerFilePath) && File.Exists(callerFilePath))
        {
            for (var dir = new DirectoryInfo(Path.GetDirectoryName(callerFilePath)!); dir is not null; dir = dir.Parent)
            {
                if (dir.EnumerateFiles("*.csproj").Any())
                {
                    return Path.Combine(dir.FullName, "Snapshots");
                }
            }
        }

        // Fallback when paths were mapped (e.g. a PathMap to /_/): walk up from the test binaries to the project.
        var projectFile = typeof(Snapshot).Assembly.GetName().Name + ".csproj";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, projectFile)))
            {
                return Path.Combine(dir.FullName, "Snapshots");
            }

            var nested = Path.Combine(dir.FullName, "tests", Path.GetFileNameWithoutExtension(projectFile), projectFile);
            if (File.Exists(nested))
            {
                return Path.Combine(Path.GetDirectoryName(nested)!, "Snapshots");
            }
        }

        throw new InvalidOperationException($"Cannot locate the test project folder from '{callerFilePath}' or '{AppContext.BaseDirectory}'.");
    }

    /// <summary><c>\r\n</c> and lone <c>\r</c> become <c>\n</c>.</summary>
    public static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) ||
            name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 ||
            name.Contains('/') || name.Contains('\\') || name.StartsWith('.'))
        {
            throw new ArgumentException($"Invalid snapshot name '{name}': use a plain file name such as 'TinyNet.Loss'.", nameof(name));
        }
    }

    private static void WriteReceived(string directory, string path, string text)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}

/// <summary>What <see cref="Snapshot.VerifyIn"/> did when it did not fail.</summary>
public enum SnapshotOutcome
{
    /// <summary>The verified file matched.</summary>
    Matched,

    /// <summary>Accept mode: the verified file did not exist and was written.</summary>
    Created,

    /// <summary>Accept mode: the verified file differed and was overwritten.</summary>
    Updated,
}
