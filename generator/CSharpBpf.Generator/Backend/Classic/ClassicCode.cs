using System.Collections.Generic;
using CSharpBpf.Bytecode.Classic;

namespace CSharpBpf.Generator.Backend.Classic
{
    /// <summary>Classic BPF being written, with jumps to labels: <see cref="Resolve"/> lays it out, and a conditional jump
    /// whose target is more than 255 instructions ahead (jt and jf are bytes) goes through a <c>ja</c> placed right after it.</summary>
    internal sealed class ClassicCode
    {
        private sealed class Item
        {
            public ClassicInstruction Instruction;
            public object? Label;
            public object? WhenTrue, WhenFalse;
        }

        private readonly List<Item> _items = new List<Item>();

        public void Label(object label) => _items.Add(new Item { Label = label });

        public void Statement(ushort code, uint k = 0) => _items.Add(new Item { Instruction = ClassicInstruction.Statement(code, k) });

        public void Jump(ushort code, uint k, object whenTrue, object whenFalse) =>
            _items.Add(new Item { Instruction = ClassicInstruction.Jump(code, k, 0, 0), WhenTrue = whenTrue, WhenFalse = whenFalse });

        public void Goto(object target) => _items.Add(new Item { Instruction = ClassicInstruction.Statement(ClassicOpcode.Ja), WhenFalse = target });

        /// <summary>The program with every jump resolved. Labels must all be placed after the jumps to them.</summary>
        public ClassicProgram Resolve()
        {
            while (true)
            {
                var at = new Dictionary<object, int>();
                int pc = 0;
                foreach (var item in _items)
                {
                    if (item.Label != null) at[item.Label] = pc;
                    else pc++;
                }
                var code = new List<ClassicInstruction>();
                int farIndex = -1;
                bool farTrue = false;
                for (int i = 0; i < _items.Count && farIndex < 0; i++)
                {
                    var item = _items[i];
                    if (item.Label != null) continue;
                    int here = code.Count;
                    var ins = item.Instruction;
                    if (item.WhenTrue != null)
                    {
                        int t = at[item.WhenTrue] - here - 1, f = at[item.WhenFalse!] - here - 1;
                        if (t < 0 || f < 0) throw new System.InvalidOperationException("a classic BPF jump goes backwards");
                        if (t > byte.MaxValue || f > byte.MaxValue) { farIndex = i; farTrue = t > byte.MaxValue; break; }
                        ins = ClassicInstruction.Jump(ins.Code, ins.K, (byte)t, (byte)f);
                    }
                    else if (item.WhenFalse != null)
                    {
                        int offset = at[item.WhenFalse] - here - 1;
                        if (offset < 0) throw new System.InvalidOperationException("a classic BPF jump goes backwards");
                        ins = ClassicInstruction.Statement(ClassicOpcode.Ja, (uint)offset);
                    }
                    code.Add(ins);
                }
                if (farIndex < 0) return new ClassicProgram(code);
                // The far side goes to a ja, which reaches anywhere.
                var jump = _items[farIndex];
                var trampoline = new object();
                var target = farTrue ? jump.WhenTrue! : jump.WhenFalse!;
                if (farTrue) jump.WhenTrue = trampoline; else jump.WhenFalse = trampoline;
                // Nothing falls through a conditional jump, so the ja can sit right after it.
                _items.InsertRange(farIndex + 1, new[]
                {
                    new Item { Label = trampoline },
                    new Item { Instruction = ClassicInstruction.Statement(ClassicOpcode.Ja), WhenFalse = target },
                });
            }
        }
    }
}
