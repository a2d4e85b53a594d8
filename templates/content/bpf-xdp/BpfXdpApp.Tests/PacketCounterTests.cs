using BpfXdpApp;
using CSharpBpf;
using Xunit;

namespace BpfXdpApp.Tests;

/// <summary>The XDP program run as plain .NET: the same method the kernel runs, on frames built here.</summary>
public class PacketCounterTests
{
    private static byte[] Ipv4(byte protocol, byte firstPayloadByte = 0)
    {
        var frame = new byte[14 + 20 + 8];
        frame[12] = 0x08;        // EtherType IPv4
        frame[14] = 0x45;        // version 4, 20-byte header
        frame[14 + 9] = protocol;
        frame[34] = firstPayloadByte;
        return frame;
    }

    [Fact]
    public void Counts_packets_per_ip_protocol_and_passes_them()
    {
        PacketCounter.Protocols.TryGetValue(17, out ulong before);
        Assert.Equal(XdpAction.Pass, PacketCounter.Count(new XdpContext(Ipv4(17))));
        Assert.True(PacketCounter.Protocols.TryGetValue(17, out ulong after));
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public void Counts_frames_that_are_not_ipv4_in_slot_0()
    {
        PacketCounter.Protocols.TryGetValue(0, out ulong before);
        Assert.Equal(XdpAction.Pass, PacketCounter.Count(new XdpContext(new byte[10])));
        PacketCounter.Protocols.TryGetValue(0, out ulong after);
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public void Pings_pass_unless_dropping_is_configured()
    {
        Assert.Equal(XdpAction.Pass, PacketCounter.Count(new XdpContext(Ipv4(1, firstPayloadByte: 8))));
    }
}
