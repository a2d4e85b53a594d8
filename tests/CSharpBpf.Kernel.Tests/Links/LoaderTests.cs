using System;
using System.IO;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Links;

/// <summary>What loading gives beyond the program: maps typed by BTF in the kernel, pins, and verifier
/// refusals that point at the source line.</summary>
public sealed class LoaderTests
{
    [KernelFact]
    public void Maps_carry_their_btf_types_into_the_kernel_and_pin()
    {
        using var loaded = LinkFixtures.Load();
        string pin = $"/sys/fs/bpf/csbpf-map-{Environment.ProcessId}";
        try
        {
            var counters = new BpfMap<uint, ulong>(loaded.Map("counters"));
            counters[1] = 0x1234;
            loaded.Map("counters").Pin(pin);
            var shown = ExternalTool.Run("bpftool", "map", "show", "pinned", pin).EnsureSuccess();
            Assert.Contains("btf_id", shown.Stdout);
            var dumped = ExternalTool.Run("bpftool", "map", "dump", "pinned", pin).EnsureSuccess();
            Assert.Contains("\"value\": 4660", dumped.Stdout); // BTF lets bpftool print the value as a number
        }
        finally
        {
            if (File.Exists(pin)) File.Delete(pin);
        }
    }

    [KernelFact]
    public void A_clang_object_with_bitfields_and_a_subprogram_loads_with_its_btf_as_written()
    {
        string directory = Directory.CreateTempSubdirectory("csbpf-bitfields-").FullName;
        try
        {
            using var loaded = BpfObjectFile.Open(Clang("bitfields", directory)).Load();
            var result = loaded.Program("record_flags").TestRun(new byte[64]);
            Assert.Equal(2u, result.ReturnValue); // XDP_PASS: mark() returned the 64-byte length
            var flags = new BpfMap<uint, uint>(loaded.Map("last_flags"));
            Assert.Equal((1u << 1) | (64u << 6), flags[0]); // syn, and the window bits 6–21, laid out as clang did

            // The map's value type went to the kernel with its bitfields, and the program with its C lines.
            var dump = ExternalTool.Run("bpftool", "map", "dump", "id", KernelObjectInfo.Map(loaded.Map("last_flags").Descriptor).Id.ToString()).EnsureSuccess();
            Assert.Contains("\"window\": 0x40", dump.Stdout); // bpftool prints bitfields in hex
            Assert.Contains("\"syn\": 0x1", dump.Stdout);
            var lines = ExternalTool.Run("bpftool", "prog", "dump", "xlated", "id", loaded.Program("record_flags").Info().Id.ToString(), "linum").EnsureSuccess();
            Assert.Contains("f->window = length & 0xffff;", lines.Stdout);
            Assert.Contains("bitfields.bpf.c", lines.Stdout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [KernelFact]
    public void A_refused_program_reports_the_verifier_log_against_its_source_lines()
    {
        string directory = Directory.CreateTempSubdirectory("csbpf-refused-").FullName;
        try
        {
            string obj = Clang("refused", directory);
            var error = Assert.Throws<BpfException>(() => BpfObjectFile.Open(obj).Load());
            Assert.Contains("map_value_or_null", error.VerifierLog);
            Assert.Contains("; return *hits ? XDP_DROP : XDP_PASS; [", error.VerifierLog);
            Assert.Contains("refused.bpf.c:", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>tests/fixtures/c/<paramref name="fixture"/>.bpf.c built by clang into <paramref name="directory"/>.</summary>
    private static string Clang(string fixture, string directory)
    {
        string obj = Path.Combine(directory, fixture + ".bpf.o");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c",
            Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", fixture + ".bpf.c"), "-o", obj).EnsureSuccess();
        return obj;
    }
}
