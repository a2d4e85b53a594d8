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
    public void A_refused_program_reports_the_verifier_log_against_its_source_lines()
    {
        string directory = Directory.CreateTempSubdirectory("csbpf-refused-").FullName;
        try
        {
            string obj = Path.Combine(directory, "refused.bpf.o");
            ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c",
                Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "refused.bpf.c"), "-o", obj).EnsureSuccess();
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
}
