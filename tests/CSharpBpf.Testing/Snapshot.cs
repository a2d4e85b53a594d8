using System.IO;
using Xunit;

namespace CSharpBpf.Testing;

/// <summary>Verify's file convention by hand: <c>Name.verified.txt</c> is committed beside the test; on a
/// mismatch the actual text goes to <c>Name.received.txt</c> and the test fails (accept it by renaming).</summary>
public static class Snapshot
{
    /// <summary>Compares <paramref name="actual"/> with the verified snapshot in <paramref name="directory"/> (relative to the repository root).</summary>
    public static void Verify(string directory, string name, string actual)
    {
        string folder = Path.Combine(RepositoryPaths.Root, directory);
        string verified = Path.Combine(folder, name + ".verified.txt");
        string received = Path.Combine(folder, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n");
        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(received, actual);
        Assert.Fail(expected == null
            ? $"no snapshot {verified}; wrote {received}: review it and rename it to .verified.txt"
            : $"{name} differs from {verified}; wrote {received}: diff them, and rename it if the change is right");
    }
}
