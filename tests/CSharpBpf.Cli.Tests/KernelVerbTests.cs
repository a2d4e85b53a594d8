using System;
using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>bpftool's verbs in csbpf, against the real kernel: load and pin, prog show, test-run,
/// map update and dump, attach with a pinned link (deleting the pin detaches).</summary>
public sealed class KernelVerbTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("csbpf-cli-").FullName;
    private readonly string _pins = $"/sys/fs/bpf/csbpf-cli-{Environment.ProcessId}";

    private string CompileFixture()
    {
        string obj = Path.Combine(_directory, "links.bpf.o");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I/usr/include/x86_64-linux-gnu", "-c",
            Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "links.bpf.c"), "-o", obj).EnsureSuccess();
        return obj;
    }

    [KernelFact]
    public void Load_show_test_run_map_and_attach()
    {
        var load = CsbpfProcess.Run(null, "load", CompileFixture(), _pins);
        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Contains("xdp_drop_icmp", load.Stdout);
        Assert.True(File.Exists(Path.Combine(_pins, "counters")));

        var show = CsbpfProcess.Run(null, "prog", "show", Path.Combine(_pins, "xdp_drop_icmp"));
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("Xdp", show.Stdout);

        string icmp = "000000000000000000000000" + "0800" + "4500001c00000000400100000a0000010a000002" + "0800000000000000";
        var run = CsbpfProcess.Run(null, "test-run", Path.Combine(_pins, "xdp_drop_icmp"), "--data", icmp);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("1 (0x1)", run.Stdout); // XDP_DROP

        var update = CsbpfProcess.Run(null, "map", "update", Path.Combine(_pins, "counters"), "--key", "03000000", "--value", "2a00000000000000");
        Assert.True(update.ExitCode == 0, update.Stderr);
        var dump = CsbpfProcess.Run(null, "map", "dump", Path.Combine(_pins, "counters"));
        Assert.Contains("2a00000000000000", dump.Stdout);
        Assert.Contains("0100000000000000", dump.Stdout); // the drop the test-run counted
        Assert.Contains("4 entries", dump.Stdout);

        var wrongSize = CsbpfProcess.Run(null, "map", "update", Path.Combine(_pins, "counters"), "--key", "03", "--value", "00");
        Assert.Equal(1, wrongSize.ExitCode);
        Assert.Contains("4-byte keys", wrongSize.Stderr);

        using var veth = new VethPair();
        string link = Path.Combine(_pins, "link");
        var attach = CsbpfProcess.Run(null, "attach", Path.Combine(_pins, "xdp_drop_icmp"), link, "--xdp", veth.HostSide, "--mode", "Generic");
        Assert.True(attach.ExitCode == 0, attach.Stderr);
        Assert.False(veth.PingHostFromPeer(), "the attached program must drop ping");
        File.Delete(link);
        Assert.True(veth.PingHostFromPeer(), "deleting the link's pin must detach the program");
    }

    [KernelFact]
    public void Unknown_programs_are_one_line_errors()
    {
        var show = CsbpfProcess.Run(null, "prog", "show", "4000000000");
        Assert.Equal(1, show.ExitCode);
        Assert.StartsWith("error: ", show.Stderr);
        Assert.Contains("ENOENT", show.Stderr);
    }

    /// <summary>Issue #28: what a newcomer gets wrong first is answered with what to do — native XDP on an interface whose
    /// driver has none (here a bridge of the test's own; lo is another) says to use generic mode; a pin directory outside
    /// bpffs says so (BPF_OBJ_PIN's EPERM there is not about capabilities), before anything is loaded and without creating
    /// the directory.</summary>
    [KernelFact]
    public void Native_xdp_without_driver_support_and_pins_outside_bpffs_say_what_to_do()
    {
        string obj = CompileFixture();
        var load = CsbpfProcess.Run(null, "load", obj, _pins);
        Assert.True(load.ExitCode == 0, load.Stderr);
        string bridge = $"csd{Environment.ProcessId % 100000}";
        ExternalTool.Run("ip", "link", "add", bridge, "type", "bridge").EnsureSuccess();
        try
        {
            ExternalTool.Run("ip", "link", "set", bridge, "up").EnsureSuccess();
            var native = CsbpfProcess.Run(null, "attach", Path.Combine(_pins, "xdp_sequence"), Path.Combine(_pins, "link"), "--xdp", bridge);
            Assert.Equal(1, native.ExitCode);
            Assert.Contains($"the driver of {bridge} has no native XDP", native.Stderr);
            Assert.Contains("--mode Generic", native.Stderr);
            var generic = CsbpfProcess.Run(null, "attach", Path.Combine(_pins, "xdp_sequence"), Path.Combine(_pins, "link"), "--xdp", bridge, "--mode", "Generic");
            Assert.True(generic.ExitCode == 0, generic.Stderr);
            File.Delete(Path.Combine(_pins, "link")); // detaches
        }
        finally
        {
            ExternalTool.Run("ip", "link", "del", bridge);
        }

        string outside = Path.Combine(_directory, "pins");
        var misplaced = CsbpfProcess.Run(null, "load", obj, outside);
        Assert.Equal(1, misplaced.ExitCode);
        Assert.Contains("is not in a bpf filesystem", misplaced.Stderr);
        Assert.DoesNotContain("CAP_", misplaced.Stderr);
        Assert.False(Directory.Exists(outside));
    }

    /// <summary>Issue #28: without CAP_SYS_ADMIN the kernel refuses to walk its ids (EPERM); that is no answer, not an
    /// empty list, so the listing fails with the reason instead of printing an empty table and exiting 0.</summary>
    [KernelFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Listing_without_privileges_fails_with_the_reason_instead_of_an_empty_table()
    {
        foreach (var (verb, objects) in new[] { ("prog", "programs"), ("map", "maps") })
        {
            var privileged = CsbpfProcess.Run(null, verb, "list");
            Assert.True(privileged.ExitCode == 0, privileged.Stderr);
            Assert.Contains("id", privileged.Stdout);

            var unprivileged = CsbpfProcess.RunAsNobody(verb, "list");
            Assert.Equal(1, unprivileged.ExitCode);
            Assert.StartsWith($"error: listing the kernel's {objects}", unprivileged.Stderr);
            Assert.Contains("EPERM", unprivileged.Stderr);
            Assert.Equal("", unprivileged.Stdout.Trim());
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_pins)) Directory.Delete(_pins, recursive: true);
        Directory.Delete(_directory, recursive: true);
    }
}
