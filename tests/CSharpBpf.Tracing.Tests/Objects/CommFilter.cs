using System.Runtime.CompilerServices;
using System.Threading;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>Counts openat calls per process by command name: one name set before load, one written in the program.</summary>
[BpfObject]
public static partial class CommFilter
{
    /// <summary>Pid → openat calls of processes named <see cref="Target"/>.</summary>
    internal static readonly BpfHashMap<uint, long> ByTarget = new(1024);

    /// <summary>Pid → openat calls of processes named "cat".</summary>
    internal static readonly BpfHashMap<uint, long> ByLiteral = new(1024);

    /// <summary>Pid → openat calls of processes not named "cat" (a name that only differs after its NUL would count here).</summary>
    internal static readonly BpfHashMap<uint, long> Others = new(1024);

    /// <summary>The command name to count, set before load (zeroes: no process matches).</summary>
    static readonly Comm Target = default;

    [Tracepoint("syscalls", "sys_enter_openat")]
    public static int OnOpenat(TracepointContext<SysEnterOpenatArgs> ctx)
    {
        if (!Bpf.GetCurrentComm(out Comm comm)) return 0;
        uint pid = (uint)(Bpf.GetCurrentPidTgid() >> 32);
        if (comm == Target)
        {
            ByTarget.TryAdd(pid, 0);
            ref long count = ref ByTarget.GetValueRefOrNullRef(pid);
            if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
        }
        if (comm.Is("cat"u8))
        {
            ByLiteral.TryAdd(pid, 0);
            ref long count = ref ByLiteral.GetValueRefOrNullRef(pid);
            if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
        }
        else if (comm != Target && !comm.Is("ca"u8))
        {
            Others.TryAdd(pid, 0);
            ref long count = ref Others.GetValueRefOrNullRef(pid);
            if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
        }
        return 0;
    }
}
