using System.Buffers.Binary;
using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// Global data: static readonly → .rodata (settable before load), mutable statics → .data/.bss; Printk; byte swaps.
[BpfObject]
public static partial class Globals
{
    static readonly int Threshold = 100;
    static readonly bool Enabled = true;
    static ulong packets;
    static int seed = 7;

    [TrafficControl]
    public static TcAction ReadOnlyConfiguration(SkBuff skb)
    {
        if (!Enabled) return TcAction.Ok;
        return skb.Length > Threshold ? TcAction.Shot : TcAction.Pipe;
    }

    [TrafficControl]
    public static TcAction MutableCounters(SkBuff skb)
    {
        packets++;
        seed = seed * 3 + 1;
        return (TcAction)(packets > 0 ? seed & 0xff : -1);
    }

    [TrafficControl]
    public static TcAction Printk(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        Bpf.Printk($"csharpbpf corpus a={v.A} c={v.C} d={v.D}");
        return TcAction.Ok;
    }

    [TrafficControl]
    public static TcAction ByteSwaps(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        uint c = BinaryPrimitives.ReverseEndianness(v.C);
        short f = BinaryPrimitives.ReverseEndianness(v.F);
        ulong e = BinaryPrimitives.ReverseEndianness(v.E);
        return (TcAction)(int)(c ^ (uint)f ^ (uint)e ^ (uint)(e >> 32));
    }

    [TrafficControl]
    public static TcAction Helpers(SkBuff skb)
    {
        ulong t1 = Bpf.KtimeGetNs();
        ulong t2 = Bpf.KtimeGetNs();
        uint cpu = Bpf.GetSmpProcessorId();
        uint random = Bpf.GetPrandomU32();
        return (TcAction)((t2 >= t1 ? 1 : 0) + (cpu < 4096 ? 2 : 0) + ((random | 1) != 0 ? 4 : 0));
    }
}
