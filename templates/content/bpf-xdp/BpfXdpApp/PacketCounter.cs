using System.Threading;
using CSharpBpf;

namespace BpfXdpApp;

/// <summary>Counts the packets an interface receives per IP protocol (TCP 6, UDP 17, ICMP 1…; slot 0 for non-IPv4) and,
/// when DropPings is set before loading, drops ICMP echo requests. The build compiles it to bin/…/bpf/PacketCounter.bpf.o;
/// as plain .NET it runs on any frame (see the tests).</summary>
[BpfObject]
public static partial class PacketCounter
{
    /// <summary>Packets per IP protocol number.</summary>
    public static readonly BpfArray<ulong> Protocols = new(maxEntries: 256);

    /// <summary>Set before loading (frozen in .rodata).</summary>
    public static readonly bool DropPings = false;

    [Xdp]
    public static XdpAction Count(XdpContext ctx)
    {
        uint protocol = 0;
        if (ctx.TryRead(0, out EthernetHeader eth) && eth.EtherType == EtherType.IPv4 && ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip))
            protocol = (uint)ip.Protocol;
        ref ulong count = ref Protocols.GetValueRefOrNullRef(protocol);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
            Interlocked.Increment(ref count);
        if (DropPings && protocol == 1 && ctx.TryRead(EthernetHeader.Size + 20, out byte icmpType) && icmpType == 8)
            return XdpAction.Drop;
        return XdpAction.Pass;
    }
}
