using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Backend
{
    /// <summary>Which virtual registers are live into and out of each block (backward dataflow to a fixed point).</summary>
    internal sealed class Liveness
    {
        private Liveness(Dictionary<IrBlock, HashSet<int>> liveIn, Dictionary<IrBlock, HashSet<int>> liveOut)
        {
            LiveIn = liveIn;
            LiveOut = liveOut;
        }

        public Dictionary<IrBlock, HashSet<int>> LiveIn { get; }
        public Dictionary<IrBlock, HashSet<int>> LiveOut { get; }

        public static Liveness Compute(IReadOnlyList<IrBlock> blocks)
        {
            var uses = new Dictionary<IrBlock, HashSet<int>>();
            var defs = new Dictionary<IrBlock, HashSet<int>>();
            foreach (var b in blocks)
            {
                var u = new HashSet<int>();
                var d = new HashSet<int>();
                foreach (var ins in b.Instructions)
                {
                    foreach (var r in ins.Uses()) if (!d.Contains(r)) u.Add(r);
                    if (ins.Dst >= 0) d.Add(ins.Dst);
                }
                foreach (var r in b.TerminatorUses()) if (!d.Contains(r)) u.Add(r);
                uses[b] = u;
                defs[b] = d;
            }

            var liveIn = blocks.ToDictionary(b => b, _ => new HashSet<int>());
            var liveOut = blocks.ToDictionary(b => b, _ => new HashSet<int>());
            bool changed = true;
            while (changed)
            {
                changed = false;
                for (int i = blocks.Count - 1; i >= 0; i--)
                {
                    var b = blocks[i];
                    var output = liveOut[b];
                    foreach (var s in b.Successors())
                        foreach (var r in liveIn[s])
                            if (output.Add(r)) changed = true;
                    var input = liveIn[b];
                    foreach (var r in uses[b]) if (input.Add(r)) changed = true;
                    foreach (var r in output)
                        if (!defs[b].Contains(r) && input.Add(r)) changed = true;
                }
            }
            return new Liveness(liveIn, liveOut);
        }
    }
}
