using System;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/tc-egress on a veth pair of this test's own.</summary>
public sealed class TcEgressTests
{
    [KernelFact]
    public void It_counts_bytes_per_destination_leaving_the_interface_and_detaches_on_ctrl_c()
    {
        using var veth = new VethPair();
        using var tool = SampleProcess.Start("tc-egress", "--interface", veth.HostSide, "--interval", "1");
        tool.WaitForLine(line => line.StartsWith("Counting egress traffic on " + veth.HostSide, StringComparison.Ordinal));
        var ids = tool.AttachedProgramIds();
        ExternalTool.Run("ping", "-c", "4", "-i", "0.2", "-W", "1", veth.PeerAddress).EnsureSuccess();

        Assert.Equal(0, tool.Interrupt());
        SampleProcess.AssertUnloaded(ids);
        var columns = tool.Lines.Last(l => l.StartsWith(veth.PeerAddress + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, int.Parse(columns[1]));        // four echo requests left towards the peer
        Assert.Equal(4 * 98, long.Parse(columns[2]));   // 98-byte frames
    }

    [Fact]
    public void The_interface_is_required()
    {
        var (exitCode, _, stderr) = SampleProcess.RunToEnd("tc-egress");
        Assert.Equal(2, exitCode);
        Assert.Contains("--interface is required", stderr);
    }
}
