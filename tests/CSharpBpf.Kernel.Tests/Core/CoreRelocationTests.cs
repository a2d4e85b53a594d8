using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Core;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Core;

/// <summary>CO-RE: clang's libbpf-style relocations resolved by our loader against this kernel's BTF, and against edited
/// copies of it, to show the offsets come from the target and not from the object.</summary>
public sealed partial class CoreRelocationTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Result
    {
        public uint Pid, Ppid, HasRealParent, HasMissingField;
        public ulong PidSize;
        public uint HasTaskStruct, CpuCgroupValue, Calls;
    }

    [KernelFact]
    public void A_clang_core_object_loads_through_our_loader_and_reads_the_right_values()
    {
        var file = BpfObjectFile.Open(ClangCoreObject.File);
        Assert.NotEmpty(file.Spec.CoreRelocations);
        file.SetConstant("target_pid", (uint)Environment.ProcessId);
        using var loaded = file.Load();
        using (loaded.Program("on_getppid").AttachTracepoint("syscalls", "sys_enter_getppid"))
            getppid();

        var result = new BpfMap<uint, Result>(loaded.Map("results"))[0];
        Assert.True(result.Calls >= 1, "the program ran");
        Assert.Equal((uint)Environment.ProcessId, result.Pid);                 // BPF_CORE_READ(task, tgid)
        Assert.Equal((uint)getppid(), result.Ppid);                            // BPF_CORE_READ(task, real_parent, tgid)
        Assert.Equal(1u, result.HasRealParent);                                // bpf_core_field_exists(task->real_parent)
        Assert.Equal(0u, result.HasMissingField);                              // task_struct___old's field: the other branch ran
        Assert.Equal(4ul, result.PidSize);                                     // bpf_core_field_size(task->pid)
        Assert.Equal(1u, result.HasTaskStruct);                                // bpf_core_type_exists(struct task_struct)
        Assert.Equal((uint)KernelEnumValue("cgroup_subsys_id", "cpu_cgrp_id") + 100, result.CpuCgroupValue);
    }

    [KernelFact]
    public void A_clang_tp_btf_object_with_direct_typed_reads_loads_attaches_and_counts()
    {
        var file = BpfObjectFile.Open(ClangCoreObject.TpBtf);
        file.SetConstant("target_tgid", Environment.ProcessId);
        using var loaded = file.Load();
        Assert.Equal(BpfProgramType.Tracing, loaded.Program("on_switch").Type);
        using (loaded.Program("on_switch").Attach())
            for (int i = 0; i < 10; i++) System.Threading.Thread.Sleep(2);
        var bss = loaded.Maps.Single(m => m.Key.EndsWith(".bss", StringComparison.Ordinal)).Value;
        var data = new BpfMap<uint, Bss>(bss)[0];
        Assert.True(data.SwitchedOut >= 10, $"{data.SwitchedOut} switches");
        Assert.Equal(getppid(), data.LastParent);
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)] // .bss: switched_out at 0, last_parent at 8, 12 bytes
    private struct Bss
    {
        public ulong SwitchedOut;
        public int LastParent;
    }

    [KernelFact]
    public void Offsets_follow_the_target_btf_when_it_moves_the_fields()
    {
        var spec = BpfObjectFile.Open(ClangCoreObject.File).Spec;
        var kernel = KernelBtf.Types;
        // The edited types go through a BTF blob, as a second kernel's /sys/kernel/btf/vmlinux would come.
        var moved = Blob(Edit(kernel, "task_struct", m => m.Name is "tgid" or "real_parent" ? m with { BitOffset = m.BitOffset + 64 * 8 } : m));

        var atKernel = Relocate(spec, kernel);
        var atMoved = Relocate(spec, moved);
        var offsets = atKernel.Where(r => r.Kind == CoreRelocationKind.FieldByteOffset).ToList();
        Assert.Contains(offsets, r => r.Access == "task_struct.tgid");
        Assert.Contains(offsets, r => r.Access == "task_struct.real_parent");
        foreach (var r in offsets.Where(r => r.Access is "task_struct.tgid" or "task_struct.real_parent"))
        {
            var m = atMoved.Single(x => x.Function == r.Function && x.Instruction == r.Instruction);
            Assert.Equal(r.TargetValue + 64, m.TargetValue);
        }
        // The kernel's own offsets are the ones vmlinux.h compiled in, so the relocation leaves them as they were; the
        // read of the field no kernel has (behind its bpf_core_field_exists test) is poisoned.
        Assert.All(offsets.Where(r => r.Problem == null), r => Assert.Equal(r.LocalValue, r.TargetValue));
        Assert.Equal("task_struct___old.csbpf_field_no_kernel_has", Assert.Single(offsets, r => r.Problem != null).Access);
    }

    [KernelFact]
    public void A_target_without_the_field_poisons_the_read_and_answers_field_exists_with_0()
    {
        var spec = BpfObjectFile.Open(ClangCoreObject.File).Spec;
        var withoutParent = Edit(KernelBtf.Types, "task_struct", m => m.Name == "real_parent" ? m with { Name = "csbpf_renamed" } : m);
        var results = Relocate(spec, withoutParent);
        Assert.Equal(0, results.Single(r => r.Kind == CoreRelocationKind.FieldExists && r.Access == "task_struct.real_parent").TargetValue);
        var read = results.First(r => r.Kind == CoreRelocationKind.FieldByteOffset && r.Access == "task_struct.real_parent");
        Assert.Null(read.TargetValue);
        Assert.Contains("no task_struct.real_parent", read.Problem);
        var missing = results.Single(r => r.Kind == CoreRelocationKind.FieldExists && r.Access == "task_struct___old.csbpf_field_no_kernel_has");
        Assert.Equal(0, missing.TargetValue);
    }

    [KernelFact]
    public void A_reachable_read_of_a_field_the_kernel_lacks_is_refused_naming_the_type_and_field()
    {
        var e = Assert.Throws<BpfException>(() => BpfObjectFile.Open(ClangCoreObject.Unguarded).Load());
        Assert.Contains("program 'on_getppid' uses what this kernel lacks: task_struct___old.csbpf_field_no_kernel_has", e.Message);
        Assert.Contains("Test for it first", e.Message);
    }

    [KernelFact]
    public void Two_kernel_types_that_disagree_make_the_relocation_ambiguous_naming_both()
    {
        var spec = BpfObjectFile.Open(ClangCoreObject.File).Spec;
        var kernel = KernelBtf.Types;
        int task = Id(kernel, "task_struct");
        var original = (BtfStruct)kernel[task - 1];
        var flavour = original with
        {
            Name = "task_struct___csbpf",
            Members = original.Members.Select(m => m.Name == "tgid" ? m with { BitOffset = m.BitOffset + 32 } : m).ToArray(),
        };
        var ambiguous = kernel.Append(flavour).ToList();
        var e = Assert.Throws<CoreRelocationException>(() => Relocate(spec, ambiguous));
        Assert.Contains("task_struct.tgid is ambiguous", e.Message);
        Assert.Contains("task_struct___csbpf", e.Message);
    }

    private static List<CoreRelocationResult> Relocate(Bytecode.Elf.BpfObjectSpec spec, IReadOnlyList<BtfType> target)
    {
        var results = new List<CoreRelocationResult>();
        new CoreRelocator(target).Apply(spec, results);
        return results;
    }

    private static IReadOnlyList<BtfType> Blob(IReadOnlyList<BtfType> types)
    {
        var table = new BtfTypeTable();
        foreach (var t in types) table.Add(t);
        var blob = BtfWriter.Write(table, new BtfStringTable());
        return BtfReader.Read(blob, 0, blob.Length).Types;
    }

    private static int Id(IReadOnlyList<BtfType> types, string name)
    {
        for (int i = 0; i < types.Count; i++)
            if (types[i] is BtfStruct s && s.Name == name && !s.IsUnion) return i + 1;
        throw new InvalidOperationException($"no struct {name}");
    }

    private static List<BtfType> Edit(IReadOnlyList<BtfType> types, string name, Func<BtfMember, BtfMember> member)
    {
        var edited = types.ToList();
        int id = Id(types, name);
        var s = (BtfStruct)edited[id - 1];
        edited[id - 1] = s with { Size = s.Size + 64, Members = s.Members.Select(member).ToArray() };
        return edited;
    }

    private static long KernelEnumValue(string enumName, string value) =>
        KernelBtf.Types.OfType<BtfEnum>().Where(e => e.Name == enumName).SelectMany(e => e.Values).Single(v => v.Name == value).Value;

    [LibraryImport("libc.so.6")]
    private static partial int getppid();
}
