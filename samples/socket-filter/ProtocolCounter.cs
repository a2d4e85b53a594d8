using System.Runtime.CompilerServices;
using System.Threading;
using CSharpBpf;

namespace SocketFilterSample;

/// <summary>Packets and bytes per IP protocol.</summary>
public struct ProtocolCount
{
    public ulong Packets;
    public ulong Bytes;
}

/// <summary>
/// A socket filter on a raw packet socket: counts every packet the socket sees by IP protocol (IPv4's protocol,
/// IPv6's next header; slot 256 for non-IP), then returns 0 so the socket itself receives nothing — the counting is
/// the whole job, done in the kernel.
/// </summary>
[BpfObject]
public static partial class ProtocolCounter
{
    public const uint NotIp = 256;

    static readonly BpfArray<ProtocolCount> Counts = new(257);

    [SocketFilter]
    public static uint Count(SkBuff skb)
    {
        uint slot = NotIp;
        if (skb.TryLoad(0, out EthernetHeader ethernet))
        {
            if (ethernet.EtherType == EtherType.IPv4 && skb.TryLoad(EthernetHeader.Size, out Ipv4Header ipv4)) slot = (uint)ipv4.Protocol;
            else if (ethernet.EtherType == EtherType.IPv6 && skb.TryLoad(EthernetHeader.Size, out Ipv6Header ipv6)) slot = (uint)ipv6.NextHeader;
        }
        ref ProtocolCount count = ref Counts.GetValueRefOrNullRef(slot);
        if (Unsafe.IsNullRef(ref count)) return 0;
        Interlocked.Increment(ref count.Packets);
        Interlocked.Add(ref count.Bytes, skb.Length);
        return 0;
    }
}
