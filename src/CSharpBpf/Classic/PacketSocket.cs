using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Classic;

/// <summary>A raw packet socket (packet(7): AF_PACKET, SOCK_RAW, ETH_P_ALL) bound to one interface: it receives every
/// frame the interface sends or receives, from its link-layer header on, and sends whole frames out of it. Needs
/// CAP_NET_RAW. Attach a filter with <see cref="ClassicSocketFilter.AttachFilter"/> on <see cref="Socket"/>. The
/// kernel moves a received frame's outer VLAN tag out of the data before filters and readers see it.</summary>
public sealed unsafe partial class PacketSocket : IDisposable
{
    private const ushort EthPAllNetworkOrder = 0x0300; // htons(ETH_P_ALL)

    private PacketSocket(Socket socket, int interfaceIndex)
    {
        Socket = socket;
        InterfaceIndex = interfaceIndex;
    }

    /// <summary>The socket, for filters and options.</summary>
    public Socket Socket { get; }

    /// <summary>The interface it is bound to.</summary>
    public int InterfaceIndex { get; }

    /// <summary>Opens a packet socket on <paramref name="interfaceName"/>.</summary>
    /// <exception cref="ArgumentException">No such interface.</exception>
    /// <exception cref="BpfException">socket(2) or bind(2) failed (EPERM without CAP_NET_RAW).</exception>
    public static PacketSocket Open(string interfaceName)
    {
        int index = NativeNetwork.InterfaceIndex(interfaceName);
        int fd = socket(17 /* AF_PACKET */, 3 /* SOCK_RAW */ | 0x80000 /* SOCK_CLOEXEC */, EthPAllNetworkOrder);
        if (fd < 0) throw BpfException.WithCause("socket(AF_PACKET, SOCK_RAW)", Marshal.GetLastPInvokeError(), "the process needs CAP_NET_RAW (run as root) to open a packet socket");
        // struct sockaddr_ll: family, protocol (network order), ifindex; hatype, pkttype, halen and addr stay 0.
        var address = stackalloc byte[20];
        new Span<byte>(address, 20).Clear();
        *(ushort*)address = 17;
        *(ushort*)(address + 2) = EthPAllNetworkOrder;
        *(int*)(address + 4) = index;
        if (bind(fd, address, 20) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            close(fd);
            throw new BpfException($"bind(AF_PACKET) to {interfaceName}", errno);
        }
        return new PacketSocket(new Socket(new SafeSocketHandle((IntPtr)fd, ownsHandle: true)), index);
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
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc.so.6")]
    private static partial int close(int fd);
}
