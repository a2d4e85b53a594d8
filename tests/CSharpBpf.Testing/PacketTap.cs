using System;
using System.IO;
using System.Net.Sockets;
using CSharpBpf.Classic;

namespace CSharpBpf.Testing;

/// <summary>A veth pair whose two ends both stay in this namespace, with a packet socket that sends frames into one
/// end; sockets opened on the other receive them as received traffic, where the kernel runs a socket's filter on each.
/// IPv6 is off on both ends, so no frame but the test's crosses.</summary>
public sealed class PacketTap : IDisposable
{
    private static int counter;
    private readonly string _sender, _receiver;
    private readonly PacketSocket _sendSocket;

    /// <summary>Creates the pair and the sending socket.</summary>
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
        _sendSocket = PacketSocket.Open(_sender);
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

    /// <summary>Sends one frame out of the sending end.</summary>
    public void Send(byte[] frame) => _sendSocket.Send(frame);

    /// <summary>Deletes the pair.</summary>
    public void Dispose()
    {
        _sendSocket.Dispose();
        ExternalTool.Run("ip", "link", "del", _sender);
    }
}
