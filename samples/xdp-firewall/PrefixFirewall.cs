using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Threading;
using CSharpBpf;

namespace XdpFirewall;

/// <summary>What a prefix rule does, and which counter slot it owns.</summary>
public struct Rule
{
    public uint Index;
    public uint Block;
}

/// <summary>Packets and bytes one rule matched.</summary>
public struct RuleCounter
{
    public ulong Packets;
    public ulong Bytes;
}

/// <summary>
/// An XDP firewall: the longest matching source prefix decides (block or allow, counted per rule), and ICMP echo
/// requests to the responder address are answered from XDP by rewriting the request in place and sending it back
/// out (XDP_TX) — the kernel's stack never sees them.
/// </summary>
[BpfObject]
public static partial class PrefixFirewall
{
    public const int MaxRules = 256;
    public const uint Passed = 0, Dropped = 1, Answered = 2, NotIpv4 = 3;

    static readonly BpfLpmTrie<uint, Rule> Rules = new(MaxRules);
    static readonly BpfArray<RuleCounter> RuleCounters = new(MaxRules);
    static readonly BpfArray<ulong> Totals = new(4);

    /// <summary>Answer echo requests to this address (host order; 0: answer none).</summary>
    static readonly uint ResponderAddress = 0;

    [Xdp]
    public static XdpAction Filter(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4 || !ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip))
            return Count(NotIpv4, XdpAction.Pass);

        var key = new LpmKey<uint>(32, BinaryPrimitives.ReverseEndianness(ip.SourceAddress)); // the trie matches network-order bits
        ref Rule rule = ref Rules.GetValueRefOrNullRef(key);
        if (!Unsafe.IsNullRef(ref rule))
        {
            ref RuleCounter counter = ref RuleCounters.GetValueRefOrNullRef(rule.Index);
            if (!Unsafe.IsNullRef(ref counter))
            {
                Interlocked.Increment(ref counter.Packets);
                Interlocked.Add(ref counter.Bytes, (ulong)ctx.Length);
            }
            if (rule.Block != 0) return Count(Dropped, XdpAction.Drop);
        }

        if (ResponderAddress != 0 && ip.Protocol == IpProtocol.Icmp && ip.DestinationAddress == ResponderAddress && AnswerEcho(ctx, ip.HeaderLength))
            return Count(Answered, XdpAction.Tx);
        return Count(Passed, XdpAction.Pass);
    }

    /// <summary>Turns an echo request into its reply in place: swap the MAC and IP addresses (the IP checksum does not
    /// change: the sum is the same), type 8 → 0, and the ICMP checksum adjusted for that one word (RFC 1624).</summary>
    static bool AnswerEcho(XdpContext ctx, int ipHeaderLength)
    {
        if (ipHeaderLength != Ipv4Header.MinSize) return false;
        ref IcmpHeader icmp = ref ctx.GetRefOrNullRef<IcmpHeader>(EthernetHeader.Size + Ipv4Header.MinSize);
        if (Unsafe.IsNullRef(ref icmp) || icmp.Type != IcmpHeader.EchoRequest || icmp.Code != 0) return false;
        ref EthernetHeader eth = ref ctx.GetRefOrNullRef<EthernetHeader>(0);
        ref Ipv4Header ip = ref ctx.GetRefOrNullRef<Ipv4Header>(EthernetHeader.Size);
        if (Unsafe.IsNullRef(ref eth) || Unsafe.IsNullRef(ref ip)) return false;

        MacAddress mac = eth.Source;
        eth.Source = eth.Destination;
        eth.Destination = mac;
        uint address = ip.SourceAddress;
        ip.SourceAddress = ip.DestinationAddress;
        ip.DestinationAddress = address;
        icmp.Type = IcmpHeader.EchoReply;
        icmp.Checksum = Adjust(icmp.Checksum, (ushort)(IcmpHeader.EchoRequest << 8), (ushort)(IcmpHeader.EchoReply << 8));
        return true;
    }

    /// <summary>HC' = ~(~HC + ~m + m') in one's complement (RFC 1624, eqn. 3), for a 16-bit word m changed to m'.</summary>
    static ushort Adjust(ushort checksum, ushort old, ushort updated)
    {
        uint sum = (uint)(~checksum & 0xffff) + (uint)(~old & 0xffff) + updated;
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    static XdpAction Count(uint total, XdpAction action)
    {
        ref ulong count = ref Totals.GetValueRefOrNullRef(total);
        if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
        return action;
    }
}
