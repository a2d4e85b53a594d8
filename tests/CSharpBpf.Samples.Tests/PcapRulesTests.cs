using System;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/pcap-rules (tcpdump expressions as rules of an XDP program, through ctx.Matches) on a veth pair whose
/// peer lives in a namespace of the test's own.</summary>
public sealed class PcapRulesTests
{
    [KernelFact]
    public void Pings_are_dropped_and_counted_by_their_rule_and_everything_is_detached_after()
    {
        using var veth = new VethPair();
        using var tool = SampleProcess.Start("pcap-rules", "--interface", veth.HostSide);
        tool.WaitForLine(line => line.StartsWith("Dropping on " + veth.HostSide, StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        Assert.False(veth.PingHostFromPeer(), "the echo request is dropped at XDP");

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
        var pings = tool.Lines.Last(l => l.StartsWith("icmp[icmptype] == icmp-echo", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(long.Parse(pings[^1]) >= 1, "the ping rule counted the echo request");
        var passed = tool.Lines.Last(l => l.StartsWith("(passed)", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(long.Parse(passed[^1]) >= 1, "the ARP that preceded the ping passed");
        Assert.DoesNotContain("xdp", ExternalTool.Run("ip", "link", "show", "dev", veth.HostSide).EnsureSuccess().Stdout);
    }
}
