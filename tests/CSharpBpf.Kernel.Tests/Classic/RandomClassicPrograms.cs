using System;
using System.Collections.Generic;
using CSharpBpf.Bytecode.Classic;

namespace CSharpBpf.Kernel.Tests.Classic;

/// <summary>Seeded random classic programs: valid ones that exercise every instruction on packets (loads in and past
/// the packet, indirect and header-relative loads, ancillary fields the test's device defines, ALU with K and X,
/// scratch memory, forward jumps, early returns), and mutants of them that break the kernel's rules or not.</summary>
internal static class RandomClassicPrograms
{
    private static readonly ClassicAncillary[] DeviceFields =
    {
        ClassicAncillary.Protocol, ClassicAncillary.PacketType, ClassicAncillary.InterfaceIndex, ClassicAncillary.HardwareType,
        ClassicAncillary.VlanTag, ClassicAncillary.VlanTagPresent, ClassicAncillary.VlanTpid, ClassicAncillary.AluXorX, ClassicAncillary.Mark,
    };

    /// <summary>A valid program whose result, when it reaches the end, is (A &amp; 0x3ff) + 64: a length a packet
    /// socket keeps whole, so what the kernel delivers shows the value.</summary>
    public static ClassicProgram Valid(Random random)
    {
        var body = new List<(ClassicInstruction Instruction, int JumpTarget, int FalseTarget)>();
        void Add(ClassicInstruction i) => body.Add((i, -1, -1));
        const int readable = 4; // M[0..3] are written first, so any path may read them
        for (int slot = 0; slot < readable; slot++)
        {
            Add(ClassicInstruction.Statement(ClassicOpcode.LdImm, (uint)random.Next(0, 2000)));
            Add(ClassicInstruction.Statement(ClassicOpcode.St, (uint)slot));
        }
        int length = random.Next(5, 40);
        for (int n = 0; n < length; n++)
        {
            switch (random.Next(20))
            {
                case 0: case 1:
                    Add(ClassicInstruction.Statement((ushort)(ClassicOpcode.LdWAbs | (ushort)Size(random)), (uint)Offset(random)));
                    break;
                case 2:
                    Add(ClassicInstruction.Statement((ushort)(ClassicOpcode.LdWInd | (ushort)Size(random)), (uint)random.Next(0, 80)));
                    break;
                case 3:
                    Add(random.Next(3) switch
                    {
                        0 => ClassicInstruction.Statement(ClassicOpcode.LdxImm, (uint)random.Next(0, 64)),
                        1 => ClassicInstruction.Statement(ClassicOpcode.LdxMsh, (uint)random.Next(0, 40)),
                        _ => ClassicInstruction.Statement(ClassicOpcode.LdxMem, (uint)random.Next(readable)),
                    });
                    break;
                case 4:
                    Add(random.Next(3) switch
                    {
                        0 => ClassicInstruction.Statement(ClassicOpcode.LdImm, (uint)random.Next()),
                        1 => ClassicInstruction.Statement(ClassicOpcode.LdLen),
                        _ => ClassicInstruction.Statement(ClassicOpcode.LdMem, (uint)random.Next(readable)),
                    });
                    break;
                case 5: case 6: case 7:
                    Add(Alu(random));
                    break;
                case 8:
                    Add(ClassicInstruction.Statement(new[] { ClassicOpcode.Tax, ClassicOpcode.Txa, ClassicOpcode.Neg, ClassicOpcode.LdxLen }[random.Next(4)]));
                    break;
                case 9:
                    Add(ClassicInstruction.Statement(random.Next(2) == 0 ? ClassicOpcode.St : ClassicOpcode.Stx, (uint)random.Next(16)));
                    break;
                case 10:
                    var field = DeviceFields[random.Next(DeviceFields.Length)];
                    Add(ClassicInstruction.Statement((ushort)(ClassicOpcode.LdWAbs | (ushort)Size(random)), unchecked((uint)(ClassicOffsets.Ancillary + (int)field))));
                    break;
                case 11:
                    int @base = random.Next(2) == 0 ? ClassicOffsets.Network : ClassicOffsets.LinkLayer;
                    Add(ClassicInstruction.Statement((ushort)(ClassicOpcode.LdWAbs | (ushort)Size(random)), unchecked((uint)(@base + random.Next(0, 60)))));
                    break;
                case 12:
                    Add(ClassicInstruction.Statement(ClassicOpcode.RetK, (uint)random.Next(64, 1100)));
                    break;
                case 13:
                    body.Add((ClassicInstruction.Statement(ClassicOpcode.Ja), body.Count + 1 + random.Next(0, 6), -1));
                    break;
                default:
                    var op = new[] { ClassicJumpOperation.Equal, ClassicJumpOperation.Greater, ClassicJumpOperation.GreaterOrEqual, ClassicJumpOperation.AnyBitSet }[random.Next(4)];
                    bool x = random.Next(4) == 0;
                    uint k = random.Next(3) == 0 ? (uint)random.Next() : (uint)random.Next(0, 2048);
                    int here = body.Count;
                    body.Add((ClassicInstruction.Jump(ClassicOpcode.Jump(op, x), x ? 0 : k, 0, 0), here + 1 + random.Next(0, 8), here + 1 + random.Next(0, 8)));
                    break;
            }
        }
        int epilogue = body.Count;
        var instructions = new List<ClassicInstruction>();
        for (int i = 0; i < body.Count; i++)
        {
            var (ins, target, falseTarget) = body[i];
            if (target < 0) { instructions.Add(ins); continue; }
            int t = Math.Min(target, epilogue) - i - 1, f = Math.Min(Math.Max(falseTarget, i + 1), epilogue) - i - 1;
            instructions.Add(ins.Code == ClassicOpcode.Ja
                ? ClassicInstruction.Statement(ClassicOpcode.Ja, (uint)t)
                : ClassicInstruction.Jump(ins.Code, ins.K, (byte)t, (byte)f));
        }
        instructions.Add(ClassicInstruction.Statement((ushort)(ClassicOpcode.Alu(ClassicAluOperation.And, false)), 0x3ff));
        instructions.Add(ClassicInstruction.Statement((ushort)(ClassicOpcode.Alu(ClassicAluOperation.Add, false)), 64));
        instructions.Add(ClassicInstruction.Statement(ClassicOpcode.RetA));
        return new ClassicProgram(instructions);
    }

    /// <summary>A valid program, then (two times in three) one to three mutations: a random code, a boundary k, a far
    /// jump, a read of an unwritten slot, a last instruction that is not ret, an empty or oversized program.</summary>
    public static ClassicProgram Mutant(Random random)
    {
        var instructions = new List<ClassicInstruction>(Valid(random));
        if (random.Next(3) == 0) return new ClassicProgram(instructions);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = random.Next(instructions.Count);
            var ins = instructions[at];
            switch (random.Next(9))
            {
                case 0: instructions[at] = new ClassicInstruction((ushort)random.Next(0, random.Next(2) == 0 ? 0x100 : 0x10000), ins.Jt, ins.Jf, ins.K); break;
                case 1: instructions[at] = new ClassicInstruction(ins.Code, ins.Jt, ins.Jf, BoundaryK(random)); break;
                case 2: instructions[at] = new ClassicInstruction(ins.Code, (byte)random.Next(256), (byte)random.Next(256), ins.K); break;
                case 3: instructions.Insert(random.Next(instructions.Count), ClassicInstruction.Statement(random.Next(2) == 0 ? ClassicOpcode.LdMem : ClassicOpcode.LdxMem, (uint)random.Next(4, 17))); break;
                case 4: instructions[^1] = Alu(random); break;
                case 5: instructions[at] = ClassicInstruction.Statement(ClassicOpcode.Ja, (uint)random.Next(0, instructions.Count - at + 2)); break;
                case 6: instructions[at] = new ClassicInstruction((ushort)(ins.Code | 0x100), ins.Jt, ins.Jf, ins.K); break;
                case 7: instructions[at] = ClassicInstruction.Statement((ushort)(ClassicOpcode.LdWAbs | (ushort)Size(random)), unchecked((uint)(ClassicOffsets.Ancillary + random.Next(-4, 72)))); break;
                default:
                    if (random.Next(20) == 0) return new ClassicProgram(random.Next(2) == 0 ? Array.Empty<ClassicInstruction>()
                        : new ClassicInstruction[ClassicValidator.MaxInstructions + 1]);
                    instructions[at] = ClassicInstruction.Statement(random.Next(2) == 0 ? ClassicOpcode.LdMem : ClassicOpcode.St, BoundaryK(random));
                    break;
            }
        }
        return new ClassicProgram(instructions);
    }

    private static ClassicInstruction Alu(Random random)
    {
        var op = new[] { ClassicAluOperation.Add, ClassicAluOperation.Sub, ClassicAluOperation.Mul, ClassicAluOperation.Div, ClassicAluOperation.Mod,
            ClassicAluOperation.And, ClassicAluOperation.Or, ClassicAluOperation.Xor, ClassicAluOperation.Lsh, ClassicAluOperation.Rsh }[random.Next(10)];
        bool x = random.Next(3) == 0;
        uint k = op switch
        {
            ClassicAluOperation.Lsh or ClassicAluOperation.Rsh => (uint)random.Next(0, 32),
            ClassicAluOperation.Div or ClassicAluOperation.Mod => (uint)random.Next(1, 100),
            _ => random.Next(2) == 0 ? (uint)random.Next() : (uint)random.Next(0, 256),
        };
        return ClassicInstruction.Statement(ClassicOpcode.Alu(op, x), x ? 0 : k);
    }

    private static ClassicSize Size(Random random) => new[] { ClassicSize.Word, ClassicSize.Half, ClassicSize.Byte }[random.Next(3)];

    private static int Offset(Random random) => random.Next(4) == 0 ? random.Next(0, 1400) : random.Next(0, 70);

    private static uint BoundaryK(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => 15,
        2 => 16,
        3 => 31,
        4 => 32,
        5 => unchecked((uint)ClassicOffsets.Ancillary) + (uint)random.Next(0, 80),
        6 => uint.MaxValue,
        _ => (uint)random.Next(),
    };
}
