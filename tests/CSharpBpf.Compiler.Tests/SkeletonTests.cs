using CSharpBpf.Compiler.Tests.Corpus;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>The generated skeleton: open → set constants → load, typed handles per program and map.</summary>
public sealed class SkeletonTests
{
    private static readonly byte[] Frame = new byte[64];

    [KernelFact]
    public void A_constant_set_before_load_is_what_the_program_sees()
    {
        using (var defaults = Globals.Load())
            Assert.Equal((uint)TcAction.Pipe, defaults.ReadOnlyConfiguration.TestRun(Frame).ReturnValue); // 64 bytes ≤ Threshold 100

        var spec = Globals.Open();
        Assert.Equal(100, spec.Threshold);
        spec.Threshold = 10;
        spec.Enabled = true;
        using var lowered = spec.Load();
        Assert.Equal((uint)TcAction.Shot, lowered.ReadOnlyConfiguration.TestRun(Frame).ReturnValue);

        var disabled = Globals.Open();
        disabled.Enabled = false;
        using var off = disabled.Load();
        Assert.Equal((uint)TcAction.Ok, off.ReadOnlyConfiguration.TestRun(Frame).ReturnValue);
    }

    [KernelFact]
    public void The_design_documents_firewall_blocks_a_peer_on_a_veth_pair()
    {
        using var veth = new VethPair();
        using var fw = Firewall.Load();
        uint peer = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(veth.PeerAddress).GetAddressBytes());
        fw.Blocked[peer] = 0;
        using (fw.Filter.AttachXdp(veth.HostSide, CSharpBpf.Links.XdpMode.Native))
        {
            Assert.False(veth.PingHostFromPeer(), "the blocked peer's ping must be dropped");
            Assert.True(fw.Blocked[peer] >= 1, "the drop counter did not count");
        }
        Assert.True(veth.PingHostFromPeer(), "after Dispose the peer gets through");
    }

    [KernelFact]
    public async System.Threading.Tasks.Task Ring_buffers_read_as_typed_records()
    {
        using var events = Events.Load();
        var frame = new byte[60];
        frame[12] = 0x86;
        frame[13] = 0xdd;
        Assert.Equal((uint)XdpAction.Pass, events.Record.TestRun(frame, 5).ReturnValue);
        using var cancel = new System.Threading.CancellationTokenSource(System.TimeSpan.FromSeconds(10));
        int seen = 0;
        await foreach (var record in events.Log.ReadAllAsync<PacketRecord>(cancel.Token))
        {
            Assert.Equal(60u, record.Length);
            Assert.Equal((uint)EtherType.IPv6, record.EtherType);
            if (++seen == 5) break;
        }
        Assert.Equal(5, seen);
    }

    [KernelFact]
    public void Typed_maps_read_what_the_program_wrote()
    {
        using var maps = Maps.Load();
        var frame = new byte[64];
        frame[12] = 0x08;
        frame[14 + 9] = 17; // UDP
        Assert.Equal(2u, maps.CountByProtocol.TestRun(frame).ReturnValue);
        Assert.Equal(4u, maps.CountByProtocol.TestRun(frame).ReturnValue);
        Assert.Equal(4ul, maps.PerProtocol[17]);
        maps.PerProtocol[17] = 100;
        Assert.Equal(102u, maps.CountByProtocol.TestRun(frame).ReturnValue);

        maps.Table.Update(3, -5);
        Assert.True(maps.Table.TryGetValue(3, out long value));
        Assert.Equal(-5, value);
        Assert.Single(maps.Table.Entries());
        Assert.True(maps.Table.Remove(3));
        Assert.False(maps.Table.TryGetValue(3, out _));
    }
}
