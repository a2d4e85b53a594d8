using System.Runtime.InteropServices;
using System.Threading;
using CSharpBpf;

namespace BpfTracingApp;

/// <summary>raw_syscalls/sys_enter's fields (write your own with `csbpf tracepoint CATEGORY/NAME`).</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct SysEnterArgs
{
    /// <summary>The syscall number.</summary>
    [FieldOffset(0)] public long Id;
}

/// <summary>Counts every syscall per process (thread group id), on the raw_syscalls/sys_enter tracepoint. The build
/// compiles it to bin/…/bpf/SyscallCounter.bpf.o; as plain .NET it runs against the calling process (see the tests).</summary>
[BpfObject]
public static partial class SyscallCounter
{
    /// <summary>Syscalls per process id.</summary>
    public static readonly BpfHashMap<uint, ulong> PerProcess = new(maxEntries: 16384);

    [Tracepoint("raw_syscalls", "sys_enter")]
    public static void OnEnter(TracepointContext<SysEnterArgs> ctx)
    {
        uint pid = (uint)(Bpf.GetCurrentPidTgid() >> 32);
        ref ulong count = ref PerProcess.GetValueRefOrNullRef(pid);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
            PerProcess.TryAdd(pid, 1);
        else
            Interlocked.Increment(ref count);
    }
}
