using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>btf_trace_sched_switch's arguments after its __data: preempt, prev, next, prev_state (8-byte slots).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct SchedSwitchArgs
{
    [FieldOffset(0)] public byte Preempt;
    [FieldOffset(8)] public KernelPointer<TaskStruct> Prev;
    [FieldOffset(16)] public KernelPointer<TaskStruct> Next;
    [FieldOffset(24)] public uint PrevState;
}

/// <summary>struct bpf_iter__task: the iterator's meta, then the task (null on the last call).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct TaskIteratorArgs
{
    [FieldOffset(0)] public ulong Meta;
    [FieldOffset(8)] public KernelPointer<TaskStruct> Task;
}

public struct SwitchCount
{
    public long SwitchedOut, SwitchedIn, LastPrevPid, Tasks, Threads, SawTarget, CurrentWasPrev;
}

/// <summary>BTF-typed programs that load on this kernel: a tp_btf program on sched_switch and a task iterator.</summary>
[BpfObject]
public static partial class BtfProbes
{
    static readonly BpfArray<SwitchCount> Counts = new(maxEntries: 1);

    /// <summary>The process to watch (set before load).</summary>
    static readonly int TargetPid = 0;

    [BtfTracepoint("sched_switch")]
    public static int OnSwitch(TracingContext<SchedSwitchArgs> ctx)
    {
        ref SwitchCount c = ref Counts.GetValueRefOrNullRef(0);
        if (Unsafe.IsNullRef(ref c)) return 0;
        int prev = ctx.Args.Prev.Value.Tgid, next = ctx.Args.Next.Value.Tgid;
        if (prev == TargetPid)
        {
            System.Threading.Interlocked.Increment(ref c.SwitchedOut);
            c.LastPrevPid = prev;
            // sched_switch runs in the task leaving the CPU: bpf_get_current_task_btf is prev.
            if (Bpf.GetCurrentTask<TaskStruct>().Address == ctx.Args.Prev.Address) c.CurrentWasPrev = 1;
        }
        if (next == TargetPid) System.Threading.Interlocked.Increment(ref c.SwitchedIn);
        return 0;
    }

    [Iter("task")]
    public static int CountTasks(TracingContext<TaskIteratorArgs> ctx)
    {
        var task = ctx.Args.Task;
        if (task.IsNull) return 0;
        ref SwitchCount c = ref Counts.GetValueRefOrNullRef(0);
        if (Unsafe.IsNullRef(ref c)) return 0;
        c.Threads++;
        if (task.Value.Pid == task.Value.Tgid) c.Tasks++;
        if (task.Value.Tgid == TargetPid) c.SawTarget = 1;
        return 0;
    }
}
