using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>Lays the block graph out and writes classic BPF: each test loads its value into A unless A already
    /// holds it on every path in (and X the IPv4 header length likewise), compares with a constant or through X, and
    /// jumps; a conditional jump that cannot reach its target (over 255 instructions) goes through a <c>ja</c>.</summary>
    internal sealed class FilterEmitter
    {
        private readonly List<ClassicInstruction> _code = new();
        private FilterValue? _a, _x;

        private FilterEmitter()
        {
        }

        public static ClassicProgram Emit(FilterBlock entry)
        {
            var far = new Dictionary<(FilterBlock, bool), JumpBlock>();
            while (true)
            {
                var layout = LayoutWithTrampolines(entry, far);
                var emitter = new FilterEmitter();
                var (code, tooFar) = emitter.Write(layout, far);
                if (tooFar.Count == 0) return new ClassicProgram(ClassicTailMerger.Merge(code));
                foreach (var edge in tooFar)
                {
                    var test = (TestBlock)edge.Block;
                    far[(test, edge.WhenTrue)] = new JumpBlock(edge.WhenTrue ? test.True : test.False);
                }
            }
        }

        /// <summary>The graph's layout with each trampoline placed right after its test.</summary>
        private static List<FilterBlock> LayoutWithTrampolines(FilterBlock entry, Dictionary<(FilterBlock, bool), JumpBlock> far)
        {
            var layout = new List<FilterBlock>();
            foreach (var block in FilterGraph.Layout(entry))
            {
                layout.Add(block);
                if (far.TryGetValue((block, false), out var whenFalse)) layout.Add(whenFalse);
                if (far.TryGetValue((block, true), out var whenTrue)) layout.Add(whenTrue);
            }
            return layout;
        }

        private (List<ClassicInstruction> Code, List<(FilterBlock Block, bool WhenTrue)> TooFar) Write(List<FilterBlock> layout, Dictionary<(FilterBlock, bool), JumpBlock> far)
        {
            // What A and X hold on entry to each block: what every predecessor leaves (null: unknown).
            var entryState = new Dictionary<FilterBlock, (FilterValue? A, FilterValue? X, bool Set)>();
            var start = new Dictionary<FilterBlock, int>();
            var jumps = new List<(int At, FilterBlock Block, FilterBlock? True, FilterBlock False)>();
            for (int i = 0; i < layout.Count; i++)
            {
                var block = layout[i];
                start[block] = _code.Count;
                (_a, _x) = entryState.TryGetValue(block, out var state) ? (state.A, state.X) : (null, null);
                switch (block)
                {
                    case ReturnBlock r:
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.RetK, r.Value));
                        break;
                    case JumpBlock j:
                        jumps.Add((_code.Count, j, null, j.Target));
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.Ja));
                        Flow(entryState, j.Target);
                        break;
                    case TestBlock t:
                        bool constant = t.Right.Constant is uint;
                        if (constant) Load(t.Left, 0);
                        else if (t.Left is ConstantValue)
                        {
                            // A constant needs no slot: the right side into X, then the constant into A.
                            Load(t.Right, 0);
                            _code.Add(ClassicInstruction.Statement(ClassicOpcode.Tax));
                            _x = t.Right;
                            Load(t.Left, 0);
                        }
                        else
                        {
                            Load(t.Left, 0);
                            _code.Add(ClassicInstruction.Statement(ClassicOpcode.St, 0));
                            _a = null;
                            Load(t.Right, 1);
                            _code.Add(ClassicInstruction.Statement(ClassicOpcode.Tax));
                            _x = t.Right;
                            _code.Add(ClassicInstruction.Statement(ClassicOpcode.LdMem, 0));
                            _a = t.Left;
                        }
                        jumps.Add((_code.Count, t, far.TryGetValue((t, true), out var farTrue) ? farTrue : t.True, far.TryGetValue((t, false), out var farFalse) ? farFalse : t.False));
                        _code.Add(ClassicInstruction.Jump(ClassicOpcode.Jump(t.Operation, !constant), t.Right.Constant ?? 0, 0, 0));
                        Flow(entryState, far.TryGetValue((t, true), out var jt) ? jt : t.True);
                        Flow(entryState, far.TryGetValue((t, false), out var jf) ? jf : t.False);
                        break;
                }
            }
            var tooFar = new List<(FilterBlock, bool)>();
            foreach (var (at, block, whenTrue, whenFalse) in jumps)
            {
                var ins = _code[at];
                if (whenTrue == null)
                {
                    _code[at] = ClassicInstruction.Statement(ClassicOpcode.Ja, (uint)(start[whenFalse] - at - 1));
                    continue;
                }
                int t = start[whenTrue] - at - 1, f = start[whenFalse] - at - 1;
                if (t > byte.MaxValue) tooFar.Add((block, true));
                if (f > byte.MaxValue) tooFar.Add((block, false));
                _code[at] = ClassicInstruction.Jump(ins.Code, ins.K, (byte)t, (byte)f);
            }
            return (_code, tooFar);

            void Flow(Dictionary<FilterBlock, (FilterValue? A, FilterValue? X, bool Set)> states, FilterBlock successor)
            {
                if (!states.TryGetValue(successor, out var known)) states[successor] = (_a, _x, true);
                else states[successor] = (Equals(known.A, _a) ? _a : null, Equals(known.X, _x) ? _x : null, true);
            }
        }

        /// <summary>Computes <paramref name="value"/> into A, using scratch slots from <paramref name="scratch"/> up.</summary>
        private void Load(FilterValue value, int scratch)
        {
            if (Equals(_a, value)) return;
            switch (value)
            {
                case ConstantValue c:
                    _code.Add(ClassicInstruction.Statement(ClassicOpcode.LdImm, c.Value));
                    break;
                case LengthValue:
                    _code.Add(ClassicInstruction.Statement(ClassicOpcode.LdLen));
                    break;
                case PacketLoad p:
                    _code.Add(ClassicInstruction.Statement(LoadCode(ClassicMode.Absolute, p.Size), p.Offset));
                    break;
                case IndexedLoad l:
                    IntoX(l.Index, scratch);
                    _code.Add(ClassicInstruction.Statement(LoadCode(ClassicMode.Indirect, l.Size), l.Offset));
                    break;
                case HeaderLength h:
                    IntoX(h, scratch);
                    _code.Add(ClassicInstruction.Statement(ClassicOpcode.Txa));
                    break;
                case NegatedValue n:
                    Load(n.Operand, scratch);
                    _code.Add(ClassicInstruction.Statement(ClassicOpcode.Neg));
                    break;
                case ArithmeticValue a:
                    if (a.Right.Constant is uint k)
                    {
                        Load(a.Left, scratch);
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.Alu(a.Operation, false), k));
                    }
                    else if (a.Right is HeaderLength)
                    {
                        Load(a.Left, scratch);
                        IntoX(a.Right, scratch);
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.Alu(a.Operation, true)));
                    }
                    else
                    {
                        if (scratch >= ClassicValidator.ScratchSlots)
                            throw new PacketFilterException(1, $"the expression's arithmetic nests deeper than the {ClassicValidator.ScratchSlots} scratch slots classic BPF has");
                        Load(a.Left, scratch);
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.St, (uint)scratch));
                        Load(a.Right, scratch + 1);
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.Tax));
                        _x = a.Right;
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.LdMem, (uint)scratch));
                        _code.Add(ClassicInstruction.Statement(ClassicOpcode.Alu(a.Operation, true)));
                    }
                    break;
            }
            _a = value;
        }

        /// <summary>Puts <paramref name="index"/> in X: the IPv4 header length with ldxb, anything else through A.</summary>
        private void IntoX(FilterValue index, int scratch)
        {
            if (Equals(_x, index)) return;
            if (index is HeaderLength h) _code.Add(ClassicInstruction.Statement(ClassicOpcode.LdxMsh, h.Offset));
            else
            {
                Load(index, scratch);
                _code.Add(ClassicInstruction.Statement(ClassicOpcode.Tax));
            }
            _x = index;
        }

        private static ushort LoadCode(ClassicMode mode, int size) =>
            (ushort)((ushort)ClassicClass.Ld | (ushort)mode | (ushort)(size == 4 ? ClassicSize.Word : size == 2 ? ClassicSize.Half : ClassicSize.Byte));
    }
}
