using System;
using System.IO;
using CSharpBpf.Loading;
using CSharpBpf.Testing;

namespace CSharpBpf.Kernel.Tests.Links;

/// <summary>tests/fixtures/c/links.bpf.c compiled by clang, and the native adder the uprobe test probes, built once per run.</summary>
public static class LinkFixtures
{
    private static readonly Lazy<string> directory = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("csbpf-links-").FullName;
        string fixtures = Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I/usr/include/x86_64-linux-gnu",
            "-c", Path.Combine(fixtures, "links.bpf.c"), "-o", Path.Combine(dir, "links.bpf.o")).EnsureSuccess();
        ExternalTool.Run("clang", "-O1", "-o", Path.Combine(dir, "adder"), Path.Combine(fixtures, "adder.c")).EnsureSuccess();
        return dir;
    });

    public static string ObjectPath => Path.Combine(directory.Value, "links.bpf.o");
    public static string AdderPath => Path.Combine(directory.Value, "adder");

    /// <summary>Loads the object with this process as the target pid.</summary>
    public static LoadedObject Load()
    {
        var file = BpfObjectFile.Open(ObjectPath);
        file.SetConstant("target_pid", (uint)Environment.ProcessId);
        return file.Load();
    }

    public static ulong Counter(LoadedObject loaded, uint slot) => new BpfMap<uint, ulong>(loaded.Map("counters"))[slot];
}
