using System;
using System.Collections.Generic;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Isa;

/// <summary>Every instruction form of RFC 9669 encodes, decodes back to itself, and prints as
/// assembly that assembles back to the same bytes.</summary>
public class InstructionEncodingTests
{
    public static IEnumerable<object[]> EveryInstructionForm()
    {
        foreach (var cls in new[] { InstructionClass.Alu64, InstructionClass.Alu })
        {
            foreach (var op in new[] { AluOperation.Add, AluOperation.Sub, AluOperation.Mul, AluOperation.Div, AluOperation.Or, AluOperation.And,
                                       AluOperation.Lsh, AluOperation.Rsh, AluOperation.Mod, AluOperation.Xor, AluOperation.Mov, AluOperation.Arsh })
            {
                yield return Row(new Instruction(Opcode.Alu(cls, op, OperandSource.Immediate), Register.R3, 0, 0, -7));
                yield return Row(new Instruction(Opcode.Alu(cls, op, OperandSource.Register), Register.R3, Register.R9, 0, 0));
            }
            foreach (var op in new[] { AluOperation.Div, AluOperation.Mod }) // sdiv, smod
            {
                yield return Row(new Instruction(Opcode.Alu(cls, op, OperandSource.Immediate), Register.R1, 0, 1, 3));
                yield return Row(new Instruction(Opcode.Alu(cls, op, OperandSource.Register), Register.R1, Register.R2, 1, 0));
            }
            yield return Row(new Instruction(Opcode.Alu(cls, AluOperation.Neg, OperandSource.Immediate), Register.R4, 0, 0, 0));
            foreach (short width in cls == InstructionClass.Alu64 ? new short[] { 8, 16, 32 } : new short[] { 8, 16 }) // movsx
                yield return Row(new Instruction(Opcode.Alu(cls, AluOperation.Mov, OperandSource.Register), Register.R1, Register.R2, width, 0));
        }
        foreach (int width in new[] { 16, 32, 64 })
        {
            yield return Row(new Instruction(Opcode.Alu(InstructionClass.Alu, AluOperation.End, OperandSource.Immediate), Register.R5, 0, 0, width));   // le
            yield return Row(new Instruction(Opcode.Alu(InstructionClass.Alu, AluOperation.End, OperandSource.Register), Register.R5, 0, 0, width));    // be
            yield return Row(new Instruction(Opcode.Alu(InstructionClass.Alu64, AluOperation.End, OperandSource.Immediate), Register.R5, 0, 0, width)); // bswap
        }
        foreach (var cls in new[] { InstructionClass.Jmp, InstructionClass.Jmp32 })
            foreach (var op in new[] { JumpOperation.Jeq, JumpOperation.Jgt, JumpOperation.Jge, JumpOperation.Jset, JumpOperation.Jne, JumpOperation.Jsgt,
                                       JumpOperation.Jsge, JumpOperation.Jlt, JumpOperation.Jle, JumpOperation.Jslt, JumpOperation.Jsle })
            {
                yield return Row(new Instruction(Opcode.Jump(cls, op, OperandSource.Immediate), Register.R1, 0, -3, int.MinValue));
                yield return Row(new Instruction(Opcode.Jump(cls, op, OperandSource.Register), Register.R1, Register.R2, 5, 0));
            }
        yield return Row(Instruction.Ja(-1));
        yield return Row(new Instruction(Opcode.Jump(InstructionClass.Jmp32, JumpOperation.Ja, OperandSource.Immediate), 0, 0, 0, 100_000)); // ja32
        yield return Row(Instruction.CallHelper(1));
        yield return Row(Instruction.CallLocal(-4));
        yield return Row(new Instruction(Opcode.Jump(InstructionClass.Jmp, JumpOperation.Call, OperandSource.Immediate), 0, (Register)CallKind.Kfunc, 2, 12345));
        yield return Row(Instruction.Exit());
        yield return Row(Instruction.LoadImmediate64(Register.R7, unchecked((long)0xfedcba9876543210UL)));
        foreach (LoadImmediateKind kind in Enum.GetValues(typeof(LoadImmediateKind)))
            if (kind != LoadImmediateKind.Constant)
                yield return Row(new Instruction(Opcode.LoadImmediate64, Register.R1, (Register)kind, 0, 3, kind is LoadImmediateKind.MapValueByFd or LoadImmediateKind.MapValueByIndex ? 16 : 0));
        foreach (var size in new[] { MemorySize.Byte, MemorySize.Half, MemorySize.Word, MemorySize.DoubleWord })
        {
            yield return Row(Instruction.Load(size, Register.R0, Register.R1, -2));
            yield return Row(Instruction.Store(size, Register.R10, -8, Register.R2));
            yield return Row(Instruction.StoreImmediate(size, Register.R10, -16, -1));
            if (size != MemorySize.DoubleWord)
            {
                yield return Row(Instruction.LoadSignExtend(size, Register.R0, Register.R1, 4));
                yield return Row(new Instruction(Opcode.Memory(InstructionClass.Ld, MemoryMode.Absolute, size), 0, 0, 0, 12));      // ldabs
                yield return Row(new Instruction(Opcode.Memory(InstructionClass.Ld, MemoryMode.Indirect, size), 0, Register.R3, 0, 2)); // ldind
            }
        }
        foreach (var size in new[] { MemorySize.Word, MemorySize.DoubleWord })
            foreach (var op in new[] { AtomicOperation.Add, AtomicOperation.Or, AtomicOperation.And, AtomicOperation.Xor,
                                       AtomicOperation.Add | AtomicOperation.Fetch, AtomicOperation.Or | AtomicOperation.Fetch,
                                       AtomicOperation.And | AtomicOperation.Fetch, AtomicOperation.Xor | AtomicOperation.Fetch,
                                       AtomicOperation.Exchange, AtomicOperation.CompareExchange })
                yield return Row(Instruction.Atomic(size, op, Register.R10, -8, Register.R1));
    }

    private static object[] Row(Instruction instruction) => [instruction.ToString(), instruction];

    [Theory]
    [MemberData(nameof(EveryInstructionForm))]
    public void Round_trips_through_bytes_and_assembly(string assembly, Instruction instruction)
    {
        var bytes = InstructionEncoding.Encode([instruction]);
        Assert.Equal(instruction.SlotCount * 8, bytes.Length);
        var decoded = Assert.Single(InstructionEncoding.Decode(bytes));
        Assert.Equal(instruction, decoded);
        Assert.Equal(bytes, InstructionEncoding.Encode(Assembler.Assemble(assembly)));
    }

    [Fact]
    public void The_encoding_is_the_RFC_layout()
    {
        // opcode | src:4 dst:4 | offset (LE 16) | imm (LE 32)
        var bytes = InstructionEncoding.Encode([new Instruction(0x6b, Register.R10, Register.R1, -8, 0)]); // stxh [%r10-8], %r1
        Assert.Equal(new byte[] { 0x6b, 0x1a, 0xf8, 0xff, 0, 0, 0, 0 }, bytes);
        var lddw = InstructionEncoding.Encode([Instruction.LoadImmediate64(Register.R0, 0x1122334455667788)]);
        Assert.Equal(new byte[] { 0x18, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11 }, lddw);
    }
}
