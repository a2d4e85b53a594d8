using System;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/socket-filter on a veth pair of this test's own, with pings across it.</summary>
public sealed class SocketFilterTests
{
    [KernelFact]
    public void It_counts_pings_as_icmp_packets_on_the_interface()
    {
        using var veth = new VethPair();
        using var tool = SampleProcess.Start("socket-filter", "--interface", veth.HostSide, "--interval", "1");
        tool.WaitForLine(line => line.StartsWith("Counting packets on " + veth.HostSide, StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        for (int i = 0; i < 3; i++) Assert.True(veth.PingHostFromPeer(), "ping across the veth pair");

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
        // The last table is the totals: three echo requests in and three replies out.
        string icmp = tool.Lines.Last(l => l.StartsWith("icmp ", StringComparison.Ordinal));
        var columns = icmp.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, int.Parse(columns[1]));
        Assert.True(long.Parse(columns[2]) >= 6 * 98, icmp); // 98-byte frames: Ethernet + IPv4 + ICMP + 56 bytes of data
    }

    [Fact]
    public void An_unknown_interface_is_refused_with_a_hint()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("socket-filter", "--interface", "nosuch0");
        Assert.Equal(2, exitCode);
        Assert.Contains("no network interface named 'nosuch0' (see `ip link`)", stderr);
    }
}
