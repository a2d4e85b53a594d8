using System;
using System.IO;
using IOPath = System.IO.Path;
using CSharpBpf.Testing;

namespace CSharpBpf.Kernel.Tests.Core;

/// <summary>tests/fixtures/c/core.bpf.c built as libbpf-tools builds its tools: vmlinux.h dumped from this kernel's BTF by
/// bpftool, then clang -target bpf with BPF_CORE_READ and the bpf_core_* queries, which clang records as CO-RE relocations.</summary>
internal static class ClangCoreObject
{
    private static readonly Lazy<string> Built = new(() =>
    {
        string directory = Directory.CreateTempSubdirectory("csbpf-core-").FullName;
        var header = ExternalTool.Run("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c").EnsureSuccess();
        System.IO.File.WriteAllText(IOPath.Combine(directory, "vmlinux.h"), header.Stdout);
        string obj = IOPath.Combine(directory, "core.bpf.o");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I" + directory, "-c",
            IOPath.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "core.bpf.c"), "-o", obj).EnsureSuccess();
        return obj;
    });

    /// <summary>The object's path.</summary>
    public static string File => Built.Value;
}
