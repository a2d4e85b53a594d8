using System;
using System.Collections.Generic;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>The context a translated filter reads the packet through.</summary>
    public enum ClassicTranslationContext
    {
        /// <summary>xdp_md: data at 0, data_end at 4; the length from bpf_xdp_get_buff_len (Linux 5.18+).</summary>
        Xdp,
        /// <summary>__sk_buff of a tc program: data at 76, data_end at 80 (the linear part), the length from len at 0.</summary>
        TrafficControl,
    }

    /// <summary>Translates a classic program into eBPF with the same decisions, as the kernel's bpf_convert_filter
    /// translates socket filters, but over direct packet access (xdp_md's or a tc program's __sk_buff): every load checks
    /// its bytes against data_end first, and a load past the end, or a division by a zero X, takes the "no match" exit,
    /// as a classic program returns 0. A non-zero return is a match. A is w8, X is w9, M[0–15] live on the stack
    /// (<see cref="FrameSize"/> bytes). Ancillary and header-relative loads read socket-buffer state the program does not
    /// see, so programs with them are refused.</summary>
    public sealed class ClassicTranslator
    {
        /// <summary>Bytes of stack a translated program uses: M[0–15], the length and the saved context.</summary>
        public const int FrameSize = 80;

        private const Register Ctx = Register.R1, Data = Register.R6, DataEnd = Register.R7, A = Register.R8, X = Register.R9;
        private const Register Pointer = Register.R2, End = Register.R3;
        private const short LengthSlot = -72, ContextSlot = -80;
        private const int HelperXdpGetBuffLength = 188;
        // Direct packet access reaches at most 64 KiB: an offset past that can never be in the packet.
        private const uint MaxOffset = 0xffff;

        private readonly List<Instruction> _code = new();
        private readonly List<(int At, int Target)> _fixups = new();
        private readonly int _fail, _match;
        private readonly ClassicTranslationContext _context;

        private ClassicTranslator(int count, ClassicTranslationContext context)
        {
            _fail = count;
            _match = count + 1;
            _context = context;
        }

        /// <summary>The eBPF instructions of an XDP program returning <paramref name="onMatch"/> for a packet
        /// <paramref name="program"/> takes and <paramref name="otherwise"/> for the rest (XDP actions: 1 drop, 2 pass…).</summary>
        /// <exception cref="ClassicProgramException">The kernel's classic rules refuse <paramref name="program"/>.</exception>
        /// <exception cref="NotSupportedException">It reads ancillary or header-relative offsets (socket-buffer state).</exception>
        public static List<Instruction> ToXdp(ClassicProgram program, int onMatch, int otherwise) =>
            Translate(program, ClassicTranslationContext.Xdp, onMatch, otherwise);

        /// <summary>The eBPF instructions of a function of the context (in r1) that returns 1 when <paramref name="program"/>
        /// takes the packet and 0 otherwise: a BPF-to-BPF subprogram an XDP or tc program calls.</summary>
        /// <exception cref="ClassicProgramException">The kernel's classic rules refuse <paramref name="program"/>.</exception>
        /// <exception cref="NotSupportedException">It reads ancillary or header-relative offsets (socket-buffer state).</exception>
        public static List<Instruction> ToFunction(ClassicProgram program, ClassicTranslationContext context) => Translate(program, context, 1, 0);

        private static List<Instruction> Translate(ClassicProgram program, ClassicTranslationContext context, int onMatch, int otherwise)
        {
            var errors = program.Validate();
            if (errors.Count > 0) throw new ClassicProgramException(errors);
            return new ClassicTranslator(program.Count, context).Translate(program, onMatch, otherwise);
        }

        private List<Instruction> Translate(ClassicProgram program, int onMatch, int otherwise)
        {
            for (short slot = -8; slot >= -64; slot -= 8) _code.Add(Instruction.StoreImmediate(MemorySize.DoubleWord, Register.R10, slot, 0));
            if (_context == ClassicTranslationContext.Xdp)
            {
                _code.Add(Instruction.Store(MemorySize.DoubleWord, Register.R10, ContextSlot, Ctx));
                _code.Add(Instruction.CallHelper(HelperXdpGetBuffLength));
                _code.Add(Instruction.Store(MemorySize.Word, Register.R10, LengthSlot, Register.R0));
                _code.Add(Instruction.Load(MemorySize.DoubleWord, Ctx, Register.R10, ContextSlot));
                _code.Add(Instruction.Load(MemorySize.Word, Data, Ctx, 0));
                _code.Add(Instruction.Load(MemorySize.Word, DataEnd, Ctx, 4));
            }
            else
            {
                _code.Add(Instruction.Load(MemorySize.Word, Register.R0, Ctx, 0)); // __sk_buff.len
                _code.Add(Instruction.Store(MemorySize.Word, Register.R10, LengthSlot, Register.R0));
                _code.Add(Instruction.Load(MemorySize.Word, Data, Ctx, 76));
                _code.Add(Instruction.Load(MemorySize.Word, DataEnd, Ctx, 80));
            }
            _code.Add(Instruction.Alu32(AluOperation.Mov, A, 0));
            _code.Add(Instruction.Alu32(AluOperation.Mov, X, 0));

            var starts = new int[program.Count + 2];
            for (int i = 0; i < program.Count; i++)
            {
                starts[i] = _code.Count;
                Translate(program[i], i);
            }
            starts[_fail] = _code.Count;
            _code.Add(Instruction.Mov64(Register.R0, otherwise));
            _code.Add(Instruction.Exit());
            starts[_match] = _code.Count;
            _code.Add(Instruction.Mov64(Register.R0, onMatch));
            _code.Add(Instruction.Exit());

            foreach (var (at, target) in _fixups)
            {
                var j = _code[at];
                int offset = starts[target] - at - 1;
                if (offset > short.MaxValue) throw new NotSupportedException("the translated program is too long for 16-bit jump offsets");
                _code[at] = new Instruction(j.Opcode, j.Destination, j.Source, (short)offset, j.Immediate);
            }
            return _code;
        }

        /// <summary>Adds <paramref name="jump"/> (offset left 0) to be pointed at classic instruction
        /// <paramref name="target"/> (or the fail/match exits).</summary>
        private void JumpTo(int target, Instruction jump)
        {
            _fixups.Add((_code.Count, target));
            _code.Add(jump);
        }

        private void Translate(ClassicInstruction ins, int index)
        {
            switch (ins.Class)
            {
                case ClassicClass.Ld:
                case ClassicClass.Ldx:
                    Load(ins);
                    break;
                case ClassicClass.St:
                case ClassicClass.Stx:
                    _code.Add(Instruction.Store(MemorySize.Word, Register.R10, Slot(ins.K), ins.Class == ClassicClass.St ? A : X));
                    break;
                case ClassicClass.Alu:
                    var op = (AluOperation)(byte)ins.AluOperation; // classic and eBPF share the ALU operation codes
                    if (ins.AluOperation == ClassicAluOperation.Neg) _code.Add(Instruction.Alu32(AluOperation.Neg, A, 0));
                    else if (!ins.UsesX) _code.Add(Instruction.Alu32(op, A, unchecked((int)ins.K)));
                    else
                    {
                        if (ins.AluOperation is ClassicAluOperation.Div or ClassicAluOperation.Mod)
                            JumpTo(_fail, Instruction.Jump(JumpOperation.Jeq, X, 0, 0));
                        _code.Add(Instruction.Alu32(op, A, X));
                    }
                    break;
                case ClassicClass.Jmp:
                    if (ins.JumpOperation == ClassicJumpOperation.Always)
                    {
                        JumpTo(index + 1 + (int)ins.K, Instruction.Ja(0));
                        break;
                    }
                    // jeq, jgt, jge, jset have the same codes in both; JMP32 compares the 32-bit A as classic does.
                    var jump = (JumpOperation)(byte)ins.JumpOperation;
                    JumpTo(index + 1 + ins.Jt, ins.UsesX
                        ? new Instruction(Opcode.Jump(InstructionClass.Jmp32, jump, OperandSource.Register), A, X, 0, 0)
                        : new Instruction(Opcode.Jump(InstructionClass.Jmp32, jump, OperandSource.Immediate), A, 0, 0, unchecked((int)ins.K)));
                    if (ins.Jf != 0) JumpTo(index + 1 + ins.Jf, Instruction.Ja(0));
                    break;
                case ClassicClass.Ret:
                    if (ins.Code == ClassicOpcode.RetA)
                    {
                        JumpTo(_match, new Instruction(Opcode.Jump(InstructionClass.Jmp32, JumpOperation.Jne, OperandSource.Immediate), A, 0, 0, 0));
                        JumpTo(_fail, Instruction.Ja(0));
                    }
                    else JumpTo(ins.K != 0 ? _match : _fail, Instruction.Ja(0));
                    break;
                case ClassicClass.Misc:
                    _code.Add(ins.Code == ClassicOpcode.Tax ? Instruction.Alu32(AluOperation.Mov, X, A) : Instruction.Alu32(AluOperation.Mov, A, X));
                    break;
            }
        }

        private static short Slot(uint k) => (short)(-4 * (int)(k + 1));

        private void Load(ClassicInstruction ins)
        {
            var into = ins.Class == ClassicClass.Ld ? A : X;
            switch (ins.Mode)
            {
                case ClassicMode.Immediate:
                    _code.Add(Instruction.Alu32(AluOperation.Mov, into, unchecked((int)ins.K)));
                    return;
                case ClassicMode.Memory:
                    _code.Add(Instruction.Load(MemorySize.Word, into, Register.R10, Slot(ins.K)));
                    return;
                case ClassicMode.Length:
                    _code.Add(Instruction.Load(MemorySize.Word, into, Register.R10, LengthSlot));
                    return;
                case ClassicMode.MultiplyShift:
                    if (!PointAt(ins.K, 1)) return;
                    _code.Add(Instruction.Load(MemorySize.Byte, X, Pointer, 0));
                    _code.Add(Instruction.Alu32(AluOperation.And, X, 0xf));
                    _code.Add(Instruction.Alu32(AluOperation.Lsh, X, 2));
                    return;
            }
            int size = ins.LoadSize switch { ClassicSize.Byte => 1, ClassicSize.Half => 2, _ => 4 };
            if (ins.Mode == ClassicMode.Absolute)
            {
                if ((int)ins.K < 0)
                    throw new NotSupportedException($"'{ClassicDisassembler.Text(ins)}' reads socket-buffer state (an ancillary field or a header-relative offset) that a translated filter does not see");
                if (!PointAt(ins.K, size)) return;
            }
            else
            {
                // X + k wraps at 32 bits as in the kernel; a "negative" offset (≥ 2^31 unsigned) is past any packet.
                _code.Add(Instruction.Alu32(AluOperation.Mov, Pointer, X));
                _code.Add(Instruction.Alu32(AluOperation.Add, Pointer, unchecked((int)ins.K)));
                JumpTo(_fail, Instruction.Jump(JumpOperation.Jgt, Pointer, (int)(MaxOffset - (uint)size), 0));
                _code.Add(Instruction.Alu64(AluOperation.Add, Pointer, Data));
                CheckEnd(size);
            }
            var width = size == 1 ? MemorySize.Byte : size == 2 ? MemorySize.Half : MemorySize.Word;
            _code.Add(Instruction.Load(width, A, Pointer, 0));
            if (size > 1) _code.Add(new Instruction(Opcode.Alu(InstructionClass.Alu, AluOperation.End, OperandSource.Register), A, 0, 0, size * 8));
        }

        /// <summary>r2 = data + k with <paramref name="size"/> bytes checked before data_end; where k is past any
        /// packet, a jump to the fail exit instead (and false).</summary>
        private bool PointAt(uint k, int size)
        {
            if (k > MaxOffset - (uint)size)
            {
                JumpTo(_fail, Instruction.Ja(0));
                return false;
            }
            _code.Add(Instruction.Mov64(Pointer, Data));
            if (k != 0) _code.Add(Instruction.Alu64(AluOperation.Add, Pointer, (int)k));
            CheckEnd(size);
            return true;
        }

        private void CheckEnd(int size)
        {
            _code.Add(Instruction.Mov64(End, Pointer));
            _code.Add(Instruction.Alu64(AluOperation.Add, End, size));
            JumpTo(_fail, Instruction.Jump(JumpOperation.Jgt, End, DataEnd, 0));
        }
    }
}
