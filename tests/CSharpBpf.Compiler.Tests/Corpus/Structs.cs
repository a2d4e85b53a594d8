using System.Runtime.CompilerServices;
using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// Unmanaged structs on the stack, ref locals, inline arrays, copies.
[BpfObject]
public static partial class Structs
{
    [TrafficControl]
    public static TcAction StructLocals(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        Point p;
        p.X = v.A;
        p.Y = v.B;
        Point q = p;
        q.X = p.Y;
        q.Y = p.X;
        return (TcAction)(q.X * 10 + q.Y - p.X);
    }

    [TrafficControl]
    public static TcAction RefLocals(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        Pair pair = default;
        pair.First.X = v.A;
        pair.Second.X = v.B;
        ref Point larger = ref (v.A > v.B ? ref pair.First : ref pair.Second);
        larger.Y += 5;
        ref int x = ref larger.X;
        x *= 2;
        return (TcAction)(pair.First.X + pair.First.Y * 100 + pair.Second.X + pair.Second.Y * 1000);
    }

    [TrafficControl]
    public static TcAction InlineArrays(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        Shape shape = default;
        shape.Kind = v.G;
        shape.Origin.X = v.A;
        shape.Sides[0] = v.B;
        shape.Sides[1] = (int)v.C;
        shape.Sides[3] = shape.Sides[0] + shape.Sides[1];
        return (TcAction)(shape.Kind + shape.Origin.X + shape.Sides[3] + shape.Sides[2]);
    }

    [TrafficControl]
    public static TcAction CopiesAreIndependent(SkBuff skb)
    {
        if (!skb.TryRead(0, out EthernetHeader eth)) return TcAction.Shot;
        EthernetHeader copy = eth;
        copy.EtherType = EtherType.Arp;
        return (TcAction)((int)eth.EtherType * 3 + (int)copy.EtherType);
    }

    [TrafficControl]
    public static TcAction DefaultValues(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        Point a = new Point();
        Point b = default;
        a.X = v.A;
        return (TcAction)(a.X + a.Y + b.X + b.Y);
    }
}
