using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Loading;
using CSharpBpf.Vm;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>
/// Runs a program in the userspace VM. The VM plays the kernel's part: the packet sits at an address
/// that fits the context's 32-bit data/data_end fields, the context is laid out as xdp_md or
/// __sk_buff, and global data sections are memory regions. Programs that need maps or helpers the VM
/// does not emulate are not VM-runnable (<see cref="TryLink"/> says why).
/// </summary>
public static class VmRunner
{
    private const ulong PacketAddress = 0x1000_0000;

    public static (Instruction[]? Code, string? WhyNot) TryLink(CorpusProgram program, VmMemory memory)
    {
        var spec = ElfObjectReader.Read(program.ObjectFile);
        var function = spec.Functions.Single(f => f.Name == program.Name && !f.IsSubprogram);
        var sections = new Dictionary<string, ulong>();
        string? whyNot = null;
        var helpers = HelperRegistry.CreateKernelCompatible();
        var code = ProgramLinker.Link(spec, function, (ins, target) =>
        {
            if (target.Map != null)
            {
                whyNot = $"uses map '{target.Map}', which the VM does not emulate";
                return ins;
            }
            if (!sections.TryGetValue(target.Section!, out ulong address))
            {
                var data = BpfObjectFile.Open(program.ObjectFile, program.ObjectName).SectionData(target.Section!);
                sections[target.Section!] = address = memory.Map(target.Section!, data.ToArray(), writable: target.Section != ".rodata");
            }
            return Instruction.LoadImmediate64(ins.Destination, (long)address + target.Offset);
        }, name =>
        {
            if (helpers.KernelFunctionId(name) is int id) return id;
            whyNot ??= $"calls kernel function '{name}', which the VM does not emulate";
            return 0;
        });
        foreach (var ins in code.Where(i => i.IsCall && i.CallKind == CallKind.Helper))
            if (!helpers.TryGet(ins.Immediate, out _, out _)) whyNot ??= $"calls helper {ins.Immediate}, which the VM does not emulate";
        return whyNot == null ? (code, null) : (null, whyNot);
    }

    public static RunResult Run(CorpusProgram program, Instruction[] code, VmMemory memory, byte[] frame)
    {
        var packet = (byte[])frame.Clone();
        var region = new MemoryRegion("packet", PacketAddress, program.IsSocketFilter ? packet[14..] : packet);
        memory.Add(region);
        try
        {
            var context = new byte[192];
            if (program.IsXdp)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(context, (uint)PacketAddress);
                BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(4), (uint)(PacketAddress + (ulong)packet.Length));
                BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(12), 1);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(context, (uint)region.Data.Length);
                context[16] = frame[12];
                context[17] = frame[13];
                BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(36), 1);
                BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(40), 1);
                BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(76), (uint)PacketAddress);
                BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(80), (uint)(PacketAddress + (ulong)region.Data.Length));
            }
            ulong ctx = memory.Map("context", context);
            // The kernel has no budget for a run (only for verification): long iterator loops must finish here too. Nested
            // iterators with subprogram calls run past 10^8 instructions (fuzz seed 12, P3495: 18 s here, agreeing).
            ulong r0 = new BpfVm(code, HelperRegistry.CreateKernelCompatible(), new BpfVmOptions { InstructionBudget = 4_000_000_000 }).Run(memory, ctx);
            return new RunResult((uint)r0, program.IsSocketFilter ? null : packet);
        }
        finally
        {
            memory.Remove(region);
        }
    }
}
