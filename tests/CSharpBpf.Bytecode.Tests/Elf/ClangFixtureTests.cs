using System;
using System.IO;
using System.Linq;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Elf;

/// <summary>C fixtures compiled by clang in the test run are read by our reader, written back by our
/// writer, and still load with bpftool; our own objects read back to the spec they came from.</summary>
public sealed class ClangFixtureTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("csbpf-clang-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    // counter.bpf.c is written for this test (its map, global and program are asserted below); the other
    // fixtures serve the loader's tests in CSharpBpf.Kernel.Tests.
    [Fact]
    public void Clang_objects_read_write_back_and_load()
    {
        const string fixture = "counter.bpf.c";
        string source = Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", fixture);
        string compiled = Path.Combine(directory, "clang.o"), rewritten = Path.Combine(directory, "rewritten.o");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", source, "-o", compiled).EnsureSuccess();

        var spec = ElfObjectReader.Read(File.ReadAllBytes(compiled));
        Assert.Contains(spec.Functions, f => f.Section == "xdp");
        Assert.Contains(spec.Maps, m => m.Name == "per_protocol" && m.Type == 1 && m.MaxEntries == 256);
        Assert.Contains(spec.Globals, g => g.Name == "drop_udp" && g.Section == ".rodata");
        Assert.NotEmpty(spec.Lines);
        Assert.Equal("GPL", spec.License);

        File.WriteAllBytes(rewritten, ElfObjectWriter.Write(spec));
        string pins = $"/sys/fs/bpf/csbpf-fixture-{Guid.NewGuid():N}";
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", rewritten, pins).EnsureSuccess();
            Assert.Contains("count_protocols", Directory.GetFileSystemEntries(pins).Select(Path.GetFileName));
            var xlated = ExternalTool.Run("bpftool", "prog", "dump", "xlated", "pinned", Path.Combine(pins, "count_protocols"), "linum").EnsureSuccess().Stdout;
            Assert.Contains(fixture, xlated); // clang's line info survived the round trip
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }

    [Fact]
    public void Our_objects_read_back_to_their_spec()
    {
        var spec = SampleObjects.Firewall();
        var read = ElfObjectReader.Read(ElfObjectWriter.Write(spec));
        Assert.Equal(spec.License, read.License);
        Assert.Equal(spec.Lines, read.Lines);
        Assert.Equal(spec.Maps, read.Maps);
        Assert.Equal(spec.Globals.Select(g => g with { Offset = 0 }), read.Globals.Select(g => g with { Offset = 0 }));
        foreach (var f in spec.Functions)
        {
            // The writer gives each function a FUNC_PROTO; the reader keeps the id of the one it wrote.
            var back = Assert.Single(read.Functions, r => r.Name == f.Name);
            Assert.Equal(f, back with { Prototype = f.Prototype });
            Assert.IsType<BtfFuncProto>(read.Types[back.Prototype - 1]);
        }
    }
}
