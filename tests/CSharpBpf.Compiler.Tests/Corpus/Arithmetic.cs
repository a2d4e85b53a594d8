using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// Integer arithmetic of every width with C# semantics: wrap-around, truncating division, masked shifts.
[BpfObject]
public static partial class Arithmetic
{
    [TrafficControl]
    public static TcAction AddSubtract(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)(v.A + v.B - (int)v.C);
    }

    [TrafficControl]
    public static TcAction MultiplyShift(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)(v.A * 7 + (v.B << 3) - (v.B >> 2) + v.A * v.B);
    }

    [TrafficControl]
    public static TcAction UnsignedDivide(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)(int)(v.C / 10 + v.C % 7 + (v.C >> 5));
    }

    [TrafficControl]
    public static TcAction SignedDivide(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)(v.A / 3 + v.B % 5 + v.A / -4);
    }

    [TrafficControl]
    public static TcAction LongArithmetic(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        long x = v.D * 3 + v.A - (long)(v.E >> 7) + (long)v.C * 1_000_003;
        return (TcAction)(int)(x ^ (x >> 32));
    }

    [TrafficControl]
    public static TcAction NarrowConversions(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        byte b = (byte)(v.G + 200);
        sbyte s = (sbyte)(v.H - 100);
        short sh = (short)(v.F * 3);
        ushort us = (ushort)v.F;
        char c = (char)(v.A & 0xffff);
        return (TcAction)(b + s * 3 + sh + us + c);
    }

    [TrafficControl]
    public static TcAction BitOperations(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)((~v.A & v.B) | ((int)v.C ^ 0x5a5a) | (v.F & ~0xff));
    }

    [TrafficControl]
    public static TcAction VariableShifts(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int x = (v.A << v.B) + (int)(v.C >> v.G) + (v.H << 3);
        long y = (v.D >> v.G) ^ (long)(v.E << v.B);
        return (TcAction)(x ^ (int)y ^ (int)(y >> 32));
    }

    [TrafficControl]
    public static TcAction Negation(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        long d = -v.D;
        return (TcAction)(-v.A + (int)d + -(int)(d >> 40));
    }

    [TrafficControl]
    public static TcAction WrapAround(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int max = int.MaxValue;
        uint hash = unchecked(v.C * 0x9E3779B1u);
        return (TcAction)unchecked(max + v.A + (int)hash);
    }

    [TrafficControl]
    public static TcAction UnsignedRightShift(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        return (TcAction)((v.A >>> (v.B & 31)) + (int)(v.D >>> 60));
    }
}
