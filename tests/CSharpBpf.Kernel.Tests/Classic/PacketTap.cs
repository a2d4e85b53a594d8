using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CSharpBpf.Testing;

namespace CSharpBpf.Kernel.Tests.Classic;

/// <summary>A veth pair whose two ends both stay in this namespace, down to its parts a test needs: raw packet sockets
/// (AF_PACKET, ETH_P_ALL) that send frames into one end and receive them from the other, where the kernel runs a
/// socket's filter on each. IPv6 is off on both ends, so no frame but the test's crosses.</summary>
internal sealed unsafe partial class PacketTap : IDisposable
{
    private static int counter;
    private readonly string _sender, _receiver;

    public PacketTap()
    {
        string id = $"{Environment.ProcessId % 10000}{System.Threading.Interlocked.Increment(ref counter)}";
        _sender = $"cbca{id}";
        _receiver = $"cbcb{id}";
        ExternalTool.Run("ip", "link", "add", _sender, "type", "veth", "peer", "name", _receiver).EnsureSuccess();
        foreach (var name in new[] { _sender, _receiver })
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{name}/disable_ipv6", "1");
            ExternalTool.Run("ip", "link", "set", name, "up").EnsureSuccess();
        }
        ReceiverIndex = Syscalls.NativeNetwork.InterfaceIndex(_receiver);
        ReceiverAddress = Convert.FromHexString(File.ReadAllText($"/sys/class/net/{_receiver}/address").Trim().Replace(":", ""));
        SendFd = Open(Syscalls.NativeNetwork.InterfaceIndex(_sender));
    }

    /// <summary>The receiving end's interface index (what SKF_AD_IFINDEX reads).</summary>
    public int ReceiverIndex { get; }
    /// <summary>The receiving end's MAC address (frames to it are PACKET_HOST).</summary>
    public byte[] ReceiverAddress { get; }
    private int SendFd { get; }

    /// <summary>A packet socket on the receiving end, as a .NET socket (so the library's AttachFilter applies).</summary>
    public Socket OpenReceiver()
    {
        int fd = Open(ReceiverIndex);
        int size = 32 << 20;
        setsockopt(fd, 1, 33 /* SO_RCVBUFFORCE */, &size, sizeof(int));
        return new Socket(new SafeSocketHandle((IntPtr)fd, ownsHandle: true)) { Blocking = false };
    }

    /// <summary>Sends one frame out of the sending end; the receiving end gets it as received traffic.</summary>
    public void Send(byte[] frame)
    {
        fixed (byte* data = frame)
            if (send(SendFd, data, frame.Length, 0) != frame.Length)
                throw new IOException($"send on the packet socket failed: errno {Marshal.GetLastPInvokeError()}");
    }

    private static int Open(int ifindex)
    {
        const ushort EthPAllNetworkOrder = 0x0300;
        int fd = socket(17 /* AF_PACKET */, 3 /* SOCK_RAW */ | 0x80000 /* SOCK_CLOEXEC */, EthPAllNetworkOrder);
        if (fd < 0) throw new IOException($"socket(AF_PACKET) failed: errno {Marshal.GetLastPInvokeError()}");
        // struct sockaddr_ll: family, protocol (network order), ifindex, then hatype, pkttype, halen, addr[8] left 0.
        var address = stackalloc byte[20];
        new Span<byte>(address, 20).Clear();
        *(ushort*)address = 17;
        *(ushort*)(address + 2) = EthPAllNetworkOrder;
        *(int*)(address + 4) = ifindex;
        if (bind(fd, address, 20) != 0) throw new IOException($"bind(AF_PACKET) failed: errno {Marshal.GetLastPInvokeError()}");
        return fd;
    }

    public void Dispose()
    {
        if (SendFd > 0) close(SendFd);
        ExternalTool.Run("ip", "link", "del", _sender);
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial nint send(int fd, byte* data, nint length, int flags);

    [LibraryImport("libc.so.6")]
    private static partial int close(int fd);
}
