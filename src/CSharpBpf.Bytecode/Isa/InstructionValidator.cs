namespace CSharpBpf.Bytecode.Isa
{
    /// <summary>RFC 9669's rules for which opcodes exist and which fields each must leave zero.
    /// The decoder runs them on every instruction; the assembler and compiler produce only
    /// instructions that pass.</summary>
    public static class InstructionValidator
    {
        /// <summary>Throws <see cref="InstructionDecodeException"/> if <paramref name="ins"/> is not a valid instruction.</summary>
        public static void Validate(in Instruction ins, int index)
        {
            switch (ins.Class)
            {
                case InstructionClass.Alu:
                case InstructionClass.Alu64:
                    ValidateAlu(ins, index);
                    break;
                case InstructionClass.Jmp:
                case InstructionClass.Jmp32:
                    ValidateJump(ins, index);
                    break;
                case InstructionClass.Ld:
                    ValidateLd(ins, index);
                    break;
                case InstructionClass.Ldx:
                    if (ins.MemoryMode != MemoryMode.Memory && !(ins.MemoryMode == MemoryMode.MemorySignExtend && ins.MemorySize != MemorySize.DoubleWord))
                        throw Invalid(ins, index);
                    Zero(ins.Immediate, index, "imm", ins);
                    break;
                case InstructionClass.St:
                    if (ins.MemoryMode != MemoryMode.Memory) throw Invalid(ins, index);
                    Zero((int)ins.Source, index, "src", ins);
                    break;
                case InstructionClass.Stx:
                    ValidateStx(ins, index);
                    break;
            }
        }

        private static void ValidateAlu(in Instruction ins, int index)
        {
            bool is64 = ins.Class == InstructionClass.Alu64;
            bool k = ins.OperandSource == OperandSource.Immediate;
            switch (ins.AluOperation)
            {
                case AluOperation.Neg:
                    if (!k) throw Invalid(ins, index);
                    Zero((int)ins.Source, index, "src", ins);
                    Zero(ins.Immediate, index, "imm", ins);
                    Zero(ins.Offset, index, "offset", ins);
                    return;
                case AluOperation.End:
                    if (is64 && !k) throw Invalid(ins, index);
                    Zero((int)ins.Source, index, "src", ins);
                    Zero(ins.Offset, index, "offset", ins);
                    if (ins.Immediate != 16 && ins.Immediate != 32 && ins.Immediate != 64)
                        throw new InstructionDecodeException(index, "imm", $"byte swap width must be 16, 32 or 64, is {ins.Immediate} (opcode 0x{ins.Opcode:x2})");
                    return;
                case AluOperation.Div:
                case AluOperation.Mod:
                    if (ins.Offset != 0 && ins.Offset != 1)
                        throw new InstructionDecodeException(index, "offset", $"offset of div/mod must be 0 (unsigned) or 1 (signed), is {ins.Offset} (opcode 0x{ins.Opcode:x2})");
                    break;
                case AluOperation.Mov:
                    if (k) Zero(ins.Offset, index, "offset", ins);
                    else if (ins.Offset != 0 && ins.Offset != 8 && ins.Offset != 16 && !(is64 && ins.Offset == 32))
                        throw new InstructionDecodeException(index, "offset", $"offset of mov must be 0 or a movsx width ({(is64 ? "8, 16, 32" : "8, 16")}), is {ins.Offset} (opcode 0x{ins.Opcode:x2})");
                    break;
                case AluOperation.Add:
                case AluOperation.Sub:
                case AluOperation.Mul:
                case AluOperation.Or:
                case AluOperation.And:
                case AluOperation.Lsh:
                case AluOperation.Rsh:
                case AluOperation.Xor:
                case AluOperation.Arsh:
                    Zero(ins.Offset, index, "offset", ins);
                    break;
                default:
                    throw Invalid(ins, index);
            }
            if (k) Zero((int)ins.Source, index, "src", ins);
            else Zero(ins.Immediate, index, "imm", ins);
        }

        private static void ValidateJump(in Instruction ins, int index)
        {
            bool jmp32 = ins.Class == InstructionClass.Jmp32;
            bool k = ins.OperandSource == OperandSource.Immediate;
            switch (ins.JumpOperation)
            {
                case JumpOperation.Ja:
                    if (!k) throw Invalid(ins, index);
                    Zero((int)ins.Destination, index, "dst", ins);
                    Zero((int)ins.Source, index, "src", ins);
                    if (jmp32) Zero(ins.Offset, index, "offset", ins); // ja32 jumps by imm
                    else Zero(ins.Immediate, index, "imm", ins);
                    return;
                case JumpOperation.Call:
                    if (jmp32) throw Invalid(ins, index);
                    if (!k) throw new InstructionDecodeException(index, "opcode", "callx (call through a register, opcode 0x8d) is not defined by RFC 9669 and the kernel refuses it");
                    Zero((int)ins.Destination, index, "dst", ins);
                    if ((byte)ins.Source > (byte)CallKind.Kfunc)
                        throw new InstructionDecodeException(index, "src", $"call src must be 0 (helper), 1 (local) or 2 (kfunc), is {(int)ins.Source}");
                    // A kfunc call may carry a module BTF fd index in offset; the others may not.
                    if (ins.CallKind != CallKind.Kfunc) Zero(ins.Offset, index, "offset", ins);
                    return;
                case JumpOperation.Exit:
                    if (jmp32 || !k) throw Invalid(ins, index);
                    Zero((int)ins.Destination, index, "dst", ins);
                    Zero((int)ins.Source, index, "src", ins);
                    Zero(ins.Offset, index, "offset", ins);
                    Zero(ins.Immediate, index, "imm", ins);
                    return;
                case JumpOperation.Jeq:
                case JumpOperation.Jgt:
                case JumpOperation.Jge:
                case JumpOperation.Jset:
                case JumpOperation.Jne:
                case JumpOperation.Jsgt:
                case JumpOperation.Jsge:
                case JumpOperation.Jlt:
                case JumpOperation.Jle:
                case JumpOperation.Jslt:
                case JumpOperation.Jsle:
                    if (k) Zero((int)ins.Source, index, "src", ins);
                    else Zero(ins.Immediate, index, "imm", ins);
                    return;
                default:
                    throw Invalid(ins, index);
            }
        }

        private static void ValidateLd(in Instruction ins, int index)
        {
            if (ins.IsWide)
            {
                if ((byte)ins.Source > (byte)LoadImmediateKind.MapValueByIndex)
                    throw new InstructionDecodeException(index, "src", $"lddw src must be a pseudo kind 0–6, is {(int)ins.Source}");
                Zero(ins.Offset, index, "offset", ins);
                return;
            }
            // Legacy packet loads (socket filters): r6 holds the skb implicitly, result in r0.
            if ((ins.MemoryMode == MemoryMode.Absolute || ins.MemoryMode == MemoryMode.Indirect) && ins.MemorySize != MemorySize.DoubleWord)
            {
                Zero((int)ins.Destination, index, "dst", ins);
                Zero(ins.Offset, index, "offset", ins);
                if (ins.MemoryMode == MemoryMode.Absolute) Zero((int)ins.Source, index, "src", ins);
                return;
            }
            throw Invalid(ins, index);
        }

        private static void ValidateStx(in Instruction ins, int index)
        {
            if (ins.MemoryMode == MemoryMode.Memory)
            {
                Zero(ins.Immediate, index, "imm", ins);
                return;
            }
            if (ins.MemoryMode != MemoryMode.Atomic || (ins.MemorySize != MemorySize.Word && ins.MemorySize != MemorySize.DoubleWord))
                throw Invalid(ins, index);
            switch ((AtomicOperation)ins.Immediate)
            {
                case AtomicOperation.Add:
                case AtomicOperation.Or:
                case AtomicOperation.And:
                case AtomicOperation.Xor:
                case AtomicOperation.Add | AtomicOperation.Fetch:
                case AtomicOperation.Or | AtomicOperation.Fetch:
                case AtomicOperation.And | AtomicOperation.Fetch:
                case AtomicOperation.Xor | AtomicOperation.Fetch:
                case AtomicOperation.Exchange:
                case AtomicOperation.CompareExchange:
                    return;
                default:
                    throw new InstructionDecodeException(index, "imm", $"0x{ins.Immediate:x} is not an atomic operation");
            }
        }

        private static void Zero(int value, int index, string field, in Instruction ins)
        {
            if (value != 0)
                throw new InstructionDecodeException(index, field, $"field {field} is reserved for opcode 0x{ins.Opcode:x2} and must be 0, is {value}");
        }

        private static InstructionDecodeException Invalid(in Instruction ins, int index)
            => new InstructionDecodeException(index, "opcode", $"opcode 0x{ins.Opcode:x2} is not defined by RFC 9669");
    }
}
