using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>The frames every corpus program is run on: seeded random payloads behind an IPv4 EtherType
/// (the arithmetic programs read them as <c>Input</c>), edge values, and real protocol packets.</summary>
public static class TestFrames
{
    public static IReadOnlyList<byte[]> All { get; } = Build();

    private static List<byte[]> Build()
    {
        var frames = new List<byte[]>();
        var random = new Random(20261125);
        for (int i = 0; i < 24; i++)
        {
            var frame = new byte[64];
            random.NextBytes(frame);
            frame[12] = 0x08;
            frame[13] = 0x00;
            frames.Add(frame);
        }
        frames.Add(Filled(64, 0x00));
        frames.Add(Filled(64, 0xff));
        var tiny = Filled(20, 0x41); // too short for the 32-byte Input, with a protocol the kernel does not parse
        tiny[12] = 0x88;
        tiny[13] = 0xb5;
        frames.Add(tiny);
        frames.Add(Ipv4(IpProtocol.Tcp, Tcp(1234, 22), ttl: 64));
        frames.Add(Ipv4(IpProtocol.Tcp, Tcp(1234, 80), ttl: 1));
        frames.Add(Ipv4(IpProtocol.Udp, Udp(5353, 53), ttl: 64, source: 0x0a010203));
        frames.Add(Ipv4(IpProtocol.Udp, Udp(40000, 123), ttl: 9, source: 0x0a7f0001));
        frames.Add(Ipv4(IpProtocol.Icmp, Icmp(8), ttl: 64, source: 0xc0a80001));
        frames.Add(Ipv4(IpProtocol.Icmp, Icmp(0), ttl: 64));
        frames.Add(Ipv4(IpProtocol.Tcp, Tcp(1, 22), ttl: 64, options: 4));
        frames.Add(Ipv4(IpProtocol.Tcp, Tcp(1, 22), ttl: 64)[..40]); // TCP header cut short
        var arp = Filled(42, 0x11);
        arp[12] = 0x08;
        arp[13] = 0x06;
        frames.Add(arp);
        return frames;
    }

    private static byte[] Filled(int length, byte value)
    {
        var frame = new byte[length];
        Array.Fill(frame, value);
        if (length >= 14)
        {
            frame[12] = 0x08;
            frame[13] = 0x00;
        }
        return frame;
    }

    private static byte[] Ipv4(IpProtocol protocol, byte[] payload, byte ttl, uint source = 0x0a000001, int options = 0)
    {
        int header = 20 + options;
        var frame = new byte[14 + header + payload.Length];
        for (int i = 0; i < 6; i++) { frame[i] = (byte)(0x02 + i); frame[6 + i] = (byte)(0x12 + i); }
        frame[12] = 0x08;
        var ip = frame.AsSpan(14);
        ip[0] = (byte)(0x40 | header / 4);
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(header + payload.Length));
        ip[8] = ttl;
        ip[9] = (byte)protocol;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0x0a000063);
        payload.CopyTo(ip[header..]);
        return frame;
    }

    private static byte[] Tcp(ushort source, ushort destination)
    {
        var tcp = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, source);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), destination);
        tcp[12] = 0x50;
        tcp[13] = 0x02;
        return tcp;
    }

    private static byte[] Udp(ushort source, ushort destination)
    {
        var udp = new byte[16];
        BinaryPrimitives.WriteUInt16BigEndian(udp, source);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), 16);
        return udp;
    }

    private static byte[] Icmp(byte type)
    {
        var icmp = new byte[16];
        icmp[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(2), 0xf7fe);
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(4), 0x1234);
        return icmp;
    }
}
