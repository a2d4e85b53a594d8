using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CSharpBpf;

namespace TcpConnect;

[InlineArray(4)]
public struct Ipv4Bytes { private byte _element; }

[InlineArray(16)]
public struct Ipv6Bytes { private byte _element; }

/// <summary>sock/inet_sock_set_state (from `csbpf tracepoint sock/inet_sock_set_state`); ports are host order.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct InetSockSetStateArgs
{
    [FieldOffset(0)] public ulong Socket;
    [FieldOffset(8)] public int OldState;
    [FieldOffset(12)] public int NewState;
    [FieldOffset(16)] public ushort SourcePort;
    [FieldOffset(18)] public ushort DestinationPort;
    [FieldOffset(20)] public ushort Family;
    [FieldOffset(22)] public ushort Protocol;
    [FieldOffset(24)] public Ipv4Bytes Source;
    [FieldOffset(28)] public Ipv4Bytes Destination;
    [FieldOffset(32)] public Ipv6Bytes SourceV6;
    [FieldOffset(48)] public Ipv6Bytes DestinationV6;
}

/// <summary>Who started a connect, remembered until the handshake ends.</summary>
public struct Connector
{
    public uint Pid;
    public uint Uid;
    public Comm Comm;
}

public struct ConnectEvent
{
    public uint Pid;
    public uint Uid;
    public Comm Comm;
    public ushort Family;
    public ushort SourcePort;
    public ushort DestinationPort;
    public ushort Established;
    public Ipv6Bytes Source;
    public Ipv6Bytes Destination;
}

/// <summary>
/// Active TCP connections from the socket state tracepoint, as tcplife does it: CLOSE → SYN_SENT runs in the
/// connecting task (who), SYN_SENT → ESTABLISHED or CLOSE ends the handshake (the ports are known by then).
/// </summary>
[BpfObject]
public static partial class TcpConnectTracer
{
    const int Established = 1, SynSent = 2, Close = 7, Tcp = 6, IPv4 = 2;

    static readonly BpfRingBuffer Events = new(256 * 1024);
    static readonly BpfHashMap<ulong, Connector> Connecting = new(8192);

    [Tracepoint("sock", "inet_sock_set_state")]
    public static void OnStateChange(TracepointContext<InetSockSetStateArgs> ctx)
    {
        if (ctx.Args.Protocol != Tcp) return;
        int oldState = ctx.Args.OldState, newState = ctx.Args.NewState;
        ulong socket = ctx.Args.Socket;
        if (oldState == Close && newState == SynSent)
        {
            var who = new Connector { Pid = (uint)(Bpf.GetCurrentPidTgid() >> 32), Uid = (uint)Bpf.GetCurrentUidGid() };
            Bpf.GetCurrentComm(out who.Comm);
            Connecting.Update(socket, who);
            return;
        }
        if (oldState != SynSent || newState != Established && newState != Close) return;
        if (!Connecting.TryGetValue(socket, out Connector connector)) return;
        Connecting.Remove(socket);
        ref ConnectEvent e = ref Events.Reserve<ConnectEvent>();
        if (Unsafe.IsNullRef(ref e)) return;
        e.Pid = connector.Pid;
        e.Uid = connector.Uid;
        e.Comm = connector.Comm;
        e.Family = ctx.Args.Family;
        e.SourcePort = ctx.Args.SourcePort;
        e.DestinationPort = ctx.Args.DestinationPort;
        e.Established = newState == Established ? (ushort)1 : (ushort)0;
        if (e.Family == IPv4)
        {
            var source = ctx.Args.Source;
            var destination = ctx.Args.Destination;
            e.Source[0] = source[0]; e.Source[1] = source[1]; e.Source[2] = source[2]; e.Source[3] = source[3];
            e.Destination[0] = destination[0]; e.Destination[1] = destination[1]; e.Destination[2] = destination[2]; e.Destination[3] = destination[3];
        }
        else
        {
            e.Source = ctx.Args.SourceV6;
            e.Destination = ctx.Args.DestinationV6;
        }
        Events.Submit(ref e);
    }
}
