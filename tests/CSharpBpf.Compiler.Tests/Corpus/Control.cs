using CSharpBpf;

namespace CSharpBpf.Compiler.Tests.Corpus;

// Branches: if/else, switch statements and expressions, ternaries, short-circuit logic, enums, patterns.
[BpfObject]
public static partial class Control
{
    [TrafficControl]
    public static TcAction IfElseChain(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int bucket;
        if (v.A < -1000) bucket = 1;
        else if (v.A < 0) bucket = 2;
        else if (v.A == 0) bucket = 3;
        else if (v.A <= 1000) bucket = 4;
        else bucket = 5;
        return (TcAction)bucket;
    }

    [TrafficControl]
    public static TcAction SwitchStatement(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int result = 0;
        switch (v.G % 8)
        {
            case 0: result = 10; break;
            case 1:
            case 2: result = 20; break;
            case 3: result = v.A; break;
            case 5: result = v.B * 2; break;
            default: result = -1; break;
        }
        return (TcAction)result;
    }

    [TrafficControl]
    public static TcAction SwitchExpression(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int result = v.H switch
        {
            < -50 => 1,
            0 => 2,
            > 100 => 3,
            >= 10 and <= 20 => 4,
            _ => 5,
        };
        return (TcAction)result;
    }

    [TrafficControl]
    public static TcAction Ternaries(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        int max = v.A > v.B ? v.A : v.B;
        uint min = v.C < 1000 ? v.C : 1000;
        return (TcAction)(max + (int)min + (v.G != 0 ? 1 : 2));
    }

    [TrafficControl]
    public static TcAction ShortCircuit(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        bool first = (v.A > 0 && v.B > 0) || v.C == 7;
        bool second = v.G > 100 && (v.H < 0 || v.F > 1000);
        return (TcAction)((first ? 1 : 0) + (second ? 2 : 0));
    }

    [TrafficControl]
    public static TcAction BoolLogic(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        bool x = v.A > v.B;
        bool y = v.C % 2 == 0;
        bool z = !x & y | (x ^ y);
        return z ? TcAction.Ok : TcAction.Pipe;
    }

    [TrafficControl]
    public static TcAction Enums(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        var protocol = (IpProtocol)(v.G % 20);
        int score = protocol switch
        {
            IpProtocol.Tcp => 6,
            IpProtocol.Udp => 17,
            IpProtocol.Icmp => 1,
            _ => 0,
        };
        return protocol == IpProtocol.Tcp || protocol == IpProtocol.Udp ? (TcAction)(score + 100) : (TcAction)score;
    }

    [TrafficControl]
    public static TcAction Patterns(SkBuff skb)
    {
        if (!skb.TryRead(14, out Input v)) return TcAction.Shot;
        if (v.G is >= 10 and <= 20 or 42) return TcAction.Ok;
        if (v.A is not 0 and > -5 and < 5) return TcAction.Reclassify;
        return TcAction.Pipe;
    }
}
