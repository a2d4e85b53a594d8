using System.Threading;
using CSharpBpf;

namespace BpfSocketFilterApp;

/// <summary>A socket filter for a raw packet socket: counts the bytes of every frame by IP protocol (IPv4's protocol
/// number; slot 256 for the rest) and keeps nothing for the socket (it returns 0): the counting happens in the kernel.
/// The build compiles it to bin/…/bpf/ByteCounter.bpf.o; as plain .NET it runs on any frame (see the tests).</summary>
[BpfObject]
public static partial class ByteCounter
{
    /// <summary>Slot for frames that are not IPv4.</summary>
    public const uint NotIpv4 = 256;

    /// <summary>Bytes per IP protocol number, and non-IPv4 bytes at <see cref="NotIpv4"/>.</summary>
    public static readonly BpfArray<ulong> Bytes = new(maxEntries: 257);

    [SocketFilter]
    public static uint Count(SkBuff skb)
    {
        uint slot = NotIpv4;
        if (skb.TryLoad(0, out EthernetHeader ethernet) && ethernet.EtherType == EtherType.IPv4 && skb.TryLoad(EthernetHeader.Size, out Ipv4Header ip))
            slot = (uint)ip.Protocol;
        ref ulong bytes = ref Bytes.GetValueRefOrNullRef(slot);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref bytes))
            Interlocked.Add(ref bytes, skb.Length);
        return 0;
    }
}
