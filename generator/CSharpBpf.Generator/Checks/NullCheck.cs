using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Frontend;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Checks
{
    /// <summary>
    /// The verifier's map_value_or_null rule on IR: a pointer that may be null — a map lookup's result, or a
    /// GetRefOrNullRef that may have failed — must be tested against null on every path before memory is read
    /// or written through it. Forward dataflow over the blocks, refined on each branch edge by the test it takes;
    /// returns the source lines of the accesses that are not covered. Calls to the object's other methods follow their
    /// <see cref="FunctionSummary"/>: a ref they return may be null, and passing a maybe-null pointer to a parameter they
    /// access unchecked is an access at the call.
    /// </summary>
    internal static class NullCheck
    {
        private enum State { NonNull, Null, MaybeNull }

        /// <summary>What a register holds: its null-ness, and which maybe-null value it is a copy of (0: none). A null test
        /// refines every copy of the value it tests, as the verifier does for registers that share an id.</summary>
        private readonly record struct Pointer(State State, int Id);

        public static IReadOnlyList<int> UncheckedAccessLines(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees) =>
            Analyse(function, callees, maybeNullParameter: -1).Lines.ToList();

        /// <summary>The unchecked accesses and whether a return may hand back a maybe-null pointer; with
        /// <paramref name="maybeNullParameter"/> ≥ 0 that parameter arrives maybe null.</summary>
        public static (SortedSet<int> Lines, bool ReturnsMaybeNull) Analyse(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees, int maybeNullParameter)
        {
            var lines = new SortedSet<int>();
            bool returnsMaybeNull = false;
            var ids = new Dictionary<IrInstruction, int>();
            var entry = new Dictionary<int, Pointer>();
            if (maybeNullParameter >= 0) entry[function.Parameters[maybeNullParameter]] = new Pointer(State.MaybeNull, int.MaxValue);
            ForwardDataflow.Run(function, entry, state => new Dictionary<int, Pointer>(state), (block, state) =>
            {
                foreach (var ins in block.Instructions) Step(ins, state, lines, callees, ids);
                if (block.Terminator == TerminatorKind.Return && block.Left.IsRegister && state.TryGetValue(block.Left.Register, out var returned) && returned.State != State.NonNull)
                    returnsMaybeNull = true;
                return Edges(block, state);
            }, Merge);
            return (lines, returnsMaybeNull);
        }

        private static void Step(IrInstruction ins, Dictionary<int, Pointer> state, SortedSet<int> lines, IReadOnlyDictionary<string, FunctionSummary> callees, Dictionary<IrInstruction, int> ids)
        {
            var callee = ins.Op == IrOp.CallLocal && ins.Symbol != null && callees.TryGetValue(ins.Symbol, out var summary) ? summary : null;
            // Handing a maybe-null pointer to a parameter the callee accesses unchecked: the verifier refuses it there.
            if (callee != null && ins.Line > 0)
                for (int i = 0; i < ins.Arguments.Count; i++)
                    if (ins.Arguments[i].IsRegister && state.TryGetValue(ins.Arguments[i].Register, out var argument) && argument.State != State.NonNull && callee.DereferencesUnchecked(i))
                        lines.Add(ins.Line);
            // An access through a pointer the code has not shown to be non-null.
            if (ins.Op is IrOp.Load or IrOp.Store or IrOp.Atomic or IrOp.CompareExchange && ins.A.IsRegister
                && state.TryGetValue(ins.A.Register, out var pointer) && pointer.State != State.NonNull && ins.Line > 0)
                lines.Add(ins.Line);
            if (ins.Dst < 0) return;
            Pointer? result = ins.Op switch
            {
                IrOp.CallHelper when ins.Helper == HelperIds.MapLookupElem => ins.NonNull ? new Pointer(State.NonNull, 0) : Fresh(ins, state, ids),
                IrOp.CallHelper when ins.Helper == HelperIds.RingbufReserve => Fresh(ins, state, ids),
                IrOp.CallLocal when callee is { ReturnsMaybeNull: true } => Fresh(ins, state, ids),
                IrOp.CallKernel when KernelFunctions.ReturnsPointer(ins.Symbol!) => Fresh(ins, state, ids),
                IrOp.Move when ins.NonNull => new Pointer(State.NonNull, 0),
                IrOp.Move when ins.A.IsConstant && ins.A.Constant == 0 => new Pointer(State.Null, 0),
                IrOp.Move when ins.A.IsRegister && state.TryGetValue(ins.A.Register, out var copied) => copied,
                // A field's address inside a maybe-null value is as maybe-null as the value.
                IrOp.Alu when ins.Alu == Bytecode.Isa.AluOperation.Add && ins.A.IsRegister && ins.B.IsConstant && state.TryGetValue(ins.A.Register, out var based) => based,
                _ => null,
            };
            if (result is Pointer p) state[ins.Dst] = p;
            else state.Remove(ins.Dst);
        }

        /// <summary>A new maybe-null value. Registers still holding this instruction's earlier value (a previous loop
        /// iteration) stop being its copies: a test of the new one says nothing about them.</summary>
        private static Pointer Fresh(IrInstruction ins, Dictionary<int, Pointer> state, Dictionary<IrInstruction, int> ids)
        {
            if (!ids.TryGetValue(ins, out int id)) ids[ins] = id = ids.Count + 1;
            foreach (var register in state.Where(e => e.Value.Id == id).Select(e => e.Key).ToList())
                state[register] = state[register] with { Id = 0 };
            return new Pointer(State.MaybeNull, id);
        }

        private static IEnumerable<(IrBlock, Dictionary<int, Pointer>)> Edges(IrBlock block, Dictionary<int, Pointer> state)
        {
            switch (block.Terminator)
            {
                case TerminatorKind.Jump:
                    yield return (block.Target!, state);
                    break;
                case TerminatorKind.Branch:
                    bool nullTest = block.Left.IsRegister && block.Right.IsConstant && block.Right.Constant == 0 && state.ContainsKey(block.Left.Register)
                        && block.Condition is Condition.Equal or Condition.NotEqual;
                    if (!nullTest)
                    {
                        yield return (block.Target!, state);
                        yield return (block.Otherwise!, new Dictionary<int, Pointer>(state));
                        break;
                    }
                    var whenEqual = Refined(state, block.Left.Register, State.Null);
                    var whenNotEqual = Refined(state, block.Left.Register, State.NonNull);
                    yield return (block.Target!, block.Condition == Condition.Equal ? whenEqual : whenNotEqual);
                    yield return (block.Otherwise!, block.Condition == Condition.Equal ? whenNotEqual : whenEqual);
                    break;
            }
        }

        /// <summary>The state after a null test of <paramref name="tested"/> found <paramref name="now"/>, for it and its copies.</summary>
        private static Dictionary<int, Pointer> Refined(Dictionary<int, Pointer> state, int tested, State now)
        {
            int id = state[tested].Id;
            var refined = new Dictionary<int, Pointer>(state) { [tested] = state[tested] with { State = now } };
            if (id > 0)
                foreach (var register in state.Where(e => e.Value.Id == id).Select(e => e.Key))
                    refined[register] = state[register] with { State = now };
            return refined;
        }

        /// <summary>Widens <paramref name="into"/> with <paramref name="other"/>; true when it changed.</summary>
        private static bool Merge(Dictionary<int, Pointer> into, Dictionary<int, Pointer> other)
        {
            bool changed = false;
            foreach (var pair in other)
            {
                int register = pair.Key;
                var value = pair.Value;
                if (!into.TryGetValue(register, out var current)) continue; // untracked on another path: stays untracked
                // Null-ness widens to maybe null; copies of different values on the two paths are copies of neither.
                var merged = new Pointer(current.State == value.State ? current.State : State.MaybeNull, current.Id == value.Id ? current.Id : 0);
                if (merged != current)
                {
                    into[register] = merged;
                    changed = true;
                }
            }
            foreach (var register in into.Keys.Where(r => !other.ContainsKey(r)).ToList())
            {
                into.Remove(register);
                changed = true;
            }
            return changed;
        }
    }
}
