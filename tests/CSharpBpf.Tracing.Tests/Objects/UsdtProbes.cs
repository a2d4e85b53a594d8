namespace CSharpBpf.Tracing.Tests.Objects;

public struct Point
{
    public long X;
    public long Y;
}

/// <summary>What one firing of csbpf:fired or csbpf:indexed (tests/fixtures/c/usdt.c) passed.</summary>
public struct UsdtEvent
{
    public uint Pid;
    public int Probe; // 1 fired, 2 indexed
    public int ArgCount;
    public long A, B, C, D, E, P, Constant, Missing;
    public Point Point;
}

/// <summary>The arguments of the test binary's USDT probes, decoded from the site's note and sent up a ring buffer.</summary>
[BpfObject]
public static partial class UsdtProbes
{
    static readonly BpfRingBuffer Events = new(256 * 1024);

    [Usdt("/usr/local/bin/csbpf-usdt", "csbpf", "fired")]
    public static int OnFired(UsdtContext ctx)
    {
        var e = new UsdtEvent
        {
            Pid = (uint)(Bpf.GetCurrentPidTgid() >> 32),
            Probe = 1,
            ArgCount = ctx.ArgCount,
            A = ctx.Arg(0),
            B = ctx.Arg(1),
            C = ctx.Arg(2),
            D = ctx.Arg(3),
            E = ctx.Arg(4),
            P = ctx.Arg(5),
            Constant = ctx.Arg(6),
            Missing = ctx.Arg(7),
        };
        Bpf.ProbeReadUser((ulong)e.P, out e.Point);
        Events.Output(e);
        return 0;
    }

    [Usdt("/usr/local/bin/csbpf-usdt", "csbpf", "indexed")]
    public static int OnIndexed(UsdtContext ctx)
    {
        var e = new UsdtEvent { Pid = (uint)(Bpf.GetCurrentPidTgid() >> 32), Probe = 2, ArgCount = ctx.ArgCount, A = ctx.Arg(0), B = ctx.Arg(1) };
        Events.Output(e);
        return 0;
    }
}
