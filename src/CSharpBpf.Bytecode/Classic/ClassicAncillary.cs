namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>Linux's ancillary loads: an absolute load (ld/ldh/ldb) at SKF_AD_OFF + field reads a value of the
    /// socket buffer instead of the packet, whatever the load's width (include/uapi/linux/filter.h,
    /// net/core/filter.c convert_bpf_extensions). The values are the offsets from SKF_AD_OFF.</summary>
    public enum ClassicAncillary
    {
        /// <summary>SKF_AD_PROTOCOL: the frame's protocol (ethertype, host order, e.g. 0x0800).</summary>
        Protocol = 0,
        /// <summary>SKF_AD_PKTTYPE: PACKET_HOST, _BROADCAST, _MULTICAST, _OTHERHOST, _OUTGOING…</summary>
        PacketType = 4,
        /// <summary>SKF_AD_IFINDEX: the device's interface index.</summary>
        InterfaceIndex = 8,
        /// <summary>SKF_AD_NLATTR: the offset of the netlink attribute of type X in the message at offset A, or 0.</summary>
        NetlinkAttribute = 12,
        /// <summary>SKF_AD_NLATTR_NEST: the offset of the attribute of type X nested in the attribute at offset A, or 0.</summary>
        NetlinkAttributeNested = 16,
        /// <summary>SKF_AD_MARK: skb->mark.</summary>
        Mark = 20,
        /// <summary>SKF_AD_QUEUE: skb->queue_mapping.</summary>
        Queue = 24,
        /// <summary>SKF_AD_HATYPE: the device's hardware type (ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772).</summary>
        HardwareType = 28,
        /// <summary>SKF_AD_RXHASH: the flow hash.</summary>
        ReceiveHash = 32,
        /// <summary>SKF_AD_CPU: the CPU running the filter.</summary>
        Cpu = 36,
        /// <summary>SKF_AD_ALU_XOR_X: A ^= X (not a value but an operation).</summary>
        AluXorX = 40,
        /// <summary>SKF_AD_VLAN_TAG: the VLAN TCI the device stripped.</summary>
        VlanTag = 44,
        /// <summary>SKF_AD_VLAN_TAG_PRESENT: 1 when a VLAN tag was stripped, else 0.</summary>
        VlanTagPresent = 48,
        /// <summary>SKF_AD_PAY_OFFSET: the offset of the transport payload (the flow dissector's answer).</summary>
        PayloadOffset = 52,
        /// <summary>SKF_AD_RANDOM: a 32-bit pseudo-random number.</summary>
        Random = 56,
        /// <summary>SKF_AD_VLAN_TPID: the stripped VLAN tag's protocol (0x8100 or 0x88a8).</summary>
        VlanTpid = 60,
    }

    /// <summary>The special offsets of absolute and indirect loads (include/uapi/linux/filter.h).</summary>
    public static class ClassicOffsets
    {
        /// <summary>SKF_AD_OFF: the base of the ancillary fields (<see cref="ClassicAncillary"/>).</summary>
        public const int Ancillary = -0x1000;
        /// <summary>SKF_AD_MAX: the end of the ancillary range, relative to <see cref="Ancillary"/>.</summary>
        public const int AncillaryMax = 64;
        /// <summary>SKF_NET_OFF: loads from here on are relative to the network header.</summary>
        public const int Network = -0x100000;
        /// <summary>SKF_LL_OFF: loads from here on (to <see cref="Network"/>) are relative to the link-layer header.</summary>
        public const int LinkLayer = -0x200000;

        /// <summary>The ancillary field an absolute load at <paramref name="k"/> reads, if it is one the kernel knows.</summary>
        public static bool TryGetAncillary(uint k, out ClassicAncillary field)
        {
            int offset = (int)k - Ancillary;
            field = (ClassicAncillary)offset;
            return (int)k >= Ancillary && offset < AncillaryMax && offset % 4 == 0;
        }

        /// <summary>The name tcpdump (libpcap's bpf_image) prints for an ancillary field, or null where it prints the number.</summary>
        public static string? ListingName(ClassicAncillary field) => field switch
        {
            ClassicAncillary.Protocol => "proto",
            ClassicAncillary.PacketType => "type",
            ClassicAncillary.InterfaceIndex => "ifidx",
            ClassicAncillary.NetlinkAttribute => "nla",
            ClassicAncillary.NetlinkAttributeNested => "nlan",
            ClassicAncillary.Mark => "mark",
            ClassicAncillary.Queue => "queue",
            ClassicAncillary.HardwareType => "hatype",
            ClassicAncillary.ReceiveHash => "rxhash",
            ClassicAncillary.Cpu => "cpu",
            ClassicAncillary.AluXorX => "xor_x",
            ClassicAncillary.VlanTag => "vlan_tci",
            ClassicAncillary.VlanTagPresent => "vlanp",
            ClassicAncillary.PayloadOffset => "poff",
            _ => null,
        };
    }
}
