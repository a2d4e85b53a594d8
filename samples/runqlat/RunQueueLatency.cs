using System.Runtime.InteropServices;
using CSharpBpf;
using CSharpBpf.Samples.Kernel;

namespace RunQlat;

/// <summary>btf_trace_sched_wakeup and btf_trace_sched_wakeup_new: the task woken (after the tracepoint's __data).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct WakeupArgs
{
    [FieldOffset(0)] public KernelPointer<TaskStruct> Task;
}

/// <summary>btf_trace_sched_switch: preempt, the task leaving the CPU, the one taking it, prev's state.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct SwitchArgs
{
    [FieldOffset(0)] public byte Preempt;
    [FieldOffset(8)] public KernelPointer<TaskStruct> Prev;
    [FieldOffset(16)] public KernelPointer<TaskStruct> Next;
    [FieldOffset(24)] public uint PrevState;
}

/// <summary>
/// Scheduler run-queue latency, as libbpf-tools' runqlat measures it: a task is queued when woken (sched_wakeup,
/// sched_wakeup_new) or preempted while runnable (sched_switch with prev still TASK_RUNNING), and the time until
/// sched_switch runs it goes into a power-of-two histogram of microseconds. The tp_btf programs get typed task
/// pointers; pid and state are read through CO-RE.
/// </summary>
[BpfObject]
public static partial class RunQueueLatency
{
    const uint TaskRunning = 0;

    static readonly BpfHashMap<int, ulong> Queued = new(10240);
    static readonly BpfLog2Histogram LatencyUs = new();

    /// <summary>Only this process's threads (0: every task), set before load.</summary>
    static readonly int TargetPid = 0;

    [BtfTracepoint("sched_wakeup")]
    public static int OnWakeup(TracingContext<WakeupArgs> ctx) => Enqueue(ctx.Args.Task);

    [BtfTracepoint("sched_wakeup_new")]
    public static int OnWakeupNew(TracingContext<WakeupArgs> ctx) => Enqueue(ctx.Args.Task);

    [BtfTracepoint("sched_switch")]
    public static int OnSwitch(TracingContext<SwitchArgs> ctx)
    {
        var prev = ctx.Args.Prev;
        if (prev.Value.State == TaskRunning) Enqueue(prev);
        int next = ctx.Args.Next.Value.Pid;
        if (!Queued.TryGetValue(next, out ulong queuedAt)) return 0;
        Queued.Remove(next);
        LatencyUs.Record((Bpf.KtimeGetNs() - queuedAt) / 1000);
        return 0;
    }

    static int Enqueue(KernelPointer<TaskStruct> task)
    {
        int pid = task.Value.Pid;
        if (pid == 0 || (TargetPid != 0 && task.Value.Tgid != TargetPid)) return 0;
        Queued.Update(pid, Bpf.KtimeGetNs());
        return 0;
    }
}
