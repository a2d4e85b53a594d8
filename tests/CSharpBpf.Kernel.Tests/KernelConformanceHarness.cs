using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Kernel.Tests;

/// <summary>
/// Runs a conformance program in the kernel, in the way of the suite's libbpf plugin. The kernel's
/// test-run returns only 32 bits and hands XDP programs a context, not the suite's memory, so the
/// program is wrapped:
/// <code>
///   ja setup
///   epilogue:   *result_map[0] = r0; r0 = XDP_PASS; exit
///   setup:      r1 = &amp;memory_map[0] (or 0 without memory); r2 = length
///   original program, its main function's exits turned into "ja epilogue"
/// </code>
/// The epilogue sits before the program so no jump crosses into a BPF-to-BPF subprogram, and an
/// exit and a ja have the same size, so the original jump offsets stay valid. The memory lives in
/// an array map value, whose size the verifier knows, so in-bounds accesses verify.
/// </summary>
public static class KernelConformanceHarness
{
    /// <summary>Loads and runs <paramref name="program"/> with <paramref name="memory"/>; returns the full 64-bit r0.
    /// Throws <see cref="BpfException"/> (with the verifier log) when the kernel refuses it.</summary>
    public static ulong Run(IReadOnlyList<Instruction> program, byte[] memory)
    {
        using var result = BpfSyscall.MapCreate(BpfMapType.Array, 4, 8, 1, name: "result");
        using var input = memory.Length == 0 ? null : BpfSyscall.MapCreate(BpfMapType.Array, 4, (uint)memory.Length, 1, name: "memory");
        if (input != null) BpfSyscall.MapUpdate(input, BitConverter.GetBytes(0), memory);

        var wrapped = Wrap(program, result.Value, input?.Value, memory.Length);
        using var loaded = BpfSyscall.ProgLoad(BpfProgramType.Xdp, InstructionEncoding.Encode(wrapped), name: "conformance");
        BpfSyscall.ProgTestRun(loaded, new byte[64]);

        var r0 = new byte[8];
        if (!BpfSyscall.MapLookup(result, BitConverter.GetBytes(0), r0))
            throw new InvalidOperationException("the result map has no element 0");
        return BitConverter.ToUInt64(r0);
    }

    /// <summary>The wrapped program (public so a test can check the wrapping itself).</summary>
    public static List<Instruction> Wrap(IReadOnlyList<Instruction> program, int resultMapFd, int? memoryMapFd, int memoryLength)
    {
        var epilogue = new List<Instruction>
        {
            Instruction.Store(MemorySize.DoubleWord, Register.R10, -8, Register.R0),
            Instruction.StoreImmediate(MemorySize.Word, Register.R10, -12, 0),
            Instruction.LoadImmediate64(Register.R1, resultMapFd, LoadImmediateKind.MapByFd),
            Instruction.Mov64(Register.R2, Register.R10),
            Instruction.Alu64(AluOperation.Add, Register.R2, -12),
            Instruction.CallHelper(1), // bpf_map_lookup_elem
            Instruction.Jump(JumpOperation.Jeq, Register.R0, 0, 2),
            Instruction.Load(MemorySize.DoubleWord, Register.R1, Register.R10, -8),
            Instruction.Store(MemorySize.DoubleWord, Register.R0, 0, Register.R1),
            Instruction.Mov64(Register.R0, 2), // XDP_PASS
            Instruction.Exit(),
        };
        var setup = new List<Instruction>();
        if (memoryMapFd is int fd)
        {
            setup.Add(Instruction.StoreImmediate(MemorySize.Word, Register.R10, -4, 0));
            setup.Add(Instruction.LoadImmediate64(Register.R1, fd, LoadImmediateKind.MapByFd));
            setup.Add(Instruction.Mov64(Register.R2, Register.R10));
            setup.Add(Instruction.Alu64(AluOperation.Add, Register.R2, -4));
            setup.Add(Instruction.CallHelper(1));
            setup.Add(Instruction.Jump(JumpOperation.Jne, Register.R0, 0, 2));
            setup.Add(Instruction.Mov64(Register.R0, 0)); // XDP_ABORTED: cannot happen for element 0 of an array
            setup.Add(Instruction.Exit());
            setup.Add(Instruction.Mov64(Register.R1, Register.R0));
        }
        else
        {
            setup.Add(Instruction.Mov64(Register.R1, 0));
        }
        setup.Add(Instruction.Mov64(Register.R2, memoryLength));

        int epilogueSlots = InstructionEncoding.CountSlots(epilogue);
        int prologueSlots = 1 + epilogueSlots + InstructionEncoding.CountSlots(setup);
        var wrapped = new List<Instruction> { Instruction.Ja((short)epilogueSlots) };
        wrapped.AddRange(epilogue);
        wrapped.AddRange(setup);

        // The main function ends where the first BPF-to-BPF callee begins.
        int mainEnd = int.MaxValue, slot = 0;
        foreach (var ins in program)
        {
            if (ins.IsCall && ins.CallKind == CallKind.Local) mainEnd = Math.Min(mainEnd, slot + 1 + ins.Immediate);
            slot += ins.SlotCount;
        }
        slot = 0;
        foreach (var ins in program)
        {
            int at = prologueSlots + slot;
            wrapped.Add(ins.IsExit && slot < mainEnd ? Instruction.Ja((short)(1 - (at + 1))) : ins);
            slot += ins.SlotCount;
        }
        return wrapped;
    }
}
