namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>The same message from one tracepoint three ways: not at all (the baseline), through BpfLog and through
/// Bpf.Printk, so their costs can be compared instruction for instruction: everything after the pid filter is the
/// cost of the log line (reading the values, the test, the call).</summary>
[BpfObject]
public static partial class LoggingProbes
{
    static readonly uint TargetPid = 0;

    [RawTracepoint("sys_enter")]
    public static int Baseline(RawTracepointContext ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        uint pid = (uint)(pidTgid >> 32);
        if (pid != TargetPid) return 0;
        return 0;
    }

    [RawTracepoint("sys_enter")]
    public static int WithBpfLog(RawTracepointContext ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        uint pid = (uint)(pidTgid >> 32);
        if (pid != TargetPid) return 0;
        long syscall = (long)ctx.Arg(1);
        uint tid = (uint)pidTgid;
        if (syscall == 110) BpfLog.Info($"getppid from {pid} on thread {tid}, syscall {syscall}");
        return 0;
    }

    [RawTracepoint("sys_enter")]
    public static int WithPrintk(RawTracepointContext ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        uint pid = (uint)(pidTgid >> 32);
        if (pid != TargetPid) return 0;
        long syscall = (long)ctx.Arg(1);
        uint tid = (uint)pidTgid;
        if (syscall == 110) Bpf.Printk($"getppid from {pid} on thread {tid}, syscall {syscall}");
        return 0;
    }

    /// <summary>Text in a message: the command name travels as its 16 bytes.</summary>
    [RawTracepoint("sys_enter")]
    public static int WithText(RawTracepointContext ctx)
    {
        uint pid = (uint)(Bpf.GetCurrentPidTgid() >> 32);
        if (pid != TargetPid || (long)ctx.Arg(1) != 110) return 0;
        Bpf.GetCurrentComm(out Comm comm);
        BpfLog.Warn($"{comm} (pid {pid}) called getppid");
        return 0;
    }
}
