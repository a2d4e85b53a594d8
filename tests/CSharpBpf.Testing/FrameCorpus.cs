using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;

namespace CSharpBpf.Testing;

/// <summary>A seeded corpus of Ethernet frames for comparing packet filters: IPv4 (options, fragments), IPv6 (extension
/// and fragment headers), ARP, 802.3 and unknown ethertypes, zero to two VLAN tags, TCP/UDP/ICMP/ICMPv6/other
/// payloads, addresses and ports from small pools so that host, net and port filters match some frames, and some
/// frames cut short (to 20 bytes or more: the kernel drops a tagged frame too short for its tag). No frame has an all-zero destination (loopback's own traffic has one, so tests can tell theirs
/// apart).</summary>
public static class FrameCorpus
{
    private static readonly byte[][] Macs =
    {
        new byte[] { 2, 0, 0, 0, 0, 1 }, new byte[] { 2, 0, 0, 0, 0, 2 }, new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
        new byte[] { 1, 0, 0x5e, 0, 0, 1 }, new byte[] { 0x33, 0x33, 0, 0, 0, 1 }, new byte[] { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
    };
    private static readonly string[] V4 = { "10.0.0.1", "10.0.0.2", "192.168.1.254", "172.16.5.4", "10.1.2.3", "224.0.0.251", "255.255.255.255", "8.8.8.8", "192.168.0.9" };
    private static readonly string[] V6 = { "fe80::1", "::1", "2001:db8::5", "ff02::1", "2001:db8:1::9", "fe80::2" };
    private static readonly ushort[] Ports = { 22, 53, 80, 123, 443, 1024, 4789, 8080, 8050, 49152, 65535, 1, 1023 };

    /// <summary><paramref name="count"/> frames from <paramref name="seed"/>: the same frames for the same arguments.</summary>
    public static List<byte[]> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var frames = new List<byte[]>(count);
        for (int i = 0; i < count; i++) frames.Add(Frame(random));
        return frames;
    }

    private static byte[] Frame(Random random)
    {
        var frame = new List<byte>();
        var destination = random.Next(8) == 0 ? RandomMac(random) : Macs[random.Next(Macs.Length)];
        frame.AddRange(destination);
        frame.AddRange(random.Next(4) == 0 ? RandomMac(random) : Macs[random.Next(Macs.Length)]);
        int tags = random.Next(10) switch { < 7 => 0, < 9 => 1, _ => 2 };
        for (int t = 0; t < tags; t++)
        {
            Add16(frame, t == 0 && tags == 2 && random.Next(2) == 0 ? (ushort)0x88a8 : (ushort)0x8100);
            Add16(frame, (ushort)(random.Next(3) == 0 ? random.Next(0x10000) : new[] { 10, 100, 4095, 1 }[random.Next(4)] | random.Next(8) << 13));
        }
        switch (random.Next(12))
        {
            case < 5: Add16(frame, 0x0800); Ipv4(frame, random); break;
            case < 8: Add16(frame, 0x86dd); Ipv6(frame, random); break;
            case 8: Add16(frame, 0x0806); Arp(frame, random); break;
            case 9: Add16(frame, (ushort)random.Next(46, 1500)); frame.AddRange(random.Next(2) == 0 ? new byte[] { 0xff, 0xff } : new byte[] { 0xaa, 0xaa, 3 }); Fill(frame, random, random.Next(40)); break;
            case 10: Add16(frame, (ushort)(random.Next(2) == 0 ? 0x88cc : 0x8035)); Fill(frame, random, random.Next(20, 60)); break;
            default: Add16(frame, (ushort)random.Next(0x600, 0x10000)); Fill(frame, random, random.Next(60)); break;
        }
        if (random.Next(3) == 0) Fill(frame, random, random.Next(900)); // padding and payload: some filters read far in
        while (frame.Count < 60) frame.Add(0);
        var bytes = frame.ToArray();
        if (random.Next(8) == 0) Array.Resize(ref bytes, random.Next(20, bytes.Length)); // cut short (past the tags): loads past the end
        return bytes;
    }

    private static void Ipv4(List<byte> frame, Random random)
    {
        int options = random.Next(5) == 0 ? random.Next(1, 11) * 4 : 0;
        frame.Add((byte)(0x40 | (5 + options / 4)));
        frame.Add((byte)random.Next(256));
        Add16(frame, (ushort)random.Next(20, 1500));
        Add16(frame, (ushort)random.Next(0x10000));
        ushort fragment = random.Next(6) switch { 0 => (ushort)(0x2000 | random.Next(0x2000)), 1 => (ushort)random.Next(1, 0x2000), 2 => 0x4000, 3 => 0x2000, _ => 0 };
        Add16(frame, fragment);
        frame.Add((byte)new[] { 1, 64, 128, 255, 63 }[random.Next(5)]);
        int protocol = random.Next(10) switch { < 4 => 6, < 7 => 17, < 8 => 1, 8 => 47, _ => random.Next(256) };
        frame.Add((byte)protocol);
        Add16(frame, (ushort)random.Next(0x10000));
        frame.AddRange(V4Address(random));
        frame.AddRange(V4Address(random));
        Fill(frame, random, options);
        Transport(frame, random, protocol, icmpProtocol: 1);
    }

    private static void Ipv6(List<byte> frame, Random random)
    {
        frame.AddRange(new byte[] { 0x60, 0, 0, 0 });
        Add16(frame, (ushort)random.Next(0, 1400));
        int protocol = random.Next(10) switch { < 4 => 6, < 7 => 17, < 8 => 58, 8 => 0, _ => 44 };
        frame.Add((byte)protocol);
        frame.Add((byte)new[] { 1, 64, 255 }[random.Next(3)]);
        frame.AddRange(V6Address(random));
        frame.AddRange(V6Address(random));
        if (protocol is 0 or 44)
        {
            // A hop-by-hop options header or a fragment header (8 bytes), then TCP/UDP/ICMPv6.
            int next = new[] { 6, 17, 58 }[random.Next(3)];
            frame.Add((byte)next);
            frame.Add(0);
            if (protocol == 44) { Add16(frame, (ushort)(random.Next(2) == 0 ? 0 : random.Next(0x10000) & 0xfff9)); Fill(frame, random, 4); }
            else Fill(frame, random, 6);
            protocol = next;
        }
        Transport(frame, random, protocol, icmpProtocol: 58);
    }

    private static void Transport(List<byte> frame, Random random, int protocol, int icmpProtocol)
    {
        switch (protocol)
        {
            case 6:
                Add16(frame, Port(random)); Add16(frame, Port(random));
                Fill(frame, random, 8);
                int offset = random.Next(4) == 0 ? random.Next(5, 16) : 5;
                frame.Add((byte)(offset << 4));
                frame.Add((byte)(random.Next(3) == 0 ? random.Next(256) : new[] { 0x02, 0x12, 0x10, 0x11, 0x04, 0x18 }[random.Next(6)]));
                Fill(frame, random, 6 + (offset - 5) * 4);
                break;
            case 17:
                Add16(frame, Port(random)); Add16(frame, Port(random));
                Add16(frame, (ushort)random.Next(8, 1400)); Add16(frame, (ushort)random.Next(0x10000));
                break;
            default:
                if (protocol == icmpProtocol)
                {
                    frame.Add((byte)(random.Next(3) == 0 ? random.Next(256) : new[] { 0, 8, 3, 11, 128, 129, 135, 136 }[random.Next(8)]));
                    frame.Add((byte)random.Next(4));
                    Fill(frame, random, 6);
                }
                else Fill(frame, random, random.Next(4, 24));
                break;
        }
    }

    private static void Arp(List<byte> frame, Random random)
    {
        Add16(frame, 1); Add16(frame, 0x0800); frame.Add(6); frame.Add(4); Add16(frame, (ushort)random.Next(1, 3));
        frame.AddRange(Macs[random.Next(Macs.Length)]); frame.AddRange(V4Address(random));
        frame.AddRange(new byte[6]); frame.AddRange(V4Address(random));
    }

    private static byte[] V4Address(Random random) =>
        random.Next(6) == 0 ? RandomBytes(random, 4) : IPAddress.Parse(V4[random.Next(V4.Length)]).GetAddressBytes();

    private static byte[] V6Address(Random random) =>
        random.Next(6) == 0 ? RandomBytes(random, 16) : IPAddress.Parse(V6[random.Next(V6.Length)]).GetAddressBytes();

    private static ushort Port(Random random) => random.Next(5) == 0 ? (ushort)random.Next(0x10000) : Ports[random.Next(Ports.Length)];

    private static byte[] RandomMac(Random random)
    {
        var mac = RandomBytes(random, 6);
        mac[0] = (byte)(mac[0] | 2); // never all zero
        return mac;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void Fill(List<byte> frame, Random random, int count) => frame.AddRange(RandomBytes(random, count));

    private static void Add16(List<byte> frame, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        frame.Add(b[0]);
        frame.Add(b[1]);
    }
}
