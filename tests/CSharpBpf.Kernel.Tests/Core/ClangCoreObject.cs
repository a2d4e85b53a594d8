using System;
using System.Linq;
using IOPath = System.IO.Path;
using CSharpBpf.Testing;

namespace CSharpBpf.Kernel.Tests.Core;

/// <summary>tests/fixtures/c/core.bpf.c built as libbpf-tools builds its tools: vmlinux.h dumped from this kernel's BTF by
/// bpftool, then clang -target bpf with BPF_CORE_READ and the bpf_core_* queries, which clang records as CO-RE relocations.</summary>
internal static class ClangCoreObject
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("csbpf-core-").FullName;
        var header = ExternalTool.Run("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c").EnsureSuccess();
        System.IO.File.WriteAllText(IOPath.Combine(directory, "vmlinux.h"), header.Stdout);
        return directory;
    });

    private static readonly Lazy<string> Built = new(() => Build("core.bpf.o"));
    private static readonly Lazy<string> BuiltUnguarded = new(() => Build("core-unguarded.bpf.o", "-DCSBPF_UNGUARDED"));
    private static readonly Lazy<string> BuiltTpBtf = new(() => Build("tp_btf.bpf.o", source: "tp_btf.bpf.c"));

    /// <summary>The object's path.</summary>
    public static string File => Built.Value;

    /// <summary>The object built with an unguarded read of a field no kernel has.</summary>
    public static string Unguarded => BuiltUnguarded.Value;

    /// <summary>tests/fixtures/c/tp_btf.bpf.c: a tp_btf program reading task fields directly.</summary>
    public static string TpBtf => BuiltTpBtf.Value;

    private static string Build(string name, string define = "", string source = "core.bpf.c")
    {
        var defines = define.Length > 0 ? new[] { define } : Array.Empty<string>();
        string obj = IOPath.Combine(Directory.Value, name);
        ExternalTool.Run("clang", new[] { "-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I" + Directory.Value }.Concat(defines)
            .Concat(new[] { "-c", IOPath.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", source), "-o", obj }).ToArray()).EnsureSuccess();
        return obj;
    }
}
