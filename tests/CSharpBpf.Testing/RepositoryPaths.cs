using System;
using System.IO;

namespace CSharpBpf.Testing;

/// <summary>Locations the tests read: the repository root (found by walking up to CSharpBpf.sln)
/// and shared/, which sits beside the repository on developer machines and in CI.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CSharpBpf.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"CSharpBpf.sln not found above {AppContext.BaseDirectory}");
    });

    /// <summary>The repository root.</summary>
    public static string Root => root.Value;

    /// <summary>../shared/conformance: the bpf_conformance suite's data.</summary>
    public static string Conformance => Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance"));
}
