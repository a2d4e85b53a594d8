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

        public static IReadOnlyList<int> UncheckedAccessLines(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees) =>
            Analyse(function, callees, maybeNullParameter: -1).Lines.ToList();

        /// <summary>The unchecked accesses and whether a return may hand back a maybe-null pointer; with
        /// <paramref name="maybeNullParameter"/> ≥ 0 that parameter arrives maybe null.</summary>
        public static (SortedSet<int> Lines, bool ReturnsMaybeNull) Analyse(IrFunction function, IReadOnlyDictionary<string, FunctionSummary> callees, int maybeNullParameter)
        {
            var lines = new SortedSet<int>();
            bool returnsMaybeNull = false;
            var entry = new Dictionary<int, State>();
            if (maybeNullParameter >= 0) entry[function.Parameters[maybeNullParameter]] = State.MaybeNull;
            ForwardDataflow.Run(function, entry, state => new Dictionary<int, State>(state), (block, state) =>
            {
                foreach (var ins in block.Instructions) Step(ins, state, lines, callees);
                if (block.Terminator == TerminatorKind.Return && block.Left.IsRegister && state.TryGetValue(block.Left.Register, out var returned) && returned != State.NonNull)
                    returnsMaybeNull = true;
                return Edges(block, state);
            }, Merge);
            return (lines, returnsMaybeNull);
        }

        private static void Step(IrInstruction ins, Dictionary<int, State> state, SortedSet<int> lines, IReadOnlyDictionary<string, FunctionSummary> callees)
        {
            var callee = ins.Op == IrOp.CallLocal && ins.Symbol != null && callees.TryGetValue(ins.Symbol, out var summary) ? summary : null;
            // Handing a maybe-null pointer to a parameter the callee accesses unchecked: the verifier refuses it there.
            if (callee != null && ins.Line > 0)
                for (int i = 0; i < ins.Arguments.Count; i++)
                    if (ins.Arguments[i].IsRegister && state.TryGetValue(ins.Arguments[i].Register, out var argument) && argument != State.NonNull && callee.DereferencesUnchecked(i))
                        lines.Add(ins.Line);
            // An access through a pointer the code has not shown to be non-null.
            if (ins.Op is IrOp.Load or IrOp.Store or IrOp.Atomic or IrOp.CompareExchange && ins.A.IsRegister
                && state.TryGetValue(ins.A.Register, out var pointer) && pointer != State.NonNull && ins.Line > 0)
                lines.Add(ins.Line);
            if (ins.Dst < 0) return;
            State? result = ins.Op switch
            {
                IrOp.CallHelper when ins.Helper == HelperIds.MapLookupElem => ins.NonNull ? State.NonNull : State.MaybeNull,
                IrOp.CallHelper when ins.Helper == HelperIds.RingbufReserve => State.MaybeNull,
                IrOp.CallLocal when callee is { ReturnsMaybeNull: true } => State.MaybeNull,
                IrOp.Move when ins.NonNull => State.NonNull,
                IrOp.Move when ins.A.IsConstant && ins.A.Constant == 0 => State.Null,
                IrOp.Move when ins.A.IsRegister && state.TryGetValue(ins.A.Register, out var copied) => copied,
                // A field's address inside a maybe-null value is as maybe-null as the value.
                IrOp.Alu when ins.Alu == Bytecode.Isa.AluOperation.Add && ins.A.IsRegister && ins.B.IsConstant && state.TryGetValue(ins.A.Register, out var based) => based,
                _ => null,
            };
            if (result is State s) state[ins.Dst] = s;
            else state.Remove(ins.Dst);
        }

        private static IEnumerable<(IrBlock, Dictionary<int, State>)> Edges(IrBlock block, Dictionary<int, State> state)
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
                        yield return (block.Otherwise!, new Dictionary<int, State>(state));
                        break;
                    }
                    var whenEqual = new Dictionary<int, State>(state) { [block.Left.Register] = State.Null };
                    var whenNotEqual = new Dictionary<int, State>(state) { [block.Left.Register] = State.NonNull };
                    yield return (block.Target!, block.Condition == Condition.Equal ? whenEqual : whenNotEqual);
                    yield return (block.Otherwise!, block.Condition == Condition.Equal ? whenNotEqual : whenEqual);
                    break;
            }
        }

        /// <summary>Widens <paramref name="into"/> with <paramref name="other"/>; true when it changed.</summary>
        private static bool Merge(Dictionary<int, State> into, Dictionary<int, State> other)
        {
            bool changed = false;
            foreach (var pair in other)
            {
                int register = pair.Key;
                var value = pair.Value;
                if (!into.TryGetValue(register, out var current)) continue; // untracked on another path: stays untracked
                if (current != value && current != State.MaybeNull)
                {
                    into[register] = State.MaybeNull;
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
