using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Backend
{
    /// <summary>
    /// Linear-scan register allocation of virtual registers onto r1–r9. r0 stays free as the
    /// backend's scratch (return values, parallel-move cycles, wide constants); r10 is the frame.
    /// A value live across a call gets a callee-saved r6–r9. When registers run out, the value
    /// whose interval ends furthest away is spilled: its uses and definitions are rewritten into
    /// short-lived temporaries that load from and store to an 8-byte frame slot (8-byte spills keep
    /// the verifier's view of pointers), and allocation runs again.
    /// </summary>
    internal static class RegisterAllocator
    {
        private static readonly Register[] CallerSaved = { Register.R1, Register.R2, Register.R3, Register.R4, Register.R5 };
        private static readonly Register[] CalleeSaved = { Register.R6, Register.R7, Register.R8, Register.R9 };

        public static Dictionary<int, Register> Allocate(IrFunction function, IReadOnlyList<IrBlock> order)
        {
            for (int round = 0; ; round++)
            {
                var intervals = BuildIntervals(function, order);
                var spilled = new HashSet<int>();
                var assignment = Scan(intervals, spilled);
                if (spilled.Count == 0) return assignment;
                if (round == 16)
                    throw new InvalidOperationException($"register allocation of {function.Name} did not converge; still spilling {string.Join(", ", spilled.Select(r => "v" + r))} in: "
                        + string.Join(" | ", order.Select(b => b + ": " + string.Join("; ", b.Instructions) + $"; {b.Terminator} {b.Left} {b.Condition} {b.Right} -> {b.Target} / {b.Otherwise}")));
                Spill(function, order, spilled);
            }
        }

        private sealed class Interval
        {
            public int Register;
            public int Start = int.MaxValue;
            public int End = int.MinValue;
            public bool CrossesCall;
            public int Hint = -1;
            public Register? Fixed;
            public void Cover(int position)
            {
                if (position < Start) Start = position;
                if (position > End) End = position;
            }
        }

        // Instruction n of the linear order uses its operands at 2n and defines its result at 2n+1,
        // so a value whose last use is an instruction's operand frees its register for the result.
        private static List<Interval> BuildIntervals(IrFunction function, IReadOnlyList<IrBlock> order)
        {
            var liveness = Liveness.Compute(order);
            var intervals = new Dictionary<int, Interval>();
            Interval Get(int r) => intervals.TryGetValue(r, out var i) ? i : intervals[r] = new Interval { Register = r };
            foreach (var p in function.Parameters) Get(p).Cover(-1);

            var calls = new List<int>();
            int n = 0;
            foreach (var block in order)
            {
                int blockStart = 2 * n;
                foreach (var r in liveness.LiveIn[block]) Get(r).Cover(blockStart);
                foreach (var ins in block.Instructions)
                {
                    foreach (var r in ins.Uses()) Get(r).Cover(2 * n);
                    if (ins.Dst >= 0)
                    {
                        var d = Get(ins.Dst);
                        d.Cover(2 * n + 1);
                        if ((ins.Op == IrOp.Move || ins.Op == IrOp.Alu || ins.Op == IrOp.Alu32) && ins.A.IsRegister) d.Hint = ins.A.Register;
                    }
                    if (ins.ClobbersCallerSaved)
                    {
                        calls.Add(n);
                        // An argument computed just for the call is best made in its argument register.
                        for (int a = 0; a < ins.Arguments.Count; a++)
                            if (ins.Arguments[a].IsRegister) Get(ins.Arguments[a].Register).Fixed ??= (Register)(a + 1);
                    }
                    n++;
                }
                foreach (var r in block.TerminatorUses()) Get(r).Cover(2 * n);
                int blockEnd = 2 * n + 1;
                foreach (var r in liveness.LiveOut[block]) Get(r).Cover(blockEnd);
                n++;
            }
            foreach (var i in intervals.Values)
                i.CrossesCall = calls.Any(c => i.Start < 2 * c && i.End > 2 * c + 1);
            return intervals.Values.OrderBy(i => i.Start).ThenBy(i => i.Register).ToList();
        }

        private static Dictionary<int, Register> Scan(List<Interval> intervals, HashSet<int> spilled)
        {
            var assignment = new Dictionary<int, Register>();
            var active = new List<Interval>();
            foreach (var current in intervals)
            {
                active.RemoveAll(a => a.End < current.Start);
                var candidates = current.CrossesCall ? CalleeSaved : CallerSaved.Concat(CalleeSaved).ToArray();
                var busy = new HashSet<Register>(active.Select(a => assignment[a.Register]));
                var free = candidates.Where(r => !busy.Contains(r)).ToList();
                if (free.Count > 0)
                {
                    Register chosen = free[0];
                    if (current.Fixed is Register wanted && free.Contains(wanted)) chosen = wanted;
                    if (current.Hint >= 0 && assignment.TryGetValue(current.Hint, out var hinted) && free.Contains(hinted)) chosen = hinted;
                    assignment[current.Register] = chosen;
                    active.Add(current);
                    continue;
                }
                var victim = active.Where(a => candidates.Contains(assignment[a.Register])).OrderByDescending(a => a.End).First();
                if (victim.End > current.End)
                {
                    assignment[current.Register] = assignment[victim.Register];
                    assignment.Remove(victim.Register);
                    active.Remove(victim);
                    spilled.Add(victim.Register);
                    active.Add(current);
                }
                else
                {
                    spilled.Add(current.Register);
                }
            }
            return assignment;
        }

        private static void Spill(IrFunction function, IReadOnlyList<IrBlock> order, HashSet<int> spilled)
        {
            var slots = spilled.ToDictionary(r => r, _ => function.AllocateFrame(8, 8));
            IrInstruction LoadSlot(int slot, out int temp)
            {
                temp = function.NewRegister();
                return new IrInstruction(IrOp.Load) { Dst = temp, A = Operand.Frame, Offset = slot, Size = 8 };
            }
            IrInstruction StoreSlot(int slot, int value) => new IrInstruction(IrOp.Store) { A = Operand.Frame, Offset = slot, Size = 8, B = Operand.Reg(value) };

            foreach (var block in order)
            {
                var rewritten = new List<IrInstruction>();
                foreach (var ins in block.Instructions)
                {
                    var loaded = new Dictionary<int, int>();
                    foreach (var r in ins.Uses().Distinct().Where(spilled.Contains))
                    {
                        rewritten.Add(LoadSlot(slots[r], out int t).WithLine(ins.Line));
                        loaded[r] = t;
                    }
                    if (loaded.Count > 0) ins.RewriteUses(o => o.IsRegister && loaded.TryGetValue(o.Register, out int t) ? Operand.Reg(t) : o);
                    rewritten.Add(ins);
                    if (ins.Dst >= 0 && spilled.Contains(ins.Dst))
                    {
                        int slot = slots[ins.Dst];
                        ins.Dst = function.NewRegister();
                        rewritten.Add(StoreSlot(slot, ins.Dst).WithLine(ins.Line));
                    }
                }
                var terminatorLoads = new Dictionary<int, int>();
                foreach (var r in block.TerminatorUses().Distinct().Where(spilled.Contains))
                {
                    rewritten.Add(LoadSlot(slots[r], out int t).WithLine(block.TerminatorLine));
                    terminatorLoads[r] = t;
                }
                Operand Map(Operand o) => o.IsRegister && terminatorLoads.TryGetValue(o.Register, out int t) ? Operand.Reg(t) : o;
                block.Left = Map(block.Left);
                block.Right = Map(block.Right);
                block.Instructions.Clear();
                block.Instructions.AddRange(rewritten);
            }

            // A spilled parameter arrives in a fresh register and goes to its slot first thing.
            var entry = order[0];
            for (int i = 0; i < function.Parameters.Count; i++)
            {
                int p = function.Parameters[i];
                if (!spilled.Contains(p)) continue;
                int fresh = function.NewRegister();
                function.Parameters[i] = fresh;
                entry.Instructions.Insert(0, StoreSlot(slots[p], fresh));
            }
        }

        private static IrInstruction WithLine(this IrInstruction ins, int line)
        {
            ins.Line = line;
            return ins;
        }
    }
}
