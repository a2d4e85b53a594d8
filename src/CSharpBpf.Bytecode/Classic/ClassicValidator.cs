using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>One rule a classic program breaks: the instruction's index (-1 for the program as a whole), the rule's
    /// short name and a message saying what to change.</summary>
    public sealed record ClassicValidationError(int Index, string Rule, string Message)
    {
        /// <summary>"instruction 5: …" or "program: …".</summary>
        public override string ToString() => Index < 0 ? $"program: {Message}" : $"instruction {Index}: {Message}";
    }

    /// <summary>The Linux kernel's rules for a classic BPF program, as <c>bpf_check_classic</c> and
    /// <c>check_load_and_stores</c> (net/core/filter.c) apply them when a socket filter is attached: 1 to 4,096
    /// instructions; only the codes the kernel knows; no division by a constant 0 and no constant shift of 32 or more;
    /// scratch slots M[0]–M[15], none read on a path where it was not written; jumps forward and inside the program;
    /// ancillary loads only of fields the kernel knows; the last instruction a <c>ret</c>. Where the kernel stops at the
    /// first error, this reports them all, in instruction order.</summary>
    public static class ClassicValidator
    {
        /// <summary>BPF_MAXINSNS: the most instructions a classic program may have.</summary>
        public const int MaxInstructions = 4096;
        /// <summary>BPF_MEMWORDS: the number of 32-bit scratch slots.</summary>
        public const int ScratchSlots = 16;

        /// <summary>Every rule <paramref name="program"/> breaks; empty when the kernel would accept it.</summary>
        public static IReadOnlyList<ClassicValidationError> Validate(ClassicProgram program)
        {
            var errors = new List<ClassicValidationError>();
            int count = program.Count;
            if (count == 0 || count > MaxInstructions)
            {
                errors.Add(new ClassicValidationError(-1, "length", $"a classic program has 1 to {MaxInstructions} instructions; this one has {count}"));
                if (count == 0) return errors;
            }
            bool jumpsInRange = true;
            for (int pc = 0; pc < count; pc++)
            {
                var ins = program[pc];
                string Name() => ClassicDisassembler.Text(ins); // only for a message: most instructions break no rule
                if (!IsKnownCode(ins.Code))
                {
                    errors.Add(new ClassicValidationError(pc, "opcode", $"code 0x{ins.Code:x} is not a classic BPF instruction the kernel knows"));
                    continue;
                }
                switch (ins.Code)
                {
                    case var c when c == ClassicOpcode.Alu(ClassicAluOperation.Div, false) || c == ClassicOpcode.Alu(ClassicAluOperation.Mod, false):
                        if (ins.K == 0) errors.Add(new ClassicValidationError(pc, "division by zero", $"'{Name()}' divides by the constant 0"));
                        break;
                    case var c when c == ClassicOpcode.Alu(ClassicAluOperation.Lsh, false) || c == ClassicOpcode.Alu(ClassicAluOperation.Rsh, false):
                        if (ins.K >= 32) errors.Add(new ClassicValidationError(pc, "shift", $"'{Name()}' shifts a 32-bit A by {ins.K}; constant shifts are 0 to 31"));
                        break;
                    case ClassicOpcode.LdMem:
                    case ClassicOpcode.LdxMem:
                    case ClassicOpcode.St:
                    case ClassicOpcode.Stx:
                        if (ins.K >= ScratchSlots) errors.Add(new ClassicValidationError(pc, "scratch slot", $"'{Name()}' uses scratch slot {ins.K}; there are M[0] to M[{ScratchSlots - 1}]"));
                        break;
                    case ClassicOpcode.Ja:
                        if (ins.K >= (uint)(count - pc - 1))
                        {
                            jumpsInRange = false;
                            errors.Add(new ClassicValidationError(pc, "jump range", $"ja jumps {ins.K} instructions ahead, past the last instruction ({count - 1})"));
                        }
                        break;
                    case ClassicOpcode.LdWAbs:
                    case ClassicOpcode.LdHAbs:
                    case ClassicOpcode.LdBAbs:
                        // The kernel compares k unsigned: only the 4,096 offsets from SKF_AD_OFF up are ancillary.
                        if (ins.K >= unchecked((uint)ClassicOffsets.Ancillary) && !ClassicOffsets.TryGetAncillary(ins.K, out _))
                            errors.Add(new ClassicValidationError(pc, "ancillary", $"'{Name()}' reads SKF_AD_OFF + {ins.K - unchecked((uint)ClassicOffsets.Ancillary)}, not an ancillary field the kernel knows (SKF_AD_PROTOCOL … SKF_AD_VLAN_TPID)"));
                        break;
                }
                if (ins.IsConditionalJump && (pc + ins.Jt + 1 >= count || pc + ins.Jf + 1 >= count))
                {
                    jumpsInRange = false;
                    errors.Add(new ClassicValidationError(pc, "jump range", $"'{Name()}' jumps past the last instruction ({count - 1})"));
                }
            }
            var last = program[count - 1];
            if (last.Code != ClassicOpcode.RetK && last.Code != ClassicOpcode.RetA)
                errors.Add(new ClassicValidationError(count - 1, "last instruction", "a classic program ends in ret (#k or A), so no path runs off its end"));
            if (jumpsInRange) CheckScratchWrittenBeforeRead(program, errors);
            return errors.OrderBy(e => e.Index).ToList();
        }

        /// <summary>The codes chk_code_allowed admits.</summary>
        public static bool IsKnownCode(ushort code)
        {
            switch (code)
            {
                case ClassicOpcode.LdWAbs: case ClassicOpcode.LdHAbs: case ClassicOpcode.LdBAbs:
                case ClassicOpcode.LdWInd: case ClassicOpcode.LdHInd: case ClassicOpcode.LdBInd:
                case ClassicOpcode.LdImm: case ClassicOpcode.LdMem: case ClassicOpcode.LdLen:
                case ClassicOpcode.LdxImm: case ClassicOpcode.LdxMem: case ClassicOpcode.LdxLen: case ClassicOpcode.LdxMsh:
                case ClassicOpcode.St: case ClassicOpcode.Stx:
                case ClassicOpcode.Neg: case ClassicOpcode.Tax: case ClassicOpcode.Txa:
                case ClassicOpcode.RetK: case ClassicOpcode.RetA: case ClassicOpcode.Ja:
                    return true;
            }
            var ins = new ClassicInstruction(code, 0, 0, 0);
            if (ins.Class == ClassicClass.Alu)
                return code == ClassicOpcode.Alu(ins.AluOperation, ins.UsesX) && ins.AluOperation != ClassicAluOperation.Neg
                    && ClassicMnemonics.Alu(ins.AluOperation) != null;
            if (ins.Class == ClassicClass.Jmp)
                return code == ClassicOpcode.Jump(ins.JumpOperation, ins.UsesX) && ClassicMnemonics.Jump(ins.JumpOperation) != null;
            return false;
        }

        /// <summary>check_load_and_stores: one pass in order, a bit per slot written on every path so far. A jump
        /// narrows its targets' sets and what follows it starts from its targets' sets alone; as in the kernel, a
        /// <c>ret</c> does not, so the instruction after it also keeps what was written before the <c>ret</c>.</summary>
        private static void CheckScratchWrittenBeforeRead(ClassicProgram program, List<ClassicValidationError> errors)
        {
            int count = program.Count;
            var masks = new ushort[count];
            for (int i = 0; i < count; i++) masks[i] = 0xffff;
            ushort written = 0;
            for (int pc = 0; pc < count; pc++)
            {
                written &= masks[pc];
                var ins = program[pc];
                switch (ins.Code)
                {
                    case ClassicOpcode.St:
                    case ClassicOpcode.Stx:
                        if (ins.K < ScratchSlots) written |= (ushort)(1 << (int)ins.K);
                        break;
                    case ClassicOpcode.LdMem:
                    case ClassicOpcode.LdxMem:
                        if (ins.K < ScratchSlots && (written & (1 << (int)ins.K)) == 0)
                        {
                            errors.Add(new ClassicValidationError(pc, "scratch read before write",
                                $"'{ClassicDisassembler.Text(ins)}' reads M[{ins.K}], which some path to it never stores (st/stx M[{ins.K}] first on every path)"));
                            return; // the kernel stops here too; later reads would only repeat it
                        }
                        break;
                    case ClassicOpcode.Ja:
                        masks[pc + 1 + (int)ins.K] &= written;
                        written = 0xffff;
                        break;
                    default:
                        if (ins.IsConditionalJump && IsKnownCode(ins.Code))
                        {
                            masks[pc + 1 + ins.Jt] &= written;
                            masks[pc + 1 + ins.Jf] &= written;
                            written = 0xffff;
                        }
                        break;
                }
            }
        }
    }
}
