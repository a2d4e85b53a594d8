using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// Loops with a bound the verifier can prove, with break and continue.
[BpfObject]
public static partial class Loops
{
    [TrafficControl]
    public static TcAction SumLoop(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int sum = 0;
        for (int i = 0; i < 16; i++) sum += i * v.A;
        return (TcAction)sum;
    }

    [TrafficControl]
    public static TcAction BreakContinue(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int sum = 0;
        for (int i = 0; i < 32; i++)
        {
            if (i % 3 == 0) continue;
            if (sum > (v.B & 0xff)) break;
            sum += i;
        }
        return (TcAction)sum;
    }

    [TrafficControl]
    public static TcAction WhileLoop(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        uint hash = v.C;
        int i = 0;
        while (i < 10)
        {
            hash = hash * 31 + (uint)i;
            i++;
        }
        return (TcAction)(int)hash;
    }

    [TrafficControl]
    public static TcAction Countdown(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        long acc = 1;
        for (int i = 20; i > 0; i -= 2) acc = acc * 3 + i + v.D;
        return (TcAction)(int)(acc ^ (acc >> 29));
    }

    [TrafficControl]
    public static TcAction NestedLoops(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int acc = 0;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                acc += i * j * v.A + j;
        return (TcAction)acc;
    }

    [TrafficControl]
    public static TcAction PayloadChecksum(SkBuff skb)
    {
        uint sum = 0;
        for (int i = 0; i < 16; i++)
        {
            if (!skb.TryRead(14 + i * 2, out ushort word)) break;
            sum += word;
        }
        return (TcAction)(int)((sum & 0xffff) + (sum >> 16));
    }
}
