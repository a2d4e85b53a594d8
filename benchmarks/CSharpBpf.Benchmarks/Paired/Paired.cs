using System.Runtime.CompilerServices;
using System.Threading;
using CSharpBpf;

namespace CSharpBpf.Benchmarks.Paired;

/// <summary>Flow key of the flow-hash program: the same layout as struct flow_key in paired.bpf.c.</summary>
public struct FlowKey
{
    public uint Source;
    public uint Destination;
    public ushort SourcePort;
    public ushort DestinationPort;
    public uint Protocol;
}

// Eight realistic programs, each written the same way in paired.bpf.c, compared by CompilerComparison.
[BpfObject]
public static partial class Paired
{
    static readonly BpfHashMap<uint, ulong> blocked = new(maxEntries: 1024);
    static readonly BpfArray<ulong> protocols = new(maxEntries: 256);
    static readonly BpfLruHashMap<FlowKey, ulong> flows = new(maxEntries: 4096);
    static readonly BpfLpmTrie<uint, uint> routes = new(maxEntries: 64);

    [Xdp]
    public static XdpAction drop_ssh(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip) || ip.Protocol != IpProtocol.Tcp) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size + ip.HeaderLength, out TcpHeader tcp)) return XdpAction.Pass;
        return tcp.DestinationPort == 22 ? XdpAction.Drop : XdpAction.Pass;
    }

    [Xdp]
    public static XdpAction block_sources(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip)) return XdpAction.Pass;
        ref ulong hits = ref blocked.GetValueRefOrNullRef(ip.SourceAddress);
        if (Unsafe.IsNullRef(ref hits)) return XdpAction.Pass;
        Interlocked.Increment(ref hits);
        return XdpAction.Drop;
    }

    [Xdp]
    public static XdpAction decrement_ttl(XdpContext ctx)
    {
        ref EthernetHeader eth = ref ctx.GetRefOrNullRef<EthernetHeader>(0);
        if (Unsafe.IsNullRef(ref eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        ref Ipv4Header ip = ref ctx.GetRefOrNullRef<Ipv4Header>(EthernetHeader.Size);
        if (Unsafe.IsNullRef(ref ip)) return XdpAction.Pass;
        if (ip.Ttl <= 1) return XdpAction.Drop;
        ip.Ttl = (byte)(ip.Ttl - 1);
        uint sum = (uint)ip.Checksum + 0x0100;
        ip.Checksum = (ushort)(sum + (sum >> 16));
        return XdpAction.Tx;
    }

    [Xdp]
    public static XdpAction echo_reply(XdpContext ctx)
    {
        ref EthernetHeader eth = ref ctx.GetRefOrNullRef<EthernetHeader>(0);
        if (Unsafe.IsNullRef(ref eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        ref Ipv4Header ip = ref ctx.GetRefOrNullRef<Ipv4Header>(EthernetHeader.Size);
        if (Unsafe.IsNullRef(ref ip) || ip.Protocol != IpProtocol.Icmp || ip.HeaderLength != Ipv4Header.MinSize) return XdpAction.Pass;
        ref IcmpHeader icmp = ref ctx.GetRefOrNullRef<IcmpHeader>(EthernetHeader.Size + Ipv4Header.MinSize);
        if (Unsafe.IsNullRef(ref icmp) || icmp.Type != IcmpHeader.EchoRequest) return XdpAction.Pass;
        MacAddress mac = eth.Source;
        eth.Source = eth.Destination;
        eth.Destination = mac;
        uint address = ip.SourceAddress;
        ip.SourceAddress = ip.DestinationAddress;
        ip.DestinationAddress = address;
        icmp.Type = IcmpHeader.EchoReply;
        uint sum = (uint)icmp.Checksum + 0x0800;
        icmp.Checksum = (ushort)(sum + (sum >> 16));
        return XdpAction.Tx;
    }

    [Xdp]
    public static XdpAction count_protocols(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip)) return XdpAction.Pass;
        ref ulong count = ref protocols.GetValueRefOrNullRef((uint)ip.Protocol);
        if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
        return XdpAction.Pass;
    }

    [Xdp]
    public static XdpAction flow_bytes(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip)) return XdpAction.Pass;
        if (ip.Protocol != IpProtocol.Tcp && ip.Protocol != IpProtocol.Udp) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size + ip.HeaderLength, out UdpHeader ports)) return XdpAction.Pass;
        FlowKey key;
        key.Source = ip.SourceAddress;
        key.Destination = ip.DestinationAddress;
        key.SourcePort = ports.SourcePort;
        key.DestinationPort = ports.DestinationPort;
        key.Protocol = (uint)ip.Protocol;
        ref ulong bytes = ref flows.GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref bytes))
        {
            flows.Update(key, (ulong)ctx.Length);
            return XdpAction.Pass;
        }
        Interlocked.Add(ref bytes, (ulong)ctx.Length);
        return XdpAction.Pass;
    }

    [Xdp]
    public static XdpAction route_lookup(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip)) return XdpAction.Pass;
        var key = new LpmKey<uint>(32, ip.DestinationAddress);
        return routes.TryGetValue(key, out uint action) ? (XdpAction)action : XdpAction.Pass;
    }

    [TrafficControl]
    public static TcAction mark_udp(SkBuff skb)
    {
        if (skb.Protocol != EtherType.IPv4) return TcAction.Ok;
        if (!skb.TryRead(EthernetHeader.Size, out Ipv4Header ip) || ip.Protocol != IpProtocol.Udp) return TcAction.Ok;
        if (!skb.TryRead(EthernetHeader.Size + ip.HeaderLength, out UdpHeader udp)) return TcAction.Ok;
        skb.Mark = udp.DestinationPort;
        return udp.DestinationPort == 53 ? TcAction.Shot : TcAction.Ok;
    }
}
