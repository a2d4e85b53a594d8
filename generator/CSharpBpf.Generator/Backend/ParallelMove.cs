using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Generator.Backend
{
    /// <summary>Sequences register-to-register moves that happen "at once" (arguments into r1–r5,
    /// parameters out of them), breaking cycles through r0, which the allocator never hands out.</summary>
    internal static class ParallelMove
    {
        public static IEnumerable<Instruction> Sequence(IEnumerable<(Register Destination, Register Source)> moves)
        {
            var pending = moves.Where(m => m.Destination != m.Source).ToList();
            while (pending.Count > 0)
            {
                int ready = pending.FindIndex(m => !pending.Any(o => o.Source == m.Destination));
                if (ready >= 0)
                {
                    var m = pending[ready];
                    pending.RemoveAt(ready);
                    yield return Instruction.Mov64(m.Destination, m.Source);
                    continue;
                }
                // Every destination is still needed as a source: a cycle. Park one source in r0.
                var parked = pending[0];
                yield return Instruction.Mov64(Register.R0, parked.Source);
                for (int i = 0; i < pending.Count; i++)
                    if (pending[i].Source == parked.Source) pending[i] = (pending[i].Destination, Register.R0);
            }
        }
    }
}
