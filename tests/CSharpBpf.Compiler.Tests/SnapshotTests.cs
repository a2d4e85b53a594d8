using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>The disassembly of every corpus object, against its committed snapshot.</summary>
public sealed class SnapshotTests
{
    [Theory]
    [MemberData(nameof(CorpusObjects.Names), MemberType = typeof(CorpusObjects))]
    public void Disassembly_matches_the_verified_snapshot(string name) =>
        Snapshot.Verify("tests/CSharpBpf.Compiler.Tests/Snapshots", name, CorpusObjects.Listing(name));
}
