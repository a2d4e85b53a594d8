using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>syscalls/sys_enter_openat's fields after the common header, as its tracefs format lays them out
/// (printed by `csbpf tracepoint syscalls/sys_enter_openat`).</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct SysEnterOpenatArgs
{
    [FieldOffset(0)] public int SyscallNr;
    [FieldOffset(8)] public long Dfd;
    [FieldOffset(16)] public ulong Filename;
    [FieldOffset(24)] public long Flags;
    [FieldOffset(32)] public ulong Mode;
}

public struct OpenEvent
{
    public uint Pid;
    public uint Tid;
    public int Dfd;
    public int Flags;
    public long PathLength;
    public Comm Comm;
    public CString256 Path;
}

/// <summary>Every openat of one process, as a ring-buffer record filled in place.</summary>
[BpfObject]
public static partial class OpenTracer
{
    internal static readonly BpfRingBuffer Events = new(256 * 1024);

    /// <summary>The process to watch, set before load (0: every process).</summary>
    static readonly uint TargetPid = 0;

    [Tracepoint("syscalls", "sys_enter_openat")]
    public static int OnOpenat(TracepointContext<SysEnterOpenatArgs> ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        uint pid = (uint)(pidTgid >> 32);
        if (TargetPid != 0 && pid != TargetPid) return 0;
        ref OpenEvent e = ref Events.Reserve<OpenEvent>();
        if (Unsafe.IsNullRef(ref e)) return 0;
        e.Pid = pid;
        e.Tid = (uint)pidTgid;
        e.Dfd = (int)ctx.Args.Dfd;
        e.Flags = (int)ctx.Args.Flags;
        Bpf.GetCurrentComm(out e.Comm);
        e.PathLength = Bpf.ProbeReadUserString(ctx.Args.Filename, out e.Path);
        if (e.PathLength < 0)
        {
            Events.Discard(ref e); // an unreadable path: give the room back unpublished
            return 0;
        }
        Events.Submit(ref e);
        return 0;
    }
}
