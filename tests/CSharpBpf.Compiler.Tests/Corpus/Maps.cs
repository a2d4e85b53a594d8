using System.Runtime.CompilerServices;
using System.Threading;
using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// Maps from programs: by copy and by ref, update flags, delete, LPM, per-CPU, atomics, tail calls.
[BpfObject]
public static partial class Maps
{
    static readonly BpfArray<ulong> perProtocol = new(maxEntries: 256);
    static readonly BpfHashMap<uint, long> table = new(maxEntries: 64);
    static readonly BpfLpmTrie<uint, int> prefixes = new(maxEntries: 16);
    static readonly BpfPerCpuArray<long> perCpu = new(maxEntries: 1);
    static readonly BpfArray<long> slots = new(maxEntries: 4);
    static readonly BpfProgramArray jumps = new(maxEntries: 4);
    static readonly BpfLruHashMap<ulong, int> recent = new(maxEntries: 8);

    [TrafficControl]
    public static TcAction CountByProtocol(SkBuff skb)
    {
        if (!skb.TryRead(EthernetHeader.Size, out Ipv4Header ip)) return TcAction.Shot;
        ref ulong count = ref perProtocol.GetValueRefOrNullRef((uint)ip.Protocol);
        if (Unsafe.IsNullRef(ref count)) return TcAction.Shot;
        ulong now = Interlocked.Add(ref count, 2);
        return (TcAction)(int)now;
    }

    [TrafficControl]
    public static TcAction UpdateFlags(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        uint key = v.C % 4;
        int result = 0;
        if (table.TryAdd(key, v.A)) result |= 1;
        if (!table.TryAdd(key, v.B)) result |= 2;
        if (table.Update(key, v.D, CSharpBpf.UpdateFlags.Exist)) result |= 4;
        if (!table.Update(key + 100, 1, CSharpBpf.UpdateFlags.Exist)) result |= 8;
        if (table.TryGetValue(key, out long value) && value == v.D) result |= 16;
        if (table.Remove(key)) result |= 32;
        if (!table.TryGetValue(key, out long gone) && gone == 0) result |= 64;
        return (TcAction)result;
    }

    [TrafficControl]
    public static TcAction LongestPrefix(SkBuff skb)
    {
        if (!skb.TryRead(EthernetHeader.Size, out Ipv4Header ip)) return TcAction.Shot;
        // Seed two nested prefixes the first time: 10.0.0.0/8 → 8, 10.1.0.0/16 → 16 (data in network order).
        prefixes.TryAdd(new LpmKey<uint>(8, 0x0000000a), 8);
        prefixes.TryAdd(new LpmKey<uint>(16, 0x0000010a), 16);
        var key = new LpmKey<uint>(32, BinarySwap(ip.SourceAddress));
        return prefixes.TryGetValue(key, out int length) ? (TcAction)length : TcAction.Pipe;
    }

    static uint BinarySwap(uint x) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(x);

    [TrafficControl]
    public static TcAction PerCpuCounter(SkBuff skb)
    {
        ref long hits = ref perCpu.GetValueRefOrNullRef(0);
        if (Unsafe.IsNullRef(ref hits)) return TcAction.Shot;
        hits += skb.Length;
        return (TcAction)(int)hits;
    }

    [TrafficControl]
    public static TcAction ExchangeAndCompare(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        ref long slot = ref slots.GetValueRefOrNullRef(1);
        if (Unsafe.IsNullRef(ref slot)) return TcAction.Shot;
        long old = Interlocked.Exchange(ref slot, v.A);
        long seen = Interlocked.CompareExchange(ref slot, 99, v.A);
        Interlocked.Increment(ref slot);
        return (TcAction)(int)(old + seen * 3 + slot * 5);
    }

    [TrafficControl]
    public static TcAction TailCallOrFallThrough(SkBuff skb)
    {
        jumps.TailCall(skb, 2);
        return TcAction.Reclassify;
    }

    [TrafficControl]
    public static TcAction LeastRecentlyUsed(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        ulong key = v.E & 3;
        ref int seen = ref recent.GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref seen))
        {
            recent.Update(key, 1);
            return TcAction.Ok;
        }
        seen++;
        return (TcAction)seen;
    }
}
