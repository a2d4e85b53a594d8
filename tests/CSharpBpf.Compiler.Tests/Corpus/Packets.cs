using System.Runtime.CompilerServices;
using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// The packet API: parsing with bounds checks, variable header lengths, in-place rewrites, resizing.
[BpfObject]
public static partial class Packets
{
    [Xdp]
    public static XdpAction DropSsh(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip) || ip.Protocol != IpProtocol.Tcp) return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size + ip.HeaderLength, out TcpHeader tcp)) return XdpAction.Pass;
        return tcp.DestinationPort == 22 ? XdpAction.Drop : XdpAction.Pass;
    }

    [Xdp]
    public static XdpAction DecrementTtl(XdpContext ctx)
    {
        ref Ipv4Header ip = ref ctx.GetRefOrNullRef<Ipv4Header>(EthernetHeader.Size);
        if (Unsafe.IsNullRef(ref ip)) return XdpAction.Pass;
        if (ip.Ttl <= 1) return XdpAction.Drop;
        ip.Ttl = (byte)(ip.Ttl - 1);
        return XdpAction.Tx;
    }

    [Xdp]
    public static XdpAction EchoReply(XdpContext ctx)
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
        // RFC 1624 incremental update: the type byte went from 8 to 0.
        uint sum = (uint)icmp.Checksum + 0x0800;
        icmp.Checksum = (ushort)(sum + (sum >> 16));
        return XdpAction.Tx;
    }

    [Xdp]
    public static XdpAction StripEthernet(XdpContext ctx)
    {
        if (!ctx.AdjustHead(EthernetHeader.Size)) return XdpAction.Aborted;
        if (!ctx.AdjustTail(-2)) return XdpAction.Aborted;
        return ctx.Length > 20 ? XdpAction.Pass : XdpAction.Drop;
    }

    [Xdp]
    public static XdpAction ContextFields(XdpContext ctx)
    {
        int length = ctx.Length;
        return length > 60 ? XdpAction.Pass : (ctx.RxQueueIndex == 0 ? XdpAction.Drop : XdpAction.Aborted);
    }

    [SocketFilter]
    public static uint KeepUdpOnly(SkBuff skb)
    {
        if (!skb.TryLoad(0, out Ipv4Header ip)) return 0;
        return ip.Protocol == IpProtocol.Udp ? skb.Length : 0;
    }

    [TrafficControl]
    public static TcAction MarkByPort(SkBuff skb)
    {
        if (skb.Protocol != EtherType.IPv4) return TcAction.Ok;
        if (!skb.TryRead(EthernetHeader.Size, out Ipv4Header ip) || ip.Protocol != IpProtocol.Udp) return TcAction.Ok;
        if (!skb.TryRead(EthernetHeader.Size + ip.HeaderLength, out UdpHeader udp)) return TcAction.Ok;
        skb.Mark = udp.DestinationPort;
        return udp.DestinationPort == 53 ? TcAction.Shot : (TcAction)(int)(skb.Mark & 0xff);
    }
}
