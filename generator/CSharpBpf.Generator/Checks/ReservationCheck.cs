using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Frontend;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// The verifier's reference rule for ring-buffer records: a record from BpfRingBuffer.Reserve must reach Submit or
    /// Discard on every path that finds it non-null, or the program is refused with "Unreleased reference". Forward
    /// dataflow over the blocks: which registers hold which live reservation (named by the line that made it); a null
    /// test's null edge ends it, a Submit or Discard of it ends it, and handing it to a subprogram leaves the rule to the
    /// callee. Returns each return that can leave a reservation open, with the reservation's line: the kernel refuses the
    /// program at that exit, so that is where the user must act.
    /// </summary>
    internal static class ReservationCheck
    {
        public static IReadOnlyList<(int ReturnLine, int ReserveLine)> Leaks(IrFunction function)
        {
            var leaks = new SortedSet<(int, int)>();
            ForwardDataflow.Run(function, new Dictionary<int, int>(), live => new Dictionary<int, int>(live), (block, live) =>
            {
                foreach (var ins in block.Instructions) Step(ins, live);
                if (block.Terminator == TerminatorKind.Return)
                    foreach (int line in live.Values) leaks.Add((block.TerminatorLine, line));
                return Edges(block, live);
            }, Merge);
            return leaks.ToList();
        }

        private static void Step(IrInstruction ins, Dictionary<int, int> live)
        {
            if (ins.Op == IrOp.CallHelper && ins.Helper is HelperIds.RingbufSubmit or HelperIds.RingbufDiscard
                || ins.Op == IrOp.CallLocal)
            {
                foreach (var argument in ins.Arguments.Where(a => a.IsRegister))
                    if (live.TryGetValue(argument.Register, out int reservation)) Release(live, reservation);
            }
            if (ins.Dst < 0) return;
            if (ins.Op == IrOp.CallHelper && ins.Helper == HelperIds.RingbufReserve) live[ins.Dst] = ins.Line;
            else if (ins.Op == IrOp.Move && ins.A.IsRegister && live.TryGetValue(ins.A.Register, out int copied)) live[ins.Dst] = copied;
            else live.Remove(ins.Dst);
        }

        private static void Release(Dictionary<int, int> live, int reservation)
        {
            foreach (int register in live.Where(p => p.Value == reservation).Select(p => p.Key).ToList()) live.Remove(register);
        }

        private static IEnumerable<(IrBlock, Dictionary<int, int>)> Edges(IrBlock block, Dictionary<int, int> live)
        {
            switch (block.Terminator)
            {
                case TerminatorKind.Jump:
                    yield return (block.Target!, live);
                    break;
                case TerminatorKind.Branch:
                    bool nullTest = block.Left.IsRegister && block.Right.IsConstant && block.Right.Constant == 0 && live.ContainsKey(block.Left.Register)
                        && block.Condition is Condition.Equal or Condition.NotEqual;
                    var isNull = new Dictionary<int, int>(live);
                    if (nullTest) Release(isNull, live[block.Left.Register]); // a null record holds nothing to release
                    var notNull = new Dictionary<int, int>(live);
                    if (!nullTest)
                    {
                        yield return (block.Target!, live);
                        yield return (block.Otherwise!, notNull);
                        break;
                    }
                    yield return (block.Target!, block.Condition == Condition.Equal ? isNull : notNull);
                    yield return (block.Otherwise!, block.Condition == Condition.Equal ? notNull : isNull);
                    break;
            }
        }

        /// <summary>Adds <paramref name="other"/>'s live reservations to <paramref name="into"/>; true when it changed.</summary>
        private static bool Merge(Dictionary<int, int> into, Dictionary<int, int> other)
        {
            bool changed = false;
            foreach (var pair in other)
            {
                if (into.ContainsKey(pair.Key)) continue;
                into[pair.Key] = pair.Value;
                changed = true;
            }
            return changed;
        }
    }
}
