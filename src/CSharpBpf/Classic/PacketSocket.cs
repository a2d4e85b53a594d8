using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Classic;

/// <summary>A raw packet socket (packet(7): AF_PACKET, SOCK_RAW, ETH_P_ALL) bound to one interface: it receives every
/// frame the interface sends or receives, from its link-layer header on, and sends whole frames out of it. Needs
/// CAP_NET_RAW. The kernel moves a received frame's outer VLAN tag out of the data before filters and readers see it.</summary>
public sealed unsafe partial class PacketSocket : IDisposable
{
    private const short AllProtocols = 0x0003; // ETH_P_ALL

    private PacketSocket(Socket socket, int interfaceIndex)
    {
        Socket = socket;
        InterfaceIndex = interfaceIndex;
    }

    /// <summary>The socket, for options and eBPF socket filters (<c>program.AttachSocketFilter(socket.Socket)</c>).</summary>
    public Socket Socket { get; }

    /// <summary>The interface it is bound to.</summary>
    public int InterfaceIndex { get; }

    /// <summary>Opens a packet socket on <paramref name="interfaceName"/>.</summary>
    /// <exception cref="ArgumentException">No such interface.</exception>
    /// <exception cref="SocketException">The kernel refused (EPERM without CAP_NET_RAW: run as root).</exception>
    public static PacketSocket Open(string interfaceName)
    {
        int index = NativeNetwork.InterfaceIndex(interfaceName);
        var socket = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)IPAddress.HostToNetworkOrder(AllProtocols));
        try
        {
            socket.Bind(new PacketEndPoint(index));
            return new PacketSocket(socket, index);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Attaches <paramref name="program"/> as the socket's classic filter, then drops what the socket queued
    /// before it (as libpcap does), so every frame read from now on passed the filter.</summary>
    /// <exception cref="ClassicProgramException">The kernel's rules refuse the program.</exception>
    /// <exception cref="BpfException">The kernel refused the attach.</exception>
    public void SetFilter(ClassicProgram program)
    {
        Socket.AttachFilter(program);
        var scratch = new byte[1];
        while (Socket.Available > 0) Socket.Receive(scratch);
    }

    /// <summary>Sends <paramref name="frame"/> (from its destination address on) out of the interface.</summary>
    /// <exception cref="SocketException">The kernel refused it (e.g. longer than the interface's MTU allows).</exception>
    public void Send(ReadOnlySpan<byte> frame) => Socket.Send(frame);

    /// <summary>Waits up to <paramref name="timeout"/> for a frame and copies it into <paramref name="buffer"/>: the
    /// number of bytes captured (at most the buffer's length and the filter's return value) and the frame's length
    /// on the wire, or (0, 0) when none came in time.</summary>
    public (int Captured, int Length) Receive(Span<byte> buffer, TimeSpan timeout)
    {
        if (!Socket.Poll(timeout, SelectMode.SelectRead)) return (0, 0);
        fixed (byte* data = buffer)
        {
            // MSG_TRUNC: return the frame's real length even when the buffer (or the filter) kept less of it.
            nint length = recv((int)Socket.Handle, data, buffer.Length, 0x20);
            if (length < 0) throw new SocketException(Marshal.GetLastPInvokeError());
            return ((int)Math.Min(length, buffer.Length), (int)length);
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => Socket.Dispose();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial nint recv(int fd, byte* buffer, nint length, int flags);

    /// <summary>struct sockaddr_ll for bind: every protocol on one interface.</summary>
    private sealed class PacketEndPoint(int interfaceIndex) : EndPoint
    {
        public override AddressFamily AddressFamily => AddressFamily.Packet;

        /// <summary>What Socket.LocalEndPoint builds from the kernel's answer.</summary>
        public override EndPoint Create(SocketAddress socketAddress) =>
            new PacketEndPoint(BinaryPrimitives.ReadInt32LittleEndian(socketAddress.Buffer.Span[4..]));

        public override string ToString() => $"packet socket on interface {interfaceIndex}";

        public override SocketAddress Serialize()
        {
            var address = new SocketAddress(AddressFamily.Packet, 20);
            var bytes = address.Buffer.Span;
            BinaryPrimitives.WriteInt16BigEndian(bytes[2..], AllProtocols); // sll_protocol
            BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], interfaceIndex); // sll_ifindex
            return address;
        }
    }
}
