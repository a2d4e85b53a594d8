using System;
using System.Buffers.Binary;

namespace CSharpBpf;

/// <summary>
/// A socket filter's or tc program's view of a packet (struct __sk_buff). Socket filters see offsets
/// from the network header and read with <see cref="TryLoad{T}"/>; tc programs see the whole frame
/// and may also read directly with <see cref="TryRead{T}"/>.
/// </summary>
public sealed unsafe class SkBuff
{
    private readonly PacketBuffer _packet;

    private SkBuff(ReadOnlySpan<byte> frame, int start, uint ingressIfindex, uint ifindex, uint hash)
    {
        _packet = new PacketBuffer(frame.Slice(start));
        Protocol = frame.Length >= 14 ? (EtherType)BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)) : 0;
        IngressIfindex = ingressIfindex;
        Ifindex = ifindex;
        Hash = hash;
    }

    /// <summary>A socket filter's view of an Ethernet frame: offsets start at the network header (byte 14).</summary>
    public static SkBuff ForSocketFilter(ReadOnlySpan<byte> frame, uint ifindex = 1) => new(frame, Math.Min(14, frame.Length), ifindex, ifindex, 0);

    /// <summary>A tc program's view of an Ethernet frame: offsets start at the MAC header.</summary>
    public static SkBuff ForTrafficControl(ReadOnlySpan<byte> frame, uint ifindex = 1) => new(frame, 0, ifindex, ifindex, 0);

    /// <summary>Bytes from the first visible byte to the end.</summary>
    public uint Length => (uint)_packet.Length;
    /// <summary>The link-layer protocol, host order.</summary>
    public EtherType Protocol { get; }
    /// <summary>The packet mark (writable).</summary>
    public uint Mark { get; set; }
    /// <summary>The queueing priority (writable).</summary>
    public uint Priority { get; set; }
    /// <summary>The interface the packet arrived on.</summary>
    public uint IngressIfindex { get; }
    /// <summary>The interface the packet is on.</summary>
    public uint Ifindex { get; }
    /// <summary>The flow hash.</summary>
    public uint Hash { get; }
    /// <summary>The first visible byte (tc direct access).</summary>
    public byte* Data => _packet.Data;
    /// <summary>One past the last byte.</summary>
    public byte* DataEnd => _packet.DataEnd;

    /// <summary>Whether the packet matches the tcpdump filter <paramref name="expression"/> (pcap-filter(7), for Ethernet
    /// frames), in a [TrafficControl] program. The expression must be a constant: the generator compiles it to classic BPF as
    /// libpcap would and translates that to an eBPF subprogram over direct packet access — the linear part of the packet
    /// (data to data_end); a field past it is no match, as a field past the end is in classic BPF. Socket filters cannot
    /// use it (they have no direct packet access): attach the expression itself there. As plain .NET,
    /// <see cref="Classic.PacketFilter"/> runs the same classic program on the visible bytes.</summary>
    /// <exception cref="Bytecode.Classic.Filters.PacketFilterException">(plain .NET) The expression is malformed.</exception>
    public bool Matches(string expression) => Classic.PacketFilter.Cached(expression).Matches(_packet.Bytes);

    /// <summary>Copies bytes out of the packet (bpf_skb_load_bytes); false and default when too short.</summary>
    public bool TryLoad<T>(int offset, out T value) where T : unmanaged => _packet.TryRead(offset, out value);

    /// <summary>Writes bytes into the packet (bpf_skb_store_bytes); false when they do not fit.</summary>
    public bool TryStore<T>(int offset, in T value) where T : unmanaged => _packet.TryWrite(offset, in value);

    /// <summary>Reads directly from the packet (tc only); false and default when too short, or when the bytes end past
    /// 65,535 (MAX_PACKET_OFF, as far as direct packet access reaches).</summary>
    public bool TryRead<T>(int offset, out T value) where T : unmanaged => _packet.TryRead(offset, out value, direct: true);

    /// <summary>A reference into the packet (tc only), or a null ref when it does not fit (as <see cref="TryRead{T}"/>).</summary>
    public ref T GetRefOrNullRef<T>(int offset) where T : unmanaged => ref _packet.GetRefOrNullRef<T>(offset, direct: true);

    /// <summary>The packet's current visible bytes.</summary>
    public byte[] ToArray() => _packet.Bytes.ToArray();
}
