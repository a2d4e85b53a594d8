using System;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Kernel.Tests.Links;

/// <summary>The loader's feature probes, against what each kernel of the matrix has (cpu v4: 6.6 and later), and the
/// refusal an object gets before anything is created when it needs what the kernel lacks.</summary>
public sealed class KernelFeatureProbeTests
{
    [KernelFact]
    public void The_probes_find_what_the_kernel_has_and_what_it_lacks()
    {
        foreach (var type in new[] { BpfMapType.Hash, BpfMapType.Array, BpfMapType.PerCpuArray, BpfMapType.LruHash, BpfMapType.LpmTrie, BpfMapType.StackTrace, BpfMapType.RingBuffer })
            Assert.True(KernelFeatureProbe.HasMapType(type), type.ToString());
        Assert.True(KernelFeatureProbe.HasMapType((BpfMapType)1000)); // no minimal map to probe with: the kernel's error says it
        Assert.True(KernelFeatureProbe.HasMapType((BpfMapType)12));   // an array of maps: it needs an inner map, and every kernel here has it

        foreach (var type in new[] { BpfProgramType.SocketFilter, BpfProgramType.Xdp, BpfProgramType.SchedCls, BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint })
            Assert.True(KernelFeatureProbe.HasProgramType(type), type.ToString());
        Assert.False(KernelFeatureProbe.HasProgramType((BpfProgramType)1000));

        Assert.True(KernelFeatureProbe.HasHelper(BpfProgramType.Xdp, 1));           // bpf_map_lookup_elem: every type
        Assert.True(KernelFeatureProbe.HasHelper(BpfProgramType.Tracepoint, 35));   // bpf_get_current_task: tracing types
        Assert.False(KernelFeatureProbe.HasHelper(BpfProgramType.SocketFilter, 44)); // bpf_xdp_adjust_head: XDP only
        Assert.False(KernelFeatureProbe.HasHelper(BpfProgramType.Xdp, 100_000));    // no such helper

        Assert.Equal(KernelVersion.AtLeast(6, 6), KernelFeatureProbe.HasCpuV4);
    }

    [KernelFact]
    public void An_object_that_needs_what_the_kernel_lacks_is_refused_before_anything_is_created_with_each_use()
    {
        var exit = Instruction.Exit();
        var zero = Instruction.Mov64(Register.R0, 0);
        var movsx = new Instruction(Opcode.Alu(InstructionClass.Alu64, AluOperation.Mov, OperandSource.Register), Register.R0, Register.R0, 8, 0);
        var spec = new BpfObjectSpec("GPL",
            new[]
            {
                Function("pass", "xdp", zero, exit),
                Function("trim", "socket", Instruction.CallHelper(44), exit),
                Function("widen", "xdp", zero, movsx, exit),
                Function("later", "xdp", Instruction.CallHelper(100_000), exit),
            },
            new[] { new BpfMapSpec("future", 1000, 0, 0, 1) },
            EquatableArrayOf<BpfGlobalSpec>(), EquatableArrayOf<BtfType>(), EquatableArrayOf<LineInfo>());

        var error = Assert.Throws<NotSupportedException>(() => BpfObjectFile.Open(ElfObjectWriter.Write(spec), "probed").Load());
        Assert.DoesNotContain("map 'future'", error.Message); // no minimal map of that type to probe with: left to the kernel
        Assert.Contains("program 'trim' (socket): helper bpf_xdp_adjust_head (#44), which this kernel does not give SocketFilter programs", error.Message);
        Assert.Contains("program 'later' (xdp): helper #100000, which this kernel does not have", error.Message);
        Assert.DoesNotContain("'pass'", error.Message);
        Assert.Equal(!KernelVersion.AtLeast(6, 6), error.Message.Contains("program 'widen' (xdp): cpu v4 instructions (Linux 6.6+), such as a sign-extending move (movsx)"));
        Assert.Contains("<BpfTargetKernel>", error.Message);
    }

    private static BpfFunctionSpec Function(string name, string section, params Instruction[] code) => new(name, section, code, Array.Empty<BpfRelocation>());

    private static Bytecode.EquatableArray<T> EquatableArrayOf<T>() => Array.Empty<T>();
}
