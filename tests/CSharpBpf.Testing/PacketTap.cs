using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using CSharpBpf.Classic;

namespace CSharpBpf.Testing;

/// <summary>A veth pair whose sending end lives in a network namespace of the tap's own, with a packet socket opened in
/// that namespace that sends frames from it; sockets opened on the receiving end (in this namespace) receive them as
/// traffic from a peer, where the kernel runs a socket's filter on each. IPv6 is off on both ends, so no frame but the
/// test's crosses.</summary>
public sealed partial class PacketTap : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private static int counter;
    private readonly string _namespace, _sender, _receiver;
    private readonly PacketSocket _sendSocket;

    /// <summary>Creates the namespace, the pair and the sending socket.</summary>
    public PacketTap()
    {
        string id = $"{Environment.ProcessId % 10000}{Interlocked.Increment(ref counter)}";
        _namespace = $"csbpf-tap{id}";
        _sender = $"cbca{id}";
        _receiver = $"cbcb{id}";
        try
        {
            ExternalTool.Run("ip", "netns", "add", _namespace).EnsureSuccess();
            ExternalTool.Run("ip", "link", "add", _sender, "type", "veth", "peer", "name", _receiver).EnsureSuccess();
            ExternalTool.Run("ip", "link", "set", _sender, "netns", _namespace).EnsureSuccess();
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{_receiver}/disable_ipv6", "1");
            ExternalTool.Run("ip", "netns", "exec", _namespace, "sh", "-c", $"echo 1 > /proc/sys/net/ipv6/conf/{_sender}/disable_ipv6").EnsureSuccess();
            ExternalTool.Run("ip", "-n", _namespace, "link", "set", _sender, "up").EnsureSuccess();
            ExternalTool.Run("ip", "link", "set", _receiver, "up").EnsureSuccess();
            ReceiverIndex = Syscalls.NativeNetwork.InterfaceIndex(_receiver);
            ReceiverAddress = Convert.FromHexString(File.ReadAllText($"/sys/class/net/{_receiver}/address").Trim().Replace(":", ""));
            _sendSocket = OpenInNamespace(_namespace, _sender);
        }
        catch
        {
            ExternalTool.Run("ip", "netns", "del", _namespace);
            ExternalTool.Run("ip", "link", "del", _receiver);
            throw;
        }
    }

    /// <summary>The receiving end's interface index (what SKF_AD_IFINDEX reads).</summary>
    public int ReceiverIndex { get; }
    /// <summary>The receiving end's MAC address (frames to it are PACKET_HOST).</summary>
    public byte[] ReceiverAddress { get; }

    /// <summary>The receiving end's name.</summary>
    public string Receiver => _receiver;

    /// <summary>A non-blocking packet socket on the receiving end with room for many frames.</summary>
    public Socket OpenReceiver()
    {
        var socket = PacketSocket.Open(_receiver).Socket;
        socket.SetRawSocketOption(1, 33 /* SO_RCVBUFFORCE */, BitConverter.GetBytes(32 << 20));
        socket.Blocking = false;
        return socket;
    }

    /// <summary>Sends one frame out of the sending end, in the tap's namespace.</summary>
    public void Send(byte[] frame) => _sendSocket.Send(frame);

    /// <summary>Deletes the namespace, and with it the pair.</summary>
    public void Dispose()
    {
        _sendSocket.Dispose();
        ExternalTool.Run("ip", "netns", "del", _namespace);
        ExternalTool.Run("ip", "link", "del", _receiver); // gone with the namespace already, unless the kernel is slow to tear it down
    }

    /// <summary>A packet socket on <paramref name="device"/> in the namespace: a socket belongs to the namespace of the thread
    /// that creates it, so a thread of its own joins the namespace (setns), creates it and ends.</summary>
    private static PacketSocket OpenInNamespace(string name, string device)
    {
        PacketSocket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{name}");
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new IOException($"setns({name}) failed: errno {Marshal.GetLastPInvokeError()}");
                socket = PacketSocket.Open(device);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new IOException($"could not open a packet socket on {device} in {name}", error);
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setns(int fd, int nstype);
}
