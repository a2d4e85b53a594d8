using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Backend
{
    /// <summary>Instruction selection and layout: IR blocks with allocated registers become eBPF
    /// instructions, with jumps resolved and relocations recorded.</summary>
    internal sealed class FunctionEmitter
    {
        private readonly List<Instruction> _code = new List<Instruction>();
        private readonly List<BpfRelocation> _relocations = new List<BpfRelocation>();
        private readonly List<CoreSite> _coreRelocations = new List<CoreSite>();
        private readonly List<(int Slot, int Line)> _lines = new List<(int, int)>();
        private readonly List<(int Index, IrBlock Target)> _jumps = new List<(int, IrBlock)>();
        private readonly Dictionary<IrBlock, int> _blockSlots = new Dictionary<IrBlock, int>();
        private Dictionary<int, Register> _registers = new Dictionary<int, Register>();
        private int _slot;
        private int _cpuVersion;

        /// <summary>Emits <paramref name="function"/> using instructions up to <paramref name="cpuVersion"/> (3 or 4, clang's -mcpu).</summary>
        public static CompiledFunction Emit(IrFunction function, int cpuVersion)
        {
            IrSimplifier.Simplify(function);
            var order = Reachable(function);
            var emitter = new FunctionEmitter { _registers = RegisterAllocator.Allocate(function, order), _cpuVersion = cpuVersion };
            return emitter.EmitFunction(function, order);
        }

        /// <summary>The reachable blocks in layout order: each block is followed by its fall-through
        /// (a jump's target, a branch's not-taken side) when that is still unplaced, so most jumps vanish.</summary>
        private static List<IrBlock> Reachable(IrFunction function)
        {
            var seen = new HashSet<IrBlock>();
            var stack = new Stack<IrBlock>();
            stack.Push(function.Blocks[0]);
            while (stack.Count > 0)
            {
                var b = stack.Pop();
                if (!seen.Add(b)) continue;
                foreach (var s in b.Successors()) stack.Push(s);
            }
            var predecessors = seen.SelectMany(b => b.Successors()).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
            int Predecessors(IrBlock b) => predecessors.TryGetValue(b, out int n) ? n : 0;
            var order = new List<IrBlock>();
            var placed = new HashSet<IrBlock>();
            foreach (var start in function.Blocks.Where(seen.Contains))
            {
                for (var block = start; block != null && placed.Add(block);)
                {
                    order.Add(block);
                    block = block.Terminator switch
                    {
                        TerminatorKind.Jump => block.Target,
                        // Fall into the side only this branch reaches (the rest of an && or ||), as clang lays
                        // it out; the emitter negates the test when the taken side follows.
                        TerminatorKind.Branch when !placed.Contains(block.Target!) && Predecessors(block.Target!) == 1 && Predecessors(block.Otherwise!) > 1
                            && block.Condition != Condition.BitsSet => block.Target,
                        TerminatorKind.Branch => block.Otherwise,
                        _ => null,
                    };
                }
            }
            return order;
        }

        private CompiledFunction EmitFunction(IrFunction function, List<IrBlock> order)
        {
            MarkLine(function.DeclarationLine);
            var parameterMoves = function.Parameters.Select((p, i) => (Destination: (Register)0, Source: (Register)(i + 1), Vreg: p))
                .Where(m => _registers.ContainsKey(m.Vreg))
                .Select(m => (_registers[m.Vreg], m.Source));
            foreach (var ins in ParallelMove.Sequence(parameterMoves)) Add(ins);

            for (int i = 0; i < order.Count; i++)
            {
                var block = order[i];
                _blockSlots[block] = _slot;
                foreach (var ins in block.Instructions)
                {
                    MarkLine(ins.Line);
                    Select(ins);
                }
                MarkLine(block.TerminatorLine);
                EmitTerminator(block, i + 1 < order.Count ? order[i + 1] : null);
            }

            foreach (var (index, target) in _jumps)
            {
                var ins = _code[index];
                int from = SlotOf(index) + 1;
                int offset = _blockSlots[target] - from;
                if (offset > short.MaxValue) throw new InvalidOperationException($"{function.Name} is too large: a jump spans more than 32767 instructions");
                _code[index] = new Instruction(ins.Opcode, ins.Destination, ins.Source, (short)offset, ins.Immediate);
            }
            return new CompiledFunction(function.Name, _code.ToArray(), _relocations, _lines, function.FrameSize) { CoreRelocations = _coreRelocations };
        }

        private int SlotOf(int index)
        {
            int slot = 0;
            for (int i = 0; i < index; i++) slot += _code[i].SlotCount;
            return slot;
        }

        private void MarkLine(int line)
        {
            if (line <= 0) return;
            if (_lines.Count > 0 && _lines[_lines.Count - 1].Line == line) return;
            if (_lines.Count > 0 && _lines[_lines.Count - 1].Slot == _slot) _lines[_lines.Count - 1] = (_slot, line);
            else _lines.Add((_slot, line));
        }

        private void Add(Instruction ins)
        {
            _code.Add(ins);
            _slot += ins.SlotCount;
        }

        private Register R(int vreg) => _registers.TryGetValue(vreg, out var r)
            ? r
            : throw new InvalidOperationException($"v{vreg} has no register");

        private Register R(Operand o) => o.IsFrame ? Register.R10 : R(o.Register);

        /// <summary>Puts a constant in <paramref name="target"/> (mov for 32-bit values, lddw otherwise).</summary>
        private void Materialize(Register target, long value)
        {
            if (value >= int.MinValue && value <= int.MaxValue) Add(Instruction.Mov64(target, (int)value));
            else if (value >= 0 && value <= uint.MaxValue) Add(Instruction.Alu32(AluOperation.Mov, target, unchecked((int)value))); // mov32 zero-extends
            else Add(Instruction.LoadImmediate64(target, value));
        }

        private void MoveTo(Register target, Operand source)
        {
            if (source.IsConstant) Materialize(target, source.Constant);
            else if (R(source) != target) Add(Instruction.Mov64(target, R(source)));
        }

        private void Select(IrInstruction ins)
        {
            switch (ins.Op)
            {
                case IrOp.Move:
                    MoveTo(R(ins.Dst), ins.A);
                    break;
                case IrOp.Alu:
                case IrOp.Alu32:
                    SelectAlu(ins);
                    break;
                case IrOp.Negate:
                    MoveTo(R(ins.Dst), ins.A);
                    Add(new Instruction(Opcode.Alu(InstructionClass.Alu64, AluOperation.Neg, OperandSource.Immediate), R(ins.Dst), 0, 0, 0));
                    break;
                case IrOp.SignExtend:
                    // movsx (cpu v4): one instruction instead of a shift pair; the 32-bit form zero-extends the result.
                    if (_cpuVersion >= 4)
                        Add(new Instruction(Opcode.Alu(ins.Signed ? InstructionClass.Alu64 : InstructionClass.Alu, AluOperation.Mov, OperandSource.Register), R(ins.Dst), R(ins.A), (short)(ins.Size * 8), 0));
                    else
                    {
                        MoveTo(R(ins.Dst), ins.A);
                        SignExtendInPlace(R(ins.Dst), ins.Size, ins.Signed);
                    }
                    break;
                case IrOp.ByteSwap:
                    MoveTo(R(ins.Dst), ins.A);
                    Add(new Instruction(Opcode.Alu(InstructionClass.Alu, AluOperation.End, OperandSource.Register), R(ins.Dst), 0, 0, ins.Size * 8));
                    break;
                case IrOp.Load:
                {
                    bool signExtend = ins.Signed && ins.Size < 8;
                    var mode = signExtend && _cpuVersion >= 4 ? MemoryMode.MemorySignExtend : MemoryMode.Memory;
                    Add(new Instruction(Opcode.Memory(InstructionClass.Ldx, mode, SizeOf(ins.Size)), R(ins.Dst), R(ins.A), checked((short)ins.Offset), 0));
                    if (signExtend && _cpuVersion < 4) SignExtendInPlace(R(ins.Dst), ins.Size, wide: true);
                    break;
                }
                case IrOp.Store:
                {
                    Register value = Register.R0;
                    if (ins.B.IsConstant) Materialize(Register.R0, ins.B.Constant);
                    else value = R(ins.B);
                    Add(Instruction.Store(SizeOf(ins.Size), R(ins.A), checked((short)ins.Offset), value));
                    break;
                }
                case IrOp.FrameAddress:
                    Add(Instruction.Mov64(R(ins.Dst), Register.R10));
                    Add(Instruction.Alu64(AluOperation.Add, R(ins.Dst), ins.Offset));
                    break;
                case IrOp.MapAddress:
                    _relocations.Add(new BpfRelocation(_slot, ins.Symbol!));
                    Add(Instruction.LoadImmediate64(R(ins.Dst), 0));
                    break;
                case IrOp.CoreValue:
                    // mov dst, imm: the instruction libbpf's CO-RE relocations patch (clang emits the same).
                    _coreRelocations.Add(new CoreSite(_slot, ins.CoreType!, ins.Symbol!, ins.Helper));
                    Add(Instruction.Mov64(R(ins.Dst), ins.Offset));
                    break;
                case IrOp.GlobalAddress:
                    _relocations.Add(new BpfRelocation(_slot, ins.Symbol!));
                    Add(Instruction.LoadImmediate64(R(ins.Dst), ins.Offset));
                    break;
                case IrOp.CallHelper:
                case IrOp.CallLocal:
                case IrOp.CallKernel:
                    SelectCall(ins);
                    break;
                case IrOp.Atomic:
                    SelectAtomic(ins);
                    break;
                case IrOp.CompareExchange:
                    MoveTo(Register.R0, ins.C);
                    Add(Instruction.Atomic(SizeOf(ins.Size), AtomicOperation.CompareExchange, R(ins.A), checked((short)ins.Offset), R(ins.B)));
                    if (ins.Dst >= 0) Add(Instruction.Mov64(R(ins.Dst), Register.R0));
                    break;
                default:
                    throw new InvalidOperationException("unknown IR operation " + ins.Op);
            }
        }

        /// <summary>Sign-extends the low <paramref name="size"/> bytes of <paramref name="r"/> with a shift pair (cpu v3): into
        /// 64 bits, or (<paramref name="wide"/> false) into 32 bits with the upper half zeroed, as movsx's two forms do.</summary>
        private void SignExtendInPlace(Register r, int size, bool wide)
        {
            var cls = wide ? InstructionClass.Alu64 : InstructionClass.Alu;
            int shift = (wide ? 64 : 32) - size * 8;
            Add(new Instruction(Opcode.Alu(cls, AluOperation.Lsh, OperandSource.Immediate), r, 0, 0, shift));
            Add(new Instruction(Opcode.Alu(cls, AluOperation.Arsh, OperandSource.Immediate), r, 0, 0, shift));
        }

        /// <summary>
        /// Signed division or remainder by a constant without sdiv/smod (cpu v3): divide the magnitudes unsigned and give
        /// the result the sign C# gives it (a quotient negative when the signs differ, a remainder the dividend's sign).
        /// Every constant works: a 32-bit operation's immediate is read as unsigned, so |int.MinValue| = 2^31 fits it; a
        /// 64-bit magnitude beyond a sign-extended immediate (up to |long.MinValue| = 2^63) is divided by from r0.
        /// </summary>
        private void SignedDivideByConstant(Register d, Operand a, long divisor, bool wide, bool remainder)
        {
            var cls = wide ? InstructionClass.Alu64 : InstructionClass.Alu;
            var jmp = wide ? InstructionClass.Jmp : InstructionClass.Jmp32;
            ulong magnitude = wide ? (divisor < 0 ? unchecked((ulong)-divisor) : (ulong)divisor) : (uint)Math.Abs(divisor);
            bool inRegister = wide && magnitude > int.MaxValue;
            MoveTo(d, a);
            if (inRegister) Materialize(Register.R0, unchecked((long)magnitude));
            var op = remainder ? AluOperation.Mod : AluOperation.Div;
            Instruction Divide() => inRegister
                ? new Instruction(Opcode.Alu(cls, op, OperandSource.Register), d, Register.R0, 0, 0)
                : new Instruction(Opcode.Alu(cls, op, OperandSource.Immediate), d, 0, 0, unchecked((int)(uint)magnitude));
            Instruction Alu(AluOperation operation, Register source) => new Instruction(Opcode.Alu(cls, operation, OperandSource.Register), d, source, 0, 0);
            if (inRegister)
            {
                // The magnitude takes r0: if (d >= 0) goto positive; d = -(-d op m); goto done; positive: d = d op m; done:
                Add(new Instruction(Opcode.Jump(jmp, JumpOperation.Jsge, OperandSource.Immediate), d, 0, 4, 0));
                Add(new Instruction(Opcode.Alu(cls, AluOperation.Neg, OperandSource.Immediate), d, 0, 0, 0));
                Add(Divide());
                Add(new Instruction(Opcode.Alu(cls, AluOperation.Neg, OperandSource.Immediate), d, 0, 0, 0));
                Add(Instruction.Ja(1));
                Add(Divide());
            }
            else
            {
                // Without a branch, which would fork the verifier's states at every division: r0 = d >> 63 (all ones when
                // negative), d = (d ^ r0) - r0 is |d| (|MinValue| as its unsigned pattern), and the same again after the
                // unsigned operation gives the result the dividend's sign.
                Add(new Instruction(Opcode.Alu(cls, AluOperation.Mov, OperandSource.Register), Register.R0, d, 0, 0));
                Add(new Instruction(Opcode.Alu(cls, AluOperation.Arsh, OperandSource.Immediate), Register.R0, 0, 0, wide ? 63 : 31));
                Add(Alu(AluOperation.Xor, Register.R0));
                Add(Alu(AluOperation.Sub, Register.R0));
                Add(Divide());
                Add(Alu(AluOperation.Xor, Register.R0));
                Add(Alu(AluOperation.Sub, Register.R0));
            }
            if (divisor < 0 && !remainder) Add(new Instruction(Opcode.Alu(cls, AluOperation.Neg, OperandSource.Immediate), d, 0, 0, 0));
        }

        private void SelectAlu(IrInstruction ins)
        {
            bool wide = ins.Op == IrOp.Alu;
            var d = R(ins.Dst);
            var op = ins.Alu;
            if (ins.Signed && (op == AluOperation.Div || op == AluOperation.Mod) && _cpuVersion < 4)
            {
                // A 32-bit operation's constant may be held as its unsigned 32-bit pattern. The front end refuses a divisor
                // that is not a nonzero constant (BPF0010).
                long divisor = ins.B.IsConstant ? (wide ? ins.B.Constant : unchecked((int)ins.B.Constant)) : 0;
                if (divisor == 0) throw new InvalidOperationException("signed division by a register needs cpu v4 (sdiv)");
                SignedDivideByConstant(d, ins.A, divisor, wide, op == AluOperation.Mod);
                return;
            }
            short signedOffset = (short)(ins.Signed && (op == AluOperation.Div || op == AluOperation.Mod) ? 1 : 0);
            Instruction Apply(Register target, Operand b)
            {
                var cls = wide ? InstructionClass.Alu64 : InstructionClass.Alu;
                if (b.IsConstant) return new Instruction(Opcode.Alu(cls, op, OperandSource.Immediate), target, 0, signedOffset, (int)b.Constant);
                return new Instruction(Opcode.Alu(cls, op, OperandSource.Register), target, R(b), signedOffset, 0);
            }

            var a = ins.A;
            var right = ins.B;
            if (!wide && right.IsConstant) right = Operand.Const(unchecked((int)right.Constant));
            if (!wide && a.IsConstant) a = Operand.Const((uint)a.Constant);
            if (right.IsConstant && !right.IsImmediate32)
            {
                // Only lddw holds a 64-bit constant: put it in r0 and operate register to register.
                Materialize(Register.R0, right.Constant);
                if (a.IsRegister && R(a) != d) Add(Instruction.Mov64(d, R(a)));
                else if (a.IsConstant) Materialize(d, a.Constant);
                Add(wide
                    ? new Instruction(Opcode.Alu(InstructionClass.Alu64, op, OperandSource.Register), d, Register.R0, signedOffset, 0)
                    : new Instruction(Opcode.Alu(InstructionClass.Alu, op, OperandSource.Register), d, Register.R0, signedOffset, 0));
                return;
            }

            if (op == AluOperation.Mov)
            {
                Add(Apply(d, right));
                return;
            }
            if (a.IsRegister && R(a) == d)
            {
                Add(Apply(d, right));
                return;
            }
            if (right.IsRegister && R(right) == d)
            {
                if (IsCommutative(op) && a.IsRegister)
                {
                    Add(Apply(d, a));
                    return;
                }
                // d is b's register: compute in r0 so b survives until it is read.
                MoveTo(Register.R0, a);
                Add(Apply(Register.R0, right));
                Add(Instruction.Mov64(d, Register.R0));
                return;
            }
            MoveTo(d, a);
            Add(Apply(d, right));
        }

        private static bool IsCommutative(AluOperation op) =>
            op == AluOperation.Add || op == AluOperation.Mul || op == AluOperation.And || op == AluOperation.Or || op == AluOperation.Xor;

        private void SelectCall(IrInstruction ins)
        {
            var registerArgs = new List<(Register, Register)>();
            for (int i = 0; i < ins.Arguments.Count; i++)
                if (!ins.Arguments[i].IsConstant) registerArgs.Add(((Register)(i + 1), R(ins.Arguments[i])));
            foreach (var move in ParallelMove.Sequence(registerArgs)) Add(move);
            for (int i = 0; i < ins.Arguments.Count; i++)
                if (ins.Arguments[i].IsConstant) Materialize((Register)(i + 1), ins.Arguments[i].Constant);
            if (ins.Op == IrOp.CallHelper)
            {
                Add(Instruction.CallHelper(ins.Helper));
            }
            else
            {
                _relocations.Add(new BpfRelocation(_slot, ins.Symbol!));
                Add(Instruction.CallLocal(-1));
            }
            if (ins.Dst >= 0) Add(Instruction.Mov64(R(ins.Dst), Register.R0));
        }

        private void SelectAtomic(IrInstruction ins)
        {
            bool fetch = ins.Dst >= 0;
            Register source;
            if (fetch)
            {
                // The fetch form writes the old value into its source register; r0 when the result's
                // register is the address's.
                source = R(ins.Dst) == R(ins.A) ? Register.R0 : R(ins.Dst);
                MoveTo(source, ins.B);
            }
            else if (ins.B.IsConstant)
            {
                source = Register.R0;
                Materialize(source, ins.B.Constant);
            }
            else
            {
                source = R(ins.B);
            }
            var op = ins.Atomic == AtomicOperation.Exchange ? AtomicOperation.Exchange : ins.Atomic | (fetch ? AtomicOperation.Fetch : 0);
            Add(Instruction.Atomic(SizeOf(ins.Size), op, R(ins.A), checked((short)ins.Offset), source));
            if (fetch && source == Register.R0) Add(Instruction.Mov64(R(ins.Dst), Register.R0));
        }

        private void EmitTerminator(IrBlock block, IrBlock? next)
        {
            switch (block.Terminator)
            {
                case TerminatorKind.Return:
                    MoveTo(Register.R0, block.Left);
                    Add(Instruction.Exit());
                    break;
                case TerminatorKind.Jump:
                    if (block.Target != next) JumpTo(block.Target!);
                    break;
                case TerminatorKind.Branch:
                    EmitBranch(block, next);
                    break;
                default:
                    throw new InvalidOperationException($"block {block} has no terminator");
            }
        }

        private void EmitBranch(IrBlock block, IrBlock? next)
        {
            var condition = block.Condition;
            var left = block.Left;
            var right = block.Right;
            if (left.IsConstant && right.IsConstant)
                throw new InvalidOperationException("a branch on two constants reached the emitter: IrSimplifier folds them");
            if (left.IsConstant)
            {
                (left, right) = (right, left);
                condition = condition.Swap();
            }
            var taken = block.Target!;
            var notTaken = block.Otherwise!;
            if (taken == next && condition != Condition.BitsSet)
            {
                condition = condition.Negate();
                (taken, notTaken) = (notTaken, taken);
            }
            Register leftRegister = R(left);
            var cls = block.Is32 ? InstructionClass.Jmp32 : InstructionClass.Jmp;
            if (block.Is32 && right.IsConstant) right = Operand.Const(unchecked((int)right.Constant));
            if (right.IsConstant && !right.IsImmediate32)
            {
                Materialize(Register.R0, right.Constant);
                _jumps.Add((_code.Count, taken));
                Add(new Instruction(Opcode.Jump(cls, condition.ToJump(), OperandSource.Register), leftRegister, Register.R0, 0, 0));
            }
            else if (right.IsConstant)
            {
                _jumps.Add((_code.Count, taken));
                Add(new Instruction(Opcode.Jump(cls, condition.ToJump(), OperandSource.Immediate), leftRegister, 0, 0, (int)right.Constant));
            }
            else
            {
                _jumps.Add((_code.Count, taken));
                Add(new Instruction(Opcode.Jump(cls, condition.ToJump(), OperandSource.Register), leftRegister, R(right), 0, 0));
            }
            if (notTaken != next) JumpTo(notTaken);
        }

        private void JumpTo(IrBlock target)
        {
            _jumps.Add((_code.Count, target));
            Add(Instruction.Ja(0));
        }

        private static MemorySize SizeOf(int bytes) => bytes switch
        {
            1 => MemorySize.Byte,
            2 => MemorySize.Half,
            4 => MemorySize.Word,
            8 => MemorySize.DoubleWord,
            _ => throw new InvalidOperationException($"no {bytes}-byte access"),
        };
    }
}
