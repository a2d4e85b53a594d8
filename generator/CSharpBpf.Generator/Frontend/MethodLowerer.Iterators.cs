using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // foreach (int i in Bpf.Range(from, to)) as libbpf's bpf_for: an open-coded numeric iterator. Roslyn lowers the foreach
    // to a captured enumerator, a MoveNext() branch and `i = Current`; each becomes one kernel function call or load. The
    // verifier checks the body until its states converge instead of walking every iteration.
    //
    // The verifier stops checking the body when the state at bpf_iter_num_next repeats one it has seen. A variable of the
    // enclosing code the body changes (`count++`, `--left`) would hold another exact value, or another range, at every pass,
    // and if anything (a test, an index) needs it exactly, no state repeats and the verifier gives up ("The sequence of 8193
    // jumps is too complex"). So while the loop runs, such variables live in the compiler's per-CPU loop-state map, whose
    // memory the verifier does not track: each read is a value it knows nothing exact about, the state repeats, and the loop
    // converges. They move there where the loop starts and back on every way out. A long for loop the verifier walks does
    // the same for what its body changes under tests on data (CarriedLoops says which loops carry which variables).
    internal sealed partial class MethodLowerer
    {
        private bool IsRangeEnumerator(ITypeSymbol? type) => KnownTypes.Is(type, Known.BpfRangeEnumerator);

        /// <summary>A loop that carries variables in the loop state (a foreach over Bpf.Range, or a for loop CarriedLoops
        /// names): its region in Roslyn's graph (the enumerator's or the counter's lifetime), the variables of the enclosing
        /// code it carries with their offsets in the loop-state element, and the register pointing there.</summary>
        private sealed class CarryingLoop
        {
            public CarryingLoop(ControlFlowRegion region, Dictionary<ISymbol, int> carried, HashSet<ISymbol> assignedOnEntry)
            {
                Region = region;
                Carried = carried;
                AssignedOnEntry = assignedOnEntry;
            }

            public ControlFlowRegion Region { get; }
            public Dictionary<ISymbol, int> Carried { get; }
            /// <summary>The carried variables definitely assigned where the loop starts (C#'s data flow), whose values move in:
            /// the others hold nothing C# lets anyone read, and copying an unwritten register is refused by the verifier.</summary>
            public HashSet<ISymbol> AssignedOnEntry { get; }
            public int State { get; set; } = -1;
            public bool Contains(int ordinal) => ordinal >= Region.FirstBlockOrdinal && ordinal <= Region.LastBlockOrdinal;
        }

        private readonly List<CarryingLoop> _carryingLoops = new List<CarryingLoop>();
        /// <summary>The ordinal of the Roslyn block being lowered: where a variable lives depends on the loops around it.</summary>
        private int _blockOrdinal = -1;

        private void FindCarryingLoops(ControlFlowRegion region, ControlFlowGraph cfg)
        {
            foreach (var nested in region.NestedRegions) FindCarryingLoops(nested, cfg);
            // A foreach over Bpf.Range carries every variable of the enclosing code its body writes; a long for loop the
            // verifier walks, those it writes under tests on data (CarriedLoops).
            StatementSyntax loop, body;
            System.Func<ISymbol, bool> carries;
            if (RangeLoopOf(region, cfg) is { } each)
            {
                (loop, body, carries) = (each, each.Statement, _ => true);
            }
            else if (WalkedLoopOf(region) is { } walked && CarriedLoops.BranchWritten(walked, _model) is { Count: > 0 } written)
            {
                (loop, body, carries) = (walked, walked.Statement, written.Contains);
            }
            else
            {
                return;
            }
            var carried = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            var method = loop.Ancestors().First(a => a is MemberDeclarationSyntax or LocalFunctionStatementSyntax);
            var assigned = new HashSet<ISymbol>(_model.AnalyzeDataFlow(loop)?.DefinitelyAssignedOnEntry ?? Enumerable.Empty<ISymbol>(), SymbolEqualityComparer.Default);
            int size = 0;
            bool returnsInside = body.DescendantNodesAndSelf().OfType<ReturnStatementSyntax>().Any();
            foreach (var node in body.DescendantNodesAndSelf())
            {
                if (CarriedLoops.WrittenVariable(node, _model) is not { } symbol || carried.ContainsKey(symbol) || !carries(symbol)) continue;
                var type = symbol switch
                {
                    ILocalSymbol { RefKind: RefKind.None } local => local.Type,
                    IParameterSymbol { RefKind: RefKind.None } parameter => parameter.Type,
                    // What a ref or out parameter points at (the caller's stack, which the verifier tracks), unless a call
                    // passes the same variable to another of the method's ref parameters. (Not when a method returning a ref
                    // returns from inside the loop: the ref it returns could point into the loop state. A return after the
                    // loop finds the variable back in its own place.)
                    IParameterSymbol { RefKind: RefKind.Ref or RefKind.Out } parameter when !(_method.ReturnsByRef && returnsInside) && !MayAlias(parameter) => parameter.Type,
                    _ => null,
                };
                // Variables of the enclosing code (a field or element written counts for its struct), unless a ref to them
                // outlives a statement (a ref local, a ref a call returns, a pointer): that would still point at the old place.
                // One in memory (a struct, an address-taken number) not yet wholly assigned stays: parts of it are unwritten stack.
                bool inMemory = !TypeLayout.IsScalar(type ?? Known.Int32) || _addressTaken.Contains(symbol) || symbol is ILocalSymbol framed && _frame!.TryGetOffset(framed, out _);
                if (type == null || symbol.Locations.Any(at => loop.Span.Contains(at.SourceSpan)) || inMemory && !assigned.Contains(symbol)
                    || method.DescendantNodes().Any(n => LastingReference(n, symbol, loop)))
                    continue;
                carried[symbol] = size;
                size += (TypeLayout.SizeOf(type, node) + 7) / 8 * 8;
            }
            if (carried.Count == 0) return;
            int start = _scope.ReserveLoopState(size);
            foreach (var symbol in carried.Keys.ToList()) carried[symbol] += start;
            _carryingLoops.Add(new CarryingLoop(region, carried, assigned));
        }

        /// <summary>The foreach over Bpf.Range whose enumerator's lifetime <paramref name="region"/> is, or null.</summary>
        private ForEachStatementSyntax? RangeLoopOf(ControlFlowRegion region, ControlFlowGraph cfg)
        {
            if (region.CaptureIds.IsEmpty) return null;
            // The enumerator is captured where the range's arguments are done, which may be blocks into the region.
            var capture = cfg.Blocks.Skip(region.FirstBlockOrdinal).Take(region.LastBlockOrdinal - region.FirstBlockOrdinal + 1)
                .SelectMany(b => b.Operations).OfType<IFlowCaptureOperation>()
                .FirstOrDefault(c => region.CaptureIds.Contains(c.Id) && c.Value is IInvocationOperation { TargetMethod.Name: "GetEnumerator" } get
                    && KnownTypes.Is(get.TargetMethod.ContainingType, Known.BpfRange));
            return capture?.Value.Syntax.FirstAncestorOrSelf<ForEachStatementSyntax>();
        }

        /// <summary>The for loop whose declared counters' lifetime <paramref name="region"/> is (its initializer, test, body
        /// and step), or null.</summary>
        private static ForStatementSyntax? WalkedLoopOf(ControlFlowRegion region) =>
            region.Kind == ControlFlowRegionKind.LocalLifetime && region.Locals.FirstOrDefault()?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax()
                is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: ForStatementSyntax loop } } ? loop : null;

        /// <summary>Where the loops around block <paramref name="ordinal"/> keep <paramref name="symbol"/>, or null when it lives in
        /// its own storage. On the way into that block (<paramref name="entering"/>), a loop that starts there is not in effect yet.</summary>
        private Place? CarriedPlace(ISymbol symbol, ITypeSymbol type, int ordinal, bool entering = false)
        {
            CarryingLoop? innermost = null;
            foreach (var loop in _carryingLoops)
                if (loop.Contains(ordinal) && !(entering && loop.Region.FirstBlockOrdinal == ordinal) && loop.Carried.ContainsKey(symbol) && loop.State >= 0
                    && (innermost == null || loop.Region.LastBlockOrdinal - loop.Region.FirstBlockOrdinal < innermost.Region.LastBlockOrdinal - innermost.Region.FirstBlockOrdinal))
                    innermost = loop;
            return innermost == null ? null : new Place(Operand.Reg(innermost.State), innermost.Carried[symbol], type, PlaceKind.Memory);
        }

        /// <summary>The loop-state element's address, found once where the method starts (-1 without carrying loops).</summary>
        private int _loopState = -1;

        /// <summary>Finds the loop-state element where the method starts, before any iterator exists. Element 0 of a
        /// one-element array always exists, but verifiers before Linux 6.14 do not know it: they need a test, and a way on
        /// that never runs (a return) for when it fails — which must not leave an iterator alive, hence here. A ref-returning
        /// method returns a valid reference there (to zeroed .bss bytes): verifiers before 6.14 walk that way into callers
        /// that dereference what it returns, and a null reference would be refused ("invalid mem access 'scalar'").</summary>
        private void FindLoopState()
        {
            if (_carryingLoops.Count == 0) return;
            var key = StackTemporary(Known.UInt32, "loop-state key");
            Store(key, Operand.Const(0));
            _loopState = NewRegister();
            Emit(new IrInstruction(IrOp.CallHelper) { Dst = _loopState, Helper = HelperIds.MapLookupElem, Arguments = new[] { MapAddress(_scope.LoopStateMap!), AddressOf(key) } });
            var found = _function.NewBlock();
            var missing = _function.NewBlock();
            Branch(Ir.Condition.NotEqual, Operand.Reg(_loopState), Operand.Const(0), false, found, missing);
            StartBlock(missing);
            if (_method.ReturnsByRef)
            {
                int target = NewRegister();
                Emit(new IrInstruction(IrOp.GlobalAddress) { Dst = target, Symbol = ".bss", Offset = _scope.AddUnreachedTarget(Math.Max(8, TypeLayout.SizeOf(_method.ReturnType, null))) });
                Return(Operand.Reg(target));
            }
            else
            {
                Return(Operand.Const(0));
            }
            StartBlock(found);
        }

        /// <summary>Where a loop starts: move the variables the loop carries into the loop-state element.</summary>
        private void EnterCarryingLoops(int ordinal)
        {
            foreach (var loop in _carryingLoops.Where(l => l.Region.FirstBlockOrdinal == ordinal))
            {
                int state = _loopState;
                foreach (var entry in loop.Carried.Where(e => loop.AssignedOnEntry.Contains(e.Key)))
                {
                    var type = TypeOf(entry.Key);
                    // The value from outside this loop (its own storage, or an enclosing loop's state).
                    Move(new Place(Operand.Reg(state), entry.Value, type, PlaceKind.Memory), Variable(entry.Key, type, false));
                }
                loop.State = state;
            }
        }

        /// <summary>On a way out of loops: their variables go back where the destination keeps them. On a return only what ref
        /// and out parameters point at goes back: the caller sees it.</summary>
        private void ExitCarryingLoops(ControlFlowBranch branch)
        {
            int destination = branch.Destination?.Ordinal ?? -1;
            var done = new HashSet<ISymbol>(SymbolEqualityComparer.Default); // a return leaves nested loops: the innermost holds the value
            foreach (var region in branch.LeavingRegions)
            {
                var loop = _carryingLoops.FirstOrDefault(l => l.Region == region);
                if (loop == null || loop.State < 0) continue;
                foreach (var entry in loop.Carried.Where(e => (destination >= 0 || e.Key is IParameterSymbol { RefKind: not RefKind.None }) && done.Add(e.Key)))
                {
                    var type = TypeOf(entry.Key);
                    // Into an enclosing loop's state, or the variable's own storage (also when the destination starts another loop).
                    Move(CarriedPlace(entry.Key, type, destination, entering: true) ?? OwnStorage(entry.Key, type), new Place(Operand.Reg(loop.State), entry.Value, type, PlaceKind.Memory));
                }
            }
        }

        private static ITypeSymbol TypeOf(ISymbol symbol) => symbol is ILocalSymbol local ? local.Type : ((IParameterSymbol)symbol).Type;

        /// <summary>Copies a variable's value (a register or memory, a number or a struct) into <paramref name="destination"/>.</summary>
        private void Move(Value destination, Value source)
        {
            if (destination is Scalar { Operand.IsRegister: true } register) Move(register.Operand.Register, Scalarize(source).Operand);
            else if (TypeLayout.IsScalar(destination.Type)) Store((Place)destination, Scalarize(source).Operand);
            else Copy((Place)destination, (Place)source);
        }

        /// <summary>True when some call of this method (all are in the object's class) may hand <paramref name="parameter"/>
        /// something else than a variable of the caller's stack only it reaches: each argument must be a plain local or
        /// parameter (not a map element, which a lookup in the loop may reach too), different from the other ref, in or out
        /// parameters' variables.</summary>
        private bool MayAlias(IParameterSymbol parameter)
        {
            var others = _method.Parameters.Where(p => p.RefKind != RefKind.None && !SymbolEqualityComparer.Default.Equals(p, parameter)).ToList();
            foreach (var reference in _scope.ObjectType.DeclaringSyntaxReferences)
            {
                var model = _scope.Compilation.GetSemanticModel(reference.SyntaxTree);
                foreach (var call in reference.GetSyntax().DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(call).Symbol?.OriginalDefinition, _method.OriginalDefinition)) continue;
                    // A variable, or map memory: a ref local a map lookup initialised (and never pointed elsewhere) refers to a
                    // map element, which no variable of the caller's stack can be.
                    object? VariableOf(IParameterSymbol p) => p.Ordinal >= call.ArgumentList.Arguments.Count ? null
                        : model.GetSymbolInfo(call.ArgumentList.Arguments[p.Ordinal].Expression).Symbol switch
                        {
                            ILocalSymbol { IsRef: false } local => local,
                            IParameterSymbol { RefKind: RefKind.None } value => value,
                            ILocalSymbol { IsRef: true } local when IsMapElementRef(local, model) => MapMemory,
                            _ => null,
                        };
                    var mine = VariableOf(parameter);
                    if (mine == null || mine == MapMemory || others.Any(o => VariableOf(o) is not { } theirs || theirs != MapMemory && SymbolEqualityComparer.Default.Equals((ISymbol)theirs, (ISymbol)mine)))
                        return true;
                }
            }
            return false;
        }

        private static readonly object MapMemory = new object();

        /// <summary>True for a ref local declared as <c>ref … = ref map.GetValueRefOrNullRef(…)</c> and never made to point elsewhere.</summary>
        private static bool IsMapElementRef(ILocalSymbol local, SemanticModel model)
        {
            if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax declarator
                || declarator.Initializer?.Value is not RefExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } }
                || access.Name.Identifier.Text != "GetValueRefOrNullRef" || !IsMap(model.GetTypeInfo(access.Expression).Type))
                return false;
            var scope = declarator.FirstAncestorOrSelf<BlockSyntax>();
            return scope == null || !scope.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Right is RefExpressionSyntax
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(a.Left).Symbol, local));
        }

        /// <summary>True when <paramref name="node"/> makes a ref (or pointer) to <paramref name="symbol"/> that may be alive
        /// while <paramref name="loop"/> runs: <c>ref s.A</c>, <c>&amp;x</c>, or a ref-returning call given it by an unscoped ref,
        /// in or out parameter (a map's <c>GetValueRefOrNullRef(in key)</c> scopes its key), unless the ref local it initialises
        /// lives in a block the loop is not in, or it is returned.</summary>
        private bool LastingReference(SyntaxNode node, ISymbol symbol, StatementSyntax loop)
        {
            if (node is RefExpressionSyntax && node.Parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax) return false;
            if (node is RefExpressionSyntax && node.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax }
                && node.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>()?.Parent is BlockSyntax scope && !scope.Span.Contains(loop.Span))
                return false;
            bool Is(ExpressionSyntax e) => SymbolEqualityComparer.Default.Equals(CarriedLoops.Root(e, _model), symbol);
            bool RefersTo(ExpressionSyntax e) => e switch
            {
                InvocationExpressionSyntax call => _model.GetSymbolInfo(call).Symbol is IMethodSymbol method
                    && call.ArgumentList.Arguments.Select((argument, i) => (argument, i)).Any(a => a.i < method.Parameters.Length
                        && method.Parameters[a.i] is { RefKind: not RefKind.None, ScopedKind: ScopedKind.None } && Is(a.argument.Expression)),
                ConditionalExpressionSyntax conditional => RefersTo(conditional.WhenTrue) || RefersTo(conditional.WhenFalse),
                RefExpressionSyntax inner => RefersTo(inner.Expression),
                _ => Is(e),
            };
            return node switch
            {
                RefExpressionSyntax reference => RefersTo(reference.Expression),
                PrefixUnaryExpressionSyntax address when address.IsKind(SyntaxKind.AddressOfExpression) => Is(address.Operand),
                _ => false,
            };
        }

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

        /// <summary>A branch that leaves loops (the loop's end, break, return) moves what they carry back, and destroys the
        /// iterators of foreach loops over Bpf.Range on the way: the verifier refuses a program that exits with one alive.</summary>
        private IrBlock Leaving(ControlFlowBranch branch, IrBlock target)
        {
            var iterators = LeftIterators(branch);
            if (iterators.Count == 0 && !branch.LeavingRegions.Any(r => _carryingLoops.Any(l => l.Region == r && l.State >= 0))) return target;
            var saved = _current;
            var edge = _function.NewBlock();
            StartBlock(edge);
            ExitCarryingLoops(branch);
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
