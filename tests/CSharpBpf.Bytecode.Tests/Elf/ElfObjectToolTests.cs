using System;
using System.IO;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Elf;

/// <summary>Objects we write, checked by the real tools: readelf, llvm-objdump, bpftool.</summary>
public sealed class ElfObjectToolTests : IDisposable
{
    private readonly SampleObjectFile sample = new();
    private string ObjectPath => sample.Path;

    public void Dispose() => sample.Dispose();

    [Fact]
    public void Readelf_reads_it_without_warnings()
    {
        var result = ExternalTool.Run("readelf", "-a", "-W", ObjectPath).EnsureSuccess();
        Assert.Equal("", result.Stderr);
        Assert.DoesNotContain("Warning", result.Stdout);
        Assert.Contains("Machine:                           Linux BPF", result.Stdout);
        Assert.Contains("REL (Relocatable file)", result.Stdout);
        foreach (var section in new[] { "xdp", ".text", "tc", "socket", "license", ".maps", ".rodata", ".BTF", ".BTF.ext", ".relxdp", ".symtab", ".strtab" })
            Assert.Matches($@"\] {System.Text.RegularExpressions.Regex.Escape(section)}\s", result.Stdout);
        // binutils' readelf names type 1 R_BPF_INSN_64 and type 10 R_BPF_INSN_DISP32 (LLVM: R_BPF_64_64, R_BPF_64_32).
        Assert.Matches(@"00000001 R_BPF_\w+ +0+ packets", result.Stdout);
        Assert.Matches(@"0000000a R_BPF_\w+ +0+ verdict", result.Stdout);
    }

    [Fact]
    public void Llvm_objdump_disassembles_it_without_warnings()
    {
        var result = ExternalTool.Run("llvm-objdump", "-d", "-r", ObjectPath).EnsureSuccess();
        Assert.Equal("", result.Stderr);
        Assert.Contains("<xdp_count>:", result.Stdout);
        Assert.Contains("<verdict>:", result.Stdout);
        Assert.Matches(@"R_BPF_64_64\s+packets", result.Stdout);
        Assert.Matches(@"R_BPF_64_32\s+verdict", result.Stdout);
        Assert.Contains("lock *(u64 *)(r0 + 0) += r1", result.Stdout);
        Assert.DoesNotContain("<unknown>", result.Stdout);
    }

    [Fact]
    public void Bpftool_shows_our_btf_types()
    {
        var result = ExternalTool.Run("bpftool", "btf", "dump", "file", ObjectPath).EnsureSuccess();
        string btf = result.Stdout;
        Assert.Contains("INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)", btf);
        Assert.Contains("VAR 'packets' type_id=", btf);
        Assert.Contains("DATASEC '.maps' size=32 vlen=1", btf);
        Assert.Contains("DATASEC '.rodata' size=4 vlen=1", btf);
        Assert.Contains("FUNC 'xdp_count' type_id=", btf);
        Assert.Contains("linkage=global", btf);
        Assert.Contains("FUNC 'verdict' type_id=", btf);
        Assert.Contains("'max_entries' type_id=", btf);
    }
}
