using System.Runtime.CompilerServices;
using Xunit;

namespace CSharpBpf.Tests;

public sealed class XdpContextTests
{
    private static byte[] Frame(int length)
    {
        var frame = new byte[length];
        for (int i = 0; i < length; i++) frame[i] = (byte)i;
        return frame;
    }

    [Fact]
    public void TryRead_reads_inside_the_packet_and_refuses_past_its_end()
    {
        var ctx = new XdpContext(Frame(20));
        Assert.True(ctx.TryRead(16, out uint last));
        Assert.Equal(0x13121110u, last);
        Assert.False(ctx.TryRead(17, out uint past));
        Assert.Equal(0u, past);
        Assert.False(ctx.TryRead(-1, out byte _));
        Assert.Equal(20, ctx.Length);
    }

    [Fact]
    public void Direct_access_stops_at_65535_bytes_as_the_verifier_lets_it_reach()
    {
        // MAX_PACKET_OFF: a compiled program cannot reach further, so neither does the managed context, whatever the length.
        var ctx = new XdpContext(new byte[70_010]);
        Assert.True(ctx.TryRead(65_531, out uint _));
        Assert.False(ctx.TryRead(65_532, out uint _));
        Assert.False(ctx.TryRead(69_000, out byte _));
        Assert.True(Unsafe.IsNullRef(ref ctx.GetRefOrNullRef<ushort>(65_534)));
        Assert.False(Unsafe.IsNullRef(ref ctx.GetRefOrNullRef<ushort>(65_533)));
    }

    [Fact]
    public void GetRefOrNullRef_rewrites_in_place_and_is_null_out_of_bounds()
    {
        var ctx = new XdpContext(Frame(16));
        ref ushort word = ref ctx.GetRefOrNullRef<ushort>(2);
        word = 0xbeef;
        Assert.Equal(new byte[] { 0xef, 0xbe }, ctx.ToArray()[2..4]);
        Assert.True(Unsafe.IsNullRef(ref ctx.GetRefOrNullRef<ulong>(9)));
    }

    [Fact]
    public void AdjustHead_and_AdjustTail_move_the_ends_but_keep_an_Ethernet_header()
    {
        var ctx = new XdpContext(Frame(40));
        Assert.True(ctx.AdjustHead(14));
        Assert.Equal(26, ctx.Length);
        Assert.Equal(14, ctx.ToArray()[0]);
        Assert.True(ctx.AdjustHead(-14));
        Assert.Equal(40, ctx.Length);
        Assert.False(ctx.AdjustHead(30)); // would leave 10 bytes
        Assert.True(ctx.AdjustTail(8));
        Assert.Equal(48, ctx.Length);
        Assert.Equal(0, ctx.ToArray()[47]);
        Assert.False(ctx.AdjustTail(-40));
        Assert.False(ctx.AdjustHead(-1000));
    }

    [Fact]
    public void Redirect_records_the_interface()
    {
        var ctx = new XdpContext(Frame(14));
        Assert.Equal(XdpAction.Redirect, ctx.Redirect(7));
        Assert.Equal(7, ctx.RedirectIfindex);
    }

    [Fact]
    public void SkBuff_views_start_where_the_kernel_starts_them()
    {
        var frame = Frame(40);
        frame[12] = 0x86;
        frame[13] = 0xdd;
        var socket = SkBuff.ForSocketFilter(frame);
        var tc = SkBuff.ForTrafficControl(frame);
        Assert.Equal(26u, socket.Length);
        Assert.Equal(40u, tc.Length);
        Assert.True(socket.TryLoad(0, out byte first));
        Assert.Equal(14, first);
        Assert.Equal(EtherType.IPv6, socket.Protocol);
        Assert.True(tc.TryStore(0, (ushort)0xffff));
        Assert.Equal(0xff, tc.ToArray()[1]);
        tc.Mark = 5;
        Assert.Equal(5u, tc.Mark);
    }
}
