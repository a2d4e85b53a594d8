using System.Collections.Generic;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Vm;

/// <summary>
/// Refuses, before a run, a program that may read a register no instruction has written on some
/// path — what the kernel verifier reports as "R0 !read_ok". A forward data-flow over slots: the
/// set of written registers at a slot is the intersection over every path reaching it.
/// </summary>
public static class RegisterInitializationCheck
{
    private const int R10 = 1 << 10;
    private const int Arguments = 0b11_1110;        // r1–r5
    private const int MainEntry = 0b110 | R10;      // r1 and r2 hold the input; r10 the frame
    private const int CalleeEntry = Arguments | R10; // a callee sees its arguments, not the caller's r0, r6–r9

    /// <summary>Throws <see cref="BpfVmException"/> naming the first instruction that reads an unwritten register.</summary>
    public static void Verify(Instruction[] slots, bool[] isInstruction)
    {
        var state = new int?[slots.Length];
        var work = new Stack<int>();
        void Flow(int slot, int written)
        {
            if ((uint)slot >= (uint)slots.Length) return; // running off the end is reported when it happens
            int merged = state[slot] is int old ? old & written : written;
            if (state[slot] == merged) return;
            state[slot] = merged;
            work.Push(slot);
        }

        Flow(0, MainEntry);
        while (work.Count > 0)
        {
            int slot = work.Pop();
            if (!isInstruction[slot]) continue;
            var ins = slots[slot];
            int written = state[slot]!.Value;
            int missing = Reads(ins) & ~written;
            if (missing != 0)
            {
                int r = 0;
                while ((missing & (1 << r)) == 0) r++;
                throw new BpfVmException(slot, $"reads r{r} before any instruction writes it (the kernel verifier refuses this: R{r} !read_ok)");
            }
            written |= Writes(ins);
            if (ins.IsCall)
            {
                if (ins.CallKind == CallKind.Local) Flow(slot + 1 + ins.Immediate, CalleeEntry);
                // A call leaves r0 set and r1–r5 clobbered, as the kernel's calling convention says.
                Flow(slot + 1, (written | 1) & ~Arguments);
                continue;
            }
            if (ins.IsExit) continue;
            if (ins.IsJump)
            {
                bool ja = ins.JumpOperation == JumpOperation.Ja;
                Flow(slot + 1 + (ins.Class == InstructionClass.Jmp32 && ja ? ins.Immediate : ins.Offset), written);
                if (ja) continue;
            }
            Flow(slot + ins.SlotCount, written);
        }
    }

    private static int Bit(Register r) => 1 << (int)r;

    private static int Reads(in Instruction ins)
    {
        bool x = ins.OperandSource == OperandSource.Register;
        switch (ins.Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
                if (ins.AluOperation == AluOperation.Mov) return x ? Bit(ins.Source) : 0;
                if (ins.AluOperation == AluOperation.Neg || ins.AluOperation == AluOperation.End) return Bit(ins.Destination);
                return Bit(ins.Destination) | (x ? Bit(ins.Source) : 0);
            case InstructionClass.Jmp:
            case InstructionClass.Jmp32:
                if (ins.IsExit) return 1; // r0 is the result
                if (ins.IsCall || ins.JumpOperation == JumpOperation.Ja) return 0;
                return Bit(ins.Destination) | (x ? Bit(ins.Source) : 0);
            case InstructionClass.Ldx:
                return Bit(ins.Source);
            case InstructionClass.St:
                return Bit(ins.Destination);
            case InstructionClass.Stx:
                bool cmpxchg = ins.MemoryMode == MemoryMode.Atomic && ins.Immediate == (int)AtomicOperation.CompareExchange;
                return Bit(ins.Destination) | Bit(ins.Source) | (cmpxchg ? 1 : 0);
            default:
                return 0;
        }
    }

    private static int Writes(in Instruction ins)
    {
        switch (ins.Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
            case InstructionClass.Ldx:
                return Bit(ins.Destination);
            case InstructionClass.Ld:
                return ins.IsWide ? Bit(ins.Destination) : 1;
            case InstructionClass.Stx when ins.MemoryMode == MemoryMode.Atomic:
                if (ins.Immediate == (int)AtomicOperation.CompareExchange) return 1;
                return (ins.Immediate & (int)AtomicOperation.Fetch) != 0 ? Bit(ins.Source) : 0;
            default:
                return 0;
        }
    }
}
