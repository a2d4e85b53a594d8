namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>Counts one process's getppid calls on the syscalls/sys_enter_getppid tracepoint, reading none of the event's
/// fields: the untyped TracepointContext.</summary>
[BpfObject]
public static partial class EventCounter
{
    static readonly BpfArray<ulong> Calls = new(maxEntries: 1);
    static readonly uint TargetPid = 0;

    [Tracepoint("syscalls", "sys_enter_getppid")]
    public static int OnGetppid(TracepointContext ctx)
    {
        if ((uint)(Bpf.GetCurrentPidTgid() >> 32) != TargetPid) return 0;
        ref ulong calls = ref Calls.GetValueRefOrNullRef(0);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref calls)) System.Threading.Interlocked.Increment(ref calls);
        return 0;
    }
}
