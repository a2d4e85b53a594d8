using System.Collections.Generic;
using static CSharpBpf.Bytecode.Classic.Filters.Conditions;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>The tests each primitive of pcap-filter(7) makes on an Ethernet frame, in the order libpcap's gencode
    /// makes them (which matters: a load past a cut-short packet ends the program with 0, so the same decisions need
    /// the same loads in the same order). Each <c>vlan</c> moves the link type and network offsets 4 bytes on for the
    /// rest of the expression, as libpcap does.</summary>
    internal sealed class FilterPrimitives
    {
        public const ushort EthertypeIp = 0x0800, EthertypeIp6 = 0x86dd, EthertypeArp = 0x0806, EthertypeRarp = 0x8035;
        private const uint Ip6FragmentHeader = 44;

        /// <summary>Where the ethertype is (12, plus 4 per vlan so far).</summary>
        public uint LinkTypeOffset { get; set; } = 12;
        /// <summary>Where the network header starts (14, plus 4 per vlan so far).</summary>
        public uint NetworkOffset { get; set; } = 14;

        /// <summary>The ethertype; for AppleTalk and AARP also their 802.2 SNAP encapsulation (an 802.3 length, then
        /// LLC AA AA 03 with the OUI and type), as libpcap's gen_linktype accepts them.</summary>
        public FilterCondition Ethertype(uint type)
        {
            var direct = Load(2, LinkTypeOffset, type);
            if (type is not (0x809b or 0x80f3)) return direct;
            var isLength = new NotCondition(new TestCondition(new PacketLoad(2, LinkTypeOffset), ClassicJumpOperation.Greater, new ConstantValue(1500)));
            uint oui = type == 0x809b ? 0x080007u : 0;
            return Or(direct, And(isLength, Load(4, LinkTypeOffset + 6, (oui & 0xffff) << 16 | type), Load(4, LinkTypeOffset + 2, 0xaaaa0300u | oui >> 16)));
        }

        /// <summary>The protocol's own test: an ethertype, or an IP protocol number over IPv4 and/or IPv6.</summary>
        public FilterCondition Protocol(FilterProtocol protocol) => protocol switch
        {
            FilterProtocol.Ip => Ethertype(EthertypeIp),
            FilterProtocol.Ip6 => Ethertype(EthertypeIp6),
            FilterProtocol.Arp => Ethertype(EthertypeArp),
            FilterProtocol.Rarp => Ethertype(EthertypeRarp),
            FilterProtocol.Atalk => Ethertype(0x809b),
            FilterProtocol.Aarp => Ethertype(0x80f3),
            FilterProtocol.Decnet => Ethertype(0x6003),
            FilterProtocol.Sca => Ethertype(0x6007),
            FilterProtocol.Lat => Ethertype(0x6004),
            FilterProtocol.Mopdl => Ethertype(0x6001),
            FilterProtocol.Moprc => Ethertype(0x6002),
            FilterProtocol.Icmp or FilterProtocol.Igmp or FilterProtocol.Igrp or FilterProtocol.Vrrp or FilterProtocol.Carp => IpProtocol(IpProtocolNumber(protocol)),
            FilterProtocol.Icmp6 => Ip6Protocol(58),
            _ => AnyIpProtocol(IpProtocolNumber(protocol)),
        };

        public static uint IpProtocolNumber(FilterProtocol protocol) => protocol switch
        {
            FilterProtocol.Tcp => 6,
            FilterProtocol.Udp => 17,
            FilterProtocol.Sctp => 132,
            FilterProtocol.Icmp => 1,
            FilterProtocol.Icmp6 => 58,
            FilterProtocol.Igmp => 2,
            FilterProtocol.Igrp => 9,
            FilterProtocol.Pim => 103,
            FilterProtocol.Vrrp or FilterProtocol.Carp => 112,
            FilterProtocol.Ah => 51,
            FilterProtocol.Esp => 50,
            _ => 0,
        };

        /// <summary><c>ip proto N</c>.</summary>
        public FilterCondition IpProtocol(uint number) => And(Ethertype(EthertypeIp), Load(1, NetworkOffset + 9, number));

        /// <summary><c>ip6 proto N</c>: the next header, or the one after a fragment header.</summary>
        public FilterCondition Ip6Protocol(uint number) => And(Ethertype(EthertypeIp6),
            Or(Load(1, NetworkOffset + 6, number), And(Load(1, NetworkOffset + 6, Ip6FragmentHeader), Load(1, NetworkOffset + 40, number))));

        /// <summary><c>proto N</c>: over IPv4, then IPv6.</summary>
        public FilterCondition AnyIpProtocol(uint number) => Or(IpProtocol(number), Ip6Protocol(number));

        /// <summary>Not a later fragment of an IPv4 datagram (fragment offset 0): its transport header is there.</summary>
        public FilterCondition FirstFragment() => new NotCondition(AnyBitSet(new PacketLoad(2, NetworkOffset + 6), 0x1fff));

        /// <summary>An IPv4 host or network: for <c>ip</c> the addresses at 12/16, for ARP and RARP the sender and target
        /// protocol addresses at 14/24; with no protocol, each of IP, ARP and RARP in turn (built apart, as libpcap
        /// builds them, so the optimizer sees the same paths).</summary>
        public FilterCondition Ipv4(FilterProtocol protocol, FilterDirection direction, uint address, uint mask)
        {
            FilterCondition ip() => And(Ethertype(EthertypeIp), Addresses(direction, NetworkOffset + 12, NetworkOffset + 16, address, mask));
            FilterCondition arp(ushort type) => And(Ethertype(type), Addresses(direction, NetworkOffset + 14, NetworkOffset + 24, address, mask));
            return protocol switch
            {
                FilterProtocol.Ip => ip(),
                FilterProtocol.Arp => arp(EthertypeArp),
                FilterProtocol.Rarp => arp(EthertypeRarp),
                _ => Or(ip(), arp(EthertypeArp), arp(EthertypeRarp)),
            };
        }

        private static FilterCondition Addresses(FilterDirection direction, uint source, uint destination, uint address, uint mask) =>
            Directed(direction, () => Masked(4, source, mask, address), () => Masked(4, destination, mask, address));

        /// <summary>An IPv6 host or network: the 16-byte addresses at 8/24, compared a word at a time.</summary>
        public FilterCondition Ipv6(FilterDirection direction, byte[] address, int prefixLength) =>
            And(Ethertype(EthertypeIp6), Directed(direction, () => Ipv6Words(NetworkOffset + 8, address, prefixLength), () => Ipv6Words(NetworkOffset + 24, address, prefixLength)));

        private static FilterCondition Ipv6Words(uint offset, byte[] address, int prefixLength)
        {
            var words = new List<FilterCondition>();
            for (int w = 0; w < 4; w++)
            {
                int bits = System.Math.Max(0, System.Math.Min(32, prefixLength - w * 32));
                if (bits == 0) break;
                uint mask = bits == 32 ? 0xffffffff : ~(0xffffffffu >> bits);
                uint value = (uint)(address[w * 4] << 24 | address[w * 4 + 1] << 16 | address[w * 4 + 2] << 8 | address[w * 4 + 3]);
                words.Add(Masked(4, offset + (uint)w * 4, mask, value & mask));
            }
            return And(words.ToArray());
        }

        /// <summary><c>ether host</c>: the last four bytes of the address, then the first two.</summary>
        public FilterCondition EtherHost(FilterDirection direction, byte[] mac)
        {
            FilterCondition at(uint offset) => And(
                Load(4, offset + 2, (uint)(mac[2] << 24 | mac[3] << 16 | mac[4] << 8 | mac[5])),
                Load(2, offset, (uint)(mac[0] << 8 | mac[1])));
            return Directed(direction, () => at(6), () => at(0));
        }

        public FilterCondition EtherBroadcast() => And(Load(4, 2, 0xffffffff), Load(2, 0, 0xffff));

        public FilterCondition EtherMulticast() => AnyBitSet(new PacketLoad(1, 0), 1);

        public FilterCondition IpBroadcast() => And(Ethertype(EthertypeIp),
            Or(Load(4, NetworkOffset + 16, 0), Load(4, NetworkOffset + 16, 0xffffffff)));

        public FilterCondition IpMulticast() => And(Ethertype(EthertypeIp),
            new TestCondition(new PacketLoad(1, NetworkOffset + 16), ClassicJumpOperation.GreaterOrEqual, new ConstantValue(224)));

        public FilterCondition Ip6Multicast() => And(Ethertype(EthertypeIp6), Load(1, NetworkOffset + 24, 0xff));

        /// <summary><c>port</c> and <c>portrange</c>: over IPv6 (fixed header, no extension headers) then IPv4 (first
        /// fragments only, after the variable-length header); with no protocol, a whole check for each of SCTP, TCP and
        /// UDP in turn, as libpcap builds it (its optimizer then merges them, and so does ours).</summary>
        public FilterCondition Ports(FilterProtocol protocol, FilterDirection direction, uint low, uint high)
        {
            FilterCondition range(FilterValue port) => low == high
                ? Equal(port, low)
                : And(new TestCondition(port, ClassicJumpOperation.GreaterOrEqual, new ConstantValue(low)),
                    new NotCondition(new TestCondition(port, ClassicJumpOperation.Greater, new ConstantValue(high))));
            var transports = protocol is FilterProtocol.Tcp or FilterProtocol.Udp or FilterProtocol.Sctp
                ? new[] { IpProtocolNumber(protocol) }
                : new uint[] { 132, 6, 17 };
            var headerLength = new HeaderLength(NetworkOffset);
            FilterCondition v6 = And(Ethertype(EthertypeIp6), Or(System.Array.ConvertAll(transports, number => And(Load(1, NetworkOffset + 6, number),
                Directed(direction, () => range(new PacketLoad(2, NetworkOffset + 40)), () => range(new PacketLoad(2, NetworkOffset + 42)))))));
            FilterCondition v4 = And(Ethertype(EthertypeIp), Or(System.Array.ConvertAll(transports, number => And(Load(1, NetworkOffset + 9, number), FirstFragment(),
                Directed(direction, () => range(new IndexedLoad(2, NetworkOffset, headerLength)), () => range(new IndexedLoad(2, NetworkOffset + 2, headerLength)))))));
            return protocol switch
            {
                FilterProtocol.Ip => v4,
                FilterProtocol.Ip6 => v6,
                _ => Or(v6, v4),
            };
        }

        /// <summary><c>vlan [id]</c>: an 802.1Q, 802.1ad or old QinQ ethertype, the id from the tag; then later
        /// primitives look 4 bytes further on.</summary>
        public FilterCondition Vlan(uint? id)
        {
            var tagged = Or(Ethertype(0x8100), Ethertype(0x88a8), Ethertype(0x9100));
            var result = id is uint vid ? And(tagged, Masked(2, LinkTypeOffset + 2, 0x0fff, vid)) : tagged;
            LinkTypeOffset += 4;
            NetworkOffset += 4;
            return result;
        }

        /// <summary><c>proto[index:size]</c>: the value and the test that must hold before it is read (the protocol is
        /// there; for a transport protocol, IPv4 and a first fragment).</summary>
        public (FilterValue Value, FilterCondition? Guard) ByteLoad(FilterProtocol protocol, FilterValue index, int size)
        {
            uint? constant = index.Constant;
            switch (protocol)
            {
                case FilterProtocol.Link:
                    return (constant is uint k ? new PacketLoad(size, k) : new IndexedLoad(size, 0, index), null);
                case FilterProtocol.Tcp: case FilterProtocol.Udp: case FilterProtocol.Sctp: case FilterProtocol.Icmp:
                case FilterProtocol.Igmp: case FilterProtocol.Igrp: case FilterProtocol.Pim: case FilterProtocol.Vrrp: case FilterProtocol.Carp:
                    var guard = And(Ethertype(EthertypeIp), Load(1, NetworkOffset + 9, IpProtocolNumber(protocol)), FirstFragment());
                    var headerLength = new HeaderLength(NetworkOffset);
                    return (constant is uint t
                        ? new IndexedLoad(size, NetworkOffset + t, headerLength)
                        : new IndexedLoad(size, NetworkOffset, new ArithmeticValue(ClassicAluOperation.Add, index, headerLength)), guard);
                case FilterProtocol.Icmp6:
                    var icmp6 = And(Ethertype(EthertypeIp6), Load(1, NetworkOffset + 6, 58));
                    return (constant is uint i6 ? new PacketLoad(size, NetworkOffset + 40 + i6) : new IndexedLoad(size, NetworkOffset + 40, index), icmp6);
                default:
                    return (constant is uint n ? new PacketLoad(size, NetworkOffset + n) : new IndexedLoad(size, NetworkOffset, index), Protocol(protocol));
            }
        }

        private static FilterCondition Directed(FilterDirection direction, System.Func<FilterCondition> source, System.Func<FilterCondition> destination) => direction switch
        {
            FilterDirection.Source => source(),
            FilterDirection.Destination => destination(),
            FilterDirection.SourceAndDestination => And(source(), destination()),
            _ => Or(source(), destination()),
        };
    }
}
