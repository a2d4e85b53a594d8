using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Vm;

/// <summary>
/// A userspace interpreter of eBPF bytecode (RFC 9669). One dispatch loop; every memory access goes
/// through <see cref="VmMemory.Resolve"/>. Legacy packet loads (ldabs/ldind) and lddw pseudo
/// sources other than a plain constant are refused: they need a socket buffer or relocated maps,
/// which the loader provides in the kernel.
/// </summary>
public sealed class BpfVm
{
    private readonly Instruction[] slots;   // indexed by slot; the second slot of lddw is unused
    private readonly bool[] isInstruction;
    private readonly HelperRegistry helpers;
    private readonly BpfVmOptions options;

    /// <summary>Prepares <paramref name="program"/> to run; refuses it (<see cref="BpfVmException"/>) if
    /// it may read a register before writing it, as the kernel verifier does.</summary>
    public BpfVm(IReadOnlyList<Instruction> program, HelperRegistry? helpers = null, BpfVmOptions? options = null)
    {
        this.helpers = helpers ?? HelperRegistry.CreateKernelCompatible();
        this.options = options ?? BpfVmOptions.Default;
        int count = InstructionEncoding.CountSlots(program);
        slots = new Instruction[count];
        isInstruction = new bool[count];
        int slot = 0;
        foreach (var ins in program)
        {
            slots[slot] = ins;
            isInstruction[slot] = true;
            slot += ins.SlotCount;
        }
        RegisterInitializationCheck.Verify(slots, isInstruction);
    }

    /// <summary>Instructions executed by the last run.</summary>
    public long ExecutedInstructions { get; private set; }

    /// <summary>Runs with r1 pointing at a copy of <paramref name="input"/> (null when empty) and
    /// r2 holding its length, as the conformance suite specifies. Returns r0.</summary>
    public ulong Run(ReadOnlySpan<byte> input)
    {
        var memory = new VmMemory();
        ulong r1 = 0;
        if (!input.IsEmpty)
        {
            memory.Add(new MemoryRegion("input", VmMemory.InputBase, input.ToArray()));
            r1 = VmMemory.InputBase;
        }
        return Run(memory, r1, (ulong)input.Length);
    }

    /// <summary>Runs with the given registers and address space (contexts and maps mapped by the caller).</summary>
    public ulong Run(VmMemory memory, ulong r1, ulong r2 = 0)
    {
        var reg = new ulong[11];
        reg[1] = r1;
        reg[2] = r2;
        var frames = new Stack<Frame>();
        var stack = PushStack(memory, 0);
        reg[10] = stack.EndAddress;
        long budget = options.InstructionBudget;
        long executed = 0;
        int pc = 0;

        while (true)
        {
            if ((uint)pc >= (uint)slots.Length || !isInstruction[pc])
                throw new BpfVmException(pc, pc >= slots.Length || pc < 0 ? "execution ran past the end of the program" : "jump into the middle of an lddw");
            if (++executed > budget)
            {
                ExecutedInstructions = executed - 1;
                throw new BpfVmException(pc, $"instruction budget of {budget} exhausted (an unbounded loop?)");
            }
            var ins = slots[pc];
            int dst = (int)ins.Destination, src = (int)ins.Source;
            switch (ins.Class)
            {
                case InstructionClass.Alu64:
                    reg[dst] = Alu64(ins, reg[dst], ins.OperandSource == OperandSource.Register ? reg[src] : (ulong)(long)ins.Immediate, pc);
                    break;
                case InstructionClass.Alu when ins.AluOperation == AluOperation.End:
                    // le/be take the whole 64-bit register: le64 keeps it, be64 swaps all eight bytes.
                    reg[dst] = ins.OperandSource == OperandSource.Register ? ByteSwap(reg[dst], ins.Immediate) : Truncate(reg[dst], ins.Immediate);
                    break;
                case InstructionClass.Alu:
                    reg[dst] = Alu32(ins, (uint)reg[dst], ins.OperandSource == OperandSource.Register ? (uint)reg[src] : (uint)ins.Immediate, pc);
                    break;
                case InstructionClass.Jmp:
                case InstructionClass.Jmp32:
                    switch (ins.JumpOperation)
                    {
                        case JumpOperation.Exit:
                            if (frames.Count == 0)
                            {
                                ExecutedInstructions = executed;
                                return reg[0];
                            }
                            var frame = frames.Pop();
                            memory.Remove(stack);
                            stack = frame.Stack;
                            Array.Copy(frame.Saved, 0, reg, 6, 5); // r6–r9 and r10
                            pc = frame.ReturnSlot;
                            continue;
                        case JumpOperation.Call:
                            if (ins.CallKind == CallKind.Local)
                            {
                                if (frames.Count + 1 >= options.MaxCallDepth)
                                    throw new BpfVmException(pc, $"call depth exceeds {options.MaxCallDepth} frames");
                                var saved = new ulong[5];
                                Array.Copy(reg, 6, saved, 0, 5);
                                frames.Push(new Frame(pc + 1, saved, stack));
                                stack = PushStack(memory, frames.Count);
                                reg[10] = stack.EndAddress;
                                pc = pc + 1 + ins.Immediate;
                                continue;
                            }
                            reg[0] = CallHelper(ins, reg, memory, pc);
                            break;
                        case JumpOperation.Ja:
                            pc += 1 + (ins.Class == InstructionClass.Jmp32 ? ins.Immediate : ins.Offset);
                            continue;
                        default:
                            bool taken = ins.Class == InstructionClass.Jmp
                                ? Condition(ins.JumpOperation, reg[dst], ins.OperandSource == OperandSource.Register ? reg[src] : (ulong)(long)ins.Immediate)
                                : Condition32(ins.JumpOperation, (uint)reg[dst], ins.OperandSource == OperandSource.Register ? (uint)reg[src] : (uint)ins.Immediate);
                            if (taken)
                            {
                                pc += 1 + ins.Offset;
                                continue;
                            }
                            break;
                    }
                    break;
                case InstructionClass.Ldx:
                {
                    int size = Opcode.Bytes(ins.MemorySize);
                    ulong value = memory.Load(reg[src] + (ulong)(long)ins.Offset, size, pc);
                    reg[dst] = ins.MemoryMode == MemoryMode.MemorySignExtend ? SignExtend(value, size) : value;
                    break;
                }
                case InstructionClass.St:
                    memory.Store(reg[dst] + (ulong)(long)ins.Offset, Opcode.Bytes(ins.MemorySize), (ulong)(long)ins.Immediate, pc);
                    break;
                case InstructionClass.Stx:
                    if (ins.MemoryMode == MemoryMode.Atomic) Atomic(ins, reg, memory, pc);
                    else memory.Store(reg[dst] + (ulong)(long)ins.Offset, Opcode.Bytes(ins.MemorySize), reg[src], pc);
                    break;
                case InstructionClass.Ld:
                    if (!ins.IsWide)
                        throw new BpfVmException(pc, "legacy packet loads (ldabs/ldind) need a socket buffer; the VM does not run them");
                    if (ins.LoadImmediateKind != LoadImmediateKind.Constant)
                        throw new BpfVmException(pc, $"lddw with pseudo source {ins.LoadImmediateKind} must be relocated before it runs");
                    reg[dst] = (ulong)ins.Constant64;
                    break;
            }
            pc += ins.SlotCount;
        }
    }

    private MemoryRegion PushStack(VmMemory memory, int depth)
    {
        var region = new MemoryRegion(depth == 0 ? "stack" : $"stack of frame {depth}", VmMemory.StackBase + (ulong)depth * VmMemory.FrameStride, new byte[options.StackSize]);
        memory.Add(region);
        return region;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Alu64(in Instruction ins, ulong a, ulong b, int pc)
    {
        bool signed = ins.Offset == 1;
        switch (ins.AluOperation)
        {
            case AluOperation.Add: return a + b;
            case AluOperation.Sub: return a - b;
            case AluOperation.Mul: return a * b;
            case AluOperation.Div:
                if (b == 0) return 0;
                if (!signed) return a / b;
                // long.MinValue / -1 overflows in .NET; RFC 9669 gives LLONG_MIN.
                return (long)b == -1 ? (ulong)(-(long)a) : (ulong)((long)a / (long)b);
            case AluOperation.Mod:
                if (b == 0) return a;
                if (!signed) return a % b;
                return (long)b == -1 ? 0 : (ulong)((long)a % (long)b);
            case AluOperation.Or: return a | b;
            case AluOperation.And: return a & b;
            case AluOperation.Lsh: return a << (int)(b & 63);
            case AluOperation.Rsh: return a >> (int)(b & 63);
            case AluOperation.Neg: return (ulong)(-(long)a);
            case AluOperation.Xor: return a ^ b;
            case AluOperation.Mov:
                return ins.Offset switch
                {
                    8 => (ulong)(long)(sbyte)b,
                    16 => (ulong)(long)(short)b,
                    32 => (ulong)(long)(int)b,
                    _ => b,
                };
            case AluOperation.Arsh: return (ulong)((long)a >> (int)(b & 63));
            case AluOperation.End: return ByteSwap(a, ins.Immediate); // ALU64 End is bswap
            default: throw new BpfVmException(pc, $"opcode 0x{ins.Opcode:x2} is not an ALU64 operation");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Alu32(in Instruction ins, uint a, uint b, int pc)
    {
        bool signed = ins.Offset == 1;
        switch (ins.AluOperation)
        {
            case AluOperation.Add: return a + b;
            case AluOperation.Sub: return a - b;
            case AluOperation.Mul: return a * b;
            case AluOperation.Div:
                if (b == 0) return 0;
                if (!signed) return a / b;
                return (int)b == -1 ? (uint)(-(int)a) : (uint)((int)a / (int)b);
            case AluOperation.Mod:
                if (b == 0) return a;
                if (!signed) return a % b;
                return (int)b == -1 ? 0 : (uint)((int)a % (int)b);
            case AluOperation.Or: return a | b;
            case AluOperation.And: return a & b;
            case AluOperation.Lsh: return a << (int)(b & 31);
            case AluOperation.Rsh: return a >> (int)(b & 31);
            case AluOperation.Neg: return (uint)(-(int)a);
            case AluOperation.Xor: return a ^ b;
            case AluOperation.Mov:
                return ins.Offset switch
                {
                    8 => (uint)(int)(sbyte)b,
                    16 => (uint)(int)(short)b,
                    _ => b,
                };
            case AluOperation.Arsh: return (uint)((int)a >> (int)(b & 31));
            default: throw new BpfVmException(pc, $"opcode 0x{ins.Opcode:x2} is not an ALU operation");
        }
    }

    private static ulong ByteSwap(ulong value, int width) => width switch
    {
        16 => BinaryPrimitives.ReverseEndianness((ushort)value),
        32 => BinaryPrimitives.ReverseEndianness((uint)value),
        _ => BinaryPrimitives.ReverseEndianness(value),
    };

    private static ulong Truncate(ulong value, int width) => width switch
    {
        16 => (ushort)value,
        32 => (uint)value,
        _ => value,
    };

    private static bool Condition(JumpOperation op, ulong a, ulong b) => op switch
    {
        JumpOperation.Jeq => a == b,
        JumpOperation.Jne => a != b,
        JumpOperation.Jgt => a > b,
        JumpOperation.Jge => a >= b,
        JumpOperation.Jlt => a < b,
        JumpOperation.Jle => a <= b,
        JumpOperation.Jset => (a & b) != 0,
        JumpOperation.Jsgt => (long)a > (long)b,
        JumpOperation.Jsge => (long)a >= (long)b,
        JumpOperation.Jslt => (long)a < (long)b,
        _ => (long)a <= (long)b,
    };

    private static bool Condition32(JumpOperation op, uint a, uint b) => op switch
    {
        JumpOperation.Jeq => a == b,
        JumpOperation.Jne => a != b,
        JumpOperation.Jgt => a > b,
        JumpOperation.Jge => a >= b,
        JumpOperation.Jlt => a < b,
        JumpOperation.Jle => a <= b,
        JumpOperation.Jset => (a & b) != 0,
        JumpOperation.Jsgt => (int)a > (int)b,
        JumpOperation.Jsge => (int)a >= (int)b,
        JumpOperation.Jslt => (int)a < (int)b,
        _ => (int)a <= (int)b,
    };

    private static ulong SignExtend(ulong value, int size) => size switch
    {
        1 => (ulong)(long)(sbyte)value,
        2 => (ulong)(long)(short)value,
        4 => (ulong)(long)(int)value,
        _ => value,
    };

    private static void Atomic(in Instruction ins, ulong[] reg, VmMemory memory, int pc)
    {
        // One VM thread per run, so read-modify-write needs no interlocking; 32-bit forms zero-extend what they fetch.
        int size = Opcode.Bytes(ins.MemorySize);
        ulong address = reg[(int)ins.Destination] + (ulong)(long)ins.Offset;
        ulong mask = size == 4 ? 0xffff_ffffUL : ulong.MaxValue;
        ulong old = memory.Load(address, size, pc);
        ulong operand = reg[(int)ins.Source] & mask;
        var op = (AtomicOperation)ins.Immediate;
        switch (op & ~AtomicOperation.Fetch)
        {
            case AtomicOperation.Add: memory.Store(address, size, old + operand, pc); break;
            case AtomicOperation.Or: memory.Store(address, size, old | operand, pc); break;
            case AtomicOperation.And: memory.Store(address, size, old & operand, pc); break;
            case AtomicOperation.Xor: memory.Store(address, size, old ^ operand, pc); break;
            case AtomicOperation.Exchange & ~AtomicOperation.Fetch:
                memory.Store(address, size, operand, pc);
                break;
            case AtomicOperation.CompareExchange & ~AtomicOperation.Fetch:
                if (old == (reg[0] & mask)) memory.Store(address, size, operand, pc);
                reg[0] = old;
                return;
            default:
                throw new BpfVmException(pc, $"0x{ins.Immediate:x} is not an atomic operation");
        }
        if ((op & AtomicOperation.Fetch) != 0) reg[(int)ins.Source] = old;
    }

    private ulong CallHelper(in Instruction ins, ulong[] reg, VmMemory memory, int pc)
    {
        BpfHelper? helper;
        if (ins.CallKind == CallKind.Kfunc)
        {
            if (!helpers.TryGetKernelFunction(ins.Immediate, out _, out helper))
                throw new BpfVmException(pc, $"kernel function {ins.Immediate} is not registered with the VM");
        }
        else if (!helpers.TryGet(ins.Immediate, out _, out helper))
            throw new BpfVmException(pc, $"helper {ins.Immediate} is not registered with the VM");
        // r1–r5 keep their values: the verifier forbids reading them after a call, so no valid program can tell.
        return helper(new HelperArguments(reg[1], reg[2], reg[3], reg[4], reg[5]), memory, pc);
    }

    private readonly record struct Frame(int ReturnSlot, ulong[] Saved, MemoryRegion Stack);
}
