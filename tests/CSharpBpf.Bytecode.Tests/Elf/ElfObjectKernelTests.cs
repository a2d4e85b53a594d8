using System;
using System.IO;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Elf;

/// <summary>Objects we write, loaded by the kernel's standard loaders: bpftool (libbpf), ip and tc.</summary>
public sealed class ElfObjectKernelTests : IDisposable
{
    private readonly SampleObjectFile sample = new();
    private string ObjectPath => sample.Path;

    public void Dispose() => sample.Dispose();

    [Fact]
    public void Bpftool_loads_every_program_and_shows_our_line_info()
    {
        string pins = $"/sys/fs/bpf/csbpf-test-{Guid.NewGuid():N}";
        try
        {
            var load = ExternalTool.Run("bpftool", "prog", "loadall", ObjectPath, pins).EnsureSuccess();
            Assert.Equal(new[] { "sock_none", "tc_drop", "xdp_count" }, Sorted(Directory.GetFileSystemEntries(pins)));

            var xlated = ExternalTool.Run("bpftool", "prog", "dump", "xlated", "pinned", Path.Combine(pins, "xdp_count"), "linum").EnsureSuccess().Stdout;
            Assert.Contains("int xdp_count(struct xdp_md * ctx):", xlated);
            Assert.Contains("; Interlocked.Increment(ref hits); [file:Firewall.cs line_num:14 line_col:13]", xlated);
            Assert.Contains("lock *(u64 *)(r0 +0) += r1", xlated);
            Assert.Contains("; static XdpAction Verdict(uint dropAll) => dropAll != 0 ? XdpAction.Drop : XdpAction.Pass; [file:Firewall.cs line_num:20 line_col:5]", xlated);
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }

    [Fact]
    public void Ip_attaches_the_xdp_program_which_drops_the_packets()
    {
        using var veth = new VethPair();
        Assert.True(veth.PingHostFromPeer(), "ping must work before anything is attached");

        ExternalTool.Run("ip", "link", "set", "dev", veth.HostSide, "xdpgeneric", "obj", ObjectPath, "sec", "xdp").EnsureSuccess();
        Assert.Contains("prog/xdp id", ExternalTool.Run("ip", "link", "show", "dev", veth.HostSide).Stdout);
        Assert.False(veth.PingHostFromPeer(), "the XDP program drops every packet");

        ExternalTool.Run("ip", "link", "set", "dev", veth.HostSide, "xdpgeneric", "off").EnsureSuccess();
        Assert.True(veth.PingHostFromPeer(), "ping works again once the program is detached");
    }

    [Fact]
    public void Tc_loads_the_classifier_in_direct_action_mode()
    {
        using var veth = new VethPair();
        ExternalTool.Run("tc", "qdisc", "add", "dev", veth.HostSide, "clsact").EnsureSuccess();
        ExternalTool.Run("tc", "filter", "add", "dev", veth.HostSide, "ingress", "bpf", "da", "obj", ObjectPath, "sec", "tc").EnsureSuccess();

        var filters = ExternalTool.Run("tc", "filter", "show", "dev", veth.HostSide, "ingress").EnsureSuccess().Stdout;
        Assert.Contains("direct-action", filters);
        Assert.Contains("tc_drop", filters);
        Assert.False(veth.PingHostFromPeer(), "the classifier returns TC_ACT_SHOT for every packet");
    }

    private static string[] Sorted(string[] paths)
    {
        var names = Array.ConvertAll(paths, p => Path.GetFileName(p)!);
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }
}
