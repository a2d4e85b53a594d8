using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>Part of the kernel's struct task_struct, declared with offsets that are deliberately wrong: the program reads
/// the right fields only because every read carries a CO-RE relocation the loader resolves against the kernel's BTF.</summary>
[KernelType("task_struct")]
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct TaskStruct
{
    [KernelField("tgid"), FieldOffset(0)] public int Tgid;
    [KernelField("pid"), FieldOffset(4)] public int Pid;
    [KernelField("real_parent"), FieldOffset(8)] public KernelPointer<TaskStruct> RealParent;
    [KernelField("comm"), FieldOffset(16)] public TaskComm Comm;
}

/// <summary>char comm[16].</summary>
[InlineArray(16)]
public struct TaskComm
{
    private byte _element;
}

/// <summary>A flavour of task_struct with a field no kernel has: only read behind Bpf.FieldExists.</summary>
[KernelType("task_struct___old")]
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct TaskStructOld
{
    [KernelField("csbpf_field_no_kernel_has"), FieldOffset(0)] public int Missing;
}

/// <summary>enum cgroup_subsys_id, with a value the kernel does not give it.</summary>
[KernelType("cgroup_subsys_id")]
public enum CgroupSubsysId
{
    [KernelField("cpu_cgrp_id")] CpuCgroup = 99,
}

public struct CoreResult
{
    public int Pid, Ppid, HasRealParent, HasMissing, Missing, PidSize, TaskExists, Calls;
    public long CpuCgroup;
    public TaskComm Comm;
}

/// <summary>The current task's pid, parent's pid and name through CO-RE, and the bpf_core_* queries, from C#.</summary>
[BpfObject]
public static partial class CoreProbes
{
    static readonly BpfArray<CoreResult> Results = new(maxEntries: 1);

    /// <summary>The process whose getppid calls count (set before load).</summary>
    static readonly int TargetPid = 0;

    [Tracepoint("syscalls", "sys_enter_getppid")]
    public static int OnGetppid(TracepointContext ctx)
    {
        var task = Bpf.GetCurrentTask<TaskStruct>();
        if (task.Value.Tgid != TargetPid) return 0;
        ref CoreResult r = ref Results.GetValueRefOrNullRef(0);
        if (Unsafe.IsNullRef(ref r)) return 0;
        r.Pid = task.Value.Tgid;
        r.Ppid = Bpf.CoreRead(task.Value.RealParent.Value.Tgid); // the same as without Bpf.CoreRead
        r.Comm = task.Value.Comm;
        r.HasRealParent = Bpf.FieldExists(task.Value.RealParent) ? 1 : 0;
        var old = new KernelPointer<TaskStructOld>(task.Address);
        r.HasMissing = Bpf.FieldExists(old.Value.Missing) ? 1 : 0;
        if (Bpf.FieldExists(old.Value.Missing)) r.Missing = old.Value.Missing + 1;
        r.PidSize = Bpf.FieldSize(task.Value.Pid);
        r.TaskExists = Bpf.TypeExists<TaskStruct>() ? 1 : 0;
        r.CpuCgroup = Bpf.EnumValue(CgroupSubsysId.CpuCgroup);
        r.Calls++;
        return 0;
    }
}
