using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using CSharpBpf.Aggregation;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>raw_syscalls/sys_enter's fields: the syscall number and its six arguments.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RawSysEnterArgs
{
    public long Id;
    public ulong Arg0, Arg1, Arg2, Arg3, Arg4, Arg5;
}

/// <summary>raw_syscalls/sys_exit's fields.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RawSysExitArgs
{
    public long Id;
    public long Ret;
}

/// <summary>Syscall latency of one process as bpftrace would write it:
/// tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs } and on sys_exit hist(nsecs - @start[tid]),
/// lhist of the syscall numbers, count/sum/min/max of the latency per syscall and a hist per syscall (@[id] = hist()).</summary>
[BpfObject]
public static partial class SyscallLatency
{
    static readonly BpfHashMap<uint, ulong> Start = new(10240);
    static readonly BpfLog2Histogram Latency = new();
    static readonly BpfLinearHistogram SyscallNumbers = new(0, 500, 50);
    static readonly BpfStatistics<long> PerSyscall = new(1024);
    static readonly BpfKeyedHistogram<long> LatencyBySyscall = new(8192);
    static readonly uint TargetPid = 0;

    [Tracepoint("raw_syscalls", "sys_enter")]
    public static void OnEnter(TracepointContext<RawSysEnterArgs> ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        if ((uint)(pidTgid >> 32) != TargetPid) return;
        ulong now = Bpf.KtimeGetNs();
        Start.Update((uint)pidTgid, now);
    }

    [Tracepoint("raw_syscalls", "sys_exit")]
    public static void OnExit(TracepointContext<RawSysExitArgs> ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        if ((uint)(pidTgid >> 32) != TargetPid) return;
        uint tid = (uint)pidTgid;
        if (!Start.TryGetValue(tid, out ulong started)) return;
        Start.Remove(tid);
        ulong elapsed = Bpf.KtimeGetNs() - started;
        long id = ctx.Args.Id;
        Latency.Record(elapsed);
        SyscallNumbers.Record(id);
        PerSyscall.Record(id, (long)elapsed);
        LatencyBySyscall.Record(id, elapsed);
    }
}
