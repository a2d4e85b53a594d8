using System.Globalization;
using System.Text;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>Prints classic BPF in the listing form of <c>tcpdump -d</c> (bpf_image of libpcap 1.10, as Debian 12
    /// ships it), character for character: <c>(004) jeq      #0x800           jt 5	jf 9</c>, operandless instructions
    /// padded as it pads them. Jump targets are absolute instruction numbers; ancillary loads print by libpcap's names
    /// (<c>ld       [proto]</c>). The listing leaves out fields an instruction does not use (libpcap leaves garbage in
    /// some, e.g. the k of <c>tax</c>): the C array and decimal forms keep them.</summary>
    public static class ClassicDisassembler
    {
        /// <summary>The whole program, one line per instruction, each ending in a newline.</summary>
        public static string Disassemble(ClassicProgram program)
        {
            var text = new StringBuilder();
            for (int i = 0; i < program.Count; i++) text.Append(Format(program[i], i)).Append('\n');
            return text.ToString();
        }

        /// <summary>One instruction at index <paramref name="index"/> (targets of jumps are relative to it).</summary>
        public static string Format(ClassicInstruction instruction, int index)
        {
            var (op, operand) = Parts(instruction, index);
            string number = index.ToString("000", CultureInfo.InvariantCulture);
            if (instruction.IsConditionalJump)
                return $"({number}) {op,-8} {operand,-16} jt {index + 1 + instruction.Jt}\tjf {index + 1 + instruction.Jf}";
            return $"({number}) {op,-8} {operand}";
        }

        /// <summary>The instruction as it reads in a message: "ldh [12]", "jeq #0x800" (jump targets left out).</summary>
        internal static string Text(ClassicInstruction instruction)
        {
            var (op, operand) = Parts(instruction, 0);
            return operand.Length == 0 || instruction.Code == ClassicOpcode.Ja ? op : $"{op} {operand}";
        }

        private static (string Op, string Operand) Parts(ClassicInstruction ins, int index)
        {
            int k = unchecked((int)ins.K);
            string hex = "#0x" + ins.K.ToString("x", CultureInfo.InvariantCulture);
            string signed = "#" + k.ToString(CultureInfo.InvariantCulture);
            switch (ins.Code)
            {
                case ClassicOpcode.RetK: return ("ret", signed);
                case ClassicOpcode.RetA: return ("ret", "");
                case ClassicOpcode.LdWAbs: return ("ld", AbsoluteOperand(ins.K));
                case ClassicOpcode.LdHAbs: return ("ldh", AbsoluteOperand(ins.K));
                case ClassicOpcode.LdBAbs: return ("ldb", AbsoluteOperand(ins.K));
                case ClassicOpcode.LdLen: return ("ld", "#pktlen");
                case ClassicOpcode.LdxLen: return ("ldx", "#pktlen");
                case ClassicOpcode.LdWInd: return ("ld", $"[x + {k}]");
                case ClassicOpcode.LdHInd: return ("ldh", $"[x + {k}]");
                case ClassicOpcode.LdBInd: return ("ldb", $"[x + {k}]");
                case ClassicOpcode.LdImm: return ("ld", hex);
                case ClassicOpcode.LdxImm: return ("ldx", hex);
                case ClassicOpcode.LdxMsh: return ("ldxb", $"4*([{k}]&0xf)");
                case ClassicOpcode.LdMem: return ("ld", $"M[{k}]");
                case ClassicOpcode.LdxMem: return ("ldx", $"M[{k}]");
                case ClassicOpcode.St: return ("st", $"M[{k}]");
                case ClassicOpcode.Stx: return ("stx", $"M[{k}]");
                case ClassicOpcode.Ja: return ("ja", (index + 1 + k).ToString(CultureInfo.InvariantCulture));
                case ClassicOpcode.Neg: return ("neg", "");
                case ClassicOpcode.Tax: return ("tax", "");
                case ClassicOpcode.Txa: return ("txa", "");
            }
            if (ins.Class == ClassicClass.Jmp && ins.Code == ClassicOpcode.Jump(ins.JumpOperation, ins.UsesX)
                && ClassicMnemonics.Jump(ins.JumpOperation) is { } jump)
                return (jump, ins.UsesX ? "x" : hex);
            if (ins.Class == ClassicClass.Alu && ins.Code == ClassicOpcode.Alu(ins.AluOperation, ins.UsesX)
                && ins.AluOperation != ClassicAluOperation.Neg && ClassicMnemonics.Alu(ins.AluOperation) is { } alu)
                return (alu, ins.UsesX ? "x" : ClassicMnemonics.HexOperand(ins.AluOperation) ? hex : signed);
            return ("unimp", "0x" + ins.Code.ToString("x", CultureInfo.InvariantCulture));
        }

        private static string AbsoluteOperand(uint k) =>
            ClassicOffsets.TryGetAncillary(k, out var field) && ClassicOffsets.ListingName(field) is { } name
                ? $"[{name}]"
                : $"[{unchecked((int)k)}]";
    }
}
