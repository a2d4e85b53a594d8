using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // foreach (int i in Bpf.Range(from, to)) as libbpf's bpf_for: an open-coded numeric iterator. Roslyn lowers the foreach
    // to a captured enumerator, a MoveNext() branch and `i = Current`; each becomes one kernel function call or load. The
    // verifier checks the body until its states converge instead of walking every iteration.
    internal sealed partial class MethodLowerer
    {
        private bool IsRangeEnumerator(ITypeSymbol? type) => KnownTypes.Is(type, Known.BpfRangeEnumerator);

        /// <summary><c>Bpf.Range(from, to).GetEnumerator()</c>: bpf_iter_num_new on 8 stack bytes kept for the loop.</summary>
        private Value BeginRange(IInvocationOperation getEnumerator)
        {
            var instance = getEnumerator.Instance;
            while (instance is IConversionOperation { IsImplicit: true } conversion) instance = conversion.Operand;
            if (instance is not IInvocationOperation { TargetMethod.Name: "Range" } range || !KnownTypes.Is(range.TargetMethod.ContainingType, Known.Bpf))
                throw CompileError.Unsupported(getEnumerator.Syntax, "enumerating a BpfRange held in a variable", "write foreach (int i in Bpf.Range(from, to)) with the call in the loop header");
            // The bounds are read once (as in .NET), and kept for the test that tells the verifier each number's range.
            var from = Bound(Argument(range, 0));
            var to = Bound(Argument(range, 1));
            var slot = StackTemporary(Known.Int64, "iterator");
            _keepTemporaries = true; // the iterator lives until the loop ends
            Emit(new IrInstruction(IrOp.CallKernel) { Symbol = KernelFunctions.IterNumNew, Arguments = new[] { AddressOf(slot), from, to } });
            return new IteratorValue(slot, from, to, NewRegister(), getEnumerator.Type!);
        }

        private Operand Bound(IOperation operation)
        {
            var value = Scalarize(Evaluate(operation)).Operand;
            if (value.IsConstant) return value;
            int copy = NewRegister();
            Move(copy, value);
            return Operand.Reg(copy);
        }

        /// <summary><c>MoveNext()</c>: bpf_iter_num_next gives a pointer to the next number or null at the end. The number is
        /// tested against the bounds as libbpf's bpf_for does: the verifier does not know the iterator stays inside them.</summary>
        private void StepRange(IOperation instance, IrBlock whenTrue, IrBlock whenFalse)
        {
            var iterator = (IteratorValue)Evaluate(instance);
            int next = NewRegister();
            Emit(new IrInstruction(IrOp.CallKernel) { Dst = next, Symbol = KernelFunctions.IterNumNext, Arguments = new[] { AddressOf(iterator.Slot) } });
            var found = _function.NewBlock();
            Branch(Ir.Condition.Equal, Operand.Reg(next), Operand.Const(0), false, whenFalse, found);
            StartBlock(found);
            Emit(new IrInstruction(IrOp.Load) { Dst = iterator.Current, A = Operand.Reg(next), Size = 4 });
            var above = _function.NewBlock();
            Branch(Ir.Condition.SignedLess, Operand.Reg(iterator.Current), iterator.From, true, whenFalse, above);
            StartBlock(above);
            Branch(Ir.Condition.SignedGreaterOrEqual, Operand.Reg(iterator.Current), iterator.To, true, whenFalse, whenTrue);
        }

        /// <summary><c>Current</c>: the number the last step loaded.</summary>
        private Value RangeCurrent(IPropertyReferenceOperation reference) =>
            new Scalar(Operand.Reg(((IteratorValue)Evaluate(reference.Instance!)).Current), reference.Type!);

        /// <summary>A branch that leaves foreach loops over Bpf.Range (the loop's end, break, return) destroys their
        /// iterators on the way: the verifier refuses a program that exits with one alive.</summary>
        private IrBlock Leaving(ControlFlowBranch branch, IrBlock target)
        {
            var iterators = LeftIterators(branch);
            if (iterators.Count == 0) return target;
            var saved = _current;
            var edge = _function.NewBlock();
            StartBlock(edge);
            Destroy(iterators);
            Jump(target);
            _current = saved;
            return edge;
        }

        private List<IteratorValue> LeftIterators(ControlFlowBranch branch) =>
            branch.LeavingRegions.SelectMany(r => r.CaptureIds)
                .Select(id => _captureValues.TryGetValue(id, out var value) ? value as IteratorValue : null)
                .OfType<IteratorValue>().ToList();

        private void Destroy(IEnumerable<IteratorValue> iterators)
        {
            foreach (var iterator in iterators)
                Emit(new IrInstruction(IrOp.CallKernel) { Symbol = KernelFunctions.IterNumDestroy, Arguments = new[] { AddressOf(iterator.Slot) } });
        }
    }
}
