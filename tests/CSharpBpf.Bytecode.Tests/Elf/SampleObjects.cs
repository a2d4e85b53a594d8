using System.Collections.Generic;
using CSharpBpf.Bytecode;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Tests.Elf;

/// <summary>Objects built from hand-assembled programs: an XDP program that counts every packet in
/// an array map, reads a .rodata switch and asks a .text subprogram for its verdict; a tc program
/// that drops; a socket filter that keeps nothing.</summary>
public static class SampleObjects
{
    public const string SourceFile = "Firewall.cs";

    public static BpfObjectSpec Firewall(bool dropAll = true)
    {
        var xdp = Assembler.Assemble("""
            mov %r1, 0
            stxw [%r10-4], %r1
            lddw %r1, 0
            mov %r2, %r10
            add %r2, -4
            call 1
            jeq %r0, 0, +2
            mov %r1, 1
            lock add [%r0+0], %r1
            lddw %r1, 0
            ldxw %r1, [%r1+0]
            call local -1
            exit
            """);
        var verdict = Assembler.Assemble("""
            mov %r0, 2
            jeq %r1, 0, +1
            mov %r0, 1
            exit
            """);
        var functions = new[]
        {
            new BpfFunctionSpec("xdp_count", "xdp", xdp, new[] { new BpfRelocation(2, "packets"), new BpfRelocation(10, "drop_all"), new BpfRelocation(13, "verdict") }),
            new BpfFunctionSpec("verdict", ".text", verdict, EquatableArray<BpfRelocation>.Empty),
            new BpfFunctionSpec("tc_drop", "tc", Assembler.Assemble("mov %r0, 2\nexit"), EquatableArray<BpfRelocation>.Empty),
            new BpfFunctionSpec("sock_none", "socket", Assembler.Assemble("mov %r0, 0\nexit"), EquatableArray<BpfRelocation>.Empty),
        };
        var types = new BtfType[]
        {
            new BtfInt("unsigned int", 4, Signed: false),        // 1
            new BtfInt("unsigned long long", 8, Signed: false),  // 2
        };
        var lines = new List<LineInfo>
        {
            new("xdp", 0, SourceFile, "ref ulong hits = ref packets.GetValueRefOrNullRef(0);", 12, 9),
            new("xdp", 8 * 8, SourceFile, "Interlocked.Increment(ref hits);", 14, 13),
            new("xdp", 10 * 8, SourceFile, "return Verdict(DropAll);", 15, 9),
            new(".text", 0, SourceFile, "static XdpAction Verdict(uint dropAll) => dropAll != 0 ? XdpAction.Drop : XdpAction.Pass;", 20, 5),
            new("tc", 0, SourceFile, "return TcAction.Shot;", 25, 9),
            new("socket", 0, SourceFile, "return 0;", 30, 9),
        };
        return new BpfObjectSpec(
            "GPL",
            functions,
            new[] { new BpfMapSpec("packets", 2 /* BPF_MAP_TYPE_ARRAY */, KeyType: 1, ValueType: 2, MaxEntries: 1) },
            new[] { new BpfGlobalSpec("drop_all", ".rodata", 1, System.BitConverter.GetBytes(dropAll ? 1u : 0u)) },
            types,
            lines.ToArray());
    }
}

/// <summary>The firewall sample written to a temporary .o, deleted on Dispose.</summary>
public sealed class SampleObjectFile : System.IDisposable
{
    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("csbpf-elf-").FullName;

    public SampleObjectFile()
    {
        Path = System.IO.Path.Combine(directory, "firewall.bpf.o");
        System.IO.File.WriteAllBytes(Path, ElfObjectWriter.Write(SampleObjects.Firewall()));
    }

    /// <summary>Where the object is.</summary>
    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(directory, recursive: true);
}
