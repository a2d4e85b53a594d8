using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // The CSharpBpf API and the BCL methods that lower to eBPF: contexts, maps, helpers, atomics,
    // byte swaps, calls to the object's other methods.
    internal sealed partial class MethodLowerer
    {
        private Value Invocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var container = method.ContainingType.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(container, _scope.ObjectType)) return CallOwnMethod(invocation);
            if (IsBoolIntrinsic(invocation)) return BoolFromCondition(invocation);
            if (IsContextType(container)) return ContextMethod(invocation);
            if (IsMap(invocation.Instance?.Type)) return MapMethod(invocation);
            if (KernelTypes.IsKernelPointer(container) && method.Name == "As" && invocation.Instance != null)
                return new Scalar(Scalarize(Evaluate(invocation.Instance)).Operand, method.ReturnType); // a C cast: the same address
            if (KnownTypes.Is(container, Known.BpfRange) && method.Name == "GetEnumerator") return BeginRange(invocation);
            if (KnownTypes.Is(container, Known.Bpf) && method.Name == "Range")
                throw CompileError.Unsupported(invocation.Syntax, "Bpf.Range outside a foreach header", "write foreach (int i in Bpf.Range(from, to))");
            if (KnownTypes.Is(container, Known.Bpf)) return BpfHelper(invocation);
            if (KnownTypes.Is(container, Known.SeccompAction) && method.IsStatic) return SeccompActionMethod(invocation);
            if (KnownTypes.Is(container, Known.BpfLog)) return Log(invocation);
            if (KnownTypes.Is(container, Known.Interlocked)) return Atomic(invocation);
            if (KnownTypes.Is(container, Known.Unsafe) && method.Name == "NullRef")
            {
                // A ref to nothing (a ref-returning method's "not found"): address 0, which the null checks and the
                // verifier both know is null, so only a use after Unsafe.IsNullRef is false can follow.
                int none = NewRegister();
                Emit(new IrInstruction(IrOp.Move) { Dst = none, A = Operand.Const(0) });
                return new Place(Operand.Reg(none), 0, method.ReturnType, PlaceKind.Memory, ownsBase: true);
            }
            if (KnownTypes.Is(container, Known.BinaryPrimitives) && method.Name == "ReverseEndianness")
            {
                var value = Scalarize(Evaluate(Argument(invocation, 0)));
                int size = TypeLayout.ScalarSize(method.ReturnType);
                if (size == 1) return value;
                var swapped = new Scalar(Operand.Reg(ByteSwap(value.Operand, size)), method.ReturnType);
                if (size == 2 && TypeLayout.IsSigned(method.ReturnType))
                {
                    int r = NewRegister();
                    Emit(new IrInstruction(IrOp.SignExtend) { Dst = r, A = swapped.Operand, Size = 2 });
                    return new Scalar(Operand.Reg(r), method.ReturnType);
                }
                return swapped;
            }
            if (method.ContainingType.ToDisplayString() == "System.Linq.Enumerable")
                throw CompileError.Unsupported(BpfDiagnostics.Lambda, invocation.Syntax, $"LINQ ('{method.Name}')", "write the loop out with a constant bound");
            if (method.IsVirtual || method.IsAbstract || method.IsOverride || method.ContainingType.TypeKind is TypeKind.Interface or TypeKind.Delegate)
                throw CompileError.Unsupported(BpfDiagnostics.IndirectCall, invocation.Syntax, $"the {(method.ContainingType.TypeKind == TypeKind.Delegate ? "delegate" : "virtual or interface")} call '{method.ContainingType.Name}.{method.Name}'",
                    "eBPF calls only known functions: call a static method of the object");
            throw CompileError.Unsupported(invocation.Syntax, $"'{method.ContainingType.Name}.{method.Name}'",
                "only the object's own static methods, CSharpBpf's contexts, maps and Bpf helpers, Interlocked, BinaryPrimitives.ReverseEndianness, Unsafe.IsNullRef and Unsafe.NullRef lower to eBPF");
        }

        private static IOperation Argument(IInvocationOperation invocation, int ordinal) =>
            invocation.Arguments.First(a => a.Parameter?.Ordinal == ordinal).Value;

        private bool IsBoolIntrinsic(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var container = method.ContainingType.OriginalDefinition;
            if (KnownTypes.Is(container, Known.Unsafe)) return method.Name == "IsNullRef";
            if (IsContextType(container)) return method.Name is "TryRead" or "TryLoad" or "TryStore" or "AdjustHead" or "AdjustTail";
            if (KnownTypes.Is(container, Known.Bpf)) return method.Name == "GetCurrentComm";
            if (KnownTypes.Is(container, Known.Comm)) return method.Name is "Is" or "Equals" && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType != SpecialType.System_Object;
            return method.ReturnType.SpecialType == SpecialType.System_Boolean && IsMap(invocation.Instance?.Type);
        }

        // A map's methods live in a shared base class; the map kind is on the field's own type.
        private static bool IsMap(ITypeSymbol? type) => type?.GetAttributes().Any(a => a.AttributeClass?.Name == "BpfMapKindAttribute") == true;

        /// <summary>Lowers the bool-returning intrinsics straight to branches.</summary>
        private bool TryIntrinsicCondition(IInvocationOperation invocation, IrBlock whenTrue, IrBlock whenFalse)
        {
            if (!IsBoolIntrinsic(invocation)) return false;
            var method = invocation.TargetMethod;
            var container = method.ContainingType.OriginalDefinition;
            if (KnownTypes.Is(container, Known.Unsafe))
            {
                var reference = AddressOf(AsPlace(Evaluate(Argument(invocation, 0)), invocation.Syntax));
                Branch(Ir.Condition.Equal, reference, Operand.Const(0), false, whenTrue, whenFalse);
                return true;
            }
            if (IsContextType(container))
            {
                var context = ((ContextValue)Evaluate(invocation.Instance!)).Pointer;
                switch (method.Name)
                {
                    case "TryRead":
                        TryReadPacket(invocation, context, whenTrue, whenFalse);
                        return true;
                    case "TryLoad":
                        TryLoadBytes(invocation, context, whenTrue, whenFalse);
                        return true;
                    case "TryStore":
                    {
                        var type = method.TypeArguments[0];
                        var source = AddressOf(AsPlace(Evaluate(Argument(invocation, 1)), invocation.Syntax));
                        var offset = Convert(Scalarize(Evaluate(Argument(invocation, 0))), Known.UInt32, true).Operand;
                        SucceedsWhenZero(CallHelper(HelperIds.SkbStoreBytes, context, offset, source, Operand.Const(TypeLayout.SizeOf(type, _node)), Operand.Const(0)), whenTrue, whenFalse);
                        return true;
                    }
                    default: // AdjustHead / AdjustTail
                    {
                        var delta = Scalarize(Evaluate(Argument(invocation, 0))).Operand;
                        SucceedsWhenZero(CallHelper(method.Name == "AdjustHead" ? HelperIds.XdpAdjustHead : HelperIds.XdpAdjustTail, context, delta), whenTrue, whenFalse);
                        return true;
                    }
                }
            }
            if (KnownTypes.Is(container, Known.Bpf))
            {
                var buffer = AsPlace(Evaluate(Argument(invocation, 0)), invocation.Syntax);
                SucceedsWhenZero(CallHelper(HelperIds.GetCurrentComm, AddressOf(buffer), Operand.Const(TypeLayout.SizeOf(buffer.Type, _node))), whenTrue, whenFalse);
                return true;
            }
            if (KnownTypes.Is(container, Known.Comm))
            {
                var comm = AsPlace(Evaluate(invocation.Instance!), invocation.Syntax);
                if (method.Name == "Equals") SameBytes(comm, AsPlace(Evaluate(Argument(invocation, 0)), invocation.Syntax), whenTrue, whenFalse);
                else CommIs(comm, Argument(invocation, 0), whenTrue, whenFalse);
                return true;
            }
            MapCondition(invocation, whenTrue, whenFalse);
            return true;
        }

        /// <summary>comm.Is("name"u8): the name's bytes and the NUL after them, compared a chunk at a time.</summary>
        private void CommIs(Place comm, IOperation name, IrBlock whenTrue, IrBlock whenFalse)
        {
            if (name is not IUtf8StringOperation literal)
                throw CompileError.Unsupported(name.Syntax, $"'{name.Syntax}' as a command name", "write the name as a UTF-8 literal (comm.Is(\"cat\"u8)), or compare with a Comm global set before load (comm == Target)");
            var bytes = System.Text.Encoding.UTF8.GetBytes(literal.Value);
            int size = TypeLayout.SizeOf(comm.Type, name.Syntax);
            if (bytes.Length >= size)
                throw CompileError.Unsupported(name.Syntax, $"the name \"{literal.Value}\" ({bytes.Length} bytes)", $"a command name holds at most {size - 1} bytes before its NUL: the kernel truncates longer names");
            var expected = new byte[bytes.Length + 1];
            bytes.CopyTo(expected, 0);
            CompareBytes(comm, null, expected, whenTrue, whenFalse);
        }

        /// <summary>Two values of the same type byte for byte (Comm == Comm).</summary>
        private void SameBytes(Place left, Place right, IrBlock whenTrue, IrBlock whenFalse) =>
            CompareBytes(left, right, new byte[TypeLayout.SizeOf(left.Type, _node)], whenTrue, whenFalse);

        /// <summary>Branches to <paramref name="whenTrue"/> when the first <c>expected.Length</c> bytes of <paramref name="left"/>
        /// equal those of <paramref name="right"/>, or (without it) the constant bytes: 8-, 4-, 2- and 1-byte loads, aligned as the
        /// verifier wants stack accesses.</summary>
        private void CompareBytes(Place left, Place? right, byte[] expected, IrBlock whenTrue, IrBlock whenFalse)
        {
            for (int done = 0; done < expected.Length;)
            {
                int chunk = Chunk(expected.Length - done, left, right ?? left, done);
                int loaded = NewRegister();
                Emit(new IrInstruction(IrOp.Load) { Dst = loaded, A = left.Base, Offset = left.Offset + done, Size = chunk });
                Operand other;
                if (right != null)
                {
                    int r = NewRegister();
                    Emit(new IrInstruction(IrOp.Load) { Dst = r, A = right.Base, Offset = right.Offset + done, Size = chunk });
                    other = Operand.Reg(r);
                }
                else
                {
                    long constant = 0;
                    for (int i = chunk - 1; i >= 0; i--) constant = (constant << 8) | expected[done + i];
                    other = Operand.Const(constant);
                }
                var next = _function.NewBlock();
                Branch(Ir.Condition.NotEqual, Operand.Reg(loaded), other, chunk < 8, whenFalse, next);
                StartBlock(next);
                done += chunk;
            }
            Jump(whenTrue);
        }

        private void SucceedsWhenZero(Operand result, IrBlock whenTrue, IrBlock whenFalse) =>
            Branch(Ir.Condition.Equal, result, Operand.Const(0), true, whenTrue, whenFalse);

        private Operand CallHelper(int helper, params Operand[] arguments)
        {
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.CallHelper) { Dst = r, Helper = helper, Arguments = arguments });
            return Operand.Reg(r);
        }

        // ---- contexts ----

        /// <summary>data and data_end. When nothing can move the packet they are loaded once, in the entry
        /// block (which dominates every use), as clang keeps them in registers.</summary>
        private (Operand Data, Operand End) PacketBounds(Operand context, ITypeSymbol contextType)
        {
            if (_bounds is { } cached && cached.Context == context.Register) return (cached.Data, cached.End);
            bool xdp = KnownTypes.Is(contextType, Known.XdpContext);
            bool once = _packet is { PacketMayMove: false, HasLoops: false } && context.IsRegister && _function.Parameters.Contains(context.Register);
            var current = _current;
            if (once) _current = _function.Blocks[0];
            var data = Load(new Place(context, xdp ? 0 : 76, Known.UInt32, PlaceKind.Context));
            _current.Instructions[_current.Instructions.Count - 1].PacketPointer = true;
            var end = Load(new Place(context, xdp ? 4 : 80, Known.UInt32, PlaceKind.Context));
            _current.Instructions[_current.Instructions.Count - 1].PacketPointer = true;
            _current = current;
            if (once) _bounds = (context.Register, Operand.Reg(data), Operand.Reg(end));
            return (Operand.Reg(data), Operand.Reg(end));
        }

        /// <summary>ctx.TryRead&lt;T&gt;(offset, out value): a bounds check against data_end the verifier
        /// recognises, then a copy out of the packet; the value is zeroed when the packet is too short.</summary>
        private void TryReadPacket(IInvocationOperation invocation, Operand context, IrBlock whenTrue, IrBlock whenFalse)
        {
            if (_programKind == ProgramKind.SocketFilter)
                throw CompileError.Unsupported(invocation.Syntax, "TryRead in a socket filter", "socket filters cannot read the packet directly: use TryLoad");
            var type = invocation.TargetMethod.TypeArguments[0];
            var inBounds = _function.NewBlock();
            var outOfBounds = _function.NewBlock();
            var packet = CheckedPacketPlace(invocation, context, type, inBounds, outOfBounds);
            if (Argument(invocation, 1) is IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } && _packet!.AliasedHeaders.Contains(declared.Local))
            {
                // Read in place: the header is only used where this TryRead succeeded and the packet is never written.
                _locals[declared.Local] = LocalStorage.InMemory(packet);
                StartBlock(inBounds);
                Jump(whenTrue);
                StartBlock(outOfBounds);
                Jump(whenFalse);
                return;
            }
            var target = Evaluate(Argument(invocation, 1));
            StartBlock(inBounds);
            StoreInto(target, packet, invocation.Syntax);
            Jump(whenTrue);
            StartBlock(outOfBounds);
            ZeroInto(target, type);
            Jump(whenFalse);
        }

        /// <summary>The place at data + offset, branching to <paramref name="inBounds"/> when <paramref name="size"/>
        /// bytes from there lie before data_end. A constant offset stays in the loads' offsets (data + offset + size is
        /// the one sum, as clang writes it); a variable offset is bounded first unless its range is evident (a header
        /// length), because the verifier refuses packet arithmetic with an unbounded register.</summary>
        private Place CheckedPacketPlace(IInvocationOperation invocation, Operand context, ITypeSymbol type, IrBlock inBounds, IrBlock outOfBounds)
        {
            int size = TypeLayout.SizeOf(type, invocation.Syntax);
            var offsetArgument = Argument(invocation, 0);
            var offset = Scalarize(Evaluate(offsetArgument));
            if (offset.Operand.IsConstant)
            {
                long constant = RealValue(offset.Operand.Constant, offset.Type);
                var (data, end) = PacketBounds(context, invocation.Instance!.Type!);
                if (constant < 0 || constant > 0xffff - size)
                {
                    // Before the packet, or past the most the verifier lets a packet pointer reach: no packet has these bytes.
                    _function.Warnings.Add(Diagnostic.Create(BpfDiagnostics.PacketAccessAlwaysFails, offsetArgument.Syntax.GetLocation(), constant, size,
                        invocation.TargetMethod.Name == "TryRead" ? "TryRead returns false" : "the ref is null"));
                    Jump(outOfBounds);
                    return new Place(data, 0, type, PlaceKind.Memory);
                }
                int limit = NewRegister();
                Emit(new IrInstruction(IrOp.Alu) { Dst = limit, Alu = AluOperation.Add, A = data, B = Operand.Const(constant + size) });
                Branch(Ir.Condition.Greater, Operand.Reg(limit), end, false, outOfBounds, inBounds);
                return new Place(data, (int)constant, type, PlaceKind.Memory);
            }
            // The verifier sets a packet pointer's range only when its variable part plus the access's end stays within
            // MAX_PACKET_OFF (find_good_pkt_pointers), so the bound is 0xffff - size. Compared as unsigned 64-bit, a
            // negative offset is out of bounds too, and the read fails as it does in .NET.
            if (ValueRange.MaximumKnownToVerifier(offsetArgument, _model) is not long maximum || maximum > 0xffff - size)
            {
                offset = Convert(offset, Known.UInt64, true);
                var bounded = _function.NewBlock();
                Branch(Ir.Condition.Greater, offset.Operand, Operand.Const(0xffff - size), false, outOfBounds, bounded);
                StartBlock(bounded);
            }
            var (start, dataEnd) = PacketBounds(context, invocation.Instance!.Type!);
            int pointer = NewRegister();
            Emit(new IrInstruction(IrOp.Alu) { Dst = pointer, Alu = AluOperation.Add, A = start, B = offset.Operand });
            int last = NewRegister();
            Emit(new IrInstruction(IrOp.Alu) { Dst = last, Alu = AluOperation.Add, A = Operand.Reg(pointer), B = Operand.Const(size) });
            Branch(Ir.Condition.Greater, Operand.Reg(last), dataEnd, false, outOfBounds, inBounds);
            return new Place(Operand.Reg(pointer), 0, type, PlaceKind.Memory);
        }

        private void ZeroInto(Value target, ITypeSymbol type)
        {
            if (target is Scalar { Operand.IsRegister: true } register) Move(register.Operand.Register, Operand.Const(0));
            else if (target is Place place) Zero(place);
        }

        /// <summary>skb.TryLoad&lt;T&gt;(offset, out value): bpf_skb_load_bytes into the stack.</summary>
        private void TryLoadBytes(IInvocationOperation invocation, Operand context, IrBlock whenTrue, IrBlock whenFalse)
        {
            var type = invocation.TargetMethod.TypeArguments[0];
            int size = TypeLayout.SizeOf(type, invocation.Syntax);
            var offset = Convert(Scalarize(Evaluate(Argument(invocation, 0))), Known.UInt32, true).Operand;
            var target = Evaluate(Argument(invocation, 1));
            var buffer = target as Place is { Kind: PlaceKind.Stack } stack ? stack : StackTemporary(type);
            var result = CallHelper(HelperIds.SkbLoadBytes, context, offset, AddressOf(buffer), Operand.Const(size));
            var loaded = _function.NewBlock();
            var failed = _function.NewBlock();
            SucceedsWhenZero(result, loaded, failed);
            StartBlock(loaded);
            if (!ReferenceEquals(buffer, target)) StoreInto(target, buffer, invocation.Syntax);
            Jump(whenTrue);
            StartBlock(failed);
            ZeroInto(target, type);
            Jump(whenFalse);
        }

        private Value ContextMethod(IInvocationOperation invocation)
        {
            var context = ((ContextValue)Evaluate(invocation.Instance!)).Pointer;
            var method = invocation.TargetMethod;
            if (KnownTypes.Is(invocation.Instance!.Type, Known.UsdtContext) && method.Name == "Arg") return UsdtArgument(invocation, context);
            switch (method.Name)
            {
                case "GetRefOrNullRef":
                {
                    var type = method.TypeArguments[0];
                    int result = NewRegister();
                    Move(result, Operand.Const(0));
                    var inBounds = _function.NewBlock();
                    var join = _function.NewBlock();
                    var packet = CheckedPacketPlace(invocation, context, type, inBounds, join);
                    StartBlock(inBounds);
                    Emit(new IrInstruction(IrOp.Move) { Dst = result, A = AddressOf(packet), NonNull = true });
                    Jump(join);
                    StartBlock(join);
                    return new Place(Operand.Reg(result), 0, type, PlaceKind.Memory, ownsBase: true);
                }
                case "Matches":
                    return PacketFilterMatch(invocation, context);
                case "Arg":
                {
                    var index = Argument(invocation, 0);
                    if (!index.ConstantValue.HasValue || index.ConstantValue.Value is not int i || i < 0 || i >= 12)
                        throw CompileError.Unsupported(index.Syntax, "a raw tracepoint argument index that is not a constant from 0 to 11", "index with a constant");
                    return new Scalar(Operand.Reg(Load(new Place(context, i * 8, Known.UInt64, PlaceKind.Context))), method.ReturnType);
                }
                case "Redirect":
                {
                    var ifindex = Convert(Scalarize(Evaluate(Argument(invocation, 0))), Known.UInt32, true).Operand;
                    return new Scalar(CallHelper(HelperIds.Redirect, ifindex, Operand.Const(0)), method.ReturnType);
                }
                default:
                    throw CompileError.Unsupported(invocation.Syntax, $"'{method.ContainingType.Name}.{method.Name}'", "it has no eBPF lowering");
            }
        }

        private Value ContextProperty(ContextValue context, IPropertySymbol property, SyntaxNode at)
        {
            if (KnownTypes.Is(context.Type, Known.SeccompData)) return SeccompDataProperty(context, property, at);
            if (KnownTypes.Is(context.Type, Known.TracepointContext))
            {
                // The record: an 8-byte common header programs may not read, then the event's fields.
                if (property.Name == "Args") return new Place(context.Pointer, 8, property.Type, PlaceKind.Context);
            }
            // A BTF-typed program's arguments: 8-byte slots from the start of the context.
            if (KnownTypes.Is(context.Type, Known.TracingContext) && property.Name == "Args") return new Place(context.Pointer, 0, property.Type, PlaceKind.Context);
            if (KnownTypes.Is(context.Type, Known.UsdtContext) && property.Name == "ArgCount") return UsdtArgumentCount(context.Pointer, property.Type);
            if (KnownTypes.Is(context.Type, Known.PtRegs) && PtRegsOffset(property.Name) is int register)
                return new Scalar(Operand.Reg(Load(new Place(context.Pointer, register, Known.UInt64, PlaceKind.Context))), property.Type);
            if (!KnownTypes.Is(context.Type, Known.XdpContext) && !KnownTypes.Is(context.Type, Known.SkBuff))
                throw CompileError.Unsupported(at, $"'{context.Type.Name}.{property.Name}'", "it has no eBPF lowering");
            bool xdp = KnownTypes.Is(context.Type, Known.XdpContext);
            if (property.Name == "Length" && xdp)
            {
                var (data, end) = PacketBounds(context.Pointer, context.Type);
                int length = NewRegister();
                Emit(new IrInstruction(IrOp.Alu) { Dst = length, Alu = AluOperation.Sub, A = end, B = data });
                return new Scalar(Operand.Reg(length), property.Type, nonNegative: true);
            }
            int? offset = (xdp, property.Name) switch
            {
                (true, "Data") => 0,
                (true, "DataEnd") => 4,
                (true, "IngressIfindex") => 12,
                (true, "RxQueueIndex") => 16,
                (false, "Length") => 0,
                (false, "Mark") => 8,
                (false, "Protocol") => 16,
                (false, "Priority") => 32,
                (false, "IngressIfindex") => 36,
                (false, "Ifindex") => 40,
                (false, "Hash") => 68,
                (false, "Data") => 76,
                (false, "DataEnd") => 80,
                _ => null,
            };
            if (offset == null) throw CompileError.Unsupported(at, $"'{context.Type.Name}.{property.Name}'", "it has no eBPF lowering");
            // The kernel rewrites context loads by field; they must be 32-bit loads at the field's offset.
            var raw = Operand.Reg(Load(new Place(context.Pointer, offset.Value, Known.UInt32, PlaceKind.Context)));
            if (property.Name == "Protocol") raw = Operand.Reg(ByteSwap(raw, 2));
            return new Scalar(raw, property.Type);
        }

        /// <summary>Where struct pt_regs keeps an argument register: x86-64 rdi, rsi, rdx, rcx, r8 and rax;
        /// arm64 x0…x4 and x0 (user_pt_regs.regs[n]).</summary>
        private int? PtRegsOffset(string property)
        {
            int? index = property switch { "Arg1" => 0, "Arg2" => 1, "Arg3" => 2, "Arg4" => 3, "Arg5" => 4, "ReturnValue" => 5, _ => null };
            if (index is not int i) return null;
            if (_scope.IsArm64) return i == 5 ? 0 : i * 8;
            return new[] { 112, 104, 96, 88, 72, 80 }[i];
        }

        private Value AssignContextProperty(IPropertyReferenceOperation property, Operand value)
        {
            var context = (ContextValue)Evaluate(property.Instance!);
            int? offset = KnownTypes.Is(context.Type, Known.SkBuff)
                ? property.Property.Name switch { "Mark" => 8, "Priority" => 32, _ => (int?)null }
                : null;
            if (offset == null) throw CompileError.Unsupported(property.Syntax, $"assignment to '{property.Property.Name}'", "only SkBuff.Mark and SkBuff.Priority are writable");
            Store(new Place(context.Pointer, offset.Value, Known.UInt32, PlaceKind.Context), InRegister(value));
            return new Scalar(value, property.Property.Type);
        }

        // ---- maps ----

        private Operand MapAddress(MapDeclaration map)
        {
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.MapAddress) { Dst = r, Symbol = map.Name });
            return Operand.Reg(r);
        }

        private Operand AddressOfArgument(IOperation argument, ITypeSymbol type)
        {
            var value = Evaluate(argument);
            if (value is Scalar scalar) value = new Scalar(scalar.Operand, type);
            if (value is Place { Kind: PlaceKind.Context } field)
            {
                // Helpers cannot take a pointer into the context: pass a copy on the stack, as an `in` argument allows.
                var copy = StackTemporary(type);
                Copy(copy, field);
                value = copy;
            }
            return AddressOf(AsPlace(value, argument.Syntax));
        }

        private MapDeclaration MapOf(IInvocationOperation invocation) =>
            Evaluate(invocation.Instance ?? throw CompileError.Unsupported(invocation.Syntax, "a static map method", "call it on a map field"))
                is MapReference map ? map.Map
                : throw CompileError.Unsupported(invocation.Syntax, $"'{invocation.Instance.Syntax}'", "maps are used through the object's static readonly map fields");

        private const int ArrayMap = 2, PerCpuArrayMap = 6;

        private Operand Lookup(MapDeclaration map, IInvocationOperation invocation)
        {
            var keyArgument = Argument(invocation, 0);
            // An array element at a constant index below the size always exists (.NET's GetValueRefOrNullRef cannot return
            // null there either), but only verifiers from Linux 6.14 know it; for older ones, and when the target kernel is
            // not said, the ref must be tested like any other (BPF0015).
            bool alwaysFound = map.MapType is ArrayMap or PerCpuArrayMap && keyArgument.ConstantValue.HasValue
                && Constants.ToLong(keyArgument.ConstantValue.Value) is long index && index >= 0 && index < map.MaxEntries
                && _scope.TargetKernel is { } target && target.CompareTo(Checks.KernelFeatures.ConstantArrayKeysFound) >= 0;
            var key = AddressOfArgument(keyArgument, map.KeyType!);
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.CallHelper) { Dst = r, Helper = HelperIds.MapLookupElem, Arguments = new[] { MapAddress(map), key }, NonNull = alwaysFound });
            return Operand.Reg(r);
        }

        private void MapCondition(IInvocationOperation invocation, IrBlock whenTrue, IrBlock whenFalse)
        {
            var map = MapOf(invocation);
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "TryGetValue":
                {
                    var found = Lookup(map, invocation);
                    var target = Evaluate(Argument(invocation, 1));
                    var hit = _function.NewBlock();
                    var miss = _function.NewBlock();
                    Branch(Ir.Condition.Equal, found, Operand.Const(0), false, miss, hit);
                    StartBlock(hit);
                    StoreInto(target, new Place(found, 0, map.ValueType!, PlaceKind.Memory), invocation.Syntax);
                    Jump(whenTrue);
                    StartBlock(miss);
                    ZeroInto(target, map.ValueType!);
                    Jump(whenFalse);
                    return;
                }
                case "Update":
                case "TryAdd":
                {
                    var key = AddressOfArgument(Argument(invocation, 0), map.KeyType!);
                    var value = AddressOfArgument(Argument(invocation, 1), map.ValueType!);
                    var flags = method.Name == "TryAdd" ? Operand.Const(1) : Scalarize(Evaluate(Argument(invocation, 2))).Operand;
                    SucceedsWhenZero(CallHelper(HelperIds.MapUpdateElem, MapAddress(map), key, value, flags), whenTrue, whenFalse);
                    return;
                }
                case "Remove":
                {
                    var key = AddressOfArgument(Argument(invocation, 0), map.KeyType!);
                    SucceedsWhenZero(CallHelper(HelperIds.MapDeleteElem, MapAddress(map), key), whenTrue, whenFalse);
                    return;
                }
                case "Output" when map.MapType == PerfEventArrayMap:
                    SucceedsWhenZero(PerfOutput(map, invocation), whenTrue, whenFalse);
                    return;
                case "Output":
                {
                    var type = method.TypeArguments[0];
                    var data = AddressOfArgument(Argument(invocation, 0), type);
                    SucceedsWhenZero(CallHelper(HelperIds.RingbufOutput, MapAddress(map), data, Operand.Const(TypeLayout.SizeOf(type, invocation.Syntax)), Operand.Const(0)), whenTrue, whenFalse);
                    return;
                }
                default:
                    throw CompileError.Unsupported(invocation.Syntax, $"'{method.ContainingType.Name}.{method.Name}'", "it has no eBPF lowering");
            }
        }

        private Value MapMethod(IInvocationOperation invocation)
        {
            var map = MapOf(invocation);
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "GetValueRefOrNullRef":
                    return new Place(Lookup(map, invocation), 0, map.ValueType!, PlaceKind.Memory, ownsBase: true);
                case "TailCall":
                {
                    var context = ToOperand(Evaluate(Argument(invocation, 0)));
                    var index = Convert(Scalarize(Evaluate(Argument(invocation, 1))), Known.UInt32, true).Operand;
                    Emit(new IrInstruction(IrOp.CallHelper) { Helper = HelperIds.TailCall, Arguments = new[] { context, MapAddress(map), index } });
                    return Void;
                }
                default:
                    return TracingMapMethod(map, invocation)
                        ?? throw CompileError.Unsupported(invocation.Syntax, $"'{method.ContainingType.Name}.{method.Name}'", "it has no eBPF lowering");
            }
        }

        // ---- Bpf helpers ----

        private Value BpfHelper(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (KernelQuery(invocation) is { } kernel) return kernel;
            int? simple = method.Name switch
            {
                "KtimeGetNs" => HelperIds.KtimeGetNs,
                "GetCurrentPidTgid" => HelperIds.GetCurrentPidTgid,
                "GetCurrentUidGid" => HelperIds.GetCurrentUidGid,
                "GetSmpProcessorId" => HelperIds.GetSmpProcessorId,
                "GetPrandomU32" => HelperIds.GetPrandomU32,
                _ => null,
            };
            if (simple != null) return new Scalar(CallHelper(simple.Value), method.ReturnType);
            int? probeRead = method.Name switch
            {
                "ProbeReadUser" => HelperIds.ProbeReadUser,
                "ProbeReadKernel" => HelperIds.ProbeReadKernel,
                "ProbeReadUserString" => HelperIds.ProbeReadUserString,
                "ProbeReadKernelString" => HelperIds.ProbeReadKernelString,
                _ => null,
            };
            if (probeRead != null) return ProbeRead(invocation, probeRead.Value);
            if (method.Name == "SendSignal")
                return new Scalar(CallHelper(HelperIds.SendSignal, Convert(Scalarize(Evaluate(Argument(invocation, 0))), Known.UInt32, true).Operand), method.ReturnType);
            if (method.Name == "Printk") return Printk(invocation);
            throw CompileError.Unsupported(invocation.Syntax, $"'Bpf.{method.Name}'", "it has no eBPF lowering for this program type");
        }

        /// <summary>Bpf.Printk($"…{a}…") → bpf_trace_printk with the format in .rodata and up to three arguments.</summary>
        private Value Printk(IInvocationOperation invocation)
        {
            var argument = Argument(invocation, 0);
            if (argument is IConversionOperation conversion) argument = conversion.Operand;
            var format = new StringBuilder();
            var values = new List<Operand>();
            if (argument is ILiteralOperation { ConstantValue.Value: string literal })
            {
                format.Append(literal.Replace("%", "%%"));
            }
            else if (argument is IInterpolatedStringOperation interpolated)
            {
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation text)
                    {
                        format.Append(((string)text.Text.ConstantValue.Value!).Replace("%", "%%"));
                        continue;
                    }
                    var hole = (IInterpolationOperation)part;
                    if (hole.Alignment != null || hole.FormatString != null)
                        throw CompileError.At(BpfDiagnostics.PrintkFormat, hole.Syntax, "alignment and format strings are not supported");
                    var value = Evaluate(hole.Expression);
                    var type = hole.Expression.Type!;
                    if (value is not Scalar && value is not Place || !TypeLayout.IsScalar(type))
                        throw CompileError.At(BpfDiagnostics.PrintkFormat, hole.Syntax, $"'{hole.Expression.Syntax}' is not an integer");
                    if (values.Count == 3)
                        throw CompileError.At(BpfDiagnostics.PrintkFormat, hole.Syntax, "it has more than 3 holes");
                    bool wide = TypeLayout.Is64(type);
                    format.Append(type is IPointerTypeSymbol ? "%p" : (wide ? "%ll" : "%") + (TypeLayout.IsSigned(type) ? "d" : "u"));
                    var operand = ToOperand(value);
                    if (!wide && TypeLayout.IsSigned(type)) operand = Convert(new Scalar(operand, type), Known.Int64, true).Operand;
                    values.Add(operand);
                }
            }
            else
            {
                throw CompileError.At(BpfDiagnostics.PrintkFormat, argument.Syntax, "the argument is not an interpolated string");
            }
            format.Append('\n');
            string text2 = format.ToString();
            int offset = _scope.AddString(text2);
            int address = NewRegister();
            Emit(new IrInstruction(IrOp.GlobalAddress) { Dst = address, Symbol = ".rodata", Offset = offset });
            var arguments = new List<Operand> { Operand.Reg(address), Operand.Const(Encoding.UTF8.GetByteCount(text2) + 1) };
            arguments.AddRange(values);
            Emit(new IrInstruction(IrOp.CallHelper) { Helper = HelperIds.TracePrintk, Arguments = arguments });
            return Void;
        }

        // ---- Interlocked ----

        private Value Atomic(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var location = AsPlace(Evaluate(Argument(invocation, 0)), invocation.Syntax);
            var type = method.ReturnType;
            int size = TypeLayout.ScalarSize(type);
            if (size != 4 && size != 8)
                throw CompileError.Unsupported(invocation.Syntax, $"Interlocked on '{type}'", "atomics work on int, uint, long and ulong");
            var pointer = location.Base.IsFrame ? location.Base : InRegister(location.Base);
            bool resultUsed = invocation.Parent is not null and not IExpressionStatementOperation;
            Operand operand;
            AtomicOperation op;
            switch (method.Name)
            {
                case "Increment": operand = Operand.Const(1); op = AtomicOperation.Add; break;
                case "Decrement": operand = Operand.Const(Canonical(-1, type)); op = AtomicOperation.Add; break;
                case "Add": operand = ToOperand(Evaluate(Argument(invocation, 1))); op = AtomicOperation.Add; break;
                case "And": operand = ToOperand(Evaluate(Argument(invocation, 1))); op = AtomicOperation.And; break;
                case "Or": operand = ToOperand(Evaluate(Argument(invocation, 1))); op = AtomicOperation.Or; break;
                case "Exchange":
                {
                    int old = NewRegister();
                    Emit(new IrInstruction(IrOp.Atomic) { Dst = old, A = pointer, Offset = location.Offset, Size = size, B = ToOperand(Evaluate(Argument(invocation, 1))), Atomic = AtomicOperation.Exchange });
                    return new Scalar(Operand.Reg(old), type);
                }
                case "CompareExchange":
                {
                    var value = InRegister(ToOperand(Evaluate(Argument(invocation, 1))));
                    var comparand = ToOperand(Evaluate(Argument(invocation, 2)));
                    int old = NewRegister();
                    Emit(new IrInstruction(IrOp.CompareExchange) { Dst = old, A = pointer, Offset = location.Offset, Size = size, B = value, C = comparand });
                    return new Scalar(Operand.Reg(old), type);
                }
                default:
                    throw CompileError.Unsupported(invocation.Syntax, $"'Interlocked.{method.Name}'", "use Add, Increment, Decrement, And, Or, Exchange or CompareExchange");
            }
            if (!resultUsed)
            {
                Emit(new IrInstruction(IrOp.Atomic) { A = pointer, Offset = location.Offset, Size = size, B = operand, Atomic = op });
                return Void;
            }
            int fetched = NewRegister();
            Emit(new IrInstruction(IrOp.Atomic) { Dst = fetched, A = pointer, Offset = location.Offset, Size = size, B = operand, Atomic = op });
            var old2 = new Scalar(Operand.Reg(fetched), type);
            // Interlocked.Add/Increment return the new value; And/Or return the original.
            if (op != AtomicOperation.Add) return old2;
            return Arithmetic(BinaryOperatorKind.Add, old2, new Scalar(operand, type), type, invocation.Syntax);
        }

        // ---- the object's own methods ----

        /// <summary>
        /// Whether <paramref name="method"/> may return a ref into <paramref name="parameter"/>: some `return ref` names it
        /// (directly, through fields or elements, or in either arm of a conditional). A return of anything else that could
        /// alias a parameter (a ref local, a call) counts for every parameter, so the answer errs towards yes.
        /// </summary>
        private bool MayReturnByRef(IMethodSymbol method, IParameterSymbol parameter)
        {
            if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax syntax) return true;
            var model = _scope.Compilation.GetSemanticModel(syntax.SyntaxTree);
            var returned = syntax.DescendantNodes().OfType<ReturnStatementSyntax>().Select(r => r.Expression)
                .Append(syntax.ExpressionBody?.Expression).Where(e => e != null);
            foreach (var expression in returned)
                foreach (var root in Roots(expression!))
                {
                    var symbol = model.GetSymbolInfo(root).Symbol;
                    if (symbol is IParameterSymbol p ? SymbolEqualityComparer.Default.Equals(p, parameter) : symbol is not IFieldSymbol { IsStatic: true })
                        return true;
                }
            return false;

            static IEnumerable<ExpressionSyntax> Roots(ExpressionSyntax e)
            {
                switch (e)
                {
                    case RefExpressionSyntax r: return Roots(r.Expression);
                    case ParenthesizedExpressionSyntax p: return Roots(p.Expression);
                    case ConditionalExpressionSyntax c: return Roots(c.WhenTrue).Concat(Roots(c.WhenFalse));
                    case MemberAccessExpressionSyntax m: return Roots(m.Expression);
                    case ElementAccessExpressionSyntax a: return Roots(a.Expression);
                    default: return new[] { e };
                }
            }
        }

        private Value CallOwnMethod(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (!method.IsStatic) throw CompileError.Unsupported(invocation.Syntax, "an instance method", "BPF objects are static classes");
            if (method.GetAttributes().Any(a => ProgramKinds.Of(a) != null))
                throw CompileError.Unsupported(invocation.Syntax, $"calling program '{method.Name}'", "programs are entry points; move the shared code into a method without a program attribute");
            _scope.AddCall(_method, method);
            var arguments = new List<Operand>();
            var copyBacks = new List<(Place Temporary, Value Destination)>();
            foreach (var parameter in method.Parameters)
            {
                var argument = Argument(invocation, parameter.Ordinal);
                // Lowered once, in order, and passed (a struct copied) before the next argument runs, as C# evaluates them.
                var value = Evaluate(argument);
                if (method.ReturnsByRef && parameter.RefKind != RefKind.None && MayReturnByRef(method, parameter) && value is Place { Kind: PlaceKind.Stack })
                    throw CompileError.Unsupported(invocation.Syntax, $"'{method.Name}' returning a ref that may point into this method's stack",
                        "the verifier refuses stack pointers returned by a function: return a ref into a map value or the packet, or return the value");
                if (value is ContextValue context) arguments.Add(context.Pointer);
                else if (parameter.RefKind != RefKind.None)
                {
                    // A local kept in a register passes through a stack temporary (filled first unless it is an out
                    // argument, whose old value is never read); what the callee wrote comes back.
                    bool inRegister = value is Scalar { Operand.IsRegister: true };
                    var place = inRegister && parameter.RefKind == RefKind.Out ? StackTemporary(parameter.Type) : AsPlace(value, argument.Syntax);
                    if (inRegister && parameter.RefKind != RefKind.In) copyBacks.Add((place, value));
                    arguments.Add(AddressOf(place));
                }
                else if (!TypeLayout.IsScalar(parameter.Type))
                {
                    var copy = StackTemporary(parameter.Type);
                    Copy(copy, AsPlace(value, argument.Syntax));
                    arguments.Add(AddressOf(copy));
                }
                else arguments.Add(Convert(Scalarize(value), parameter.Type, true).Operand);
            }
            if (!method.ReturnsByRef && !method.ReturnsVoid && !TypeLayout.IsScalar(method.ReturnType))
                throw CompileError.Unsupported(invocation.Syntax, $"'{method.Name}' returning a struct", "return it through an out parameter or a ref");
            int result = method.ReturnsVoid ? -1 : NewRegister();
            Emit(new IrInstruction(IrOp.CallLocal) { Dst = result, Symbol = _scope.RequestSubprogram(method), Arguments = arguments });
            foreach (var (temporary, destination) in copyBacks) StoreInto(destination, temporary, invocation.Syntax);
            if (method.ReturnsVoid) return Void;
            if (method.ReturnsByRef) return new Place(Operand.Reg(result), 0, method.ReturnType, PlaceKind.Memory);
            // After a global function the verifier knows nothing of r0: narrow a small integer to its type's range.
            if (ObjectScope.IsGlobalFunction(method)) return Convert(new Scalar(Operand.Reg(result), Known.Int64), method.ReturnType, explicitNumeric: true);
            return new Scalar(Operand.Reg(result), method.ReturnType);
        }
    }
}
