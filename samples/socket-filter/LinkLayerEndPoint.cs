using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SocketFilterSample;

/// <summary>A packet socket's address (struct sockaddr_ll): every protocol on one interface, for Socket.Bind.</summary>
internal sealed class LinkLayerEndPoint(int interfaceIndex) : EndPoint
{
    public const short AllProtocols = 0x0003; // ETH_P_ALL

    public override AddressFamily AddressFamily => AddressFamily.Packet;

    public override SocketAddress Serialize()
    {
        var address = new SocketAddress(AddressFamily.Packet, 20);
        var buffer = address.Buffer.Span;
        BinaryPrimitives.WriteInt16BigEndian(buffer[2..], AllProtocols); // sll_protocol
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], interfaceIndex); // sll_ifindex
        return address;
    }
}
