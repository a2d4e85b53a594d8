using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CSharpBpf;
using CSharpBpf.Samples.Kernel;

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

/// <summary>Every exec on the machine, as libbpf-tools' execsnoop traces it: an event per argument on entry, one with the
/// result on exit; the parent pid is the current task's real_parent->tgid, read through CO-RE with the kernel types in
/// KernelTypes.cs (`csbpf btf generate --types task_struct`), so it is right on kernels whose task_struct differs.</summary>
[BpfObject]
public static partial class ExecTracer
{
    public const int MaxArguments = 20;

    static readonly BpfRingBuffer Events = new(1024 * 1024);

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
        e.ParentPid = (uint)Bpf.GetCurrentTask<TaskStruct>().Value.RealParent.Value.Tgid;
        e.ReturnValue = 0;
        Bpf.GetCurrentComm(out e.Comm);
    }
}
