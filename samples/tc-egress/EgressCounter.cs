using System.Runtime.CompilerServices;
using System.Threading;
using CSharpBpf;

namespace TcEgress;

/// <summary>Traffic to one destination.</summary>
public struct Traffic
{
    public ulong Packets;
    public ulong Bytes;
}

/// <summary>Bytes and packets per IPv4 destination leaving an interface, counted by a tcx egress program that lets
/// every packet through.</summary>
[BpfObject]
public static partial class EgressCounter
{
    static readonly BpfHashMap<uint, Traffic> ByDestination = new(16384);

    [TrafficControl(TcxDirection.Egress)]
    public static TcAction Count(SkBuff skb)
    {
        if (skb.Protocol != EtherType.IPv4 || !skb.TryLoad(EthernetHeader.Size, out Ipv4Header ip)) return TcAction.Ok;
        uint destination = ip.DestinationAddress;
        ref Traffic traffic = ref ByDestination.GetValueRefOrNullRef(destination);
        if (Unsafe.IsNullRef(ref traffic))
        {
            var first = new Traffic { Packets = 1, Bytes = skb.Length };
            if (ByDestination.TryAdd(destination, first)) return TcAction.Ok;
            traffic = ref ByDestination.GetValueRefOrNullRef(destination); // another CPU added it first
            if (Unsafe.IsNullRef(ref traffic)) return TcAction.Ok;
        }
        Interlocked.Increment(ref traffic.Packets);
        Interlocked.Add(ref traffic.Bytes, skb.Length);
        return TcAction.Ok;
    }
}
