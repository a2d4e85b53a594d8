using System;

namespace CSharpBpf;

/// <summary>
/// An XDP program's view of a packet (struct xdp_md). In the kernel the compiler lowers each member to
/// context loads and bounds checks; as plain .NET it works over a copy of the packet, so a program can
/// be unit-tested and debugged.
/// </summary>
public sealed unsafe class XdpContext : IDisposable
{
    private readonly PacketBuffer _packet;

    /// <summary>A context over a copy of <paramref name="packet"/> (an Ethernet frame).</summary>
    public XdpContext(ReadOnlySpan<byte> packet, uint ingressIfindex = 1, uint rxQueueIndex = 0)
    {
        _packet = new PacketBuffer(packet);
        IngressIfindex = ingressIfindex;
        RxQueueIndex = rxQueueIndex;
    }

    /// <summary>The first byte of the packet.</summary>
    public byte* Data => _packet.Data;
    /// <summary>One past the last byte of the packet.</summary>
    public byte* DataEnd => _packet.DataEnd;
    /// <summary>The packet's length in bytes.</summary>
    public int Length => _packet.Length;
    /// <summary>The interface the packet arrived on.</summary>
    public uint IngressIfindex { get; }
    /// <summary>The receive queue it arrived on.</summary>
    public uint RxQueueIndex { get; }
    /// <summary>The interface <see cref="Redirect"/> chose, when it was called.</summary>
    public int? RedirectIfindex { get; private set; }

    /// <summary>Whether the packet matches the tcpdump filter <paramref name="expression"/> (pcap-filter(7), for Ethernet
    /// frames: <c>"tcp dst port 22 and not src net 10.0.0.0/8"</c>). The expression must be a constant: the generator compiles
    /// it to classic BPF as libpcap would and translates that to an eBPF subprogram over direct packet access (Linux
    /// 5.18+), a bad expression being BPF0035 at build time. A field past the packet's end is no match, as in classic BPF.
    /// As plain .NET, <see cref="Classic.PacketFilter"/> runs the same classic program.</summary>
    /// <exception cref="Bytecode.Classic.Filters.PacketFilterException">(plain .NET) The expression is malformed.</exception>
    public bool Matches(string expression) => Classic.PacketFilter.Cached(expression).Matches(_packet.Bytes);

    /// <summary>Copies a <typeparamref name="T"/> out of the packet at <paramref name="offset"/> (bytes from the start); false
    /// (and default) when the packet is too short, the offset negative, or the bytes end past 65,535 (MAX_PACKET_OFF, as far as
    /// the verifier lets direct packet access reach).</summary>
    public bool TryRead<T>(int offset, out T value) where T : unmanaged => _packet.TryRead(offset, out value, direct: true);

    /// <summary>Writes a <typeparamref name="T"/> into the packet at <paramref name="offset"/>; false when it does not fit
    /// (as <see cref="TryRead{T}"/>).</summary>
    public bool TryWrite<T>(int offset, in T value) where T : unmanaged => _packet.TryWrite(offset, in value, direct: true);

    /// <summary>A reference into the packet for in-place rewriting, or a null ref (test with Unsafe.IsNullRef) when it does not fit
    /// (as <see cref="TryRead{T}"/>).</summary>
    public ref T GetRefOrNullRef<T>(int offset) where T : unmanaged => ref _packet.GetRefOrNullRef<T>(offset, direct: true);

    /// <summary>Moves the packet's start by <paramref name="delta"/> bytes (bpf_xdp_adjust_head); false when impossible.</summary>
    public bool AdjustHead(int delta) => _packet.AdjustHead(delta);

    /// <summary>Moves the packet's end by <paramref name="delta"/> bytes (bpf_xdp_adjust_tail); false when impossible.</summary>
    public bool AdjustTail(int delta) => _packet.AdjustTail(delta);

    /// <summary>Sends the packet out of another interface (bpf_redirect); return the result from the program.</summary>
    public XdpAction Redirect(int ifindex)
    {
        RedirectIfindex = ifindex;
        return XdpAction.Redirect;
    }

    /// <summary>The packet's current bytes.</summary>
    public byte[] ToArray() => _packet.Bytes.ToArray();

    /// <summary>Nothing to release: the pinned buffer is collected with the context.</summary>
    public void Dispose() { }
}
