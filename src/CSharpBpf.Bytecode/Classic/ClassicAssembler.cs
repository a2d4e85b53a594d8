using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using CSharpBpf.Bytecode.Asm;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>Reads classic BPF in the listing form of <c>tcpdump -d</c>, the inverse of
    /// <see cref="ClassicDisassembler"/>: one instruction per line, an optional <c>(NNN)</c> number that must equal the
    /// instruction's index, jump targets as absolute instruction numbers (<c>jeq #0x800 jt 2 jf 5</c>,
    /// <c>ja 7</c>), ancillary loads by libpcap's names (<c>ld [proto]</c>). Blank lines and text after <c>;</c> are
    /// ignored. Errors are <see cref="AssemblyException"/>s naming the line, the column and what was expected.</summary>
    public static class ClassicAssembler
    {
        private static readonly Regex Number = new Regex(@"^\((\d+)\)\s*", RegexOptions.CultureInvariant);
        private static readonly Regex Targets = new Regex(@"\s+jt\s+(?<jt>\S+?)\s*,?\s+jf\s+(?<jf>\S+)\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex Indexed = new Regex(@"^\[\s*x\s*\+\s*(?<k>[^\]\s]+)\s*\]$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        private static readonly Regex Bracketed = new Regex(@"^\[\s*(?<k>[^\]\s]+)\s*\]$", RegexOptions.CultureInvariant);
        private static readonly Regex Scratch = new Regex(@"^M\[\s*(?<k>[^\]\s]+)\s*\]$", RegexOptions.CultureInvariant);
        private static readonly Regex HeaderLength = new Regex(@"^4\s*\*\s*\(\s*\[\s*(?<k>[^\]\s]+)\s*\]\s*&\s*0xf\s*\)$", RegexOptions.CultureInvariant);

        /// <summary>Assembles a listing.</summary>
        /// <exception cref="AssemblyException">A line is not an instruction, an operand is malformed or out of range, or a
        /// jump target is not ahead of the jump within 256 (conditional) or the program (<c>ja</c>).</exception>
        public static ClassicProgram Assemble(string listing)
        {
            var lines = new List<(int Line, int Column, string Text)>();
            var raw = listing.Replace("\r\n", "\n").Split('\n');
            for (int i = 0; i < raw.Length; i++)
            {
                string text = raw[i];
                int comment = text.IndexOf(';');
                if (comment >= 0) text = text.Substring(0, comment);
                string trimmed = text.Trim();
                if (trimmed.Length == 0) continue;
                lines.Add((i + 1, text.IndexOf(trimmed[0]) + 1, trimmed));
            }
            var instructions = new ClassicInstruction[lines.Count];
            for (int index = 0; index < lines.Count; index++)
                instructions[index] = Parse(lines[index].Line, lines[index].Column, lines[index].Text, index);
            return new ClassicProgram(instructions);
        }

        private static ClassicInstruction Parse(int line, int column, string text, int index)
        {
            var number = Number.Match(text);
            if (number.Success)
            {
                if (!int.TryParse(number.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int numbered) || numbered != index)
                    throw new AssemblyException(line, column, $"this is instruction {index}, numbered ({number.Groups[1].Value}): jump targets are instruction numbers, so the numbering must run 0, 1, 2… without gaps");
                column += number.Length;
                text = text.Substring(number.Length);
            }
            int space = IndexOfSpace(text);
            string mnemonic = space < 0 ? text : text.Substring(0, space);
            string operand = space < 0 ? "" : text.Substring(space).Trim();
            int operandColumn = space < 0 ? column + text.Length : column + space + (text.Length - space - text.Substring(space).TrimStart().Length);
            var at = new Site(line, operandColumn, index);
            switch (mnemonic.ToLowerInvariant())
            {
                case "ld": return Load(at, operand, ClassicSize.Word, allowWordForms: true);
                case "ldh": return Load(at, operand, ClassicSize.Half, allowWordForms: false);
                case "ldb": return Load(at, operand, ClassicSize.Byte, allowWordForms: false);
                case "ldx": return LoadX(at, operand);
                case "ldxb":
                    var msh = HeaderLength.Match(operand);
                    if (!msh.Success) throw at.Error("ldxb takes 4*([k]&0xf) (the IPv4 header length at offset k)");
                    return ClassicInstruction.Statement(ClassicOpcode.LdxMsh, at.Constant(msh.Groups["k"].Value));
                case "st":
                case "stx":
                    var slot = Scratch.Match(operand);
                    if (!slot.Success) throw at.Error($"{mnemonic} takes a scratch slot M[0]…M[15]");
                    return ClassicInstruction.Statement(mnemonic.Length == 2 ? ClassicOpcode.St : ClassicOpcode.Stx, at.Constant(slot.Groups["k"].Value));
                case "ret":
                    if (operand.Length == 0 || operand.Equals("a", StringComparison.OrdinalIgnoreCase)) return ClassicInstruction.Statement(ClassicOpcode.RetA);
                    return ClassicInstruction.Statement(ClassicOpcode.RetK, at.Immediate(operand, "ret takes #k (the value returned) or nothing (A)"));
                case "tax": at.NoOperand(operand, "tax"); return ClassicInstruction.Statement(ClassicOpcode.Tax);
                case "txa": at.NoOperand(operand, "txa"); return ClassicInstruction.Statement(ClassicOpcode.Txa);
                case "neg": at.NoOperand(operand, "neg"); return ClassicInstruction.Statement(ClassicOpcode.Neg);
                case "ja":
                    int target = at.Target(operand, "ja");
                    return ClassicInstruction.Statement(ClassicOpcode.Ja, (uint)(target - index - 1));
            }
            if (ClassicMnemonics.AluByName.TryGetValue(mnemonic.ToLowerInvariant(), out var alu))
            {
                if (operand.Equals("x", StringComparison.OrdinalIgnoreCase)) return ClassicInstruction.Statement(ClassicOpcode.Alu(alu, x: true));
                return ClassicInstruction.Statement(ClassicOpcode.Alu(alu, x: false), at.Immediate(operand, $"{mnemonic} takes #k or x"));
            }
            if (ClassicMnemonics.JumpByName.TryGetValue(mnemonic.ToLowerInvariant(), out var jump))
            {
                var targets = Targets.Match(operand);
                if (!targets.Success) throw at.Error($"{mnemonic} takes #k or x, then 'jt N jf N' (absolute instruction numbers)");
                string value = operand.Substring(0, targets.Index).Trim();
                bool x = value.Equals("x", StringComparison.OrdinalIgnoreCase);
                uint k = x ? 0 : at.Immediate(value, $"{mnemonic} compares A with #k or x");
                int jt = at.Target(targets.Groups["jt"].Value, "jt"), jf = at.Target(targets.Groups["jf"].Value, "jf");
                return ClassicInstruction.Jump(ClassicOpcode.Jump(jump, x), k, at.Offset(jt, "jt"), at.Offset(jf, "jf"));
            }
            throw new AssemblyException(line, column, $"'{mnemonic}' is not a classic BPF instruction (ld, ldh, ldb, ldx, ldxb, st, stx, add…xor, neg, ja, jeq, jgt, jge, jset, ret, tax, txa)");
        }

        private static ClassicInstruction Load(Site at, string operand, ClassicSize size, bool allowWordForms)
        {
            ushort absolute = (ushort)((ushort)ClassicClass.Ld | (ushort)size | (ushort)ClassicMode.Absolute);
            ushort indirect = (ushort)((ushort)ClassicClass.Ld | (ushort)size | (ushort)ClassicMode.Indirect);
            var indexed = Indexed.Match(operand);
            if (indexed.Success) return ClassicInstruction.Statement(indirect, at.Constant(indexed.Groups["k"].Value));
            var bracketed = Bracketed.Match(operand);
            if (bracketed.Success)
            {
                string k = bracketed.Groups["k"].Value;
                foreach (ClassicAncillary field in Enum.GetValues(typeof(ClassicAncillary)))
                    if (string.Equals(ClassicOffsets.ListingName(field), k, StringComparison.Ordinal))
                        return ClassicInstruction.Statement(absolute, (uint)(ClassicOffsets.Ancillary + (int)field));
                return ClassicInstruction.Statement(absolute, at.Constant(k));
            }
            if (allowWordForms)
            {
                if (operand == "#pktlen" || operand == "len" || operand == "#len") return ClassicInstruction.Statement(ClassicOpcode.LdLen);
                var slot = Scratch.Match(operand);
                if (slot.Success) return ClassicInstruction.Statement(ClassicOpcode.LdMem, at.Constant(slot.Groups["k"].Value));
                if (operand.StartsWith("#", StringComparison.Ordinal)) return ClassicInstruction.Statement(ClassicOpcode.LdImm, at.Immediate(operand, ""));
                throw at.Error("ld takes [k], [x + k], [ancillary], #k, #pktlen or M[k]");
            }
            throw at.Error("a 16- or 8-bit load takes [k], [x + k] or [ancillary]");
        }

        private static ClassicInstruction LoadX(Site at, string operand)
        {
            if (operand == "#pktlen" || operand == "len" || operand == "#len") return ClassicInstruction.Statement(ClassicOpcode.LdxLen);
            var slot = Scratch.Match(operand);
            if (slot.Success) return ClassicInstruction.Statement(ClassicOpcode.LdxMem, at.Constant(slot.Groups["k"].Value));
            var msh = HeaderLength.Match(operand);
            if (msh.Success) return ClassicInstruction.Statement(ClassicOpcode.LdxMsh, at.Constant(msh.Groups["k"].Value));
            return ClassicInstruction.Statement(ClassicOpcode.LdxImm, at.Immediate(operand, "ldx takes #k, #pktlen, M[k] or 4*([k]&0xf)"));
        }

        private static int IndexOfSpace(string text)
        {
            for (int i = 0; i < text.Length; i++) if (char.IsWhiteSpace(text[i])) return i;
            return -1;
        }

        /// <summary>Where an operand is: its line and column for errors, its instruction for targets.</summary>
        private readonly struct Site
        {
            private readonly int _line, _column, _index;

            public Site(int line, int column, int index)
            {
                _line = line;
                _column = column;
                _index = index;
            }

            public AssemblyException Error(string reason) => new AssemblyException(_line, _column, reason);

            public void NoOperand(string operand, string mnemonic)
            {
                if (operand.Length != 0) throw Error($"{mnemonic} takes no operand");
            }

            /// <summary><c>#k</c>: a 32-bit constant, decimal (may be negative) or 0x hex.</summary>
            public uint Immediate(string operand, string expected)
            {
                if (!operand.StartsWith("#", StringComparison.Ordinal)) throw Error(expected.Length > 0 ? expected : "expected #k");
                return Constant(operand.Substring(1));
            }

            public uint Constant(string text)
            {
                bool negative = text.StartsWith("-", StringComparison.Ordinal);
                string digits = negative ? text.Substring(1) : text;
                bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
                if (!ulong.TryParse(hex ? digits.Substring(2) : digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
                    || (negative ? value > 0x80000000UL : value > uint.MaxValue))
                    throw Error($"'{text}' is not a 32-bit number (decimal, -decimal or 0x hex)");
                return negative ? unchecked((uint)-(long)value) : (uint)value;
            }

            public int Target(string text, string what)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int target))
                    throw Error($"{what} takes an instruction number, not '{text}'");
                if (target <= _index)
                    throw Error($"{what} {target}: jumps go forward only, to an instruction after {_index}");
                return target;
            }

            public byte Offset(int target, string what)
            {
                int offset = target - _index - 1;
                if (offset > byte.MaxValue) throw Error($"{what} {target} is {offset} instructions ahead; a conditional jump reaches at most 255 (use ja for longer jumps)");
                return (byte)offset;
            }
        }
    }
}
