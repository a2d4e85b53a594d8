namespace CSharpBpf.Benchmarks.Logging;

/// <summary>One message three ways on raw sys_enter — not at all, through BpfLog, through Bpf.Printk — for
/// LoggingComparison. Everything after the pid filter is the log line's cost.</summary>
[BpfObject]
public static partial class LogCost
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
}
