using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Asm
{
    /// <summary>Turns instructions into the conformance suite's assembly syntax; the output
    /// re-assembles (<see cref="Assembler"/>) to the same bytes.</summary>
    public static class Disassembler
    {
        /// <summary>Disassembles a program, one instruction per line. Jump and local-call targets
        /// inside the program become labels <c>L{slot}</c>; targets outside stay numeric offsets.</summary>
        public static string Disassemble(IReadOnlyList<Instruction> program)
        {
            var slotOf = new int[program.Count];
            var instructionAtSlot = new HashSet<int>();
            int slot = 0;
            for (int i = 0; i < program.Count; i++)
            {
                slotOf[i] = slot;
                instructionAtSlot.Add(slot);
                slot += program[i].SlotCount;
            }
            var labels = new SortedSet<int>();
            for (int i = 0; i < program.Count; i++)
                if (TargetSlot(program[i], slotOf[i]) is int target && instructionAtSlot.Contains(target))
                    labels.Add(target);

            var text = new StringBuilder();
            for (int i = 0; i < program.Count; i++)
            {
                if (labels.Contains(slotOf[i])) text.Append('L').Append(slotOf[i]).Append(":\n");
                string? label = TargetSlot(program[i], slotOf[i]) is int t && labels.Contains(t) ? "L" + t.ToString(CultureInfo.InvariantCulture) : null;
                text.Append(Format(program[i], label)).Append('\n');
            }
            return text.ToString();
        }

        /// <summary>The slot a jump or local call at <paramref name="slot"/> goes to, or null.</summary>
        public static int? TargetSlot(in Instruction ins, int slot)
        {
            if (ins.IsCall && ins.CallKind == CallKind.Local) return slot + 1 + ins.Immediate;
            if (!ins.IsJump || ins.IsCall || ins.IsExit) return null;
            if (ins.Class == InstructionClass.Jmp32 && ins.JumpOperation == JumpOperation.Ja) return slot + 1 + ins.Immediate;
            return slot + 1 + ins.Offset;
        }

        /// <summary>Formats one instruction. <paramref name="targetLabel"/>, when given, replaces the numeric jump offset.</summary>
        public static string Format(in Instruction ins, string? targetLabel = null)
        {
            switch (ins.Class)
            {
                case InstructionClass.Alu:
                case InstructionClass.Alu64:
                    return FormatAlu(ins);
                case InstructionClass.Jmp:
                case InstructionClass.Jmp32:
                    return FormatJump(ins, targetLabel);
                case InstructionClass.Ld:
                    return FormatLd(ins);
                case InstructionClass.Ldx:
                    return $"ldx{(ins.MemoryMode == MemoryMode.MemorySignExtend ? "s" : "")}{Mnemonics.Size(ins.MemorySize)} {Reg(ins.Destination)}, {Address(ins.Source, ins.Offset)}";
                case InstructionClass.St:
                    return $"st{Mnemonics.Size(ins.MemorySize)} {Address(ins.Destination, ins.Offset)}, {Imm(ins.Immediate)}";
                default:
                    if (ins.MemoryMode == MemoryMode.Atomic)
                        return $"lock {Mnemonics.Atomic((AtomicOperation)ins.Immediate)}{(ins.MemorySize == MemorySize.Word ? "32" : "")} {Address(ins.Destination, ins.Offset)}, {Reg(ins.Source)}";
                    return $"stx{Mnemonics.Size(ins.MemorySize)} {Address(ins.Destination, ins.Offset)}, {Reg(ins.Source)}";
            }
        }

        private static string FormatAlu(in Instruction ins)
        {
            string suffix = ins.Class == InstructionClass.Alu ? "32" : "";
            bool k = ins.OperandSource == OperandSource.Immediate;
            switch (ins.AluOperation)
            {
                case AluOperation.Neg:
                    return $"neg{suffix} {Reg(ins.Destination)}";
                case AluOperation.End:
                    string name = ins.Class == InstructionClass.Alu64 ? "bswap" : k ? "le" : "be";
                    return $"{name}{ins.Immediate} {Reg(ins.Destination)}";
                case AluOperation.Mov when !k && ins.Offset != 0:
                    return $"movsx{ins.Offset}{(ins.Class == InstructionClass.Alu ? "32" : "64")} {Reg(ins.Destination)}, {Reg(ins.Source)}";
                default:
                    string op = Mnemonics.Alu(ins.AluOperation, ins.Offset == 1);
                    return $"{op}{suffix} {Reg(ins.Destination)}, {(k ? Imm(ins.Immediate) : Reg(ins.Source))}";
            }
        }

        private static string FormatJump(in Instruction ins, string? targetLabel)
        {
            if (ins.IsExit) return "exit";
            if (ins.IsCall)
            {
                return ins.CallKind switch
                {
                    CallKind.Local => $"call local {targetLabel ?? Signed(ins.Immediate)}",
                    CallKind.Kfunc => ins.Offset == 0 ? $"call kfunc {Imm(ins.Immediate)}" : $"call kfunc {Imm(ins.Immediate)}, {ins.Offset}",
                    _ => $"call {Imm(ins.Immediate)}",
                };
            }
            if (ins.JumpOperation == JumpOperation.Ja)
                return ins.Class == InstructionClass.Jmp32 ? $"ja32 {targetLabel ?? Signed(ins.Immediate)}" : $"ja {targetLabel ?? Signed(ins.Offset)}";
            string suffix = ins.Class == InstructionClass.Jmp32 ? "32" : "";
            string operand = ins.OperandSource == OperandSource.Immediate ? Imm(ins.Immediate) : Reg(ins.Source);
            return $"{Mnemonics.Jump(ins.JumpOperation)}{suffix} {Reg(ins.Destination)}, {operand}, {targetLabel ?? Signed(ins.Offset)}";
        }

        private static string FormatLd(in Instruction ins)
        {
            if (ins.IsWide)
            {
                return ins.LoadImmediateKind switch
                {
                    LoadImmediateKind.Constant => $"lddw {Reg(ins.Destination)}, 0x{(ulong)ins.Constant64:x}",
                    LoadImmediateKind.MapValueByFd or LoadImmediateKind.MapValueByIndex
                        => $"lddw {Reg(ins.Destination)}, {Mnemonics.LoadImmediateKind(ins.LoadImmediateKind)}({Imm(ins.Immediate)}, {Imm(ins.NextImmediate)})",
                    _ => ins.NextImmediate == 0
                        ? $"lddw {Reg(ins.Destination)}, {Mnemonics.LoadImmediateKind(ins.LoadImmediateKind)}({Imm(ins.Immediate)})"
                        : $"lddw {Reg(ins.Destination)}, {Mnemonics.LoadImmediateKind(ins.LoadImmediateKind)}({Imm(ins.Immediate)}, {Imm(ins.NextImmediate)})",
                };
            }
            string size = Mnemonics.Size(ins.MemorySize);
            return ins.MemoryMode == MemoryMode.Absolute
                ? $"ldabs{size} {Imm(ins.Immediate)}"
                : $"ldind{size} {Reg(ins.Source)}, {Imm(ins.Immediate)}";
        }

        private static string Reg(Register r) => "%r" + ((int)r).ToString(CultureInfo.InvariantCulture);
        private static string Imm(int value) => value.ToString(CultureInfo.InvariantCulture);
        private static string Signed(int value) => (value >= 0 ? "+" : "") + value.ToString(CultureInfo.InvariantCulture);
        private static string Address(Register r, short offset) => $"[{Reg(r)}{(offset >= 0 ? "+" : "")}{offset.ToString(CultureInfo.InvariantCulture)}]";
    }
}
