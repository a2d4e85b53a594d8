using System;
using System.IO;
using System.Linq;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Loading;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>foreach over Bpf.Range: open-coded numeric iterators (bpf_iter_num kfuncs), declared in the object as clang
/// declares <c>__ksym</c> externs, so bpftool/libbpf load our objects and our loader loads clang's.</summary>
public sealed class RangeLoopTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("csbpf-range-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Source = """
        [BpfObject]
        public static partial class Ranges
        {
            public static long Below;

            [Xdp]
            public static XdpAction Run(XdpContext ctx)
            {
                if (!ctx.TryRead(14, out long v)) return XdpAction.Aborted;
                long below = 0;
                foreach (int i in Bpf.Range(0, 50_000)) { if (v > i) below++; }
                Below = below;
                return XdpAction.Pass;
            }
        }
        """;

    private string Build()
    {
        string path = Path.Combine(_directory, "ranges.bpf.o");
        File.WriteAllBytes(path, GeneratorHarness.ObjectFile(GeneratorHarness.Usings + Source));
        return path;
    }

    private static byte[] Frame(long value)
    {
        var frame = new byte[64];
        BitConverter.GetBytes(value).CopyTo(frame, 14);
        return frame;
    }

    [Fact]
    public void The_object_declares_the_kernel_functions_as_clang_does()
    {
        string obj = Build();
        var spec = ElfObjectReader.Read(File.ReadAllBytes(obj));
        Assert.Equal(new[] { "bpf_iter_num_destroy", "bpf_iter_num_new", "bpf_iter_num_next" }, spec.KernelFunctions.Select(k => k.Name).Order());
        var next = Assert.IsType<BtfFuncProto>(spec.Types[spec.KernelFunctions.Single(k => k.Name == "bpf_iter_num_next").Prototype - 1]);
        Assert.Equal("it", Assert.Single(next.Parameters).Name);

        // Undefined global symbols, calls relocated against them, extern FUNCs in a .ksyms DATASEC: what libbpf looks for.
        var symbols = ExternalTool.Run("readelf", "-sW", obj).EnsureSuccess().Stdout;
        Assert.Matches(@"NOTYPE\s+GLOBAL\s+DEFAULT\s+UND bpf_iter_num_next", symbols);
        Assert.Matches(@"R_BPF_64_32\s+bpf_iter_num_next", ExternalTool.Run("llvm-objdump", "-dr", obj).EnsureSuccess().Stdout);
        var btf = ExternalTool.Run("bpftool", "btf", "dump", "file", obj).EnsureSuccess().Stdout;
        Assert.Matches(@"FUNC 'bpf_iter_num_new' type_id=\d+ linkage=extern", btf);
        Assert.Contains("DATASEC '.ksyms'", btf);
    }

    [KernelFact(Feature = "open-coded iterators (bpf_iter_num_*)", Since = "6.4")]
    public void Bpftool_loads_our_object_and_our_loader_runs_it()
    {
        string obj = Build();
        string pins = $"/sys/fs/bpf/csbpf-range-{Guid.NewGuid():N}";
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", obj, pins).EnsureSuccess();
            Assert.Contains("Run", Directory.GetFileSystemEntries(pins).Select(Path.GetFileName));
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }

        using var loaded = BpfObjectFile.Open(File.ReadAllBytes(obj), "Ranges").Load();
        Assert.Equal(2u, loaded.Program("Run").TestRun(Frame(300)).ReturnValue);
        Assert.Equal(300, Bss(loaded));
        Assert.Equal(2u, loaded.Program("Run").TestRun(Frame(-5)).ReturnValue);
        Assert.Equal(0, Bss(loaded));
    }

    [KernelFact(Feature = "open-coded iterators (bpf_iter_num_*)", Since = "6.4")]
    public void Our_loader_resolves_the_kernel_functions_of_a_clang_object()
    {
        string source = Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "iterators.bpf.c"), obj = Path.Combine(_directory, "iterators.o");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", source, "-o", obj).EnsureSuccess();
        using var loaded = BpfObjectFile.Open(File.ReadAllBytes(obj), "iterators").Load();
        Assert.Equal(2u, loaded.Program("count_below").TestRun(Frame(1234)).ReturnValue);
        Assert.Equal(1234, Bss(loaded));
    }

    [Fact]
    public void Plain_dotnet_follows_the_kernels_range_rules()
    {
        static int[] Of(int from, int to) { var list = new System.Collections.Generic.List<int>(); foreach (int i in Bpf.Range(from, to)) list.Add(i); return list.ToArray(); }
        Assert.Equal(new[] { -2, -1, 0 }, Of(-2, 1));
        Assert.Empty(Of(5, 2));
        Assert.Empty(Of(3, 3));
        Assert.Empty(Of(0, BpfRange.MaxLength + 1)); // more than BPF_MAX_LOOPS numbers: -E2BIG, an empty loop
        Assert.Equal(BpfRange.MaxLength, Of(1, BpfRange.MaxLength + 1).Length);
    }

    /// <summary>The object's one .bss variable.</summary>
    private static long Bss(LoadedObject loaded)
    {
        var map = loaded.Map(".bss");
        var value = new byte[map.ValueSize];
        Assert.True(map.TryLookup(new byte[4], value));
        return BitConverter.ToInt64(value, 0);
    }
}
