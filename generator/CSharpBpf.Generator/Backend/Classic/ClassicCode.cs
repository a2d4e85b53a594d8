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

        /// <summary>A ja whose target is the next instruction does nothing (a test folded to a constant leaves one).</summary>
        private void RemoveJumpsToNext()
        {
            for (int i = _items.Count - 1; i >= 0; i--)
            {
                var item = _items[i];
                if (item.Label != null || item.WhenTrue != null || item.WhenFalse == null) continue;
                int next = i + 1;
                while (next < _items.Count && _items[next].Label != null && !ReferenceEquals(_items[next].Label, item.WhenFalse)) next++;
                if (next < _items.Count && ReferenceEquals(_items[next].Label, item.WhenFalse)) _items.RemoveAt(i);
            }
        }

        /// <summary>A store to a scratch slot nothing ever loads is dead (values are stored when computed, in case a later
        /// instruction needs them again).</summary>
        private void RemoveDeadStores()
        {
            var loaded = new HashSet<uint>();
            foreach (var item in _items)
                if (item.Label == null && item.Instruction.Code is ClassicOpcode.LdMem or ClassicOpcode.LdxMem) loaded.Add(item.Instruction.K);
            _items.RemoveAll(item => item.Label == null && item.Instruction.Code == ClassicOpcode.St && !loaded.Contains(item.Instruction.K));
        }

        /// <summary>A <c>ret #k</c> only jumps reach (nothing falls into it) is replaced by the last <c>ret #k</c> of the program,
        /// which every jump to it can reach (it is further on), as libseccomp shares its actions.</summary>
        private void ShareReturns()
        {
            var last = new Dictionary<uint, int>();
            for (int i = 0; i < _items.Count; i++)
                if (_items[i].Label == null && _items[i].Instruction.Code == ClassicOpcode.RetK) last[_items[i].Instruction.K] = i;
            var shared = new Dictionary<uint, object>();
            var replaced = new Dictionary<object, object>();
            var removed = new HashSet<int>();
            for (int i = 0; i < _items.Count; i++)
            {
                var item = _items[i];
                if (item.Label != null || item.Instruction.Code != ClassicOpcode.RetK || last[item.Instruction.K] == i) continue;
                int first = i;
                while (first > 0 && _items[first - 1].Label != null) first--;
                bool fallsIn = first > 0 && !EndsFlow(_items[first - 1]);
                if (fallsIn || first == i) continue;
                if (!shared.TryGetValue(item.Instruction.K, out var label)) shared[item.Instruction.K] = label = new object();
                for (int j = first; j <= i; j++)
                {
                    if (_items[j].Label != null) replaced[_items[j].Label!] = label;
                    removed.Add(j);
                }
            }
            if (removed.Count == 0) return;
            var kept = new List<Item>();
            for (int i = 0; i < _items.Count; i++)
            {
                if (removed.Contains(i)) continue;
                var item = _items[i];
                if (item.Label == null && item.Instruction.Code == ClassicOpcode.RetK && last[item.Instruction.K] == i && shared.TryGetValue(item.Instruction.K, out var label))
                    kept.Add(new Item { Label = label });
                if (item.WhenTrue != null && replaced.TryGetValue(item.WhenTrue, out var t)) item.WhenTrue = t;
                if (item.WhenFalse != null && replaced.TryGetValue(item.WhenFalse, out var f)) item.WhenFalse = f;
                kept.Add(item);
            }
            _items.Clear();
            _items.AddRange(kept);
        }

        /// <summary>True when the next instruction is reached only by a jump: after a jump or a ret.</summary>
        private static bool EndsFlow(Item item) =>
            item.Label == null && (item.Instruction.Class is ClassicClass.Jmp or ClassicClass.Ret);

        public void Goto(object target) => _items.Add(new Item { Instruction = ClassicInstruction.Statement(ClassicOpcode.Ja), WhenFalse = target });

        /// <summary>The program with every jump resolved. Labels must all be placed after the jumps to them.</summary>
        public ClassicProgram Resolve()
        {
            RemoveJumpsToNext();
            RemoveDeadStores();
            ShareReturns();
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
