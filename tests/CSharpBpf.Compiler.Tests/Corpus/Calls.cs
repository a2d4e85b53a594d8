using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// Calls to the object's other static methods: BPF-to-BPF subprograms, by value, ref, in and ref return.
[BpfObject]
public static partial class Calls
{
    static int Mix(int x, int y) => x * 31 + y;

    static void Bump(ref int x, int by) => x += by;

    static readonly BpfArray<Pair> pairs = new(maxEntries: 1);

    static ref Point Pick(ref Pair pair, bool first)
    {
        if (first) return ref pair.First;
        return ref pair.Second;
    }

    static int Outer(int x) => Middle(x + 1) * 2;

    static int Middle(int x) => Inner(x) + 3;

    static int Inner(int x) => x ^ 0x55;

    static int Area(in Point size) => size.X * size.Y;

    [TrafficControl]
    public static TcAction CallsAFunction(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)Mix(v.A, v.B);
    }

    [TrafficControl]
    public static TcAction PassesByRef(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int total = v.A;
        Bump(ref total, v.B);
        Bump(ref total, 7);
        return (TcAction)total;
    }

    [TrafficControl]
    public static TcAction ReturnsByRef(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        // A ref into a map value may be returned; one into the caller's stack may not (the verifier's rule).
        ref Pair pair = ref pairs.GetValueRefOrNullRef(0);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref pair)) return TcAction.Shot;
        pair.First.X = 1;
        pair.Second.X = 2;
        ref Point chosen = ref Pick(ref pair, v.A > 0);
        chosen.Y = v.B;
        return (TcAction)(pair.First.Y * 10 + pair.Second.Y + chosen.X);
    }

    [TrafficControl]
    public static TcAction CallChain(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)Outer(v.A);
    }

    [TrafficControl]
    public static TcAction PassesStructs(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        Point size;
        size.X = v.A & 0xfff;
        size.Y = v.B & 0xfff;
        return (TcAction)Area(size);
    }
}
