using System;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/xdp-firewall on a veth pair whose peer lives in a network namespace of the test's own.</summary>
public sealed class XdpFirewallTests
{
    [KernelFact]
    public void It_answers_pings_from_XDP_with_valid_replies()
    {
        using var veth = new VethPair();
        using var tool = SampleProcess.Start("xdp-firewall", "--interface", veth.HostSide, "--answer-icmp", veth.HostAddress, "--mode", "generic");
        tool.WaitForLine(line => line.StartsWith("Filtering " + veth.HostSide, StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        for (int i = 0; i < 3; i++) Assert.True(veth.PingHostFromPeer(), "the XDP reply reached the pinger (its checksums are valid)");

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
        Assert.Matches(@"^passed \d+, dropped 0, answered 3, not IPv4 \d+$", tool.Lines.Last(l => l.StartsWith("passed ", StringComparison.Ordinal)));
        Assert.DoesNotContain("xdp", ExternalTool.Run("ip", "link", "show", "dev", veth.HostSide).EnsureSuccess().Stdout);
    }

    [KernelFact]
    public void A_blocked_prefix_drops_and_a_longer_allowed_prefix_inside_it_passes()
    {
        using var veth = new VethPair();
        string subnet = veth.PeerAddress[..veth.PeerAddress.LastIndexOf('.')] + ".0/24";
        using (var blocking = SampleProcess.Start("xdp-firewall", "--interface", veth.HostSide, "--block", subnet, "--mode", "generic"))
        {
            blocking.WaitForLine(line => line.StartsWith("Filtering ", StringComparison.Ordinal));
            Assert.False(veth.PingHostFromPeer(), "a ping from a blocked prefix is dropped");
            Assert.Equal(0, blocking.Interrupt());
            var rule = blocking.Lines.Last(l => l.StartsWith("block " + subnet, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(int.Parse(rule[2]) >= 1, "the block rule counted the ping");
        }
        using (var allowing = SampleProcess.Start("xdp-firewall", "--interface", veth.HostSide, "--block", subnet, "--allow", veth.PeerAddress + "/32", "--mode", "generic"))
        {
            allowing.WaitForLine(line => line.StartsWith("Filtering ", StringComparison.Ordinal));
            Assert.True(veth.PingHostFromPeer(), "the longer allow prefix wins");
            Assert.Equal(0, allowing.Interrupt());
            var rule = allowing.Lines.Last(l => l.StartsWith("allow " + veth.PeerAddress, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(int.Parse(rule[2]) >= 1, "the allow rule counted the ping");
        }
    }

    [KernelFact]
    public void Native_mode_on_a_driver_without_it_says_to_use_generic()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("xdp-firewall", "--interface", "lo", "--mode", "native", "--duration", "1");
        Assert.Equal(1, exitCode);
        Assert.Contains("xdp-firewall: this kernel lacks what the tool needs: lo's driver has no native XDP", stderr);
        Assert.Contains("use --mode generic", stderr);
    }

    [Fact]
    public void A_malformed_prefix_is_refused_with_an_example()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("xdp-firewall", "--interface", "lo", "--block", "10.0.0.0/99");
        Assert.Equal(2, exitCode);
        Assert.Contains("'10.0.0.0/99' is not an IPv4 prefix like 10.0.0.0/8", stderr);
    }
}
