using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CSharpBpf;

namespace ExecSnoop;

/// <summary>syscalls/sys_enter_execve (from `csbpf tracepoint syscalls/sys_enter_execve`).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct SysEnterExecveArgs
{
    [FieldOffset(8)] public ulong Filename;
    [FieldOffset(16)] public ulong Argv;
}

/// <summary>syscalls/sys_exit_execve.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct SysExitExecveArgs
{
    [FieldOffset(8)] public long Ret;
}

/// <summary>sched/sched_process_fork (parent_comm and child_comm are __data_loc fields).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct SchedProcessForkArgs
{
    [FieldOffset(12)] public int ChildPid;
}

public enum ExecEventKind : uint { Argument, Return }

/// <summary>One record: an argument of an execve in progress, or its result.</summary>
public struct ExecEvent
{
    public ExecEventKind Kind;
    public uint Pid;
    public uint ParentPid;
    public uint Uid;
    public long ReturnValue;
    public Comm Comm;
    public CString128 Text;
}

/// <summary>Every exec on the machine, as bcc's execsnoop traces it: an event per argument on entry, one with the
/// result on exit; parent pids come from the fork tracepoint.</summary>
[BpfObject]
public static partial class ExecTracer
{
    public const int MaxArguments = 20;

    static readonly BpfRingBuffer Events = new(1024 * 1024);
    static readonly BpfLruHashMap<uint, uint> Parents = new(16384);

    [Tracepoint("sched", "sched_process_fork")]
    public static void OnFork(TracepointContext<SchedProcessForkArgs> ctx)
    {
        // The tracepoint runs in the forking task; its parent_pid is that thread's id, while a parent pid is the
        // process's (tgid), which the current task gives.
        Parents.Update((uint)ctx.Args.ChildPid, (uint)(Bpf.GetCurrentPidTgid() >> 32));
    }

    [Tracepoint("syscalls", "sys_enter_execve")]
    public static void OnExecve(TracepointContext<SysEnterExecveArgs> ctx)
    {
        ulong argv = ctx.Args.Argv;
        for (int i = 0; i < MaxArguments; i++)
        {
            if (Bpf.ProbeReadUser(argv + (ulong)(i * 8), out ulong pointer) != 0 || pointer == 0) return;
            ref ExecEvent e = ref Events.Reserve<ExecEvent>();
            if (Unsafe.IsNullRef(ref e)) return;
            Describe(ref e, ExecEventKind.Argument);
            Bpf.ProbeReadUserString(pointer, out e.Text);
            Events.Submit(ref e);
        }
    }

    [Tracepoint("syscalls", "sys_exit_execve")]
    public static void OnExecveReturn(TracepointContext<SysExitExecveArgs> ctx)
    {
        ref ExecEvent e = ref Events.Reserve<ExecEvent>();
        if (Unsafe.IsNullRef(ref e)) return;
        Describe(ref e, ExecEventKind.Return);
        e.ReturnValue = ctx.Args.Ret;
        Events.Submit(ref e);
    }

    static void Describe(ref ExecEvent e, ExecEventKind kind)
    {
        e.Kind = kind;
        e.Pid = (uint)(Bpf.GetCurrentPidTgid() >> 32);
        e.Uid = (uint)Bpf.GetCurrentUidGid();
        e.ParentPid = Parents.TryGetValue(e.Pid, out uint parent) ? parent : 0;
        e.ReturnValue = 0;
        Bpf.GetCurrentComm(out e.Comm);
    }
}
