using BpfSocketFilterApp;
using CSharpBpf;
using Xunit;

namespace BpfSocketFilterApp.Tests;

/// <summary>The socket filter run as plain .NET on frames built here. A packet socket's filter sees a frame from its
/// Ethernet header on, as a tc program does.</summary>
public class ByteCounterTests
{
    [Fact]
    public void Counts_the_bytes_of_each_frame_by_protocol_and_keeps_none()
    {
        var frame = new byte[14 + 20 + 30];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[14 + 9] = 6; // TCP
        ByteCounter.Bytes.TryGetValue(6, out ulong before);
        Assert.Equal(0u, ByteCounter.Count(SkBuff.ForTrafficControl(frame)));
        ByteCounter.Bytes.TryGetValue(6, out ulong after);
        Assert.Equal(before + (ulong)frame.Length, after);
    }

    [Fact]
    public void Frames_that_are_not_ipv4_count_in_their_own_slot()
    {
        var arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        ByteCounter.Bytes.TryGetValue(ByteCounter.NotIpv4, out ulong before);
        ByteCounter.Count(SkBuff.ForTrafficControl(arp));
        ByteCounter.Bytes.TryGetValue(ByteCounter.NotIpv4, out ulong after);
        Assert.Equal(before + 42, after);
    }
}
