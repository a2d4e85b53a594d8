using System;
using System.Collections.Generic;
using System.Globalization;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Asm
{
    /// <summary>Turns one statement into an instruction: picks the form by mnemonic, then parses
    /// each operand as what that form expects, so errors say what was expected where.</summary>
    internal sealed class InstructionParser
    {
        private readonly SourceLine line;
        private readonly int slot;
        private readonly IReadOnlyDictionary<string, int> labels;
        private readonly string mnemonic;

        public InstructionParser(SourceLine line, int slot, IReadOnlyDictionary<string, int> labels)
        {
            this.line = line;
            this.slot = slot;
            this.labels = labels;
            mnemonic = line.Mnemonic.Text;
        }

        public Instruction Parse()
        {
            if (mnemonic == "exit") { Expect(0); return Instruction.Exit(); }
            if (mnemonic == "call") return ParseCall();
            if (mnemonic == "lock") return ParseLock();
            if (mnemonic == "lddw") return ParseLddw();
            if (mnemonic == "ja") { Expect(1); return Instruction.Ja(Offset16(line.Operands[0])); }
            if (mnemonic == "ja32")
            {
                Expect(1);
                return new Instruction(Opcode.Jump(InstructionClass.Jmp32, JumpOperation.Ja, OperandSource.Immediate), 0, 0, 0, Target(line.Operands[0]));
            }
            if (TryMemory(out var memory)) return memory;
            if (TryByteSwap(out var swap)) return swap;
            if (mnemonic.StartsWith("movsx", StringComparison.Ordinal)) return ParseMovsx();
            if (TryJump(out var jump)) return jump;
            if (TryAlu(out var alu)) return alu;
            throw line.Mnemonic.Error($"unknown mnemonic '{mnemonic}'");
        }

        private bool TryAlu(out Instruction instruction)
        {
            instruction = default;
            bool is32 = mnemonic.EndsWith("32", StringComparison.Ordinal);
            string name = is32 ? mnemonic.Substring(0, mnemonic.Length - 2) : mnemonic;
            if (!AluByName.TryGetValue(name, out var op)) return false;
            var cls = is32 ? InstructionClass.Alu : InstructionClass.Alu64;
            short offset = (short)(name == "sdiv" || name == "smod" ? 1 : 0);
            if (op == AluOperation.Neg)
            {
                Expect(1);
                instruction = new Instruction(Opcode.Alu(cls, op, OperandSource.Immediate), Reg(line.Operands[0]), 0, 0, 0);
                return true;
            }
            Expect(2);
            var dst = Reg(line.Operands[0]);
            var operand = line.Operands[1];
            instruction = IsRegister(operand)
                ? new Instruction(Opcode.Alu(cls, op, OperandSource.Register), dst, Reg(operand), offset, 0)
                : new Instruction(Opcode.Alu(cls, op, OperandSource.Immediate), dst, 0, offset, Imm32(operand));
            return true;
        }

        private Instruction ParseMovsx()
        {
            // movsx{from}{to}: 832/1632 are ALU (32-bit result), 864/1664/3264 are ALU64.
            (short width, InstructionClass cls) = mnemonic switch
            {
                "movsx832" => ((short)8, InstructionClass.Alu),
                "movsx1632" => ((short)16, InstructionClass.Alu),
                "movsx864" => ((short)8, InstructionClass.Alu64),
                "movsx1664" => ((short)16, InstructionClass.Alu64),
                "movsx3264" => ((short)32, InstructionClass.Alu64),
                _ => throw line.Mnemonic.Error($"unknown mnemonic '{mnemonic}' (movsx832, movsx1632, movsx864, movsx1664 or movsx3264)"),
            };
            Expect(2);
            return new Instruction(Opcode.Alu(cls, AluOperation.Mov, OperandSource.Register), Reg(line.Operands[0]), Reg(line.Operands[1]), width, 0);
        }

        private bool TryByteSwap(out Instruction instruction)
        {
            instruction = default;
            InstructionClass cls;
            OperandSource source;
            string width;
            if (mnemonic.StartsWith("le", StringComparison.Ordinal)) { cls = InstructionClass.Alu; source = OperandSource.Immediate; width = mnemonic.Substring(2); }
            else if (mnemonic.StartsWith("be", StringComparison.Ordinal)) { cls = InstructionClass.Alu; source = OperandSource.Register; width = mnemonic.Substring(2); }
            else if (mnemonic.StartsWith("bswap", StringComparison.Ordinal)) { cls = InstructionClass.Alu64; source = OperandSource.Immediate; width = mnemonic.Substring(5); }
            else if (mnemonic.StartsWith("swap", StringComparison.Ordinal)) { cls = InstructionClass.Alu64; source = OperandSource.Immediate; width = mnemonic.Substring(4); }
            else return false;
            if (width != "16" && width != "32" && width != "64") return false;
            Expect(1);
            instruction = new Instruction(Opcode.Alu(cls, AluOperation.End, source), Reg(line.Operands[0]), 0, 0, int.Parse(width, CultureInfo.InvariantCulture));
            return true;
        }

        private bool TryJump(out Instruction instruction)
        {
            instruction = default;
            bool is32 = mnemonic.EndsWith("32", StringComparison.Ordinal);
            string name = is32 ? mnemonic.Substring(0, mnemonic.Length - 2) : mnemonic;
            if (!JumpByName.TryGetValue(name, out var op)) return false;
            Expect(3);
            var cls = is32 ? InstructionClass.Jmp32 : InstructionClass.Jmp;
            var dst = Reg(line.Operands[0]);
            short offset = Offset16(line.Operands[2]);
            instruction = IsRegister(line.Operands[1])
                ? new Instruction(Opcode.Jump(cls, op, OperandSource.Register), dst, Reg(line.Operands[1]), offset, 0)
                : new Instruction(Opcode.Jump(cls, op, OperandSource.Immediate), dst, 0, offset, Imm32(line.Operands[1]));
            return true;
        }

        private Instruction ParseCall()
        {
            if (line.Operands.Count == 0) throw line.Mnemonic.Error("call needs an operand: a helper id, 'local <label>' or 'kfunc <btf id>'");
            var first = line.Operands[0];
            if (IsRegister(first))
                throw first.Error("callx (call through a register) is not defined by RFC 9669 and the kernel refuses it; call a helper id or 'local <label>'");
            if (first.Text.StartsWith("local", StringComparison.Ordinal))
            {
                Expect(1);
                var target = Rest(first, "local".Length);
                return Instruction.CallLocal(Target(target));
            }
            if (first.Text.StartsWith("kfunc", StringComparison.Ordinal))
            {
                if (line.Operands.Count > 2) throw line.Operands[2].Error("call kfunc takes a BTF id and an optional module offset");
                short module = line.Operands.Count == 2 ? (short)Number(line.Operands[1], short.MinValue, short.MaxValue, "module offset") : (short)0;
                return new Instruction(Opcode.Jump(InstructionClass.Jmp, JumpOperation.Call, OperandSource.Immediate), 0, (Register)CallKind.Kfunc, module, Imm32(Rest(first, "kfunc".Length)));
            }
            Expect(1);
            return Instruction.CallHelper(Imm32(first));
        }

        private Instruction ParseLock()
        {
            // "lock [fetch] op[32] [%rN+off], %rM": the words before '[' sit in the first operand.
            if (line.Operands.Count != 2) throw line.Mnemonic.Error("Invalid number of operands for lock: expected 'lock [fetch] op[32] [%rN+off], %rM'");
            var first = line.Operands[0];
            int bracket = first.Text.IndexOf('[');
            if (bracket < 0) throw first.Error("expected a memory operand '[%rN+off]' after the lock operation");
            var words = first.Text.Substring(0, bracket).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            bool fetch = words.Length == 2 && words[0] == "fetch";
            if (words.Length != (fetch ? 2 : 1)) throw first.Error("expected 'add', 'and', 'or', 'xor', 'xchg' or 'cmpxchg', optionally after 'fetch', with an optional 32 suffix");
            string name = words[words.Length - 1];
            bool is32 = name.EndsWith("32", StringComparison.Ordinal);
            if (is32) name = name.Substring(0, name.Length - 2);
            AtomicOperation op = name switch
            {
                "add" => AtomicOperation.Add,
                "and" => AtomicOperation.And,
                "or" => AtomicOperation.Or,
                "xor" => AtomicOperation.Xor,
                "xchg" when !fetch => AtomicOperation.Exchange,
                "cmpxchg" when !fetch => AtomicOperation.CompareExchange,
                _ => throw first.Error($"'{(fetch ? "fetch " : "")}{name}' is not an atomic operation (add, and, or, xor, their fetch forms, xchg, cmpxchg)"),
            };
            if (fetch) op |= AtomicOperation.Fetch;
            var (baseRegister, offset) = Memory(Rest(first, bracket));
            return Instruction.Atomic(is32 ? MemorySize.Word : MemorySize.DoubleWord, op, baseRegister, offset, Reg(line.Operands[1]));
        }

        private Instruction ParseLddw()
        {
            Expect(2);
            var dst = Reg(line.Operands[0]);
            var value = line.Operands[1];
            int paren = value.Text.IndexOf('(');
            if (paren < 0) return Instruction.LoadImmediate64(dst, Imm64(value));

            string kindName = value.Text.Substring(0, paren).Trim();
            LoadImmediateKind? kind = null;
            foreach (LoadImmediateKind k in Enum.GetValues(typeof(LoadImmediateKind)))
                if (k != LoadImmediateKind.Constant && Mnemonics.LoadImmediateKind(k) == kindName) kind = k;
            if (kind == null) throw value.Error($"unknown lddw source '{kindName}' (map_fd, map_value, btf_var, func, map_idx, map_idx_value)");
            if (!value.Text.EndsWith(")", StringComparison.Ordinal)) throw value.Error("missing ')'");
            var arguments = SourceLine.SplitOperands(value.Text.Substring(0, value.Text.Length - 1), paren + 1, value.Line);
            if (arguments.Count < 1 || arguments.Count > 2) throw value.Error($"{kindName}(...) takes one or two numbers");
            var shifted = new List<SourceToken>();
            foreach (var a in arguments) shifted.Add(new SourceToken(a.Text, a.Line, value.Column + a.Column - 1));
            int imm = Imm32(shifted[0]);
            int next = shifted.Count == 2 ? Imm32(shifted[1]) : 0;
            return new Instruction(Opcode.LoadImmediate64, dst, (Register)kind.Value, 0, imm, next);
        }

        private bool TryMemory(out Instruction instruction)
        {
            instruction = default;
            if (mnemonic.StartsWith("ldabs", StringComparison.Ordinal) || mnemonic.StartsWith("ldind", StringComparison.Ordinal))
            {
                var size = Size(mnemonic.Substring(5), allowDoubleWord: false);
                if (size == null) return false;
                bool absolute = mnemonic[2] == 'a';
                Expect(absolute ? 1 : 2);
                var mode = absolute ? MemoryMode.Absolute : MemoryMode.Indirect;
                var src = absolute ? Register.R0 : Reg(line.Operands[0]);
                instruction = new Instruction(Opcode.Memory(InstructionClass.Ld, mode, size.Value), 0, src, 0, Imm32(line.Operands[absolute ? 0 : 1]));
                return true;
            }
            if (mnemonic.StartsWith("ldxs", StringComparison.Ordinal) && Size(mnemonic.Substring(4), allowDoubleWord: false) is MemorySize signedSize)
            {
                Expect(2);
                var (src, offset) = Memory(line.Operands[1]);
                instruction = Instruction.LoadSignExtend(signedSize, Reg(line.Operands[0]), src, offset);
                return true;
            }
            if (mnemonic.StartsWith("ldx", StringComparison.Ordinal) && Size(mnemonic.Substring(3), allowDoubleWord: true) is MemorySize loadSize)
            {
                Expect(2);
                var dst = Reg(line.Operands[0]);
                var (src, offset) = Memory(line.Operands[1]);
                instruction = Instruction.Load(loadSize, dst, src, offset);
                return true;
            }
            if (mnemonic.StartsWith("stx", StringComparison.Ordinal) && Size(mnemonic.Substring(3), allowDoubleWord: true) is MemorySize storeSize)
            {
                Expect(2);
                var (dst, offset) = Memory(line.Operands[0]);
                instruction = Instruction.Store(storeSize, dst, offset, Reg(line.Operands[1]));
                return true;
            }
            if (mnemonic.StartsWith("st", StringComparison.Ordinal) && Size(mnemonic.Substring(2), allowDoubleWord: true) is MemorySize immediateSize)
            {
                Expect(2);
                var (dst, offset) = Memory(line.Operands[0]);
                instruction = Instruction.StoreImmediate(immediateSize, dst, offset, Imm32(line.Operands[1]));
                return true;
            }
            return false;
        }

        private static MemorySize? Size(string suffix, bool allowDoubleWord) => suffix switch
        {
            "b" => MemorySize.Byte,
            "h" => MemorySize.Half,
            "w" => MemorySize.Word,
            "dw" when allowDoubleWord => MemorySize.DoubleWord,
            _ => null,
        };

        private void Expect(int count)
        {
            if (line.Operands.Count != count)
                throw line.Mnemonic.Error($"Invalid number of operands for {mnemonic}: expected {count}, found {line.Operands.Count}");
        }

        private static bool IsRegister(SourceToken token) => token.Text.StartsWith("%", StringComparison.Ordinal);

        private static Register Reg(SourceToken token)
        {
            string t = token.Text;
            if (t.StartsWith("%r", StringComparison.Ordinal)
                && int.TryParse(t.Substring(2), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 10 && t.Length <= 4)
                return (Register)n;
            throw token.Error($"Invalid register '{t}': expected %r0 to %r10");
        }

        /// <summary><c>[%rN]</c>, <c>[%rN+off]</c> or <c>[%rN-off]</c>, the offset a signed 16-bit number.</summary>
        private static (Register, short) Memory(SourceToken token)
        {
            string t = token.Text;
            if (!t.StartsWith("[", StringComparison.Ordinal) || !t.EndsWith("]", StringComparison.Ordinal))
                throw token.Error($"expected a memory operand '[%rN+offset]', found '{t}'");
            string inner = t.Substring(1, t.Length - 2).Trim();
            int sign = inner.IndexOfAny(new[] { '+', '-' });
            var reg = Reg(new SourceToken(sign < 0 ? inner : inner.Substring(0, sign).Trim(), token.Line, token.Column + 1));
            if (sign < 0) return (reg, 0);
            var offsetToken = new SourceToken(inner.Substring(sign).Replace(" ", ""), token.Line, token.Column + 1 + sign);
            return (reg, (short)Number(offsetToken, short.MinValue, short.MaxValue, "memory offset"));
        }

        /// <summary>A jump's 16-bit slot offset: a label, <c>exit</c> or a signed number.</summary>
        private short Offset16(SourceToken token)
        {
            int target = Target(token);
            if (target < short.MinValue || target > short.MaxValue)
                throw token.Error($"jump offset {target} does not fit in 16 bits; use ja32 for far jumps");
            return (short)target;
        }

        /// <summary>A jump or call target relative to the next slot.</summary>
        private int Target(SourceToken token)
        {
            string t = token.Text;
            if (t.Length > 0 && (t[0] == '+' || t[0] == '-' || char.IsDigit(t[0])))
                return (int)Number(token, int.MinValue, int.MaxValue, "jump offset");
            if (labels.TryGetValue(t, out int targetSlot)) return targetSlot - (slot + 1);
            throw token.Error(SourceLine.IsIdentifier(t) ? $"undefined label '{t}'" : $"expected a label or a signed offset, found '{t}'");
        }

        /// <summary>A 32-bit immediate. Decimal must fit int32; hex may use all 32 bits (0xffffffff is -1).</summary>
        private static int Imm32(SourceToken token)
        {
            bool hex = token.Text.TrimStart('+', '-').StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            long value = Number(token, int.MinValue, hex ? uint.MaxValue : int.MaxValue, "32-bit immediate");
            return unchecked((int)value);
        }

        /// <summary>lddw's 64-bit immediate: any signed or unsigned 64-bit value.</summary>
        private static long Imm64(SourceToken token)
        {
            string t = token.Text;
            bool negative = t.StartsWith("-", StringComparison.Ordinal);
            string digits = t.TrimStart('+', '-');
            bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (!ulong.TryParse(hex ? digits.Substring(2) : digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong magnitude)
                || (negative && magnitude > 1UL << 63))
                throw token.Error($"expected a 64-bit number, found '{t}'");
            return negative ? unchecked(-(long)magnitude) : unchecked((long)magnitude);
        }

        private static long Number(SourceToken token, long min, long max, string what)
        {
            string t = token.Text;
            bool negative = t.StartsWith("-", StringComparison.Ordinal);
            string digits = t.TrimStart('+', '-');
            bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (!long.TryParse(hex ? digits.Substring(2) : digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out long magnitude)
                || magnitude < 0)
                throw token.Error($"expected a number for the {what}, found '{t}'");
            long value = negative ? -magnitude : magnitude;
            if (value < min || value > max)
                throw token.Error($"{what} {t} is out of range ({min} to {(max > int.MaxValue ? "0x" + max.ToString("x", CultureInfo.InvariantCulture) : max.ToString(CultureInfo.InvariantCulture))})");
            return value;
        }

        private static SourceToken Rest(SourceToken token, int skip)
        {
            string rest = token.Text.Substring(skip);
            int lead = rest.Length - rest.TrimStart().Length;
            return new SourceToken(rest.Trim(), token.Line, token.Column + skip + lead);
        }

        private static readonly Dictionary<string, AluOperation> AluByName = new Dictionary<string, AluOperation>(StringComparer.Ordinal)
        {
            ["add"] = AluOperation.Add, ["sub"] = AluOperation.Sub, ["mul"] = AluOperation.Mul, ["div"] = AluOperation.Div,
            ["sdiv"] = AluOperation.Div, ["or"] = AluOperation.Or, ["and"] = AluOperation.And, ["lsh"] = AluOperation.Lsh,
            ["rsh"] = AluOperation.Rsh, ["neg"] = AluOperation.Neg, ["mod"] = AluOperation.Mod, ["smod"] = AluOperation.Mod,
            ["xor"] = AluOperation.Xor, ["mov"] = AluOperation.Mov, ["arsh"] = AluOperation.Arsh,
        };

        private static readonly Dictionary<string, JumpOperation> JumpByName = new Dictionary<string, JumpOperation>(StringComparer.Ordinal)
        {
            ["jeq"] = JumpOperation.Jeq, ["jgt"] = JumpOperation.Jgt, ["jge"] = JumpOperation.Jge, ["jset"] = JumpOperation.Jset,
            ["jne"] = JumpOperation.Jne, ["jsgt"] = JumpOperation.Jsgt, ["jsge"] = JumpOperation.Jsge, ["jlt"] = JumpOperation.Jlt,
            ["jle"] = JumpOperation.Jle, ["jslt"] = JumpOperation.Jslt, ["jsle"] = JumpOperation.Jsle,
        };
    }
}
