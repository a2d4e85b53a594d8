using System.Runtime.CompilerServices;

namespace CSharpBpf.Tracing.Tests.Objects;

public struct SyscallEvent
{
    public uint Pid;
    public uint Tid;
    public long Syscall;
    public long KernelStack;
}

/// <summary>Counts one process's syscalls by number from the raw sys_enter tracepoint, and sends a perf-buffer
/// record, with the kernel stack's id, for each getppid.</summary>
[BpfObject]
public static partial class SyscallCounter
{
    const long GetppidSyscall = 110;

    static readonly BpfHashMap<long, ulong> Counts = new(1024);
    static readonly BpfPerfEventArray Getppids = new();
    static readonly BpfStackTraceMap Stacks = new(64);
    static readonly uint TargetPid = 0;

    /// <summary>sys_enter's arguments: 0 is the struct pt_regs pointer, 1 the syscall number.</summary>
    [RawTracepoint("sys_enter")]
    public static int OnSysEnter(RawTracepointContext ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        if ((uint)(pidTgid >> 32) != TargetPid) return 0;
        long syscall = (long)ctx.Arg(1);
        ref ulong count = ref Counts.GetValueRefOrNullRef(syscall);
        if (Unsafe.IsNullRef(ref count)) Counts.TryAdd(syscall, 1);
        else System.Threading.Interlocked.Increment(ref count);
        if (syscall == GetppidSyscall)
        {
            var e = new SyscallEvent { Pid = (uint)(pidTgid >> 32), Tid = (uint)pidTgid, Syscall = syscall, KernelStack = Stacks.GetStackId(ctx, StackTraceFlags.KernelStack) };
            Getppids.Output(ctx, e);
        }
        return 0;
    }
}
