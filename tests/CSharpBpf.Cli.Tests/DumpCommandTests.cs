using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>csbpf dump on a clang-built object: disassembly interleaved with the C source lines, maps, globals, BTF.</summary>
public class DumpCommandTests
{
    [Fact]
    public void Dump_shows_programs_with_source_lines_maps_globals_and_types()
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("csbpf-dump-").FullName, "counter.o");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c",
            Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "counter.bpf.c"), "-o", output).EnsureSuccess();

        var (exit, stdout, stderr) = CsbpfProcess.Run(null, "dump", output);

        Assert.True(exit == 0, stderr);
        Assert.Contains("program count_protocols (section xdp,", stdout);
        Assert.Contains("; __sync_fetch_and_add(count, 1);  [", stdout);
        Assert.Contains("lock add [%r0+0], %r6", stdout);
        Assert.Contains("<per_protocol>", stdout);
        Assert.Contains("map per_protocol: type 1,", stdout);
        Assert.Contains("global drop_udp in .rodata:", stdout);
        Assert.Contains("TYPEDEF '__u32' -> #", stdout);
    }

    [Fact]
    public void Dump_of_a_non_object_names_the_problem()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("csbpf-dump-").FullName, "not.o");
        File.WriteAllText(file, "hello");
        var (exit, _, stderr) = CsbpfProcess.Run(null, "dump", file);
        Assert.Equal(1, exit);
        Assert.Contains("ELF header at offset 0", stderr);
    }
}
