using System.Runtime.CompilerServices;
using CSharpBpf;

namespace FirewallSample;

// The firewall of DESIGN.md §2.
[BpfObject]
public static partial class Firewall
{
    static readonly BpfHashMap<uint, ulong> blocked = new(maxEntries: 10_000);
    static readonly BpfRingBuffer events = new(sizeBytes: 256 * 1024);

    static readonly bool LogDrops = true;

    [Xdp]
    public static XdpAction Filter(XdpContext ctx)
    {
        if (!ctx.TryRead(0, out EthernetHeader eth) || eth.EtherType != EtherType.IPv4)
            return XdpAction.Pass;
        if (!ctx.TryRead(EthernetHeader.Size, out Ipv4Header ip))
            return XdpAction.Pass;
        ref ulong hits = ref blocked.GetValueRefOrNullRef(ip.SourceAddress);
        if (Unsafe.IsNullRef(ref hits))
            return XdpAction.Pass;
        Interlocked.Increment(ref hits);
        if (LogDrops) Bpf.Printk($"drop {ip.SourceAddress}");
        return XdpAction.Drop;
    }
}
