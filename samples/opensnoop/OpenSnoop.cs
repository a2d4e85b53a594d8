using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CSharpBpf;

namespace OpenSnoop;

/// <summary>syscalls/sys_enter_openat (from `csbpf tracepoint syscalls/sys_enter_openat`).</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct SysEnterOpenatArgs
{
    [FieldOffset(16)] public ulong Filename;
    [FieldOffset(24)] public long Flags;
}

/// <summary>syscalls/sys_exit_openat.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct SysExitOpenatArgs
{
    [FieldOffset(8)] public long Ret;
}

/// <summary>An openat in flight: where its path is and how it was opened.</summary>
public struct PendingOpen
{
    public ulong Filename;
    public long Flags;
}

public struct OpenEvent
{
    public uint Pid;
    public uint Uid;
    public long Result;
    public long Flags;
    public Comm Comm;
    public CString256 Path;
}

/// <summary>Files opened, by whom, with the result — bcc's opensnoop: the entry remembers the path pointer per
/// thread, the exit reads it and reports it with the descriptor or error.</summary>
[BpfObject]
public static partial class OpenTracer
{
    static readonly BpfRingBuffer Events = new(1024 * 1024);
    static readonly BpfHashMap<uint, PendingOpen> InFlight = new(10240);

    /// <summary>Only this process (0: every process).</summary>
    static readonly uint TargetPid = 0;

    [Tracepoint("syscalls", "sys_enter_openat")]
    public static void OnEnter(TracepointContext<SysEnterOpenatArgs> ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        if (TargetPid != 0 && (uint)(pidTgid >> 32) != TargetPid) return;
        var pending = new PendingOpen { Filename = ctx.Args.Filename, Flags = ctx.Args.Flags };
        InFlight.Update((uint)pidTgid, pending);
    }

    [Tracepoint("syscalls", "sys_exit_openat")]
    public static void OnExit(TracepointContext<SysExitOpenatArgs> ctx)
    {
        ulong pidTgid = Bpf.GetCurrentPidTgid();
        uint tid = (uint)pidTgid;
        if (!InFlight.TryGetValue(tid, out PendingOpen pending)) return;
        InFlight.Remove(tid);
        ref OpenEvent e = ref Events.Reserve<OpenEvent>();
        if (Unsafe.IsNullRef(ref e)) return;
        e.Pid = (uint)(pidTgid >> 32);
        e.Uid = (uint)Bpf.GetCurrentUidGid();
        e.Result = ctx.Args.Ret;
        e.Flags = pending.Flags;
        Bpf.GetCurrentComm(out e.Comm);
        Bpf.ProbeReadUserString(pending.Filename, out e.Path);
        Events.Submit(ref e);
    }
}
