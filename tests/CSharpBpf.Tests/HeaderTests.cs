using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace CSharpBpf.Tests;

public sealed class HeaderTests
{
    private static readonly byte[] Frame = Convert.FromHexString(
        "0102030405060a0b0c0d0e0f0800" +                 // Ethernet: dst, src, IPv4
        "4600003c1c4640004006b1e6c0a80001c0a800c7" +     // IPv4, header length 24
        "01020304" +                                      // options
        "d4310016000000010000000060022000abcd0000");      // TCP 54321 → 22, data offset 24, SYN

    [Fact]
    public void Properties_read_host_order_from_network_order_bytes()
    {
        var ctx = new XdpContext(Frame);
        Assert.True(ctx.TryRead(0, out EthernetHeader eth));
        Assert.Equal(EtherType.IPv4, eth.EtherType);
        Assert.Equal("0a:0b:0c:0d:0e:0f", eth.Source.ToString());
        Assert.True(ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip));
        Assert.Equal(4, ip.Version);
        Assert.Equal(24, ip.HeaderLength);
        Assert.Equal(60, ip.TotalLength);
        Assert.Equal(IpProtocol.Tcp, ip.Protocol);
        Assert.Equal(64, ip.Ttl);
        Assert.Equal(0xc0a80001u, ip.SourceAddress);
        Assert.Equal(0xc0a800c7u, ip.DestinationAddress);
        Assert.True(ctx.TryRead(EthernetHeader.Size + ip.HeaderLength, out TcpHeader tcp));
        Assert.Equal(54321, tcp.SourcePort);
        Assert.Equal(22, tcp.DestinationPort);
        Assert.Equal(24, tcp.DataOffset);
        Assert.Equal(TcpFlags.Syn, tcp.Flags);
        Assert.Equal(0xabcd, tcp.Checksum);
    }

    [Fact]
    public void Setters_write_network_order()
    {
        var ip = default(Ipv4Header);
        ip.SourceAddress = 0x0a000001;
        ip.Checksum = 0x1234;
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<Ipv4Header>(in ip)).ToArray();
        Assert.Equal(new byte[] { 0x0a, 0, 0, 1 }, bytes[12..16]);
        Assert.Equal(new byte[] { 0x12, 0x34 }, bytes[10..12]);
    }

    [Theory]
    [InlineData(typeof(EthernetHeader), 14)]
    [InlineData(typeof(Ipv4Header), 20)]
    [InlineData(typeof(Ipv6Header), 40)]
    [InlineData(typeof(TcpHeader), 20)]
    [InlineData(typeof(UdpHeader), 8)]
    [InlineData(typeof(IcmpHeader), 8)]
    public void BpfField_offsets_match_the_layout_the_compiler_reads(Type header, int size)
    {
        Assert.Equal(size, Marshal.SizeOf(header));
        var properties = header.GetProperties().Where(p => p.GetCustomAttribute<BpfFieldAttribute>() != null).ToList();
        Assert.NotEmpty(properties);
        foreach (var property in properties)
        {
            var field = property.GetCustomAttribute<BpfFieldAttribute>()!;
            var type = property.PropertyType.IsEnum ? Enum.GetUnderlyingType(property.PropertyType) : property.PropertyType;
            int width = field.RawSize > 0 ? field.RawSize : Marshal.SizeOf(type);
            Assert.InRange(field.Offset + width, 1, size);
            // Only the bytes the attribute names may feed the property: set them and it becomes nonzero;
            // set every other byte and it stays zero.
            var inside = new byte[size];
            var outside = Enumerable.Repeat((byte)0xff, size).ToArray();
            for (int i = 0; i < width; i++) { inside[field.Offset + i] = 0xff; outside[field.Offset + i] = 0; }
            Assert.False(IsZero(property.GetValue(ReadStruct(header, inside))!), $"{header.Name}.{property.Name} ignores bytes {field.Offset}..{field.Offset + width - 1}");
            Assert.True(IsZero(property.GetValue(ReadStruct(header, outside))!), $"{header.Name}.{property.Name} reads bytes outside {field.Offset}..{field.Offset + width - 1}");
        }
    }

    private static bool IsZero(object value) => value switch
    {
        MacAddress mac => ((ReadOnlySpan<byte>)mac).IndexOfAnyExcept((byte)0) < 0,
        Ipv6Address address => ((ReadOnlySpan<byte>)address).IndexOfAnyExcept((byte)0) < 0,
        _ => Convert.ToUInt64(value.GetType().IsEnum ? Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType())) : value) == 0,
    };

    private static object ReadStruct(Type type, byte[] bytes)
    {
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        try { return Marshal.PtrToStructure(handle.AddrOfPinnedObject(), type)!; }
        finally { handle.Free(); }
    }
}
