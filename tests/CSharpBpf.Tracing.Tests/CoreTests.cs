using System;
using System.Linq;
using CSharpBpf.Bytecode.Core;
using CSharpBpf.Loading;
using CSharpBpf.Testing;
using CSharpBpf.Tracing.Tests.Objects;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>CO-RE from C#: Objects/CoreProbes.cs declares task_struct with wrong offsets on purpose; the program still
/// reads the right values because each read carries a relocation the loader resolves against the kernel's BTF.</summary>
public sealed class CoreTests
{
    [KernelFact]
    public void Fields_read_through_kernel_pointers_are_relocated_to_the_running_kernel()
    {
        var spec = CoreProbes.Open();
        spec.TargetPid = Environment.ProcessId;
        using var probes = spec.Load();
        string thread;
        using (probes.OnGetppid.Attach())
        {
            Native.getppid();
            thread = System.IO.File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n'); // task->comm is the thread's name
        }

        var r = probes.Results[0];
        Assert.True(r.Calls >= 1, "the program ran");
        Assert.Equal(Environment.ProcessId, r.Pid);                  // task->tgid, declared at offset 0
        Assert.Equal(Native.getppid(), r.Ppid);                      // task->real_parent->tgid
        Assert.Equal(thread, System.Text.Encoding.ASCII.GetString(r.Comm).TrimEnd('\0'));     // task->comm, a char[16]
        Assert.Equal(1, r.HasRealParent);                            // Bpf.FieldExists(task.Value.RealParent)
        Assert.Equal((0, 0), (r.HasMissing, r.Missing));             // task_struct___old's field: its read was never reached
        Assert.Equal(4, r.PidSize);                                  // Bpf.FieldSize(task.Value.Pid)
        Assert.Equal(1, r.TaskExists);                               // Bpf.TypeExists<TaskStruct>()
        long cpu = KernelBtf.Types.OfType<Bytecode.Btf.BtfEnum>().Where(e => e.Name == "cgroup_subsys_id").SelectMany(e => e.Values).Single(v => v.Name == "cpu_cgrp_id").Value;
        Assert.Equal(cpu, r.CpuCgroup);                              // Bpf.EnumValue(CgroupSubsysId.CpuCgroup), declared as 99
    }

    [Fact]
    public void The_object_carries_libbpf_core_relocations_that_bpftool_accepts()
    {
        var relocations = BpfObjectFile.Open(CoreProbes.ObjectFile, "CoreProbes").Spec.CoreRelocations;
        Assert.Contains(relocations, r => r.Kind == (int)CoreRelocationKind.FieldByteOffset && r.AccessString == "0:2");   // task_struct.real_parent
        Assert.Contains(relocations, r => r.Kind == (int)CoreRelocationKind.FieldExists && r.AccessString == "0:0");       // task_struct___old.csbpf_field_no_kernel_has
        Assert.Contains(relocations, r => r.Kind == (int)CoreRelocationKind.EnumValue && r.AccessString == "0");
        Assert.Contains(relocations, r => r.Kind == (int)CoreRelocationKind.TypeExists);
    }

    [Fact]
    public void As_plain_dotnet_kernel_pointers_read_what_the_test_placed()
    {
        var parent = KernelMemory.Place(new TaskStruct { Tgid = 41 });
        var task = KernelMemory.Place(new TaskStruct { Tgid = 42, RealParent = parent });
        Assert.Equal(41, task.Value.RealParent.Value.Tgid);
        Assert.Equal(0, new KernelPointer<TaskStruct>(0).Value.Tgid); // a null pointer reads zeroes, as the helper does
        Assert.True(Bpf.FieldExists(task.Value.RealParent));
        Assert.Equal(99, Bpf.EnumValue(CgroupSubsysId.CpuCgroup));
    }
}
