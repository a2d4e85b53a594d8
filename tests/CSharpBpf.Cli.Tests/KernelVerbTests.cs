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
