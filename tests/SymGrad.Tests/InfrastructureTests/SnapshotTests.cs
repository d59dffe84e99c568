using System;
using System.IO;
using SymGrad.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace SymGrad.Tests.InfrastructureTests;

public sealed class SnapshotTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "symgrad-snapshot-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string Verified(string name) => Path.Combine(directory, name + ".verified.cs");

    private string Received(string name) => Path.Combine(directory, name + ".received.cs");

    [Fact]
    public void Missing_verified_file_fails_with_instructions_and_writes_received()
    {
        var e = Assert.Throws<XunitException>(() => Snapshot.VerifyIn(directory, "class A {}\n", "New", accept: false));
        Assert.Contains("no verified file yet", e.Message, StringComparison.Ordinal);
        Assert.Contains("SYMGRAD_ACCEPT=1", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Verified("New")));
        Assert.Equal("class A {}\n", File.ReadAllText(Received("New")));
    }

    [Fact]
    public void Matching_text_passes_and_removes_a_stale_received_file()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Verified("Same"), "line 1\nline 2\n");
        File.WriteAllText(Received("Same"), "stale");
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.VerifyIn(directory, "line 1\nline 2\n", "Same", accept: false));
        Assert.False(File.Exists(Received("Same")));
    }

    [Fact]
    public void Line_endings_are_normalised_on_both_sides()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Verified("Crlf"), "a\r\nb\r\n");
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.VerifyIn(directory, "a\nb\r\n", "Crlf", accept: false));
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.VerifyIn(directory, "a\rb\n", "Crlf", accept: false));
    }

    [Fact]
    public void Mismatch_fails_with_a_unified_diff_and_writes_received()
    {
        Directory.CreateDirectory(directory);
        var expected = string.Join("\n", "l1", "l2", "l3", "l4", "l5", "old", "l7", "l8", "l9", "l10", "l11", "l12") + "\n";
        var actual = expected.Replace("old", "new", StringComparison.Ordinal);
        File.WriteAllText(Verified("Diff"), expected);

        var e = Assert.Throws<XunitException>(() => Snapshot.VerifyIn(directory, actual, "Diff", accept: false));

        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
        Assert.Contains("@@ -", e.Message, StringComparison.Ordinal);
        Assert.Contains("\n-old", e.Message, StringComparison.Ordinal);
        Assert.Contains("\n+new", e.Message, StringComparison.Ordinal);
        Assert.Contains("\n l5", e.Message, StringComparison.Ordinal); // context line
        Assert.DoesNotContain("l12", e.Message, StringComparison.Ordinal); // outside the 3-line context
        Assert.Equal(actual, File.ReadAllText(Received("Diff")));
        Assert.Equal(expected, File.ReadAllText(Verified("Diff")));
    }

    [Fact]
    public void Accept_mode_creates_then_updates_the_verified_file()
    {
        Assert.Equal(SnapshotOutcome.Created, Snapshot.VerifyIn(directory, "v1\r\n", "Accept", accept: true));
        Assert.Equal("v1\n", File.ReadAllText(Verified("Accept")));

        File.WriteAllText(Received("Accept"), "left over");
        Assert.Equal(SnapshotOutcome.Updated, Snapshot.VerifyIn(directory, "v2\n", "Accept", accept: true));
        Assert.Equal("v2\n", File.ReadAllText(Verified("Accept")));
        Assert.False(File.Exists(Received("Accept")));

        Assert.Equal(SnapshotOutcome.Matched, Snapshot.VerifyIn(directory, "v2\n", "Accept", accept: true));
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.VerifyIn(directory, "v2\n", "Accept", accept: false));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..\\x")]
    [InlineData(".hidden")]
    public void Names_that_are_not_plain_file_names_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => Snapshot.VerifyIn(directory, "x", name, accept: true));
    }

    [Fact]
    public void Snapshot_directory_is_the_test_projects_source_folder_not_bin()
    {
        var dir = Snapshot.SnapshotDirectory();
        Assert.EndsWith(Path.Combine("SymGrad.Tests", "Snapshots"), dir, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "..", "SymGrad.Tests.csproj")), dir);
        Assert.DoesNotContain(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, dir, StringComparison.Ordinal);
    }

    [Fact]
    public void Unified_diff_of_equal_texts_is_empty()
    {
        Assert.Equal(string.Empty, Snapshot.UnifiedDiff("a\nb\n", "a\r\nb\r\n").Trim());
    }
}
