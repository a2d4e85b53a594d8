using System;
using System.Buffers.Binary;
using System.Threading;

namespace CSharpBpf.Bytecode.Classic
{

    /// <summary>What a classic program sees of one packet: its bytes from where the socket buffer's data starts (offset 0
    /// of absolute loads), where its link-layer and network headers start (for SKF_LL_OFF / SKF_NET_OFF loads) and the
    /// socket buffer's metadata that ancillary loads read (<see cref="ClassicAncillary"/>). Bytes before offset 0 (the
    /// kernel's headroom) are not modelled: loads there fail.</summary>
    public sealed record ClassicPacket(ReadOnlyMemory<byte> Data)
    {
        /// <summary>Offset of the link-layer header within <see cref="Data"/> (SKF_LL_OFF loads count from it).</summary>
        public int LinkLayerHeaderOffset { get; init; }
        /// <summary>Offset of the network header within <see cref="Data"/> (SKF_NET_OFF loads count from it).</summary>
        public int NetworkHeaderOffset { get; init; }
        /// <summary>skb->protocol, host order (0x0800 for IPv4): SKF_AD_PROTOCOL.</summary>
        public ushort Protocol { get; init; }
        /// <summary>skb->pkt_type (PACKET_HOST = 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4): SKF_AD_PKTTYPE.</summary>
        public byte PacketType { get; init; }
        /// <summary>The device's interface index: SKF_AD_IFINDEX.</summary>
        public int InterfaceIndex { get; init; }
        /// <summary>skb->mark: SKF_AD_MARK.</summary>
        public uint Mark { get; init; }
        /// <summary>skb->queue_mapping: SKF_AD_QUEUE.</summary>
        public ushort Queue { get; init; }
        /// <summary>The device type (ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772): SKF_AD_HATYPE.</summary>
        public ushort HardwareType { get; init; } = 1;
        /// <summary>The flow hash: SKF_AD_RXHASH.</summary>
        public uint ReceiveHash { get; init; }
        /// <summary>The CPU the filter runs on: SKF_AD_CPU.</summary>
        public int Cpu { get; init; }
        /// <summary>The VLAN TCI the device stripped, if any: SKF_AD_VLAN_TAG and (present or not) SKF_AD_VLAN_TAG_PRESENT.</summary>
        public ushort? VlanTag { get; init; }
        /// <summary>The stripped tag's protocol, host order (0x8100 or 0x88a8): SKF_AD_VLAN_TPID.</summary>
        public ushort VlanTpid { get; init; }
        /// <summary>The transport payload's offset as the kernel's flow dissector finds it: SKF_AD_PAY_OFFSET.</summary>
        public uint PayloadOffset { get; init; }
        /// <summary>Where SKF_AD_RANDOM comes from; null for a shared xorshift generator (not cryptographic, as the
        /// kernel's is not).</summary>
        public Func<uint>? Random { get; init; }

        /// <summary>An Ethernet frame as the kernel hands a received frame to packet sockets (net/core/dev.c,
        /// net/ethernet/eth.c): an outer 802.1Q/802.1ad tag moved out of the data into <see cref="VlanTag"/> and
        /// <see cref="VlanTpid"/> (skb_vlan_untag), <see cref="Protocol"/> as eth_type_trans sets it (the ethertype; for an
        /// 802.3 length field ETH_P_802_3 = 1 before 0xffff, else ETH_P_802_2 = 4), <see cref="PacketType"/> from the
        /// destination address (broadcast, multicast, <paramref name="localAddress"/> = host, else other host), the network
        /// header after the Ethernet header.</summary>
        /// <param name="frame">The frame from its destination address on, as it went on the wire (tag included).</param>
        /// <param name="localAddress">The receiving device's 6-byte address; null for all zeros (loopback).</param>
        public static ClassicPacket Ethernet(ReadOnlyMemory<byte> frame, ReadOnlySpan<byte> localAddress = default)
        {
            var bytes = frame.Span;
            ushort? vlanTag = null;
            ushort vlanTpid = 0;
            if (bytes.Length >= 18 && BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(12)) is 0x8100 or 0x88a8)
            {
                vlanTpid = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(12));
                vlanTag = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(14));
                var untagged = new byte[bytes.Length - 4];
                bytes.Slice(0, 12).CopyTo(untagged);
                bytes.Slice(16).CopyTo(untagged.AsSpan(12));
                frame = untagged;
                bytes = untagged;
            }
            return new ClassicPacket(frame)
            {
                NetworkHeaderOffset = 14,
                Protocol = EthernetProtocol(bytes),
                PacketType = EthernetPacketType(bytes, localAddress),
                VlanTag = vlanTag,
                VlanTpid = vlanTpid,
            };
        }

        private static ushort EthernetProtocol(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length < 14) return 0;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(12));
            if (type >= 0x600) return type;
            return bytes.Length >= 16 && bytes[14] == 0xff && bytes[15] == 0xff ? (ushort)1 : (ushort)4;
        }

        private static byte EthernetPacketType(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> localAddress)
        {
            if (bytes.Length < 6) return 0;
            var destination = bytes.Slice(0, 6);
            if ((destination[0] & 1) != 0) return AllBytesAre(destination, 0xff) ? (byte)1 : (byte)2;
            bool local = localAddress.Length == 6 ? destination.SequenceEqual(localAddress) : AllBytesAre(destination, 0);
            return local ? (byte)0 : (byte)3;
        }

        private static bool AllBytesAre(ReadOnlySpan<byte> bytes, byte value)
        {
            foreach (byte b in bytes) if (b != value) return false;
            return true;
        }

        private static int randomState = unchecked((int)2463534242);

        internal uint NextRandom()
        {
            if (Random != null) return Random();
            int seen, next;
            do
            {
                seen = Volatile.Read(ref randomState);
                uint x = (uint)seen;
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                next = (int)x;
            }
            while (Interlocked.CompareExchange(ref randomState, next, seen) != seen);
            return (uint)next;
        }
    }
}
