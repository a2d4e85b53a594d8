using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>
    /// Lowers one static method to IR: Roslyn's control-flow graph gives basic blocks with
    /// short-circuit logic, ternaries, switches and loops already turned into branches; each block's
    /// operations are lowered here expression by expression. Anything outside the subset throws a
    /// <see cref="CompileError"/> carrying the diagnostic and its location.
    /// </summary>
    internal sealed partial class MethodLowerer
    {
        private readonly ObjectScope _scope;
        private readonly IMethodSymbol _method;
        private readonly SemanticModel _model;
        private readonly IrFunction _function;
        private readonly Dictionary<ISymbol, LocalStorage> _locals = new Dictionary<ISymbol, LocalStorage>(SymbolEqualityComparer.Default);
        private readonly Dictionary<CaptureId, int> _captureRegisters = new Dictionary<CaptureId, int>();
        private readonly Dictionary<CaptureId, Value> _captureValues = new Dictionary<CaptureId, Value>();
        private readonly HashSet<CaptureId> _multiplyAssigned = new HashSet<CaptureId>();
        private readonly HashSet<CaptureId> _placeCaptures = new HashSet<CaptureId>();
        private readonly Dictionary<BasicBlock, IrBlock> _blocks = new Dictionary<BasicBlock, IrBlock>();
        private readonly HashSet<ISymbol> _addressTaken = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        private readonly HashSet<ISymbol> _pointerTaken = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        private FrameLayout? _frame;
        // Temporaries sit below the planned locals, from _temporaryTop down. Those of one operation are dead once it is
        // lowered, so the next one reuses their bytes — unless the operation handed one on (a flow capture used by a later
        // block, a local that took a temporary over), which _keepTemporaries records.
        private int _temporaryTop;
        private bool _keepTemporaries;
        private IrBlock _current;
        private SyntaxNode _node;
        private int _line;
        private readonly ProgramKind? _programKind;
        private readonly SeccompArchitecture _architecture;
        private PacketAccessAnalysis? _packet;
        private (int Context, Operand Data, Operand End)? _bounds;

        /// <param name="architecture">The architecture whose syscall numbers <c>Syscall</c> members lower to (a seccomp filter is
        /// lowered once per architecture it serves); by default the object's own.</param>
        public MethodLowerer(ObjectScope scope, IMethodSymbol method, SemanticModel model, string name, ProgramKind? programKind, SeccompArchitecture? architecture = null)
        {
            _architecture = architecture ?? (scope.IsArm64 ? SeccompArchitecture.Arm64 : SeccompArchitecture.X86_64);
            _programKind = programKind;
            _scope = scope;
            _method = method;
            _model = model;
            _function = new IrFunction(name);
            _current = _function.NewBlock();
            _node = method.DeclaringSyntaxReferences[0].GetSyntax();
        }

        private KnownTypes Known => _scope.Known;

        public IrFunction Lower()
        {
            var syntax = (MethodDeclarationSyntax)_method.DeclaringSyntaxReferences[0].GetSyntax();
            if (_model.GetOperation(syntax) is not IMethodBodyOperation body)
                throw CompileError.Unsupported(syntax, $"'{_method.Name}'", "it has no body");
            if (_method.IsAsync)
                throw CompileError.Unsupported(BpfDiagnostics.Async, syntax.Identifier.Parent, $"async method '{_method.Name}'", "a BPF program runs to completion in one go: make it synchronous");
            FindAddressTaken(syntax);
            _packet = new PacketAccessAnalysis(syntax, _model, _scope.ObjectType, Known, _addressTaken);
            _function.DeclarationLine = syntax.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            var cfg = ControlFlowGraph.Create(body);
            PlanFrame(cfg);
            BindParameters();

            CountCaptureAssignments(cfg);
            FindCarryingLoops(cfg.Root, cfg);
            FindLoopState();
            var entry = _current;
            foreach (var block in cfg.Blocks) _blocks[block] = block.Kind == BasicBlockKind.Entry ? entry : _function.NewBlock();
            // Lower a block only once a lowered branch reaches it: Roslyn keeps paths our lowering proves
            // dead (a switch expression's "no arm matched" throw behind a discard arm).
            var lowered = new HashSet<BasicBlock>();
            for (bool progress = true; progress;)
            {
                progress = false;
                var reached = ReachedBlocks();
                foreach (var block in cfg.Blocks)
                {
                    if (!block.IsReachable || lowered.Contains(block) || !reached.Contains(_blocks[block])) continue;
                    lowered.Add(block);
                    LowerBlock(block);
                    progress = true;
                }
            }
            return _function;
        }

        private HashSet<IrBlock> ReachedBlocks()
        {
            var reached = new HashSet<IrBlock> { _function.Blocks[0] };
            var stack = new Stack<IrBlock>(reached);
            while (stack.Count > 0)
                foreach (var next in stack.Pop().Successors())
                    if (reached.Add(next)) stack.Push(next);
            return reached;
        }

        // Locals in memory get their frame bytes by scope before lowering; temporaries and spills go below them.
        private void PlanFrame(ControlFlowGraph cfg)
        {
            _frame = FrameLayout.Plan(cfg, MemorySlot, local => _pointerTaken.Contains(local));
            _function.FrameSize = _temporaryTop = _frame.Depth;
            foreach (var (local, offset) in _frame.Planned)
                _function.StackUsers.Add(new StackUser(local.Name, offset, TypeLayout.SizeOf(local.Type, _node), local.Locations.FirstOrDefault()));
        }

        private (int Size, int Alignment)? MemorySlot(ILocalSymbol local)
        {
            if (local.RefKind != RefKind.None || !local.Type.IsValueType || IsContextType(local.Type) || _packet!.AliasedHeaders.Contains(local)) return null;
            if (TypeLayout.IsScalar(local.Type) && !_addressTaken.Contains(local)) return null;
            try
            {
                return (TypeLayout.SizeOf(local.Type, _node), TypeLayout.StackAlignment(local.Type, _node));
            }
            catch (CompileError)
            {
                return null; // not a type eBPF can hold: lowering reports it where the local is used
            }
        }

        private void BindParameters()
        {
            if (_method.Parameters.Length > 5)
                throw CompileError.At(BpfDiagnostics.TooManyArguments, _node, _method.Name, _method.Parameters.Length);
            bool global = _programKind == null && ObjectScope.IsGlobalFunction(_method);
            foreach (var p in _method.Parameters)
            {
                int register = _function.NewRegister();
                _function.Parameters.Add(register);
                if (IsContextType(p.Type))
                    _locals[p] = LocalStorage.Context(register);
                else if (p.RefKind != RefKind.None)
                    _locals[p] = LocalStorage.Reference(register);
                else if (!TypeLayout.IsScalar(p.Type))
                    _locals[p] = LocalStorage.InMemory(new Place(Operand.Reg(register), 0, p.Type, PlaceKind.Memory)); // by-value structs arrive as a pointer to the caller's copy
                else if (_addressTaken.Contains(p))
                {
                    var place = StackTemporary(p.Type, p.Name);
                    Store(place, Operand.Reg(register));
                    _locals[p] = LocalStorage.InMemory(place);
                }
                else if (global)
                {
                    // The kernel verifies a global function for any value of its 64-bit argument registers: narrow a
                    // small integer here, so the code after it may rely on its range as it does for static subprograms.
                    var narrowed = Convert(new Scalar(Operand.Reg(register), Known.Int64), p.Type, explicitNumeric: true);
                    _locals[p] = LocalStorage.InRegister(narrowed.Operand.Register);
                }
                else
                    _locals[p] = LocalStorage.InRegister(register);
            }
            if (global) RefuseNullPointers();
        }

        // The kernel verifies a global function's pointer parameters as maybe null (they are PTR_TO_MEM_OR_NULL without an
        // "arg:nonnull" tag). C# refs are never null, so the test costs one jump each and never returns early.
        private void RefuseNullPointers()
        {
            foreach (var (p, register) in _method.Parameters.Zip(_function.Parameters, (p, r) => (p, r)))
            {
                if (IsContextType(p.Type) || p.RefKind == RefKind.None && TypeLayout.IsScalar(p.Type)) continue;
                var isNull = _function.NewBlock();
                var valid = _function.NewBlock();
                Branch(Ir.Condition.Equal, Operand.Reg(register), Operand.Const(0), false, isNull, valid);
                StartBlock(isNull);
                Return(Operand.Const(0));
                StartBlock(valid);
            }
        }

        private bool IsContextType(ITypeSymbol type) =>
            KnownTypes.Is(type, Known.XdpContext) || KnownTypes.Is(type, Known.SkBuff) || Known.IsTracingContext(type) || KnownTypes.Is(type, Known.SeccompData);

        // A scalar local whose address escapes (ref/in/out to a method of ours, &x, Interlocked on it)
        // lives in memory; all other scalars live in registers.
        private void FindAddressTaken(SyntaxNode body)
        {
            foreach (var node in body.DescendantNodes())
            {
                ExpressionSyntax? target = node switch
                {
                    ArgumentSyntax a when a.RefKindKeyword.Text is "ref" or "in" => a.Expression,
                    ArgumentSyntax a when a.RefKindKeyword.Text == "out" && IsOwnMethodCall(a) => a.Expression,
                    PrefixUnaryExpressionSyntax u when u.Kind() == Microsoft.CodeAnalysis.CSharp.SyntaxKind.AddressOfExpression => u.Operand,
                    RefExpressionSyntax r => r.Expression,
                    _ => null,
                };
                if (target is DeclarationExpressionSyntax) continue;
                if (target != null && _model.GetSymbolInfo(target).Symbol is { } symbol and (ILocalSymbol or IParameterSymbol))
                {
                    _addressTaken.Add(symbol);
                    // A raw pointer may outlive the local's scope (C# lets it): such a local keeps its bytes for the whole method.
                    if (node is PrefixUnaryExpressionSyntax) _pointerTaken.Add(symbol);
                }
            }
        }

        private bool IsOwnMethodCall(ArgumentSyntax argument) =>
            argument.Parent?.Parent is InvocationExpressionSyntax call
            && _model.GetSymbolInfo(call).Symbol is IMethodSymbol m
            && SymbolEqualityComparer.Default.Equals(m.ContainingType, _scope.ObjectType);

        // Which captures several paths assign (a ternary's arms), and which are used as places: assigned to,
        // incremented, passed by ref, or the receiver of a member access. The others are values.
        private void CountCaptureAssignments(ControlFlowGraph cfg)
        {
            var seen = new HashSet<CaptureId>();
            foreach (var block in cfg.Blocks)
                foreach (var op in block.Operations.Concat(block.BranchValue == null ? Enumerable.Empty<IOperation>() : new[] { block.BranchValue }))
                {
                    foreach (var capture in op.DescendantsAndSelf().OfType<IFlowCaptureOperation>())
                        if (!seen.Add(capture.Id)) _multiplyAssigned.Add(capture.Id);
                    foreach (var reference in op.DescendantsAndSelf().OfType<IFlowCaptureReferenceOperation>())
                    {
                        bool usedAsPlace = reference.Parent switch
                        {
                            IAssignmentOperation assignment => assignment.Target == reference,
                            IIncrementOrDecrementOperation => true,
                            // An `in` argument only reads: a conditional or switch passed by `in` is its value (C#
                            // passes a temporary), even when one arm is a local that lives in memory.
                            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                            IMemberReferenceOperation => true,
                            _ => false,
                        };
                        if (usedAsPlace) _placeCaptures.Add(reference.Id);
                    }
                }
        }

        private void LowerBlock(BasicBlock block)
        {
            _current = _blocks[block];
            _blockOrdinal = block.Ordinal;
            if (block.Operations.Length > 0) At(block.Operations[0]);
            WithTemporaries(() => EnterCarryingLoops(block.Ordinal));
            foreach (var local in _frame!.ZeroedAt(block.Ordinal))
                Zero((Place)Variable(local, local.Type, false));
            foreach (var op in block.Operations)
            {
                At(op);
                WithTemporaries(() => Evaluate(op));
            }
            WithTemporaries(() => LowerBlockEnd(block));
        }

        /// <summary>Lowers one operation; its temporaries' bytes are free for the next unless it handed one on.</summary>
        private void WithTemporaries(System.Action lower)
        {
            int mark = _temporaryTop;
            _keepTemporaries = false;
            lower();
            if (!_keepTemporaries) _temporaryTop = mark;
        }

        private void LowerBlockEnd(BasicBlock block)
        {
            if (block.Kind == BasicBlockKind.Exit)
            {
                // Returns end their own blocks; only a void method's fall-through reaches here.
                Return(Operand.Const(0));
                return;
            }
            if (block.Kind == BasicBlockKind.Entry && block.FallThroughSuccessor?.Destination is { } first)
            {
                Jump(_blocks[first]);
                return;
            }

            if (block.BranchValue != null && block.ConditionKind != ControlFlowConditionKind.None)
            {
                At(block.BranchValue);
                var taken = Successor(block.ConditionalSuccessor!, block.BranchValue);
                var fallThrough = Successor(block.FallThroughSuccessor!, block.BranchValue);
                if (block.ConditionKind == ControlFlowConditionKind.WhenTrue) Condition(block.BranchValue, taken, fallThrough);
                else Condition(block.BranchValue, fallThrough, taken);
                return;
            }

            var next = block.FallThroughSuccessor!;
            if (block.BranchValue != null) At(block.BranchValue);
            switch (next.Semantics)
            {
                case ControlFlowBranchSemantics.Return:
                    var value = ReturnValue(block.BranchValue);
                    ExitCarryingLoops(next);
                    Destroy(LeftIterators(next));
                    Return(value);
                    break;
                case ControlFlowBranchSemantics.Regular:
                    if (block.BranchValue != null) Evaluate(block.BranchValue);
                    Jump(Leaving(next, _blocks[next.Destination!]));
                    break;
                case ControlFlowBranchSemantics.Throw:
                case ControlFlowBranchSemantics.Rethrow:
                    throw CompileError.Unsupported(BpfDiagnostics.Exceptions, block.BranchValue?.Syntax ?? _node, "throw", "eBPF has no exceptions: return an error value instead");
                default:
                    throw CompileError.Unsupported(BpfDiagnostics.Exceptions, block.BranchValue?.Syntax ?? _node, next.Semantics.ToString(), "try/catch/finally and using have no eBPF form");
            }
        }

        private IrBlock Successor(ControlFlowBranch branch, IOperation at)
        {
            if (branch.Semantics == ControlFlowBranchSemantics.Regular && branch.Destination != null) return Leaving(branch, _blocks[branch.Destination]);
            throw CompileError.Unsupported(at.Syntax, branch.Semantics.ToString(), "only plain branches have an eBPF form");
        }

        private Operand ReturnValue(IOperation? value)
        {
            if (value == null) return Operand.Const(0);
            var v = Evaluate(value);
            if (_method.ReturnsByRef) return AddressOf(AsPlace(v, value.Syntax));
            return ToOperand(v);
        }

        // ---- block plumbing ----

        private void At(IOperation op)
        {
            _node = op.Syntax;
            _line = op.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        }

        private IrInstruction Emit(IrInstruction ins)
        {
            ins.Line = _line;
            _current.Instructions.Add(ins);
            return ins;
        }

        private void Jump(IrBlock target)
        {
            _current.Terminator = TerminatorKind.Jump;
            _current.Target = target;
            _current.TerminatorLine = _line;
            _current = _function.NewBlock(); // anything emitted after a terminator is unreachable
        }

        private void Branch(Condition condition, Operand left, Operand right, bool is32, IrBlock whenTrue, IrBlock whenFalse)
        {
            _current.Terminator = TerminatorKind.Branch;
            _current.Condition = condition;
            _current.Left = left;
            _current.Right = right;
            _current.Is32 = is32;
            _current.Target = whenTrue;
            _current.Otherwise = whenFalse;
            _current.TerminatorLine = _line;
            _current = _function.NewBlock();
        }

        private void Return(Operand value)
        {
            _current.Terminator = TerminatorKind.Return;
            _current.Left = value;
            _current.TerminatorLine = _line;
            _current = _function.NewBlock();
        }

        private void StartBlock(IrBlock block) => _current = block;

        private int NewRegister() => _function.NewRegister();

        private Place StackTemporary(ITypeSymbol type, string? name = null)
        {
            int size = TypeLayout.SizeOf(type, _node);
            int alignment = TypeLayout.StackAlignment(type, _node);
            _temporaryTop = (_temporaryTop + size + alignment - 1) / alignment * alignment;
            _function.FrameSize = System.Math.Max(_function.FrameSize, _temporaryTop);
            int offset = -_temporaryTop;
            _function.StackUsers.Add(new StackUser(name ?? "temporaries", offset, size, _node.GetLocation()));
            return new Place(Operand.Frame, offset, type, PlaceKind.Stack);
        }
    }
}
