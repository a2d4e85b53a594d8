using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Backend
{
    /// <summary>
    /// Small clean-ups on IR before register allocation, each one a pattern clang's -O2 also removes:
    /// jumps to empty jump blocks go straight to their target, identical constant returns share one
    /// block, and a byte swap feeding only an equality test compares the unswapped value with the
    /// swapped constant (`eth.EtherType != EtherType.IPv4` needs no be16).
    /// </summary>
    internal static class IrSimplifier
    {
        public static void Simplify(IrFunction function)
        {
            FoldConstantBranches(function);
            ForwardEmptyJumps(function);
            ThreadKnownNullChecks(function);
            ReturnConstantsDirectly(function);
            MergeConstantReturns(function);
            FoldByteSwapComparisons(function);
            FoldMasksIntoNarrowStores(function);
            EliminateDeadCode(function); // drops initial values threading made dead, leaving single writes to propagate
            PropagateCopies(function);
            EliminateDeadCode(function);
            FoldConstantBranches(function); // copies propagated constants into some tests
            ForwardEmptyJumps(function); // the passes above empty some blocks
            EliminateDeadCode(function); // what fed the tests that became jumps
        }

        /// <summary>
        /// A branch whose operands are both constants becomes a jump to the side it always takes. The side it never
        /// takes is then unreachable and is not laid out: the verifier's CFG check refuses unreachable instructions.
        /// </summary>
        private static void FoldConstantBranches(IrFunction function)
        {
            foreach (var block in function.Blocks.Where(b => b.Terminator == TerminatorKind.Branch && b.Left.IsConstant && b.Right.IsConstant))
            {
                long left = block.Left.Constant, right = block.Right.Constant;
                if (block.Is32)
                {
                    // A 32-bit test compares the low halves, as signed or unsigned 32-bit numbers.
                    bool signed = block.Condition is Condition.SignedGreater or Condition.SignedGreaterOrEqual or Condition.SignedLess or Condition.SignedLessOrEqual;
                    left = signed ? (int)left : (uint)left;
                    right = signed ? (int)right : (uint)right;
                }
                block.Target = block.Condition.Evaluate(left, right) ? block.Target : block.Otherwise;
                block.Terminator = TerminatorKind.Jump;
                block.Otherwise = null;
            }
        }

        /// <summary>
        /// A block that ends by setting v (to a constant, or to a pointer known not to be null) and jumps to a
        /// block that only tests v against zero jumps straight to the side the test will take. This turns
        /// GetRefOrNullRef followed by Unsafe.IsNullRef into the single bounds check clang emits.
        /// </summary>
        private static void ThreadKnownNullChecks(IrFunction function)
        {
            IrBlock? Decide(IrBlock block, IrBlock? test)
            {
                if (test == null || test.Instructions.Count != 0 || test.Terminator != TerminatorKind.Branch || !test.Left.IsRegister || !test.Right.IsConstant
                    || test.Right.Constant != 0 || (test.Condition != Condition.Equal && test.Condition != Condition.NotEqual)) return null;
                var definition = block.Instructions.LastOrDefault(i => i.Dst == test.Left.Register);
                if (definition == null || definition.Op != IrOp.Move) return null;
                bool? isZero = definition.A.IsConstant ? definition.A.Constant == 0 : definition.NonNull ? false : (bool?)null;
                if (isZero == null) return null;
                return (test.Condition == Condition.Equal) == isZero.Value ? test.Target : test.Otherwise;
            }
            foreach (var block in function.Blocks.Where(b => b.Terminator is TerminatorKind.Jump or TerminatorKind.Branch))
            {
                if (Decide(block, block.Target) is { } target) block.Target = target;
                if (block.Terminator == TerminatorKind.Branch && Decide(block, block.Otherwise) is { } otherwise) block.Otherwise = otherwise;
            }
        }

        /// <summary>A byte or half-word store (or byte swap) ignores the upper bits, so `(byte)(x - 1)`'s mask can go.</summary>
        private static void FoldMasksIntoNarrowStores(IrFunction function)
        {
            var uses = UseCounts(function);
            foreach (var block in function.Blocks)
            {
                for (int i = 1; i < block.Instructions.Count; i++)
                {
                    var store = block.Instructions[i];
                    var mask = block.Instructions[i - 1];
                    // A narrow store, or a byte swap of the same width, reads only the bits the mask keeps.
                    bool narrowStore = store.Op == IrOp.Store && store.Size <= 2 && store.B.IsRegister && mask.Dst == store.B.Register;
                    bool swap = store.Op == IrOp.ByteSwap && store.Size <= 2 && store.A.IsRegister && mask.Dst == store.A.Register;
                    if (!(narrowStore || swap) || uses[mask.Dst] != 1) continue;
                    if (mask.Op != IrOp.Alu32 || mask.Alu != Bytecode.Isa.AluOperation.And || !mask.B.IsConstant || mask.B.Constant != (store.Size == 1 ? 0xff : 0xffff) || !mask.A.IsRegister) continue;
                    if (narrowStore) store.B = mask.A;
                    else store.A = mask.A;
                    block.Instructions.RemoveAt(i - 1);
                    i--;
                }
            }
        }

        /// <summary>
        /// `v = x` where both are written exactly once: every read of v reads x instead. x's single write
        /// precedes the copy on every path, and neither changes afterwards, so they always hold the same value.
        /// </summary>
        private static void PropagateCopies(IrFunction function)
        {
            var writes = new Dictionary<int, int>();
            foreach (var p in function.Parameters) writes[p] = 1;
            foreach (var ins in function.Blocks.SelectMany(b => b.Instructions).Where(i => i.Dst >= 0))
                writes[ins.Dst] = writes.TryGetValue(ins.Dst, out int n) ? n + 1 : 1;
            var replace = new Dictionary<int, Operand>();
            Operand Resolve(Operand o)
            {
                while (o.IsRegister && replace.TryGetValue(o.Register, out var to)) o = to;
                return o;
            }
            foreach (var ins in function.Blocks.SelectMany(b => b.Instructions))
                if (ins.Op == IrOp.Move && ins.A.IsRegister && writes[ins.Dst] == 1 && writes.TryGetValue(ins.A.Register, out int w) && w == 1)
                {
                    // A copy of itself (`x = x;` left alone in dead code once its first write was dropped) is no copy to
                    // follow: following it would never end.
                    if (Resolve(ins.A) is { IsRegister: true } root && root.Register == ins.Dst) continue;
                    replace[ins.Dst] = ins.A;
                }
            if (replace.Count == 0) return;
            foreach (var block in function.Blocks)
            {
                foreach (var ins in block.Instructions) ins.RewriteUses(Resolve);
                block.Left = Resolve(block.Left);
                block.Right = Resolve(block.Right);
            }
        }

        /// <summary>Removes side-effect-free instructions whose result nothing reads.</summary>
        private static void EliminateDeadCode(IrFunction function)
        {
            for (bool changed = true; changed;)
            {
                changed = false;
                var liveness = Liveness.Compute(function.Blocks);
                foreach (var block in function.Blocks)
                {
                    var live = new HashSet<int>(liveness.LiveOut[block]);
                    foreach (var r in block.TerminatorUses()) live.Add(r);
                    for (int i = block.Instructions.Count - 1; i >= 0; i--)
                    {
                        var ins = block.Instructions[i];
                        if (ins.Dst >= 0 && ins.IsPure && !live.Contains(ins.Dst))
                        {
                            block.Instructions.RemoveAt(i);
                            changed = true;
                            continue;
                        }
                        if (ins.Dst >= 0) live.Remove(ins.Dst);
                        foreach (var r in ins.Uses()) live.Add(r);
                    }
                }
            }
        }

        private static void ForwardEmptyJumps(IrFunction function)
        {
            IrBlock Final(IrBlock block)
            {
                var seen = new HashSet<IrBlock>();
                while (block.Instructions.Count == 0 && block.Terminator == TerminatorKind.Jump && seen.Add(block)) block = block.Target!;
                return block;
            }
            foreach (var block in function.Blocks)
            {
                if (block.Target != null) block.Target = Final(block.Target);
                if (block.Otherwise != null) block.Otherwise = Final(block.Otherwise);
                // Both sides now go to the same place (an unused bool result, `map.Update(k, v);`): the test is a jump, and
                // not a fork the verifier walks twice.
                if (block.Terminator == TerminatorKind.Branch && block.Target == block.Otherwise)
                {
                    block.Terminator = TerminatorKind.Jump;
                    block.Otherwise = null;
                }
            }
        }

        /// <summary>`v = 2; goto ret; … ret: return v` becomes `return 2` where v is read by nothing else.</summary>
        private static void ReturnConstantsDirectly(IrFunction function)
        {
            var uses = UseCounts(function);
            foreach (var block in function.Blocks.Where(b => b.Terminator == TerminatorKind.Jump && b.Instructions.Count > 0))
            {
                var target = block.Target!;
                if (target.Instructions.Count != 0 || target.Terminator != TerminatorKind.Return || !target.Left.IsRegister) continue;
                var last = block.Instructions[block.Instructions.Count - 1];
                if (last.Op != IrOp.Move || last.Dst != target.Left.Register || !last.A.IsConstant) continue;
                if (uses[last.Dst] != 1) continue; // read only by this return
                block.Instructions.RemoveAt(block.Instructions.Count - 1);
                block.Terminator = TerminatorKind.Return;
                block.Left = last.A;
                block.Target = null;
            }
        }

        private static Dictionary<int, int> UseCounts(IrFunction function)
        {
            var uses = new Dictionary<int, int>();
            foreach (var block in function.Blocks)
                foreach (var r in block.Instructions.SelectMany(i => i.Uses()).Concat(block.TerminatorUses()))
                    uses[r] = uses.TryGetValue(r, out int n) ? n + 1 : 1;
            return uses;
        }

        private static void MergeConstantReturns(IrFunction function)
        {
            var canonical = new Dictionary<long, IrBlock>();
            var replace = new Dictionary<IrBlock, IrBlock>();
            foreach (var block in function.Blocks.Where(b => b.Instructions.Count == 0 && b.Terminator == TerminatorKind.Return && b.Left.IsConstant))
            {
                if (canonical.TryGetValue(block.Left.Constant, out var first)) replace[block] = first;
                else canonical[block.Left.Constant] = block;
            }
            foreach (var block in function.Blocks)
            {
                if (block.Target != null && replace.TryGetValue(block.Target, out var t)) block.Target = t;
                if (block.Otherwise != null && replace.TryGetValue(block.Otherwise, out var o)) block.Otherwise = o;
            }
        }

        private static void FoldByteSwapComparisons(IrFunction function)
        {
            var uses = UseCounts(function);
            foreach (var block in function.Blocks.Where(b => b.Terminator == TerminatorKind.Branch && b.Left.IsRegister && b.Right.IsConstant
                         && (b.Condition == Condition.Equal || b.Condition == Condition.NotEqual)))
            {
                int index = block.Instructions.FindLastIndex(i => i.Dst == block.Left.Register);
                if (index < 0 || uses[block.Left.Register] != 1) continue;
                var swap = block.Instructions[index];
                if (swap.Op != IrOp.ByteSwap || !swap.A.IsRegister || swap.Size > 4) continue;
                // The swapped value's source must still hold the same value at the branch.
                if (block.Instructions.Skip(index + 1).Any(i => i.Dst == swap.A.Register)) continue;
                ulong constant = (ulong)block.Right.Constant & 0xffffffff;
                if (constant >> (swap.Size * 8) != 0) continue;
                ulong swapped = swap.Size == 2 ? (constant >> 8 | (constant & 0xff) << 8) : ReverseBytes32((uint)constant);
                block.Left = swap.A;
                block.Right = Operand.Const((long)swapped);
                block.Instructions.RemoveAt(index);
            }
        }

        private static uint ReverseBytes32(uint x) => (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
    }
}
