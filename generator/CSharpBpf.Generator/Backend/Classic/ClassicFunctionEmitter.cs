using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Backend.Classic
{
    /// <summary>
    /// The classic BPF back end: one IR function (loop-free, its only parameter a context of 32-bit words, as struct
    /// seccomp_data is) written as cBPF into a <see cref="ClassicCode"/>. Every 64-bit IR value is a pair of 32-bit words,
    /// each a constant, a context word (re-read with <c>ld [k]</c> whenever needed) or a scratch slot M[0–15]; comparisons
    /// of 64-bit values are split into their halves (high first), as the kernel's seccomp documentation asks. What cBPF
    /// cannot do — calls, maps, memory, loops, 64-bit arithmetic whose high half is then used — is a
    /// <see cref="ClassicBackendError"/> at the line that asked for it.
    /// </summary>
    internal sealed class ClassicFunctionEmitter
    {
        private enum WordKind { Constant, Context, Slot, Unknown }

        /// <summary>A 32-bit word: a constant, context word at an offset, scratch slot, or a half 64-bit arithmetic left
        /// unknown (the line that computed it, for the error if it is used).</summary>
        private readonly record struct Word(WordKind Kind, uint Value)
        {
            public static Word Constant(uint k) => new Word(WordKind.Constant, k);
            public static Word Context(int offset) => new Word(WordKind.Context, (uint)offset);
            public static Word Slot(int slot) => new Word(WordKind.Slot, (uint)slot);
            public static Word Unknown(int line) => new Word(WordKind.Unknown, (uint)line);
            public bool IsConstant => Kind == WordKind.Constant;
        }

        private readonly record struct Pair(Word Lo, Word Hi)
        {
            public static Pair Constant(long value) => new Pair(Word.Constant((uint)value), Word.Constant((uint)(value >> 32)));
            public bool IsConstant => Lo.IsConstant && Hi.IsConstant;
            public long ConstantValue => (long)((ulong)Hi.Value << 32 | Lo.Value);
        }

        private readonly ClassicCode _code;
        private readonly IrFunction _function;
        private readonly Dictionary<int, Pair> _values = new Dictionary<int, Pair>();
        private readonly HashSet<int> _contextPointers = new HashSet<int>();
        private readonly Dictionary<int, int> _definitions = new Dictionary<int, int>();
        private readonly Dictionary<int, int> _alias = new Dictionary<int, int>();
        private readonly Dictionary<int, int> _end = new Dictionary<int, int>();
        private readonly Dictionary<int, (int Lo, int Hi)> _homes = new Dictionary<int, (int, int)>();
        private readonly Dictionary<int, int> _unknownHigh = new Dictionary<int, int>();
        // Which value owns each scratch slot (-1: a temporary of one instruction; null: free).
        private readonly int?[] _slots = new int?[ClassicValidator.ScratchSlots];
        private readonly Dictionary<IrBlock, (Word? A, Word? X)> _entry = new Dictionary<IrBlock, (Word?, Word?)>();
        private Word? _a, _x;
        private int _position, _line;

        private ClassicFunctionEmitter(ClassicCode code, IrFunction function)
        {
            _code = code;
            _function = function;
        }

        /// <summary>Writes <paramref name="function"/> into <paramref name="code"/>, starting at the label of its entry block;
        /// <paramref name="contextWordInA"/> is the offset of the context word A holds on the way in, if it holds one.</summary>
        public static void Emit(ClassicCode code, IrFunction function, int? contextWordInA = null)
        {
            IrSimplifier.Simplify(function);
            var emitter = new ClassicFunctionEmitter(code, function);
            if (contextWordInA is int offset) emitter._entry[function.Blocks[0]] = (Word.Context(offset), null);
            emitter.EmitFunction();
        }

        public static object EntryLabel(IrFunction function) => function.Blocks[0];

        private void EmitFunction()
        {
            var order = Layout();
            // One line's operations name the same construct: a map lookup's key goes through the stack, so say "map".
            var refused = order.SelectMany(b => b.Instructions).Where(i => Rank(i.Op) > 0).OrderBy(i => i.Line).ThenByDescending(i => Rank(i.Op)).FirstOrDefault();
            if (refused != null)
            {
                _line = refused.Line;
                Instruction(refused);
            }
            foreach (int parameter in _function.Parameters) _contextPointers.Add(parameter);
            Plan(order);
            _position = 0;
            for (int i = 0; i < order.Count; i++)
            {
                var block = order[i];
                _code.Label(block);
                (_a, _x) = _entry.TryGetValue(block, out var state) ? state : (null, null);
                foreach (var instruction in block.Instructions)
                {
                    FreeTemporaries();
                    _line = instruction.Line;
                    Instruction(instruction);
                    _position++;
                }
                FreeTemporaries();
                _line = block.TerminatorLine;
                Terminator(block, i + 1 < order.Count ? order[i + 1] : null);
                _position++;
            }
        }

        /// <summary>How specifically an operation names what cBPF lacks (0: it has it).</summary>
        private static int Rank(IrOp op) => op switch
        {
            IrOp.MapAddress => 6,
            IrOp.CallLocal or IrOp.CallHelper or IrOp.CallKernel => 5,
            IrOp.Atomic or IrOp.CompareExchange => 4,
            IrOp.GlobalAddress => 3,
            IrOp.ByteSwap => 2,
            IrOp.FrameAddress or IrOp.Store => 1,
            _ => 0,
        };

        // ---- layout and planning ----

        /// <summary>The reachable blocks in topological order (every jump forward); a cycle is a loop cBPF cannot run.</summary>
        private List<IrBlock> Layout()
        {
            var order = new List<IrBlock>();
            var state = new Dictionary<IrBlock, bool>(); // false: on the path, true: done
            void Visit(IrBlock block)
            {
                state[block] = false;
                foreach (var next in block.Successors().Reverse())
                {
                    if (!state.TryGetValue(next, out bool done)) Visit(next);
                    else if (!done)
                        throw new ClassicBackendError(block.TerminatorLine, "a loop", "classic BPF jumps only forward: write the cases out, or compare against a set with a switch");
                }
                state[block] = true;
                order.Add(block);
            }
            Visit(_function.Blocks[0]);
            order.Reverse();
            return order;
        }

        /// <summary>Counts definitions, joins copies of values never redefined with their source, and finds where each
        /// value is last needed in the layout (in a loop-free layout, a value is live only between its first definition
        /// and its last use, so that interval decides when its slots are free again).</summary>
        private void Plan(List<IrBlock> order)
        {
            var definitions = order.SelectMany(b => b.Instructions).Where(i => i.Dst >= 0).GroupBy(i => i.Dst);
            foreach (var g in definitions) _definitions[g.Key] = g.Count();
            int position = 0;
            foreach (var block in order)
            {
                foreach (var instruction in block.Instructions)
                {
                    if (instruction.Op == IrOp.Move && instruction.A.IsRegister && instruction.Dst >= 0
                        && Defined(instruction.Dst) == 1 && Defined(instruction.A.Register) <= 1)
                        _alias[instruction.Dst] = Root(instruction.A.Register);
                    foreach (int use in instruction.Uses()) Touch(use, position);
                    if (instruction.Dst >= 0) Touch(instruction.Dst, position);
                    position++;
                }
                foreach (int use in block.TerminatorUses()) Touch(use, position);
                position++;
            }
        }

        private int Defined(int register) => _definitions.TryGetValue(register, out int n) ? n : 0;

        private int Root(int register) => _alias.TryGetValue(register, out int root) ? root : register;

        private void Touch(int register, int position)
        {
            int root = Root(register);
            _end[root] = _end.TryGetValue(root, out int end) ? System.Math.Max(end, position) : position;
        }

        private int AllocateSlot(int owner)
        {
            for (int s = 0; s < _slots.Length; s++)
            {
                if (_slots[s] is int o && (o < 0 || !_end.TryGetValue(o, out int end) || end >= _position)) continue;
                _slots[s] = owner;
                if (_x == Word.Slot(s)) _x = null;
                if (_a == Word.Slot(s)) _a = null;
                return s;
            }
            throw new ClassicBackendError(_line, "this many values at once",
                $"classic BPF keeps computed values in {ClassicValidator.ScratchSlots} 32-bit scratch slots: compute fewer values before they are used, or compare fields of the context directly");
        }

        private void FreeTemporaries()
        {
            for (int s = 0; s < _slots.Length; s++)
                if (_slots[s] == -1) _slots[s] = null;
        }

        // ---- instructions ----

        private void Instruction(IrInstruction ins)
        {
            switch (ins.Op)
            {
                case IrOp.Move:
                    if (ins.A.IsRegister && _contextPointers.Contains(ins.A.Register)) { _contextPointers.Add(ins.Dst); return; }
                    Define(ins.Dst, Value(ins.A));
                    return;
                case IrOp.Load:
                    if (!ins.A.IsRegister || !_contextPointers.Contains(ins.A.Register))
                        throw new ClassicBackendError(ins.Line, "a read of memory other than the context", "a classic filter reads only its context (SeccompData's properties): keep values in scalar locals");
                    Define(ins.Dst, ContextLoad(ins.Offset, ins.Size, ins.Dst));
                    return;
                case IrOp.Alu32 when ins.Alu == AluOperation.Mov:
                    Define(ins.Dst, new Pair(Value(ins.B).Lo, Word.Constant(0))); // truncation to 32 bits
                    return;
                case IrOp.Alu when ins.Alu == AluOperation.Mov:
                    Define(ins.Dst, Value(ins.B));
                    return;
                case IrOp.Alu32:
                    Define(ins.Dst, new Pair(Compute32(ins.Alu, Value(ins.A).Lo, Value(ins.B).Lo, ins.Signed, ins.Dst), Word.Constant(0)));
                    return;
                case IrOp.Alu:
                    Define(ins.Dst, Compute64(ins.Alu, Value(ins.A), Value(ins.B), ins.Signed, ins.Dst));
                    return;
                case IrOp.Negate:
                {
                    var a = Value(ins.A);
                    Define(ins.Dst, a.IsConstant ? Pair.Constant(-a.ConstantValue) : new Pair(Compute32(AluOperation.Sub, Word.Constant(0), a.Lo, false, ins.Dst), Word.Unknown(_line)));
                    return;
                }
                case IrOp.SignExtend:
                    Define(ins.Dst, SignExtend(Value(ins.A), ins.Size, ins.Signed, ins.Dst));
                    return;
                case IrOp.CallHelper:
                    throw new ClassicBackendError(ins.Line, "a helper call", "a classic filter calls nothing: compute the answer from the context alone");
                case IrOp.CallLocal:
                    throw new ClassicBackendError(ins.Line, $"the call to '{ins.Symbol}'", "classic BPF has no calls: write that logic inline in the filter method");
                case IrOp.CallKernel:
                    throw new ClassicBackendError(ins.Line, $"the kernel function '{ins.Symbol}'", "a classic filter calls nothing");
                case IrOp.MapAddress:
                    throw new ClassicBackendError(ins.Line, $"the map '{ins.Symbol}'", "classic BPF has no maps: a filter decides from the context alone");
                case IrOp.GlobalAddress:
                    throw new ClassicBackendError(ins.Line, "a static field", "classic BPF has no global data: use a const");
                case IrOp.FrameAddress:
                case IrOp.Store:
                    throw new ClassicBackendError(ins.Line, "a struct, array or address-taken local", "classic BPF has no stack, only 16 scratch words: use scalar locals");
                case IrOp.ByteSwap:
                    throw new ClassicBackendError(ins.Line, "a byte swap", "classic BPF has no byte-swap instruction: compare with the swapped constant");
                default:
                    throw new ClassicBackendError(ins.Line, $"the operation {ins.Op}", "classic BPF has no such instruction");
            }
        }

        /// <summary>The value of an operand; a context pointer used as a number is refused.</summary>
        private Pair Value(Operand operand)
        {
            if (operand.IsConstant) return Pair.Constant(operand.Constant);
            if (!operand.IsRegister) throw new ClassicBackendError(_line, "the frame pointer", "classic BPF has no stack");
            if (_contextPointers.Contains(operand.Register))
                throw new ClassicBackendError(_line, "the context as a value", "read its properties instead");
            int register = Root(operand.Register);
            if (!_values.TryGetValue(register, out var value))
                throw new System.InvalidOperationException($"v{register} is used before it is defined");
            return value;
        }

        /// <summary>Gives <paramref name="register"/> its value: a value defined once is described where it is; one defined
        /// on several paths lives in its own slots (its home), written by every definition.</summary>
        private void Define(int register, Pair value)
        {
            if (Defined(register) <= 1)
            {
                _values[Root(register)] = value;
                return;
            }
            if (!_homes.TryGetValue(register, out var home))
            {
                home = (AllocateSlot(register), AllocateSlot(register));
                _homes[register] = home;
                _values[register] = new Pair(Word.Slot(home.Lo), Word.Slot(home.Hi));
            }
            StoreInto(value.Lo, home.Lo);
            if (value.Hi.Kind == WordKind.Unknown) _unknownHigh[register] = (int)value.Hi.Value;
            else StoreInto(value.Hi, home.Hi);
            if (_unknownHigh.TryGetValue(register, out int line)) _values[register] = new Pair(Word.Slot(home.Lo), Word.Unknown(line));
        }

        private void StoreInto(Word word, int slot)
        {
            if (word == Word.Slot(slot)) return;
            LoadA(word);
            Store(slot);
        }

        private void Store(int slot)
        {
            _code.Statement(ClassicOpcode.St, (uint)slot);
            if (_x == Word.Slot(slot)) _x = null;
            _a = Word.Slot(slot);
        }

        /// <summary>Puts the computed A in a slot owned by <paramref name="owner"/>.</summary>
        private Word Materialize(int owner)
        {
            int slot = AllocateSlot(owner);
            Store(slot);
            return Word.Slot(slot);
        }

        private Pair ContextLoad(int offset, int size, int owner)
        {
            switch (size)
            {
                case 4: return new Pair(Word.Context(offset), Word.Constant(0));
                case 8: return new Pair(Word.Context(offset), Word.Context(offset + 4));
                default:
                    // Only whole words can be loaded: shift the part down and mask it (little-endian).
                    var word = Word.Context(offset & ~3);
                    var shifted = Compute32(AluOperation.Rsh, word, Word.Constant((uint)(offset & 3) * 8), false, owner);
                    return new Pair(Compute32(AluOperation.And, shifted, Word.Constant(size == 1 ? 0xffu : 0xffffu), false, owner), Word.Constant(0));
            }
        }

        private Pair SignExtend(Pair value, int size, bool to64, int owner)
        {
            var lo = value.Lo;
            if (size < 4)
            {
                uint mask = size == 1 ? 0xffu : 0xffffu, sign = size == 1 ? 0x80u : 0x8000u;
                // ((x & mask) ^ sign) - sign: the narrow value with its sign carried up through bit 31.
                lo = Compute32(AluOperation.Sub, Compute32(AluOperation.Xor, Compute32(AluOperation.And, lo, Word.Constant(mask), false, owner), Word.Constant(sign), false, owner), Word.Constant(sign), false, owner);
            }
            if (!to64) return new Pair(lo, Word.Constant(0));
            if (lo.IsConstant) return new Pair(lo, Word.Constant((uint)((int)lo.Value >> 31)));
            // The high word is 0 or ~0: (lo >> 31) negated.
            LoadA(lo);
            _code.Statement(ClassicOpcode.Alu(ClassicAluOperation.Rsh, false), 31);
            _code.Statement(ClassicOpcode.Neg);
            _a = null;
            return new Pair(lo, Materialize(owner));
        }

        /// <summary>A 32-bit operation, folded where the operands allow; otherwise computed into a slot of <paramref name="owner"/>.</summary>
        private Word Compute32(AluOperation op, Word a, Word b, bool signed, int owner)
        {
            Require(a);
            Require(b);
            if ((op is AluOperation.Div or AluOperation.Mod) && signed)
                throw new ClassicBackendError(_line, "signed division", "classic BPF divides unsigned numbers only: divide uint values");
            if (op == AluOperation.Arsh)
                throw new ClassicBackendError(_line, "a signed right shift", "classic BPF shifts right without the sign: shift a uint");
            if (a.IsConstant && b.IsConstant) return Word.Constant(Fold32(op, a.Value, b.Value));
            if (b.IsConstant && IsIdentity(op, b.Value)) return a;
            if (a.IsConstant && b.IsConstant == false && op is AluOperation.Add or AluOperation.Or or AluOperation.Xor or AluOperation.And or AluOperation.Mul)
            {
                (a, b) = (b, a);
                if (IsIdentity(op, b.Value)) return a;
            }
            if (b.IsConstant && (op == AluOperation.And && b.Value == 0 || op == AluOperation.Mul && b.Value == 0)) return Word.Constant(0);
            var classic = ToClassic(op);
            if (b.IsConstant)
            {
                LoadA(a);
                _code.Statement(ClassicOpcode.Alu(classic, false), b.Value);
            }
            else
            {
                if (op is AluOperation.Div or AluOperation.Mod)
                    throw new ClassicBackendError(_line, "division by a variable", "divide by a constant (a cBPF division by zero ends the filter)");
                LoadX(b);
                LoadA(a);
                _code.Statement(ClassicOpcode.Alu(classic, true));
            }
            _a = null;
            return Materialize(owner);
        }

        private Pair Compute64(AluOperation op, Pair a, Pair b, bool signed, int owner)
        {
            if (a.IsConstant && b.IsConstant) return Pair.Constant(Fold64(op, a.ConstantValue, b.ConstantValue, signed));
            if (b.IsConstant && IsIdentity64(op, b.ConstantValue)) return a;
            switch (op)
            {
                case AluOperation.And:
                case AluOperation.Or:
                case AluOperation.Xor:
                    return new Pair(Compute32(op, a.Lo, b.Lo, false, owner), Compute32(op, a.Hi, b.Hi, false, owner));
                case AluOperation.Lsh when b.IsConstant:
                {
                    int n = (int)(b.ConstantValue & 63);
                    if (n >= 32) return new Pair(Word.Constant(0), Compute32(AluOperation.Lsh, a.Lo, Word.Constant((uint)(n - 32)), false, owner));
                    var hi = Compute32(AluOperation.Or, Compute32(AluOperation.Lsh, a.Hi, Word.Constant((uint)n), false, owner), Compute32(AluOperation.Rsh, a.Lo, Word.Constant((uint)(32 - n)), false, owner), false, owner);
                    return new Pair(Compute32(AluOperation.Lsh, a.Lo, Word.Constant((uint)n), false, owner), hi);
                }
                case AluOperation.Rsh when b.IsConstant:
                {
                    int n = (int)(b.ConstantValue & 63);
                    if (n >= 32) return new Pair(Compute32(AluOperation.Rsh, a.Hi, Word.Constant((uint)(n - 32)), false, owner), Word.Constant(0));
                    var lo = Compute32(AluOperation.Or, Compute32(AluOperation.Rsh, a.Lo, Word.Constant((uint)n), false, owner), Compute32(AluOperation.Lsh, a.Hi, Word.Constant((uint)(32 - n)), false, owner), false, owner);
                    return new Pair(lo, Compute32(AluOperation.Rsh, a.Hi, Word.Constant((uint)n), false, owner));
                }
                case AluOperation.Add:
                case AluOperation.Sub:
                case AluOperation.Mul:
                    // The low word of a 64-bit sum, difference or product is the 32-bit one; the high word needs carries cBPF cannot see.
                    return new Pair(Compute32(op, a.Lo, b.Lo, false, owner), Word.Unknown(_line));
                case AluOperation.Div when !signed && a.Hi == Word.Constant(0) && b.Hi == Word.Constant(0):
                case AluOperation.Mod when !signed && a.Hi == Word.Constant(0) && b.Hi == Word.Constant(0):
                    return new Pair(Compute32(op, a.Lo, b.Lo, false, owner), Word.Constant(0));
                default:
                    return new Pair(Word.Unknown(_line), Word.Unknown(_line));
            }
        }

        private void Require(Word word)
        {
            if (word.Kind == WordKind.Unknown)
                throw new ClassicBackendError((int)word.Value, "64-bit arithmetic",
                    "classic BPF computes 32 bits at a time: compare 64-bit values directly (or with & masks), and do arithmetic on int or uint");
        }

        private static bool IsIdentity(AluOperation op, uint k) => k == 0 && op is AluOperation.Add or AluOperation.Sub or AluOperation.Or or AluOperation.Xor or AluOperation.Lsh or AluOperation.Rsh
            || k == 1 && op is AluOperation.Mul or AluOperation.Div
            || k == uint.MaxValue && op == AluOperation.And;

        private static bool IsIdentity64(AluOperation op, long k) => k == 0 && op is AluOperation.Add or AluOperation.Sub or AluOperation.Or or AluOperation.Xor or AluOperation.Lsh or AluOperation.Rsh
            || k == 1 && op is AluOperation.Mul or AluOperation.Div
            || k == -1 && op == AluOperation.And;

        private uint Fold32(AluOperation op, uint a, uint b)
        {
            unchecked
            {
                return op switch
                {
                    AluOperation.Add => a + b,
                    AluOperation.Sub => a - b,
                    AluOperation.Mul => a * b,
                    AluOperation.Div when b != 0 => a / b,
                    AluOperation.Mod when b != 0 => a % b,
                    AluOperation.Or => a | b,
                    AluOperation.And => a & b,
                    AluOperation.Xor => a ^ b,
                    AluOperation.Lsh => a << (int)(b & 31),
                    AluOperation.Rsh => a >> (int)(b & 31),
                    _ => throw new ClassicBackendError(_line, $"the constant operation {op}", "it divides by zero"),
                };
            }
        }

        private long Fold64(AluOperation op, long a, long b, bool signed)
        {
            unchecked
            {
                return op switch
                {
                    AluOperation.Add => a + b,
                    AluOperation.Sub => a - b,
                    AluOperation.Mul => a * b,
                    AluOperation.Div when b != 0 => signed ? a / b : (long)((ulong)a / (ulong)b),
                    AluOperation.Mod when b != 0 => signed ? a % b : (long)((ulong)a % (ulong)b),
                    AluOperation.Or => a | b,
                    AluOperation.And => a & b,
                    AluOperation.Xor => a ^ b,
                    AluOperation.Lsh => a << (int)(b & 63),
                    AluOperation.Rsh => (long)((ulong)a >> (int)(b & 63)),
                    AluOperation.Arsh => a >> (int)(b & 63),
                    _ => throw new ClassicBackendError(_line, $"the constant operation {op}", "it divides by zero"),
                };
            }
        }

        private ClassicAluOperation ToClassic(AluOperation op) => op switch
        {
            AluOperation.Add => ClassicAluOperation.Add,
            AluOperation.Sub => ClassicAluOperation.Sub,
            AluOperation.Mul => ClassicAluOperation.Mul,
            AluOperation.Div => ClassicAluOperation.Div,
            AluOperation.Mod => ClassicAluOperation.Mod,
            AluOperation.Or => ClassicAluOperation.Or,
            AluOperation.And => ClassicAluOperation.And,
            AluOperation.Xor => ClassicAluOperation.Xor,
            AluOperation.Lsh => ClassicAluOperation.Lsh,
            AluOperation.Rsh => ClassicAluOperation.Rsh,
            _ => throw new ClassicBackendError(_line, $"the operation {op}", "classic BPF has no such instruction"),
        };

        private void LoadA(Word word)
        {
            Require(word);
            if (_a == word) return;
            switch (word.Kind)
            {
                case WordKind.Constant: _code.Statement(ClassicOpcode.LdImm, word.Value); break;
                case WordKind.Context: _code.Statement(ClassicOpcode.LdWAbs, word.Value); break;
                default: _code.Statement(ClassicOpcode.LdMem, word.Value); break;
            }
            _a = word;
        }

        private void LoadX(Word word)
        {
            Require(word);
            if (_x == word) return;
            switch (word.Kind)
            {
                case WordKind.Constant: _code.Statement(ClassicOpcode.LdxImm, word.Value); break;
                case WordKind.Slot: _code.Statement(ClassicOpcode.LdxMem, word.Value); break;
                default:
                    LoadA(word); // context words reach X through A
                    _code.Statement(ClassicOpcode.Tax);
                    break;
            }
            _x = word;
        }

        // ---- terminators ----

        private void Terminator(IrBlock block, IrBlock? next)
        {
            switch (block.Terminator)
            {
                case TerminatorKind.Return:
                {
                    var value = Value(block.Left).Lo;
                    if (value.IsConstant) _code.Statement(ClassicOpcode.RetK, value.Value);
                    else
                    {
                        LoadA(value);
                        _code.Statement(ClassicOpcode.RetA);
                    }
                    break;
                }
                case TerminatorKind.Jump:
                    Flow(block.Target!);
                    if (block.Target != next) _code.Goto(block.Target!);
                    break;
                case TerminatorKind.Branch:
                    Compare(block.Condition, Value(block.Left), Value(block.Right), block.Is32, block.Target!, block.Otherwise!);
                    break;
                default:
                    throw new ClassicBackendError(_line, "a path without a return", "every path of a filter returns an action");
            }
        }

        /// <summary>Records what A and X hold on the way into <paramref name="target"/>: what every way in agrees on.</summary>
        private void Flow(object target)
        {
            if (target is not IrBlock block) return;
            if (!_entry.TryGetValue(block, out var known)) _entry[block] = (_a, _x);
            else _entry[block] = (known.A == _a ? _a : null, known.X == _x ? _x : null);
        }

        private void Goto(object target)
        {
            Flow(target);
            _code.Goto(target);
        }

        private void Compare(Condition condition, Pair left, Pair right, bool is32, object whenTrue, object whenFalse)
        {
            switch (condition)
            {
                case Condition.NotEqual: Compare(Condition.Equal, left, right, is32, whenFalse, whenTrue); return;
                case Condition.Less: Compare(Condition.Greater, right, left, is32, whenTrue, whenFalse); return;
                case Condition.LessOrEqual: Compare(Condition.GreaterOrEqual, right, left, is32, whenTrue, whenFalse); return;
                case Condition.SignedLess: Compare(Condition.SignedGreater, right, left, is32, whenTrue, whenFalse); return;
                case Condition.SignedLessOrEqual: Compare(Condition.SignedGreaterOrEqual, right, left, is32, whenTrue, whenFalse); return;
            }
            bool signed = condition is Condition.SignedGreater or Condition.SignedGreaterOrEqual;
            var kind = condition switch
            {
                Condition.Equal => ClassicJumpOperation.Equal,
                Condition.Greater or Condition.SignedGreater => ClassicJumpOperation.Greater,
                Condition.GreaterOrEqual or Condition.SignedGreaterOrEqual => ClassicJumpOperation.GreaterOrEqual,
                _ => ClassicJumpOperation.AnyBitSet,
            };
            if (is32)
            {
                Compare32(kind, signed, left.Lo, right.Lo, whenTrue, whenFalse);
                return;
            }
            // The high words decide unless they are equal; then the low words, always unsigned.
            switch (kind)
            {
                case ClassicJumpOperation.Equal:
                    if (!HighWordsSettle(ClassicJumpOperation.Equal, false, left.Hi, right.Hi, whenFalse, whenFalse, out var equalHigh)) return;
                    Continue(equalHigh);
                    break;
                case ClassicJumpOperation.AnyBitSet:
                    if (!(left.Hi.IsConstant && right.Hi.IsConstant && (left.Hi.Value & right.Hi.Value) == 0))
                    {
                        if (left.Hi.IsConstant && right.Hi.IsConstant) { Goto(whenTrue); return; }
                        var low = new object();
                        Compare32(ClassicJumpOperation.AnyBitSet, false, left.Hi, right.Hi, whenTrue, low);
                        Continue(low);
                    }
                    break;
                default:
                    if (!HighWordsSettle(ClassicJumpOperation.Greater, signed, left.Hi, right.Hi, whenTrue, whenFalse, out var sameHigh)) return;
                    Continue(sameHigh);
                    break;
            }
            Compare32(kind, false, left.Lo, right.Lo, whenTrue, whenFalse);
        }

        /// <summary>Tests the high words: jumps to <paramref name="whenGreater"/> when left's is greater (or, for equality, to
        /// <paramref name="whenDifferent"/> when they differ), to <paramref name="whenDifferent"/> when they differ otherwise,
        /// and falls on to the low words at <paramref name="same"/>. False when constants settled it with a jump.</summary>
        private bool HighWordsSettle(ClassicJumpOperation kind, bool signed, Word left, Word right, object whenGreater, object whenDifferent, out object? same)
        {
            same = null;
            if (left.IsConstant && right.IsConstant)
            {
                if (left.Value == right.Value) return true;
                bool greater = signed ? (int)left.Value > (int)right.Value : left.Value > right.Value;
                Goto(kind == ClassicJumpOperation.Greater && greater ? whenGreater : whenDifferent);
                return false;
            }
            same = new object();
            if (kind == ClassicJumpOperation.Greater)
            {
                var notGreater = new object();
                Compare32(ClassicJumpOperation.Greater, signed, left, right, whenGreater, notGreater);
                Continue(notGreater);
                // Not above an unsigned 0 is equal to it (and nothing is below it): straight on to the low words.
                if (!signed && right == Word.Constant(0)) return true;
                if (!signed && left == Word.Constant(uint.MaxValue)) return true;
            }
            Compare32(ClassicJumpOperation.Equal, false, left, right, same, whenDifferent);
            return true;
        }

        private void Continue(object? label)
        {
            if (label == null) return;
            _code.Label(label);
        }

        /// <summary>One cBPF test of A against k or X, with the jump's two targets.</summary>
        private void Compare32(ClassicJumpOperation kind, bool signed, Word left, Word right, object whenTrue, object whenFalse)
        {
            Require(left);
            Require(right);
            if (signed)
            {
                // Unsigned order of x ^ 0x80000000 is the signed order of x.
                left = Flip(left);
                right = Flip(right);
            }
            if (left.IsConstant && right.IsConstant)
            {
                bool taken = kind switch
                {
                    ClassicJumpOperation.Equal => left.Value == right.Value,
                    ClassicJumpOperation.Greater => left.Value > right.Value,
                    ClassicJumpOperation.GreaterOrEqual => left.Value >= right.Value,
                    _ => (left.Value & right.Value) != 0,
                };
                Goto(taken ? whenTrue : whenFalse);
                return;
            }
            // Unsigned facts that need no test: x >= 0, x & 0 and x > 0xffffffff.
            if (right.IsConstant && (kind == ClassicJumpOperation.GreaterOrEqual && right.Value == 0 || kind == ClassicJumpOperation.AnyBitSet && right.Value == 0
                || kind == ClassicJumpOperation.Greater && right.Value == uint.MaxValue))
            {
                Goto(kind == ClassicJumpOperation.GreaterOrEqual ? whenTrue : whenFalse);
                return;
            }
            if (left.IsConstant && (kind == ClassicJumpOperation.Greater && left.Value == 0 || kind == ClassicJumpOperation.GreaterOrEqual && left.Value == uint.MaxValue
                || kind == ClassicJumpOperation.AnyBitSet && left.Value == 0))
            {
                Goto(kind == ClassicJumpOperation.GreaterOrEqual ? whenTrue : whenFalse);
                return;
            }
            if (left.IsConstant)
            {
                // k OP x: equality and jset are symmetric; k > x is !(x >= k), k >= x is !(x > k).
                (left, right) = (right, left);
                if (kind == ClassicJumpOperation.Greater) { kind = ClassicJumpOperation.GreaterOrEqual; (whenTrue, whenFalse) = (whenFalse, whenTrue); }
                else if (kind == ClassicJumpOperation.GreaterOrEqual) { kind = ClassicJumpOperation.Greater; (whenTrue, whenFalse) = (whenFalse, whenTrue); }
            }
            if (right.IsConstant)
            {
                LoadA(left);
                _code.Jump(ClassicOpcode.Jump(kind, false), right.Value, whenTrue, whenFalse);
            }
            else
            {
                LoadX(right);
                LoadA(left);
                _code.Jump(ClassicOpcode.Jump(kind, true), 0, whenTrue, whenFalse);
            }
            Flow(whenTrue);
            Flow(whenFalse);
        }

        private Word Flip(Word word)
        {
            if (word.IsConstant) return Word.Constant(word.Value ^ 0x80000000u);
            LoadA(word);
            _code.Statement(ClassicOpcode.Alu(ClassicAluOperation.Xor, false), 0x80000000u);
            _a = null;
            return Materialize(-1);
        }
    }
}
