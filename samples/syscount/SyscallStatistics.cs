using System.Runtime.InteropServices;
using CSharpBpf;

namespace SysCount;

/// <summary>raw_syscalls/sys_enter (from `csbpf tracepoint raw_syscalls/sys_enter`).</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct RawSysEnterArgs
{
    [FieldOffset(0)] public long Id;
}

/// <summary>raw_syscalls/sys_exit.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct RawSysExitArgs
{
    [FieldOffset(0)] public long Id;
    [FieldOffset(8)] public long Ret;
}

/// <summary>Syscall counts and latencies, in the kernel: count/sum/min/max per syscall and a power-of-two histogram of
/// every latency (bpftrace's `@[probe] = stats(…)` and `hist(…)`).</summary>
[BpfObject]
public static partial class SyscallStatistics
{
    static readonly BpfHashMap<uint, ulong> Start = new(16384);
    static readonly BpfStatistics<long> PerSyscall = new(1024);
    static readonly BpfLog2Histogram LatencyNs = new();

    /// <summary>Only this process (0: every process).</summary>
    static readonly uint TargetPid = 0;

    [Tracepoint("raw_syscalls", "sys_enter")]
    public static void OnEnter(TracepointContext<RawSysEnterArgs> ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        if (TargetPid != 0 && (uint)(pidTgid >> 32) != TargetPid) return;
        Start.Update((uint)pidTgid, Bpf.KtimeGetNs());
    }

    [Tracepoint("raw_syscalls", "sys_exit")]
    public static void OnExit(TracepointContext<RawSysExitArgs> ctx)
    {
        uint tid = (uint)Bpf.GetCurrentPidTgid();
        if (!Start.TryGetValue(tid, out ulong started)) return;
        Start.Remove(tid);
        ulong elapsed = Bpf.KtimeGetNs() - started;
        PerSyscall.Record(ctx.Args.Id, (long)elapsed);
        LatencyNs.Record(elapsed);
    }
}
