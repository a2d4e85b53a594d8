using System.Runtime.CompilerServices;
using CSharpBpf;

namespace PcapRulesSample;

/// <summary>An XDP program whose rules are tcpdump expressions: each ctx.Matches is compiled at build time to classic BPF
/// (as libpcap would) and translated to an eBPF subprogram. A packet a rule matches is dropped and counted.</summary>
[BpfObject]
public static partial class PcapRules
{
    // Constants, so ctx.Matches can compile them at build time.
    public const string Pings = "icmp[icmptype] == icmp-echo";
    public const string X11Probes = "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and tcp dst portrange 6000-6063";
    public const string LaterFragments = "ip[6:2] & 0x1fff != 0";

    /// <summary>The rules, in the order they are tried.</summary>
    public static readonly string[] Rules = { Pings, X11Probes, LaterFragments };

    /// <summary>Counts[i] for rule i; the last slot counts what passed.</summary>
    public const uint Passed = 3;

    static readonly BpfArray<ulong> Counts = new(maxEntries: 4);

    [Xdp]
    public static XdpAction Filter(XdpContext ctx)
    {
        uint rule = Passed;
        if (ctx.Matches(Pings)) rule = 0;
        else if (ctx.Matches(X11Probes)) rule = 1;
        else if (ctx.Matches(LaterFragments)) rule = 2;
        ref ulong count = ref Counts.GetValueRefOrNullRef(rule);
        if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
        return rule == Passed ? XdpAction.Pass : XdpAction.Drop;
    }
}
